"""course_lib.teaching.training, course_lib.teaching.datasets_multilabel and the lesson-08 loss surface: the soft-F1 experiment's tools."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from course_lib.metrics.scores import f1_score
from course_lib.teaching.datasets_multilabel import DEFAULT_BASE_RATES, make_imbalanced_multilabel
from course_lib.teaching.losses import ComboLoss, SoftF1Loss, one_label_loss_surface, soft_f1_loss
from course_lib.teaching.plots import plot_loss_surface
from course_lib.teaching.training import (
    History,
    bootstrap_macro_f1_difference,
    fit,
    gradient_norm,
    macro_f1,
    make_mlp,
)


def _tensors(n=600, noise=0.3, seed=0, base_rates=(0.05, 0.2, 0.4)):
    X, Y = make_imbalanced_multilabel(n, base_rates=base_rates, n_features=5, noise=noise, seed=seed)
    return torch.as_tensor(X), torch.as_tensor(Y, dtype=torch.float64)


@pytest.fixture(scope="module")
def data():
    return _tensors(600, seed=1), _tensors(300, seed=2)


# ----------------------------------------------------------------------------- dataset


def test_dataset_shapes_types_and_determinism():
    X, Y = make_imbalanced_multilabel(500, seed=3)
    assert X.shape == (500, 16) and Y.shape == (500, len(DEFAULT_BASE_RATES))
    assert X.dtype == np.float64 and Y.dtype == np.int64 and set(np.unique(Y)) <= {0, 1}
    X2, Y2 = make_imbalanced_multilabel(500, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    assert not np.array_equal(Y, make_imbalanced_multilabel(500, seed=4)[1])


def test_two_seeds_are_two_samples_of_one_problem():
    """A model fitted on seed 0 must work on seed 1: the label directions do not move with the seed."""
    from sklearn.linear_model import LogisticRegression

    X0, Y0 = make_imbalanced_multilabel(3000, base_rates=(0.3,), noise=0.2, seed=0)
    X1, Y1 = make_imbalanced_multilabel(3000, base_rates=(0.3,), noise=0.2, seed=1)
    model = LogisticRegression().fit(X0, Y0[:, 0])
    assert model.score(X1, Y1[:, 0]) > 0.9


def test_default_base_rates_span_one_to_thirty_percent():
    assert DEFAULT_BASE_RATES[0] == pytest.approx(0.01) and DEFAULT_BASE_RATES[-1] == pytest.approx(0.30)
    assert np.all(np.diff(DEFAULT_BASE_RATES) > 0)


@pytest.mark.parametrize("noise", [0.0, 0.5, 2.0])
def test_sample_base_rates_match_the_population(noise):
    n = 200_000
    _, Y = make_imbalanced_multilabel(n, noise=noise, seed=5)
    rates = np.asarray(DEFAULT_BASE_RATES)
    # Four binomial standard errors: a wrong threshold formula misses by far more.
    np.testing.assert_array_less(np.abs(Y.mean(axis=0) - rates), 4 * np.sqrt(rates * (1 - rates) / n))


def test_without_noise_each_label_is_a_half_space():
    """noise=0: a linear classifier separates every label perfectly (the lesson's ceiling needs noise)."""
    from sklearn.linear_model import LogisticRegression

    X, Y = make_imbalanced_multilabel(2000, base_rates=(0.05, 0.3), noise=0.0, seed=6)
    for label in range(2):
        accuracy = LogisticRegression(C=1e6, max_iter=2000).fit(X, Y[:, label]).score(X, Y[:, label])
        assert accuracy > 0.995
    _, Y_noisy = make_imbalanced_multilabel(2000, base_rates=(0.05, 0.3), noise=1.0, seed=6)
    accuracy = LogisticRegression(C=1e6, max_iter=2000).fit(X, Y_noisy[:, 1]).score(X, Y_noisy[:, 1])
    assert accuracy < 0.95  # same features, noisy labels: no half-space fits them


@pytest.mark.parametrize(
    ("kwargs", "error", "argument"),
    [
        (dict(n_samples=0), ValueError, "n_samples"),
        (dict(n_samples=10.0), TypeError, "n_samples"),
        (dict(n_samples=10, base_rates=(0.1, 1.0)), ValueError, "base_rates"),
        (dict(n_samples=10, base_rates=()), ValueError, "base_rates"),
        (dict(n_samples=10, base_rates="0.1"), ValueError, "base_rates"),
        (dict(n_samples=10, n_features=0), ValueError, "n_features"),
        (dict(n_samples=10, noise=-1.0), ValueError, "noise"),
        (dict(n_samples=10, noise=float("inf")), ValueError, "noise"),
    ],
)
def test_dataset_rejects_bad_input(kwargs, error, argument):
    with pytest.raises(error, match=f"`{argument}`"):
        make_imbalanced_multilabel(**kwargs)


# ----------------------------------------------------------------------------- model and training


def test_make_mlp_is_seeded_and_leaves_the_global_rng_alone():
    torch.manual_seed(123)
    expected_next = torch.rand(1)
    torch.manual_seed(123)
    a, b, c = make_mlp(5, 3, seed=7), make_mlp(5, 3, seed=7), make_mlp(5, 3, seed=8)
    assert torch.rand(1) == expected_next
    for pa, pb, pc in zip(a.parameters(), b.parameters(), c.parameters(), strict=True):
        assert torch.equal(pa, pb) and not torch.equal(pa, pc)
    assert a[0].weight.dtype == torch.float64


def test_fit_is_deterministic(data):
    train, validation = data
    runs = []
    for _ in range(2):
        model = make_mlp(5, 3, hidden=8, seed=0)
        history = fit(model, nn.BCEWithLogitsLoss(), train, validation, epochs=4, seed=1, progress=False)
        runs.append((history, [p.detach().clone() for p in model.parameters()]))
    assert runs[0][0] == runs[1][0]
    assert all(torch.equal(p, q) for p, q in zip(runs[0][1], runs[1][1], strict=True))


def test_fit_learns_and_keeps_the_best_epoch(data):
    train, validation = data
    model = make_mlp(5, 3, hidden=16, seed=0)
    history = fit(model, ComboLoss(0.5), train, validation, epochs=25, batch_size=32, patience=None, progress=False)
    assert history.epochs == 25 and not history.stopped_early
    assert history.validation_f1[-1] > history.validation_f1[0]
    assert max(history.validation_f1) > 0.7  # an untrained or broken loop stays far below
    assert history.best_epoch == int(np.argmax(history.validation_f1)) + 1
    with torch.no_grad():
        probs = torch.sigmoid(model(validation[0])).numpy()
    # After fit the model holds the best epoch's weights, not the last epoch's.
    assert macro_f1(validation[1].numpy(), probs) == history.validation_f1[history.best_epoch - 1]
    assert f"best epoch {history.best_epoch}" in repr(history)


def test_fit_records_the_loss_of_the_whole_sets(data):
    train, validation = data
    model = make_mlp(5, 3, hidden=8, seed=0)
    history = fit(model, SoftF1Loss(), train, validation, epochs=1, progress=False)
    with torch.no_grad():
        assert history.validation_loss[0] == pytest.approx(soft_f1_loss(model(validation[0]), validation[1]).item())
        assert history.train_loss[0] == pytest.approx(soft_f1_loss(model(train[0]), train[1]).item())


def test_early_stopping_waits_exactly_patience_epochs(data):
    train, validation = data
    model = make_mlp(5, 3, hidden=8, seed=0)
    # A learning rate this small cannot improve validation F1 for long: stopping is certain.
    history = fit(model, nn.BCEWithLogitsLoss(), train, validation, epochs=200, lr=1e-7, patience=3, progress=False)
    assert history.stopped_early
    assert history.epochs == history.best_epoch + 3
    assert max(history.validation_f1[history.best_epoch :]) <= history.validation_f1[history.best_epoch - 1]


def test_progress_bar_shows_the_description(data, capsys):
    train, validation = data
    fit(make_mlp(5, 3, hidden=4), nn.BCEWithLogitsLoss(), train, validation, epochs=2, progress=True, desc="BCE run")
    err = capsys.readouterr().err  # outside Jupyter tqdm.auto draws a text bar on stderr
    assert "BCE run" in err and "2/2" in err


@pytest.mark.parametrize(
    ("kwargs", "error", "argument"),
    [
        (dict(train=(torch.zeros(3, 5),)), TypeError, "train"),
        (dict(validation=(torch.zeros(3, 5), torch.zeros(4, 3))), ValueError, "validation"),
        (dict(epochs=0), ValueError, "epochs"),
        (dict(batch_size=0), ValueError, "batch_size"),
        (dict(patience=0), ValueError, "patience"),
        (dict(lr=-1.0), ValueError, "lr"),
    ],
)
def test_fit_rejects_bad_input(data, kwargs, error, argument):
    train, validation = data
    arguments = dict(train=train, validation=validation) | kwargs
    with pytest.raises(error, match=f"`{argument}`"):
        fit(make_mlp(5, 3), nn.BCEWithLogitsLoss(), progress=False, **arguments)


def test_gradient_norm_is_the_norm_of_autograds_gradient(data):
    (x, y), _ = data
    model = make_mlp(5, 3, hidden=8)
    loss = soft_f1_loss(model(x), y)
    grads = torch.autograd.grad(loss, list(model.parameters()))
    expected = torch.sqrt(sum((g**2).sum() for g in grads)).item()
    assert gradient_norm(model, SoftF1Loss(), x, y) == pytest.approx(expected, rel=1e-12)
    assert all(p.grad is None for p in model.parameters())  # nothing left behind for an optimizer


def test_macro_f1_with_one_threshold_per_label():
    rng = np.random.default_rng(0)
    y, p = (rng.random((50, 4)) < 0.3).astype(int), rng.random((50, 4))
    thresholds = np.array([0.2, 0.5, 0.7, 0.9])
    expected = f1_score(y, (p >= thresholds).astype(int), average="macro", zero_division=0.0)
    assert macro_f1(y, p, thresholds) == expected
    assert macro_f1(y, p) == f1_score(y, (p >= 0.5).astype(int), average="macro", zero_division=0.0)


# ----------------------------------------------------------------------------- paired bootstrap


def _naive_bootstrap(y, a, b, n_resamples, seed, level=0.95):
    """The loop the vectorised version replaces: resample rows, score both, subtract."""
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, len(y), size=(n_resamples, len(y)))
    diffs = [macro_f1(y[r], a[r], 0.5) - macro_f1(y[r], b[r], 0.5) for r in rows]
    tail = (1 - level) / 2 * 100
    return macro_f1(y, a) - macro_f1(y, b), *np.percentile(diffs, [tail, 100 - tail])


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 25), st.integers(2, 5), st.integers(0, 2**31))
def test_bootstrap_matches_the_naive_loop(n, k, seed):
    rng = np.random.default_rng(seed)
    y, a, b = ((rng.random((n, k)) < rate).astype(int) for rate in (0.3, 0.4, 0.2))
    ours = bootstrap_macro_f1_difference(y, a, b, n_resamples=30, seed=seed)
    np.testing.assert_allclose(ours, _naive_bootstrap(y, a, b, 30, seed), atol=1e-12)


def test_bootstrap_is_antisymmetric_and_seeded():
    rng = np.random.default_rng(1)
    y, a, b = ((rng.random((200, 4)) < rate).astype(int) for rate in (0.3, 0.3, 0.3))
    d, low, high = bootstrap_macro_f1_difference(y, a, b)
    assert low <= d <= high or not (low <= high)  # the data's difference need not sit inside, but usually does
    assert bootstrap_macro_f1_difference(y, b, a) == pytest.approx((-d, -high, -low))
    assert bootstrap_macro_f1_difference(y, a, b) == (d, low, high)


@pytest.mark.parametrize(
    ("args", "kwargs", "argument"),
    [
        ((np.zeros((4, 2)), np.zeros((4, 3)), np.zeros((4, 2))), {}, "pred_a"),
        ((np.zeros((4, 2)), np.zeros((4, 2)), np.full((4, 2), 0.5)), {}, "pred_b"),
        ((np.zeros(4), np.zeros(4), np.zeros(4)), {}, "y_true"),
        ((np.zeros((4, 2)),) * 3, {"level": 1.5}, "level"),
        ((np.zeros((4, 2)),) * 3, {"n_resamples": 0}, "n_resamples"),
    ],
)
def test_bootstrap_rejects_bad_input(args, kwargs, argument):
    with pytest.raises(ValueError, match=f"`{argument}`"):
        bootstrap_macro_f1_difference(*args, **kwargs)


# ----------------------------------------------------------------------------- loss surface


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 6),
    st.integers(0, 6),
    st.floats(0.01, 0.99),
    st.floats(0.01, 0.99),
)
def test_loss_surface_matches_the_losses_on_a_real_batch(n_pos, n_neg, p_pos, p_neg):
    if n_pos + n_neg == 0:
        return
    surface = one_label_loss_surface(p_pos, p_neg, n_positive=n_pos, n_negative=n_neg)
    probs = torch.tensor([p_pos] * n_pos + [p_neg] * n_neg, dtype=torch.float64)
    y = torch.tensor([1.0] * n_pos + [0.0] * n_neg, dtype=torch.float64)
    assert surface["soft-F1 loss"] == pytest.approx(soft_f1_loss(probs, y, from_logits=False).item(), abs=1e-12)
    hard = (probs >= 0.5).double()
    assert surface["1 - F1 (threshold 0.5)"] == pytest.approx(
        soft_f1_loss(hard, y, from_logits=False).item(), abs=1e-12
    )
    bce = torch.nn.functional.binary_cross_entropy(probs, y).item()
    assert surface["BCE"] == pytest.approx(bce, rel=1e-12)


def test_loss_surface_broadcasts_and_rejects_bad_input():
    grid = np.linspace(0, 1, 5)
    pos, neg = np.meshgrid(grid, grid)
    surface = one_label_loss_surface(pos, neg, n_positive=2, n_negative=8)
    assert all(v.shape == (5, 5) for v in surface.values())
    assert surface["soft-F1 loss"][0, -1] == 0.0  # positives at 1, negatives at 0: perfect
    assert np.isinf(surface["BCE"][-1, 0])  # a certain mistake costs infinite cross-entropy
    with pytest.raises(ValueError, match="`p_negative`"):
        one_label_loss_surface(0.5, 1.5, n_positive=1, n_negative=1)
    with pytest.raises(ValueError, match="`n_positive`"):
        one_label_loss_surface(0.5, 0.5, n_positive=-1, n_negative=1)


def test_plot_loss_surface_labels_its_axes():
    grid = np.linspace(0, 1, 21)
    pos, neg = np.meshgrid(grid, grid)
    values = one_label_loss_surface(pos, neg, n_positive=5, n_negative=95)["BCE"]
    ax = plot_loss_surface(grid, grid, values, title="BCE", vmax=3.0)
    assert ax.get_title() == "BCE" and "positive" in ax.get_xlabel() and "negative" in ax.get_ylabel()
    assert len(ax.figure.axes) == 2  # the surface and its colour bar
    plt.close(ax.figure)


def test_history_repr_without_epochs():
    assert "0 epochs" in repr(History())

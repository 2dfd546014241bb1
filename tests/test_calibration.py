"""Probability scores and calibration: parity with scikit-learn, ECE and temperature scaling by definition.

- log_loss, brier_score_loss and calibration_curve agree with scikit-learn 1.9 to
  1e-12 on random inputs (one class only, classes absent from y_true, K up to 20,
  probabilities of exactly 0 and 1, values exactly on bin edges, string labels).
- expected_calibration_error matches a plain loop over the bins, and torchmetrics.
- fit_temperature matches a fine grid search over T (and scipy's minimiser).
- Every bad input raises an error that names the argument.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from _parity import assert_close, parity_settings
from _reference_versions import needs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar
from scipy.special import expit, softmax
from sklearn.calibration import calibration_curve as sk_calibration_curve

from course_lib.metrics.calibration import (
    _buckets,
    apply_temperature,
    bin_edges,
    bin_ids,
    calibration_curve,
    expected_calibration_error,
    fit_temperature,
)
from course_lib.metrics.probabilistic import brier_score_loss, log_loss

SETTINGS = parity_settings(250)
FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BINARY_LABELS = [(0, 1), (-1, 1), (2, 7), ("ham", "spam")]
# Probabilities that stress clipping and bin edges, mixed with arbitrary floats.
SPECIAL = [0.0, 1.0, 0.5, 0.1, 0.2, 0.25, 0.3, 0.7, 0.75, 0.8, 0.9, 1e-300, 1 - 1e-16]
probability = st.one_of(st.sampled_from(SPECIAL), st.floats(0.0, 1.0, allow_subnormal=False))


@st.composite
def binary_case(draw, max_n=60):
    """y_true over two labels (maybe only one present) and positive-class probabilities."""
    labels = draw(st.sampled_from(BINARY_LABELS))
    n = draw(st.integers(1, max_n))
    y_true = np.array(draw(st.lists(st.sampled_from(labels), min_size=n, max_size=n)))
    y_prob = np.array(draw(st.lists(probability, min_size=n, max_size=n)))
    return labels, y_true, y_prob


@st.composite
def multiclass_case(draw, max_k=20, max_n=60):
    """y_true over K classes (some maybe absent) and rows of probabilities summing to 1."""
    k = draw(st.integers(2, max_k))
    n = draw(st.integers(1, max_n))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    classes = np.arange(k) * draw(st.sampled_from([1, 3])) + draw(st.sampled_from([0, -5, 100]))
    if draw(st.booleans()):
        classes = np.array([f"c{i:02d}" for i in range(k)])
    y_true = classes[rng.integers(0, k, size=n)]
    raw = rng.random((n, k)) ** draw(st.sampled_from([1, 4, 12]))  # from flat to very confident rows
    raw[rng.random((n, k)) < draw(st.sampled_from([0.0, 0.3]))] = 0.0  # exact zeros: clipping
    raw[raw.sum(axis=1) == 0, 0] = 1.0
    y_prob = raw / raw.sum(axis=1, keepdims=True)
    return classes, y_true, y_prob


def maybe_weights(draw_bool, n, seed):
    if not draw_bool:
        return None
    return np.random.default_rng(seed).random(n) + 0.01


# ---------------------------------------------------------------------------
# log_loss
# ---------------------------------------------------------------------------


@SETTINGS
@given(binary_case(), st.booleans(), st.booleans(), st.integers(0, 99))
def test_log_loss_binary_matches_sklearn(case, normalize, weighted, seed):
    labels, y_true, y_prob = case
    w = maybe_weights(weighted, len(y_true), seed)
    # A single class in y_true needs labels, as in scikit-learn.
    lab = list(labels) if len(set(y_true.tolist())) < 2 else None
    ours = log_loss(y_true, y_prob, normalize=normalize, sample_weight=w, labels=lab)
    theirs = skm.log_loss(y_true, y_prob, normalize=normalize, sample_weight=w, labels=lab)
    assert_close(ours, theirs)


@SETTINGS
@given(multiclass_case(), st.booleans(), st.booleans(), st.integers(0, 99))
def test_log_loss_multiclass_matches_sklearn(case, normalize, weighted, seed):
    classes, y_true, y_prob = case
    w = maybe_weights(weighted, len(y_true), seed)
    lab = None if len(np.unique(y_true)) == len(classes) else np.sort(classes)
    ours = log_loss(y_true, y_prob, normalize=normalize, sample_weight=w, labels=lab)
    theirs = skm.log_loss(y_true, y_prob, normalize=normalize, sample_weight=w, labels=lab)
    assert_close(ours, theirs)


def test_log_loss_clips_with_the_dtype_eps():
    worst = -np.log(np.finfo(np.float64).eps)
    assert log_loss([1, 0], [0.0, 1.0]) == pytest.approx(worst, rel=1e-15)  # about 36.04, not infinity
    assert log_loss([1, 0], np.array([0.0, 1.0], dtype=np.float32)) == pytest.approx(
        -np.log(np.finfo(np.float32).eps), rel=1e-6
    )
    assert_close(log_loss([1, 0], np.array([0.25, 0.5], dtype=np.float32)), skm.log_loss([1, 0], [0.25, 0.5]))


def test_log_loss_by_hand():
    # -(log 0.8 + log 0.7 + log 0.9) / 3
    assert_close(log_loss([0, 1, 1], [0.2, 0.7, 0.9]), -(np.log(0.8) + np.log(0.7) + np.log(0.9)) / 3)
    assert_close(log_loss(["b", "a"], [[0.25, 0.75], [0.5, 0.5]]), -(np.log(0.75) + np.log(0.5)) / 2)


# ---------------------------------------------------------------------------
# brier_score_loss
# ---------------------------------------------------------------------------


@needs("sklearn.metrics.brier_score_loss", parameter="scale_by_half")
@SETTINGS
@given(binary_case(), st.sampled_from(["auto", True, False]), st.booleans(), st.integers(0, 99), st.booleans())
def test_brier_binary_matches_sklearn(case, scale, weighted, seed, explicit_pos):
    labels, y_true, y_prob = case
    w = maybe_weights(weighted, len(y_true), seed)
    pos = labels[1] if explicit_pos or isinstance(labels[0], str) else None
    ours = brier_score_loss(y_true, y_prob, sample_weight=w, pos_label=pos, scale_by_half=scale)
    theirs = skm.brier_score_loss(y_true, y_prob, sample_weight=w, pos_label=pos, scale_by_half=scale)
    assert_close(ours, theirs)


@needs("sklearn.metrics.brier_score_loss", parameter="scale_by_half")
@SETTINGS
@given(multiclass_case(), st.sampled_from(["auto", True, False]), st.booleans(), st.integers(0, 99))
def test_brier_multiclass_matches_sklearn(case, scale, weighted, seed):
    classes, y_true, y_prob = case
    w = maybe_weights(weighted, len(y_true), seed)
    lab = None if len(np.unique(y_true)) == len(classes) else np.sort(classes)
    ours = brier_score_loss(y_true, y_prob, sample_weight=w, labels=lab, scale_by_half=scale)
    theirs = skm.brier_score_loss(y_true, y_prob, sample_weight=w, labels=lab, scale_by_half=scale)
    assert_close(ours, theirs)


def test_brier_scale_by_half_auto_depends_on_columns():
    # Two columns: halved (binary). Three columns: the full [0, 2] range.
    assert brier_score_loss([0, 1], [[1.0, 0.0], [1.0, 0.0]]) == 0.5
    assert brier_score_loss([0, 1, 2], [[0, 1, 0], [0, 1, 0], [0, 1, 0]]) == pytest.approx(4 / 3)
    assert brier_score_loss([0, 1], [0.0, 0.0], scale_by_half=False) == 1.0


def test_brier_accepts_hard_predictions_like_sklearn():
    y_prob = np.array([0.1, 0.9, 0.8, 0.3]) > 0.5
    assert brier_score_loss([0, 1, 1, 0], y_prob) == skm.brier_score_loss([0, 1, 1, 0], y_prob) == 0.0


# ---------------------------------------------------------------------------
# calibration_curve
# ---------------------------------------------------------------------------


@SETTINGS
@given(binary_case(), st.integers(1, 20), st.sampled_from(["uniform", "quantile"]))
def test_calibration_curve_matches_sklearn(case, n_bins, strategy):
    labels, y_true, y_prob = case
    pos = None if labels in [(0, 1), (-1, 1)] else labels[1]
    ours = calibration_curve(y_true, y_prob, pos_label=pos, n_bins=n_bins, strategy=strategy)
    theirs = sk_calibration_curve(y_true, y_prob, pos_label=pos, n_bins=n_bins, strategy=strategy)
    assert_close(ours[0], theirs[0])
    assert_close(ours[1], theirs[1])


@SETTINGS
@given(st.integers(1, 40), st.lists(st.integers(0, 400), min_size=1, max_size=80), st.booleans())
def test_bin_ids_equal_searchsorted_on_the_edges(n_bins, numerators, uniform):
    # Values exactly on (or one rounding step from) an edge, where a fast path would slip.
    rng = np.random.default_rng(n_bins)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    if not uniform:
        edges = np.concatenate([[0.0], np.sort(rng.choice(np.arange(401) / 400, n_bins - 1)), [1.0]])
    values = np.array([min(v / 400, 1.0) for v in numerators] + edges.tolist())
    values = np.concatenate([values, np.nextafter(values, 0), np.nextafter(values, 1)]).clip(0, 1)
    np.testing.assert_array_equal(bin_ids(values, edges), np.searchsorted(edges[1:-1], values))


@pytest.mark.parametrize("n", [1, 7, 1000, 50_000])
@pytest.mark.parametrize("shape", ["flat", "skewed", "rounded", "tied"])
def test_quantile_edges_equal_numpy_percentile_to_the_bit(n, shape):
    # The quantile edges are found by counting, not by np.percentile: they must still be identical.
    rng = np.random.default_rng(n)
    p = {
        "flat": rng.random(n),
        "skewed": rng.random(n) ** 12,
        "rounded": np.round(rng.random(n), 2),
        "tied": rng.choice([0.0, 0.3, 1.0], n),
    }[shape]
    for n_bins in (1, 2, 5, 10, 15, 37):
        expected_edges = np.percentile(p, np.linspace(0, 1, n_bins + 1) * 100)
        np.testing.assert_array_equal(bin_edges(p, n_bins, "quantile", buckets=_buckets(p)), expected_edges)


def test_calibration_curve_bins_are_right_closed():
    # 0.2 sits on the first inner edge of 5 uniform bins: it belongs to [0, 0.2], not (0.2, 0.4].
    prob_true, prob_pred = calibration_curve([0, 1], [0.2, 0.2 + 1e-12], n_bins=5)
    assert_close(prob_true, [0.0, 1.0])
    assert_close(prob_pred, [0.2, 0.2 + 1e-12])


# ---------------------------------------------------------------------------
# expected_calibration_error: against the definition, a loop over bins
# ---------------------------------------------------------------------------


def ece_by_loop(confidence, hit, n_bins, strategy):
    """ECE written out: for each bin, its share of samples times |accuracy - confidence|."""
    if strategy == "uniform":
        edges = np.linspace(0, 1, n_bins + 1)
    else:
        edges = np.percentile(confidence, np.linspace(0, 1, n_bins + 1) * 100)
    n = len(confidence)
    total = 0.0
    for b in range(n_bins):
        lo, hi = edges[b], edges[b + 1]
        members = [i for i in range(n) if (lo < confidence[i] or b == 0) and (confidence[i] <= hi or b == n_bins - 1)]
        if not members:
            continue
        accuracy = sum(hit[i] for i in members) / len(members)
        mean_confidence = sum(confidence[i] for i in members) / len(members)
        total += len(members) / n * abs(accuracy - mean_confidence)
    return total


@SETTINGS
@given(binary_case(max_n=40), st.integers(1, 20), st.sampled_from(["uniform", "quantile"]))
def test_ece_binary_matches_the_loop(case, n_bins, strategy):
    labels, y_true, y_prob = case
    pos = labels[1]
    hit = (y_true == pos).astype(float)
    ours = expected_calibration_error(y_true, y_prob, pos_label=pos, n_bins=n_bins, strategy=strategy)
    assert_close(ours, ece_by_loop(y_prob, hit, n_bins, strategy), atol=1e-12)


@SETTINGS
@given(multiclass_case(max_n=40), st.integers(1, 20), st.sampled_from(["uniform", "quantile"]))
def test_ece_multiclass_is_top_label_and_matches_the_loop(case, n_bins, strategy):
    classes, y_true, y_prob = case
    order = np.sort(classes)
    predicted = order[np.argmax(y_prob, axis=1)]
    confidence = y_prob.max(axis=1)
    hit = (predicted == y_true).astype(float)
    ours = expected_calibration_error(y_true, y_prob, labels=order, n_bins=n_bins, strategy=strategy)
    assert_close(ours, ece_by_loop(confidence, hit, n_bins, strategy), atol=1e-12)


@FEW
@given(binary_case(), st.integers(1, 20))
def test_ece_is_the_weighted_gap_of_the_calibration_curve(case, n_bins):
    labels, y_true, y_prob = case
    pos = labels[1]
    prob_true, prob_pred = calibration_curve(y_true, y_prob, pos_label=pos, n_bins=n_bins)
    edges = bin_edges(y_prob, n_bins, "uniform")
    counts = np.bincount(bin_ids(y_prob, edges), minlength=n_bins)
    share = counts[counts > 0] / len(y_prob)
    assert_close(
        expected_calibration_error(y_true, y_prob, pos_label=pos, n_bins=n_bins), share @ np.abs(prob_true - prob_pred)
    )


@pytest.mark.parametrize("k", [1, 5, 20])
def test_ece_matches_torchmetrics(k):
    torch = pytest.importorskip("torch")
    from torchmetrics.functional.classification import binary_calibration_error, multiclass_calibration_error

    rng = np.random.default_rng(k)
    n = 2000
    if k == 1:
        y_prob = rng.random(n) ** 3
        y_true = (rng.random(n) < y_prob**0.5).astype(int)
        theirs = binary_calibration_error(torch.tensor(y_prob), torch.tensor(y_true), n_bins=15)
    else:
        logits = rng.normal(size=(n, k)) * 3
        y_prob = softmax(logits, axis=1)
        y_true = np.argmax(logits + rng.normal(size=(n, k)) * 2, axis=1)
        theirs = multiclass_calibration_error(torch.tensor(y_prob), torch.tensor(y_true), num_classes=k, n_bins=15)
    # torchmetrics bins left-closed and in float32: equal where no value lies on an edge.
    ours = expected_calibration_error(y_true, y_prob, labels=None if k == 1 else np.arange(k), n_bins=15)
    assert ours == pytest.approx(float(theirs), abs=1e-6)


def test_ece_of_the_base_rate_is_zero_and_of_a_confident_liar_is_large():
    y_true = np.array([0, 0, 0, 1] * 25)
    assert expected_calibration_error(y_true, np.full(100, 0.25)) == pytest.approx(0.0, abs=1e-15)
    # 90% confident where only a quarter come true: the gap is 0.9 - 0.25.
    assert expected_calibration_error(y_true, np.full(100, 0.9)) == pytest.approx(0.65)


# ---------------------------------------------------------------------------
# Temperature scaling: against a fine grid search over T
# ---------------------------------------------------------------------------


@st.composite
def logit_case(draw):
    """Logits and labels drawn from a (mis)calibrated model: labels sampled from softmax(z / true_T)."""
    seed = draw(st.integers(0, 2**32 - 1))
    k = draw(st.sampled_from([1, 2, 3, 5, 10, 20]))
    n = draw(st.integers(20, 200))
    rng = np.random.default_rng(seed)
    true_t = draw(st.sampled_from([0.5, 1.0, 2.0, 4.0]))
    scale = draw(st.sampled_from([1.0, 3.0, 8.0]))
    if k == 1:
        z = rng.normal(size=n) * scale
        y = (rng.random(n) < expit(z / true_t)).astype(int)
        if len(np.unique(y)) < 2:
            y[0] = 1 - y[0]
        return z, y
    z = rng.normal(size=(n, k)) * scale
    p = softmax(z / true_t, axis=1)
    y = (p.cumsum(axis=1) < rng.random((n, 1))).sum(axis=1).clip(0, k - 1)
    return z, y


def nll(z, y, t):
    labels = None if z.ndim == 1 else np.arange(z.shape[1])
    return log_loss(y, apply_temperature(z, t), labels=labels)


@FEW
@given(logit_case())
def test_fit_temperature_beats_every_point_of_a_fine_grid(case):
    z, y = case
    labels = None if z.ndim == 1 else np.arange(z.shape[1])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = fit_temperature(z, y, labels=labels)
    grid = np.geomspace(0.02, 50, 1501)
    losses = np.array([nll(z, y, g) for g in grid])
    best = int(np.argmin(losses))
    if caught:  # the optimum lies at a bound: the grid must fall monotonically towards it
        assert t in (1e-4, 1e4)
        assert best in (0, len(grid) - 1)
        return
    assert nll(z, y, t) <= losses.min() + 1e-12
    if 0 < best < len(grid) - 1:  # the grid brackets the optimum: T lies between the neighbours
        assert grid[best - 1] <= t <= grid[best + 1]
    # A 1-D minimiser from scipy lands on the same T.
    found = minimize_scalar(lambda s: nll(z, y, np.exp(s)), bounds=(np.log(t) - 1, np.log(t) + 1), method="bounded")
    assert np.exp(found.x) == pytest.approx(t, rel=1e-4)


def test_fit_temperature_recovers_an_overconfident_model():
    # Labels drawn from sigmoid(z / 3): the logits are 3x too confident, so T should be about 3.
    rng = np.random.default_rng(0)
    z = rng.normal(size=100_000) * 6
    y = (rng.random(z.size) < expit(z / 3)).astype(int)
    assert fit_temperature(z, y) == pytest.approx(3.0, rel=0.03)


def test_fit_temperature_is_deterministic_and_float():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(300, 4)) * 4
    y = np.argmax(z + rng.normal(size=(300, 4)) * 3, axis=1)
    first = fit_temperature(z, y)
    assert isinstance(first, float)
    assert first == fit_temperature(z.tolist(), y.tolist())


def test_fit_temperature_warns_at_the_bounds():
    with pytest.warns(UserWarning, match="separate the classes"):
        assert fit_temperature([-2.0, -1.0, 1.0, 2.0], [0, 0, 1, 1]) == 1e-4
    with pytest.warns(UserWarning, match="no signal"):
        assert fit_temperature([-2.0, -1.0, 1.0, 2.0], [1, 1, 0, 0]) == 1e4


@pytest.mark.parametrize("t", [0.3, 1.0, 2.5])
def test_apply_temperature_is_sigmoid_or_softmax_of_scaled_logits(t):
    rng = np.random.default_rng(2)
    z1, z2 = rng.normal(size=50) * 10, rng.normal(size=(50, 6)) * 10
    assert_close(apply_temperature(z1, t), expit(z1 / t), atol=1e-15)
    assert_close(apply_temperature(z2, t), softmax(z2 / t, axis=1), atol=1e-15)


def test_temperature_keeps_ranking_auc_and_accuracy():
    rng = np.random.default_rng(3)
    z = rng.normal(size=400) * 3
    y = (rng.random(400) < expit(z)).astype(int)
    for t in (0.5, 2.0, 7.0):
        p = apply_temperature(z, t)
        np.testing.assert_array_equal(np.argsort(p, kind="stable"), np.argsort(z, kind="stable"))
        assert skm.roc_auc_score(y, p) == skm.roc_auc_score(y, z)
    zk = rng.normal(size=(400, 5)) * 3
    for t in (0.5, 2.0, 7.0):
        np.testing.assert_array_equal(apply_temperature(zk, t).argmax(axis=1), zk.argmax(axis=1))


# ---------------------------------------------------------------------------
# Bad input: the error names the argument
# ---------------------------------------------------------------------------

BAD_INPUTS = [
    (log_loss, ([0, 1], [0.5, 1.5]), {}, ValueError, "y_proba"),
    (log_loss, ([0, 1], [-0.1, 0.5]), {}, ValueError, "y_proba"),
    (log_loss, ([0, 1], [np.nan, 0.5]), {}, ValueError, "y_proba"),
    (log_loss, ([0, 1], ["a", "b"]), {}, TypeError, "y_proba"),
    (log_loss, ([0, 1, 2], [[0.5, 0.5, 0.5]] * 3), {}, ValueError, "y_proba"),  # rows sum to 1.5
    (log_loss, ([0, 1, 2], [[0.2, 0.2, 0.2]] * 3), {}, ValueError, "rows that sum to 1"),
    (log_loss, ([0, 1, 2], [[0.5, 0.5]] * 3), {}, ValueError, "y_proba"),  # 3 classes, 2 columns
    (log_loss, ([0, 1, 2], [0.5, 0.5, 0.5]), {}, ValueError, "y_proba"),  # 1-D but 3 classes
    (log_loss, ([0, 0], [0.5, 0.5]), {}, ValueError, "labels"),  # one class: say the labels
    (log_loss, ([0, 3], [0.5, 0.5]), {"labels": [0, 1]}, ValueError, "labels"),  # 3 not in labels
    (log_loss, ([0, 1], [0.5, 0.5]), {"labels": [1, 0]}, ValueError, "labels"),  # unsorted
    (log_loss, ([0, 1], [0.5, 0.5, 0.5]), {}, ValueError, "y_true"),
    (log_loss, ([0, 1], [0.5, 0.5]), {"normalize": "yes"}, TypeError, "normalize"),
    (log_loss, ([0, 1], [0.5, 0.5]), {"sample_weight": [1, -1]}, ValueError, "sample_weight"),
    (brier_score_loss, ([0, 1], [0.5, 1.5]), {}, ValueError, "y_proba"),
    (brier_score_loss, (["a", "b"], [0.5, 0.5]), {}, ValueError, "pos_label"),
    (brier_score_loss, ([0, 1], [0.5, 0.5]), {"pos_label": 3}, ValueError, "pos_label"),
    (brier_score_loss, ([0, 1, 2], [0.5, 0.5, 0.5]), {}, ValueError, "y_true"),
    (brier_score_loss, ([0, 1, 2], [[0.4, 0.4, 0.4]] * 3), {}, ValueError, "y_proba"),
    (brier_score_loss, ([0, 1], [0.5, 0.5]), {"scale_by_half": "yes"}, ValueError, "scale_by_half"),
    (brier_score_loss, ([0, 5], [[0.5, 0.5]] * 2), {"labels": [0, 1]}, ValueError, "labels"),
    (calibration_curve, ([0, 1], [0.5, 0.5]), {"n_bins": 0}, ValueError, "n_bins"),
    (calibration_curve, ([0, 1], [0.5, 0.5]), {"n_bins": 2.5}, TypeError, "n_bins"),
    (calibration_curve, ([0, 1], [0.5, 0.5]), {"strategy": "equal"}, ValueError, "strategy"),
    (calibration_curve, ([0, 1], [0.5, 1.5]), {}, ValueError, "y_prob"),
    (calibration_curve, ([0, 1], [[0.5, 0.5]] * 2), {}, ValueError, "y_prob"),
    (calibration_curve, ([0, 1, 2], [0.5, 0.5, 0.5]), {}, ValueError, "y_true"),
    (calibration_curve, ([2, 7], [0.5, 0.5]), {}, ValueError, "pos_label"),
    (calibration_curve, ([0, 1], [0.5, 0.5, 0.5]), {}, ValueError, "y_true"),
    (calibration_curve, ([0, 0.5], [0.5, 0.5]), {}, ValueError, "y_true"),  # continuous labels
    (expected_calibration_error, ([0, 1], [0.5, 0.5]), {"n_bins": 0}, ValueError, "n_bins"),
    (expected_calibration_error, ([0, 1], [0.5, 0.5]), {"strategy": None}, ValueError, "strategy"),
    (expected_calibration_error, ([0, 1], [0.5, -0.5]), {}, ValueError, "y_prob"),
    (expected_calibration_error, ([0, 1, 2], [[0.9, 0.9, 0.9]] * 3), {}, ValueError, "y_prob"),
    (expected_calibration_error, ([0, 1, 7], [[0.2, 0.3, 0.5]] * 3), {"labels": [0, 1, 2]}, ValueError, "labels"),
    (fit_temperature, ([0.5, np.inf], [0, 1]), {}, ValueError, "logits"),
    (fit_temperature, (["a", "b"], [0, 1]), {}, TypeError, "logits"),
    (fit_temperature, ([[[0.5]]], [0]), {}, ValueError, "logits"),
    (fit_temperature, ([0.5, 0.2], [0, 1, 1]), {}, ValueError, "logits"),
    (fit_temperature, ([[0.5, 0.2, 0.1]] * 2, [0, 1]), {}, ValueError, "logits"),  # 3 columns, 2 classes
    (fit_temperature, ([0.5, 0.2], ["x", "y"]), {}, ValueError, "pos_label"),
    (apply_temperature, ([0.5, 0.2], 0.0), {}, ValueError, "temperature"),
    (apply_temperature, ([0.5, 0.2], -1.0), {}, ValueError, "temperature"),
    (apply_temperature, ([0.5, 0.2], np.nan), {}, ValueError, "temperature"),
    (apply_temperature, ([0.5, 0.2], "2"), {}, TypeError, "temperature"),
    (apply_temperature, ([0.5, 0.2], True), {}, TypeError, "temperature"),
]


@pytest.mark.parametrize(("fn", "args", "kwargs", "error", "needle"), BAD_INPUTS)
def test_bad_input_names_the_argument(fn, args, kwargs, error, needle):
    with pytest.raises(error, match=needle if " " in needle else f"`{needle}`"):
        fn(*args, **kwargs)

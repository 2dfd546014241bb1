"""course_lib.scale (state, binning, histogram_scores, npz_files, streaming): metric states that add up, checked against one pass, course_lib, scikit-learn and torchmetrics.

- the monoid laws (associative, commutative, identity) on random states;
- splitting the data anywhere and merging gives exactly the counts of one pass;
- every score of a state equals course_lib's function on the concatenated data
  (set-based scores on the predictions, ranking scores on the binned scores);
- the binned ROC-AUC is within ``auc_error_bound()`` of the exact one;
- the binned curves are torchmetrics' binned curves for the same thresholds;
- evaluate_stream reads arrays, .npz and .npy files in blocks, in constant memory,
  and names the file when one is broken.
"""

from __future__ import annotations

import io
import pickle
import tracemalloc
import warnings
import zipfile

import numpy as np
import pytest
import sklearn.metrics as skm
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torchmetrics.functional.classification import (
    binary_auroc,
    binary_average_precision,
    binary_precision_recall_curve,
    binary_roc,
    multiclass_roc,
)

from course_lib.metrics import curves
from course_lib.metrics.confusion import confusion_matrix
from course_lib.metrics.scores import precision_recall_fscore_support
from course_lib.scale import state as state_module
from course_lib.scale.binning import Binner, uniform_edges
from course_lib.scale.npz_files import read_npz_blocks
from course_lib.scale.state import MetricState
from course_lib.scale.streaming import evaluate_stream


def sigmoid_edges(n_bins: int, max_logit: float = 3.0) -> np.ndarray:
    """Inner edges evenly spaced in logit space: fine near 0 and 1, far from uniform."""
    return 1.0 / (1.0 + np.exp(-np.linspace(-max_logit, max_logit, n_bins - 1)))


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Scores that collide with bin edges and with each other, plus arbitrary floats.
SPECIAL = [0.0, 0.1, 0.2, 0.25, 0.5, 0.75, 0.9, 1.0]
score_values = st.one_of(st.sampled_from(SPECIAL), st.floats(0, 1, width=32))


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


@st.composite
def configs(draw, max_k=6):
    k = draw(st.integers(2, max_k))
    kind = draw(st.sampled_from(["uniform", "uniform", "edges", "logit"]))
    if kind == "uniform":
        bins = draw(st.integers(2, 12))
    elif kind == "logit":
        bins = sigmoid_edges(draw(st.integers(3, 12)))
    else:
        bins = np.array(sorted(set(draw(st.lists(score_values, min_size=1, max_size=8)))))
    threshold = draw(st.sampled_from([0.5, 0.25, 0.3, 0.0, 1.0]))
    return dict(labels=tuple(range(k)), threshold=threshold, bins=bins)


@st.composite
def data_for(draw, config, max_n=50, min_n=0):
    """Labels and scores for ``config``: hypothesis picks the shape and the mix, NumPy draws the values (fast).

    A drawn share of the scores comes from SPECIAL (ties, values on bin edges, 0 and 1), the rest are
    float32 values in [0, 1]; some classes may be missing.
    """
    k = len(config["labels"])
    n = draw(st.integers(min_n, max_n))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    present = draw(st.integers(1, k))  # how many classes occur at all
    y_true = rng.choice(rng.permutation(k)[:present], size=n).astype(np.int64)
    width = 1 if k == 2 else k
    special_share = draw(st.sampled_from([0.0, 0.3, 1.0]))
    uniform = rng.random((n, width), dtype=np.float32).astype(np.float64)
    y_score = np.where(rng.random((n, width)) < special_share, rng.choice(SPECIAL, size=(n, width)), uniform)
    return y_true, (y_score[:, 0] if k == 2 else y_score)


@st.composite
def config_and_data(draw, max_k=6, max_n=50, min_n=0):
    config = draw(configs(max_k))
    return config, draw(data_for(config, max_n, min_n))


def state_of(config, y_true, y_score):
    return MetricState(config["labels"], threshold=config["threshold"], bins=config["bins"]).update(y_true, y_score)


def predictions(config, y_score):
    if len(config["labels"]) == 2:
        return (y_score >= config["threshold"]).astype(np.int64)
    return np.argmax(y_score, axis=1)


def binned(state, y_score):
    """The bin of every score: the binned metrics are the exact ones of these."""
    return np.searchsorted(state.edges, y_score, side="right").astype(np.float64)


# --------------------------------------------------------------------------- the monoid


@given(st.data())
@SETTINGS
def test_merge_is_associative_commutative_with_the_empty_state_as_identity(data):
    config = data.draw(configs())
    a, b, c = (state_of(config, *data.draw(data_for(config))) for _ in range(3))
    assert (a + b) + c == a + (b + c)
    assert a + b == b + a
    assert a + a.empty() == a == a.empty() + a
    assert sum([a, b, c]) == (a + b) + c
    assert a.empty().n_samples == 0 and a.empty().config_differences(a) == []
    merged = a + b
    assert merged.confusion.dtype == np.int64 and merged.histogram.dtype == np.int64
    assert merged is not a and merged.n_samples == a.n_samples + b.n_samples


@given(config_and_data(max_n=80), st.lists(st.integers(0, 80), max_size=6))
@SETTINGS
def test_splitting_anywhere_and_merging_gives_the_single_pass_counts(config_data, cuts):
    config, (y_true, y_score) = config_data
    whole = state_of(config, y_true, y_score)
    pieces = np.split(np.arange(len(y_true)), sorted(min(c, len(y_true)) for c in cuts))
    merged = sum(state_of(config, y_true[i], y_score[i]) for i in pieces)
    assert merged == whole
    in_place = MetricState(config["labels"], threshold=config["threshold"], bins=config["bins"])
    for i in pieces[::-1]:  # any order
        in_place += state_of(config, y_true[i], y_score[i])
    assert in_place == whole


@given(config_and_data(max_n=120, min_n=1))
@FEW
def test_small_internal_blocks_count_exactly_what_one_block_counts(config_data):
    config, (y_true, y_score) = config_data
    whole = state_of(config, y_true, y_score)
    saved = state_module._BLOCK_ELEMENTS
    try:
        state_module._BLOCK_ELEMENTS = 7  # many blocks per chunk, and buffers reused between blocks
        assert state_of(config, y_true, y_score) == whole
    finally:
        state_module._BLOCK_ELEMENTS = saved


def test_a_state_travels_by_pickle_without_its_work_buffers():
    state = MetricState(bins=1000).update(np.zeros(100_000, int), np.linspace(0, 1, 100_000))
    payload = pickle.dumps(state)
    assert len(payload) < 30_000  # counts and configuration, not the megabyte of binning buffers
    copy = pickle.loads(payload)
    assert copy == state and not copy.edges.flags.writeable
    assert copy.update([1], [0.5]).n_samples == state.n_samples + 1


def test_merging_refuses_a_different_configuration_and_says_what_differs():
    a = MetricState(bins=10)
    with pytest.raises(ValueError, match=r"`other`.*bins 10 vs 20"):
        a + MetricState(bins=20)
    with pytest.raises(ValueError, match=r"`other`.*threshold 0.5 vs 0.3"):
        a + MetricState(bins=10, threshold=0.3)
    with pytest.raises(ValueError, match=r"`other`.*labels \[0, 1\] vs \[0, 1, 2\]"):
        a + MetricState((0, 1, 2), bins=10)
    with pytest.raises(ValueError, match=r"`other`.*bin edges \(same count 10, different values\)"):
        a + MetricState(bins=sigmoid_edges(10))
    with pytest.raises(TypeError, match="unsupported operand"):
        a + 1
    with pytest.raises(TypeError, match="`other`"):
        a.check_compatible("a state")
    with pytest.raises(ValueError, match="`other`"):
        a += MetricState(bins=20)


def test_fingerprints_agree_exactly_when_configurations_do():
    base = MetricState(bins=10).config_fingerprint()
    assert base.dtype == np.int64 and base.shape == (5,)
    assert np.array_equal(base, MetricState(bins=uniform_edges(10)).config_fingerprint())
    for other in (MetricState(bins=11), MetricState(bins=10, threshold=0.4), MetricState((0, 2), bins=10)):
        assert not np.array_equal(base, other.config_fingerprint())
    assert np.array_equal(
        MetricState(("a", "b")).config_fingerprint(), MetricState(np.array(["a", "b"])).config_fingerprint()
    )


# --------------------------------------------------------------------------- scores = course_lib on the whole data


@given(config_and_data(max_n=60, min_n=1))
@FEW
def test_set_based_scores_equal_course_lib_on_the_concatenated_predictions(config_data):
    config, (y_true, y_score) = config_data
    labels = list(config["labels"])
    half = len(y_true) // 2
    state = state_of(config, y_true[:half], y_score[:half]) + state_of(config, y_true[half:], y_score[half:])
    y_pred = predictions(config, y_score)
    np.testing.assert_array_equal(state.confusion_matrix(), confusion_matrix(y_true, y_pred, labels=labels))
    assert state.accuracy_score() == pytest.approx(np.mean(y_true == y_pred), abs=1e-15)
    averages = ["micro", "macro", "weighted", None] + (["binary"] if len(labels) == 2 else [])
    for average in averages:
        for zero_division in (0, 1, np.nan):
            for beta in (1.0, 0.5):
                ours = state.precision_recall_fscore_support(beta=beta, average=average, zero_division=zero_division)
                theirs = precision_recall_fscore_support(
                    y_true, y_pred, beta=beta, labels=labels, average=average, zero_division=zero_division
                )
                for o, t in zip(ours, theirs, strict=True):
                    if o is None:
                        assert t is None
                    else:
                        np.testing.assert_allclose(np.asarray(o, float), np.asarray(t, float), atol=1e-12)


@given(config_and_data(max_k=2, max_n=60, min_n=1))
@FEW
def test_binary_score_shortcuts_match_scikit_learn(config_data):
    config, (y_true, y_score) = config_data
    state = state_of(config, y_true, y_score)
    y_pred = predictions(config, y_score)
    kw = dict(zero_division=0)
    assert state.f1_score(**kw) == pytest.approx(skm.f1_score(y_true, y_pred, **kw), abs=1e-12)
    assert state.precision_score(**kw) == pytest.approx(skm.precision_score(y_true, y_pred, **kw), abs=1e-12)
    assert state.recall_score(**kw) == pytest.approx(skm.recall_score(y_true, y_pred, **kw), abs=1e-12)
    assert state.fbeta_score(beta=2, **kw) == pytest.approx(skm.fbeta_score(y_true, y_pred, beta=2, **kw), abs=1e-12)
    assert state.f1_score(pos_label=0, **kw) == pytest.approx(
        skm.f1_score(y_true, y_pred, pos_label=0, labels=[0, 1], **kw), abs=1e-12
    )


@given(config_and_data(max_n=60, min_n=1))
@SETTINGS
def test_binned_ranking_scores_are_course_lib_on_the_binned_scores(config_data):
    config, (y_true, y_score) = config_data
    state = state_of(config, y_true, y_score)
    digitized = binned(state, y_score)
    if state.is_binary:
        cases = [(state.roc_auc_score, lambda: curves.roc_auc_score(y_true, digitized))]
        cases.append((state.average_precision_score, lambda: curves.average_precision_score(y_true, digitized)))
    else:
        one_hot = (y_true[:, None] == np.arange(state.n_classes)).astype(int)
        cases = []
        for average in ("micro", "macro", "weighted", None):
            cases.append(
                (
                    lambda a=average: state.roc_auc_score(multi_class="ovr", average=a),
                    lambda a=average: curves.roc_auc_score(one_hot, digitized, average=a),
                )
            )
            cases.append(
                (
                    lambda a=average: state.average_precision_score(average=a),
                    lambda a=average: curves.average_precision_score(one_hot, digitized, average=a),
                )
            )
    for ours, theirs in cases:
        np.testing.assert_allclose(quiet(ours), quiet(theirs), rtol=0, atol=1e-12)


@given(config_and_data(max_k=2, max_n=60, min_n=1))
@SETTINGS
def test_binned_curves_are_course_lib_curves_of_the_binned_scores(config_data):
    config, (y_true, y_score) = config_data
    state = state_of(config, y_true, y_score)
    if len(np.unique(y_true)) < 2:
        return
    fpr, tpr, thresholds = state.roc_curve()
    assert thresholds[0] == np.inf and thresholds[-1] == -np.inf and np.all(np.diff(thresholds) < 0)
    assert len(fpr) == state.n_bins + 1 and (fpr[0], tpr[0], fpr[-1], tpr[-1]) == (0, 0, 1, 1)
    # Every point of the exact curve of the binned scores is on the binned curve, and nothing else is.
    exact_fpr, exact_tpr, _ = curves.roc_curve(y_true, binned(state, y_score), drop_intermediate=False)
    assert set(zip(fpr, tpr, strict=True)) == set(zip(exact_fpr, exact_tpr, strict=True))
    precision, recall, pr_thresholds = state.precision_recall_curve()
    digitized = binned(state, y_score)
    e_precision, e_recall, _ = curves.precision_recall_curve(y_true, digitized)
    # Thresholds above every score predict nothing (precision 0 there); the exact curve has no such point.
    predicted = np.append((digitized[None, :] >= np.arange(state.n_bins)[:, None]).sum(axis=1), 1)
    hit = predicted > 0
    assert set(zip(precision[hit], recall[hit], strict=True)) == set(zip(e_precision, e_recall, strict=True))
    assert np.all(precision[~hit] == 0) and np.all(recall[~hit] == 0)
    assert pr_thresholds[0] == -np.inf and np.all(np.diff(pr_thresholds) > 0)


# --------------------------------------------------------------------------- the error bound


@given(config_and_data(max_n=80, min_n=2))
@SETTINGS
def test_binned_auc_is_within_the_bound_of_the_exact_auc(config_data):
    config, (y_true, y_score) = config_data
    state = state_of(config, y_true, y_score)
    if state.is_binary:
        exact = quiet(curves.roc_auc_score, y_true, y_score)
        if np.isnan(exact):
            assert np.isnan(quiet(state.roc_auc_score))
            return
        assert abs(state.roc_auc_score() - exact) <= state.auc_error_bound() + 1e-12
    else:
        one_hot = (y_true[:, None] == np.arange(state.n_classes)).astype(int)
        exact = quiet(curves.roc_auc_score, one_hot, y_score, average=None)
        ours = quiet(state.roc_auc_score, multi_class="ovr", average=None)
        bound = state.auc_error_bound(average=None)
        defined = ~np.isnan(exact)
        assert np.all(np.abs(ours - exact)[defined] <= bound[defined] + 1e-12)
        np.testing.assert_array_equal(np.isnan(ours), ~defined)


def test_the_bound_on_a_worked_example_and_when_it_is_tight():
    # Positives 0.61 and 0.69, negatives 0.62 and 0.68: all four share bin [0.6, 0.7).
    state = MetricState(bins=10).update([1, 1, 0, 0], [0.61, 0.69, 0.62, 0.68])
    # p_b = n_b = 1 in that bin: bound 1/2; binned AUC 1/2; exact AUC 1/2 (one pair right of each kind).
    assert state.auc_error_bound() == 0.5 and state.roc_auc_score() == 0.5
    tight = MetricState(bins=10).update([1, 0], [0.69, 0.61])  # exact 1, binned 1/2: the bound is attained
    assert tight.roc_auc_score() == 0.5 and tight.auc_error_bound() == 0.5
    assert skm.roc_auc_score([1, 0], [0.69, 0.61]) - tight.roc_auc_score() == tight.auc_error_bound()
    assert MetricState(bins=10).update([1, 0], [0.9, 0.1]).auc_error_bound() == 0.0


def test_the_bound_shrinks_as_bins_get_finer_on_smooth_scores():
    rng = np.random.default_rng(0)
    y = rng.random(20_000) < 0.3
    s = 1 / (1 + np.exp(-(rng.normal(size=y.size) + 1.5 * y)))
    exact = skm.roc_auc_score(y, s)
    bounds = []
    for b in (10, 100, 1000):
        state = MetricState(bins=b).update(y, s)
        bounds.append(state.auc_error_bound())
        assert abs(state.roc_auc_score() - exact) <= bounds[-1]
    assert bounds[0] > bounds[1] > bounds[2]
    assert bounds[2] < 1e-3


# --------------------------------------------------------------------------- torchmetrics with the same thresholds

thresholds_strategy = st.lists(st.floats(0, 1, width=32), min_size=1, max_size=12).map(lambda v: sorted(set(v)))


@given(thresholds_strategy, st.data())
@FEW
def test_binned_binary_curves_equal_torchmetrics_with_the_same_thresholds(thresholds, data):
    n = data.draw(st.integers(2, 60))
    y_true = np.array(data.draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    values = st.one_of(st.sampled_from(thresholds), st.floats(0, 1, width=32))
    y_score = np.array(data.draw(st.lists(values, min_size=n, max_size=n)), dtype=np.float32)
    cut = torch.tensor(thresholds, dtype=torch.float32)
    preds, target = torch.from_numpy(y_score), torch.from_numpy(y_true)
    state = MetricState(bins=cut.numpy().astype(np.float64)).update(y_true, y_score)

    tm_fpr, tm_tpr, tm_thr = quiet(binary_roc, preds, target, thresholds=cut)
    fpr, tpr, thr = quiet(state.roc_curve)
    # torchmetrics has one point per threshold; course_lib adds (0, 0) at +inf and (1, 1) at -inf.
    np.testing.assert_allclose(thr[1:-1], tm_thr.numpy())
    # With one class only the other rate is 0/0: NaN here (as course_lib.metrics.curves), 0 in torchmetrics.
    if not y_true.all():
        np.testing.assert_allclose(fpr[1:-1], tm_fpr.numpy(), atol=1e-6)
    if y_true.any():
        np.testing.assert_allclose(tpr[1:-1], tm_tpr.numpy(), atol=1e-6)

    tm_precision, tm_recall, _ = quiet(binary_precision_recall_curve, preds, target, thresholds=cut)
    precision, recall, _ = quiet(state.precision_recall_curve)
    tm_precision = tm_precision.numpy()
    undefined = np.isnan(tm_precision)  # torchmetrics: NaN where nothing is predicted positive; course_lib: 0
    np.testing.assert_allclose(precision[1:][~undefined], tm_precision[~undefined], atol=1e-6)
    assert np.all(precision[1:][undefined] == 0)
    if y_true.any():
        np.testing.assert_allclose(recall[1:], tm_recall.numpy(), atol=1e-6)

    if 0 < y_true.sum() < n and thresholds[0] <= y_score.min() and y_score.max() < thresholds[-1]:
        # The two binned curves then start at (0, 0) and end at (1, 1) alike, so the areas agree.
        assert state.roc_auc_score() == pytest.approx(float(binary_auroc(preds, target, thresholds=cut)), abs=1e-6)
        tm_ap = float(quiet(binary_average_precision, preds, target, thresholds=cut))
        assert state.average_precision_score() == pytest.approx(tm_ap, abs=1e-6)


def test_torchmetrics_binned_auroc_misses_the_corner_when_scores_reach_the_top_threshold():
    # Scores of exactly 1.0 (a saturated float32 sigmoid) sit at torchmetrics' top threshold 1.0, so its
    # binned curve starts at (FPR, TPR) of those scores instead of (0, 0) and loses that triangle.
    y = np.array([1, 1, 0, 0, 1, 0])
    s = np.array([1.0, 1.0, 1.0, 0.2, 0.7, 0.4], dtype=np.float32)
    cut = torch.linspace(0, 1, 11)
    tm = float(binary_auroc(torch.from_numpy(s), torch.from_numpy(y), thresholds=cut))
    ours = MetricState(bins=cut.numpy().astype(np.float64)).update(y, s).roc_auc_score()
    assert ours == pytest.approx(skm.roc_auc_score(y, s))  # no pair shares a bin except the tied 1.0s
    assert ours - tm == pytest.approx(0.5 * (1 / 3) * (2 / 3), abs=1e-6)


@given(st.data())
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_binned_multiclass_roc_equals_torchmetrics_one_vs_rest(data):
    k = data.draw(st.integers(3, 5))
    thresholds = data.draw(thresholds_strategy)
    n = data.draw(st.integers(k, 40))
    y_true = np.array(data.draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    values = st.one_of(st.sampled_from(thresholds), st.floats(0, 1, width=32))
    y_score = np.array(data.draw(st.lists(values, min_size=n * k, max_size=n * k)), dtype=np.float32).reshape(n, k)
    cut = torch.tensor(thresholds, dtype=torch.float32)
    state = MetricState(range(k), bins=cut.numpy().astype(np.float64)).update(y_true, y_score)
    tm_fpr, tm_tpr, _ = quiet(
        multiclass_roc, torch.from_numpy(y_score), torch.from_numpy(y_true), num_classes=k, thresholds=cut
    )
    for c in range(k):
        fpr, tpr, _ = quiet(state.roc_curve, pos_label=c)
        if 0 < (y_true == c).sum() < n:
            np.testing.assert_allclose(fpr[1:-1], tm_fpr[c].numpy(), atol=1e-6)
            np.testing.assert_allclose(tpr[1:-1], tm_tpr[c].numpy(), atol=1e-6)


# --------------------------------------------------------------------------- bins


@given(st.integers(2, 3000), st.floats(-5, 5), st.floats(0.01, 10), st.data())
@SETTINGS
def test_the_fast_uniform_binner_is_exactly_a_binary_search(n_bins, low, width, data):
    edges = uniform_edges(n_bins, low, low + width)
    if data.draw(st.booleans()):  # float32 edges, as torch.linspace gives: nearly, not exactly, uniform
        edges = np.unique(edges.astype(np.float32).astype(np.float64))
    binner = Binner(edges)
    assert binner.uniform or len(edges) < 2
    picks = data.draw(st.lists(st.integers(0, len(edges) - 1), min_size=1, max_size=40))
    at = edges[picks]
    scores = np.concatenate(
        [at, np.nextafter(at, -np.inf), np.nextafter(at, np.inf), [low - 1, low + width + 1, -3e38, 3e38]]
    )
    for dtype in (np.float64, np.float32):
        s = scores.astype(dtype)
        np.testing.assert_array_equal(binner(s), np.searchsorted(edges, s, side="right"))


def test_edge_helpers():
    np.testing.assert_allclose(uniform_edges(4), [0.25, 0.5, 0.75])
    np.testing.assert_allclose(uniform_edges(2, -1, 1), [0.0])
    with pytest.raises(ValueError, match="`bins`"):
        uniform_edges(1)
    with pytest.raises(ValueError, match="`high`"):
        uniform_edges(4, 1.0, 0.0)


# --------------------------------------------------------------------------- labels, shapes and errors


def test_string_labels_and_labels_in_any_order():
    y = np.array(["dog", "cat", "dog", "dog", "cat"])
    s = np.array([0.9, 0.2, 0.4, 0.7, 0.6])
    state = MetricState(("cat", "dog"), bins=10).update(y, s)
    np.testing.assert_array_equal(state.confusion_matrix(), skm.confusion_matrix(y, np.where(s >= 0.5, "dog", "cat")))
    assert state.roc_auc_score() == pytest.approx(skm.roc_auc_score(y == "dog", s))
    # labels (1, 0): the scores are for class 0 and the matrix's rows follow that order.
    flipped = MetricState((1, 0), bins=10).update([0, 1, 1], [0.9, 0.1, 0.6])
    np.testing.assert_array_equal(flipped.confusion_matrix(), [[1, 1], [0, 1]])
    assert flipped.f1_score() == pytest.approx(skm.f1_score([0, 1, 1], [0, 1, 0], pos_label=0))
    boolean = MetricState(bins=10).update(np.array([True, False]), [0.8, 0.3])
    np.testing.assert_array_equal(boolean.confusion_matrix(), [[1, 0], [0, 1]])
    floats = MetricState(bins=10).update(np.array([1.0, 0.0]), [0.8, 0.3])
    assert floats == boolean


def test_an_empty_chunk_changes_nothing_and_the_repr_tells_what_the_state_is():
    state = MetricState((0, 1, 2), bins=20)
    assert state.update([], np.empty((0, 3))) == state.empty()
    assert repr(state) == "MetricState(labels=[0, 1, 2], rule='argmax', bins=20, n_samples=0)"
    assert (
        repr(MetricState(bins=4).update([1], [0.3])) == "MetricState(labels=[0, 1], threshold=0.5, bins=4, n_samples=1)"
    )


def test_threshold_off_the_edges_still_gives_the_right_confusion_matrix():
    y = np.array([0, 1, 1, 0, 1])
    s = np.array([0.33, 0.34, 0.335, 0.2, 0.9])
    state = MetricState(bins=10, threshold=0.335).update(y, s)
    assert state._threshold_bin is None
    np.testing.assert_array_equal(state.confusion_matrix(), skm.confusion_matrix(y, s >= 0.335))


def test_counts_are_int64_because_float32_stops_counting_and_int32_wraps():
    assert np.float32(2**24) + np.float32(1) == np.float32(2**24)
    assert int(np.add(np.array([2**31 - 1], dtype=np.int32), np.int32(1))[0]) == -(2**31)
    state = MetricState(bins=4)
    state.confusion[1, 1] = 2**40  # a count no 32-bit type holds
    merged = state + state
    assert merged.confusion[1, 1] == 2**41 and merged.confusion.dtype == np.int64


@pytest.mark.parametrize(
    ("kwargs", "name", "error"),
    [
        (dict(labels=(0,)), "labels", ValueError),
        (dict(labels=(0, 0, 1)), "labels", ValueError),
        (dict(labels=[[0, 1]]), "labels", ValueError),
        (dict(labels=(0.5, 1)), "labels", ValueError),
        (dict(threshold=float("nan")), "threshold", ValueError),
        (dict(threshold="0.5"), "threshold", TypeError),  # a wrong type is a TypeError (the one policy)
        (dict(bins=1), "bins", ValueError),
        (dict(bins=True), "bins", TypeError),
        (dict(bins=[0.5, 0.2]), "bins", ValueError),
        (dict(bins=[0.2, float("nan")]), "bins", ValueError),
        (dict(bins=[]), "bins", ValueError),
        (dict(bins=[["a"]]), "bins", ValueError),
    ],
)
def test_bad_configurations_name_the_argument(kwargs, name, error):
    with pytest.raises(error, match=f"`{name}`"):
        MetricState(**kwargs)


@pytest.mark.parametrize(
    ("labels", "y_true", "y_score", "name", "error", "extra"),
    [
        ((0, 1), [0, 2], [0.1, 0.2], "y_true", ValueError, "the label 2"),
        ((0, 1), [0, -1], [0.1, 0.2], "y_true", ValueError, "the label -1"),
        ((0, 1), [0, 0.5], [0.1, 0.2], "y_true", ValueError, "continuous"),
        ((0, 1), ["a", "b"], [0.1, 0.2], "y_true", TypeError, "same kind"),
        (("a", "b"), ["a", "c"], [0.1, 0.2], "y_true", ValueError, "'c'"),
        ((0, 1), [[0, 1]], [0.1, 0.2], "y_true", ValueError, "1-D"),
        ((0, 1), [0, 1], [0.1, float("nan")], "y_score", ValueError, "NaN"),
        ((0, 1), [0, 1], [0.1, float("inf")], "y_score", ValueError, "NaN"),
        ((0, 1), [0, 1], [[0.9, 0.1], [0.2, 0.8]], "y_score", ValueError, r"y_score\[:, 1\]"),
        ((0, 1), [0, 1], [0.1], "y_score", ValueError, "as long as y_true"),
        ((0, 1), [0, 1], ["a", "b"], "y_score", TypeError, "real-valued"),
        ((0, 1, 2), [0, 1], [[0.1, 0.9], [0.5, 0.5]], "y_score", ValueError, r"\(n, 3\)"),
        ((0, 1, 2), [0, 1], [0.1, 0.2], "y_score", ValueError, r"\(n, 3\)"),
        ((0, 1), None, [0.1], "y_true", TypeError, "array-like"),
    ],
)
def test_bad_chunks_name_the_argument(labels, y_true, y_score, name, error, extra):
    state = MetricState(labels, bins=4)
    with pytest.raises(error, match=f"`{name}`.*{extra}"):
        state.update(y_true, y_score)
    assert state.n_samples == 0  # a refused chunk counts nothing


def test_bad_metric_arguments_name_the_argument():
    binary = MetricState(bins=4).update([0, 1], [0.2, 0.8])
    multi = MetricState((0, 1, 2), bins=4).update([0, 1, 2], np.eye(3))
    with pytest.raises(ValueError, match="`average`.*multiclass"):
        multi.f1_score()
    with pytest.raises(ValueError, match="`average`"):
        binary.f1_score(average="samples")
    with pytest.raises(ValueError, match="`pos_label`"):
        binary.f1_score(pos_label=3)
    with pytest.raises(ValueError, match="`zero_division`"):
        binary.f1_score(zero_division="nan")
    with pytest.raises(TypeError, match="`beta`"):
        binary.fbeta_score(beta="2")
    with pytest.raises(ValueError, match="`multi_class`.*'ovo'"):
        multi.roc_auc_score()
    with pytest.raises(ValueError, match="`multi_class`"):
        multi.roc_auc_score(multi_class="ovo")
    with pytest.raises(ValueError, match="`average`"):
        multi.roc_auc_score(multi_class="ovr", average="samples")
    with pytest.raises(ValueError, match="`pos_label`"):
        multi.roc_curve()
    with pytest.raises(ValueError, match="`pos_label`"):
        binary.roc_curve(pos_label=0)


def test_one_class_only_follows_course_lib_curves():
    state = MetricState(bins=4).update([1, 1], [0.2, 0.8])
    with pytest.warns(UserWarning, match="Only one class"):
        assert np.isnan(state.roc_auc_score())
    assert np.isnan(state.auc_error_bound())
    none = MetricState(bins=4).update([0, 0], [0.2, 0.8])
    with pytest.warns(UserWarning, match="No positive"):
        assert none.average_precision_score() == 0.0
    with pytest.warns(UserWarning, match="No positive"):
        precision, recall, _ = none.precision_recall_curve()
    assert np.all(recall[:-1] == 1)
    with pytest.warns(UserWarning, match="No negative"):
        fpr, _, _ = state.roc_curve()
    assert np.isnan(fpr).all()
    assert np.isnan(MetricState(bins=4).accuracy_score())


def test_from_counts_holds_exactly_the_counts_given_and_refuses_other_shapes():
    y, s = _random_binary(500, 7)
    counted = MetricState(bins=sigmoid_edges(7)).update(y, s)
    rebuilt = MetricState.from_counts(counted.confusion, counted.histogram, bins=sigmoid_edges(7))
    assert rebuilt == counted and rebuilt.roc_auc_score() == counted.roc_auc_score()
    with pytest.raises(ValueError, match="`histogram`"):
        MetricState.from_counts(counted.confusion, counted.histogram[0], bins=sigmoid_edges(7))
    with pytest.raises(ValueError, match="`confusion`"):
        MetricState.from_counts(-counted.confusion, counted.histogram, bins=sigmoid_edges(7))
    with pytest.raises(ValueError, match="`confusion`"):
        MetricState.from_counts(counted.confusion * 0.5, counted.histogram, bins=sigmoid_edges(7))


# --------------------------------------------------------------------------- evaluate_stream


def _write_npz(path, y_true, y_score, compressed=False):
    (np.savez_compressed if compressed else np.savez)(path, y_true=y_true, y_score=y_score)
    return path


def _random_binary(n, seed):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(np.int64)
    return y, np.clip(rng.normal(0.3 + 0.3 * y, 0.2), 0, 1)


def test_evaluate_stream_reads_every_kind_of_chunk_and_matches_one_update(tmp_path):
    y, s = _random_binary(5000, 0)
    parts = np.split(np.arange(5000), [700, 2000, 2001, 3500])
    _write_npz(tmp_path / "a.npz", y[parts[0]], s[parts[0]])
    _write_npz(tmp_path / "b.npz", y[parts[1]], s[parts[1]], compressed=True)
    np.save(tmp_path / "c_true.npy", y[parts[2]])
    np.save(tmp_path / "c_score.npy", s[parts[2]])
    chunks = [
        tmp_path / "a.npz",
        str(tmp_path / "b.npz"),
        (tmp_path / "c_true.npy", tmp_path / "c_score.npy"),
        [y[parts[3]], s[parts[3]]],
        (y[parts[4]], s[parts[4]]),
    ]
    whole = MetricState(bins=50).update(y, s)
    for block_rows in (7, 1 << 20):
        assert evaluate_stream(chunks, bins=50, progress=False, block_rows=block_rows) == whole
    generator = (piece for piece in [(y[:10], s[:10]), (y[10:], s[10:])])
    assert evaluate_stream(generator, bins=50, progress=False) == whole
    again = evaluate_stream([(y[:10], s[:10])], state=MetricState(bins=50), progress=False)
    assert evaluate_stream([(y[10:], s[10:])], state=again, progress=False) == whole


def test_evaluate_stream_reads_multiclass_and_column_major_files(tmp_path):
    rng = np.random.default_rng(1)
    y = rng.integers(0, 4, 300)
    s = rng.dirichlet(np.ones(4), 300)
    _write_npz(tmp_path / "c.npz", y, s, compressed=True)
    _write_npz(tmp_path / "f.npz", y, np.asfortranarray(s))
    state = evaluate_stream([tmp_path / "c.npz", tmp_path / "f.npz"], labels=range(4), bins=20, progress=False)
    assert state == MetricState(range(4), bins=20).update(np.tile(y, 2), np.vstack([s, s]))


def test_evaluate_stream_runs_in_constant_memory_on_a_big_compressed_file(tmp_path):
    n = 2_000_000
    y = np.zeros(n, dtype=np.int8)
    y[::3] = 1
    s = np.linspace(0, 1, n)  # 16 MB of float64
    _write_npz(tmp_path / "big.npz", y, s, compressed=True)
    tracemalloc.start()
    try:
        state = evaluate_stream([tmp_path / "big.npz"], bins=100, progress=False, block_rows=1 << 16)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert state.n_samples == n
    assert peak < 4_000_000, f"peak {peak / 1e6:.1f} MB for a 16 MB array read in 64k-row blocks"


def test_evaluate_stream_progress_bar_counts_predictions(capsys):
    evaluate_stream([([0, 1], [0.1, 0.9])] * 3, bins=4, progress=True)
    assert "6.00 predictions" in capsys.readouterr().err


def _corrupt(path):
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"not a zip file at all"), "not a zip archive"),
        (
            lambda p: np.savez(p, y_true=[0, 1], scores=[0.1, 0.2]),
            r"no array `y_score` \(it holds \['scores', 'y_true'\]\)",
        ),
        (lambda p: np.savez(p, y_true=[0, 1], y_score=[0.1, 0.2, 0.3]), "does not fit"),
        (lambda p: np.savez(p, y_true=[[0, 1]], y_score=[0.1, 0.2]), r"shape \(1, 2\)"),
        (lambda p: np.savez(p, y_true=[0, 1], y_score=np.array([None, None])), "Python objects"),
        (lambda p: _corrupt(_write_npz(p, *_random_binary(50_000, 2), compressed=True)), "corrupt data"),
        (lambda p: np.savez(p, y_true=[0, 5], y_score=[0.1, 0.2]), "the label 5"),
        (lambda p: np.savez(p, y_true=[0, 1], y_score=[0.1, np.nan]), "NaN"),
    ],
)
def test_a_broken_file_is_an_error_naming_the_file(tmp_path, make, message):
    good = _write_npz(tmp_path / "good.npz", [0, 1], [0.2, 0.9])
    bad = tmp_path / "bad.npz"
    make(bad)
    with pytest.raises(ValueError, match=message) as info:
        evaluate_stream([good, bad], bins=4, progress=False)
    assert str(bad) in str(info.value)


def test_a_truncated_file_is_an_error_naming_the_file(tmp_path):
    y, s = _random_binary(10_000, 3)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # an archive whose y_score member is cut short
        for key, arr in (("y_true", y), ("y_score", s)):
            member = io.BytesIO()
            np.save(member, arr)
            payload = member.getvalue()
            archive.writestr(key + ".npy", payload if key == "y_true" else payload[: len(payload) // 2])
    path = tmp_path / "short.npz"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ValueError, match="truncated") as info:
        list(read_npz_blocks(path))
    assert str(path) in str(info.value)


def test_evaluate_stream_refuses_what_is_not_a_chunk(tmp_path):
    with pytest.raises(TypeError, match="`chunks`"):
        evaluate_stream("data.npz", progress=False)
    with pytest.raises(TypeError, match="`chunks`"):
        evaluate_stream([42], progress=False)
    with pytest.raises(TypeError, match="`chunks`"):
        evaluate_stream([{"y_true": [0], "y_score": [0.5]}], progress=False)  # a mapping is not a chunk
    with pytest.raises(ValueError, match="missing.npz"):
        evaluate_stream([tmp_path / "missing.npz"], progress=False)
    with pytest.raises(TypeError, match="`state`"):
        evaluate_stream([], state="no", progress=False)
    with pytest.raises(ValueError, match="`block_rows`"):
        evaluate_stream([], block_rows=0, progress=False)
    np.save(tmp_path / "t.npy", [0, 1, 1])
    np.save(tmp_path / "s.npy", [0.5, 0.2])
    with pytest.raises(ValueError, match="equal length"):
        evaluate_stream([(tmp_path / "t.npy", tmp_path / "s.npy")], progress=False)
    (tmp_path / "x.npy").write_bytes(b"garbage")
    with pytest.raises(ValueError, match="x.npy"):
        evaluate_stream([(tmp_path / "x.npy", tmp_path / "s.npy")], progress=False)

"""course_lib.metrics.curves agrees with scikit-learn (and with brute force) on thousands of random inputs.

scikit-learn 1.9 is the oracle for every function it has: the same arrays to
1e-12 (NaN where NaN), the same shapes, a warning exactly when it warns. The
inputs are awkward on purpose: heavy ties (scores drawn from a handful of
values), one class only, scores far outside [0, 1], integer and float32
scores, sample weights with zeros, tiny and larger inputs. Sample weights are
multiples of 1/4 so weighted sums are exact in both libraries (with arbitrary
float weights, whether three points are collinear can depend on rounding).

threshold_sweep and best_threshold have no scikit-learn counterpart: the oracle
there is the obvious loop, one threshold at a time, through course_lib.metrics.scores.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from _parity import assert_close, parity_settings
from _reference_versions import needs, needs_behaviour, one_class_roc_auc_is_nan
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.metrics import curves
from course_lib.metrics.confusion import binary_counts
from course_lib.metrics.scores import accuracy_score, f1_score, precision_score, recall_score
from course_lib.metrics.validation import UndefinedMetricWarning

SETTINGS = parity_settings(250)


@st.composite
def binary_problems(draw, max_n=60, weighted=None, large=True):
    """(y_true, y_score, sample_weight) with every awkward shape of binary data."""
    sizes = [st.integers(1, 8), st.integers(1, max_n)] + ([st.sampled_from([500, 3000])] if large else [])
    n = draw(st.one_of(*sizes))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    balance = draw(st.sampled_from(["mixed", "mixed", "mixed", "all positive", "all negative", "rare"]))
    if balance == "all positive":
        y = np.ones(n, dtype=int)
    elif balance == "all negative":
        y = np.zeros(n, dtype=int)
    else:
        y = (rng.random(n) < (0.05 if balance == "rare" else 0.5)).astype(int)
    kind = draw(st.sampled_from(["few values", "few values", "continuous", "integers", "float32", "extreme"]))
    if kind == "few values":  # heavy ties: n samples share a handful of scores
        pool = draw(st.lists(st.floats(-1e3, 1e3, allow_nan=False, width=64), min_size=1, max_size=5))
        s = rng.choice(np.array(pool), n)
    elif kind == "continuous":
        s = rng.normal(size=n) + y * draw(st.sampled_from([0.0, 1.0, 5.0]))
    elif kind == "integers":
        s = rng.integers(-3, 4, n)
    elif kind == "float32":
        s = np.round(rng.random(n), 2).astype(np.float32)
    else:
        s = rng.choice(np.array([-1e300, -1.0, -0.0, 0.0, 5e-324, 1.0, 1e300]), n)
    if weighted is None:
        weighted = draw(st.booleans())
    w = None
    if weighted:
        w = rng.integers(0, 5, n) / 4
        if w.sum() == 0:
            w[0] = 1.0
    return y, s, w


def call(fn, *args, **kwargs):
    """(result, warned?) with every warning recorded."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn(*args, **kwargs)
    return result, bool(caught)


def assert_same_arrays(ours, theirs):
    """A function returning several arrays (a curve's x, y and thresholds): each equals its counterpart."""
    for a, b in zip(ours, theirs, strict=True):
        assert_close(a, b)


def both(name, *args, **kwargs):
    ours, ours_warned = call(getattr(curves, name), *args, **kwargs)
    theirs, theirs_warned = call(getattr(skm, name), *args, **kwargs)
    assert ours_warned == theirs_warned
    return ours, theirs


# --------------------------------------------------------------------------- binary curves


@SETTINGS
@given(binary_problems(), st.booleans())
def test_roc_curve_matches_sklearn(problem, drop_intermediate):
    y, s, w = problem
    ours, theirs = both("roc_curve", y, s, sample_weight=w, drop_intermediate=drop_intermediate)
    assert_same_arrays(ours, theirs)


@SETTINGS
@given(binary_problems(), st.booleans())
def test_precision_recall_curve_matches_sklearn(problem, drop_intermediate):
    y, s, w = problem
    ours, theirs = both("precision_recall_curve", y, s, sample_weight=w, drop_intermediate=drop_intermediate)
    assert_same_arrays(ours, theirs)
    assert ours[2].dtype == theirs[2].dtype  # thresholds keep the scores' dtype


@needs("sklearn.metrics.confusion_matrix_at_thresholds")
@SETTINGS
@given(binary_problems())
def test_confusion_matrix_at_thresholds_matches_sklearn(problem):
    y, s, w = problem
    ours = curves.confusion_matrix_at_thresholds(y, s, sample_weight=w)
    theirs = skm.confusion_matrix_at_thresholds(y, s, sample_weight=w)
    assert_same_arrays(ours, theirs)


@needs_behaviour(one_class_roc_auc_is_nan, "return NaN for a one-class y_true (older versions raise)")
@SETTINGS
@given(binary_problems(), st.sampled_from([None, None, 1.0, 0.5, 0.05]))
def test_roc_auc_score_matches_sklearn(problem, max_fpr):
    y, s, w = problem
    weights = np.ones(len(y)) if w is None else w
    if max_fpr is not None and not (weights[y == 1].sum() > 0 and weights[y == 0].sum() > 0):
        max_fpr = None  # scikit-learn crashes inside auc() when one class has zero total weight
    ours, theirs = both("roc_auc_score", y, s, sample_weight=w, max_fpr=max_fpr)
    assert_close(ours, theirs)


@SETTINGS
@given(binary_problems())
def test_average_precision_score_matches_sklearn(problem):
    y, s, w = problem
    ours, theirs = both("average_precision_score", y, s, sample_weight=w)
    assert_close(ours, theirs)


@settings(max_examples=100, deadline=None)
@given(binary_problems(max_n=30, weighted=False), st.sampled_from([("no", "yes"), (-1, 1), (3, 7), (False, True)]))
def test_other_label_sets_with_pos_label(problem, label_set):
    y, s, _ = problem
    labels = np.array(label_set)[y]
    pos = label_set[1]
    for name in ("roc_curve", "precision_recall_curve"):
        ours, theirs = both(name, labels, s, pos_label=pos)
        assert_same_arrays(ours, theirs)
    ours, theirs = both("average_precision_score", labels, s, pos_label=pos)
    assert_close(ours, theirs)


def test_auc_matches_sklearn_on_curves():
    rng = np.random.default_rng(0)
    for _ in range(200):
        n = int(rng.integers(2, 30))
        x = np.sort(rng.choice(rng.random(5), n))
        y = rng.normal(size=n)
        assert_close(curves.auc(x, y), skm.auc(x, y))
        assert_close(curves.auc(x[::-1], y), skm.auc(x[::-1], y))


def test_a_large_tied_input_matches_sklearn():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 200_000)
    s = np.round(rng.random(200_000) + 0.2 * y, 3)  # about a thousand distinct scores
    for name in ("roc_curve", "precision_recall_curve"):
        for a, b in zip(getattr(curves, name)(y, s), getattr(skm, name)(y, s), strict=True):
            assert_close(a, b)
    assert_close(curves.roc_auc_score(y, s), skm.roc_auc_score(y, s))
    assert_close(curves.average_precision_score(y, s), skm.average_precision_score(y, s))


# --------------------------------------------------------------------------- multilabel and multiclass


@st.composite
def multilabel_problems(draw):
    n = draw(st.integers(1, 25))
    k = draw(st.integers(2, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    y = (rng.random((n, k)) < draw(st.sampled_from([0.1, 0.5, 0.9]))).astype(int)
    if draw(st.booleans()):
        s = rng.choice(rng.normal(size=3), (n, k))  # ties within rows and columns
    else:
        s = rng.normal(size=(n, k))
    w = (rng.integers(0, 4, n) + np.eye(n)[0]) / 2 if draw(st.booleans()) else None  # never all zero
    return y, s, w


@needs_behaviour(one_class_roc_auc_is_nan, "return NaN for a one-class y_true (older versions raise)")
@SETTINGS
@given(multilabel_problems(), st.sampled_from([None, "micro", "macro", "weighted", "samples"]))
def test_multilabel_averages_match_sklearn(problem, average):
    y, s, w = problem
    for name in ("roc_auc_score", "average_precision_score"):
        ours, theirs = both(name, y, s, average=average, sample_weight=w)
        assert_close(ours, theirs)


@needs_behaviour(one_class_roc_auc_is_nan, "return NaN for a one-class y_true (older versions raise)")
@settings(max_examples=60, deadline=None)
@given(multilabel_problems(), st.sampled_from([None, "macro", "samples"]))
def test_multilabel_partial_auc_matches_sklearn(problem, average):
    y, s, _ = problem
    ours, theirs = both("roc_auc_score", y, s, average=average, max_fpr=0.5)
    assert_close(ours, theirs)


@st.composite
def multiclass_problems(draw):
    n = draw(st.integers(3, 40))
    k = draw(st.integers(3, 20))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    y = rng.integers(0, k, n)
    p = rng.dirichlet(np.ones(k), n)
    if draw(st.booleans()):  # coarse probabilities: many ties
        p = np.round(p, 1)
        p[:, -1] = 1 - p[:, :-1].sum(axis=1)
    w = (rng.integers(0, 4, n) + np.eye(n)[0]) / 2 if draw(st.booleans()) else None  # never all zero
    return y, p, w, k


@needs_behaviour(one_class_roc_auc_is_nan, "return NaN for a one-class y_true (older versions raise)")
@SETTINGS
@given(multiclass_problems(), st.sampled_from(["micro", "macro", "weighted", None]))
def test_multiclass_ovr_roc_auc_matches_sklearn(problem, average):
    y, p, w, k = problem
    kwargs = dict(multi_class="ovr", average=average, sample_weight=w, labels=np.arange(k))
    ours, theirs = both("roc_auc_score", y, p, **kwargs)
    assert_close(ours, theirs)


@settings(max_examples=100, deadline=None)
@given(multiclass_problems(), st.sampled_from(["macro", "weighted"]))
def test_multiclass_ovo_roc_auc_matches_sklearn(problem, average):
    y, p, _, k = problem
    if len(np.unique(y)) < 2:  # no pair of classes: scikit-learn gives NaN or ZeroDivisionError; we warn, NaN
        with pytest.warns(UndefinedMetricWarning, match="Only one class"):
            assert np.isnan(curves.roc_auc_score(y, p, multi_class="ovo", average=average, labels=np.arange(k)))
        return
    ours, theirs = both("roc_auc_score", y, p, multi_class="ovo", average=average, labels=np.arange(k))
    assert_close(ours, theirs)


@SETTINGS
@given(multiclass_problems(), st.sampled_from([None, "micro", "macro", "weighted", "samples"]))
def test_multiclass_average_precision_matches_sklearn(problem, average):
    y, p, w, _ = problem
    present = np.unique(y)
    if len(present) < 3:
        return
    p = p[:, present]  # average_precision_score takes one column per class present in y_true
    ours, theirs = both("average_precision_score", y, p, average=average, sample_weight=w)
    assert_close(ours, theirs)


def test_multiclass_string_labels_and_default_labels():
    y = np.array(["cat", "dog", "emu", "dog", "cat", "emu"])
    p = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.2, 0.2, 0.6], [0.5, 0.4, 0.1], [0.4, 0.4, 0.2], [0.3, 0.3, 0.4]])
    for mc in ("ovr", "ovo"):
        assert_close(curves.roc_auc_score(y, p, multi_class=mc), skm.roc_auc_score(y, p, multi_class=mc))


# --------------------------------------------------------------------------- sweeps against brute force


def brute_force_sweep(y, s, thresholds):
    """One threshold at a time, through course_lib.metrics.scores: slow, obvious, independent of the core."""
    rows = []
    for t in thresholds:
        y_pred = (s >= t).astype(int)
        tn, fp, fn, tp = binary_counts(y, y_pred)
        kw = dict(zero_division=0)
        rows.append(
            (
                tp,
                fp,
                tn,
                fn,
                precision_score(y, y_pred, **kw),
                recall_score(y, y_pred, **kw),
                f1_score(y, y_pred, **kw),
                accuracy_score(y, y_pred),
            )
        )
    return np.array(rows, dtype=float).reshape(-1, 8)


@SETTINGS
@given(binary_problems(max_n=40, weighted=False, large=False), st.booleans(), st.data())
def test_threshold_sweep_matches_a_loop_over_thresholds(problem, use_grid, data):
    y, s, _ = problem
    if use_grid:
        extra = data.draw(st.lists(st.floats(-2e3, 2e3, allow_nan=False), max_size=6))
        thresholds = np.concatenate([np.asarray(extra), s[:3], [np.inf, -np.inf], np.arange(0.05, 1.0, 0.05)])
    else:
        thresholds = None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the sweep never warns
        sweep = curves.threshold_sweep(y, s, thresholds)
    grid = np.unique(s).astype(float) if thresholds is None else thresholds
    np.testing.assert_array_equal(sweep.thresholds, grid)
    ours = np.column_stack(
        [sweep.tp, sweep.fp, sweep.tn, sweep.fn, sweep.precision, sweep.recall, sweep.f1, sweep.accuracy]
    )
    np.testing.assert_allclose(ours, brute_force_sweep(y, s, grid), rtol=0, atol=1e-12)


@settings(max_examples=150, deadline=None)
@given(
    binary_problems(max_n=25, weighted=False, large=False), st.sampled_from(["f1", "precision", "recall", "accuracy"])
)
def test_best_threshold_and_range_match_brute_force(problem, metric):
    y, s, _ = problem
    grid = np.unique(s).astype(float)
    column = {"precision": 4, "recall": 5, "f1": 6, "accuracy": 7}[metric]
    values = brute_force_sweep(y, s, grid)[:, column]
    best = values.max()
    threshold, score = curves.best_threshold(y, s, metric=metric)
    assert score == best
    assert threshold == grid[values == best].max()  # documented tie rule: the largest tied threshold
    low, high = curves.best_threshold_range(y, s, metric=metric)
    assert high == threshold
    # Every distinct score in (low, high] is tied; the one at low (if any) is not.
    inside = grid[(grid > low) & (grid <= high)]
    assert np.all(brute_force_sweep(y, s, inside)[:, column] == best)
    if np.isfinite(low):
        assert brute_force_sweep(y, s, [low])[0, column] < best
        assert low in grid
    # Halfway points inside the range give the same predictions, hence the same score.
    midpoints = (inside[1:] + inside[:-1]) / 2
    if len(midpoints):
        assert np.all(brute_force_sweep(y, s, midpoints)[:, column] == best)


@pytest.mark.parametrize("n", [1, 2, 5])
def test_tiny_inputs_all_agree(n):
    y = np.arange(n) % 2
    s = np.linspace(0, 1, n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for a, b in zip(curves.roc_curve(y, s), skm.roc_curve(y, s), strict=True):
            np.testing.assert_allclose(a, b, equal_nan=True)
        assert_close(curves.average_precision_score(y, s), skm.average_precision_score(y, s))

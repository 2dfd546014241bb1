"""MCC, balanced accuracy and Cohen's kappa agree with scikit-learn, and behave as the lesson says.

scikit-learn is the oracle (to 1e-12, same warnings) on random label pairs with
K up to 20, one class only, classes never predicted or never true, labels not
starting at 0, string labels and sample weights. Then the properties the lesson
teaches: chance-level classifiers score 0, MCC ignores which class is "positive".
"""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.metrics as skm
from _parity import assert_close, classes_and_labels, labels, parity_settings, run_both
from _reference_versions import needs
from hypothesis import given
from hypothesis import strategies as st

from course_lib.metrics.agreement import balanced_accuracy_score, cohen_kappa_score, matthews_corrcoef
from course_lib.metrics.validation import UndefinedMetricWarning

SETTINGS = parity_settings(300)


@st.composite
def label_pairs(draw, max_k=20, max_n=60):
    """y_true, y_pred over K classes (either side may miss some), optional weights."""
    k, y_true = draw(classes_and_labels(max_k, max_n))
    n = len(y_true)
    if draw(st.booleans()):  # a decent classifier: mostly right
        flips = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        y_pred = np.where(flips, (y_true + 1) % k, y_true)
    else:
        y_pred = draw(labels(k, n))
    kind = draw(st.sampled_from(["zero", "offset", "large", "str"]))
    if kind == "offset":
        y_true, y_pred = y_true - 2, y_pred - 2
    elif kind == "large":
        y_true, y_pred = y_true * 1000 + 5000, y_pred * 1000 + 5000  # beyond the direct-count table
    elif kind == "str":
        y_true, y_pred = np.array([f"c{v:02d}" for v in y_true]), np.array([f"c{v:02d}" for v in y_pred])
    weights = None
    if draw(st.booleans()):
        weights = np.array(draw(st.lists(st.floats(0.0, 5.0), min_size=n, max_size=n)))
        if weights.sum() == 0:
            weights[0] = 1.0
    return y_true, y_pred, weights


def same_number(ours, theirs):
    assert isinstance(ours, float)
    assert_close(ours, theirs)


def categories(caught):
    return {w.category for w in caught if not issubclass(w.category, RuntimeWarning)}


@SETTINGS
@given(label_pairs())
def test_mcc_matches_sklearn(case):
    y_true, y_pred, w = case
    ours, theirs, _, _ = run_both(matthews_corrcoef, skm.matthews_corrcoef, y_true, y_pred, sample_weight=w)
    same_number(ours, theirs)


@SETTINGS
@given(label_pairs(), st.booleans())
def test_balanced_accuracy_matches_sklearn(case, adjusted):
    y_true, y_pred, w = case
    ours, theirs, ours_w, theirs_w = run_both(
        balanced_accuracy_score, skm.balanced_accuracy_score, y_true, y_pred, sample_weight=w, adjusted=adjusted
    )
    n_true_classes = len(np.unique(y_true if w is None else y_true[w > 0]))
    if adjusted and n_true_classes == 1:
        # Documented difference: scikit-learn divides by 1 - 1/1 = 0 (nan or -inf); course_lib says nan.
        assert np.isnan(ours) and UndefinedMetricWarning in categories(ours_w)
        return
    same_number(ours, theirs)
    y_pred_only = any("y_pred contains classes not in y_true" in str(x.message) for x in theirs_w)
    assert y_pred_only == any("y_pred contains classes not in y_true" in str(x.message) for x in ours_w)


@needs("sklearn.metrics.cohen_kappa_score", parameter="replace_undefined_by")
@SETTINGS
@given(label_pairs(), st.sampled_from([None, "linear", "quadratic"]), st.sampled_from([np.nan, 0.0, -1.0, 0.5]))
def test_kappa_matches_sklearn(case, weights, replace):
    y_true, y_pred, w = case
    ours, theirs, ours_w, theirs_w = run_both(
        cohen_kappa_score,
        skm.cohen_kappa_score,
        y_true,
        y_pred,
        weights=weights,
        sample_weight=w,
        replace_undefined_by=replace,
    )
    if np.isnan(theirs):
        assert np.isnan(ours)
    else:
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
    undefined = lambda caught: any(issubclass(x.category, Warning) and "undefined" in str(x.message) for x in caught)  # noqa: E731
    assert undefined(ours_w) == undefined(theirs_w)


@SETTINGS
@given(label_pairs(max_k=8), st.data(), st.sampled_from([None, "linear", "quadratic"]))
def test_kappa_with_labels_matches_sklearn(case, data, weights):
    y_true, y_pred, w = case
    present = np.unique(np.concatenate([y_true, y_pred]))
    # A subset of the present labels (at least one from y_true), in a random order, maybe plus an unseen one.
    chosen = data.draw(st.lists(st.sampled_from(present.tolist()), min_size=1, max_size=len(present), unique=True))
    if not np.isin(chosen, y_true).any():
        chosen.append(y_true[0].item())
    labels = np.array(chosen)
    ours, theirs, _, _ = run_both(
        cohen_kappa_score, skm.cohen_kappa_score, y_true, y_pred, labels=labels, weights=weights, sample_weight=w
    )
    if np.isnan(theirs):
        assert np.isnan(ours)
    else:
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)


def test_big_counts_do_not_overflow():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 3, 3_000_000)
    y_pred = np.where(rng.random(y_true.size) < 0.6, y_true, rng.integers(0, 3, y_true.size))
    same_number(matthews_corrcoef(y_true, y_pred), skm.matthews_corrcoef(y_true, y_pred))
    same_number(cohen_kappa_score(y_true, y_pred), skm.cohen_kappa_score(y_true, y_pred))


# ---------------------------------------------------------------------------
# What the lesson teaches
# ---------------------------------------------------------------------------


def imbalanced(seed=0, n=10_000, rate=0.05):
    rng = np.random.default_rng(seed)
    return (rng.random(n) < rate).astype(int), rng


def test_majority_class_scores_zero_beyond_chance():
    y_true, _ = imbalanced()
    y_pred = np.zeros_like(y_true)
    assert skm.accuracy_score(y_true, y_pred) > 0.94  # looks excellent
    assert matthews_corrcoef(y_true, y_pred) == 0.0
    assert cohen_kappa_score(y_true, y_pred) == 0.0
    assert balanced_accuracy_score(y_true, y_pred) == 0.5
    assert balanced_accuracy_score(y_true, y_pred, adjusted=True) == 0.0


def test_random_guessing_scores_near_zero():
    y_true, rng = imbalanced()
    y_pred = (rng.random(y_true.size) < 0.5).astype(int)
    assert abs(matthews_corrcoef(y_true, y_pred)) < 0.03
    assert abs(cohen_kappa_score(y_true, y_pred)) < 0.03
    assert abs(balanced_accuracy_score(y_true, y_pred) - 0.5) < 0.03


def test_mcc_is_symmetric_in_the_classes_but_f1_is_not():
    y_true, rng = imbalanced()
    y_pred = np.where(rng.random(y_true.size) < 0.8, y_true, 1 - y_true)
    swapped_true, swapped_pred = 1 - y_true, 1 - y_pred
    assert matthews_corrcoef(y_true, y_pred) == pytest.approx(matthews_corrcoef(swapped_true, swapped_pred), abs=1e-15)
    assert skm.f1_score(y_true, y_pred) < 0.5 < skm.f1_score(swapped_true, swapped_pred)


def test_mcc_binary_formula_from_counts():
    tp, tn, fp, fn = 9, 6, 2, 3
    y_true = np.array([1] * tp + [0] * tn + [0] * fp + [1] * fn)
    y_pred = np.array([1] * tp + [0] * tn + [1] * fp + [0] * fn)
    by_hand = (tp * tn - fp * fn) / np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    assert matthews_corrcoef(y_true, y_pred) == pytest.approx(by_hand, abs=1e-15)


def test_kappa_weights_use_positions_in_labels():
    y1, y2 = [0, 1, 2, 2], [0, 2, 2, 1]
    reordered = cohen_kappa_score(y1, y2, labels=[2, 0, 1], weights="linear")
    assert reordered == pytest.approx(skm.cohen_kappa_score(y1, y2, labels=[2, 0, 1], weights="linear"), abs=1e-12)
    assert reordered != pytest.approx(cohen_kappa_score(y1, y2, weights="linear"))


def test_kappa_undefined_returns_the_replacement_with_a_warning():
    with pytest.warns(UndefinedMetricWarning, match="only one label in common"):
        assert cohen_kappa_score([1, 1], [1, 1], replace_undefined_by=0.25) == 0.25
    with pytest.warns(UndefinedMetricWarning, match="no sample"):
        assert np.isnan(cohen_kappa_score([1, 2], [3, 3], labels=[1, 4]))


# ---------------------------------------------------------------------------
# Bad input: the error names the argument
# ---------------------------------------------------------------------------

BAD_INPUTS = [
    (matthews_corrcoef, ([0, 1], [0, 1, 1]), {}, ValueError, "y_true"),
    (matthews_corrcoef, ([0, 1], [0.5, 1]), {}, ValueError, "y_pred"),
    (matthews_corrcoef, ([[0, 1], [1, 0]], [[0, 1], [1, 1]]), {}, ValueError, "y_true"),
    (matthews_corrcoef, ([0, 1], ["a", "b"]), {}, TypeError, "y_pred"),
    (matthews_corrcoef, ([0, 1], [0, 1]), {"sample_weight": [1, -1]}, ValueError, "sample_weight"),
    (balanced_accuracy_score, ([0, 1], [0, 1]), {"adjusted": "yes"}, TypeError, "adjusted"),
    (balanced_accuracy_score, ([], []), {}, ValueError, "y_true"),
    (balanced_accuracy_score, ([0, 1], [0, np.nan]), {}, ValueError, "y_pred"),
    (cohen_kappa_score, ([0, 1], [0, 1]), {"weights": "cubic"}, ValueError, "weights"),
    (cohen_kappa_score, ([0, 1], [0, 1]), {"weights": 2}, ValueError, "weights"),
    (cohen_kappa_score, ([0, 1], [0, 1]), {"replace_undefined_by": 2.0}, ValueError, "replace_undefined_by"),
    (cohen_kappa_score, ([0, 1], [0, 1]), {"replace_undefined_by": "nan"}, ValueError, "replace_undefined_by"),
    (cohen_kappa_score, ([0, 1], [0, 1]), {"labels": [5, 6]}, ValueError, "labels"),
    (cohen_kappa_score, ([0, 1], [0, 1]), {"labels": [0, 0]}, ValueError, "labels"),
    (cohen_kappa_score, ([0, 1], [0, 1, 1]), {}, ValueError, "y1"),
    (cohen_kappa_score, ([0, 1], [0.5, 1]), {}, ValueError, "y2"),
    (cohen_kappa_score, ([0, 1], ["a", "b"]), {}, TypeError, "y2"),
]


@pytest.mark.parametrize(("fn", "args", "kwargs", "error", "needle"), BAD_INPUTS)
def test_bad_input_names_the_argument(fn, args, kwargs, error, needle):
    with pytest.raises(error, match=f"`{needle}`"):
        fn(*args, **kwargs)

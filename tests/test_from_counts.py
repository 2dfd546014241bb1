"""The count spine: scores from a K x K table or per-threshold counts equal the label-based functions and scikit-learn.

Every label-based score validates, counts and calls a count-level function; these tests check the count-level
functions directly (against scikit-learn on the labels the table came from), check that a batch of tables gives the
same numbers as one call per table, and that each faster path equals the plain definition it stands beside.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from _parity import binary_labels_with_grid_values, classes_and_labels, parity_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.metrics.confusion import confusion_matrix
from course_lib.metrics.from_counts import (
    accuracy_from_table,
    average_over_classes,
    balanced_accuracy_from_table,
    check_table,
    cohen_kappa_from_table,
    counts_from_table,
    matthews_corrcoef_from_table,
    scores_from_counts,
    scores_from_table,
)
from course_lib.metrics.ranking_counts import (
    average_precision_from_counts,
    counts_at_distinct_scores,
    counts_from_bins,
    ranking_sums,
    roc_auc_from_counts,
    row_ranks,
    rowwise_average_precision,
    rowwise_roc_auc,
)
from course_lib.metrics.validation import check_bool, check_int, check_option, check_real

SETTINGS = parity_settings(300)


@st.composite
def label_pairs(draw):
    """``(labels, y_true, y_pred)``: labels among K classes, a prediction that is often right."""
    k, y_true = draw(classes_and_labels(max_k=6, max_n=80))
    noise = np.array(draw(st.lists(st.integers(0, k - 1), min_size=len(y_true), max_size=len(y_true))))
    keep = np.array(draw(st.lists(st.booleans(), min_size=len(y_true), max_size=len(y_true))))
    y_pred = np.where(keep, y_true, noise)
    return np.arange(k), y_true, y_pred


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


# --------------------------------------------------------------------------- a K x K table


@SETTINGS
@given(label_pairs(), st.sampled_from([None, "micro", "macro", "weighted"]), st.sampled_from([0.5, 1.0, 2.0]))
def test_scores_from_table_equal_scikit_learn_on_the_labels(pair, average, beta):
    labels, y_true, y_pred = pair
    table = confusion_matrix(y_true, y_pred, labels=labels)
    ours = _quiet(scores_from_table, table, beta=beta, average=average, zero_division=0)
    theirs = _quiet(
        skm.precision_recall_fscore_support, y_true, y_pred, beta=beta, labels=labels, average=average, zero_division=0
    )
    for a, b in zip(ours, theirs, strict=True):
        if b is None:
            assert a is None
        else:
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


@SETTINGS
@given(label_pairs())
def test_chance_corrected_scores_from_table_equal_scikit_learn(pair):
    labels, y_true, y_pred = pair
    table = confusion_matrix(y_true, y_pred, labels=labels)
    present = np.isin(labels, np.concatenate([y_true, y_pred]))
    compact = table[np.ix_(present, present)]  # scikit-learn's tables hold only the labels present
    assert accuracy_from_table(table) == pytest.approx(skm.accuracy_score(y_true, y_pred), abs=1e-12)
    assert matthews_corrcoef_from_table(table) == pytest.approx(skm.matthews_corrcoef(y_true, y_pred), abs=1e-12)
    assert _quiet(balanced_accuracy_from_table, compact) == pytest.approx(
        _quiet(skm.balanced_accuracy_score, y_true, y_pred), abs=1e-12, nan_ok=True
    )
    for weights in (None, "linear", "quadratic"):
        ours = _quiet(cohen_kappa_from_table, compact, weights=weights)
        theirs = _quiet(skm.cohen_kappa_score, y_true, y_pred, weights=weights)
        assert ours == pytest.approx(theirs, abs=1e-12, nan_ok=True)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5), st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_a_batch_of_tables_gives_one_call_per_table(k, n_tables, seed):
    """Bootstrap tables: a multinomial draw over the cells, all scored in one call."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 20, size=(k, k))
    base[0, 0] += 1
    tables = rng.multinomial(int(base.sum()), base.ravel() / base.sum(), size=n_tables).reshape(n_tables, k, k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        batched = {
            "accuracy": accuracy_from_table(tables),
            "mcc": matthews_corrcoef_from_table(tables),
            "kappa": cohen_kappa_from_table(tables, weights="quadratic"),
            "balanced": balanced_accuracy_from_table(tables, adjusted=True),
            "macro_f1": scores_from_table(tables, average="macro", zero_division=0)[2],
            "micro_f1": scores_from_table(tables, average="micro", zero_division=0)[2],
            "weighted_recall": scores_from_table(tables, average="weighted", zero_division=0)[1],
        }
        one_by_one = {
            "accuracy": [accuracy_from_table(t) for t in tables],
            "mcc": [matthews_corrcoef_from_table(t) for t in tables],
            "kappa": [cohen_kappa_from_table(t, weights="quadratic") for t in tables],
            "balanced": [balanced_accuracy_from_table(t, adjusted=True) for t in tables],
            "macro_f1": [scores_from_table(t, average="macro", zero_division=0)[2] for t in tables],
            "micro_f1": [scores_from_table(t, average="micro", zero_division=0)[2] for t in tables],
            "weighted_recall": [scores_from_table(t, average="weighted", zero_division=0)[1] for t in tables],
        }
    for name, values in batched.items():
        assert values.shape == (n_tables,), name
        np.testing.assert_allclose(values, one_by_one[name], rtol=0, atol=1e-12, err_msg=name)


def test_counts_from_table_reads_the_diagonal_columns_and_rows():
    tp, fp, fn = counts_from_table([[5, 1, 0], [2, 3, 1], [0, 0, 4]])
    np.testing.assert_array_equal(tp, [5, 3, 4])
    np.testing.assert_array_equal(fp, [2, 1, 1])
    np.testing.assert_array_equal(fn, [1, 3, 0])


def test_micro_sums_the_counts_over_the_last_axis_first():
    p, r, f, support = scores_from_counts([[3, 1]], [[1, 2]], [[0, 2]], average="micro")
    assert support is None
    np.testing.assert_allclose(p, [4 / 7])
    np.testing.assert_allclose(r, [4 / 6])
    np.testing.assert_allclose(f, [8 / 13])  # 2 TP / (2 TP + FP + FN) with TP 4, FP 3, FN 2


@pytest.mark.parametrize(
    ("table", "error", "needle"),
    [
        ([[1, 2], [3]], ValueError, "table"),
        ([[1, -2], [3, 4]], ValueError, "table"),
        ([[1, np.nan], [3, 4]], ValueError, "table"),
        ([[1, 2, 3]], ValueError, "table"),
        ([["a", "b"], ["c", "d"]], TypeError, "table"),
    ],
)
def test_bad_tables_name_the_argument(table, error, needle):
    with pytest.raises(error, match=f"`{needle}`"):
        check_table(table)


# --------------------------------------------------------------------------- averaging over classes


def test_average_over_classes_set_based_rule_skips_nan_and_falls_back_to_the_plain_mean():
    assert average_over_classes([0.5, np.nan, 1.0], "macro", skip_nan=True) == 0.75
    assert average_over_classes([0.5, 1.0], "weighted", weights=[0, 0], skip_nan=True) == 0.75
    assert np.isnan(average_over_classes([np.nan, np.nan], "macro", skip_nan=True))


def test_average_over_classes_ranking_rule_zeroes_weightless_classes():
    assert average_over_classes([0.5, np.nan, 1.0], "weighted", weights=[1, 0, 3]) == pytest.approx(0.875)
    assert average_over_classes([0.5, np.nan], "weighted", weights=[0, 0]) == 0.0
    assert np.isnan(average_over_classes([0.5, np.nan], "macro"))
    np.testing.assert_array_equal(average_over_classes([[1.0, 0.0], [0.5, 0.5]], "macro"), [0.5, 0.5])


# --------------------------------------------------------------------------- per-threshold counts


@SETTINGS
@given(binary_labels_with_grid_values(low=0, high=8, scale=8, max_n=60))
def test_counts_to_areas_equal_scikit_learn_and_every_other_path(data):
    y, s = data
    counts = counts_at_distinct_scores(y == 1, s)
    auc = roc_auc_from_counts(counts.fps, counts.tps)
    ap = average_precision_from_counts(counts.fps, counts.tps)
    assert auc == pytest.approx(skm.roc_auc_score(y, s), abs=1e-12)
    assert ap == pytest.approx(skm.average_precision_score(y, s), abs=1e-12)
    # The additive form over bins (one bin per distinct score here) ...
    negatives = np.bincount(np.searchsorted(counts.thresholds, s[y == 0]), minlength=len(counts.thresholds))
    positives = np.bincount(np.searchsorted(counts.thresholds, s[y == 1]), minlength=len(counts.thresholds))
    twice_u, precision_sum = ranking_sums(negatives, positives)
    assert twice_u / (2 * counts.n_pos * counts.n_neg) == pytest.approx(auc, abs=1e-12)
    assert precision_sum / counts.n_pos == pytest.approx(ap, abs=1e-12)
    # ... the cumulative counts rebuilt from those bins ...
    fps, tps = counts_from_bins(negatives, positives)
    np.testing.assert_array_equal(fps, counts.fps)
    np.testing.assert_array_equal(tps, counts.tps)
    # ... and the rank-based fast path for many rows at once all agree.
    ranks = row_ranks((y == 1)[None, :], s[None, :])
    assert rowwise_roc_auc(ranks)[0] == pytest.approx(auc, abs=1e-12)
    assert rowwise_average_precision(ranks)[0] == pytest.approx(ap, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(1, 30), st.integers(0, 2**32 - 1))
def test_a_batch_of_binned_counts_gives_one_call_per_row(n_bins, n_rows, seed):
    rng = np.random.default_rng(seed)
    negatives = rng.integers(0, 5, size=(n_rows, n_bins))
    positives = rng.integers(0, 5, size=(n_rows, n_bins))
    fps, tps = counts_from_bins(negatives, positives)
    auc, ap = roc_auc_from_counts(fps, tps), average_precision_from_counts(fps, tps)
    assert auc.shape == ap.shape == (n_rows,)
    for i in range(n_rows):
        np.testing.assert_allclose(auc[i], roc_auc_from_counts(fps[i], tps[i]), rtol=0, atol=1e-12)
        np.testing.assert_allclose(ap[i], average_precision_from_counts(fps[i], tps[i]), rtol=0, atol=1e-12)
        n_pos, n_neg = positives[i].sum(), negatives[i].sum()
        twice_u, precision_sum = ranking_sums(negatives[i], positives[i])
        if n_pos and n_neg:
            assert auc[i] == pytest.approx(twice_u / (2 * n_pos * n_neg), abs=1e-12)
        else:
            assert np.isnan(auc[i])
        assert ap[i] == pytest.approx(precision_sum / n_pos if n_pos else 0.0, abs=1e-12)


# --------------------------------------------------------------------------- one validation policy


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: check_int(2.5, "n_bins", minimum=1), TypeError),
        (lambda: check_int(True, "n_bins", minimum=1), TypeError),
        (lambda: check_int("3", "n_bins", minimum=1), TypeError),
        (lambda: check_int(0, "n_bins", minimum=1), ValueError),
        (lambda: check_int(11, "n_bins", minimum=1, maximum=10), ValueError),
        (lambda: check_real("0.5", "max_fpr", low=0, high=1), TypeError),
        (lambda: check_real(True, "max_fpr", low=0, high=1), TypeError),
        (lambda: check_real(0.0, "max_fpr", low=0, high=1, low_open=True), ValueError),
        (lambda: check_real(float("nan"), "max_fpr", low=0, high=1), ValueError),
        (lambda: check_real(float("inf"), "threshold"), ValueError),
        (lambda: check_bool(1, "adjusted"), TypeError),
        (lambda: check_option("mean", "average", ("macro", None)), ValueError),
        (lambda: check_option(np.array(["macro"]), "average", ("macro", None)), ValueError),
    ],
)
def test_wrong_type_is_a_type_error_and_wrong_value_a_value_error(call, error):
    with pytest.raises(error, match=r"Expected argument `\w+` to be"):
        call()


def test_the_checks_return_plain_python_values():
    assert check_int(np.int64(3), "k", minimum=1) == 3 and type(check_int(np.int64(3), "k")) is int
    assert check_real(np.float32(0.5), "x", low=0, high=1) == 0.5
    assert check_bool(np.bool_(True), "flag") is True
    assert check_option(None, "average", ("macro", None)) is None

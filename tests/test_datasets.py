"""The worked examples reproduce the textbook's numbers (checked with scikit-learn as the oracle);
the generators are exact, seeded, and draw from one population per parameter set."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm
from sklearn import metrics as skm

from course_lib.teaching.datasets import (
    eight_samples,
    imbalanced_labels,
    make_imbalanced_classification,
    make_scores,
    split_train_validation_test,
    three_class_samples,
    twenty_samples,
)

# --------------------------------------------------------------------------- worked examples


def test_twenty_samples_give_the_textbook_counts_and_scores():
    y_true, y_score = twenty_samples()
    assert y_true.shape == y_score.shape == (20,)
    assert y_true.dtype == np.int64 and y_score.dtype == np.float64
    y_pred = (y_score >= 0.5).astype(int)
    tn, fp, fn, tp = skm.confusion_matrix(y_true, y_pred).ravel()
    assert (tp, fp, tn, fn) == (9, 2, 6, 3)
    assert skm.accuracy_score(y_true, y_pred) == 0.75
    assert round(skm.precision_score(y_true, y_pred), 4) == 0.8182
    assert skm.recall_score(y_true, y_pred) == 0.75
    assert round(skm.f1_score(y_true, y_pred), 4) == 0.7826


def test_twenty_samples_best_f1_is_a_tie_over_a_range():
    y_true, y_score = twenty_samples()
    # Every threshold in (0.22, 0.35] gives TP=12, FP=2; just outside the range it does not.
    for t in (0.2201, 0.25, 0.30, 0.35):
        assert round(skm.f1_score(y_true, (y_score >= t).astype(int)), 4) == 0.9231
    for t in (0.22, 0.3501):
        assert skm.f1_score(y_true, (y_score >= t).astype(int)) < 0.9231


def test_eight_samples_give_the_textbook_areas():
    y_true, y_score = eight_samples()
    assert y_true.sum() == 4 and np.all(np.diff(y_score) < 0)
    assert skm.roc_auc_score(y_true, y_score) == 0.8125
    assert round(skm.average_precision_score(y_true, y_score), 4) == 0.8542


def test_three_class_samples_give_the_textbook_matrix_and_averages():
    y_true, y_pred = three_class_samples()
    np.testing.assert_array_equal(skm.confusion_matrix(y_true, y_pred), [[3, 1, 1], [1, 2, 0], [1, 1, 2]])
    assert round(skm.f1_score(y_true, y_pred, average="macro"), 3) == 0.581
    assert round(skm.f1_score(y_true, y_pred, average="weighted"), 3) == 0.583
    assert skm.f1_score(y_true, y_pred, average="micro") == skm.accuracy_score(y_true, y_pred) == 7 / 12


@pytest.mark.parametrize("load", [twenty_samples, eight_samples, three_class_samples])
def test_each_call_returns_fresh_arrays(load):
    first = load()
    first[0][:] = 99
    second = load()
    assert not np.any(second[0] == 99)


# --------------------------------------------------------------------------- imbalanced_labels


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 5000), rate=st.floats(0, 1), seed=st.integers(0, 2**32 - 1))
def test_imbalanced_labels_have_exactly_the_rounded_count(n, rate, seed):
    y = imbalanced_labels(n, rate, seed=seed)
    assert y.shape == (n,) and y.dtype == np.int64
    assert set(np.unique(y)) <= {0, 1}
    assert int(y.sum()) == round(n * rate)


def test_imbalanced_labels_are_seeded_and_shuffled():
    a, b, c = (imbalanced_labels(1000, 0.1, seed=s) for s in (3, 3, 4))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    # Shuffled: the positives are not all at the front.
    assert np.flatnonzero(a).max() > 100


def test_imbalanced_labels_fraud_example():
    y = imbalanced_labels(10_000, 0.005, seed=0)
    assert y.sum() == 50
    assert skm.accuracy_score(y, np.zeros_like(y)) == 0.995


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        (dict(n_samples=0, positive_rate=0.1), ValueError, "n_samples"),
        (dict(n_samples=10.0, positive_rate=0.1), TypeError, "n_samples"),
        (dict(n_samples=True, positive_rate=0.1), TypeError, "n_samples"),
        (dict(n_samples=10, positive_rate=1.5), ValueError, "positive_rate"),
        (dict(n_samples=10, positive_rate=-0.1), ValueError, "positive_rate"),
        (dict(n_samples=10, positive_rate="0.1"), TypeError, "positive_rate"),
    ],
)
def test_imbalanced_labels_bad_input(kwargs, error, name):
    with pytest.raises(error, match=f"`{name}`"):
        imbalanced_labels(**kwargs)


# --------------------------------------------------------------------------- make_scores


def test_make_scores_shape_range_and_seed():
    y, s = make_scores(2000, positive_rate=0.05, seed=7)
    assert y.sum() == 100 and s.shape == (2000,)
    assert np.all((s > 0) & (s < 1))
    y2, s2 = make_scores(2000, positive_rate=0.05, seed=7)
    np.testing.assert_array_equal(s, s2)
    assert not np.array_equal(s, make_scores(2000, positive_rate=0.05, seed=8)[1])


@pytest.mark.parametrize("separation", [0.0, 1.0, 2.0, 3.0])
def test_make_scores_roc_auc_matches_the_binormal_formula(separation):
    # 200k samples: the AUC's standard error is well under 0.005.
    y, s = make_scores(200_000, positive_rate=0.2, separation=separation, seed=1)
    expected = norm.cdf(separation / np.sqrt(2))
    assert abs(skm.roc_auc_score(y, s) - expected) < 0.006


def test_make_scores_roc_auc_does_not_depend_on_the_rate():
    aucs = [skm.roc_auc_score(*make_scores(100_000, positive_rate=r, seed=2)) for r in (0.5, 0.05)]
    assert abs(aucs[0] - aucs[1]) < 0.01


def test_make_scores_bad_separation():
    with pytest.raises(ValueError, match="`separation`"):
        make_scores(10, separation=-1.0)
    with pytest.raises(TypeError, match="`separation`"):
        make_scores(10, separation=float("nan"))


# --------------------------------------------------------------------------- make_imbalanced_classification


def test_classification_data_shift_only_the_informative_features():
    X, y = make_imbalanced_classification(40_000, positive_rate=0.25, n_features=5, n_informative=2, class_sep=1.5)
    assert X.shape == (40_000, 5) and y.sum() == 10_000
    shift = X[y == 1].mean(axis=0) - X[y == 0].mean(axis=0)
    np.testing.assert_allclose(shift[:2], 1.5, atol=0.05)
    np.testing.assert_allclose(shift[2:], 0.0, atol=0.05)
    np.testing.assert_allclose(X[y == 0].std(axis=0), 1.0, atol=0.03)


def test_classification_data_seeds_are_samples_of_one_population():
    a = make_imbalanced_classification(50_000, seed=1)
    b = make_imbalanced_classification(50_000, seed=2)
    assert not np.array_equal(a[0], b[0])
    np.testing.assert_allclose(a[0][a[1] == 1].mean(axis=0), b[0][b[1] == 1].mean(axis=0), atol=0.05)
    np.testing.assert_array_equal(a[0], make_imbalanced_classification(50_000, seed=1)[0])


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        (dict(n_features=0), ValueError, "n_features"),
        (dict(n_informative=0), ValueError, "n_informative"),
        (dict(n_features=3, n_informative=4), ValueError, "n_informative"),
        (dict(class_sep=-0.5), ValueError, "class_sep"),
        (dict(positive_rate=2.0), ValueError, "positive_rate"),
    ],
)
def test_classification_data_bad_input(kwargs, error, name):
    with pytest.raises(error, match=f"`{name}`"):
        make_imbalanced_classification(100, **kwargs)


# --------------------------------------------------------------------------- split_train_validation_test


@settings(max_examples=40, deadline=None)
@given(n=st.integers(50, 2000), seed=st.integers(0, 1000))
def test_split_partitions_the_rows_and_keeps_them_aligned(n, seed):
    X, y = make_imbalanced_classification(n, positive_rate=0.2, seed=seed)
    row_id = np.arange(n)
    parts = split_train_validation_test(X, y, row_id, stratify=y, seed=seed)
    X_parts, y_parts, id_parts = parts[0:3], parts[3:6], parts[6:9]
    together = np.concatenate(id_parts)
    assert sorted(together.tolist()) == list(range(n))  # every row once
    for Xp, yp, ids in zip(X_parts, y_parts, id_parts, strict=True):
        np.testing.assert_array_equal(Xp, X[ids])
        np.testing.assert_array_equal(yp, y[ids])


def test_split_sizes_and_stratification():
    X, y = make_imbalanced_classification(5000, positive_rate=0.1, seed=0)
    X_tr, X_va, X_te, y_tr, y_va, y_te = split_train_validation_test(X, y, stratify=y, seed=0)
    assert (len(y_tr), len(y_va), len(y_te)) == (3000, 1000, 1000)
    assert (y_tr.sum(), y_va.sum(), y_te.sum()) == (300, 100, 100)


def test_split_is_seeded():
    y = np.arange(100)
    first = split_train_validation_test(y, seed=5)
    np.testing.assert_array_equal(first[2], split_train_validation_test(y, seed=5)[2])
    assert not np.array_equal(first[2], split_train_validation_test(y, seed=6)[2])


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        (dict(validation_size=0.0), "validation_size"),
        (dict(test_size=1.0), "test_size"),
        (dict(validation_size=0.5, test_size=0.5), "test_size"),
    ],
)
def test_split_bad_sizes(kwargs, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        split_train_validation_test(np.arange(100), **kwargs)

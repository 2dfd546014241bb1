"""top_k_accuracy_score against scikit-learn 1.9, ties included, on thousands of random cases.

- K >= 3 columns: scores on a coarse grid (ties in most rows), classes absent from y_true
  (then ``labels=``), string labels, sample weights, normalize, every k from 1 to K + 1.
- K = 2 as one column (scikit-learn's own binary rule: strictly above 0.5, or above 0 for
  scores outside [0, 1]) and as two columns (scikit-learn refuses these; the oracle is
  scikit-learn with a third class that never scores higher).
- The per-rank counts give every k at once and add up across batches.
- Bad input names the argument.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_lib import top_k_accuracy_score
from course_lib.metrics.topk import top_k_accuracy_from_counts, true_class_rank_counts, true_class_ranks
from course_lib.metrics.validation import UndefinedMetricWarning

MANY = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LABEL_SETS = {"int": lambda k: list(range(k)), "offset": lambda k: [3 * i - 2 for i in range(k)],
              "str": lambda k: [f"c{i:02d}" for i in range(k)]}  # fmt: skip


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


@st.composite
def multiclass_case(draw, min_k=3, max_k=6, max_n=40):
    """(y_true, y_score, labels or None, sample_weight or None, k, normalize)."""
    n_classes = draw(st.integers(min_k, max_k))
    classes = LABEL_SETS[draw(st.sampled_from(sorted(LABEL_SETS)))](n_classes)
    n = draw(st.integers(1, max_n))
    codes = draw(st.lists(st.integers(0, n_classes - 1), min_size=n, max_size=n))
    y_true = np.array([classes[c] for c in codes])
    grid = draw(st.sampled_from([2, 3, 5, 1000]))  # a coarse grid makes ties the rule, not the exception
    y_score = np.array(draw(st.lists(st.integers(0, grid), min_size=n * n_classes, max_size=n * n_classes)))
    y_score = y_score.reshape(n, n_classes) / grid
    if draw(st.booleans()):
        y_score = y_score * 7 - 3  # decision values, not probabilities
    all_present = len(set(codes)) == n_classes
    labels = None if all_present and draw(st.booleans()) else np.array(classes)
    weights = None
    if draw(st.booleans()):
        weights = np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)), dtype=float)
        weights[0] += 1  # a positive total
    k = draw(st.integers(1, n_classes + 1))
    return y_true, y_score, labels, weights, k, draw(st.booleans())


@MANY
@given(multiclass_case())
def test_top_k_matches_sklearn_with_ties_absent_classes_and_weights(case):
    y_true, y_score, labels, weights, k, normalize = case
    kwargs = dict(k=k, normalize=normalize, sample_weight=weights, labels=labels)
    ours = quiet(top_k_accuracy_score, y_true, y_score, **kwargs)
    theirs = quiet(skm.top_k_accuracy_score, y_true, y_score, **kwargs)
    assert ours == pytest.approx(theirs, rel=1e-12, abs=1e-12)


@st.composite
def binary_case(draw, max_n=40):
    labels = draw(st.sampled_from([(0, 1), (-1, 1), (2, 7), ("ham", "spam")]))
    n = draw(st.integers(2, max_n))
    y_true = np.array(draw(st.lists(st.sampled_from(labels), min_size=n, max_size=n)))
    y_true[:2] = labels  # both classes present
    values = draw(st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0, -0.5, 0.0, 2.0]), min_size=n, max_size=n))
    y_score = np.array(values)
    if draw(st.booleans()):
        y_score = np.clip(y_score, 0, 1)  # probabilities: the threshold is 0.5
    weights = np.array(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)), dtype=float)
    return y_true, y_score, weights, draw(st.integers(1, 3)), draw(st.booleans())


@SOME
@given(binary_case())
def test_one_binary_score_column_follows_sklearns_rule(case):
    y_true, y_score, weights, k, weighted = case
    kwargs = dict(k=k, sample_weight=weights if weighted else None)
    assert quiet(top_k_accuracy_score, y_true, y_score, **kwargs) == pytest.approx(
        quiet(skm.top_k_accuracy_score, y_true, y_score, **kwargs), rel=1e-12
    )


@SOME
@given(multiclass_case(min_k=2, max_k=2))
def test_two_columns_equal_sklearn_with_a_third_class_that_never_wins(case):
    y_true, y_score, labels, weights, k, normalize = case
    classes = np.unique(y_true) if labels is None else labels
    if len(classes) < 2:
        return
    extra = "zz" if classes.dtype.kind == "U" else classes.max() + 1
    padded = np.column_stack([y_score, np.full(len(y_score), y_score.min() - 1)])
    kwargs = dict(k=k, normalize=normalize, sample_weight=weights)
    ours = quiet(top_k_accuracy_score, y_true, y_score, labels=labels, **kwargs)
    theirs = quiet(skm.top_k_accuracy_score, y_true, padded, labels=np.append(classes, extra), **kwargs)
    assert ours == pytest.approx(theirs, rel=1e-12, abs=1e-12)


def test_sklearn_refuses_two_columns_for_binary_y_true_and_course_lib_ranks_them():
    y_true, y_score = [0, 1, 1], [[0.7, 0.3], [0.5, 0.5], [0.2, 0.8]]
    with pytest.raises(ValueError):
        skm.top_k_accuracy_score(y_true, y_score, k=1)
    assert top_k_accuracy_score(y_true, y_score, k=1) == 1.0  # the tie [0.5, 0.5] goes to the larger label
    assert top_k_accuracy_score(y_true, [0.3, 0.5, 0.8], k=1) == pytest.approx(2 / 3)  # 1-D: needs > 0.5


def test_ties_rank_the_larger_column_first():
    y_score = [[0.4, 0.4, 0.2]] * 3
    assert true_class_ranks([0, 1, 2], y_score).tolist() == [1, 0, 2]
    assert top_k_accuracy_score([0, 1, 2], y_score, k=1) == skm.top_k_accuracy_score([0, 1, 2], y_score, k=1)


def test_rank_counts_give_every_k_and_add_up_across_batches():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 5, 300)
    y_score = rng.integers(0, 4, (300, 5)) / 3
    counts = true_class_rank_counts(y_true, y_score)
    for k in range(1, 5):
        assert top_k_accuracy_from_counts(counts, k) == pytest.approx(skm.top_k_accuracy_score(y_true, y_score, k=k))
    halves = [
        true_class_rank_counts(y_true[s], y_score[s], labels=np.arange(5)) for s in (slice(0, 120), slice(120, None))
    ]
    np.testing.assert_array_equal(halves[0] + halves[1], counts)


def test_k_at_least_the_number_of_classes_warns_and_scores_one():
    with pytest.warns(UndefinedMetricWarning, match="number of classes"):
        assert top_k_accuracy_score([0, 1, 2], np.eye(3), k=3) == 1.0


@pytest.mark.parametrize(
    ("kwargs", "error", "needle"),
    [
        (dict(k=0), ValueError, "`k`"),
        (dict(k=1.5), TypeError, "`k`"),
        (dict(k=True), TypeError, "`k`"),
        (dict(normalize="yes"), TypeError, "`normalize`"),
        (dict(y_score=[[0.2, 0.8], [0.5, 0.5], [0.1, 0.9]]), ValueError, "`y_score`"),  # 2 columns, 3 classes
        (dict(y_score=[0.2, 0.5, 0.9]), ValueError, "`y_score`"),  # 1-D, 3 classes
        (dict(y_score=[[0.2, np.nan, 0.8]] * 3), ValueError, "`y_score`"),
        (dict(y_score=[["a", "b", "c"]] * 3), TypeError, "`y_score`"),
        (dict(y_score=np.zeros((2, 3))), ValueError, "`y_true`"),  # lengths differ
        (dict(y_score=np.zeros((3, 3, 1))), ValueError, "`y_score`"),
        (dict(labels=[0, 1, 3]), ValueError, "`labels`"),  # y_true has a 2
        (dict(labels=[2, 1, 0]), ValueError, "`labels`"),  # not sorted
        (dict(sample_weight=[1.0, -1.0, 1.0]), ValueError, "`sample_weight`"),
        (dict(sample_weight=[0.0, 0.0, 0.0]), ValueError, "`sample_weight`"),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, needle):
    args = dict(y_true=[0, 1, 2], y_score=np.full((3, 3), 1 / 3), k=1)
    args.update(kwargs)
    with pytest.raises(error, match=needle):
        top_k_accuracy_score(args.pop("y_true"), args.pop("y_score"), **args)

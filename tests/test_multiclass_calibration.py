"""Top-label and class-wise ECE against torchmetrics and scikit-learn, on thousands of random cases.

- Top-label ECE equals torchmetrics' ``multiclass_calibration_error(norm="l1")`` with the same
  number of uniform bins (argmax ties included, K = 2 as two columns, classes absent from
  y_true). torchmetrics bins in float32 and left-closed, course_lib right-closed: the cases
  are float32 probabilities, and those lying within 1e-6 of an inner edge are set aside
  or of 1.0, which torchmetrics puts in a bin of its own (a separate test shows both).
- Class-wise ECE (Kull et al. 2019) equals the mean over classes of torchmetrics'
  ``binary_calibration_error`` on (column j, y == j), and a loop over scikit-learn's
  ``calibration_curve`` per class.
- Top-label ECE equals course_lib's ``expected_calibration_error`` on 2-D input.
- Rows that do not sum to 1, wrong shapes and bad options raise errors naming the argument.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.special import softmax
from sklearn.calibration import calibration_curve
from torchmetrics.functional.classification import binary_calibration_error
from torchmetrics.functional.classification import multiclass_calibration_error as tm_multiclass_calibration_error

from course_lib import classwise_calibration_error, expected_calibration_error, top_label_calibration_error
from course_lib.metrics.multiclass_calibration import (
    calibration_error_from_counts,
    multiclass_calibration_error,
    reliability_counts,
)

MANY = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def float32_case(draw, min_k=2, max_k=6, max_n=60):
    """(y_true codes, float32 probabilities (n, K), K, n_bins); logits drawn so argmax ties happen."""
    k = draw(st.integers(min_k, max_k))
    n = draw(st.integers(1, max_n))
    y_true = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    logits = np.array(
        draw(
            st.lists(
                st.one_of(st.sampled_from([0.0, 1.0]), st.floats(-6, 6, allow_subnormal=False)),
                min_size=n * k,
                max_size=n * k,
            )
        )
    ).reshape(n, k)
    scale = draw(st.sampled_from([0.3, 1.0, 4.0]))
    y_prob = softmax(logits * scale, axis=1).astype(np.float32)
    return y_true, y_prob, k, draw(st.sampled_from([1, 2, 5, 10, 15, 20]))


def off_the_edges(values: np.ndarray, n_bins: int) -> bool:
    """No value within 1e-6 of an inner edge or of 1.0 (torchmetrics gives exactly 1.0 a bin of its own)."""
    edges = np.linspace(0, 1, n_bins + 1)[1:]
    return bool(np.min(np.abs(values.astype(np.float64)[:, None] - edges[None, :])) > 1e-6)


@MANY
@given(float32_case())
def test_top_label_ece_matches_torchmetrics(case):
    y_true, y_prob, k, n_bins = case
    assume(off_the_edges(y_prob.max(axis=1), n_bins))
    theirs = tm_multiclass_calibration_error(
        torch.from_numpy(y_prob), torch.from_numpy(y_true), num_classes=k, n_bins=n_bins, norm="l1"
    )
    ours = top_label_calibration_error(y_true, y_prob, labels=np.arange(k), n_bins=n_bins)
    assert ours == pytest.approx(float(theirs), abs=2e-6)


@SOME
@given(float32_case())
def test_classwise_ece_is_the_mean_of_torchmetrics_binary_ece_per_class(case):
    y_true, y_prob, k, n_bins = case
    assume(off_the_edges(y_prob.ravel(), n_bins))
    per_class = [
        float(binary_calibration_error(torch.from_numpy(y_prob[:, j]), torch.from_numpy(y_true == j), n_bins=n_bins))
        for j in range(k)
    ]
    ours = classwise_calibration_error(y_true, y_prob, labels=np.arange(k), n_bins=n_bins)
    assert ours == pytest.approx(np.mean(per_class), abs=2e-6)


@SOME
@given(float32_case(min_k=3), st.sampled_from(["uniform", "quantile"]))
def test_classwise_ece_matches_a_loop_over_sklearns_calibration_curve(case, strategy):
    """Kull et al. (2019): (1/K) sum_j sum_b |B_jb|/n |freq_j(B_jb) - mean p_j(B_jb)|."""
    y_true, y_prob, k, n_bins = case
    p = y_prob.astype(np.float64)
    per_class = []
    for j in range(k):
        prob_true, prob_pred = calibration_curve(y_true == j, p[:, j], n_bins=n_bins, strategy=strategy)
        if strategy == "uniform":
            edges = np.linspace(0, 1, n_bins + 1)
        else:
            edges = np.percentile(p[:, j], np.linspace(0, 1, n_bins + 1) * 100)
        counts = np.bincount(np.searchsorted(edges[1:-1], p[:, j]), minlength=n_bins)
        per_class.append(counts[counts > 0] @ np.abs(prob_true - prob_pred) / len(p))
    ours = classwise_calibration_error(y_true, y_prob, labels=np.arange(k), n_bins=n_bins, strategy=strategy)
    assert ours == pytest.approx(np.mean(per_class), abs=1e-12)


@SOME
@given(float32_case(), st.sampled_from(["uniform", "quantile"]))
def test_top_label_ece_equals_expected_calibration_error_on_2d_input(case, strategy):
    y_true, y_prob, k, n_bins = case
    kwargs = dict(labels=np.arange(k), n_bins=n_bins, strategy=strategy)
    assert top_label_calibration_error(y_true, y_prob, **kwargs) == pytest.approx(
        expected_calibration_error(y_true, y_prob, **kwargs), abs=1e-12
    )


def test_the_one_difference_from_torchmetrics_is_a_value_on_an_edge():
    # Confidence 0.5 with 2 bins: course_lib's bin [0, 0.5], torchmetrics' [0.5, 1).
    y_prob = np.array([[0.5, 0.5], [0.5, 0.5], [0.9, 0.1]], dtype=np.float32)
    y_true = np.array([1, 1, 0])
    assert reliability_counts(y_true, y_prob, n_bins=2).counts.tolist() == [[2, 1]]
    theirs = tm_multiclass_calibration_error(
        torch.from_numpy(y_prob), torch.from_numpy(y_true), num_classes=2, n_bins=2
    )
    # Ours: (|0 - 1.0| + |1 - 0.9|) / 3; torchmetrics pools all three in one bin: |1 - 1.9| / 3.
    assert top_label_calibration_error(y_true, y_prob, n_bins=2) == pytest.approx(1.1 / 3, abs=1e-6)
    assert float(theirs) == pytest.approx(0.9 / 3, abs=1e-6)
    # A confidence of exactly 1.0: course_lib's last bin (0.8, 1], torchmetrics' own bin {1.0}.
    y_prob = np.array([[1.0, 0.0], [0.9, 0.1]], dtype=np.float32)
    y_true = np.array([1, 0])
    assert reliability_counts(y_true, y_prob, n_bins=5).counts.tolist() == [[0, 0, 0, 0, 2]]
    theirs = tm_multiclass_calibration_error(
        torch.from_numpy(y_prob), torch.from_numpy(y_true), num_classes=2, n_bins=5
    )
    assert top_label_calibration_error(y_true, y_prob, n_bins=5) == pytest.approx(0.9 / 2, abs=1e-6)
    assert float(theirs) == pytest.approx((1.0 + 0.1) / 2, abs=1e-6)


def test_top_label_calibrated_yet_classwise_miscalibrated():
    # The predicted class is right 62 % of the time at confidence 0.62, but the other two are swapped.
    y_prob = np.array([[0.62, 0.28, 0.10]] * 100)
    y_true = np.repeat([0, 1, 2], [62, 10, 28])
    assert top_label_calibration_error(y_true, y_prob) == pytest.approx(0.0, abs=1e-12)
    assert classwise_calibration_error(y_true, y_prob) == pytest.approx((0 + 0.18 + 0.18) / 3, abs=1e-12)


def test_counts_add_up_across_batches_and_give_the_same_ece():
    rng = np.random.default_rng(1)
    y_prob = softmax(rng.normal(size=(500, 4)) * 2, axis=1)
    y_true = rng.integers(0, 4, 500)
    whole = reliability_counts(y_true, y_prob, multiclass="classwise")
    parts = [reliability_counts(y_true[s], y_prob[s], multiclass="classwise", labels=np.arange(4))
             for s in (slice(0, 200), slice(200, None))]  # fmt: skip
    summed = [parts[0][i] + parts[1][i] for i in range(3)]
    np.testing.assert_allclose(calibration_error_from_counts(*summed), whole.row_errors(), atol=1e-12)
    assert whole.rows == (0, 1, 2, 3)
    assert whole.prob_true(2).shape == whole.prob_pred(2).shape


@pytest.mark.parametrize(
    ("y_prob", "kwargs", "error", "needle"),
    [
        ([[0.5, 0.3, 0.1]] * 3, {}, ValueError, "rows that sum to 1"),  # sums to 0.9
        ([[0.5, 0.3, 0.2 + 1e-6]] * 3, {}, ValueError, "`y_prob`"),  # off by 1e-6: beyond the tolerance
        ([[0.6, 0.6, -0.2]] * 3, {}, ValueError, "`y_prob`"),
        ([0.2, 0.5, 0.9], {}, ValueError, "`y_prob`"),  # 1-D
        ([[0.5, 0.5]] * 3, {}, ValueError, "`y_prob`"),  # 2 columns, 3 classes
        ([[0.2, 0.3, 0.5]] * 3, {"multiclass": "top"}, ValueError, "`multiclass`"),
        ([[0.2, 0.3, 0.5]] * 3, {"n_bins": 0}, ValueError, "`n_bins`"),
        ([[0.2, 0.3, 0.5]] * 3, {"n_bins": 2.5}, TypeError, "`n_bins`"),
        ([[0.2, 0.3, 0.5]] * 3, {"strategy": "equal"}, ValueError, "`strategy`"),
        ([[0.2, 0.3, 0.5]] * 2, {}, ValueError, "`y_true`"),  # lengths differ
        ([[0.2, 0.3, 0.5]] * 3, {"labels": [0, 1, 5]}, ValueError, "`labels`"),
    ],
)
def test_bad_input_names_the_argument(y_prob, kwargs, error, needle):
    with pytest.raises(error, match=needle):
        multiclass_calibration_error([0, 1, 2], y_prob, **kwargs)


def test_float32_rows_get_float32s_tolerance():
    y_prob = softmax(np.random.default_rng(2).normal(size=(50, 3)), axis=1).astype(np.float32)
    assert 0 <= top_label_calibration_error(np.arange(50) % 3, y_prob) <= 1


@SOME
@given(float32_case(), st.sampled_from(["uniform", "quantile"]))
def test_expected_calibration_error_multiclass_option_delegates(case, strategy):
    y_true, y_prob, k, n_bins = case
    kwargs = dict(labels=np.arange(k), n_bins=n_bins, strategy=strategy)
    for option in ("top-label", "classwise"):
        assert expected_calibration_error(y_true, y_prob, multiclass=option, **kwargs) == pytest.approx(
            multiclass_calibration_error(y_true, y_prob, multiclass=option, **kwargs), abs=1e-12
        )


def test_expected_calibration_error_multiclass_option_is_checked():
    with pytest.raises(ValueError, match="`multiclass`"):
        expected_calibration_error([0, 1, 2], np.eye(3), multiclass="class-wise")
    with pytest.raises(ValueError, match="`y_prob`"):
        expected_calibration_error([0, 1, 1], [0.2, 0.7, 0.9], multiclass="classwise")  # 1-D: one binary column
    assert expected_calibration_error([0, 1, 1], [0.2, 0.7, 0.9], n_bins=2) == pytest.approx(
        expected_calibration_error([0, 1, 1], [0.2, 0.7, 0.9], n_bins=2, multiclass="top-label")
    )

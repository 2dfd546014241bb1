"""Lesson 09's checks against mistakes written the way a learner writes them."""

from __future__ import annotations

import math

import numpy as np
from _checks_helpers import assert_diagnosed

from course_lib.checks import lesson09 as check

# --------------------------------------------------------------------------------------------------- q1 MCC


def test_q1_correct_plain_python_passes():
    def mcc_from_counts(tp, fp, fn, tn):
        denominator = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
        return (tp * tn - fp * fn) / denominator if denominator else 0.0

    assert check.q1.check(mcc_from_counts, seed=0).status == "correct"


def test_q1_missing_square_root_is_diagnosed():
    def mcc_from_counts(tp, fp, fn, tn):
        denominator = (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)
        return (tp * tn - fp * fn) / denominator if denominator else 0.0

    assert_diagnosed(check.q1, mcc_from_counts, "_no_square_root")


def test_q1_plus_in_the_numerator_is_diagnosed():
    def mcc_from_counts(tp, fp, fn, tn):
        denominator = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
        return (tp * tn + fp * fn) / denominator if denominator else 0.0

    assert_diagnosed(check.q1, mcc_from_counts, "_plus_in_numerator")


def test_q1_nan_for_zero_over_zero_is_diagnosed():
    def mcc_from_counts(tp, fp, fn, tn):
        with np.errstate(invalid="ignore", divide="ignore"):
            return float(
                np.float64(tp * tn - fp * fn) / np.sqrt(np.float64((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)))
            )

    assert_diagnosed(check.q1, mcc_from_counts, "_nan_when_undefined")


def test_q1_zero_division_error_gets_the_hint():
    def mcc_from_counts(tp, fp, fn, tn):
        return (tp * tn - fp * fn) / math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))

    outcome = check.q1.check(mcc_from_counts, seed=0)
    assert outcome.status == "error"
    assert "return 0.0" in str(outcome)


# --------------------------------------------------------------------------------------------------- q2 ECE


def _ece_loop(y_true, y_prob, n_bins, *, left_closed=False, weighted=True, n_edges=None):
    y_true, y_prob = np.asarray(y_true, dtype=float), np.asarray(y_prob, dtype=float)
    edges = np.linspace(0, 1, n_edges or n_bins + 1)
    if left_closed:  # the floor(p * n) habit: an edge value goes to the bin on its right
        bins = np.minimum(np.floor(y_prob * (len(edges) - 1)).astype(int), len(edges) - 2)
    else:
        bins = np.searchsorted(edges[1:-1], y_prob)
    gaps, shares = [], []
    for b in range(len(edges) - 1):
        members = bins == b
        if members.any():
            gaps.append(abs(y_true[members].mean() - y_prob[members].mean()))
            shares.append(members.mean())
    return float(np.dot(shares, gaps)) if weighted else float(np.mean(gaps))


def test_q2_correct_loop_passes():
    assert check.q2.check(_ece_loop, seed=0).status == "correct"


def test_q2_left_closed_bins_are_diagnosed():
    def expected_calibration_error(y_true, y_prob, n_bins):
        return _ece_loop(y_true, y_prob, n_bins, left_closed=True)

    assert_diagnosed(check.q2, expected_calibration_error, "_left_closed")


def test_q2_unweighted_mean_of_the_gaps_is_diagnosed():
    def expected_calibration_error(y_true, y_prob, n_bins):
        return _ece_loop(y_true, y_prob, n_bins, weighted=False)

    assert_diagnosed(check.q2, expected_calibration_error, "_unweighted")


def test_q2_one_edge_short_is_diagnosed():
    def expected_calibration_error(y_true, y_prob, n_bins):
        return _ece_loop(y_true, y_prob, n_bins, n_edges=n_bins)  # np.linspace(0, 1, n_bins): one bin short

    assert_diagnosed(check.q2, expected_calibration_error, "_one_bin_short")


# --------------------------------------------------------------------------------------------------- q3 temperature


def _nll(z, y, t):
    p = 1 / (1 + np.exp(-np.asarray(z) / t))
    p = np.clip(p, 1e-15, 1 - 1e-15)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def _grid_then_golden(loss):
    """A learner's search: a log grid over T, then golden-section refinement."""
    grid = np.geomspace(1e-2, 1e2, 801)
    best = int(np.argmin([loss(t) for t in grid]))
    low, high = np.log(grid[max(best - 1, 0)]), np.log(grid[min(best + 1, len(grid) - 1)])
    ratio = (np.sqrt(5) - 1) / 2
    for _ in range(60):
        a, b = high - ratio * (high - low), low + ratio * (high - low)
        if loss(np.exp(a)) < loss(np.exp(b)):
            high = b
        else:
            low = a
    return float(np.exp((low + high) / 2))


def test_q3_grid_search_with_refinement_passes():
    def fit_temperature(logits, y_true):
        y = np.asarray(y_true, dtype=float)
        return _grid_then_golden(lambda t: _nll(logits, y, t))

    assert check.q3.check(fit_temperature, seed=0).status == "correct"


def test_q3_multiplying_instead_of_dividing_is_diagnosed():
    def fit_temperature(logits, y_true):
        y = np.asarray(y_true, dtype=float)
        return _grid_then_golden(lambda t: _nll(logits, y, 1 / t))  # sigmoid(z * T)

    assert_diagnosed(check.q3, fit_temperature, "_inverse")


def test_q3_minimising_the_brier_score_is_diagnosed():
    def fit_temperature(logits, y_true):
        y = np.asarray(y_true, dtype=float)
        return _grid_then_golden(lambda t: np.mean((1 / (1 + np.exp(-np.asarray(logits) / t)) - y) ** 2))

    assert_diagnosed(check.q3, fit_temperature, "_minimises_brier")


# --------------------------------------------------------------------------------------------------- q4, q5 costs


def _decide(threshold_of):
    def cost_decisions(y_prob, c_fp, c_fn):
        return [1 if p >= threshold_of(c_fp, c_fn) else 0 for p in y_prob]

    return cost_decisions


def test_q4_the_expected_cost_comparison_written_out_passes():
    def cost_decisions(y_prob, c_fp, c_fn):
        return np.array([int((1 - p) * c_fp <= p * c_fn) for p in y_prob])

    assert check.q4.check(cost_decisions, seed=0).status == "correct"


def test_q4_swapped_costs_is_diagnosed():
    assert_diagnosed(check.q4, _decide(lambda c_fp, c_fn: c_fn / (c_fp + c_fn)), "_swapped_costs", seeds=range(3))


def test_q4_cost_ratio_as_threshold_is_diagnosed():
    assert_diagnosed(check.q4, _decide(lambda c_fp, c_fn: c_fp / c_fn), "_ratio_threshold", seeds=range(3))


def test_q4_strict_inequality_is_diagnosed():
    def cost_decisions(y_prob, c_fp, c_fn):
        return [1 if p > c_fp / (c_fp + c_fn) else 0 for p in y_prob]

    assert_diagnosed(check.q4, cost_decisions, "_strict_cost_threshold", seeds=range(3))


def test_q4_half_whatever_the_costs_is_diagnosed():
    assert_diagnosed(check.q4, _decide(lambda c_fp, c_fn: 0.5), "_always_half", seeds=range(3))


def _cost_loop(y_true, y_prob, thresholds, c_fp, c_fn, *, strict=False, mean=True, swap=False):
    if swap:
        c_fp, c_fn = c_fn, c_fp
    out = []
    for t in thresholds:
        fp = sum(1 for y, p in zip(y_true, y_prob, strict=True) if (p > t if strict else p >= t) and y == 0)
        fn = sum(1 for y, p in zip(y_true, y_prob, strict=True) if not (p > t if strict else p >= t) and y == 1)
        total = c_fp * fp + c_fn * fn
        out.append(total / len(y_true) if mean else total)
    return out


def test_q5_plain_loop_passes_and_matches_a_scikit_learn_confusion_matrix():
    from sklearn.metrics import confusion_matrix

    assert check.q5.check(lambda *a, **k: _cost_loop(*a, **k), seed=0).status == "correct"
    for case in check.q5.cases(seed=1, n_random=100):
        y_true, y_prob, thresholds = case.args
        c_fp, c_fn = case.kwargs["c_fp"], case.kwargs["c_fn"]
        expected = []
        for t in thresholds:
            tn, fp, fn, tp = confusion_matrix(y_true, (y_prob >= t).astype(int), labels=[0, 1]).ravel()
            expected.append((c_fp * fp + c_fn * fn) / len(y_true))
        np.testing.assert_allclose(check.q5.expected(case).value, expected, rtol=1e-12)


def test_q5_mistakes_are_diagnosed():
    def swapped(y_true, y_prob, thresholds, c_fp, c_fn):
        return _cost_loop(y_true, y_prob, thresholds, c_fp, c_fn, swap=True)

    def total(y_true, y_prob, thresholds, c_fp, c_fn):
        return _cost_loop(y_true, y_prob, thresholds, c_fp, c_fn, mean=False)

    def strict(y_true, y_prob, thresholds, c_fp, c_fn):
        return _cost_loop(y_true, y_prob, thresholds, c_fp, c_fn, strict=True)

    assert_diagnosed(check.q5, swapped, "_swapped_cost_weights", seeds=range(3))
    assert_diagnosed(check.q5, total, "_total_cost", seeds=range(3))
    assert_diagnosed(check.q5, strict, "_strict_sweep", seeds=range(3))


# --------------------------------------------------------------------------------------------------- q6 kappa


def _kappa(tp, fp, fn, tn, chance):
    n = tp + fp + fn + tn
    p_o, p_e = (tp + tn) / n, chance(tp, fp, fn, tn) / n**2
    return (p_o - p_e) / (1 - p_e) if p_e != 1 else 0.0


def test_q6_reference_agrees_with_scikit_learn_and_a_plain_answer_passes():
    import warnings

    from sklearn.metrics import cohen_kappa_score

    def kappa_from_counts(tp, fp, fn, tn):
        return _kappa(tp, fp, fn, tn, lambda tp, fp, fn, tn: (tp + fp) * (tp + fn) + (tn + fn) * (tn + fp))

    assert check.q6.check(kappa_from_counts, seed=0).status == "correct"
    for case in check.q6.cases(seed=7, n_random=100):
        tp, fp, fn, tn = case.args
        y_true = [1] * tp + [0] * fp + [1] * fn + [0] * tn  # labels rebuilt here only to ask scikit-learn
        y_pred = [1] * tp + [1] * fp + [0] * fn + [0] * tn
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = cohen_kappa_score(y_true, y_pred, replace_undefined_by=0.0)
        assert np.isclose(float(check.q6.expected(case).value), expected)


def test_q6_mistakes_are_diagnosed():
    def positive_only(tp, fp, fn, tn):
        return _kappa(tp, fp, fn, tn, lambda tp, fp, fn, tn: (tp + fp) * (tp + fn))

    def truth_rates(tp, fp, fn, tn):
        return _kappa(tp, fp, fn, tn, lambda tp, fp, fn, tn: (tp + fn) ** 2 + (tn + fp) ** 2)

    def accuracy(tp, fp, fn, tn):
        return (tp + tn) / (tp + fp + fn + tn)

    assert_diagnosed(check.q6, positive_only, "_positive_chance_only", seeds=range(3))
    assert_diagnosed(check.q6, truth_rates, "_truth_rates_squared", seeds=range(3))
    assert_diagnosed(check.q6, accuracy, "_accuracy_not_kappa", seeds=range(3))

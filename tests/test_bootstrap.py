"""bootstrap_interval and paired_bootstrap: counts drawn as multinomials have the row bootstrap's distribution."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from scipy import stats

import course_lib as cl
from course_lib import bootstrap_interval, delong_test, mcnemar_test, paired_bootstrap


def _classifier(n, prevalence=0.3, recall=0.75, fpr=0.1, seed=0, k=2):
    rng = np.random.default_rng(seed)
    if k == 2:
        y = (rng.random(n) < prevalence).astype(int)
        p = np.where(y == 1, rng.random(n) < recall, rng.random(n) < fpr).astype(int)
    else:
        y = rng.integers(0, k, n)
        p = np.where(rng.random(n) < 0.7, y, rng.integers(0, k, n))
    return y, p


def _rows(metric, **kwargs):
    """The same metric behind a wrapper, so bootstrap_interval takes the row path."""
    return lambda t, p: metric(t, p, **kwargs)


def _same_distribution(a, b, tolerance):
    assert stats.ks_2samp(a, b).pvalue > 1e-3
    quantiles = [0.025, 0.25, 0.5, 0.75, 0.975]
    np.testing.assert_allclose(np.quantile(a, quantiles), np.quantile(b, quantiles), atol=tolerance)


@pytest.mark.parametrize(
    ("metric", "kwargs", "k"),
    [
        (cl.f1_score, {}, 2),
        (cl.precision_score, {"zero_division": 0.0}, 2),
        (cl.matthews_corrcoef, {}, 3),
        (cl.f1_score, {"average": "macro"}, 3),
    ],
)
def test_counts_path_has_the_row_bootstrap_distribution(metric, kwargs, k):
    y, p = _classifier(300, k=k)
    counts = bootstrap_interval(metric, y, p, n_resamples=4000, random_state=1, **kwargs)
    rows = bootstrap_interval(_rows(metric, **kwargs), y, p, n_resamples=2500, random_state=2)
    assert (counts.path, rows.path) == ("counts", "rows")
    assert counts.estimate == rows.estimate == metric(y, p, **kwargs)
    _same_distribution(counts.resamples, rows.resamples, tolerance=0.012)


@pytest.mark.parametrize("metric", [cl.roc_auc_score, cl.average_precision_score])
def test_ranking_counts_have_the_row_bootstrap_distribution(metric):
    rng = np.random.default_rng(3)
    y = (rng.random(400) < 0.3).astype(int)
    score = np.round(rng.normal(size=400) + y, 1)  # ties: many rows share a distinct score
    counts = bootstrap_interval(metric, y, score, n_resamples=3000, random_state=4)
    rows = bootstrap_interval(_rows(metric), y, score, n_resamples=3000, random_state=5)
    assert counts.path == "ranking counts"
    _same_distribution(counts.resamples, rows.resamples, tolerance=0.012)


def test_scikit_learn_metrics_take_the_row_path_and_agree():
    y, p = _classifier(500, seed=6)
    ours = bootstrap_interval(cl.f1_score, y, p, n_resamples=3000, random_state=7)
    theirs = bootstrap_interval(skm.f1_score, y, p, n_resamples=600, random_state=8)  # scikit-learn: ms per call
    assert theirs.path == "rows"
    assert ours.estimate == pytest.approx(theirs.estimate, abs=1e-15)
    assert ours.low == pytest.approx(theirs.low, abs=0.025) and ours.high == pytest.approx(theirs.high, abs=0.025)


def test_stratified_resamples_keep_the_class_sizes():
    y, p = _classifier(400, seed=9)
    positives = int(y.sum())
    result = bootstrap_interval(cl.recall_score, y, p, n_resamples=5000, stratify=True, random_state=10)
    tp = result.resamples * positives
    np.testing.assert_allclose(tp, np.round(tp), atol=1e-9)  # every resample has exactly P positives
    recall = result.estimate
    assert result.resamples.var() == pytest.approx(recall * (1 - recall) / positives, rel=0.08)  # Binomial(P, r) / P


def test_bca_matches_scipy():
    """Same data, method BCa: scipy.stats.bootstrap with a vectorised F1 of the paired arrays."""
    y, p = _classifier(250, seed=11)

    def f1(t, q, axis=-1):
        tp = np.sum(t * q, axis=axis)
        return 2 * tp / (np.sum(t, axis=axis) + np.sum(q, axis=axis))

    theirs = stats.bootstrap((y, p), f1, paired=True, vectorized=True, n_resamples=20000, method="BCa", random_state=12)
    ours = bootstrap_interval(cl.f1_score, y, p, n_resamples=20000, method="bca", random_state=13)
    assert ours.low == pytest.approx(theirs.confidence_interval.low, abs=0.006)
    assert ours.high == pytest.approx(theirs.confidence_interval.high, abs=0.006)
    correct = (y == p).astype(float)
    theirs = stats.bootstrap((correct,), np.mean, n_resamples=20000, method="BCa", random_state=14)
    ours = bootstrap_interval(cl.accuracy_score, y, p, n_resamples=20000, method="bca", random_state=15)
    assert ours.low == pytest.approx(theirs.confidence_interval.low, abs=0.006)
    assert ours.high == pytest.approx(theirs.confidence_interval.high, abs=0.006)


def test_bca_on_the_row_path_and_ranking_path_runs_and_brackets_the_estimate():
    y, p = _classifier(120, seed=16)
    rows = bootstrap_interval(_rows(cl.f1_score), y, p, n_resamples=500, method="bca", random_state=17)
    counts = bootstrap_interval(cl.f1_score, y, p, n_resamples=500, method="bca", random_state=17)
    assert rows.low <= rows.estimate <= rows.high
    assert rows.low == pytest.approx(counts.low, abs=0.05)
    score = p + np.random.default_rng(18).random(120)
    auc = bootstrap_interval(cl.roc_auc_score, y, score, n_resamples=500, method="bca", random_state=19)
    assert 0 <= auc.low <= auc.estimate <= auc.high <= 1


def test_percentile_f1_interval_covers_95_percent_at_moderate_n():
    """Test sets of 1,000 drawn from one population; the population F1 is computed from its cell probabilities."""
    prevalence, recall, fpr = 0.3, 0.75, 0.1
    p_tp, p_fn, p_fp = prevalence * recall, prevalence * (1 - recall), (1 - prevalence) * fpr
    true_f1 = 2 * p_tp / (2 * p_tp + p_fn + p_fp)
    hits, repetitions = 0, 600
    for seed in range(repetitions):
        y, p = _classifier(1000, prevalence, recall, fpr, seed=100 + seed)
        result = bootstrap_interval(cl.f1_score, y, p, n_resamples=1000, random_state=seed)
        hits += result.low <= true_f1 <= result.high
    assert 0.93 <= hits / repetitions <= 0.97


def test_undefined_resamples_are_dropped_with_a_warning_and_stratify_avoids_them():
    y = np.array([0] * 18 + [1, 1])
    score = np.linspace(0, 1, 20)
    with pytest.warns(RuntimeWarning, match="undefined"):
        bootstrap_interval(cl.roc_auc_score, y, score, n_resamples=400, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = bootstrap_interval(cl.roc_auc_score, y, score, n_resamples=400, stratify=True, random_state=0)
    assert np.isfinite(result.resamples).all() and result.high <= 1.0


def test_result_unpacks_and_is_reproducible():
    y, p = _classifier(200, seed=20)
    estimate, low, high = bootstrap_interval(cl.accuracy_score, y, p, random_state=21)
    again = bootstrap_interval(cl.accuracy_score, y, p, random_state=21)
    assert (estimate, low, high) == (again.estimate, again.low, again.high)
    assert low <= estimate <= high


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"n_resamples": 0}, ValueError, "n_resamples"),
        ({"n_resamples": 10.5}, ValueError, "n_resamples"),
        ({"confidence": 1.0}, ValueError, "confidence"),
        ({"confidence": -0.1}, ValueError, "confidence"),
        ({"method": "bc"}, ValueError, "method"),
        ({"random_state": "seed"}, TypeError, "random_state"),
        ({"stratify": "yes"}, TypeError, "stratify"),
    ],
)
def test_bad_options_name_the_argument(kwargs, error, name):
    with pytest.raises(error, match=f"`{name}`"):
        bootstrap_interval(cl.f1_score, [0, 1, 1], [0, 1, 0], **kwargs)


def test_bad_metric_and_data():
    with pytest.raises(TypeError, match="`metric`"):
        bootstrap_interval("f1", [0, 1], [0, 1])
    with pytest.raises(ValueError, match="`y_true`"):
        bootstrap_interval(cl.f1_score, [0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="`stratify`"):
        bootstrap_interval(_rows(cl.f1_score), [0, 1, 1], [0, 1, 0], stratify=True)
    with pytest.raises(ValueError, match="`pred_b`|`y_true`"):
        paired_bootstrap(cl.accuracy_score, [0, 1, 1], [0, 1, 0], [0, 1])


# --------------------------------------------------------------------------- paired


def test_identical_models_differ_by_nothing():
    y, p = _classifier(200, seed=22)
    result = paired_bootstrap(cl.f1_score, y, p, p, random_state=0)
    assert (result.difference, result.low, result.high, result.pvalue) == (0.0, 0.0, 0.0, 1.0)


def test_paired_counts_path_has_the_row_distribution():
    y, a = _classifier(300, seed=23)
    _, b = _classifier(300, recall=0.65, seed=24)
    b = np.where(np.random.default_rng(25).random(300) < 0.8, a, b)  # B mostly agrees with A: strong pairing
    counts = paired_bootstrap(cl.f1_score, y, a, b, n_resamples=4000, random_state=26)
    rows = paired_bootstrap(_rows(cl.f1_score), y, a, b, n_resamples=2000, random_state=27)
    assert (counts.path, rows.path) == ("counts", "rows")
    _same_distribution(counts.resamples, rows.resamples, tolerance=0.012)


def test_paired_accuracy_agrees_with_mcnemar():
    y, a = _classifier(600, seed=28)
    _, worse = _classifier(600, recall=0.5, seed=29)
    clear = paired_bootstrap(cl.accuracy_score, y, a, worse, random_state=30)
    assert clear.pvalue < 0.01 and mcnemar_test(y, a, worse).pvalue < 0.01
    flip = np.random.default_rng(31).random(600) < 0.05  # B = A with 5 % of its answers flipped at random
    similar = np.where(flip, 1 - a, a)
    null = paired_bootstrap(cl.accuracy_score, y, a, similar, random_state=32)
    assert abs(null.pvalue - mcnemar_test(y, a, similar).pvalue) < 0.25


def test_paired_auc_standard_error_agrees_with_delong():
    rng = np.random.default_rng(33)
    y = (rng.random(1500) < 0.4).astype(int)
    shared = rng.normal(size=1500)
    a = shared + 1.0 * y + 0.5 * rng.normal(size=1500)
    b = shared + 0.8 * y + 0.5 * rng.normal(size=1500)
    boot = paired_bootstrap(cl.roc_auc_score, y, a, b, n_resamples=2000, random_state=34)
    delong = delong_test(y, a, b)
    assert boot.path == "ranking counts"
    assert boot.difference == pytest.approx(delong.difference, abs=1e-12)
    assert boot.resamples.std(ddof=1) == pytest.approx(delong.std_error, rel=0.1)
    stratified = paired_bootstrap(cl.roc_auc_score, y, a, b, n_resamples=500, stratify=True, random_state=35)
    assert np.isfinite(stratified.resamples).all()


def test_auc_leave_one_out_closed_form_equals_recomputing():
    from course_lib.metrics import resample_counts as rc

    rng = np.random.default_rng(36)
    cells = np.stack([rng.integers(0, 4, 40), rng.integers(0, 4, 40)])
    values, weights = rc.auc_leave_one_out(cells)
    fast = sorted(zip(np.round(values, 12), weights, strict=True))
    flat = cells.ravel()
    nonzero = np.flatnonzero(flat)
    tables = np.repeat(flat[None], len(nonzero), axis=0)
    tables[np.arange(len(nonzero)), nonzero] -= 1
    slow = sorted(zip(np.round(rc.auc_from_cells(tables.reshape(-1, 2, 40)), 12), flat[nonzero], strict=True))
    assert fast == slow


def test_bca_for_auc_and_ap_on_continuous_scores():
    """20,000 distinct scores: AUC's jackknife is closed-form, AP's is chunked (no 20,000 x 40,000 array)."""
    rng = np.random.default_rng(37)
    y = (rng.random(20_000) < 0.1).astype(int)
    score = rng.normal(size=20_000) + y
    auc = bootstrap_interval(cl.roc_auc_score, y, score, n_resamples=200, method="bca", random_state=0)
    assert auc.low < auc.estimate < auc.high
    y_small, score_small = y[:3000], score[:3000]
    ap = bootstrap_interval(
        cl.average_precision_score, y_small, score_small, n_resamples=200, method="bca", random_state=0
    )
    assert 0 <= ap.low < ap.estimate < ap.high <= 1

"""Bootstrap resamples drawn as counts, never as rows: the engine under ``bootstrap_interval``.

Resampling a test set of n rows with replacement and counting its confusion
table gives the same random table as one multinomial draw over the table's
cells with probabilities ``cell / n``: each drawn row lands in a cell with that
probability, independently. So instead of R x n random indices, a bootstrap of
a count-based score draws R tables,

    tables = rng.multinomial(n, cells / n, size=R),

and computes the score of each table with the metrics core's count-level
functions (:mod:`course_lib.metrics.from_counts`). Ranking scores (ROC-AUC, AP)
only depend on how many positives and negatives sit at each distinct score, so
their resamples are multinomial draws over the (distinct score, class) cells.

A *stratified* resample keeps the number of positives and negatives fixed: one
multinomial over the positives' cells with P draws, another over the negatives'
with N draws (scikit-learn's and pROC's ``stratified`` option).
"""

from __future__ import annotations

import warnings

import numpy as np

from course_lib.metrics import agreement, curves, scores
from course_lib.metrics.from_counts import (
    accuracy_from_table,
    balanced_accuracy_from_table,
    cohen_kappa_from_table,
    matthews_corrcoef_from_table,
    scores_from_table,
)
from course_lib.metrics.ranking_counts import average_precision_from_counts, counts_from_bins, roc_auc_from_counts
from course_lib.metrics.validation import check_scores

# At most this many drawn counts held at once (R x cells); larger bootstraps go in chunks.
CHUNK_CELLS = 4_000_000

# --------------------------------------------------------------------------- which metrics have a count path

_PRF = {scores.precision_score: 0, scores.recall_score: 1, scores.f1_score: 2, scores.fbeta_score: 2}
_PRF_OPTIONS = {"pos_label", "average", "zero_division", "beta"}


def _set_score(index, kwargs, classes):
    """Precision (0), recall (1) or F-beta (2) of stacked tables, as ``precision_score`` & co. compute it."""
    average = kwargs.get("average", "binary")
    zero_division = kwargs.get("zero_division", "warn")
    zero_division = 0.0 if isinstance(zero_division, str) else zero_division  # the estimate itself warns once
    beta = kwargs.get("beta", 1.0)
    if average == "binary":
        pos_label = kwargs.get("pos_label", 1)
        if len(classes) > 2 or pos_label not in classes.tolist():
            return None  # the label path raises or handles it
        k = classes.tolist().index(pos_label)
        return lambda t: scores_from_table(t, beta=beta, zero_division=zero_division)[index][..., k]
    if average in ("micro", "macro", "weighted"):
        return lambda t: scores_from_table(t, beta=beta, average=average, zero_division=zero_division)[index]
    return None


def is_count_metric(metric) -> bool:
    """One of course_lib's scores of a confusion table (the options decide later whether the count path applies)."""
    count_metrics = (scores.accuracy_score, agreement.matthews_corrcoef, agreement.balanced_accuracy_score)
    return metric in _PRF or metric in count_metrics or metric is agreement.cohen_kappa_score


def table_metric(metric, kwargs: dict, classes: np.ndarray):
    """``f(tables) -> scores`` for a count-based course_lib metric, or None if it has no count path.

    ``tables`` has shape (..., K, K) over ``classes`` (rows truth, columns prediction).
    Options the count path does not reproduce exactly (``labels``, ``sample_weight``)
    send the metric to the row path.
    """
    keys = set(kwargs)
    if metric in _PRF and keys <= _PRF_OPTIONS and (metric is scores.fbeta_score) == ("beta" in keys):
        return _set_score(_PRF[metric], kwargs, classes)
    if metric is scores.accuracy_score and kwargs.get("normalize", True) is True and keys <= {"normalize"}:
        return accuracy_from_table
    if metric is agreement.matthews_corrcoef and not keys:
        return matthews_corrcoef_from_table
    if metric is agreement.balanced_accuracy_score and keys <= {"adjusted"}:
        adjusted = kwargs.get("adjusted", False)
        return lambda t: balanced_accuracy_from_table(t, adjusted=adjusted)
    if metric is agreement.cohen_kappa_score and keys <= {"weights", "replace_undefined_by"}:
        return lambda t: cohen_kappa_from_table(t, **kwargs)
    return None


def is_ranking_metric(metric, kwargs: dict) -> bool:
    """ROC-AUC and AP of a binary problem: resampled over (distinct score, class) cells."""
    if metric is curves.roc_auc_score:
        return not kwargs
    if metric is curves.average_precision_score:
        return set(kwargs) <= {"pos_label"}
    return False


def quiet(function, *args):
    """Call a count-level score on a batch without one warning per undefined resample."""
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore")
        return np.asarray(function(*args), dtype=np.float64)


# --------------------------------------------------------------------------- drawing tables


def _chunks(n_resamples: int, n_cells: int):
    size = max(1, CHUNK_CELLS // max(n_cells, 1))
    for start in range(0, n_resamples, size):
        yield min(size, n_resamples - start)


def draw_tables(cells: np.ndarray, n_resamples: int, rng: np.random.Generator, *, stratify_rows=False) -> np.ndarray:
    """``n_resamples`` bootstrap copies of a count table (any shape), drawn as multinomials.

    Without stratification: one multinomial over every cell with the table's total.
    With ``stratify_rows``: one multinomial per row of the first axis (the true
    class), each with that row's total, so the class sizes never change.

    >>> tables = draw_tables(np.array([[50, 10], [5, 35]]), 3, np.random.default_rng(0))
    >>> tables.shape, tables.sum(axis=(1, 2)).tolist()
    ((3, 2, 2), [100, 100, 100])
    """
    cells = np.asarray(cells, dtype=np.int64)
    if stratify_rows:
        rows = [draw_tables(row, n_resamples, rng) for row in cells]
        return np.stack(rows, axis=1)
    n = int(cells.sum())
    if n == 0:  # an absent class stays absent
        return np.zeros((n_resamples, *cells.shape), dtype=np.int64)
    flat = cells.ravel() / n
    drawn = np.concatenate([rng.multinomial(n, flat, size=size) for size in _chunks(n_resamples, flat.size)])
    return drawn.reshape((n_resamples, *cells.shape))


def leave_one_out_tables(cells: np.ndarray):
    """Jackknife as counts: every table with one sample removed, and how many samples give it.

    Removing any one of the ``c`` samples of a cell gives the same table, so n
    leave-one-out tables collapse to one per non-empty cell, weighted by ``c``.
    """
    cells = np.asarray(cells, dtype=np.int64)
    flat = cells.ravel()
    nonzero = np.flatnonzero(flat)
    tables = np.repeat(flat[None, :], len(nonzero), axis=0)
    tables[np.arange(len(nonzero)), nonzero] -= 1
    return tables.reshape((len(nonzero), *cells.shape)), flat[nonzero]


def jackknife(score, cells: np.ndarray):
    """``(values, weights)``: the score of every leave-one-out table, computed a chunk of tables at a time.

    ROC-AUC's leave-one-out values have a closed form (O(U) for U distinct scores); any
    other score costs one recomputation per non-empty cell, O(U^2) for ranking cells.
    """
    if score is auc_from_cells:
        return auc_leave_one_out(cells)
    flat = np.asarray(cells, dtype=np.int64).ravel()
    nonzero = np.flatnonzero(flat)
    values = []
    for start in range(0, len(nonzero), max(1, CHUNK_CELLS // flat.size)):
        chosen = nonzero[start : start + max(1, CHUNK_CELLS // flat.size)]
        tables = np.repeat(flat[None, :], len(chosen), axis=0)
        tables[np.arange(len(chosen)), chosen] -= 1
        values.append(quiet(score, tables.reshape((len(chosen), *np.shape(cells)))))
    return np.concatenate(values), flat[nonzero]


def auc_leave_one_out(cells: np.ndarray):
    """ROC-AUC without one positive (or one negative) at each distinct score, and how many samples give each.

    With W = sum_u pos_u (negatives below u + neg_u / 2) the pairs a positive wins, removing a
    positive at u removes (negatives below u + neg_u / 2) wins and one row of pairs: (W - that) / ((P - 1) N).
    """
    neg, pos = (np.asarray(c, dtype=np.float64) for c in cells)
    n_neg, n_pos = neg.sum(), pos.sum()
    neg_below = np.cumsum(neg) - neg
    pos_above = n_pos - np.cumsum(pos)
    wins = np.sum(pos * (neg_below + neg / 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        without_pos = (wins - (neg_below + neg / 2)) / ((n_pos - 1) * n_neg)
        without_neg = (wins - (pos_above + pos / 2)) / (n_pos * (n_neg - 1))
    keep_pos, keep_neg = pos > 0, neg > 0
    values = np.concatenate([without_neg[keep_neg], without_pos[keep_pos]])
    return values, np.concatenate([neg[keep_neg], pos[keep_pos]])


# --------------------------------------------------------------------------- ranking scores from cell counts


def ranking_cells(is_pos: np.ndarray, y_score: np.ndarray) -> np.ndarray:
    """Counts of ``(negatives, positives)`` at each distinct score, ascending: shape (2, U)."""
    thresholds, index = np.unique(y_score, return_inverse=True)
    return np.stack(
        [
            np.bincount(index[~is_pos], minlength=len(thresholds)),
            np.bincount(index[is_pos], minlength=len(thresholds)),
        ]
    )


def auc_from_cells(cells: np.ndarray) -> np.ndarray:
    """ROC-AUC from (..., 2, U) counts of negatives and positives per distinct score, ascending.

    The per-threshold counts are sums from the top score down; the area is the
    metrics core's ``roc_auc_from_counts``. NaN where a resample has no positive or no negative.
    """
    return roc_auc_from_counts(*counts_from_bins(cells[..., 0, :], cells[..., 1, :]))


def ap_from_cells(cells: np.ndarray) -> np.ndarray:
    """Average precision (step rule) from (..., 2, U) counts per distinct score, ascending; 0 without positives."""
    return average_precision_from_counts(*counts_from_bins(cells[..., 0, :], cells[..., 1, :]))


def ranking_setup(metric, y_true, y_score, kwargs):
    """``(cells, score_of_cells)`` for ROC-AUC or AP of a binary problem, or None for the row path."""
    is_pos = ranking_target(metric, y_true, kwargs)
    if is_pos is None:
        return None
    y_score = check_scores(y_score)
    if y_score.shape != is_pos.shape:
        return None  # the metric itself reports the mismatch
    return ranking_cells(is_pos, y_score), (auc_from_cells if metric is curves.roc_auc_score else ap_from_cells)


def ranking_target(metric, y_true, kwargs):
    """Boolean 'is positive' as the metric defines it (ROC-AUC: the greater label; AP: pos_label)."""
    labels = np.asarray(y_true)
    if labels.ndim != 1:
        return None
    classes = np.unique(labels)
    if len(classes) > 2:
        return None
    if metric is curves.roc_auc_score:
        return labels == classes[-1]
    pos_label = kwargs.get("pos_label", 1)
    return labels == pos_label


__all__ = [
    "ap_from_cells",
    "auc_from_cells",
    "draw_tables",
    "is_ranking_metric",
    "jackknife",
    "leave_one_out_tables",
    "ranking_cells",
    "ranking_setup",
    "table_metric",
]

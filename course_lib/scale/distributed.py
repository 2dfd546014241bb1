"""Metrics across processes with PyTorch's own ``torch.distributed``: no new engine, no home-made networking.

Predictions often live in several processes: one per GPU under DDP, one per
node of a cluster, one per shard of a dataset. Two questions then arise, and
each has one right answer.

1. *Set-based scores and binned curves*: every process counts into a
   :class:`~course_lib.scale.streaming.MetricState`; :func:`all_reduce_state` sums the
   counts across processes (one ``all_reduce`` of int64 counts, after checking
   that every process counts the same things). The result is the state of all
   the data, on every rank, whatever way the data was split.

2. *The exact ROC-AUC* (and average precision): :func:`distributed_roc_auc`
   never gathers the predictions on one rank. It

   - all-reduces a histogram of the scores (``H`` bins over their bit patterns, so
     any range and any skew spread out) and picks cut points that give every
     rank about ``N / world_size`` samples;
   - sends each score to the rank that owns its range with one
     ``all_to_all_single`` (a range shuffle: equal scores always land together,
     so ties are counted once, with 1/2, exactly as scikit-learn does);
   - sorts locally and counts, for each positive, the negatives below it; the
     negatives on lower ranks come from one ``all_gather`` of per-rank counts.

   Memory per rank stays O(N / world_size); torchmetrics' exact AUROC instead
   keeps every prediction and gathers all N on every rank.

Every collective here is entered by every rank in the same order, and nothing
data-dependent is exchanged until all ranks agree that their inputs and
configurations are valid (:func:`raise_if_any_rank_failed`): a bad input on one
rank becomes the same clear error on every rank, never a hang.

Launch with ``torchrun`` (``gloo`` on CPU, ``nccl`` on GPUs), or from a notebook
or test with :func:`course_lib.scale.launch.run_local`, which starts real
processes on 127.0.0.1. torch is imported lazily, so importing this module is cheap.
"""

from __future__ import annotations

import sys

import numpy as np

from course_lib.metrics.ranking_counts import ranking_sums
from course_lib.metrics.validation import _describe, as_array, check_labels_1d, expected, warn_undefined
from course_lib.scale.inputs import check_score_values
from course_lib.scale.state import MetricState

__all__ = [
    "all_reduce_state",
    "distributed_average_precision",
    "distributed_ranking_scores",
    "distributed_roc_auc",
    "exact_ranking_scores",
    "raise_if_any_rank_failed",
]

# Histogram bins per rank for choosing the cut points of the range shuffle.
_BINS_PER_RANK = 4096


def _dist():
    import torch.distributed as dist

    return dist


def _in_process_group(group) -> bool:
    if "torch" not in sys.modules:  # nobody can have started a process group without importing torch
        return False
    dist = _dist()
    return dist.is_available() and dist.is_initialized()


def _device(group):
    """Tensors for collectives live where the backend wants them: CUDA for nccl, CPU otherwise."""
    import torch

    if _dist().get_backend(group) == "nccl":
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device("cpu")


def _world(group) -> tuple[int, int]:
    dist = _dist()
    return dist.get_rank(group), dist.get_world_size(group)


def _all_gather_array(values, group, dtype=np.int64) -> np.ndarray:
    """Every rank's small fixed-size array, stacked by rank: shape (world_size, len(values))."""
    import torch

    dist = _dist()
    local = torch.as_tensor(np.ascontiguousarray(values, dtype=dtype), device=_device(group))
    gathered = [torch.empty_like(local) for _ in range(dist.get_world_size(group))]
    dist.all_gather(gathered, local, group=group)
    return np.stack([g.cpu().numpy() for g in gathered])


def _all_reduce_array(values, group, op="sum") -> np.ndarray:
    import torch

    dist = _dist()
    ops = {"sum": dist.ReduceOp.SUM, "min": dist.ReduceOp.MIN, "max": dist.ReduceOp.MAX}
    tensor = torch.as_tensor(np.ascontiguousarray(values), device=_device(group)).clone()
    dist.all_reduce(tensor, op=ops[op], group=group)
    return tensor.cpu().numpy()


# A rank re-raises the agreed error as the first of these its cause is an instance of, so a
# subclass (the file reader's NpzFileError is a ValueError) stays what its callers catch.
_AGREED_KINDS = (TypeError, ValueError, FileNotFoundError, OSError, KeyError, MemoryError)


def _agreed_kind(error: BaseException) -> str:
    return next((kind.__name__ for kind in _AGREED_KINDS if isinstance(error, kind)), "RuntimeError")


def raise_if_any_rank_failed(error: BaseException | None, *, group=None) -> None:
    """A collective barrier for errors: if any rank passes an exception, every rank raises the same one.

    Every rank must call it at the same point, with its own exception or None.
    First one fixed-size ``all_gather`` of a failure flag (cheap, and safe
    whatever went wrong); only if some rank failed are the messages gathered.
    Every rank then raises the same error: the same one-line message, naming the
    ranks that failed and why, and the same type, the first failing rank's as a
    ValueError, TypeError, OSError... (a subclass keeps its family, so whoever
    handles bad input handles it; RuntimeError for anything else). No rank is
    left waiting in a collective that the others never enter. The error's
    ``agreed`` attribute is True: every rank raised it at this same point.
    """
    flags = _all_gather_array([error is not None], group)[:, 0]
    if not flags.any():
        return
    rank, world_size = _world(group)
    messages = [None] * world_size
    mine = None if error is None else (_agreed_kind(error), " ".join(str(error).splitlines()))
    _dist().all_gather_object(messages, mine, group=group)
    failed = [(r, message) for r, message in enumerate(messages) if message is not None]
    ranks_by_text: dict[str, list[int]] = {}
    for r, (_, text) in failed:
        ranks_by_text.setdefault(text, []).append(r)  # the same message from several ranks is said once
    summary = "; ".join(
        f"rank{'s' * (len(ranks) > 1)} {', '.join(map(str, ranks))}: {text}" for text, ranks in ranks_by_text.items()
    )
    kind = {cls.__name__: cls for cls in _AGREED_KINDS}.get(failed[0][1][0], RuntimeError)
    agreed = kind(f"{len(failed)} of {world_size} ranks failed. {summary}")
    agreed.agreed = True
    raise agreed from error


# --------------------------------------------------------------------------- merging states


def _describe_difference(mine: np.ndarray, reference: np.ndarray) -> str:
    parts = []
    if mine[0] != reference[0]:
        parts.append(f"{mine[0]} classes vs {reference[0]}")
    elif mine[2] != reference[2]:
        parts.append("labels (same count, different values)")
    if mine[1] != reference[1]:
        parts.append(f"bins {mine[1]} vs {reference[1]}")
    elif mine[4] != reference[4]:
        parts.append(f"bin edges (same count {mine[1]}, different values)")
    if mine[3] != reference[3]:
        threshold, reference_threshold = np.array([mine[3], reference[3]], dtype=np.int64).view(np.float64)
        parts.append(f"threshold {threshold} vs {reference_threshold}")
    return ", ".join(parts)


def all_reduce_state(state: MetricState, *, group=None) -> MetricState:
    """The sum of every rank's state, on every rank (a collective: all ranks call it).

    First checks that every rank's state has the same configuration (labels,
    threshold, bin edges) with one ``all_gather`` of a five-number fingerprint;
    if one differs, *every* rank raises a ValueError naming the rank and what
    differs. Then one ``all_reduce`` sums the int64 counts. The input is not
    changed; a new state is returned.

    Outside a process group (a plain single process) it returns a copy.
    """
    error = None
    if not isinstance(state, MetricState):
        error = TypeError(expected("state", "a MetricState", _describe(state)))
    if not _in_process_group(group):
        if error:
            raise error
        return state.copy()
    raise_if_any_rank_failed(error, group=group)
    fingerprints = _all_gather_array(state.config_fingerprint(), group)
    differing = [r for r in range(len(fingerprints)) if not np.array_equal(fingerprints[r], fingerprints[0])]
    if differing:
        details = "; ".join(f"rank {r} ({_describe_difference(fingerprints[r], fingerprints[0])})" for r in differing)
        raise ValueError(
            expected("state", "configured the same on every rank", f"states that differ from rank 0's: {details}")
            + " Build every rank's MetricState with the same labels, threshold and bins."
        )
    counts = np.concatenate([state.confusion.ravel(), state.histogram.ravel()])
    total = _all_reduce_array(counts.astype(np.int64), group)
    merged = state.empty()
    merged.confusion += total[: state.confusion.size].reshape(state.confusion.shape)
    merged.histogram += total[state.confusion.size :].reshape(state.histogram.shape)
    return merged


# --------------------------------------------------------------------------- the exact AUC and AP


def _check_ranking_inputs(y_true, y_score, pos_label):
    """``(is_positive, scores)`` for one rank's share; an empty share is fine."""
    t = as_array(y_true, "y_true")
    s = check_score_values(as_array(y_score, "y_score"), "y_score")
    if t.ndim != 1 or s.ndim != 1:
        raise ValueError(expected("y_true", "1-D labels with 1-D scores", f"shapes {t.shape} and {s.shape}"))
    if len(t) != len(s):
        raise ValueError(expected("y_score", f"as long as y_true ({len(t)})", f"{len(s)} scores"))
    if len(t) == 0:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=np.float64)
    t = check_labels_1d(t, "y_true")
    distinct = np.unique(t)
    if len(distinct) > 2:
        raise ValueError(expected("y_true", "binary labels", f"{len(distinct)} classes {distinct[:6].tolist()}"))
    # -0.0 and 0.0 are equal scores with different bits: make them one value before anything looks at bits.
    return t == pos_label, s.astype(np.float64) + 0.0


def _ordered_keys(scores: np.ndarray) -> np.ndarray:
    """uint64 keys in the same order as the float64 scores (the usual bit trick, no NaN here)."""
    bits = scores.view(np.int64)
    flipped = bits ^ ((bits >> 63) & np.int64(0x7FFF_FFFF_FFFF_FFFF))  # negative floats count down
    return flipped.view(np.uint64) ^ np.uint64(1 << 63)  # shift to unsigned order


def _local_counts(is_pos: np.ndarray, scores: np.ndarray):
    """Per distinct score, ascending: (positives, negatives) at exactly that score."""
    if len(scores) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    ascending = np.sort(scores)
    first = np.flatnonzero(np.r_[True, ascending[1:] != ascending[:-1]])
    at_or_above = len(ascending) - first
    positive_scores = np.sort(scores[is_pos])
    tp_at_or_above = len(positive_scores) - np.searchsorted(positive_scores, ascending[first], side="left")
    fp_at_or_above = at_or_above - tp_at_or_above
    positives = tp_at_or_above - np.append(tp_at_or_above[1:], 0)
    negatives = fp_at_or_above - np.append(fp_at_or_above[1:], 0)
    return positives.astype(np.int64), negatives.astype(np.int64)


def exact_ranking_scores(y_true, y_score, *, pos_label=1) -> tuple[float, float]:
    """Exact ``(roc_auc, average_precision)`` of one process's data (NumPy only, no torch).

    The single-process case of :func:`distributed_ranking_scores`, equal to
    scikit-learn's ``roc_auc_score`` and ``average_precision_score``.

    >>> exact_ranking_scores([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    (0.75, 0.8333333333333333)
    """
    is_pos, scores = _check_ranking_inputs(y_true, y_score, pos_label)
    n_pos = int(is_pos.sum())
    n_neg = len(is_pos) - n_pos
    positives, negatives = _local_counts(is_pos, scores)
    twice_u, precision_sum = ranking_sums(negatives, positives)
    return _finish(twice_u, precision_sum, n_pos, n_neg)


def _finish(twice_u, precision_sum, n_pos, n_neg) -> tuple[float, float]:
    if n_pos == 0 or n_neg == 0:
        warn_undefined("Only one class is present in y_true: ROC AUC is undefined and is set to NaN.")
        roc_auc = float("nan")
    else:
        roc_auc = twice_u / (2 * n_pos * n_neg)
    if n_pos == 0:
        warn_undefined("No positive samples in y_true: average precision is set to 0.")
        return roc_auc, 0.0
    return roc_auc, precision_sum / n_pos


def distributed_ranking_scores(y_true, y_score, *, pos_label=1, group=None) -> tuple[float, float]:
    """Exact ``(roc_auc, average_precision)`` over the union of every rank's data (a collective).

    Each rank passes its own share (any size, even empty); every rank gets the
    same two numbers, equal to scikit-learn's on the concatenated data. One
    range shuffle serves both scores. Outside a process group it computes them
    locally (:func:`exact_ranking_scores`).
    """
    if not _in_process_group(group):
        return exact_ranking_scores(y_true, y_score, pos_label=pos_label)
    error, is_pos, scores = None, np.zeros(0, bool), np.zeros(0)
    try:
        is_pos, scores = _check_ranking_inputs(y_true, y_score, pos_label)
    except (ValueError, TypeError) as exc:
        error = exc
    raise_if_any_rank_failed(error, group=group)
    rank, world_size = _world(group)

    # 1. Global class counts and the range of the score keys.
    n_pos, n_neg = (int(v) for v in _all_reduce_array(np.array([is_pos.sum(), (~is_pos).sum()]), group))
    if n_pos + n_neg == 0:
        return _finish(0, 0.0, 0, 0)
    keys = _ordered_keys(scores)
    lowest = int(keys.min()) if len(keys) else 2**64 - 1
    highest = int(keys.max()) if len(keys) else 0
    # uint64 does not travel; the keys shifted back to int64 keep their order.
    span = _all_reduce_array(np.array([lowest - 2**63, -(highest - 2**63) - 1], dtype=np.int64), group, op="min")
    lowest, highest = int(span[0]) + 2**63, -int(span[1]) - 1 + 2**63

    # 2. A global histogram of the keys; each bin goes to one rank, in order, ~N/world_size samples each.
    n_bins = _BINS_PER_RANK * world_size
    width = float(highest - lowest + 1)
    bins = np.minimum(((keys - np.uint64(lowest)).astype(np.float64) * (n_bins / width)).astype(np.int64), n_bins - 1)
    histogram = _all_reduce_array(np.bincount(bins, minlength=n_bins).astype(np.int64), group)
    total = int(histogram.sum())
    middle = np.cumsum(histogram) - histogram / 2  # the middle sample of each bin, counted from the bottom
    owner = np.minimum((middle * world_size / max(total, 1)).astype(np.int64), world_size - 1)
    destination = owner[bins].astype(np.int16)

    # 3. The range shuffle: sort by destination, exchange counts, then scores and labels.
    order = np.argsort(destination, kind="stable")
    send_counts = np.bincount(destination, minlength=world_size).astype(np.int64)
    scores_in, labels_in = _all_to_all([scores[order], is_pos[order].astype(np.uint8)], send_counts, group, world_size)
    positives, negatives = _local_counts(labels_in.astype(bool), scores_in)

    # 4. Where this rank's range sits among the others; each range's sums, added up in rank order.
    per_rank = _all_gather_array([int(positives.sum()), int(negatives.sum())], group)
    twice_u, precision_sum = ranking_sums(
        negatives,
        positives,
        negatives_below=int(per_rank[:rank, 1].sum()),
        positives_above=int(per_rank[rank + 1 :, 0].sum()),
        negatives_above=int(per_rank[rank + 1 :, 1].sum()),
    )
    sums = _all_gather_array([twice_u, precision_sum], group, dtype=np.float64)
    return _finish(float(sums[:, 0].sum()), float(sums[:, 1].sum()), n_pos, n_neg)


def _all_to_all(arrays, send_counts, group, world_size):
    """Send ``arrays[i][splits[j]]`` to rank j for every array; returns what this rank receives."""
    import torch

    dist = _dist()
    device = _device(group)
    recv_counts = torch.empty(world_size, dtype=torch.int64, device=device)
    dist.all_to_all_single(recv_counts, torch.as_tensor(send_counts, device=device), group=group)
    recv_counts = recv_counts.cpu().numpy()
    received = []
    for arr in arrays:
        source = torch.as_tensor(np.ascontiguousarray(arr), device=device)
        target = torch.empty(int(recv_counts.sum()), dtype=source.dtype, device=device)
        dist.all_to_all_single(
            target, source, output_split_sizes=recv_counts.tolist(), input_split_sizes=send_counts.tolist(), group=group
        )
        received.append(target.cpu().numpy())
    return received


def distributed_roc_auc(y_true, y_score, *, pos_label=1, group=None) -> float:
    """Exact ROC-AUC over every rank's data, without gathering it on one rank (a collective).

    Equal to ``sklearn.metrics.roc_auc_score`` on the concatenation of all the
    ranks' ``(y_true, y_score)``; NaN with an UndefinedMetricWarning on every
    rank when the union holds one class only.
    """
    return distributed_ranking_scores(y_true, y_score, pos_label=pos_label, group=group)[0]


def distributed_average_precision(y_true, y_score, *, pos_label=1, group=None) -> float:
    """Exact average precision over every rank's data (a collective); scikit-learn's value on the union."""
    return distributed_ranking_scores(y_true, y_score, pos_label=pos_label, group=group)[1]

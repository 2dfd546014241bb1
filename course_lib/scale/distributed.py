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
or test with :func:`run_local`, which starts real processes on 127.0.0.1.
torch is imported lazily, so importing this module is cheap.
"""

from __future__ import annotations

import datetime
import multiprocessing
import os
import queue as queue_module
import socket
import sys
import time
import traceback

import numpy as np

from course_lib.metrics.validation import _describe, as_array, check_labels_1d, expected, warn_undefined
from course_lib.scale.streaming import MetricState, _check_score_values, ranking_sums

__all__ = [
    "all_reduce_state",
    "distributed_average_precision",
    "distributed_ranking_scores",
    "distributed_roc_auc",
    "exact_ranking_scores",
    "raise_if_any_rank_failed",
    "run_local",
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


_ERROR_TYPES = {cls.__name__: cls for cls in (ValueError, TypeError, FileNotFoundError, KeyError, MemoryError)}


def raise_if_any_rank_failed(error: BaseException | None, *, group=None) -> None:
    """A collective barrier for errors: if any rank passes an exception, every rank raises.

    Every rank must call it at the same point, with its own exception or None.
    First one fixed-size ``all_gather`` of a failure flag (cheap, and safe
    whatever went wrong); only if some rank failed are the messages gathered.
    Each rank then raises the same error, naming the ranks that failed and why,
    so no rank is left waiting in a collective that the others never enter.
    """
    flags = _all_gather_array([error is not None], group)[:, 0]
    if not flags.any():
        return
    rank, world_size = _world(group)
    messages = [None] * world_size
    mine = None if error is None else (type(error).__name__, str(error))
    _dist().all_gather_object(messages, mine, group=group)
    failed = [(r, kind, text) for r, message in enumerate(messages) if message is not None for kind, text in [message]]
    summary = "; ".join(f"rank {r}: {text}" for r, _, text in failed)
    kind = type(error) if error is not None and type(error) in _ERROR_TYPES.values() else None
    kind = kind or _ERROR_TYPES.get(failed[0][1], RuntimeError)
    raise kind(f"{len(failed)} of {world_size} ranks failed. {summary}") from error


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
    s = _check_score_values(as_array(y_score, "y_score"), "y_score")
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


# --------------------------------------------------------------------------- real processes on one machine


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def loopback_interface() -> str | None:
    """The loopback interface's name ('lo' on Linux, 'lo0' on macOS), for GLOO_SOCKET_IFNAME."""
    try:
        names = [name for _, name in socket.if_nameindex()]
    except (OSError, AttributeError):
        return None
    return next((name for name in names if name.startswith("lo")), None)


def _worker(fn, args, rank, world_size, port, timeout, results):
    try:
        # gloo otherwise binds to the address of the host name, which may not be 127.0.0.1.
        interface = loopback_interface()
        if interface and "GLOO_SOCKET_IFNAME" not in os.environ:
            os.environ["GLOO_SOCKET_IFNAME"] = interface
        import torch

        torch.set_num_threads(1)
        dist = _dist()
        dist.init_process_group(
            "gloo",
            init_method=f"tcp://127.0.0.1:{port}",
            rank=rank,
            world_size=world_size,
            timeout=datetime.timedelta(seconds=timeout),
        )
        try:
            value = fn(*args)
        finally:
            dist.destroy_process_group()
        results.put((rank, True, value))
    except BaseException:
        results.put((rank, False, traceback.format_exc()))


def run_local(fn, *args, world_size: int = 2, timeout: float = 120.0) -> list:
    """Run ``fn(*args)`` in ``world_size`` new processes joined in a gloo group on 127.0.0.1; results by rank.

    For notebooks, tests and teaching; on a cluster use ``torchrun``. Each
    process is started fresh (the 'spawn' method), so ``fn`` must be importable
    from a module: a function defined in a notebook or in ``__main__`` without an
    ``if __name__ == "__main__":`` guard cannot be used. Inside ``fn``,
    ``torch.distributed`` is initialised: ``dist.get_rank()`` says which process
    it is. Every process is joined before returning; none outlives ``timeout``
    seconds. If a rank raises, RuntimeError carries every failing rank's traceback.
    """
    if not isinstance(world_size, int) or isinstance(world_size, bool) or world_size < 1:
        raise ValueError(expected("world_size", "a positive integer", _describe(world_size)))
    if not callable(fn) or getattr(fn, "__module__", "__main__") == "__main__" or "<locals>" in fn.__qualname__:
        name = f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', type(fn).__name__)}"
        raise TypeError(
            expected("fn", "a function importable from a module (not defined in a notebook or __main__)", name)
        )
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    port = _free_port()
    processes = [
        context.Process(target=_worker, args=(fn, args, rank, world_size, port, timeout, results), daemon=True)
        for rank in range(world_size)
    ]
    for process in processes:
        process.start()
    outcomes: dict[int, tuple[bool, object]] = {}
    deadline = time.monotonic() + timeout
    dead_since: dict[int, float] = {}
    try:
        while len(outcomes) < world_size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"run_local: {world_size - len(outcomes)} of {world_size} processes timed out")
            try:
                rank, ok, value = results.get(timeout=min(remaining, 0.5))
                outcomes[rank] = (ok, value)
            except queue_module.Empty:
                # A process that died without reporting (killed, crashed): give its message time to arrive.
                now = time.monotonic()
                for r, process in enumerate(processes):
                    if process.exitcode is not None and r not in outcomes:
                        dead_since.setdefault(r, now)
                silent = {r: processes[r].exitcode for r in dead_since if r not in outcomes}
                if silent and now - min(dead_since[r] for r in silent) > 5:
                    raise RuntimeError(
                        f"run_local: processes exited without a result (rank: exit code) {silent}"
                    ) from None
        for process in processes:
            process.join(max(1.0, deadline - time.monotonic()))
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
                process.join(5)
            if process.is_alive():
                process.kill()
                process.join(5)
        results.close()
    failures = {r: value for r, (ok, value) in sorted(outcomes.items()) if not ok}
    if failures:
        text = "\n".join(f"--- rank {r} ---\n{tb}" for r, tb in failures.items())
        raise RuntimeError(f"run_local: {len(failures)} of {world_size} processes raised\n{text}")
    return [outcomes[r][1] for r in range(world_size)]


# --------------------------------------------------------------------------- what lesson 13 runs in each process

# (rows, prevalence, score shift) of the two shards of lesson 13: a big shard with rare positives and
# low scores, a small one with common positives whose scores run higher (another site, another month).
LESSON_SHARDS = ((900_000, 0.02, -0.5), (100_000, 0.40, 1.0))


def lesson_shard_data(rank: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The predictions rank ``rank`` holds in lesson 13 (the notebook calls it too, to check the union).

    Logits are normal with mean ``shift + 1.5 * y`` and unit variance; scores are their sigmoid.
    """
    n, prevalence, shift = LESSON_SHARDS[rank]
    rng = np.random.default_rng(seed + rank)
    y_true = (rng.random(n) < prevalence).astype(np.int64)
    logits = rng.normal(shift + 1.5 * y_true, 1.0)
    return y_true, 1.0 / (1.0 + np.exp(-logits))


def lesson_shard(seed: int = 0, bins: int = 1000) -> dict:
    """One process of lesson 13: count its shard, merge the states, compute the exact AUC and AP together."""
    dist = _dist()
    rank, world_size = dist.get_rank(), dist.get_world_size()
    y_true, y_score = lesson_shard_data(rank, seed=seed)
    local = MetricState(bins=bins).update(y_true, y_score)
    merged = all_reduce_state(local)
    roc_auc, average_precision = distributed_ranking_scores(y_true, y_score)
    return {
        "rank": rank,
        "world_size": world_size,
        "n_local": len(y_true),
        "local_f1": local.f1_score(zero_division=0),
        "merged_state": merged,
        "exact_roc_auc": roc_auc,
        "exact_average_precision": average_precision,
    }

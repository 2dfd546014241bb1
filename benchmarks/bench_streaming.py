"""Metrics at scale: histogram states, the exact distributed AUC, and a billion predictions streamed.

1. ``MetricState.update`` + binned AUC against torchmetrics ``BinaryAUROC(thresholds=1001)`` at n = 2e6
   (the same 1001 thresholds, so the same number): one ``bincount`` against a loop over thresholds.
2. The exact ROC-AUC on 2 ranks (gloo, 127.0.0.1) at n = 1e7 against scikit-learn in one process.
   The two processes start once and wait for a command, so each timing is one distributed_roc_auc
   call (plus a pipe round trip), not process start-up.
3. ``evaluate_stream`` over 1e9 predictions made on the fly (seeded chunks of 2**20), in a fresh
   process so that its peak memory (``resource.getrusage``) is its own; prints seconds and peak MB.

    python -m benchmarks.bench_streaming --stream 1e9     # the streaming run alone, printed as JSON
"""

from __future__ import annotations

import atexit
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks._harness import Case
from course_lib.scale.state import MetricState
from course_lib.scale.streaming import evaluate_stream

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 1 << 20


# --------------------------------------------------------------------------- data


def _scores(n: int, seed: int = 0):
    """A classifier with 30% positives whose sigmoid scores rise with the label (float32, like a model's output).

    No score is exactly 0 or 1, where torchmetrics' binned curve would miss a corner (see tests/test_streaming.py).
    """
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(np.int64)
    s = (1 / (1 + np.exp(-(rng.normal(size=n) + 1.5 * y - 0.5)))).astype(np.float32)
    return y, s


def stream_chunks(n_total: int, *, chunk: int = CHUNK, seed: int = 0, clock: list | None = None):
    """Seeded chunks made on the fly: ~10% positives, scores (u + 0.6 y) / 1.6 with u uniform.

    Negatives are uniform on [0, 0.625), positives on [0.375, 1): the exact AUC is
    1 - 0.4**2 / 2 = 0.92, which the streamed binned AUC must match within its bound.
    Labels come from random bytes (< 26 of 256: 10.2% positives), the cheapest draw.
    ``clock[0]`` accumulates the seconds spent making chunks.
    """
    rng = np.random.default_rng(seed)
    done = 0
    while done < n_total:
        start = time.perf_counter()
        m = min(chunk, n_total - done)
        y = np.frombuffer(rng.bytes(m), dtype=np.uint8) < 26
        s = rng.random(m, dtype=np.float32)
        s += np.float32(0.6) * y
        s *= np.float32(1 / 1.6)
        if clock is not None:
            clock[0] += time.perf_counter() - start
        yield y, s
        done += m


def _peak_rss_kb() -> int:
    """Peak resident memory of this process, in kB.

    ``resource.getrusage(...).ru_maxrss`` survives ``exec`` on Linux, so a process
    started by a big parent (the benchmark runner holds arrays of 1e7 and torch)
    would report the parent's peak. ``VmHWM`` in /proc/self/status is the same
    high-water mark for this process image only; elsewhere fall back to getrusage.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux, bytes on macOS


def stream_once(n_total: int) -> dict:
    """Stream ``n_total`` predictions through evaluate_stream; seconds, peak RSS and the result."""
    making = [0.0]
    start = time.perf_counter()
    state = evaluate_stream(stream_chunks(n_total, clock=making), bins=1000, progress=False)
    seconds = time.perf_counter() - start
    auc, bound = state.roc_auc_score(), state.auc_error_bound()
    return {
        "n": state.n_samples,
        "seconds": round(seconds, 2),
        "predictions_per_second": round(state.n_samples / seconds),
        "seconds_making_chunks": round(making[0], 2),
        "peak_rss_mb": round(_peak_rss_kb() / 1024, 1),
        "roc_auc_binned": round(auc, 6),
        "auc_error_bound": round(bound, 6),
        "exact_auc_in_bound": bool(abs(auc - 0.92) <= bound + 5 / np.sqrt(n_total)),
    }


def _stream_in_fresh_process(n_total: int) -> dict:
    """Run :func:`stream_once` in a new interpreter: its peak memory is not this process's."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_streaming", "--stream", str(n_total)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"    evaluate_stream: {json.dumps(report)}", flush=True)
    return report


# --------------------------------------------------------------------------- two ranks waiting for work


def _rank_worker(connection, rank: int, world_size: int, port: int, n_total: int) -> None:
    """One rank of the persistent pool: build its shard once, then time distributed_roc_auc on command."""
    import datetime

    import torch
    import torch.distributed as dist

    from course_lib.scale.distributed import distributed_roc_auc

    torch.set_num_threads(1)
    dist.init_process_group(
        "gloo",
        init_method=f"tcp://127.0.0.1:{port}",
        rank=rank,
        world_size=world_size,
        timeout=datetime.timedelta(seconds=600),
    )
    y, s = _scores(n_total, seed=1)
    share = slice(rank * n_total // world_size, (rank + 1) * n_total // world_size)
    y, s = y[share].copy(), s[share].copy()
    try:
        while connection.recv() == "run":
            dist.barrier()
            connection.send(distributed_roc_auc(y, s))
    finally:
        dist.destroy_process_group()
        connection.close()


class _RankPool:
    """World-size processes in a gloo group, each holding its shard; ``run()`` is one timed call."""

    def __init__(self, n_total: int, world_size: int = 2):
        from course_lib.scale.launch import _free_port, loopback_interface

        interface = loopback_interface()
        context = multiprocessing.get_context("spawn")
        port = _free_port()
        self.connections, self.processes = [], []
        if interface:
            os.environ.setdefault("GLOO_SOCKET_IFNAME", interface)
        for rank in range(world_size):
            mine, theirs = context.Pipe()
            process = context.Process(target=_rank_worker, args=(theirs, rank, world_size, port, n_total), daemon=True)
            process.start()
            self.connections.append(mine)
            self.processes.append(process)
        atexit.register(self.close)

    def run(self) -> float:
        for connection in self.connections:
            connection.send("run")
        results = [connection.recv() for connection in self.connections]
        assert results[0] == results[1]
        return results[0]

    def close(self) -> None:
        for connection in self.connections:
            try:
                connection.send("stop")
            except (BrokenPipeError, OSError):
                pass
        for process in self.processes:
            process.join(30)
            if process.is_alive():
                process.kill()
                process.join(5)


# --------------------------------------------------------------------------- the cases


def cases(quick: bool) -> list[Case]:
    import sklearn.metrics as skm
    import torch
    from torchmetrics.classification import BinaryAUROC

    from course_lib.scale.distributed import exact_ranking_scores

    out = []

    n = 20_000 if quick else 2_000_000
    y, s = _scores(n)
    preds, target = torch.from_numpy(s), torch.from_numpy(y)
    thresholds = torch.linspace(0, 1, 1001)
    edges = thresholds.numpy().astype(np.float64)

    def course_lib_binned():
        return MetricState(bins=edges).update(y, s).roc_auc_score()

    def torchmetrics_binned():
        metric = BinaryAUROC(thresholds=thresholds)
        metric.update(preds, target)
        return float(metric.compute())

    def numpy_searchsorted():
        index = np.searchsorted(edges, s, side="right") + y * (len(edges) + 1)
        return np.bincount(index, minlength=2 * (len(edges) + 1))

    assert abs(course_lib_binned() - torchmetrics_binned()) < 1e-6  # the same thresholds give the same AUC
    out.append(
        Case(
            "streaming",
            f"MetricState.update + binned AUC n={n:.0e}, 1001 thresholds",
            course_lib_binned,
            {
                "torchmetrics BinaryAUROC(thresholds=1001)": torchmetrics_binned,
                "NumPy searchsorted + bincount": numpy_searchsorted,
            },
            repeat=3,
            target=">= 100x torchmetrics",
        )
    )

    n = 100_000 if quick else 10_000_000
    pool = _RankPool(n)
    y1, s1 = _scores(n, seed=1)
    exact = skm.roc_auc_score(y1, s1)
    assert abs(pool.run() - exact) < 1e-12  # the distributed AUC is scikit-learn's
    out.append(
        Case(
            "streaming",
            f"exact distributed_roc_auc n={n:.0e} on 2 ranks (gloo)",
            pool.run,
            {
                "scikit-learn roc_auc_score, 1 process": lambda: skm.roc_auc_score(y1, s1),
                "course_lib exact_ranking_scores, 1 process": lambda: exact_ranking_scores(y1, s1),
            },
            repeat=3,
            target="equal to scikit-learn; faster than it in one process",
        )
    )

    n = 10_000_000 if quick else 1_000_000_000
    out.append(
        Case(
            "streaming",
            f"evaluate_stream n={n:.0e} (chunks made on the fly, fresh process)",
            lambda: _stream_in_fresh_process(n),
            repeat=1,
            target="1e9 in < 60 s with peak RSS < 300 MB (printed above the table)",
        )
    )
    return out


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--stream":
        print(json.dumps(stream_once(int(float(sys.argv[2])))))
    else:
        sys.exit("usage: python -m benchmarks.bench_streaming --stream N")

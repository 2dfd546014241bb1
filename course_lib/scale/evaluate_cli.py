"""course-evaluate: classification metrics of prediction files, in one process or many.

    course-evaluate PATHS... [--threshold T] [--bins B] [--exact] [--json OUT]

Each path is an .npz file holding arrays ``y_true`` (labels 0..K-1, or booleans)
and ``y_score`` (a 1-D positive-class score for a binary problem, an (n, K)
matrix for K classes), or a folder of such files. Files are read block by
block, so their size does not matter.

One process by default. Under ``torchrun`` each of the N processes reads every
N-th file, counts into a :class:`~course_lib.scale.streaming.MetricState`, and the
states are summed with ``torch.distributed`` (gloo); rank 0 prints the report:

    torchrun --nproc-per-node=4 -m course_lib.scale.evaluate_cli predictions/
    torchrun --nnodes=2 --nproc-per-node=8 --rdzv-backend=c10d --rdzv-endpoint=HOST:29500 \\
        -m course_lib.scale.evaluate_cli /shared/predictions/

``--exact`` replaces the binned ROC-AUC and average precision by the exact
values (a range shuffle across processes: each holds its share of the data in
memory). A file that cannot be read or does not fit the others is an error
naming the file, the same one line on every process, and exit status 2 (a
crash is 1). torchrun itself exits 1 whenever a worker fails;
``python -m course_lib.scale.launch`` takes torchrun's options and exits with the
workers' status instead (2 for bad input).

Under torchrun the progress bar (rank 0's) counts rank 0's share of the
predictions, and says so; the report counts them all.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

import numpy as np

from course_lib.metrics.from_counts import average_over_classes
from course_lib.metrics.validation import expected
from course_lib.scale.npz_files import NpzFileError, expand_paths, npz_info, read_npz_blocks
from course_lib.scale.state import MetricState
from course_lib.scale.streaming import evaluate_stream

AVERAGES = ("micro", "macro", "weighted")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="course-evaluate",
        description="Classification metrics of .npz prediction files (arrays y_true and y_score), "
        "in one process or under torchrun.",
        epilog="Under torchrun each process reads its share of the files and rank 0 prints the report.",
    )
    parser.add_argument("paths", nargs="+", help=".npz files, or folders of them (searched recursively)")
    parser.add_argument("--threshold", type=float, default=0.5, help="binary decision rule: score >= T (default 0.5)")
    parser.add_argument("--bins", type=int, default=1000, help="score histogram bins over [0, 1] (default 1000)")
    parser.add_argument("--exact", action="store_true", help="exact ROC-AUC and average precision (data in memory)")
    parser.add_argument("--json", metavar="OUT", help="also write the metrics to this JSON file")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``course-evaluate``; returns the exit status (0, or 2 on an error)."""
    args = _parser().parse_args(argv)
    started_group = False
    try:
        if int(os.environ.get("WORLD_SIZE", "1")) > 1 and not _initialised():
            import torch.distributed as dist

            dist.init_process_group(backend="gloo")  # env:// from torchrun: MASTER_ADDR, RANK, WORLD_SIZE ...
            started_group = True
        rank, world_size = _rank_and_size()
        report = evaluate_files(
            args.paths,
            threshold=args.threshold,
            bins=args.bins,
            exact=args.exact,
            progress=not args.no_progress and rank == 0,
        )
        if rank == 0:
            print(format_report(report))
            if args.json:
                Path(args.json).write_text(json.dumps(_json_safe(report), indent=2) + "\n")
        return 0
    except (ValueError, TypeError, OSError) as exc:
        print(f"course-evaluate: error: {exc}", file=sys.stderr, flush=True)
        if getattr(exc, "agreed", False):  # every rank has the same error and prints it
            _every_rank_reaches_here()
        return 2
    finally:
        if started_group:
            import torch.distributed as dist

            dist.destroy_process_group()


def _every_rank_reaches_here() -> None:
    """A barrier: no rank exits before every rank has printed, so the launcher stops nobody mid-message."""
    import torch.distributed as dist

    try:
        dist.barrier()
    except RuntimeError:  # a rank that is already gone: nothing left to wait for
        pass


def _initialised() -> bool:
    if "torch" not in sys.modules:  # never import torch for a single process
        return False
    import torch.distributed as dist

    return dist.is_available() and dist.is_initialized()


def _rank_and_size() -> tuple[int, int]:
    if not _initialised():
        return 0, 1
    import torch.distributed as dist

    return dist.get_rank(), dist.get_world_size()


def _task_of(files: list[Path]) -> int:
    """Number of classes, read from the file headers; every file must agree with the first."""
    n_classes = None
    for path in files:
        _, score_shape = npz_info(path, argument="paths")
        k = 2 if len(score_shape) == 1 else score_shape[1]
        if len(score_shape) == 2 and k < 3:
            raise NpzFileError(
                expected(
                    "paths",
                    "a 1-D y_score for a binary problem or an (n, K) matrix with K >= 3",
                    f"{path}: y_score of shape {score_shape} (save y_score[:, 1] for two classes)",
                )
            )
        if n_classes is None:
            n_classes, first = k, path
        elif k != n_classes:
            what = "1-D scores (binary)" if n_classes == 2 else f"{n_classes} score columns"
            here = "1-D scores (binary)" if k == 2 else f"{k} score columns"
            raise NpzFileError(expected("paths", f"files like {first}, with {what}", f"{path} with {here}"))
    return n_classes


def evaluate_files(paths, *, threshold=0.5, bins=1000, exact=False, progress=False) -> dict:
    """The report of ``course-evaluate`` as a dict (metrics by their scikit-learn names).

    Works alone or inside an initialised ``torch.distributed`` process group
    (every rank calls it; each reads its share of the files). Any error on any
    rank is raised on every rank.
    """
    rank, world_size = _rank_and_size()
    error, state, local = None, None, None
    files: list[Path] = []
    try:
        files = expand_paths(paths)
        n_classes = _task_of(files)
        state = MetricState(range(n_classes), threshold=threshold, bins=bins)
        mine = files[rank::world_size]
        if exact:
            local = _read_into(state, mine)
        else:
            if progress and world_size > 1:  # the bar sees this process's files only: say so
                progress = f"rank {rank} of {world_size}, this process's share"
            evaluate_stream(mine, state=state, progress=progress)
    except (ValueError, TypeError, OSError) as exc:
        error = exc
    if world_size > 1:
        from course_lib.scale.distributed import all_reduce_state, raise_if_any_rank_failed

        raise_if_any_rank_failed(error)
        state = all_reduce_state(state)
    elif error is not None:
        raise error
    report = _scores(state)
    report.update(n_files=len(files), processes=world_size, threshold=threshold, bins=state.n_bins)
    if exact:
        report.update(_exact_scores(state, *local))
        report["mode"] = "exact"
    else:
        report["mode"] = "binned"
    return report


def _read_into(state: MetricState, files) -> tuple[np.ndarray, np.ndarray]:
    """Count this process's share into ``state`` and keep it in memory (for --exact)."""
    y_true, y_score = [], []
    for path in files:
        for block_true, block_score in read_npz_blocks(path, argument="paths"):
            try:
                state.update(block_true, block_score)
            except (ValueError, TypeError) as exc:
                raise type(exc)(f"{path}: {exc}") from None
            y_true.append(block_true)
            y_score.append(block_score)
    if not y_true:
        return np.zeros(0, dtype=np.int64), np.zeros((0,) if state.is_binary else (0, state.n_classes))
    return np.concatenate(y_true), np.concatenate(y_score)


def _scores(state: MetricState) -> dict:
    report = {
        "n_samples": state.n_samples,
        "task": "binary" if state.is_binary else "multiclass",
        "labels": state.labels.tolist(),
        "confusion_matrix": state.confusion_matrix().tolist(),
        "accuracy_score": state.accuracy_score(),
    }
    averages = ("binary",) if state.is_binary else AVERAGES
    for name, index in (("precision_score", 0), ("recall_score", 1), ("f1_score", 2)):
        values = {a: state.precision_recall_fscore_support(average=a, zero_division=0)[index] for a in averages}
        report[name] = values["binary"] if state.is_binary else values
    report.update(_ranking(state))
    return report


def _ranking(state: MetricState) -> dict:
    import warnings

    from course_lib.metrics.validation import UndefinedMetricWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        if state.is_binary:
            return {
                "roc_auc_score": state.roc_auc_score(),
                "average_precision_score": state.average_precision_score(),
                "auc_error_bound": state.auc_error_bound(),
            }
        both = ("macro", "weighted")
        return {
            "roc_auc_score": {a: state.roc_auc_score(multi_class="ovr", average=a) for a in both},
            "average_precision_score": {a: state.average_precision_score(average=a) for a in both},
            "auc_error_bound": {a: state.auc_error_bound(average=a) for a in both},
        }


def _exact_scores(state: MetricState, y_true: np.ndarray, y_score: np.ndarray) -> dict:
    """Exact ROC-AUC and AP across processes (one-vs-rest per class for multiclass)."""
    import warnings

    from course_lib.metrics.validation import UndefinedMetricWarning
    from course_lib.scale.distributed import distributed_ranking_scores

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        if state.is_binary:
            roc_auc, ap = distributed_ranking_scores(y_true, y_score)
            return {"roc_auc_score": roc_auc, "average_precision_score": ap, "auc_error_bound": 0.0}
        per_class = [distributed_ranking_scores(y_true == k, y_score[:, k]) for k in range(state.n_classes)]
    aucs, aps = np.array(per_class).T
    support = state.confusion.sum(axis=1)  # positives of each one-vs-rest problem
    out = {"auc_error_bound": {"macro": 0.0, "weighted": 0.0}}
    for name, values in (("roc_auc_score", aucs), ("average_precision_score", aps)):
        out[name] = {a: average_over_classes(values, a, weights=support) for a in ("macro", "weighted")}
    return out


def _json_safe(value):
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None  # JSON has no NaN
    return value


def _fmt(value) -> str:
    return "undefined" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.4f}"


def format_report(report: dict) -> str:
    """The text course-evaluate prints."""
    n, files, procs = report["n_samples"], report["n_files"], report["processes"]
    lines = [
        f"course-evaluate: {n:,} predictions from {files} file{'s' * (files != 1)} "
        f"on {procs} process{'es' * (procs != 1)}"
    ]
    if report["task"] == "binary":
        lines.append(f"binary task, labels [0, 1]; predicted positive when score >= {report['threshold']}")
    else:
        lines.append(f"multiclass task, labels 0..{len(report['labels']) - 1}; predicted class = arg-max score")
    lines += ["", "confusion matrix (rows: true label, columns: predicted label)"]
    matrix = np.array(report["confusion_matrix"])
    width = max(6, len(f"{matrix.max():,}") + 2)
    lines.append(" " * 6 + "".join(f"{label:>{width}}" for label in report["labels"]))
    for label, row in zip(report["labels"], matrix, strict=True):
        lines.append(f"{label:>6}" + "".join(f"{count:>{width},}" for count in row))
    lines.append("")
    lines.append(f"{'accuracy_score':<26}{_fmt(report['accuracy_score'])}")
    how = "exact" if report["mode"] == "exact" else f"binned, {report['bins']} bins"
    for name in ("precision_score", "recall_score", "f1_score", "roc_auc_score", "average_precision_score"):
        value = report[name]
        if isinstance(value, dict):
            text = "  ".join(f"{average} {_fmt(v)}" for average, v in value.items())
        else:
            text = _fmt(value)
        if name == "roc_auc_score":
            bound = report["auc_error_bound"]
            bound = bound["macro"] if isinstance(bound, dict) else bound
            text += f"  ({how}" + (f"; within {_fmt(bound)} of the exact value)" if report["mode"] == "binned" else ")")
        elif name == "average_precision_score":
            text += f"  ({how})"
        lines.append(f"{name:<26}{text}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

"""Starting processes that talk over ``torch.distributed``: on one machine for notebooks and tests, or torchrun.

- :func:`run_local` runs a function in N fresh processes joined in a gloo group on
  127.0.0.1 and returns each one's result (lesson 13 and the tests use it);
- ``python -m course_lib.scale.launch [torchrun options] -m MODULE ARGS`` is torchrun
  itself (same options, same workers) with one difference: its exit status is the
  workers'. torchrun exits 1 whenever a worker fails, whatever the reason, so a
  script cannot tell a bad input from a crash. Here, when the workers stop with
  status 2 (course-evaluate's "bad input": a file that cannot be read or does not
  fit the others, with the same one-line message on every rank), the launcher
  exits 2 too; any other failure exits 1.
"""

from __future__ import annotations

import datetime
import multiprocessing
import os
import queue as queue_module
import signal
import socket
import sys
import time
import traceback

from course_lib.metrics.validation import _describe, expected

__all__ = ["loopback_interface", "main", "run_local", "workers_exit_status"]

#: The exit status of a worker that stopped on bad input (course-evaluate's).
BAD_INPUT = 2


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
        import torch.distributed as dist

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


# --------------------------------------------------------------------------- torchrun, with the workers' exit status


def workers_exit_status(exit_codes) -> int:
    """The launcher's exit status from its failed workers' exit codes (a worker that succeeded is not listed).

    2 when some worker stopped on bad input (status 2) and every other failed one did too, or was
    stopped by the launcher itself (SIGTERM once the first worker ended); 1 for any other failure.

    >>> workers_exit_status([2, 2]), workers_exit_status([2, -signal.SIGTERM]), workers_exit_status([2, 1])
    (2, 2, 1)
    """
    codes = set(exit_codes)
    if BAD_INPUT in codes and codes <= {BAD_INPUT, -signal.SIGTERM}:
        return BAD_INPUT
    return 1 if codes else 0


def main(argv: list[str] | None = None) -> int:
    """``python -m course_lib.scale.launch``: torchrun's options and workers, the workers' exit status."""
    from torch.distributed.elastic.multiprocessing.errors import ChildFailedError
    from torch.distributed.run import parse_args, run

    args = parse_args(argv)
    try:
        run(args)
    except ChildFailedError as exc:
        codes = [failure.exitcode for failure in exc.failures.values()]
        status = workers_exit_status(codes)
        why = "bad input; the workers' message is above" if status == BAD_INPUT else "see the workers' errors above"
        print(f"launch: {len(codes)} worker(s) failed, exit codes {sorted(codes)}: {why}", file=sys.stderr)
        return status
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The stream loop: count any number of predictions into one :class:`~course_lib.scale.state.MetricState`.

:func:`evaluate_stream` takes an iterable of chunks (array pairs, .npz files, or
pairs of .npy files), reads each one block by block (:mod:`course_lib.scale.npz_files`)
and adds every block to one state, so memory stays constant however many
predictions there are. The state itself and its scores: :mod:`course_lib.scale.state`.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterable

from course_lib.metrics.validation import _describe, expected
from course_lib.scale.npz_files import npz_info, read_npy_pair_blocks, read_npz_blocks
from course_lib.scale.state import MetricState

__all__ = ["MetricState", "evaluate_stream", "read_chunk"]


def evaluate_stream(
    chunks, *, labels=(0, 1), threshold=0.5, bins=1000, state=None, progress=True, block_rows=1 << 20
) -> MetricState:
    """Count an iterable of chunks into one :class:`MetricState`, in constant memory.

    Parameters
    ----------
    chunks : iterable
        Each item is one of:

        - a pair ``(y_true, y_score)`` of arrays;
        - a path to an ``.npz`` file holding arrays ``y_true`` and ``y_score``:
          read block by block straight from the zip archive (compressed or not),
          so even a file larger than memory costs only ``block_rows`` rows;
        - a pair of paths to ``.npy`` files (memory-mapped, read block by block).

        A generator works: nothing is materialised beyond one block.
    labels, threshold, bins
        The configuration of a new state (see :class:`MetricState`).
    state : MetricState, optional
        Keep counting into this state instead (``labels``, ``threshold``, ``bins`` ignored).
    progress : bool or str, default True
        Show a tqdm progress bar counting predictions; a string is the bar's label.
        When ``chunks`` is a list of .npz paths the bar knows its total (from the file headers).
    block_rows : int, default 2**20
        Rows read from a file at a time.

    Returns
    -------
    MetricState

    A file that cannot be read, or that holds the wrong arrays, is an error
    naming the file.

    Examples
    --------
    >>> chunks = [([0, 1], [0.2, 0.7]), ([1, 0], [0.9, 0.6])]
    >>> evaluate_stream(chunks, bins=10, progress=False).confusion_matrix()
    array([[1, 1],
           [0, 2]])
    """
    if state is None:
        state = MetricState(labels, threshold=threshold, bins=bins)
    elif not isinstance(state, MetricState):
        raise TypeError(expected("state", "a MetricState or None", _describe(state)))
    if not isinstance(block_rows, numbers.Integral) or block_rows < 1:
        raise ValueError(expected("block_rows", "a positive integer", _describe(block_rows)))
    if isinstance(chunks, (str, bytes, os.PathLike)) or not isinstance(chunks, Iterable):
        raise TypeError(
            expected("chunks", "an iterable of chunks (a list of paths or of (y_true, y_score))", _describe(chunks))
        )
    from tqdm.auto import tqdm

    label = progress if isinstance(progress, str) else "evaluate_stream"
    total = _total_rows(chunks) if progress else None
    with tqdm(total=total, unit=" predictions", unit_scale=True, disable=not progress, desc=label) as bar:
        for item in chunks:
            source = _source_name(item)
            for y_true, y_score in read_chunk(item, block_rows=int(block_rows)):
                try:
                    state.update(y_true, y_score)
                except (ValueError, TypeError) as exc:
                    if source is None:
                        raise
                    raise type(exc)(f"{source}: {exc}") from None
                bar.update(len(y_true))
    return state


def _total_rows(chunks) -> int | None:
    """Predictions in a list of .npz paths, read from their headers; None for anything else (a generator...)."""
    if not isinstance(chunks, (list, tuple)) or not chunks or not all(_is_path(item) for item in chunks):
        return None
    try:
        return sum(npz_info(path)[0][0] for path in chunks)
    except ValueError:
        return None  # the loop below reports the broken file, naming it


def _is_path(item) -> bool:
    return isinstance(item, (str, os.PathLike))


def _source_name(item) -> str | None:
    if _is_path(item):
        return str(item)
    if isinstance(item, tuple) and len(item) == 2 and all(_is_path(p) for p in item):
        return f"{item[0]} / {item[1]}"
    return None


def read_chunk(item, *, block_rows: int = 1 << 20):
    """Yield ``(y_true, y_score)`` blocks of one chunk (see :func:`evaluate_stream` for the kinds)."""
    if _is_path(item):
        yield from read_npz_blocks(item, block_rows=block_rows)
    elif isinstance(item, (tuple, list)) and len(item) == 2:
        if all(_is_path(p) for p in item):
            yield from read_npy_pair_blocks(*item, block_rows=block_rows)
        else:
            yield item[0], item[1]
    else:
        raise TypeError(expected("chunks", "items that are (y_true, y_score) pairs or .npz paths", _describe(item)))

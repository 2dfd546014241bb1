"""Reading prediction files block by block: .npz archives (compressed or not) and pairs of .npy files.

An ``.npz`` file is a zip archive of ``.npy`` members. :func:`read_npz_blocks`
reads the two members ``y_true`` and ``y_score`` straight from the archive, a
block of rows at a time, decompressing as it goes, so a file larger than memory
costs only one block. :func:`npz_info` reads the headers alone (shapes, no data).
Every problem is a :class:`NpzFileError` (a ValueError) naming the file.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "part.npz"
    >>> np.savez_compressed(path, y_true=[0, 1, 1], y_score=[0.2, 0.9, 0.4])
    >>> npz_info(path)
    ((3,), (3,))
    >>> [len(y) for y, s in read_npz_blocks(path, block_rows=2)]
    [2, 1]
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from course_lib.metrics.validation import expected

__all__ = ["NpzFileError", "expand_paths", "npz_info", "read_npy_pair_blocks", "read_npz_blocks"]


def read_npy_pair_blocks(true_path, score_path, *, block_rows: int):
    """Yield ``(y_true, y_score)`` blocks from two .npy files (memory-mapped, read block by block)."""
    arrays = []
    for path in (true_path, score_path):
        try:
            arrays.append(np.load(path, mmap_mode="r", allow_pickle=False))
        except (OSError, ValueError) as exc:
            raise ValueError(expected("chunks", "readable .npy files", f"{path} ({exc})")) from None
    y_true, y_score = arrays
    if len(y_true) != len(y_score):
        raise ValueError(
            expected("chunks", "y_true and y_score files of equal length", f"{len(y_true)} vs {len(y_score)} rows")
        )
    for start in range(0, len(y_true), block_rows):
        yield np.asarray(y_true[start : start + block_rows]), np.asarray(y_score[start : start + block_rows])


class NpzFileError(ValueError):
    """An .npz file that cannot be read, or that holds the wrong arrays; the message names the file."""


def _npz_error(path, problem: str, argument: str) -> NpzFileError:
    return NpzFileError(expected(argument, "an .npz file with arrays `y_true` and `y_score`", f"{path}: {problem}"))


def _read_npy_header(stream, path, key, argument):
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
        else:
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise _npz_error(path, f"`{key}` is not a readable array ({exc})", argument) from None
    if dtype.hasobject:
        raise _npz_error(path, f"`{key}` holds Python objects", argument)
    return shape, fortran, dtype


def npz_info(path, *, argument: str = "chunks") -> tuple[tuple, tuple]:
    """Shapes of ``y_true`` and ``y_score`` in an .npz file, read from the headers only (no data).

    Raises an error naming the file when it is not a zip archive, lacks one of
    the arrays, or holds arrays whose shapes do not fit together.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            for key in ("y_true", "y_score"):
                if key + ".npy" not in names:
                    found = sorted(n.removesuffix(".npy") for n in names)
                    raise _npz_error(path, f"no array `{key}` (it holds {found})", argument)
            shapes = []
            for key in ("y_true", "y_score"):
                with archive.open(key + ".npy") as stream:
                    shapes.append(_read_npy_header(stream, path, key, argument)[0])
    except FileNotFoundError:
        raise _npz_error(path, "no such file", argument) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise _npz_error(path, f"not a zip archive ({exc})", argument) from None
    true_shape, score_shape = shapes
    if len(true_shape) != 1:
        raise _npz_error(path, f"`y_true` has shape {true_shape}, not (n,)", argument)
    if len(score_shape) not in (1, 2) or score_shape[0] != true_shape[0]:
        raise _npz_error(
            path, f"`y_score` has shape {score_shape}, which does not fit `y_true` of shape {true_shape}", argument
        )
    return true_shape, score_shape


def read_npz_blocks(path, *, block_rows: int = 1 << 20, argument: str = "chunks"):
    """Yield ``(y_true, y_score)`` blocks of ``block_rows`` rows from an .npz file, decompressing as it goes."""
    npz_info(path, argument=argument)
    try:
        with zipfile.ZipFile(path) as archive, archive.open("y_true.npy") as t, archive.open("y_score.npy") as s:
            true_shape, true_fortran, true_dtype = _read_npy_header(t, path, "y_true", argument)
            score_shape, score_fortran, score_dtype = _read_npy_header(s, path, "y_score", argument)
            if score_fortran and len(score_shape) == 2:  # column-major: rows are not contiguous, read it whole
                with np.load(path, allow_pickle=False) as data:
                    yield data["y_true"], data["y_score"]
                return
            row = score_shape[1:]
            score_row_bytes = score_dtype.itemsize * int(np.prod(row, dtype=np.int64))
            for start in range(0, true_shape[0], block_rows):
                m = min(block_rows, true_shape[0] - start)
                y_true = np.frombuffer(_read_exact(t, m * true_dtype.itemsize, path, argument), dtype=true_dtype)
                y_score = np.frombuffer(_read_exact(s, m * score_row_bytes, path, argument), dtype=score_dtype).reshape(
                    m, *row
                )
                yield y_true, y_score
    except NpzFileError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # bad CRC, broken deflate stream ...
        raise _npz_error(path, f"corrupt data ({exc})", argument) from None


def _read_exact(stream, n_bytes: int, path, argument) -> bytes:
    data = stream.read(n_bytes)
    if len(data) != n_bytes:
        raise _npz_error(path, "the file ends before its arrays do (truncated)", argument)
    return data


def expand_paths(paths) -> list[Path]:
    """.npz files from files and folders (a folder's .npz files, sorted, recursively); errors name the path."""
    files = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(path.rglob("*.npz"))
            if not found:
                raise ValueError(expected("paths", "folders holding .npz files", f"{path} with none"))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise ValueError(expected("paths", "existing files or folders", f"{path}, which does not exist"))
    return files

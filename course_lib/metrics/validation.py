"""Turning user input into checked NumPy arrays.

Every public function of course_lib validates its arguments here first, so a
learner who passes the wrong thing gets one kind of message everywhere:

    Expected argument `y_pred` to be <what was expected>, but got <what came>.

Nothing here guesses: a float array with 0.7 in it is not silently rounded into
a class label, a NaN is never counted, and two arrays of different lengths are
never truncated to the shorter one.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

AVERAGE_OPTIONS = ("binary", "micro", "macro", "weighted", "samples", None)


class UndefinedMetricWarning(UserWarning):
    """A score had a zero denominator and was replaced by the zero_division value."""


def expected(name: str, what: str, got) -> str:
    """The one error-message template of course_lib."""
    return f"Expected argument `{name}` to be {what}, but got {got}."


def _describe(value) -> str:
    """A short description of a value for error messages (never a huge repr)."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_array(y, name: str) -> np.ndarray:
    """Convert ``y`` to a NumPy array, refusing mixed strings and numbers."""
    if y is None:
        raise TypeError(expected(name, "an array-like", "None"))
    if isinstance(y, (str, bytes, numbers.Number)):
        raise TypeError(expected(name, "an array-like", _describe(y)))
    if hasattr(y, "detach") and hasattr(y, "cpu"):  # a torch tensor: no copy to the graph
        y = y.detach().cpu().numpy()
    try:
        arr = np.asarray(y)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(expected(name, "a rectangular array-like", f"{exc}")) from None
    if arr.dtype == object:
        kinds = {type(v) for v in arr.ravel()}
        has_str = any(issubclass(k, str) for k in kinds)
        has_num = any(issubclass(k, (numbers.Number, np.bool_)) for k in kinds)
        if has_str and has_num:
            raise TypeError(
                expected(name, "labels of one kind (all strings or all numbers)", "a mix of strings and numbers")
            )
        if has_str:
            arr = arr.astype(str)
    return arr


def check_labels_1d(y, name: str) -> np.ndarray:
    """A 1-D, non-empty array of class labels (integers, integral floats, bools or strings)."""
    arr = as_array(y, name)
    if arr.ndim != 1:
        hint = " (use y.ravel() for a column vector)" if arr.ndim == 2 and arr.shape[1] == 1 else ""
        raise ValueError(expected(name, "a 1-D array of labels" + hint, f"an array of shape {arr.shape}"))
    if arr.size == 0:
        raise ValueError(expected(name, "non-empty", "an empty array"))
    return _check_label_values(arr, name)


def _check_label_values(arr: np.ndarray, name: str) -> np.ndarray:
    if arr.dtype == bool:
        return arr.astype(np.int64)
    if arr.dtype.kind == "f":
        if not np.isfinite(arr).all():
            raise ValueError(expected(name, "free of NaN and infinity", "non-finite values"))
        if not np.array_equal(arr, np.round(arr)):
            raise ValueError(
                expected(name, "class labels (integers or strings)", "continuous values such as 0.7")
                + " Threshold scores into labels first, e.g. (y_score >= 0.5)."
            )
        return arr.astype(np.int64)
    if arr.dtype.kind == "c":
        raise TypeError(expected(name, "real class labels", "complex numbers"))
    if arr.dtype == object:
        raise TypeError(expected(name, "integer or string labels", "objects of other types"))
    return arr


def check_consistent_length(**arrays) -> int:
    """All arrays have the same number of samples; returns it."""
    lengths = {name: len(a) for name, a in arrays.items() if a is not None}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{n}={k}" for n, k in lengths.items())
        first = next(iter(lengths))
        raise ValueError(expected(first, "as long as the other arguments", f"lengths {detail}"))
    return next(iter(lengths.values()))


def check_sample_weight(sample_weight, n_samples: int):
    """None, or a 1-D finite non-negative float array of length n_samples."""
    if sample_weight is None:
        return None
    w = as_array(sample_weight, "sample_weight")
    if w.ndim != 1 or w.shape[0] != n_samples:
        raise ValueError(expected("sample_weight", f"a 1-D array of length {n_samples}", _describe(w)))
    if w.dtype.kind not in "biuf":
        raise TypeError(expected("sample_weight", "numeric", f"dtype {w.dtype}"))
    w = w.astype(np.float64)
    if not np.isfinite(w).all():
        raise ValueError(expected("sample_weight", "free of NaN and infinity", "non-finite values"))
    if (w < 0).any():
        raise ValueError(expected("sample_weight", "non-negative", "negative weights"))
    return w


def check_multilabel(y, name: str) -> np.ndarray:
    """A 2-D 0/1 indicator matrix of shape (n_samples, n_labels)."""
    arr = as_array(y, name)
    if arr.ndim != 2 or arr.shape[0] == 0:
        raise ValueError(expected(name, "a non-empty 2-D indicator matrix", f"shape {arr.shape}"))
    if arr.dtype.kind not in "biuf" or not np.isin(arr, (0, 1)).all():
        raise ValueError(expected(name, "an indicator matrix of 0s and 1s", "other values"))
    return arr.astype(np.int64)


def check_label_pair(y_true, y_pred):
    """Validate a pair of targets; return ``(kind, y_true, y_pred)``.

    ``kind`` is 'multilabel-indicator' (both 2-D 0/1 matrices) or 'single-label'
    (both 1-D label arrays of equal length). Deciding between binary and
    multiclass needs the label set, which costs a pass over the data, so it is
    left to :func:`check_targets` and done only where it matters.
    """
    t, p = as_array(y_true, "y_true"), as_array(y_pred, "y_pred")
    if t.ndim == 2 and t.shape[1] > 1 or p.ndim == 2 and p.shape[1] > 1:
        t, p = check_multilabel(t, "y_true"), check_multilabel(p, "y_pred")
        if t.shape != p.shape:
            raise ValueError(expected("y_pred", f"of the same shape as y_true {t.shape}", f"shape {p.shape}"))
        return "multilabel-indicator", t, p
    t, p = check_labels_1d(t, "y_true"), check_labels_1d(p, "y_pred")
    check_consistent_length(y_true=t, y_pred=p)
    if (t.dtype.kind == "U") != (p.dtype.kind == "U"):
        raise TypeError(
            expected("y_pred", "labels of the same kind as y_true", "strings in one and numbers in the other")
        )
    return "single-label", t, p


def check_targets(y_true, y_pred):
    """Classify the task and return ``(y_type, y_true, y_pred)``.

    ``y_type`` is 'binary' (at most two distinct labels over both arrays),
    'multiclass', or 'multilabel-indicator' (both 2-D 0/1 matrices).
    """
    kind, t, p = check_label_pair(y_true, y_pred)
    if kind == "multilabel-indicator":
        return kind, t, p
    return ("binary" if len(unique_labels_1d(t, p)) <= 2 else "multiclass"), t, p


def unique_labels_1d(*arrays: np.ndarray) -> np.ndarray:
    """Sorted distinct labels of 1-D label arrays; O(n) for small non-negative integers."""
    if all(a.dtype.kind in "iu" for a in arrays):
        low = min(int(a.min()) for a in arrays)
        high = max(int(a.max()) for a in arrays)
        if low >= 0 and high < 1 << 20:
            # One bincount per array is much cheaper than the sort inside np.unique.
            seen = np.zeros(high + 1, dtype=bool)
            for a in arrays:
                seen |= np.bincount(a, minlength=high + 1) > 0
            return np.flatnonzero(seen)
    return np.unique(np.concatenate(arrays))


def check_average(average, allowed=AVERAGE_OPTIONS):
    if average not in allowed:
        raise ValueError(expected("average", f"one of {allowed}", _describe(average)))
    return average


def check_zero_division(zero_division) -> float:
    """'warn' (0.0 plus a warning), 0, 1 or np.nan; returns the float value to use."""
    if isinstance(zero_division, str) and zero_division == "warn":
        return 0.0
    if isinstance(zero_division, numbers.Real) and not isinstance(zero_division, bool):
        if zero_division in (0, 1):
            return float(zero_division)
        if np.isnan(zero_division):
            return float("nan")
    raise ValueError(expected("zero_division", "'warn', 0, 1 or np.nan", _describe(zero_division)))


def check_beta(beta) -> float:
    if not isinstance(beta, numbers.Real) or isinstance(beta, bool) or np.isnan(beta):
        raise TypeError(expected("beta", "a real number", _describe(beta)))
    if beta < 0:
        raise ValueError(expected("beta", ">= 0", _describe(beta)))
    return float(beta)


def warn_undefined(message: str) -> None:
    warnings.warn(message, UndefinedMetricWarning, stacklevel=3)

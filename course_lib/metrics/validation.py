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


def check_labels_arg(labels, like: np.ndarray) -> np.ndarray:
    """The ``labels`` argument: a non-empty 1-D list of distinct labels of the same kind as ``like``."""
    arr = as_array(labels, "labels")
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(expected("labels", "a non-empty 1-D list of labels", _describe(arr)))
    if (arr.dtype.kind == "U") != (like.dtype.kind == "U"):
        raise TypeError(expected("labels", f"labels of the same kind as y_true ({like.dtype})", f"dtype {arr.dtype}"))
    if len(np.unique(arr)) != len(arr):
        raise ValueError(expected("labels", "free of duplicates", _describe(arr)))
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
    return check_option(average, "average", allowed)


# --------------------------------------------------------------------------- scalar options
# One policy: a value of the wrong type raises TypeError, a value of the right type
# but outside what is allowed raises ValueError; both name the argument.


def check_int(value, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """An integer (not a bool) within ``[minimum, maximum]``, as a Python int.

    >>> check_int(3, "n_bins", minimum=1)
    3
    """
    what = (
        "an integer"
        + (f" >= {minimum}" if minimum is not None else "")
        + (f" <= {maximum}" if maximum is not None else "")
    )
    if not isinstance(value, numbers.Integral) or isinstance(value, (bool, np.bool_)):
        raise TypeError(expected(name, what, _describe(value)))
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValueError(expected(name, what, _describe(value)))
    return int(value)


def check_real(value, name: str, *, low=None, high=None, low_open=False, high_open=False) -> float:
    """A real number (not a bool, not NaN) in the interval given by ``low``/``high``, as a float.

    Bounds are closed unless ``low_open``/``high_open``; without bounds the number
    must be finite.

    >>> check_real(0.5, "max_fpr", low=0, high=1, low_open=True)
    0.5
    """
    left = "(" if low_open else "["
    right = ")" if high_open else "]"
    if low is None and high is None:
        what = "a finite real number"
    else:
        what = f"a number in {left}{'-inf' if low is None else low}, {'inf' if high is None else high}{right}"
    if not isinstance(value, numbers.Real) or isinstance(value, (bool, np.bool_)):
        raise TypeError(expected(name, what, _describe(value)))
    value = float(value)
    bad = np.isnan(value) or (low is None and high is None and not np.isfinite(value))
    if low is not None:
        bad = bad or value < low or (low_open and value == low)
    if high is not None:
        bad = bad or value > high or (high_open and value == high)
    if bad:
        raise ValueError(expected(name, what, _describe(value)))
    return value


def check_bool(value, name: str) -> bool:
    """True or False (NumPy bools too); anything else is a TypeError."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(expected(name, "True or False", _describe(value)))
    return bool(value)


def check_option(value, name: str, options):
    """One of ``options`` (compared by equality; unhashable values are refused too)."""
    # isinstance first, so that an array is never compared with a string and 1 never matches True.
    ok = any(
        value is option if option is None else isinstance(value, type(option)) and value == option for option in options
    )
    if not ok:
        raise ValueError(expected(name, f"one of {tuple(options)}", _describe(value)))
    return value


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


# --------------------------------------------------------------------------- scores, weights, probabilities


def check_scores(y_score, name: str = "y_score", *, ndim: int = 1) -> np.ndarray:
    """A non-empty, finite, real-valued score array with ``ndim`` dimensions.

    Scores need not be probabilities: decision-function values outside [0, 1]
    are fine. Booleans become 0/1 floats.
    """
    arr = as_array(y_score, name)
    if arr.dtype == bool:
        arr = arr.astype(np.float64)
    if arr.dtype.kind not in "iuf":
        raise TypeError(expected(name, "real-valued scores", f"dtype {arr.dtype}"))
    if arr.ndim != ndim:
        what = "a 1-D array of scores" if ndim == 1 else "a 2-D array of scores of shape (n_samples, n_outputs)"
        hint = " (use y_score.ravel() for a column vector)" if ndim == 1 and arr.ndim == 2 and arr.shape[1] == 1 else ""
        raise ValueError(expected(name, what + hint, f"an array of shape {arr.shape}"))
    if arr.size == 0:
        raise ValueError(expected(name, "non-empty", "an empty array"))
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(expected(name, "free of NaN and infinity", "non-finite values"))
    return arr


def check_weights(sample_weight, n_samples: int):
    """None, or non-negative finite weights of which at least one is positive."""
    w = check_sample_weight(sample_weight, n_samples)
    if w is not None and not (w > 0).any():
        raise ValueError(expected("sample_weight", "positive for at least one sample", "all zero weights"))
    return w


def check_probabilities(y_prob, name: str, *, rows_sum_to_one: bool = True) -> np.ndarray:
    """A non-empty 1-D or 2-D float array with every value in [0, 1].

    An ``(n, 1)`` column is flattened to 1-D (one probability per sample, as
    scikit-learn treats it). float32 input stays float32 so that log-loss clips
    with float32's epsilon, as scikit-learn does; other numeric input becomes
    float64. With ``rows_sum_to_one`` each row of a 2-D array must sum to 1
    within scikit-learn's tolerance (``rtol=sqrt(eps)``, ``atol=1e-8``).
    """
    arr = as_array(y_prob, name)
    if arr.dtype.kind not in "biuf":
        raise TypeError(expected(name, "an array of probabilities (numbers in [0, 1])", _describe(arr)))
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim not in (1, 2):
        raise ValueError(expected(name, "a 1-D or 2-D array of probabilities", f"an array of shape {arr.shape}"))
    if arr.size == 0:
        raise ValueError(expected(name, "non-empty", f"an array of shape {arr.shape}"))
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    low, high = float(arr.min()), float(arr.max())  # NaN propagates through min and max
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ValueError(expected(name, "free of NaN and infinity", "non-finite values"))
    if low < 0 or high > 1:
        raise ValueError(
            expected(name, "probabilities in [0, 1]", f"values from {low:.6g} to {high:.6g}")
            + " Raw scores or logits need a sigmoid (or softmax) first; course_lib never applies one silently."
        )
    if rows_sum_to_one and arr.ndim == 2:
        sums = arr.sum(axis=1)
        eps = np.finfo(arr.dtype).eps
        if not np.isclose(sums, 1.0, rtol=np.sqrt(eps), atol=1e-8).all():
            # scikit-learn 1.9 only warns here and then scores the numbers as they are, so
            # a row summing to 0.6 quietly gets a better log-loss than it deserves.
            raise ValueError(
                expected(name, "rows that sum to 1 (one distribution over the classes per sample)",
                         f"row sums from {sums.min():.6g} to {sums.max():.6g}")
                + " Normalise the rows (or apply a softmax to logits) first."
            )  # fmt: skip
    return arr


# --------------------------------------------------------------------------- the positive class


def classes_of(labels: np.ndarray) -> np.ndarray:
    """Sorted distinct labels; for integer labels {k, k + 1} just a min and a max (no counting pass)."""
    if labels.dtype.kind in "iu" and len(labels) > 0:
        low, high = labels.min(), labels.max()
        if high - low <= 1:  # both extremes occur, and nothing fits between them
            return np.unique(np.array([low, high]))
    return unique_labels_1d(labels)


def _is_default_binary(classes: np.ndarray) -> bool:
    """Labels {0, 1}, {-1, 1} or one of 0, -1, 1 alone: positive label 1 needs no saying."""
    if classes.dtype.kind not in "biuf":
        return False
    return set(classes.tolist()) in ({0, 1}, {-1, 1}, {0}, {-1}, {1})


def resolve_pos_label(pos_label, classes: np.ndarray, *, greatest_if_numeric: bool = False):
    """The positive label of a binary problem whose sorted distinct labels are ``classes``.

    The one rule of course_lib (scikit-learn's): ``pos_label=None`` is allowed only
    for labels {0, 1} or {-1, 1} (then 1 is positive); otherwise say which label
    is. The Brier score alone falls back to the greatest numeric label
    (``greatest_if_numeric``). A ``pos_label`` of another kind than the labels
    (a string for numeric labels, or the reverse) is a TypeError; one that is not
    among two present labels is a ValueError.

    >>> resolve_pos_label(None, np.array([0, 1])), resolve_pos_label("spam", np.array(["ham", "spam"]))
    (1, 'spam')
    """
    if pos_label is None:
        if _is_default_binary(classes):
            return 1
        if greatest_if_numeric and classes.dtype.kind != "U" and len(classes) <= 2:
            return classes[-1].item()
        raise ValueError(
            expected(
                "pos_label",
                "given when y_true's labels are not {0, 1} or {-1, 1}",
                f"None with labels {classes.tolist()}",
            )
        )
    if isinstance(pos_label, str) != (classes.dtype.kind == "U"):
        raise TypeError(
            expected("pos_label", f"a label of the same kind as y_true ({classes.tolist()})", repr(pos_label))
        )
    if len(classes) == 2 and pos_label not in classes.tolist():
        raise ValueError(expected("pos_label", f"one of the labels present {classes.tolist()}", repr(pos_label)))
    return pos_label


def binary_target(y_true, pos_label=None, *, greatest_if_numeric: bool = False, hint: str = "") -> np.ndarray:
    """``y_true == positive label`` as a bool array, after checking y_true has at most two classes.

    ``hint`` is appended to the error for more than two classes (where to go instead).
    """
    labels = check_labels_1d(y_true, "y_true")
    classes = classes_of(labels)
    if len(classes) > 2:
        shown = classes[:6].tolist()
        raise ValueError(
            expected("y_true", "binary labels (at most two classes)", f"{len(classes)} classes {shown}") + hint
        )
    return labels == resolve_pos_label(pos_label, classes, greatest_if_numeric=greatest_if_numeric)


def check_binary_inputs(y_true, y_score, pos_label=None, sample_weight=None, *, hint: str = ""):
    """Validated ``(is_positive, y_score, sample_weight)`` for a binary score function."""
    is_pos = binary_target(y_true, pos_label, hint=hint)
    y_score = check_scores(y_score)
    check_consistent_length(y_true=is_pos, y_score=y_score)
    return is_pos, y_score, check_weights(sample_weight, len(is_pos))

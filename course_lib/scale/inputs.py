"""Input checks of the scale layer: a state's labels and threshold, and scores (finite reals; empty is fine)."""

from __future__ import annotations

import numpy as np

from course_lib.metrics.validation import _check_label_values, _describe, as_array, check_real, expected

__all__ = ["check_score_values", "check_state_labels", "check_state_scores", "check_threshold", "label_codes"]


def check_state_labels(labels) -> np.ndarray:
    """At least two distinct class labels, 1-D."""
    arr = as_array(labels, "labels")
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(expected("labels", "a 1-D list of at least two class labels", _describe(labels)))
    arr = _check_label_values(arr, "labels")
    if len(np.unique(arr)) != len(arr):
        raise ValueError(expected("labels", "free of duplicates", _describe(arr.tolist())))
    return arr


def check_threshold(threshold) -> float:
    """A finite number (a TypeError for anything that is not a real number)."""
    return check_real(threshold, "threshold")


def check_score_values(arr: np.ndarray, name: str) -> np.ndarray:
    """``arr`` as real scores (booleans become 0/1): a TypeError for other dtypes, a ValueError for NaN or infinity."""
    if arr.dtype == bool:
        return arr.astype(np.float64)
    if arr.dtype.kind not in "iuf":
        raise TypeError(expected(name, "real-valued scores", f"dtype {arr.dtype}"))
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(expected(name, "free of NaN and infinity", "non-finite values"))
    return arr


def label_codes(y_true, labels: np.ndarray, *, labels_are_indices: bool) -> np.ndarray:
    """Index of each label of ``y_true`` in ``labels`` (checked: an unknown label is an error).

    ``labels_are_indices``: ``labels`` is 0..K-1 in order, so an integer label is its own index.
    """
    arr = as_array(y_true, "y_true")
    if arr.ndim != 1:
        raise ValueError(expected("y_true", "a 1-D array of labels", f"an array of shape {arr.shape}"))
    if arr.size == 0:
        return arr.astype(np.intp)
    if arr.dtype == bool:
        arr = arr.view(np.uint8)
    if labels_are_indices and arr.dtype.kind in "iu":
        low, high = int(arr.min()), int(arr.max())
        if low < 0 or high >= len(labels):
            bad = low if low < 0 else high
            raise ValueError(expected("y_true", f"labels among {labels.tolist()}", f"the label {bad}"))
        return arr
    arr = _check_label_values(arr, "y_true")
    if (arr.dtype.kind == "U") != (labels.dtype.kind == "U"):
        raise TypeError(expected("y_true", f"labels of the same kind as {labels.tolist()}", f"dtype {arr.dtype}"))
    order = np.argsort(labels)
    ordered = labels[order]
    position = np.minimum(np.searchsorted(ordered, arr), len(ordered) - 1)
    unknown = ordered[position] != arr
    if unknown.any():
        bad = arr[np.argmax(unknown)]
        raise ValueError(expected("y_true", f"labels among {labels.tolist()}", f"the label {bad!r}"))
    return order[position]


def check_state_scores(y_score, n: int, *, n_classes: int) -> np.ndarray:
    """Scores of n samples: 1-D for a binary state (``n_classes == 2``), (n, K) otherwise."""
    arr = as_array(y_score, "y_score")
    if n_classes == 2:
        if arr.ndim != 1:
            hint = " For predict_proba output pass y_score[:, 1]." if arr.ndim == 2 and arr.shape[1] == 2 else ""
            raise ValueError(
                expected("y_score", "a 1-D array of positive-class scores", f"an array of shape {arr.shape}") + hint
            )
    elif arr.ndim != 2 or arr.shape[1] != n_classes:
        raise ValueError(
            expected("y_score", f"an array of shape (n, {n_classes}), one column per label", f"shape {arr.shape}")
        )
    if arr.shape[0] != n:
        raise ValueError(expected("y_score", f"as long as y_true ({n})", f"{arr.shape[0]} rows"))
    return check_score_values(arr, "y_score")

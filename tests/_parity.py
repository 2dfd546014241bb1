"""What the tests comparing course_lib with another implementation share: input strategies and a side-by-side call.

The strategies draw NumPy arrays for hypothesis. Each test module still names what it draws (``label_pairs``,
``labelled_scores`` ...) and adds its own twists (label offsets, weights, a mostly-right classifier) on top.
"""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def parity_settings(max_examples: int) -> settings:
    """Hypothesis settings of every parity test: no deadline (a loaded machine is slow), no too-slow health check."""
    return settings(max_examples=max_examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_close(ours, theirs, atol: float = 1e-12) -> None:
    """Same shape and equal to ``atol`` (absolute only: the numbers compared are scores in a bounded range)."""
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=atol)


def labels(k: int, n: int) -> st.SearchStrategy:
    """``n`` class labels among ``0 .. k-1`` as an array; any class may be missing."""
    return st.lists(st.integers(0, k - 1), min_size=n, max_size=n).map(np.array)


@st.composite
def classes_and_labels(draw, max_k: int = 20, max_n: int = 60) -> tuple[int, np.ndarray]:
    """``(k, y_true)``: a class count from 1 to ``max_k`` and 1 to ``max_n`` labels among those classes."""
    k = draw(st.integers(1, max_k))
    n = draw(st.integers(1, max_n))
    return k, draw(labels(k, n))


@st.composite
def binary_labels_with_grid_values(draw, *, low: int, high: int, scale: int, max_n: int = 60):
    """``(y, values)``: 2 to ``max_n`` binary labels, both classes present, and per sample a value on a grid.

    Each value is ``i / scale`` for an integer ``i`` in ``[low, high]``: a coarse grid makes ties common.
    """
    n = draw(st.integers(min_value=2, max_value=max_n))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    y[:2] = [0, 1]  # both classes, wherever hypothesis shrinks to
    values = np.array(draw(st.lists(st.integers(low, high), min_size=n, max_size=n))) / scale
    return y, values


def run_both(ours_fn, theirs_fn, *args, **kwargs):
    """``(ours, theirs, our_warnings, their_warnings)``: both functions called alike, every warning recorded."""
    with warnings.catch_warnings(record=True) as ours_w:
        warnings.simplefilter("always")
        ours = ours_fn(*args, **kwargs)
    with warnings.catch_warnings(record=True) as theirs_w:
        warnings.simplefilter("always")
        theirs = theirs_fn(*args, **kwargs)
    return ours, theirs, ours_w, theirs_w

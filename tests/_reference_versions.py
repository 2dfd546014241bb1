"""Skip a comparison with a reference library, saying why, when the installed version lacks what it compares.

``make test-oldest`` runs the tests on the oldest versions pyproject.toml declares (scikit-learn 1.5 ...). A
parity test that passes a parameter scikit-learn added later (``replace_undefined_by=``, ``scale_by_half=``) or
calls a function it added later (``confusion_matrix_at_thresholds``) cannot compare anything there: it skips and
says which version lacks what. With the pinned versions (``make test``) nothing may be missing, so there the same
mark fails the collection instead of skipping: a skip can never hide a broken comparison in CI.

    from _reference_versions import needs

    @needs("sklearn.metrics.cohen_kappa_score", parameter="replace_undefined_by")
    def test_kappa_matches_sklearn(...): ...

    @needs("sklearn.metrics.confusion_matrix_at_thresholds")
    def test_confusion_matrix_at_thresholds_matches_sklearn(...): ...

    @needs_behaviour(one_class_roc_auc_is_nan, "returns NaN for a one-class y_true (older versions raise)")
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTIONS = {"sklearn": "scikit-learn"}  # import name -> distribution name, where they differ


def pinned_version(distribution: str) -> str | None:
    """The version requirements.txt pins ``distribution`` to (None if it does not)."""
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line.split("#", 1)[0].strip())
        if match and match[1].lower() == distribution.lower():
            return match[2]
    return None


def _mark(distribution: str, missing: str | None):
    if missing is None:
        return pytest.mark.skipif(False, reason="")
    installed = version(distribution).split("+")[0]
    reason = f"{distribution} {installed} {missing}"
    if installed == pinned_version(distribution):
        raise AssertionError(f"the pinned {reason}: the comparison cannot be skipped with the pinned versions")
    return pytest.mark.skip(reason=reason)


def missing_from(path: str, parameter: str | None = None) -> str | None:
    """What the installed library lacks of ``path`` (``package.module.function``) and its ``parameter``, or None."""
    module_name, _, name = path.rpartition(".")
    function = getattr(importlib.import_module(module_name), name, None)
    if function is None:
        return f"has no {path} (added in a later version)"
    if parameter is not None and parameter not in inspect.signature(function).parameters:
        return f"has no parameter `{parameter}` in {path} (added in a later version)"
    return None


def needs(path: str, parameter: str | None = None):
    """Mark: skip with a reason where the installed library lacks ``path`` (or its ``parameter``)."""
    root = path.split(".")[0]
    return _mark(DISTRIBUTIONS.get(root, root), missing_from(path, parameter))


def needs_behaviour(probe: Callable[[], bool], behaviour: str, distribution: str = "scikit-learn"):
    """Mark: skip with a reason where ``probe()`` says the installed library does not behave as compared."""
    return _mark(
        distribution, None if probe() else f"does not behave as compared here: the test needs it to {behaviour}"
    )


def one_class_roc_auc_is_nan() -> bool:
    """Newer scikit-learn returns NaN (with a warning) for a one-class ``y_true``, as course_lib does; older raises."""
    import warnings

    from sklearn.metrics import roc_auc_score

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return bool(roc_auc_score([0, 0], [0.1, 0.2]) != roc_auc_score([0, 0], [0.1, 0.2]))
    except ValueError:
        return False

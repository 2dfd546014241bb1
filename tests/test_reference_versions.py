"""The marks that skip a comparison an older reference library cannot make (tests/_reference_versions.py)."""

from __future__ import annotations

import pytest
from _reference_versions import missing_from, needs, needs_behaviour, one_class_roc_auc_is_nan, pinned_version


def test_present_functions_and_parameters_are_not_missing():
    assert missing_from("sklearn.metrics.f1_score") is None
    assert missing_from("sklearn.metrics.f1_score", parameter="zero_division") is None


def test_a_missing_parameter_or_function_is_named():
    assert missing_from("sklearn.metrics.f1_score", parameter="no_such_option") == (
        "has no parameter `no_such_option` in sklearn.metrics.f1_score (added in a later version)"
    )
    assert missing_from("sklearn.metrics.no_such_metric") == (
        "has no sklearn.metrics.no_such_metric (added in a later version)"
    )


def test_with_the_pinned_version_a_missing_parameter_fails_instead_of_skipping(monkeypatch):
    from importlib.metadata import version

    import _reference_versions

    monkeypatch.setattr(_reference_versions, "pinned_version", lambda name: version(name).split("+")[0])
    with pytest.raises(AssertionError, match="cannot be skipped with the pinned versions"):
        needs("sklearn.metrics.f1_score", parameter="no_such_option")


def test_with_another_version_it_skips_and_says_why(monkeypatch):
    import _reference_versions

    monkeypatch.setattr(_reference_versions, "pinned_version", lambda name: "0.0.0")
    mark = needs("sklearn.metrics.f1_score", parameter="no_such_option")
    assert mark.name == "skip" and "no_such_option" in mark.kwargs["reason"] and "scikit-learn" in mark.kwargs["reason"]
    mark = needs_behaviour(lambda: False, "return NaN")
    assert mark.name == "skip" and "return NaN" in mark.kwargs["reason"]


def test_present_parameters_leave_the_test_alone():
    mark = needs("sklearn.metrics.f1_score", parameter="zero_division")
    assert mark.name == "skipif" and mark.args == (False,)


# What the parity tests of the course compare that scikit-learn 1.5 (the declared floor) lacks.
NEWER_THAN_THE_FLOOR = [
    ("sklearn.metrics.cohen_kappa_score", "replace_undefined_by"),
    ("sklearn.metrics.brier_score_loss", "scale_by_half"),
    ("sklearn.metrics.confusion_matrix_at_thresholds", None),
]


@pytest.mark.parametrize(("path", "parameter"), NEWER_THAN_THE_FLOOR)
def test_the_pinned_scikit_learn_has_what_the_parity_tests_compare(path, parameter):
    from importlib.metadata import version

    installed, pinned = version("scikit-learn"), pinned_version("scikit-learn")
    if installed != pinned:
        assert needs(path, parameter).name in ("skip", "skipif")  # a mark, never an error, on other versions
        pytest.skip(f"scikit-learn {installed} is not the pinned {pinned}")
    assert missing_from(path, parameter) is None
    assert one_class_roc_auc_is_nan()

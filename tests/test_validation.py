"""Bad input gets a clear error naming the argument; never a silent wrong number."""

from __future__ import annotations

import numpy as np
import pytest

import course_lib as cl

GOOD = [0, 1, 1, 0]


@pytest.mark.parametrize(
    ("kwargs", "error", "argument"),
    [
        (dict(y_true=[0, 1, 1], y_pred=[0, 1]), ValueError, "y_true"),
        (dict(y_true=[], y_pred=[]), ValueError, "y_true"),
        (dict(y_true=[0, 1, np.nan, 1], y_pred=GOOD), ValueError, "y_true"),
        (dict(y_true=GOOD, y_pred=[0, 1, np.inf, 1]), ValueError, "y_pred"),
        (dict(y_true=GOOD, y_pred=[0.2, 0.9, 0.4, 0.7]), ValueError, "y_pred"),
        (dict(y_true=np.array(GOOD).reshape(-1, 1), y_pred=GOOD), ValueError, "y_true"),
        (dict(y_true=[[0, 1, 2], [1, 0, 1]], y_pred=[[0, 1, 2], [1, 0, 1]]), ValueError, "y_true"),
        (dict(y_true=GOOD, y_pred=[0, "a", 1, 0]), TypeError, "y_pred"),
        (dict(y_true=["a", "b", "a", "b"], y_pred=GOOD), TypeError, "y_pred"),
        (dict(y_true=None, y_pred=GOOD), TypeError, "y_true"),
        (dict(y_true=5, y_pred=GOOD), TypeError, "y_true"),
        (dict(y_true=[0, 1, 2, 1], y_pred=GOOD), ValueError, "average"),
        (dict(y_true=[2, 3, 3, 2], y_pred=[2, 3, 2, 2]), ValueError, "pos_label"),
        (dict(y_true=GOOD, y_pred=GOOD, average="mean"), ValueError, "average"),
        (dict(y_true=GOOD, y_pred=GOOD, zero_division=0.5), ValueError, "zero_division"),
        (dict(y_true=GOOD, y_pred=GOOD, zero_division="nan"), ValueError, "zero_division"),
        (dict(y_true=GOOD, y_pred=GOOD, average="samples"), ValueError, "average"),
        (dict(y_true=GOOD, y_pred=GOOD, sample_weight=[1, 2]), ValueError, "sample_weight"),
        (dict(y_true=GOOD, y_pred=GOOD, sample_weight=[1, -2, 1, 1]), ValueError, "sample_weight"),
    ],
)
def test_f1_score_rejects_bad_input(kwargs, error, argument):
    with pytest.raises(error, match=f"`{argument}`"):
        cl.f1_score(**kwargs)


@pytest.mark.parametrize("beta", [-1, -0.5])
def test_negative_beta(beta):
    with pytest.raises(ValueError, match="`beta`"):
        cl.fbeta_score(GOOD, GOOD, beta=beta)


@pytest.mark.parametrize("beta", ["2", None, np.nan])
def test_beta_must_be_a_number(beta):
    with pytest.raises(TypeError, match="`beta`"):
        cl.fbeta_score(GOOD, GOOD, beta=beta)


def test_every_metric_names_its_argument_for_mismatched_lengths():
    for fn in (
        cl.accuracy_score,
        cl.precision_score,
        cl.recall_score,
        cl.f1_score,
        cl.confusion_matrix,
        cl.multilabel_confusion_matrix,
        cl.classification_report,
        cl.precision_recall_fscore_support,
    ):
        with pytest.raises(ValueError, match="`y_true`.*lengths y_true=3, y_pred=2"):
            fn([0, 1, 1], [0, 1])


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        (dict(labels=[]), "labels"),
        (dict(labels=[7, 8]), "labels"),
        (dict(labels=[0, 0]), "labels"),
        (dict(normalize="rows"), "normalize"),
    ],
)
def test_confusion_matrix_rejects_bad_options(kwargs, argument):
    with pytest.raises(ValueError, match=f"`{argument}`"):
        cl.confusion_matrix(GOOD, GOOD, **kwargs)


def test_confusion_matrix_refuses_multilabel_and_string_labels_for_numbers():
    with pytest.raises(ValueError, match="multilabel_confusion_matrix"):
        cl.confusion_matrix([[0, 1], [1, 1]], [[0, 1], [1, 0]])
    with pytest.raises(TypeError, match="`labels`"):
        cl.confusion_matrix(GOOD, GOOD, labels=["a", "b"])


def test_multilabel_shapes_and_values():
    with pytest.raises(ValueError, match="`y_pred`"):
        cl.f1_score([[0, 1], [1, 1]], [[0, 1, 1], [1, 0, 1]], average="macro")
    with pytest.raises(ValueError, match="`y_true`"):
        cl.f1_score([[0, 2], [1, 1]], [[0, 1], [1, 0]], average="macro")
    with pytest.raises(ValueError, match="`labels`"):
        cl.multilabel_confusion_matrix([[0, 1], [1, 1]], [[0, 1], [1, 0]], labels=[0, 5])
    with pytest.raises(ValueError, match="`samplewise`"):
        cl.multilabel_confusion_matrix(GOOD, GOOD, samplewise=True)


def test_classification_report_checks_target_names_and_digits():
    with pytest.raises(ValueError, match="`target_names`"):
        cl.classification_report(GOOD, GOOD, target_names=["only one"])
    with pytest.raises(ValueError, match="`digits`"):
        cl.classification_report(GOOD, GOOD, digits=-1)


def test_zero_division_warn_is_never_silent():
    with pytest.warns(cl.UndefinedMetricWarning, match="Precision is ill-defined"):
        assert cl.precision_score([0, 1, 1], [0, 0, 0]) == 0.0
    # An explicit choice silences the warning and gives that value.
    assert np.isnan(cl.precision_score([0, 1, 1], [0, 0, 0], zero_division=np.nan))
    assert cl.precision_score([0, 1, 1], [0, 0, 0], zero_division=1) == 1.0


def test_error_message_template():
    with pytest.raises(ValueError) as info:
        cl.f1_score(GOOD, GOOD, average="mean")
    assert str(info.value).startswith("Expected argument `average` to be one of")
    assert "but got 'mean'" in str(info.value)

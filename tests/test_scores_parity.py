"""course_lib's set-based metrics agree with scikit-learn on thousands of random inputs.

scikit-learn is the oracle: same numbers (to 1e-12, NaN where NaN), same
warnings, on awkward inputs too (one class only, a class never predicted, a
class absent from y_true, K up to 20, multilabel indicator matrices, every
zero_division value, sample weights).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import sklearn.metrics as skm
from _parity import assert_close, classes_and_labels, labels, parity_settings, run_both
from hypothesis import given
from hypothesis import strategies as st

import course_lib as cl

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # warnings are compared explicitly
ZERO_DIVISIONS = ["warn", 0, 1, np.nan]
AVERAGES = ["micro", "macro", "weighted", None]
SETTINGS = parity_settings(300)


@st.composite
def label_pairs(draw, max_k=20, max_n=60):
    """1-D y_true, y_pred with K classes; some classes may be missing on either side."""
    k, y_true = draw(classes_and_labels(max_k, max_n))
    y_pred = draw(labels(k, len(y_true)))
    offset = draw(st.sampled_from([0, 0, 3, -2, 1000]))  # labels need not start at 0
    return y_true + offset, y_pred + offset


@st.composite
def multilabel_pairs(draw):
    n = draw(st.integers(1, 30))
    k = draw(st.integers(2, 8))
    bits = st.lists(st.lists(st.integers(0, 1), min_size=k, max_size=k), min_size=n, max_size=n)
    return np.array(draw(bits)), np.array(draw(bits))


def both(fn_name, *args, **kwargs):
    """Call the function of the same name in both libraries, collecting warnings."""
    return run_both(getattr(cl, fn_name), getattr(skm, fn_name), *args, **kwargs)


def undefined_warnings(records):
    return [str(w.message) for w in records if "ill-defined" in str(w.message)]


@SETTINGS
@given(label_pairs(), st.booleans())
def test_confusion_matrix(pair, weighted):
    y_true, y_pred = pair
    weights = np.arange(1, len(y_true) + 1) / 7 if weighted else None
    ours, theirs, _, _ = both("confusion_matrix", y_true, y_pred, sample_weight=weights)
    assert ours.dtype == theirs.dtype
    assert_close(ours, theirs)
    for normalize in ("true", "pred", "all"):
        assert_close(
            cl.confusion_matrix(y_true, y_pred, normalize=normalize),
            skm.confusion_matrix(y_true, y_pred, normalize=normalize),
        )


@SETTINGS
@given(label_pairs(), st.data())
def test_confusion_matrix_with_labels(pair, data):
    y_true, y_pred = pair
    pool = sorted(set(y_true.tolist()) | set(y_pred.tolist()) | {-7, 99})
    labels = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=len(pool), unique=True))
    if not np.isin(labels, y_true).any():
        with pytest.raises(ValueError, match="labels"):
            cl.confusion_matrix(y_true, y_pred, labels=labels)
        return
    assert_close(
        cl.confusion_matrix(y_true, y_pred, labels=labels), skm.confusion_matrix(y_true, y_pred, labels=labels)
    )


@SETTINGS
@given(label_pairs(), st.booleans())
def test_multilabel_confusion_matrix_single_label(pair, with_labels):
    y_true, y_pred = pair
    labels = sorted(set(y_true.tolist()))[::-1] + [12345] if with_labels else None
    ours, theirs, _, _ = both("multilabel_confusion_matrix", y_true, y_pred, labels=labels)
    assert_close(ours, theirs)


@SETTINGS
@given(multilabel_pairs(), st.booleans(), st.booleans())
def test_multilabel_confusion_matrix_indicator(pair, samplewise, weighted):
    y_true, y_pred = pair
    weights = np.linspace(0.5, 2.0, len(y_true)) if weighted else None
    ours, theirs, _, _ = both(
        "multilabel_confusion_matrix", y_true, y_pred, samplewise=samplewise, sample_weight=weights
    )
    assert_close(ours, theirs)


@SETTINGS
@given(label_pairs(), st.sampled_from(AVERAGES), st.sampled_from(ZERO_DIVISIONS), st.sampled_from([0.0, 0.5, 1, 2.0]))
def test_precision_recall_fscore_support(pair, average, zero_division, beta):
    y_true, y_pred = pair
    ours, theirs, ours_w, theirs_w = both(
        "precision_recall_fscore_support", y_true, y_pred, average=average, zero_division=zero_division, beta=beta
    )
    for a, b in zip(ours, theirs, strict=True):
        if b is None:
            assert a is None
        else:
            assert_close(a, b)
    assert len(undefined_warnings(ours_w)) == len(undefined_warnings(theirs_w))


@SETTINGS
@given(label_pairs(max_k=2), st.sampled_from(ZERO_DIVISIONS), st.sampled_from([0, 1]))
def test_binary_scores(pair, zero_division, pos_label):
    y_true, y_pred = pair
    y_true, y_pred = y_true - y_true.min(), y_pred - y_true.min()
    y_true, y_pred = np.clip(y_true, 0, 1), np.clip(y_pred, 0, 1)
    for name in ("precision_score", "recall_score", "f1_score"):
        ours, theirs, ours_w, theirs_w = both(name, y_true, y_pred, pos_label=pos_label, zero_division=zero_division)
        assert_close(ours, theirs)
        assert undefined_warnings(ours_w) == undefined_warnings(theirs_w)
    assert_close(
        cl.fbeta_score(y_true, y_pred, beta=0.5, pos_label=pos_label, zero_division=zero_division),
        skm.fbeta_score(y_true, y_pred, beta=0.5, pos_label=pos_label, zero_division=zero_division),
    )


@SETTINGS
@given(label_pairs(), st.sampled_from(["micro", "macro", "weighted"]), st.sampled_from(ZERO_DIVISIONS), st.data())
def test_scores_with_labels_subset(pair, average, zero_division, data):
    y_true, y_pred = pair
    pool = sorted(set(y_true.tolist()) | set(y_pred.tolist()) | {-50})
    labels = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=len(pool), unique=True))
    for name in ("precision_score", "recall_score", "f1_score"):
        ours, theirs, _, _ = both(name, y_true, y_pred, labels=labels, average=average, zero_division=zero_division)
        assert_close(ours, theirs)


@SETTINGS
@given(
    multilabel_pairs(),
    st.sampled_from(["micro", "macro", "weighted", "samples", None]),
    st.sampled_from(ZERO_DIVISIONS),
)
def test_multilabel_scores(pair, average, zero_division):
    y_true, y_pred = pair
    for name in ("precision_score", "recall_score", "f1_score"):
        ours, theirs, _, _ = both(name, y_true, y_pred, average=average, zero_division=zero_division)
        assert_close(ours, theirs)
    assert_close(cl.accuracy_score(y_true, y_pred), skm.accuracy_score(y_true, y_pred))


@SETTINGS
@given(label_pairs(), st.booleans(), st.booleans())
def test_accuracy(pair, normalize, weighted):
    y_true, y_pred = pair
    weights = np.linspace(0, 3, len(y_true)) + 0.1 if weighted else None
    assert_close(
        cl.accuracy_score(y_true, y_pred, normalize=normalize, sample_weight=weights),
        skm.accuracy_score(y_true, y_pred, normalize=normalize, sample_weight=weights),
    )


@SETTINGS
@given(label_pairs(max_k=6), st.integers(0, 5), st.sampled_from(ZERO_DIVISIONS))
def test_classification_report_text_and_dict(pair, digits, zero_division):
    y_true, y_pred = pair
    ours, theirs, _, _ = both("classification_report", y_true, y_pred, digits=digits, zero_division=zero_division)
    if not (y_true == y_pred).any():
        # scikit-learn quirk: with no correct prediction at all its counts turn float
        # and the support column prints "5.0"; course_lib keeps integer counts.
        theirs = re.sub(r"(\d+)\.0\n", lambda m: f"{m[1]:>{len(m[0]) - 1}}\n", theirs)
    assert ours == theirs
    ours_d = cl.classification_report(y_true, y_pred, output_dict=True, zero_division=zero_division)
    theirs_d = skm.classification_report(y_true, y_pred, output_dict=True, zero_division=zero_division)
    assert ours_d.keys() == theirs_d.keys()
    for key in theirs_d:
        if isinstance(theirs_d[key], dict):
            assert ours_d[key].keys() == theirs_d[key].keys()
            assert_close(list(ours_d[key].values()), list(theirs_d[key].values()))
        else:
            assert_close(ours_d[key], theirs_d[key])


@SETTINGS
@given(multilabel_pairs())
def test_classification_report_multilabel(pair):
    y_true, y_pred = pair
    names = [f"label {i}" for i in range(y_true.shape[1])]
    ours, theirs, _, _ = both("classification_report", y_true, y_pred, target_names=names, zero_division=0)
    assert ours == theirs


def test_string_labels_and_report():
    y_true = ["cat", "dog", "dog", "bird", "cat", "bird"]
    y_pred = ["cat", "dog", "cat", "bird", "bird", "bird"]
    assert_close(cl.confusion_matrix(y_true, y_pred), skm.confusion_matrix(y_true, y_pred))
    assert cl.classification_report(y_true, y_pred) == skm.classification_report(y_true, y_pred)
    assert_close(
        cl.f1_score(y_true, y_pred, average="macro"),
        skm.f1_score(y_true, y_pred, average="macro"),
    )
    assert_close(cl.precision_score(y_true, y_pred, pos_label="dog", labels=["dog"], average="micro"), 1.0)


def test_textbook_three_class_example():
    """The 12-sample, 3-class worked example of the course."""
    y_true = [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2]
    y_pred = [0, 0, 0, 1, 2, 1, 1, 0, 2, 2, 1, 0]
    np.testing.assert_array_equal(cl.confusion_matrix(y_true, y_pred), [[3, 1, 1], [1, 2, 0], [1, 1, 2]])
    assert round(cl.f1_score(y_true, y_pred, average="macro"), 3) == 0.581
    assert round(cl.f1_score(y_true, y_pred, average="weighted"), 3) == 0.583
    assert cl.f1_score(y_true, y_pred, average="micro") == cl.accuracy_score(y_true, y_pred) == 7 / 12


def test_large_and_negative_integer_labels_take_the_general_path():
    rng = np.random.default_rng(0)
    y_true = rng.choice([-5, 10**9, 3], size=500)
    y_pred = rng.choice([-5, 10**9, 3, 7], size=500)
    assert_close(cl.confusion_matrix(y_true, y_pred), skm.confusion_matrix(y_true, y_pred))


def test_bool_and_integral_float_labels():
    y_true = np.array([True, False, True, True])
    y_pred = np.array([1.0, 0.0, 0.0, 1.0])
    assert_close(cl.confusion_matrix(y_true, y_pred), [[1, 0], [1, 2]])
    assert cl.recall_score(y_true, y_pred) == 2 / 3


def test_torch_tensors_are_accepted():
    torch = pytest.importorskip("torch")
    y_true = torch.tensor([1, 0, 1, 1])
    y_pred = torch.tensor([1, 1, 0, 1])
    assert cl.f1_score(y_true, y_pred) == skm.f1_score(y_true.numpy(), y_pred.numpy())


@SETTINGS
@given(label_pairs(max_k=3))
def test_binary_counts_treat_every_other_label_as_negative(pair):
    y_true, y_pred = pair
    pos = int(y_true[0])
    tn, fp, fn, tp = cl.binary_counts(y_true, y_pred, pos_label=pos)
    expected = skm.confusion_matrix(y_true == pos, y_pred == pos, labels=[False, True]).ravel()
    assert (tn, fp, fn, tp) == tuple(int(v) for v in expected)


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint32])
def test_every_integer_dtype_counts_like_scikit_learn(dtype):
    rng = np.random.default_rng(1)
    low = 0 if np.dtype(dtype).kind == "u" else -3
    y_true = rng.integers(low, 4, size=300).astype(dtype)
    y_pred = rng.integers(low, 4, size=300).astype(dtype)
    assert_close(cl.confusion_matrix(y_true, y_pred), skm.confusion_matrix(y_true, y_pred))
    assert_close(
        cl.f1_score(y_true, y_pred, average="macro", zero_division=0),
        skm.f1_score(y_true, y_pred, average="macro", zero_division=0),
    )

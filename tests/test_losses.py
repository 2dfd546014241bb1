"""course_lib.teaching.losses: soft counts, soft-F1 and the BCE combination.

Oracles, not typed numbers: torch.autograd.gradcheck for the gradients, and on
hard 0/1 probabilities (where soft counts are the ordinary counts)
course_lib.metrics.scores.f1_score, scikit-learn and torchmetrics for the value.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
import torch
import torchmetrics
import torchmetrics.functional.classification as tmf
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional as F

from course_lib.metrics.confusion import multilabel_confusion_matrix
from course_lib.metrics.scores import f1_score
from course_lib.teaching.losses import ComboLoss, SoftF1Loss, soft_counts, soft_f1_loss

AVERAGES = ("macro", "micro")


# ----------------------------------------------------------------------------- strategies


@st.composite
def hard_multilabel(draw, max_n=30, max_labels=20):
    """(y_true, y_pred) 0/1 matrices with awkward columns: empty, full, copied, inverted."""
    n = draw(st.integers(1, max_n))
    k = draw(st.integers(1, max_labels))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    rates = rng.choice([0.0, 0.05, 0.3, 0.7, 1.0], size=(2, k))
    y_true = (rng.random((n, k)) < rates[0]).astype(np.int64)
    y_pred = (rng.random((n, k)) < rates[1]).astype(np.int64)
    pattern = draw(st.sampled_from(["random", "perfect", "inverted", "all-zero pred", "all-zero both"]))
    if pattern == "perfect":
        y_pred = y_true.copy()
    elif pattern == "inverted":
        y_pred = 1 - y_true
    elif pattern == "all-zero pred":
        y_pred[:] = 0
    elif pattern == "all-zero both":
        y_true[:], y_pred[:] = 0, 0
    return y_true, y_pred


def _loss_hard(y_true, y_pred, average):
    probs = torch.as_tensor(y_pred, dtype=torch.float64)
    return soft_f1_loss(probs, torch.as_tensor(y_true), from_logits=False, average=average).item()


def _oracle_f1(f1_score, y_true, y_pred, average):
    """The oracle's F1 with undefined labels left out (NaN); one column is scored as a binary problem."""
    if y_true.shape[1] == 1:  # scikit-learn reads an (n, 1) matrix as binary labels, not as one label
        y_true, y_pred, average = y_true[:, 0], y_pred[:, 0], "binary"
    return f1_score(y_true, y_pred, average=average, zero_division=np.nan)


def _expected_loss(f1):
    """1 - F1, where an undefined F1 (every label masked) means a loss of 0."""
    return 0.0 if np.isnan(f1) else 1.0 - f1


# ----------------------------------------------------------------------------- hard 0/1 = 1 - F1


@settings(max_examples=500, deadline=None)
@given(hard_multilabel(), st.sampled_from(AVERAGES))
def test_hard_probabilities_give_one_minus_f1_like_course_lib(data, average):
    y_true, y_pred = data
    # zero_division=np.nan drops undefined labels from the average: the masking rule.
    f1 = _oracle_f1(f1_score, y_true, y_pred, average)
    assert _loss_hard(y_true, y_pred, average) == pytest.approx(_expected_loss(f1), abs=1e-12)


@settings(max_examples=300, deadline=None)
@given(hard_multilabel())
def test_hard_probabilities_match_scikit_learn(data):
    y_true, y_pred = data
    for average in AVERAGES:
        f1 = _oracle_f1(skm.f1_score, y_true, y_pred, average)
        assert _loss_hard(y_true, y_pred, average) == pytest.approx(_expected_loss(f1), abs=1e-12)


@settings(max_examples=300, deadline=None)
@given(hard_multilabel())
def test_hard_probabilities_match_torchmetrics_per_label(data):
    """torchmetrics has no NaN policy (zero_division is 0 or 1), so mask its per-label F1 here."""
    y_true, y_pred = data
    t, p = torch.as_tensor(y_true), torch.as_tensor(y_pred, dtype=torch.float64)
    if t.shape[1] == 1:  # torchmetrics' multilabel task needs two labels or more
        per_label = tmf.binary_f1_score(p[:, 0], t[:, 0], zero_division=0).reshape(1)
    else:
        per_label = tmf.multilabel_f1_score(p, t, num_labels=t.shape[1], average="none", zero_division=0)
    defined = (t.sum(0) + p.sum(0)) > 0
    expected = 0.0 if not defined.any() else 1.0 - per_label[defined].double().mean().item()
    assert _loss_hard(y_true, y_pred, "macro") == pytest.approx(expected, abs=1e-6)  # torchmetrics works in float32


def test_hard_probabilities_match_the_torchmetrics_module_without_empty_labels():
    rng = np.random.default_rng(0)
    metric = torchmetrics.classification.MultilabelF1Score(num_labels=7, average="macro")
    y_true = torch.as_tensor(rng.random((50, 7)) < 0.3)
    y_true[0] = True  # every label has a positive: no masking, no zero-division policy involved
    y_pred = torch.as_tensor(rng.random((50, 7)) < 0.4).double()
    expected = 1.0 - metric(y_pred, y_true.long()).item()
    assert soft_f1_loss(y_pred, y_true, from_logits=False).item() == pytest.approx(expected, abs=1e-6)


def test_hard_example_is_exact():
    y = torch.tensor([1.0, 0.0, 1.0, 1.0], dtype=torch.float64)
    p = torch.tensor([1.0, 1.0, 0.0, 1.0], dtype=torch.float64)  # TP=2 FP=1 FN=1: F1 = 4/6
    assert soft_f1_loss(p, y, from_logits=False).item() == 1 - 4 / 6


# ----------------------------------------------------------------------------- gradients


def _gradcheck_inputs(n, k, seed, logits=True):
    g = torch.Generator().manual_seed(seed)
    if logits:
        x = torch.randn(n, k, generator=g, dtype=torch.float64) * 2
    else:  # away from 0 and 1, so the finite differences stay inside [0, 1]
        x = torch.rand(n, k, generator=g, dtype=torch.float64) * 0.9 + 0.05
    y = (torch.rand(n, k, generator=g) < 0.4).double()
    y[:, 0] = 0  # a label without positives: F1 = 0 there, gradient 0 (not masked: predicted mass > 0)
    return x.requires_grad_(), y


@pytest.mark.parametrize("average", AVERAGES)
@pytest.mark.parametrize("from_logits", [True, False])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradcheck(average, from_logits, seed):
    x, y = _gradcheck_inputs(9, 4, seed, logits=from_logits)
    assert torch.autograd.gradcheck(lambda a: soft_f1_loss(a, y, from_logits=from_logits, average=average), (x,))


def test_gradcheck_binary_and_combo():
    x, y = _gradcheck_inputs(12, 1, 3)
    assert torch.autograd.gradcheck(lambda a: soft_f1_loss(a[:, 0], y[:, 0], average="binary"), (x,))
    x, y = _gradcheck_inputs(10, 3, 4)
    assert torch.autograd.gradcheck(lambda a: ComboLoss(0.3)(a, y), (x,))


def test_gradcheck_soft_targets():
    """F1 is symmetric in p and y, and so is the gradient the backward gives soft targets."""
    x, y = _gradcheck_inputs(8, 3, 8)
    y = (y * 0.5 + 0.25).requires_grad_()
    assert torch.autograd.gradcheck(lambda a, b: soft_f1_loss(a, b, average="micro"), (x, y))
    assert torch.autograd.gradcheck(lambda a, b: soft_f1_loss(torch.sigmoid(a), b, from_logits=False), (x, y))


def test_second_derivatives_are_refused_not_wrong():
    """The closed-form backward is once-differentiable: its result carries no graph to differentiate again."""
    x, y = _gradcheck_inputs(8, 3, 9)
    (grad,) = torch.autograd.grad(soft_f1_loss(x, y), x, create_graph=True)
    assert not grad.requires_grad
    with pytest.raises(RuntimeError, match="does not require grad"):
        grad.sum().backward()


def test_gradient_matches_the_closed_form():
    """d(1 - F1_l)/dp_il = -(2 y_il - F1_l) / D_l with D_l = sum(p) + sum(y), divided by the number of labels."""
    x, y = _gradcheck_inputs(20, 5, 5, logits=False)
    soft_f1_loss(x, y, from_logits=False).backward()
    p = x.detach()
    denominator = p.sum(0) + y.sum(0)
    f1 = 2 * (p * y).sum(0) / denominator
    expected = -(2 * y - f1) / denominator / y.shape[1]
    torch.testing.assert_close(x.grad, expected)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 40), st.integers(1, 6), st.integers(0, 2**31))
def test_gradient_pushes_positives_up_and_negatives_down(n, k, seed):
    x, y = _gradcheck_inputs(n, k, seed)
    soft_f1_loss(x, y).backward()
    assert (x.grad[y == 1] < 0).all()  # raising a positive's logit always lowers the loss
    assert (x.grad[y == 0] >= 0).all()  # raising a negative's logit never lowers it


# ----------------------------------------------------------------------------- never NaN or inf


def _targets(kind, n, k):
    g = torch.Generator().manual_seed(n * 100 + k)
    return {
        "all-zero": torch.zeros(n, k),
        "all-one": torch.ones(n, k),
        "mixed": (torch.rand(n, k, generator=g) < 0.3).float(),
    }[kind]


@pytest.mark.parametrize("targets_kind", ["all-zero", "all-one", "mixed"])
@pytest.mark.parametrize("logit", [-100.0, -20.0, 0.0, 20.0, 100.0, "random"])
@pytest.mark.parametrize("shape", [(1,), (1, 1), (1, 5), (64, 5), (64,)])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("average", AVERAGES)
def test_finite_loss_and_gradient(targets_kind, logit, shape, dtype, average):
    n, k = shape[0], shape[1] if len(shape) == 2 else 1
    y = _targets(targets_kind, n, k).reshape(shape)
    x = torch.randn(shape, dtype=dtype) * 50 if logit == "random" else torch.full(shape, logit, dtype=dtype)
    x.requires_grad_()
    loss = soft_f1_loss(x, y, average=average)
    loss.backward()
    assert torch.isfinite(loss) and 0 <= loss.item() <= 1
    assert torch.isfinite(x.grad).all()


@pytest.mark.parametrize("average", AVERAGES)
def test_exact_zero_probabilities_with_no_positives_are_masked(average):
    p = torch.zeros(8, 3, dtype=torch.float64, requires_grad=True)
    loss = soft_f1_loss(p, torch.zeros(8, 3), from_logits=False, average=average)
    loss.backward()
    assert loss.item() == 0.0  # nothing to find, nothing claimed
    assert (p.grad == 0).all()


def test_a_masked_label_leaves_the_average():
    rng = np.random.default_rng(1)
    p = torch.as_tensor(rng.random((10, 3)))
    y = torch.as_tensor((rng.random((10, 3)) < 0.5).astype(float))
    y[0] = 1
    with_empty = torch.cat([p, torch.zeros(10, 1, dtype=torch.float64)], 1), torch.cat([y, torch.zeros(10, 1)], 1)
    assert soft_f1_loss(*with_empty, from_logits=False).item() == pytest.approx(
        soft_f1_loss(p, y, from_logits=False).item(), abs=1e-15
    )


def test_a_label_with_predictions_but_no_positives_scores_zero_without_gradient():
    """Not masked: every predicted positive is a false positive, F1 = 0, a constant 1 in the loss."""
    x = torch.tensor([[3.0, -2.0], [1.0, 0.5], [-1.0, 2.0]], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([[1.0, 0.0], [0.0, 0.0], [1.0, 0.0]], dtype=torch.float64)
    loss = soft_f1_loss(x, y)
    loss.backward()
    only_first = soft_f1_loss(x[:, :1], y[:, :1])
    assert loss.item() == pytest.approx((only_first.item() + 1.0) / 2, abs=1e-15)
    assert (x.grad[:, 1] == 0).all()


def test_underflowing_sigmoids_are_masked_not_nan():
    """sigmoid(-100) is about 4e-44 in float32: the label is 'no positives, no predictions'."""
    x = torch.full((16, 2), -100.0, requires_grad=True)
    loss = soft_f1_loss(x, torch.zeros(16, 2))
    loss.backward()
    assert loss.item() == 0.0 and (x.grad == 0).all()


def test_half_precision_is_summed_in_float32():
    x = torch.randn(4096, 3).half()
    y = (torch.rand(4096, 3) < 0.5).half()
    loss = soft_f1_loss(x, y)
    assert loss.dtype == torch.float32
    assert loss.item() == pytest.approx(soft_f1_loss(x.float(), y.float()).item(), abs=1e-6)


# ----------------------------------------------------------------------------- shapes and averages


def test_binary_shapes_agree():
    g = torch.Generator().manual_seed(2)
    x, y = torch.randn(30, generator=g), (torch.rand(30, generator=g) < 0.3).float()
    values = {
        soft_f1_loss(x, y).item(),
        soft_f1_loss(x, y, average="binary").item(),
        soft_f1_loss(x, y, average="micro").item(),
        soft_f1_loss(x[:, None], y[:, None], average="binary").item(),
    }
    assert len(values) == 1


def test_macro_is_the_mean_of_per_label_binary_losses_and_micro_pools_the_counts():
    g = torch.Generator().manual_seed(3)
    p, y = torch.rand(40, 6, generator=g, dtype=torch.float64), (torch.rand(40, 6, generator=g) < 0.3).double()
    per_label = torch.stack([soft_f1_loss(p[:, j], y[:, j], from_logits=False) for j in range(6)])
    torch.testing.assert_close(soft_f1_loss(p, y, from_logits=False), per_label.mean())
    tp, fp, fn = soft_counts(p, y)
    micro = 1 - 2 * tp.sum() / (2 * tp.sum() + fp.sum() + fn.sum())
    torch.testing.assert_close(soft_f1_loss(p, y, from_logits=False, average="micro"), micro)
    assert not torch.allclose(micro, per_label.mean())  # the two averages really differ here


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 30), st.integers(1, 8), st.integers(0, 2**31))
def test_order_of_samples_and_labels_does_not_matter(n, k, seed):
    x, y = _gradcheck_inputs(n, k, seed)
    g = torch.Generator().manual_seed(seed)
    rows, cols = torch.randperm(n, generator=g), torch.randperm(k, generator=g)
    for average in AVERAGES:
        torch.testing.assert_close(
            soft_f1_loss(x, y, average=average), soft_f1_loss(x[rows][:, cols], y[rows][:, cols], average=average)
        )


def test_from_logits_applies_the_sigmoid():
    x = torch.randn(20, 4, dtype=torch.float64)
    y = (torch.rand(20, 4) < 0.5).double()
    torch.testing.assert_close(soft_f1_loss(x, y), soft_f1_loss(torch.sigmoid(x), y, from_logits=False))


def test_soft_counts_are_the_confusion_counts_on_hard_input():
    rng = np.random.default_rng(4)
    y_true, y_pred = (rng.random((25, 5)) < 0.3).astype(int), (rng.random((25, 5)) < 0.4).astype(int)
    tp, fp, fn = soft_counts(torch.as_tensor(y_pred, dtype=torch.float64), torch.as_tensor(y_true))
    mcm = multilabel_confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(tp.numpy(), mcm[:, 1, 1])
    np.testing.assert_array_equal(fp.numpy(), mcm[:, 0, 1])
    np.testing.assert_array_equal(fn.numpy(), mcm[:, 1, 0])


def test_soft_counts_add_up():
    p, y = torch.tensor([0.9, 0.2, 0.6]), torch.tensor([1.0, 0.0, 0.0])
    tp, fp, fn = soft_counts(p, y)
    torch.testing.assert_close(torch.stack([tp, fp, fn]).ravel(), torch.tensor([0.9, 0.8, 0.1]))
    torch.testing.assert_close(tp + fp, p.sum().reshape(1))
    torch.testing.assert_close(tp + fn, y.sum().reshape(1))


# ----------------------------------------------------------------------------- modules


def test_soft_f1_module_matches_the_function():
    x, y = torch.randn(30, 4), (torch.rand(30, 4) < 0.3).float()
    for average in AVERAGES:
        assert SoftF1Loss(average=average)(x, y).item() == soft_f1_loss(x, y, average=average).item()
    assert repr(SoftF1Loss()) == "SoftF1Loss(from_logits=True, average='macro', eps=1e-07)"


@pytest.mark.parametrize("alpha", [0.0, 0.25, 0.5, 1.0])
def test_combo_is_the_weighted_sum(alpha):
    x, y = torch.randn(30, 4, dtype=torch.float64), (torch.rand(30, 4) < 0.3).double()
    expected = alpha * F.binary_cross_entropy_with_logits(x, y) + (1 - alpha) * soft_f1_loss(x, y)
    torch.testing.assert_close(ComboLoss(alpha)(x, y), expected)
    assert repr(ComboLoss(alpha)) == f"ComboLoss(alpha={float(alpha)}, average='macro')"


def test_combo_accepts_integer_targets():
    x, y = torch.randn(10, 3), torch.randint(0, 2, (10, 3))
    torch.testing.assert_close(ComboLoss(0.5)(x, y), ComboLoss(0.5)(x, y.float()))


# ----------------------------------------------------------------------------- bad input


X, Y = torch.zeros(4, 2), torch.ones(4, 2)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "argument"),
    [
        ((np.zeros((4, 2)), Y), {}, TypeError, "logits_or_probs"),
        ((X.long(), Y), {}, TypeError, "logits_or_probs"),
        ((torch.zeros(4, 2, 2), torch.ones(4, 2, 2)), {}, ValueError, "logits_or_probs"),
        ((torch.zeros(0, 2), torch.ones(0, 2)), {}, ValueError, "logits_or_probs"),
        ((X, [[1, 0]] * 4), {}, TypeError, "targets"),
        ((X, torch.ones(4, 3)), {}, ValueError, "targets"),
        ((X, torch.ones(4)), {}, ValueError, "targets"),
        ((X, Y * 2), {}, ValueError, "targets"),
        ((X, torch.full((4, 2), float("nan"))), {}, ValueError, "targets"),
        ((X + 3, Y), {"from_logits": False}, ValueError, "logits_or_probs"),
        ((X, Y), {"from_logits": "yes"}, TypeError, "from_logits"),
        ((X, Y), {"average": "weighted"}, ValueError, "average"),
        ((X, Y), {"average": None}, ValueError, "average"),
        ((X, Y), {"average": "binary"}, ValueError, "average"),
        ((X, Y), {"eps": 0}, ValueError, "eps"),
        ((X, Y), {"eps": float("nan")}, ValueError, "eps"),
    ],
)
def test_soft_f1_loss_rejects_bad_input(args, kwargs, error, argument):
    with pytest.raises(error, match=f"Expected argument `{argument}`"):
        soft_f1_loss(*args, **kwargs)


def test_out_of_range_probabilities_hint_at_from_logits():
    with pytest.raises(ValueError, match="from_logits=True"):
        soft_f1_loss(X + 3, Y, from_logits=False)


@pytest.mark.parametrize(
    ("args", "error", "argument"),
    [
        ((X + 3, Y), ValueError, "probs"),
        ((X.long(), Y), TypeError, "probs"),
        ((X, torch.ones(3, 2)), ValueError, "targets"),
        (([0.5], Y), TypeError, "probs"),
    ],
)
def test_soft_counts_rejects_bad_input(args, error, argument):
    with pytest.raises(error, match=f"Expected argument `{argument}`"):
        soft_counts(*args)


@pytest.mark.parametrize(
    ("make", "argument"),
    [
        (lambda: ComboLoss(1.5), "alpha"),
        (lambda: ComboLoss(-0.1), "alpha"),
        (lambda: ComboLoss(True), "alpha"),
        (lambda: ComboLoss(0.5, average="samples"), "average"),
        (lambda: SoftF1Loss(average="weighted"), "average"),
    ],
)
def test_modules_reject_bad_arguments(make, argument):
    with pytest.raises(ValueError, match=f"Expected argument `{argument}`"):
        make()


# ----------------------------------------------------------------------------- devices and compilation


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU; torch.cuda.is_available() is False here")
@pytest.mark.parametrize("average", AVERAGES)
def test_cuda_matches_cpu(average):
    x, y = _gradcheck_inputs(257, 9, 6)
    soft_f1_loss(x, y, average=average).backward()
    x_cuda = x.detach().cuda().requires_grad_()
    loss = soft_f1_loss(x_cuda, y.cuda(), average=average)
    loss.backward()
    assert loss.device.type == "cuda"
    torch.testing.assert_close(loss.cpu(), soft_f1_loss(x.detach(), y, average=average))
    torch.testing.assert_close(x_cuda.grad.cpu(), x.grad)
    combo = ComboLoss(0.5).cuda()(x_cuda, y.cuda())
    torch.testing.assert_close(combo.cpu(), ComboLoss(0.5)(x.detach(), y))


def _missing_toolchain(exc: BaseException) -> bool:
    """True if ``exc`` (or what caused it) says the C++ compiler inductor needs is absent or broken."""
    from torch._inductor import exc as inductor_exc

    while exc is not None:
        if isinstance(exc, (inductor_exc.InvalidCxxCompiler, inductor_exc.CppCompileError)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def test_torch_compile_matches_eager():
    if not torch._dynamo.is_dynamo_supported():
        pytest.skip("torch.compile (dynamo) does not support this Python version")
    compiled = torch.compile(soft_f1_loss, fullgraph=True)  # fullgraph: the loss must trace as one graph
    x, y = _gradcheck_inputs(64, 5, 7)
    x, y = x.detach().float().requires_grad_(), y.float()
    try:
        loss = compiled(x, y)
        loss.backward()
    except Exception as exc:
        if _missing_toolchain(exc):
            pytest.skip(f"torch.compile needs a working C++ compiler here: {type(exc).__name__}")
        raise
    grad, x.grad = x.grad.clone(), None
    eager = soft_f1_loss(x, y)
    eager.backward()
    torch.testing.assert_close(loss, eager)
    torch.testing.assert_close(grad, x.grad)


def test_no_warnings_in_normal_use():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = torch.randn(8, 3, requires_grad=True)
        ComboLoss(0.5)(x, (torch.rand(8, 3) < 0.5).float()).backward()

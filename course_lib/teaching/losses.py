"""A differentiable F1: soft counts, the soft-F1 loss, and its combination with BCE (PyTorch).

F1 counts hard decisions, so its gradient is zero almost everywhere. Replacing
each 0/1 decision by the predicted probability ``p`` turns the counts of one
label into smooth sums over the batch:

    tp = sum(p * y)          fp = sum(p * (1 - y))          fn = sum((1 - p) * y)

    soft F1 = 2 tp / (2 tp + fp + fn) = 2 tp / (sum(p) + sum(y))

The second form holds because tp + fp = sum(p) and tp + fn = sum(y); it is also
the cheap way to compute it (three sums, no fp or fn tensors). When every ``p``
is exactly 0 or 1 the soft counts *are* the confusion-matrix counts and the
soft F1 is the ordinary F1.

Empty labels (the masking rule)
-------------------------------
A label with no positives in the batch and no predicted mass has
``sum(p) + sum(y) = 0``: its F1 is 0/0, undefined. Such a label is *masked*:
left out of the average, as scikit-learn's ``f1_score(..., zero_division=np.nan)``
leaves it out. "No predicted mass" means ``sum(p) + sum(y) <= eps``, so a label
whose sigmoid outputs merely underflow (logits near -100) is masked too instead
of producing an infinite or NaN gradient. If every label is masked the loss is
0: nothing to find and nothing claimed is a perfect answer. A label with no
positives but *some* predicted mass is not masked: its F1 is 0 (every predicted
positive is a false positive), and it adds a constant with zero gradient.
"""

from __future__ import annotations

import numbers

import numpy as np
import torch
from torch import nn
from torch.autograd.function import once_differentiable
from torch.nn import functional as F

from course_lib.metrics.validation import _describe, expected

AVERAGES = ("macro", "micro", "binary")
DEFAULT_EPS = 1e-7


def _describe_tensor(t) -> str:
    if isinstance(t, torch.Tensor):
        return f"a tensor of shape {tuple(t.shape)} and dtype {t.dtype}"
    return _describe(t)


def _check_input(x, name: str) -> None:
    if not isinstance(x, torch.Tensor):
        raise TypeError(expected(name, "a torch.Tensor", type(x).__name__))
    if x.ndim not in (1, 2) or x.numel() == 0:
        raise ValueError(
            expected(name, "a non-empty tensor of shape (n_samples,) or (n_samples, n_labels)", _describe_tensor(x))
        )


def _check_in_unit_interval(x: torch.Tensor, name: str, hint: str = "") -> None:
    # A data-dependent check: skipped while torch.compile traces, where it would split the graph.
    if torch.compiler.is_compiling():
        return
    low, high = torch.aminmax(x.detach())
    if not (low >= 0 and high <= 1):  # also False for NaN
        got = f"values from {low.item():.4g} to {high.item():.4g}"
        raise ValueError(expected(name, "in [0, 1]", got) + hint)


def _check_arguments(logits_or_probs, targets, from_logits, average, eps) -> None:
    _check_input(logits_or_probs, "logits_or_probs")
    if not logits_or_probs.is_floating_point():
        raise TypeError(expected("logits_or_probs", "a floating-point tensor", _describe_tensor(logits_or_probs)))
    _check_input(targets, "targets")
    if targets.shape != logits_or_probs.shape:
        raise ValueError(
            expected(
                "targets",
                f"of the same shape as logits_or_probs {tuple(logits_or_probs.shape)}",
                _describe_tensor(targets),
            )
        )
    if targets.device != logits_or_probs.device:
        raise ValueError(expected("targets", f"on device {logits_or_probs.device}", f"device {targets.device}"))
    if not isinstance(from_logits, bool):
        raise TypeError(expected("from_logits", "True or False", _describe(from_logits)))
    if average not in AVERAGES:
        raise ValueError(expected("average", f"one of {AVERAGES}", _describe(average)))
    if average == "binary" and logits_or_probs.ndim == 2 and logits_or_probs.shape[1] != 1:
        raise ValueError(
            expected("average", "'macro' or 'micro' for several labels", "'binary'")
            + f" 'binary' scores one label, but logits_or_probs has {logits_or_probs.shape[1]}."
        )
    if not isinstance(eps, numbers.Real) or isinstance(eps, bool) or not 0 < eps < 1:
        raise ValueError(expected("eps", "a number in (0, 1)", _describe(eps)))
    _check_in_unit_interval(targets, "targets")
    if not from_logits:
        _check_in_unit_interval(
            logits_or_probs, "logits_or_probs", " Pass from_logits=True if these are raw model outputs."
        )


def _as_matrix(x: torch.Tensor) -> torch.Tensor:
    """(n,) -> (n, 1): a binary problem is a multilabel problem with one label."""
    return x.unsqueeze(1) if x.ndim == 1 else x


def soft_counts(probs: torch.Tensor, targets: torch.Tensor):
    """Per-label soft true positives, false positives and false negatives.

    .. math::

        tp_l = \\sum_i p_{il} y_{il}, \\quad fp_l = \\sum_i p_{il} (1 - y_{il}), \\quad
        fn_l = \\sum_i (1 - p_{il}) y_{il}

    Parameters
    ----------
    probs : Tensor of shape (n_samples,) or (n_samples, n_labels)
        Probabilities in [0, 1] (not logits).
    targets : Tensor of the same shape
        0/1 labels (soft labels in [0, 1] work too).

    Returns
    -------
    tp, fp, fn : Tensors of shape (n_labels,) ((1,) for 1-D input), differentiable in ``probs``.

    Examples
    --------
    >>> tp, fp, fn = soft_counts(torch.tensor([0.9, 0.2, 0.6]), torch.tensor([1.0, 0.0, 0.0]))
    >>> [round(v, 4) for v in (tp.item(), fp.item(), fn.item())]
    [0.9, 0.8, 0.1]
    """
    _check_input(probs, "probs")
    if not probs.is_floating_point():
        raise TypeError(expected("probs", "a floating-point tensor", _describe_tensor(probs)))
    _check_input(targets, "targets")
    if targets.shape != probs.shape:
        raise ValueError(
            expected("targets", f"of the same shape as probs {tuple(probs.shape)}", _describe_tensor(targets))
        )
    _check_in_unit_interval(probs, "probs", " Apply torch.sigmoid to logits first.")
    _check_in_unit_interval(targets, "targets")
    p, y = _as_matrix(probs), _as_matrix(targets).to(probs.dtype)
    tp = (p * y).sum(dim=0)
    return tp, p.sum(dim=0) - tp, y.sum(dim=0) - tp


def soft_f1_loss(logits_or_probs, targets, *, from_logits=True, average="macro", eps=DEFAULT_EPS):
    """1 - soft F1, a differentiable stand-in for 1 - F1 computed from probabilities.

    .. math::

        F1_l = \\frac{2\\,tp_l}{2\\,tp_l + fp_l + fn_l} = \\frac{2 \\sum_i p_{il} y_{il}}{\\sum_i p_{il} + \\sum_i y_{il}}

    Parameters
    ----------
    logits_or_probs : Tensor of shape (n_samples,) or (n_samples, n_labels)
        Raw model outputs (``from_logits=True``, the default) or probabilities in [0, 1].
    targets : Tensor of the same shape
        0/1 labels, any dtype (soft labels in [0, 1] work too).
    from_logits : bool
        Apply the sigmoid first. Logits are better: the sigmoid is done here once.
    average : {'macro', 'micro', 'binary'}
        'macro': mean of the per-label F1 (each label counts equally, rare ones
        included); 'micro': one F1 from counts summed over labels (frequent labels
        dominate); 'binary': one label, for input of shape (n,) or (n, 1).
    eps : float
        A label (for 'micro': the whole batch) with ``sum(p) + sum(y) <= eps`` is
        masked, see the module docstring. It is *not* added to the denominator, so
        hard 0/1 probabilities give exactly 1 - F1.

    Returns
    -------
    Tensor
        A scalar in [0, 1]; float32 for half-precision input, else the input dtype.

    Examples
    --------
    >>> y = torch.tensor([1.0, 0.0, 1.0, 1.0])
    >>> round(soft_f1_loss(torch.tensor([1.0, 1.0, 0.0, 1.0]), y, from_logits=False).item(), 4)  # 1 - F1 = 1 - 4/6
    0.3333
    >>> round(soft_f1_loss(torch.tensor([0.9, 0.2, 0.6, 0.8]), y, from_logits=False).item(), 4)  # 1 - 4.6 / 5.5
    0.1636
    """
    _check_arguments(logits_or_probs, targets, from_logits, average, eps)
    x = _as_matrix(logits_or_probs)
    if x.dtype in (torch.float16, torch.bfloat16):  # sums of thousands of halves lose too much
        x = x.float()
    return _SoftF1.apply(x, _as_matrix(targets).to(x.dtype), from_logits, average == "micro", eps)


class _SoftF1(torch.autograd.Function):
    """The loss forward, and its gradient in closed form backward.

    Autograd would get the same gradient (the tests check it with gradcheck) but
    spends four extra passes over the batch on it; this backward needs two. With
    D_l = sum(p) + sum(y) and F1_l = 2 sum(p y) / D_l:

        d(1 - F1_l) / d p_il = -(2 y_il - F1_l) / D_l

    divided by the number of labels averaged over; through the sigmoid it is
    multiplied by p (1 - p). F1 is symmetric in p and y, so the gradient for
    (soft) targets that require one is the same formula with p and y swapped.
    """

    @staticmethod
    def forward(ctx, x, y, from_logits, micro, eps):
        p = torch.sigmoid(x) if from_logits else x
        two_tp = 2 * torch.linalg.vecdot(p, y, dim=0)
        denominator = p.sum(dim=0) + y.sum(dim=0)  # = 2 tp + fp + fn
        if micro:
            two_tp, denominator = two_tp.sum(), denominator.sum()
        kept = denominator > eps
        # Divide by 1 where masked, so neither the value nor the gradient is 0/0.
        denominator = torch.where(kept, denominator, 1.0)
        f1 = two_tp / denominator
        n_kept = kept.sum().clamp(min=1)
        ctx.save_for_backward(p, y, f1, denominator, kept, n_kept)
        ctx.from_logits = from_logits
        return torch.where(kept, 1 - f1, 0.0).sum() / n_kept

    @staticmethod
    @once_differentiable  # p was saved without its graph: a second derivative would be silently wrong
    def backward(ctx, grad):
        p, y, f1, denominator, kept, n_kept = ctx.saved_tensors
        scale = torch.where(kept, -grad / (n_kept * denominator), 0.0)  # 0 for masked labels
        grad_x = grad_y = None
        if ctx.needs_input_grad[0]:
            grad_x = torch.addcmul(-f1 * scale, y, 2 * scale)  # scale * (2 y - F1)
            if ctx.from_logits:
                grad_x = torch.ops.aten.sigmoid_backward(grad_x, p)  # times p (1 - p)
        if ctx.needs_input_grad[1]:
            grad_y = torch.addcmul(-f1 * scale, p, 2 * scale)
        return grad_x, grad_y, None, None, None


class SoftF1Loss(nn.Module):
    """:func:`soft_f1_loss` as a module: ``SoftF1Loss()(logits, targets)``.

    >>> SoftF1Loss(average="micro")
    SoftF1Loss(from_logits=True, average='micro', eps=1e-07)
    """

    def __init__(self, *, from_logits=True, average="macro", eps=DEFAULT_EPS):
        super().__init__()
        if average not in AVERAGES:
            raise ValueError(expected("average", f"one of {AVERAGES}", _describe(average)))
        self.from_logits, self.average, self.eps = from_logits, average, eps

    def forward(self, logits_or_probs, targets):
        return soft_f1_loss(logits_or_probs, targets, from_logits=self.from_logits, average=self.average, eps=self.eps)

    def extra_repr(self) -> str:
        return f"from_logits={self.from_logits}, average={self.average!r}, eps={self.eps}"


class ComboLoss(nn.Module):
    """``alpha * BCEWithLogits + (1 - alpha) * soft-F1``, both from the same logits.

    BCE gives every sample a gradient of size ``p - y`` however confident the model
    already is; soft-F1 rewards what F1 rewards. ``alpha=1`` is plain BCE, ``alpha=0``
    plain soft-F1.

    >>> loss = ComboLoss(0.5)
    >>> loss
    ComboLoss(alpha=0.5, average='macro')
    >>> round(loss(torch.zeros(4), torch.tensor([1.0, 0.0, 1.0, 1.0])).item(), 4)  # 0.5 * ln 2 + 0.5 * (1 - 3/5)
    0.5466
    """

    def __init__(self, alpha=0.5, *, average="macro", eps=DEFAULT_EPS):
        super().__init__()
        if not isinstance(alpha, numbers.Real) or isinstance(alpha, bool) or not 0 <= alpha <= 1:
            raise ValueError(expected("alpha", "a number in [0, 1]", _describe(alpha)))
        if average not in AVERAGES:
            raise ValueError(expected("average", f"one of {AVERAGES}", _describe(average)))
        self.alpha, self.average, self.eps = float(alpha), average, eps

    def forward(self, logits, targets):
        soft_f1 = soft_f1_loss(logits, targets, from_logits=True, average=self.average, eps=self.eps)
        bce = F.binary_cross_entropy_with_logits(logits, targets.to(logits.dtype))
        return self.alpha * bce + (1 - self.alpha) * soft_f1

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}, average={self.average!r}"


def one_label_loss_surface(p_positive, p_negative, *, n_positive: int, n_negative: int) -> dict:
    """Three losses of one label when every positive gets ``p_positive`` and every negative ``p_negative``.

    With ``P = n_positive`` positives and ``N = n_negative`` negatives the soft
    counts are ``tp = P p+``, ``fp = N p-``, ``fn = P (1 - p+)``, so

        soft-F1 loss = 1 - 2 P p+ / (P p+ + N p- + P)
        1 - F1       = the same with p+ and p- rounded at 0.5 (0/0 = 0 loss, the masking rule)
        BCE          = -(P log p+ + N log(1 - p-)) / (P + N)

    Arrays broadcast, so ``np.meshgrid`` grids give whole surfaces.

    Returns
    -------
    dict with keys ``"1 - F1 (threshold 0.5)"``, ``"soft-F1 loss"``, ``"BCE"``

    Examples
    --------
    >>> surface = one_label_loss_surface(0.8, 0.1, n_positive=1, n_negative=9)
    >>> {name: round(float(value), 4) for name, value in surface.items()}
    {'1 - F1 (threshold 0.5)': 0.0, 'soft-F1 loss': 0.4074, 'BCE': 0.1171}
    """
    for name, value in (("n_positive", n_positive), ("n_negative", n_negative)):
        if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 0:
            raise ValueError(expected(name, "an int >= 0", _describe(value)))
    if n_positive + n_negative == 0:
        raise ValueError(expected("n_negative", "> 0 when n_positive is 0", "0"))
    pos, neg = np.asarray(p_positive, dtype=np.float64), np.asarray(p_negative, dtype=np.float64)
    for name, value in (("p_positive", pos), ("p_negative", neg)):
        if not ((value >= 0) & (value <= 1)).all():
            raise ValueError(expected(name, "probabilities in [0, 1]", "values outside"))

    def one_minus_f1(pos, neg):
        two_tp, denominator = 2 * n_positive * pos, n_positive * pos + n_negative * neg + n_positive
        return np.where(denominator > 0, 1 - two_tp / np.where(denominator > 0, denominator, 1), 0.0)

    with np.errstate(divide="ignore"):  # log(0) = -inf is the honest BCE of a certain mistake
        bce = -(n_positive * np.log(pos) + n_negative * np.log1p(-neg)) / (n_positive + n_negative)
    return {
        "1 - F1 (threshold 0.5)": one_minus_f1((pos >= 0.5).astype(float), (neg >= 0.5).astype(float)),
        "soft-F1 loss": one_minus_f1(pos, neg),
        "BCE": bce,
    }

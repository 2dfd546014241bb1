"""Checks for exercises/08_soft_f1_loss.ipynb: soft counts, the soft-F1 loss and its gradient, in PyTorch."""

from __future__ import annotations

import numpy as np
import torch

from course_lib.checks import Args, Question
from course_lib.teaching.losses import soft_counts, soft_f1_loss

NOTEBOOK = "08_soft_f1_loss.ipynb"

_PROBS = [[0.9, 0.1], [0.2, 0.7], [0.6, 0.4], [0.3, 0.0]]
_TARGETS = [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0], [1.0, 0.0]]
_HARD_PROBS = [[1.0, 0.0, 1.0], [1.0, 1.0, 0.0], [0.0, 0.0, 0.0], [1.0, 0.0, 1.0]]
_HARD_TARGETS = [[1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0]]
# Label 1 has no positive and no predicted mass: its F1 is 0/0.
_EMPTY_PROBS = [[0.8, 0.0, 0.3], [0.4, 0.0, 0.9], [0.1, 0.0, 0.5]]
_EMPTY_TARGETS = [[1.0, 0.0, 0.0], [1.0, 0.0, 1.0], [0.0, 0.0, 1.0]]


def _tensor(values, grad: bool = False) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float64, requires_grad=grad)


def _random_batch(rng: np.random.Generator, *, grad: bool, empty_labels: bool) -> Args:
    """(probs, targets) with 1 to 12 rows and 1 to 5 labels; hard 0/1 and exact-zero columns are common."""
    n, n_labels = int(rng.integers(1, 13)), int(rng.integers(1, 6))
    probs = rng.random((n, n_labels))
    if rng.random() < 0.25:
        probs = np.round(probs)  # hard decisions: soft counts must equal the ordinary counts
    targets = (rng.random((n, n_labels)) < rng.uniform(0.1, 0.7)).astype(float)
    targets[rng.integers(n), 0] = 1.0  # label 0 always has a positive, so some label is never empty
    if empty_labels and n_labels > 1 and rng.random() < 0.5:
        empty = int(rng.integers(1, n_labels))
        probs[:, empty], targets[:, empty] = 0.0, 0.0
    return Args(_tensor(probs, grad), _tensor(targets))


# --------------------------------------------------------------------------------------------------- q1 soft counts


def _soft_counts(probs, targets):
    return soft_counts(probs, targets)


q1 = Question(
    "q1",
    points=2,
    function="soft_counts",
    title="Soft TP, FP and FN per label (column) from probabilities",
    reference=_soft_counts,
    fixed=[
        Args(_tensor(_PROBS), _tensor(_TARGETS)),
        Args(_tensor(_HARD_PROBS), _tensor(_HARD_TARGETS)),
        Args(_tensor([[0.25], [0.5], [0.75]]), _tensor([[1.0], [1.0], [0.0]])),
    ],
    random=lambda rng: _random_batch(rng, grad=False, empty_labels=True),
    hints=[
        "Replace each 0/1 decision by its probability: tp = sum of probs * targets, fp = sum of probs * "
        "(1 - targets), fn = sum of (1 - probs) * targets.",
        "Sum down the columns (`dim=0`): one count per label. Return the three tensors as a tuple (tp, fp, fn).",
    ],
)


@q1.mistake(
    "You thresholded the probabilities (probs >= 0.5) before counting: those are the hard counts, whose gradient "
    "is zero. Soft counts multiply by the probabilities themselves."
)
def _hard_counts(probs, targets):
    return soft_counts((probs >= 0.5).to(probs.dtype), targets)


@q1.mistake(
    "Your FP and FN are swapped: FP is probability mass on a negative, probs * (1 - targets); FN is the missing "
    "mass on a positive, (1 - probs) * targets."
)
def _fp_fn_swapped(probs, targets):
    tp, fp, fn = soft_counts(probs, targets)
    return tp, fn, fp


@q1.mistake("You summed along the rows (one count per sample). Sum down the columns, `dim=0`: one count per label.")
def _per_sample(probs, targets):
    return soft_counts(probs.T.contiguous(), targets.T.contiguous())


# --------------------------------------------------------------------------------------------------- q2 soft-F1 loss


def _soft_f1(probs, targets):
    return soft_f1_loss(probs, targets, from_logits=False)


q2 = Question(
    "q2",
    points=3,
    function="soft_f1",
    title="The macro soft-F1 loss 1 - mean(2 tp / (2 tp + fp + fn)), empty labels left out, attached to the graph",
    reference=_soft_f1,
    fixed=[
        Args(_tensor(_PROBS, grad=True), _tensor(_TARGETS)),
        Args(_tensor(_HARD_PROBS, grad=True), _tensor(_HARD_TARGETS)),
        Args(_tensor(_EMPTY_PROBS, grad=True), _tensor(_EMPTY_TARGETS)),
    ],
    random=lambda rng: _random_batch(rng, grad=True, empty_labels=True),
    hints=[
        "Per label: soft F1 = 2 tp / (2 tp + fp + fn) from your soft counts; the loss is 1 minus their mean.",
        "A label with 2 tp + fp + fn == 0 has F1 = 0/0: keep only the other labels, e.g. `keep = denominator > 0`, "
        "then `f1[keep].mean()`. Never call .item() or torch.tensor(...) on a computed value: the loss must stay "
        "attached to the graph.",
    ],
)


@q2.mistake(
    "Your loss is detached from the autograd graph (.item(), .detach(), .numpy() or torch.tensor(...) on a computed "
    "value): its value is right, but no gradient can flow back through it, so it cannot train a model."
)
def _detached(probs, targets):
    return _soft_f1(probs, targets).detach()


@q2.mistake(
    "You thresholded the probabilities (probs >= 0.5): that computes 1 - F1 of the decisions, which has no "
    "gradient (the comparison leaves the graph). Use the probabilities themselves in the counts."
)
def _hard_thresholded(probs, targets):
    return soft_f1_loss((probs >= 0.5).to(probs.dtype), targets, from_logits=False).detach()


@q2.mistake(
    "Your loss is NaN when a label has no positives and no predicted mass (0/0). Leave such labels out of the "
    "mean: compute F1 only where 2 tp + fp + fn > 0."
)
def _nan_on_empty_label(probs, targets):
    tp, fp, fn = soft_counts(probs, targets)
    return 1 - (2 * tp / (2 * tp + fp + fn)).mean()


@q2.mistake(
    "You counted an empty label (no positives, no predicted mass) as F1 = 0, for instance by adding an epsilon to "
    "the denominator. The rule here is to leave it out of the mean: it has nothing to find and claimed nothing."
)
def _empty_label_scores_zero(probs, targets):
    tp, fp, fn = soft_counts(probs, targets)
    denominator = 2 * tp + fp + fn
    f1 = 2 * tp / torch.where(denominator > 0, denominator, torch.ones_like(denominator))
    return 1 - f1.mean()


@q2.mistake(
    "That is the micro version (counts summed over the labels first). Macro computes one F1 per label, then "
    "averages them, so a rare label counts as much as a common one."
)
def _micro(probs, targets):
    return soft_f1_loss(probs, targets, from_logits=False, average="micro")


@q2.mistake("You returned the mean soft F1 itself; the loss to minimise is 1 - mean soft F1.")
def _score_not_loss(probs, targets):
    return 1 - _soft_f1(probs, targets)


# --------------------------------------------------------------------------------------------------- q3 the gradient


def _soft_f1_gradient(probs, targets):
    p = probs.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(soft_f1_loss(p, targets, from_logits=False), p)
    return grad


def _random_label(rng: np.random.Generator) -> Args:
    n = int(rng.integers(1, 16))
    probs = rng.random(n)
    targets = (rng.random(n) < rng.uniform(0.1, 0.8)).astype(float)
    targets[rng.integers(n)] = 1.0  # at least one positive: the denominator is never 0
    return Args(_tensor(probs), _tensor(targets))


q3 = Question(
    "q3",
    points=2,
    function="soft_f1_gradient",
    title="The gradient of 1 - soft F1 of one label with respect to each probability, by the quotient rule",
    reference=_soft_f1_gradient,
    fixed=[
        Args(_tensor([0.9, 0.2, 0.6, 0.8]), _tensor([1.0, 0.0, 1.0, 1.0])),
        Args(_tensor([0.5]), _tensor([1.0])),
        Args(_tensor([0.1, 0.05, 0.3, 0.02, 0.2]), _tensor([0.0, 0.0, 1.0, 0.0, 1.0])),
    ],
    random=_random_label,
    hints=[
        "Write D = sum(probs) + sum(targets) (= 2 tp + fp + fn) and F1 = 2 sum(probs * targets) / D. Both the "
        "numerator and D depend on every p_i.",
        "Quotient rule: dF1/dp_i = (2 y_i D - 2 tp) / D**2 = (2 y_i - F1) / D. The loss is 1 - F1, so its "
        "gradient is -(2 y_i - F1) / D.",
    ],
)


@q3.mistake("Your sign is flipped: that is the gradient of F1. The loss is 1 - F1, so its gradient is -dF1/dp_i.")
def _sign_flipped(probs, targets):
    return -_soft_f1_gradient(probs, targets)


@q3.mistake(
    "You treated the denominator D = sum(p) + sum(y) as a constant. It grows with every p_i too; the quotient rule "
    "adds the term + F1 / D."
)
def _denominator_constant(probs, targets):
    denominator = probs.sum() + targets.sum()
    return -2 * targets / denominator


@q3.mistake(
    "You multiplied by p (1 - p): that is the gradient with respect to the logits (through the sigmoid). The "
    "question asks for the gradient with respect to the probabilities."
)
def _through_the_sigmoid(probs, targets):
    return _soft_f1_gradient(probs, targets) * probs * (1 - probs)


QUESTIONS = (q1, q2, q3)

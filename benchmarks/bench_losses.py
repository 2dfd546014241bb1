"""Forward + backward of soft-F1 against BCEWithLogits on a 4096 x 100 batch of logits.

The ratio column is BCE time / soft-F1 time: 0.5 means soft-F1 costs twice BCE,
the most the course allows for a loss that is meant to replace or join BCE.
"""

from __future__ import annotations

import torch
from torch.nn import functional as F

from benchmarks._harness import Case
from course_lib.teaching.losses import ComboLoss, soft_f1_loss


def _batch(n: int, k: int, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(n, k, generator=g).requires_grad_()
    # Base rates from 1% to 30%, like the lesson's labels.
    rates = torch.linspace(0.01, 0.30, k)
    targets = (torch.rand(n, k, generator=g) < rates).float()
    return logits, targets


def _forward_backward(loss_fn, logits, targets):
    def step():
        logits.grad = None
        loss_fn(logits, targets).backward()

    return step


def cases(quick: bool) -> list[Case]:
    n, k = (512, 20) if quick else (4096, 100)
    logits, targets = _batch(n, k)
    bce = _forward_backward(F.binary_cross_entropy_with_logits, logits, targets)
    out = [
        Case(
            "losses",
            f"soft_f1_loss fwd+bwd {n}x{k}",
            _forward_backward(soft_f1_loss, logits, targets),
            {"BCEWithLogits fwd+bwd": bce},
            repeat=7 if quick else 31,
            target="ratio >= 0.5 (soft-F1 at most 2x BCEWithLogits)",
        ),
        Case(
            "losses",
            f"ComboLoss(0.5) fwd+bwd {n}x{k}",
            _forward_backward(ComboLoss(0.5), logits, targets),
            {"BCEWithLogits fwd+bwd": bce},
            repeat=7 if quick else 31,
            target="about 1 / (1 + soft-F1 cost): both losses are computed",
        ),
    ]
    return out

"""A small, deterministic multilabel training loop with learning curves and early stopping.

Just enough machinery for the soft-F1 lesson to compare losses fairly: every
run starts from the same weights, sees the mini-batches in the same order, and
is judged by the same numbers after every epoch (loss and macro-F1 at threshold
0.5, on the whole training and validation sets). Early stopping keeps the
weights of the epoch with the best validation macro-F1.

Determinism: the weights come from ``seed`` and the batch order from a private
``torch.Generator``, so the global random state is neither used nor changed.
Bit-identical reruns also need ``torch.use_deterministic_algorithms(True)`` and
a fixed ``torch.set_num_threads``, which are the notebook's business.
"""

from __future__ import annotations

import copy
import numbers
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from course_lib.metrics.scores import f1_score
from course_lib.metrics.validation import _describe, check_multilabel, expected


def make_mlp(n_features: int, n_labels: int, *, hidden: int = 32, seed: int = 0, dtype=torch.float64) -> nn.Sequential:
    """``Linear -> ReLU -> Linear``: one hidden layer, one logit per label, weights drawn from ``seed``.

    >>> make_mlp(16, 10)
    Sequential(
      (0): Linear(in_features=16, out_features=32, bias=True)
      (1): ReLU()
      (2): Linear(in_features=32, out_features=10, bias=True)
    )
    """
    with torch.random.fork_rng(devices=[]):  # PyTorch's default init draws from the global RNG
        torch.manual_seed(seed)
        return nn.Sequential(nn.Linear(n_features, hidden), nn.ReLU(), nn.Linear(hidden, n_labels)).to(dtype)


def macro_f1(targets, probs, threshold=0.5) -> float:
    """Macro-F1 of ``probs >= threshold`` (one threshold, or one per label); 0 where a label's F1 is 0/0."""
    targets, probs = np.asarray(targets), np.asarray(probs)
    return f1_score(targets, (probs >= np.asarray(threshold)).astype(np.int64), average="macro", zero_division=0.0)


@dataclass
class History:
    """What happened in each epoch of :func:`fit` (lists indexed by epoch - 1)."""

    train_loss: list[float] = field(default_factory=list)
    validation_loss: list[float] = field(default_factory=list)
    train_f1: list[float] = field(default_factory=list)
    validation_f1: list[float] = field(default_factory=list)
    best_epoch: int = 0  # 1-based; the weights :func:`fit` leaves in the model
    stopped_early: bool = False

    @property
    def epochs(self) -> int:
        return len(self.train_loss)

    def __repr__(self) -> str:
        how = "stopped early" if self.stopped_early else "ran every epoch"
        best = self.validation_f1[self.best_epoch - 1] if self.best_epoch else float("nan")
        return f"History({self.epochs} epochs, {how}, best epoch {self.best_epoch}: validation macro-F1 {best:.4f})"


def _check_pair(pair, name: str):
    if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(t, torch.Tensor) for t in pair)):
        raise TypeError(expected(name, "a tuple (features, targets) of two tensors", _describe(pair)))
    features, targets = pair
    if features.ndim != 2 or targets.ndim != 2 or len(features) != len(targets) or len(features) == 0:
        raise ValueError(
            expected(
                name,
                "(n, n_features) features and (n, n_labels) targets",
                f"shapes {tuple(features.shape)} and {tuple(targets.shape)}",
            )
        )
    return features, targets


def _check_count(value, name: str, minimum: int) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < minimum:
        raise ValueError(expected(name, f"an int >= {minimum}", _describe(value)))
    return int(value)


@torch.no_grad()
def _evaluate(model: nn.Module, loss_fn, features, targets) -> tuple[float, float]:
    logits = model(features)
    return float(loss_fn(logits, targets)), macro_f1(targets.numpy(), torch.sigmoid(logits).numpy())


def fit(
    model: nn.Module,
    loss_fn,
    train,
    validation,
    *,
    epochs: int = 60,
    batch_size: int = 256,
    lr: float = 1e-2,
    patience: int | None = 10,
    seed: int = 0,
    progress: bool = True,
    desc: str = "training",
) -> History:
    """Train ``model`` with Adam on mini-batches of ``train``; keep the best epoch by validation macro-F1.

    Parameters
    ----------
    model : nn.Module
        Maps features to one logit per label. Trained in place.
    loss_fn : callable ``(logits, targets) -> scalar tensor``
        e.g. ``nn.BCEWithLogitsLoss()``, ``SoftF1Loss()``, ``ComboLoss(0.5)``.
    train, validation : tuple (features, targets) of tensors
        Targets are 0/1 of the features' dtype.
    epochs : int
        The most epochs to run.
    patience : int or None
        Stop after this many epochs without a better validation macro-F1; None never stops early.
    progress : bool
        Show a ``tqdm.auto`` bar (a widget in Jupyter) whose text carries no timings of ours.

    Returns
    -------
    History
        Per-epoch losses and macro-F1 (threshold 0.5) on both sets. After the
        call, ``model`` holds the weights of ``history.best_epoch``.
    """
    x_train, y_train = _check_pair(train, "train")
    x_val, y_val = _check_pair(validation, "validation")
    epochs = _check_count(epochs, "epochs", 1)
    batch_size = _check_count(batch_size, "batch_size", 1)
    if patience is not None:
        patience = _check_count(patience, "patience", 1)
    if not isinstance(lr, numbers.Real) or isinstance(lr, bool) or not 0 < lr < np.inf:
        raise ValueError(expected("lr", "a positive number", _describe(lr)))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    order = torch.Generator().manual_seed(seed)
    history, best_state = History(), None
    bar = tqdm(total=epochs, desc=desc, disable=not progress, leave=True)
    for epoch in range(1, epochs + 1):
        model.train()
        for batch in torch.randperm(len(x_train), generator=order).split(batch_size):
            optimizer.zero_grad()
            loss_fn(model(x_train[batch]), y_train[batch]).backward()
            optimizer.step()
        model.eval()
        for (loss, f1), name in (
            (_evaluate(model, loss_fn, x_train, y_train), "train"),
            (_evaluate(model, loss_fn, x_val, y_val), "validation"),
        ):
            getattr(history, f"{name}_loss").append(loss)
            getattr(history, f"{name}_f1").append(f1)
        if history.best_epoch == 0 or history.validation_f1[-1] > history.validation_f1[history.best_epoch - 1]:
            history.best_epoch, best_state = epoch, copy.deepcopy(model.state_dict())
        bar.update(1)
        bar.set_postfix_str(f"validation macro-F1 {history.validation_f1[-1]:.3f}", refresh=False)
        if patience is not None and epoch - history.best_epoch >= patience:
            history.stopped_early = epoch < epochs
            break
    bar.close()
    model.load_state_dict(best_state)
    return history


def gradient_norm(model: nn.Module, loss_fn, features, targets) -> float:
    """The L2 norm of d loss / d parameters over the whole of ``features`` (no update is made)."""
    model.zero_grad()
    loss_fn(model(features), targets).backward()
    norm = torch.sqrt(sum((p.grad**2).sum() for p in model.parameters() if p.grad is not None))
    model.zero_grad()
    return float(norm)


def bootstrap_macro_f1_difference(
    y_true, pred_a, pred_b, *, n_resamples: int = 1000, seed: int = 0, level: float = 0.95
):
    """How sure is "a beats b"? Macro-F1(a) - macro-F1(b) on the data, and a paired bootstrap interval for it.

    Both prediction matrices are scored on the *same* resampled rows each time
    (a paired bootstrap), so what varies is only which samples happen to be in
    the test set. An interval that contains 0 means the test set cannot tell the
    two apart.

    Parameters
    ----------
    y_true, pred_a, pred_b : array-like of shape (n_samples, n_labels)
        0/1 truth and two models' 0/1 predictions.

    Returns
    -------
    (difference, low, high) : tuple of float
        The difference on the data as given, and the ``level`` percentile interval.

    Examples
    --------
    >>> y = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    >>> bootstrap_macro_f1_difference(y, y, y)
    (0.0, 0.0, 0.0)
    """
    y, a, b = (check_multilabel(m, name) for m, name in ((y_true, "y_true"), (pred_a, "pred_a"), (pred_b, "pred_b")))
    for m, name in ((a, "pred_a"), (b, "pred_b")):
        if m.shape != y.shape:
            raise ValueError(expected(name, f"of the shape of y_true {y.shape}", f"shape {m.shape}"))
    y, a, b = y.astype(np.float64), a.astype(np.float64), b.astype(np.float64)
    n_resamples = _check_count(n_resamples, "n_resamples", 1)
    if not isinstance(level, numbers.Real) or not 0 < level < 1:
        raise ValueError(expected("level", "a number in (0, 1)", _describe(level)))
    n = len(y)
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, n, size=(n_resamples, n))
    # weights[r, i] = how often row i is drawn in resample r; then every count is one matrix product.
    weights = np.bincount((rows + n * np.arange(n_resamples)[:, None]).ravel(), minlength=n_resamples * n)
    # Row 0 is the data as given; float64 so the products below run in BLAS (integer matmul does not).
    weights = np.vstack([np.ones(n), weights.reshape(n_resamples, n)]).astype(np.float64)

    def macro(pred):
        tp, predicted, actual = weights @ (y * pred), weights @ pred, weights @ y
        denominator = predicted + actual  # = 2 TP + FP + FN
        return np.where(denominator > 0, 2 * tp / np.maximum(denominator, 1), 0.0).mean(axis=1)

    difference = macro(a) - macro(b)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(difference[1:], [tail, 100 - tail])
    return float(difference[0]), float(low), float(high)

"""Lesson 08's checks against mistakes written the way a learner writes them (plain torch, no course_lib)."""

from __future__ import annotations

import torch
from _checks_helpers import assert_diagnosed, mistake_message

from course_lib.checks import lesson08 as check

# ----------------------------------------------------------------------------------------------------------- q1


def test_q1_hard_thresholding_is_diagnosed():
    def soft_counts(probs, targets):
        decisions = (probs >= 0.5).float()
        tp = (decisions * targets).sum(dim=0)
        fp = (decisions * (1 - targets)).sum(dim=0)
        fn = ((1 - decisions) * targets).sum(dim=0)
        return tp, fp, fn

    assert_diagnosed(check.q1, soft_counts, "_hard_counts")
    assert "thresholded" in mistake_message(check.q1, "_hard_counts")


def test_q1_swapped_fp_and_fn_are_diagnosed():
    def soft_counts(probs, targets):
        tp = (probs * targets).sum(0)
        return tp, ((1 - probs) * targets).sum(0), (probs * (1 - targets)).sum(0)

    assert_diagnosed(check.q1, soft_counts, "_fp_fn_swapped")


def test_q1_counting_per_sample_is_diagnosed():
    def soft_counts(probs, targets):
        tp = (probs * targets).sum(dim=1)
        return tp, (probs * (1 - targets)).sum(dim=1), ((1 - probs) * targets).sum(dim=1)

    assert_diagnosed(check.q1, soft_counts, "_per_sample")


def test_q1_a_numpy_answer_with_the_identity_is_correct():
    def soft_counts(probs, targets):
        p, y = probs.numpy(), targets.numpy()
        tp = (p * y).sum(axis=0)
        return tp, p.sum(axis=0) - tp, y.sum(axis=0) - tp  # tp + fp = sum(p), tp + fn = sum(y)

    assert check.q1.check(soft_counts, seed=1).status == "correct"


# ----------------------------------------------------------------------------------------------------------- q2


def _masked_loss(probs, targets):
    tp = (probs * targets).sum(0)
    denominator = probs.sum(0) + targets.sum(0)
    keep = denominator > 0
    return 1 - (2 * tp[keep] / denominator[keep]).mean()


def test_q2_returning_a_detached_tensor_is_diagnosed():
    def soft_f1(probs, targets):
        return torch.tensor(_masked_loss(probs, targets).item())  # a fresh tensor: the graph is gone

    assert_diagnosed(check.q2, soft_f1, "_detached")
    assert "detached" in mistake_message(check.q2, "_detached")


def test_q2_returning_a_python_float_is_diagnosed_as_detached():
    def soft_f1(probs, targets):
        return _masked_loss(probs, targets).item()

    assert_diagnosed(check.q2, soft_f1, "_detached")


def test_q2_hard_thresholding_is_diagnosed():
    def soft_f1(probs, targets):
        decisions = (probs >= 0.5).double()
        tp = (decisions * targets).sum(0)
        fp = (decisions * (1 - targets)).sum(0)
        fn = ((1 - decisions) * targets).sum(0)
        denominator = 2 * tp + fp + fn
        keep = denominator > 0
        return 1 - (2 * tp[keep] / denominator[keep]).mean()

    assert_diagnosed(check.q2, soft_f1, "_hard_thresholded")


def test_q2_nan_on_an_empty_label_is_diagnosed():
    def soft_f1(probs, targets):
        tp = (probs * targets).sum(0)
        fp = (probs * (1 - targets)).sum(0)
        fn = ((1 - probs) * targets).sum(0)
        return 1 - (2 * tp / (2 * tp + fp + fn)).mean()

    assert_diagnosed(check.q2, soft_f1, "_nan_on_empty_label")
    assert "NaN" in mistake_message(check.q2, "_nan_on_empty_label")


def test_q2_the_recipes_epsilon_is_diagnosed():
    def soft_f1(probs, targets):
        tp = (probs * targets).sum(0)
        fp = (probs * (1 - targets)).sum(0)
        fn = ((1 - probs) * targets).sum(0)
        return 1 - (2 * tp / (2 * tp + fp + fn + 1e-7)).mean()  # no NaN, but an empty label counts as F1 = 0

    assert_diagnosed(check.q2, soft_f1, "_empty_label_scores_zero")


def test_q2_micro_instead_of_macro_is_diagnosed():
    def soft_f1(probs, targets):
        tp = (probs * targets).sum()
        return 1 - 2 * tp / (probs.sum() + targets.sum())

    assert_diagnosed(check.q2, soft_f1, "_micro")


def test_q2_returning_the_score_is_diagnosed():
    def soft_f1(probs, targets):
        return 1 - _masked_loss(probs, targets)

    assert_diagnosed(check.q2, soft_f1, "_score_not_loss")


def test_q2_a_correct_answer_trains():
    assert check.q2.check(_masked_loss, seed=2).status == "correct"
    probs = torch.rand(6, 3, dtype=torch.float64, requires_grad=True)
    _masked_loss(probs, (torch.rand(6, 3) < 0.5).double()).backward()
    assert probs.grad is not None


# ----------------------------------------------------------------------------------------------------------- q3


def test_q3_flipped_sign_is_diagnosed():
    def soft_f1_gradient(probs, targets):
        d = probs.sum() + targets.sum()
        f1 = 2 * (probs * targets).sum() / d
        return (2 * targets - f1) / d

    assert_diagnosed(check.q3, soft_f1_gradient, "_sign_flipped")


def test_q3_constant_denominator_is_diagnosed():
    def soft_f1_gradient(probs, targets):
        return -2 * targets / (probs.sum() + targets.sum())

    assert_diagnosed(check.q3, soft_f1_gradient, "_denominator_constant")


def test_q3_gradient_with_respect_to_logits_is_diagnosed():
    def soft_f1_gradient(probs, targets):
        d = probs.sum() + targets.sum()
        f1 = 2 * (probs * targets).sum() / d
        return -(2 * targets - f1) / d * probs * (1 - probs)

    assert_diagnosed(check.q3, soft_f1_gradient, "_through_the_sigmoid")


def test_q3_autograd_gives_the_same_answer():
    def soft_f1_gradient(probs, targets):
        p = probs.clone().requires_grad_()
        loss = 1 - 2 * (p * targets).sum() / (p.sum() + targets.sum())
        loss.backward()
        return p.grad

    assert check.q3.check(soft_f1_gradient, seed=3).status == "correct"

"""Lesson 13's two shards of predictions, and what each process of the lesson runs.

Two "sites" hold predictions of one model: a big shard with rare positives and low
scores, and a small one with common positives whose scores run higher (another
site, another month). Their class mixes and score ranges differ on purpose: the
union's metrics are not the mean of the shards' metrics.

    >>> y_true, y_score = lesson_shard_data(1)
    >>> len(y_true), round(float(y_true.mean()), 2)
    (100000, 0.4)
"""

from __future__ import annotations

import numpy as np

__all__ = ["LESSON_SHARDS", "lesson_shard", "lesson_shard_data"]

# (rows, prevalence, score shift) of the two shards of lesson 13: a big shard with rare positives and
# low scores, a small one with common positives whose scores run higher (another site, another month).
LESSON_SHARDS = ((900_000, 0.02, -0.5), (100_000, 0.40, 1.0))


def lesson_shard_data(rank: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The predictions rank ``rank`` holds in lesson 13 (the notebook calls it too, to check the union).

    Logits are normal with mean ``shift + 1.5 * y`` and unit variance; scores are their sigmoid.
    """
    n, prevalence, shift = LESSON_SHARDS[rank]
    rng = np.random.default_rng(seed + rank)
    y_true = (rng.random(n) < prevalence).astype(np.int64)
    logits = rng.normal(shift + 1.5 * y_true, 1.0)
    return y_true, 1.0 / (1.0 + np.exp(-logits))


def lesson_shard(seed: int = 0, bins: int = 1000) -> dict:
    """One process of lesson 13: count its shard, merge the states, compute the exact AUC and AP together."""
    import torch.distributed as dist

    from course_lib.scale.distributed import all_reduce_state, distributed_ranking_scores
    from course_lib.scale.state import MetricState

    rank, world_size = dist.get_rank(), dist.get_world_size()
    y_true, y_score = lesson_shard_data(rank, seed=seed)
    local = MetricState(bins=bins).update(y_true, y_score)
    merged = all_reduce_state(local)
    roc_auc, average_precision = distributed_ranking_scores(y_true, y_score)
    return {
        "rank": rank,
        "world_size": world_size,
        "n_local": len(y_true),
        "local_f1": local.f1_score(zero_division=0),
        "merged_state": merged,
        "exact_roc_auc": roc_auc,
        "exact_average_precision": average_precision,
    }

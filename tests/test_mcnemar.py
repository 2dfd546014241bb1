"""mcnemar_test against statsmodels' mcnemar, on labels and on counts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.contingency_tables import mcnemar

from course_lib import mcnemar_test
from course_lib.metrics.paired_tests import mcnemar_from_counts


def _table(y, a, b):
    right_a, right_b = a == y, b == y
    return [
        [np.sum(right_a & right_b), np.sum(right_a & ~right_b)],
        [np.sum(~right_a & right_b), np.sum(~right_a & ~right_b)],
    ]


@st.composite
def paired_predictions(draw):
    n = draw(st.integers(1, 300))
    k = draw(st.integers(2, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))  # arrays from a drawn seed: fast to generate
    error_a, error_b = draw(st.floats(0, 1)), draw(st.floats(0, 1))
    y = rng.integers(0, k, n)
    flips_a, flips_b = rng.random(n) < error_a, rng.random(n) < error_b
    return y, np.where(flips_a, (y + 1) % k, y), np.where(flips_b, (y + 1) % k, y)


@settings(max_examples=600, deadline=None)
@given(paired_predictions(), st.booleans())
def test_equal_to_statsmodels(data, exact):
    y, a, b = data
    ours = mcnemar_test(y, a, b, exact=exact)
    if ours.b + ours.c == 0:
        assert (ours.statistic, ours.pvalue) == (0.0, 1.0)
        return
    theirs = mcnemar(_table(y, a, b), exact=exact)
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-12, abs=1e-12)
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-12, abs=1e-15)
    assert 0.0 <= ours.pvalue <= 1.0


def test_discordant_counts_and_swap_symmetry():
    y = np.array([1, 1, 0, 0, 1, 0, 1, 1, 0, 0])
    a = np.array([1, 1, 0, 0, 1, 0, 1, 1, 1, 0])
    b = np.array([0, 1, 1, 0, 0, 0, 1, 0, 0, 0])
    ab, ba = mcnemar_test(y, a, b), mcnemar_test(y, b, a)
    assert (ab.b, ab.c) == (4, 1) and (ba.b, ba.c) == (1, 4)
    assert ab.pvalue == ba.pvalue


def test_no_disagreement_is_no_evidence():
    y = np.array([0, 1, 1, 0])
    for exact in (True, False):
        result = mcnemar_test(y, y, y, exact=exact)
        assert result.statistic == 0.0 and result.pvalue == 1.0


def test_exact_pvalue_by_hand():
    # b = 2, c = 10: P(Binomial(12, 1/2) <= 2) = (1 + 12 + 66) / 4096, doubled
    assert mcnemar_from_counts(2, 10).pvalue == pytest.approx(2 * 79 / 4096, rel=1e-12)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "name"),
    [
        (([0, 1, 1], [0, 1], [0, 1, 1]), {}, ValueError, "y_true"),
        (([0, 1, 1], [0, 1, 1], [0, 1]), {}, ValueError, "y_true"),
        (([0, 1], [0, 1], [0, 1]), {"exact": "yes"}, TypeError, "exact"),
        (([0, 1], [0, 0.5], [0, 1]), {}, ValueError, "pred_a"),
        (([0, 1], [0, 1], None), {}, TypeError, "pred_b"),
    ],
)
def test_bad_input_names_the_argument(args, kwargs, error, name):
    with pytest.raises(error, match=f"`{name}`"):
        mcnemar_test(*args, **kwargs)

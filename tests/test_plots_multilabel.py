"""The per-label confusion grid shows each label's four counts, on one colour scale."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.metrics import multilabel_confusion_matrix  # noqa: E402

from course_lib.teaching import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _cell_texts(ax):
    return sorted(text.get_text() for text in ax.texts)


def test_each_panel_shows_its_labels_four_named_counts():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 2, (30, 5)), rng.integers(0, 2, (30, 5))
    blocks = multilabel_confusion_matrix(y_true, y_pred)
    axes = plots.plot_label_confusion_grid(blocks, labels=list("abcde"), ncols=3)
    assert len(axes) == 5 and [ax.get_title() for ax in axes] == list("abcde")
    for ax, block in zip(axes, blocks, strict=True):
        (tn, fp), (fn, tp) = block
        assert _cell_texts(ax) == sorted([f"TN\n{tn}", f"FP\n{fp}", f"FN\n{fn}", f"TP\n{tp}"])
        np.testing.assert_array_equal(ax.images[0].get_array(), block)
        assert ax.images[0].get_clim() == (0, blocks.max())  # one colour scale for all panels
    assert sum(ax.get_visible() for ax in axes[0].figure.axes) == 5  # the sixth grid cell is hidden


def test_default_titles_and_one_row():
    axes = plots.plot_label_confusion_grid(np.array([[[1, 0], [0, 1]], [[0, 2], [0, 0]]]))
    assert [ax.get_title() for ax in axes] == ["label 0", "label 1"]
    assert axes[0].get_subplotspec().get_geometry()[:2] == (1, 2)


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        (np.zeros((2, 3, 3), dtype=int), "shape"),
        (np.zeros((0, 2, 2), dtype=int), "shape"),
        (np.full((1, 2, 2), 0.5), "integer"),
        (np.full((1, 2, 2), -1), "integer"),
    ],
)
def test_bad_blocks_are_refused_with_the_argument_named(blocks, message):
    with pytest.raises(ValueError, match=f"`blocks`.*{message}"):
        plots.plot_label_confusion_grid(blocks)


def test_wrong_number_of_labels_is_refused():
    with pytest.raises(ValueError, match="`labels`"):
        plots.plot_label_confusion_grid(np.ones((2, 2, 2), dtype=int), labels=["only one"])

"""The course plots draw what they are given, label it, and keep one look whatever the global rcParams."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from course_lib.teaching import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- the style


def test_use_course_style_sets_the_course_rcparams():
    with plt.rc_context():
        plots.use_course_style()
        for key, value in plots.COURSE_RC.items():
            if key == "axes.prop_cycle":
                continue
            actual = plt.rcParams[key]
            assert (list(actual) if isinstance(value, tuple) else actual) == (
                list(value) if isinstance(value, tuple) else value
            ), key


def test_course_style_context_restores_the_previous_style():
    before = plt.rcParams["axes.titleweight"]
    with plots.course_style():
        assert plt.rcParams["axes.titleweight"] == "bold"
    assert plt.rcParams["axes.titleweight"] == before


def test_helpers_draw_in_the_course_style_whatever_the_global_style():
    with plt.rc_context({"axes.titleweight": "normal", "axes.spines.top": True}):
        ax = plots.plot_confusion_matrix([[1, 2], [3, 4]])
        assert ax.title.get_fontweight() == "bold"
        ax2 = plots.plot_roc_curve([0, 1], [0, 1])
        assert not ax2.spines["top"].get_visible()


def test_metric_colours_are_palette_colours():
    assert set(plots.METRIC_COLORS.values()) <= set(plots.COLORS.values())
    assert len({plots.METRIC_COLORS[m] for m in ("precision", "recall", "f1")}) == 3


# --------------------------------------------------------------------------- confusion matrix


def _cell_texts(ax):
    """{(row, col): text} from the texts placed at integer cell centres."""
    return {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts}


def test_confusion_matrix_labels_every_cell_with_its_value():
    cm = np.array([[6, 2], [3, 9]])
    ax = plots.plot_confusion_matrix(cm, labels=["neg", "pos"], cell_names=[["TN", "FP"], ["FN", "TP"]])
    assert _cell_texts(ax) == {(0, 0): "TN\n6", (0, 1): "FP\n2", (1, 0): "FN\n3", (1, 1): "TP\n9"}
    assert [t.get_text() for t in ax.get_xticklabels()] == ["neg", "pos"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["neg", "pos"]
    assert ax.get_xlabel() == "Predicted label" and ax.get_ylabel() == "True label"
    assert ax.get_title() == "Confusion matrix"
    np.testing.assert_array_equal(ax.images[0].get_array(), cm)


def test_confusion_matrix_text_contrasts_with_its_cell():
    ax = plots.plot_confusion_matrix([[0, 1], [2, 10]])
    colours = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_color() for t in ax.texts}
    assert colours[(1, 1)] == "white"  # darkest cell
    assert colours[(0, 0)] == "black"  # lightest cell


@pytest.mark.parametrize("k", [1, 3, 7, 20])
def test_confusion_matrix_any_size(k):
    cm = np.arange(k * k).reshape(k, k)
    ax = plots.plot_confusion_matrix(cm)
    texts = _cell_texts(ax)
    assert len(texts) == k * k
    assert all(texts[(i, j)] == str(cm[i, j]) for i in range(k) for j in range(k))


def test_confusion_matrix_formats_rates_with_two_decimals():
    ax = plots.plot_confusion_matrix(np.array([[0.75, 0.25], [0.25, 0.75]]))
    assert sorted(t.get_text() for t in ax.texts) == ["0.25", "0.25", "0.75", "0.75"]
    ax = plots.plot_confusion_matrix(np.array([[0.75, 0.25], [0.25, 0.75]]), values_format=".0%")
    assert sorted(t.get_text() for t in ax.texts) == ["25%", "25%", "75%", "75%"]


def test_confusion_matrix_draws_on_a_given_axes():
    fig, (left, right) = plt.subplots(1, 2)
    out = plots.plot_confusion_matrix([[1, 0], [0, 1]], ax=right, title="right one")
    assert out is right and right.get_title() == "right one" and not left.texts


@pytest.mark.parametrize(
    ("cm", "kwargs", "name"),
    [
        (np.zeros((2, 3)), {}, "cm"),
        (np.zeros(4), {}, "cm"),
        (np.zeros((2, 2)), {"labels": ["a", "b", "c"]}, "labels"),
    ],
)
def test_confusion_matrix_bad_input(cm, kwargs, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        plots.plot_confusion_matrix(cm, **kwargs)


# --------------------------------------------------------------------------- metric vs threshold


def test_metric_vs_threshold_draws_each_metric_in_its_colour():
    t = np.linspace(0, 1, 11)
    metrics = {"precision": t, "recall": 1 - t, "F1": np.full(11, 0.5)}
    ax = plots.plot_metric_vs_threshold(t, metrics)
    lines = {line.get_label(): line for line in ax.lines}
    for name, values in metrics.items():
        np.testing.assert_array_equal(lines[name].get_ydata(), values)
        assert to_hex(lines[name].get_color()) == to_hex(plots.METRIC_COLORS[name.lower()])
        assert lines[name].get_drawstyle() == "steps-pre"
    assert "threshold" in ax.get_xlabel().lower() and ax.get_title()


def test_marker_sits_on_the_curves_at_the_threshold():
    t = np.round(np.arange(0, 1.01, 0.1), 1)
    f1 = np.linspace(0.2, 0.9, 11)
    ax = plots.plot_metric_vs_threshold(t, {"F1": f1}, threshold=0.3)
    vertical = [line for line in ax.lines if list(line.get_xdata()) == [0.3, 0.3]]
    assert len(vertical) == 1
    dots = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(dots) == 1 and list(dots[0].get_ydata()) == [f1[3]]
    # Between grid points the step drawn at t is the value at the next grid threshold (steps-pre).
    ax = plots.plot_metric_vs_threshold(t, {"F1": f1}, threshold=0.25)
    dots = [line for line in ax.lines if line.get_marker() == "o"]
    assert list(dots[0].get_ydata()) == [f1[3]]


def test_move_threshold_marker_moves_the_same_artists():
    fig, ax = plt.subplots()
    marker = plots.draw_threshold_marker(ax, 0.5, {"precision": 0.8, "recall": 0.7})
    n_lines = len(ax.lines)
    plots.move_threshold_marker(marker, 0.3, {"precision": 0.9, "recall": 1.0})
    assert len(ax.lines) == n_lines
    assert list(marker["line"].get_xdata()) == [0.3, 0.3]
    assert list(marker["dots"].get_xdata()) == [0.3, 0.3]
    assert list(marker["dots"].get_ydata()) == [0.9, 1.0]


# --------------------------------------------------------------------------- ROC and PR


def test_roc_curve_draws_the_points_and_one_chance_line():
    fpr, tpr = [0, 0, 0.25, 0.5, 1], [0, 0.5, 0.75, 1, 1]
    ax = plots.plot_roc_curve(fpr, tpr, auc=0.8125, label="model A")
    plots.plot_roc_curve([0, 1], [0, 1], auc=0.5, label="model B", ax=ax)
    labels = [line.get_label() for line in ax.lines]
    assert labels.count("chance (AUC = 0.5)") == 1
    assert "model A (AUC = 0.8125)" in labels and "model B (AUC = 0.5000)" in labels
    model = ax.lines[0]
    np.testing.assert_array_equal(model.get_xdata(), fpr)
    np.testing.assert_array_equal(model.get_ydata(), tpr)
    assert "False positive rate" in ax.get_xlabel() and "True positive rate" in ax.get_ylabel()


def test_pr_curve_is_a_step_function_with_a_no_skill_line():
    recall, precision = [1.0, 0.75, 0.5, 0.25, 0.0], [0.5, 0.6, 0.67, 1.0, 1.0]
    ax = plots.plot_pr_curve(recall, precision, average_precision=0.8542, base_rate=0.1)
    curve = next(line for line in ax.lines if line.get_label().startswith("model"))
    assert curve.get_label() == "model (AP = 0.8542)"
    assert curve.get_drawstyle() == "steps-post"
    no_skill = next(line for line in ax.lines if line.get_label().startswith("no skill"))
    assert list(no_skill.get_ydata()) == [0.1, 0.1]
    assert ax.get_xlabel().startswith("Recall") and ax.get_ylabel().startswith("Precision")


# --------------------------------------------------------------------------- learning curves


def test_learning_curves_mark_the_best_validation_epoch():
    train = [1.0, 0.6, 0.4, 0.3, 0.2]
    val = [1.1, 0.7, 0.5, 0.55, 0.6]
    ax = plots.plot_learning_curves(train, val)
    best = next(line for line in ax.lines if line.get_label().startswith("best"))
    assert list(best.get_xdata()) == [3] and list(best.get_ydata()) == [0.5]
    assert ax.get_xlabel() == "Epoch" and ax.get_ylabel() == "loss"


def test_learning_curves_higher_is_better_for_scores():
    ax = plots.plot_learning_curves([0.5, 0.7, 0.9], [0.5, 0.8, 0.6], metric="F1", x=[10, 20, 30])
    best = next(line for line in ax.lines if line.get_label().startswith("best"))
    assert list(best.get_xdata()) == [20]
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [10, 20, 30])


def test_subplots_uses_the_course_style():
    with plt.rc_context({"axes.spines.right": True}):
        fig, ax = plots.subplots()
        assert not ax.spines["right"].get_visible()

"""The from-scratch rule at run time: a forbidden package's code cannot run inside a graded answer, whatever the route.

Each route below reaches scikit-learn (or course_lib, torchmetrics) in a way the static reading of the source does
not follow. In-process tests drive the watch directly (one route each); the end-to-end tests grade real notebooks
in the real sandbox, with the forbidden call prepared in an earlier cell and handed to the answer through
``builtins`` (a name the static check has no binding for).
"""

from __future__ import annotations

import functools
import importlib
import operator
import sys
import threading

import numpy as np
import pytest
from _grader_class import insert_cell, read_grades, replace_function, rows_of, run_grader, solution, submit

from course_lib.grading._scratch import ForbiddenCode, Watch, package_folders

FORBIDDEN = ("course_lib", "sklearn", "torchmetrics")
Y_TRUE, Y_PRED = np.array([0, 1, 1, 0, 1]), np.array([0, 1, 0, 0, 1])


pytestmark = [
    pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


@pytest.fixture(scope="module")
def watch():
    for name in ("sklearn.metrics", "sklearn.utils", "course_lib", "torchmetrics.functional.classification"):
        importlib.import_module(name)  # imported whole before watching: a stopped import would leave it half done
    w = Watch()
    w.install()
    yield w
    w.uninstall()
    assert threading._start_new_thread is importlib.import_module("_thread").start_new_thread


def run_watched(watch: Watch, function):
    watched = watch.watched(function, FORBIDDEN)
    try:
        watched(Y_TRUE, Y_PRED)
    except BaseException:  # noqa: BLE001 - the stop signal, or what the answer raised because of it
        pass
    finally:
        sys.setprofile(None)
    return watch.caught


def _sk():
    return importlib.import_module("sk" + "learn.metrics")


class Counter:
    """An object whose __call__ is a library's."""

    __call__ = staticmethod(lambda a, b: _sk().confusion_matrix(a, b))


def _in_a_thread(a, b):
    out = []
    thread = threading.Thread(target=lambda: out.append(_sk().confusion_matrix(a, b)))
    thread.start()
    thread.join()
    return out


def _in_a_raw_thread(a, b):
    import _thread

    out, lock = [], _thread.allocate_lock()
    lock.acquire()

    def run():
        try:
            out.append(_sk().confusion_matrix(a, b))
        finally:
            lock.release()

    _thread.start_new_thread(run, ())
    lock.acquire()
    return out


def _swallowing(a, b):
    try:
        _sk().confusion_matrix(a, b)
    except BaseException:  # noqa: BLE001 - the answer tries to hide the stop
        pass
    return (1, 1, 1, 1)


def _generator(a, b):
    return list(importlib.import_module("sk" + "learn.utils").gen_batches(len(a), 2))


ROUTES = {
    "imported in the answer": lambda a, b: __import__("sklearn.metrics", fromlist=["x"]).confusion_matrix(a, b),
    "computed name": lambda a, b: getattr(_sk(), "confusion_" + "matrix")(a, b),
    "getattr chain": lambda a, b: importlib.import_module("sklearn").metrics.f1_score(a, b),
    "sys.modules": lambda a, b: (_sk(), sys.modules["sklearn.metrics"].recall_score(a, b))[1],
    "functools.partial": functools.partial(lambda f, a, b: f(a, b), lambda a, b: _sk().accuracy_score(a, b)),
    "partial of the library function": lambda a, b: functools.partial(_sk().confusion_matrix, labels=[0, 1])(a, b),
    "operator.methodcaller": lambda a, b: operator.methodcaller("precision_score", a, b)(_sk()),
    "class with __call__": lambda a, b: Counter()(a, b),
    "map over a library function": lambda a, b: list(map(_sk().accuracy_score, [a], [b])),
    "numpy ufunc wrapper": lambda a, b: np.frompyfunc(lambda x: _sk().accuracy_score([x], [x]), 1, 1)(a),
    "a generator of the library": _generator,
    "exception swallowed": _swallowing,
    "threading.Thread": _in_a_thread,
    "_thread.start_new_thread": _in_a_raw_thread,
    "switching the watch off": lambda a, b: (sys.setprofile(None), _sk().accuracy_score(a, b)),
    "course_lib": lambda a, b: importlib.import_module("course_lib").confusion_matrix(a, b),
    "torchmetrics": lambda a, b: importlib.import_module("torchmetrics.functional").accuracy,
}


@pytest.mark.parametrize("route", list(ROUTES))
def test_every_route_to_a_forbidden_package_is_caught(watch, route):
    function = ROUTES[route]
    if route == "torchmetrics":
        tm = importlib.import_module("torchmetrics.functional.classification")
        function = lambda a, b: tm.binary_accuracy(*map(importlib.import_module("torch").as_tensor, (a, b)))  # noqa: E731
    caught = run_watched(watch, function)
    assert caught is not None, f"{route}: not caught"
    expected = {
        "course_lib": "course_lib",
        "torchmetrics": "torchmetrics",
        "switching the watch off": "the grader's watch",
    }
    assert caught[0] == expected.get(route, "sklearn"), caught


def test_an_honest_numpy_answer_is_not_stopped(watch):
    def count_outcomes(y_true, y_pred):
        actual, predicted = np.asarray(y_true) == 1, np.asarray(y_pred) == 1
        return [int(np.sum(actual & predicted)), int(np.sum(~actual & predicted)), int(np.sum(~actual & ~predicted))]

    watched = watch.watched(count_outcomes, FORBIDDEN)
    try:
        assert watched(Y_TRUE, Y_PRED) == [2, 0, 2]
    finally:
        sys.setprofile(None)
    assert watch.caught is None


def test_an_honest_torch_answer_is_not_stopped(watch):
    torch = pytest.importorskip("torch")

    def soft(y, logits):
        p = torch.sigmoid(torch.as_tensor(logits, dtype=torch.float64))
        return float((2 * (p * torch.as_tensor(y)).sum() / (p.sum() + torch.as_tensor(y).sum())).item())

    watched = watch.watched(soft, FORBIDDEN)
    watched([1, 0, 1], [0.5, -1.0, 2.0])
    assert watch.caught is None


def test_package_folders_are_found_without_importing():
    sys.modules.pop("fairlearn", None)
    folders = package_folders(("sklearn", "fairlearn", "no_such_package_here"))
    assert folders["sklearn"] and all(f.endswith(("/sklearn/",)) for f in folders["sklearn"])
    assert folders["no_such_package_here"] == ()
    assert "fairlearn" not in sys.modules


def test_forbidden_code_is_not_an_exception_an_answer_can_catch_with_except_exception():
    assert not issubclass(ForbiddenCode, Exception)


# ------------------------------------------------------------------------------------- the real sandbox, end to end

SETUP = {
    # prepared in another cell, handed over through builtins (the static check has no binding to follow)
    "builtins_partial": (
        "import builtins, functools, importlib\n"
        "builtins.tally = functools.partial(importlib.import_module('sk' + 'learn.metrics').confusion_matrix, labels=[0, 1])"
    ),
    "setup_function": (
        "def setup():\n"
        "    import builtins\n"
        "    mod = __import__('sys').modules.get('sklearn.metrics') or __import__('sklearn.metrics', fromlist=['x'])\n"
        "    builtins.tally = lambda a, b: mod.confusion_matrix(a, b, labels=[0, 1])\n"
        "setup()"
    ),
    "class_call": (
        "class Tally:\n"
        "    def __call__(self, a, b):\n"
        "        import sklearn.metrics as m\n"
        "        return m.confusion_matrix(a, b, labels=[0, 1])\n"
        "import builtins; builtins.tally = Tally()"
    ),
}
ANSWER = '''def count_outcomes(y_true, y_pred):
    """(TP, FP, TN, FN)."""
    tn, fp, fn, tp = tally(y_true, y_pred).ravel()
    return tp, fp, tn, fn'''
THREAD_SETUP = """import threading, queue, builtins
jobs, answers = queue.Queue(), queue.Queue()
def serve():
    from sklearn.metrics import confusion_matrix
    while True:
        a, b = jobs.get()
        answers.put(confusion_matrix(a, b, labels=[0, 1]))
threading.Thread(target=serve, daemon=True).start()
builtins.tally = lambda a, b: (jobs.put((a, b)), answers.get())[1]"""


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("scratch")
    submissions = root / "submissions"
    for student, setup in [*SETUP.items(), ("thread_server", THREAD_SETUP)]:
        submit(submissions, student, insert_cell(replace_function(solution(), "count_outcomes", ANSWER), setup))
    submit(submissions, "honest", solution())
    out = root / "out"
    result = run_grader(submissions, out, "--jobs", "2", "--timeout", "60")
    assert result.returncode == 0, result.stderr
    return read_grades(out), out


@pytest.mark.parametrize("student", list(SETUP))
def test_routes_the_static_reading_misses_are_graded_not_from_scratch(graded, student):
    grades, out = graded
    row = rows_of(grades, student)["q2"]
    assert (row["status"], row["points"]) == ("not from scratch", "0"), row
    assert "code of sklearn ran while the grader called it" in row["message"]
    assert rows_of(grades, student)["q1"]["status"] == "correct"  # the other answer keeps its points


def test_a_thread_started_by_an_earlier_cell_cannot_do_the_work(graded):
    grades, _ = graded
    row = rows_of(grades, "thread_server")["q2"]
    assert row["status"] == "not from scratch" and "thread" in row["message"], row


def test_the_honest_answers_keep_their_points(graded):
    grades, _ = graded
    assert {q: r["status"] for q, r in rows_of(grades, "honest").items()} == dict.fromkeys(
        rows_of(grades, "honest"), "correct"
    )

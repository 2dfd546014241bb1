"""The from-scratch rule at run time: while the grader calls an answer, no code of a forbidden package may run.

Reading the source (:mod:`.static`) gives a clear early message for the usual cases, but it cannot follow every
route: a name computed at run time, a ``functools.partial`` or a lambda prepared in another cell, an object whose
``__call__`` is a library's, ``getattr`` chains, ``sys.modules``. So the sandbox also watches the call itself.
While a from-scratch answer runs, a profile hook (``sys.setprofile``, which CPython calls on every Python and
C function call) looks at each function about to run:

- a Python function whose code lives in a file inside a forbidden package's folder (``sklearn/``,
  ``torchmetrics/``, ``course_lib/``), however the answer got hold of it;
- a built-in or compiled (Cython) function whose ``__module__`` is in a forbidden package (``sklearn``'s
  compiled helpers);
- ``sys.setprofile``/``sys.settrace`` called by the answer (switching the watch off).

The first such call is recorded and stops the answer (an exception raised in the hook); the question is graded
``not from scratch`` whatever the answer returned, even if it catches that exception. Threads: the hook is
installed in every thread the notebook starts (``threading.setprofile`` and a wrapper of ``_thread``'s
``start_new_thread``), and an answer called while a thread started by an earlier cell is still running is not
graded as from scratch (the grader cannot watch what that thread runs).

Like the audit hook, this runs in the student's process: it closes every route an answer can take through
ordinary Python, not an attack that rewrites the grader's own objects in memory (frame introspection, ``gc``,
``ctypes``); see grading/README.md, "Safety".
"""

from __future__ import annotations

import _thread
import importlib.util
import os
import sys
import threading
from collections.abc import Callable

_set_profile, _get_profile = sys.setprofile, sys.getprofile  # before any student code could replace them
_current_frames = sys._current_frames
_SWITCHES = (sys.setprofile, sys.settrace)
_SWITCH_CODES = (threading.setprofile.__code__, threading.settrace.__code__)
_OWN_FILES = {os.path.realpath(__file__), os.path.realpath(os.path.join(os.path.dirname(__file__), "_guard.py"))}


class ForbiddenCode(BaseException):  # noqa: N818 - a stop signal, not an error of the answer
    """Raised in the answer when a forbidden package's code is about to run."""


def package_folders(packages: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """``{package: (folder + os.sep, ...)}`` where each package would be imported from, without importing it."""
    folders = {}
    for name in packages:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        places = list(spec.submodule_search_locations or []) if spec is not None else []
        if spec is not None and spec.origin and not places:
            places = [os.path.dirname(spec.origin)]
        both = {os.path.join(p, "") for p in places} | {os.path.join(os.path.realpath(p), "") for p in places}
        folders[name] = tuple(sorted(both))
    return folders


class Watch:
    """Arms the profile hook around each call of an answer and remembers the first forbidden call."""

    def __init__(self):
        self.armed = False
        self.folders: dict[str, tuple[str, ...]] = {}
        self.caught: tuple[str, str] | None = None  # (package, where)
        self._code_verdicts: dict = {}  # code object -> forbidden package its file lies in, or ""
        self._module_verdicts: dict = {}  # a C function's __module__ -> forbidden package, or ""
        # Frames allowed to call sys.setprofile while armed: the watch's own, and a new thread's start-up.
        self._allowed_switchers = {threading.Thread._bootstrap_inner.__code__}

    # -- installed once, before the notebook's cells run -----------------------------------------------------------

    def install(self) -> None:
        """Hook every thread the notebook will start (the hook does nothing until armed)."""
        hook = self.hook
        threading.setprofile(hook)
        original = _thread.start_new_thread

        def start_new_thread(function, args, kwargs=None, /):
            def run(*a, **k):
                _set_profile(hook)
                return function(*a, **k)

            self._allowed_switchers.add(run.__code__)

            return original(run, args, kwargs or {})

        self._originals = (original, _thread.start_new, threading._start_new_thread)
        _thread.start_new_thread = _thread.start_new = start_new_thread
        threading._start_new_thread = start_new_thread

    def uninstall(self) -> None:
        """Undo :meth:`install` (for tests; the sandbox never does)."""
        threading.setprofile(None)
        _thread.start_new_thread, _thread.start_new, threading._start_new_thread = self._originals

    # -- the hook ------------------------------------------------------------------------------------------------

    def hook(self, frame, event, arg):
        """The profile function: called by CPython on every call, return, C call and C return."""
        if event == "call":
            if self.armed:
                code = frame.f_code
                package = self._code_verdicts.get(code)
                if package is None:
                    package = self._code_verdicts[code] = self._package_of_code(code)
                if package:
                    self._catch(package, f"{frame.f_globals.get('__name__', '?')}.{code.co_name}")
        elif event == "c_call" and self.armed:
            if arg is _set_profile or arg is _SWITCHES[1]:
                if frame.f_code not in self._allowed_switchers:
                    self._catch("the grader's watch", f"sys.{arg.__name__}")
                return
            module = arg.__module__
            if module is None:  # a method of a built-in type: the type's module
                module = type(arg.__self__).__module__
            package = self._module_verdicts.get(module)
            if package is None:
                root = module.split(".")[0] if isinstance(module, str) else ""
                package = self._module_verdicts[module] = root if root in self.folders else ""
            if package:
                self._catch(package, f"{module}.{arg.__name__}")

    def _package_of_code(self, code) -> str:
        if code in _SWITCH_CODES:
            return "the grader's watch"
        filename = code.co_filename
        for package, folders in self.folders.items():
            if filename.startswith(folders) and os.path.realpath(filename) not in _OWN_FILES:
                return package
        return ""

    def _catch(self, package: str, where: str) -> None:
        if self.caught is None:
            self.caught = (package, where)
        raise ForbiddenCode(f"{package} ({where}) may not run in a from-scratch answer")

    # -- around each call ------------------------------------------------------------------------------------------

    def other_threads(self) -> int:
        """Python threads besides this one (started by the notebook and still running)."""
        return len(_current_frames()) - 1

    def watched(self, function: Callable, forbidden: tuple[str, ...]) -> Callable:
        """``function``, called with the hook armed for ``forbidden``; check :attr:`caught` afterwards."""
        folders = package_folders(tuple(forbidden))
        if folders != self.folders:
            self.folders, self._code_verdicts, self._module_verdicts = folders, {}, {}
        self.caught = None
        watch = self

        def call_watched(*args, **kwargs):
            watch.armed = True
            _set_profile(watch.hook)
            try:
                return function(*args, **kwargs)
            finally:
                _set_profile(None)
                watch.armed = False

        self._allowed_switchers.add(call_watched.__code__)
        return call_watched

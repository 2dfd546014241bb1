"""A real JupyterLab, driven by headless Chromium, for the browser tests.

What a learner does, done by a robot: start JupyterLab from the project's own
environment, open a lesson, run all cells, move a slider with the keyboard and
read the numbers the widget shows.

- Chromium is Debian's (``tools/install_chromium.sh`` installs it; Playwright's
  own browser download is not used). Without one the tests skip and say why,
  except under ``CI=true``, where they fail so a missing browser cannot pass unseen.
- The server binds 127.0.0.1 on a free port with a token, serves a temporary
  copy of ``notebooks/`` (a test never writes into the repository) and keeps
  every config, runtime, settings and workspace directory temporary too. Its
  kernel imports the working tree's ``course_lib`` (``PYTHONPATH``).
- One server and one browser page per test module (module scope), so each
  module stands alone under ``pytest-xdist --dist loadfile``.

:class:`NotebookPage` holds the moves (open, run all, find a slider, press keys; a
lesson's slider is opened once per module) and :class:`Slider` the checks every slider
test repeats (step with the arrows, type a value), and measures key-press-to-updated-text
latency inside the page.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_NAMES = ("chromium", "chromium-browser")
# A sandboxed root in a container: no setuid sandbox, no GPU, a small /dev/shm, no network chatter.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_READY_TIMEOUT_S = 60
KERNEL_READY_TIMEOUT_MS = 90_000
RUN_ALL_TIMEOUT_MS = 120_000
UPDATE_TIMEOUT_MS = 10_000

# JupyterLab settings for a robot: no news or update toasts, no autosave writing back,
# no extension manager asking PyPI, and every cell attached to the DOM (the default
# windowing detaches off-screen cells, and with them the widget we want to drive).
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
        "doNotDisturbMode": True,
    },
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    "@jupyterlab/extensionmanager-extension:plugin": {"enabled": False},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def skip_or_fail(reason: str) -> None:
    """Skip with ``reason``; under CI a missing prerequisite is a failure, not a skip."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch arguments, pointed at the system Chromium."""
    executable = find_chromium()
    if executable is None:
        skip_or_fail(
            "no Chromium found on PATH (looked for: " + ", ".join(CHROMIUM_NAMES) + "); "
            "install Debian's `chromium` (bash tools/install_chromium.sh, needs root and apt-get)"
        )
    return {**browser_type_launch_args, "executable_path": executable, "headless": True, "args": CHROMIUM_ARGS}


# --------------------------------------------------------------------------------------------
# The JupyterLab server
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (kernels run in their own session, so a process group misses them)."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil comes with ipykernel
        return []
    try:
        return [child.pid for child in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def kill_quietly(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, sig)


@dataclass
class JupyterLabServer:
    """One ``jupyter lab`` process serving ``root_dir``; :meth:`stop` ends it and everything it started."""

    root_dir: Path
    state_dir: Path
    port: int = 0
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def lab_url(self, notebook: str) -> str:
        return f"{self.base_url}/lab/tree/{notebook}?token={self.token}"

    def environment(self) -> dict[str, str]:
        dirs = {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_RUNTIME_DIR": "runtime",
            "JUPYTER_DATA_DIR": "data",  # hides any user-level kernelspec named python3
            "JUPYTERLAB_SETTINGS_DIR": "user-settings",
            "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
            "IPYTHONDIR": "ipython",
        }
        env = dict(os.environ)
        for variable, name in dirs.items():
            path = self.state_dir / name
            path.mkdir(parents=True, exist_ok=True)
            env[variable] = str(path)
        # The kernel must see this working tree's course_lib, installed or not.
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        env.pop("JUPYTER_PATH", None)
        env.pop("JUPYTER_TOKEN", None)
        return env

    def command(self) -> list[str]:
        app_settings = self.state_dir / "app-settings"
        app_settings.mkdir(parents=True, exist_ok=True)
        (app_settings / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=2))
        return [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            "--ServerApp.allow_root=True",
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.app_settings_dir={app_settings}",
            f"--LabApp.user_settings_dir={self.state_dir / 'user-settings'}",
            f"--LabApp.workspaces_dir={self.state_dir / 'workspaces'}",
        ]

    def start(self, attempts: int = 3) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        for attempt in range(attempts):
            self.port = free_port()
            self.log_path = self.state_dir / f"jupyterlab-{attempt}.log"
            with open(self.log_path, "wb") as log:  # a file, never a pipe: a full pipe blocks the server
                self.process = subprocess.Popen(
                    self.command(),
                    cwd=self.root_dir,
                    env=self.environment(),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )
            if self.wait_until_ready():
                return
            log_text = self.log()
            self.stop()
            if "address already in use" not in log_text.lower():
                break  # not a port race: retrying will not help
        raise AssertionError(f"JupyterLab did not answer /api/status within {SERVER_READY_TIMEOUT_S} s:\n{self.log()}")

    def log(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")[-6000:]

    def api(self, path: str, method: str = "GET", timeout: float = 5.0):
        request = urllib.request.Request(
            f"{self.base_url}/api/{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def wait_until_ready(self) -> bool:
        deadline = time.monotonic() + SERVER_READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            with contextlib.suppress(OSError, ValueError):
                if "started" in self.api("status", timeout=2.0):
                    return True
            time.sleep(0.25)
        return False

    def stop(self) -> None:
        """Shut kernels down politely, then end the server and every process it started."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                for kernel in self.api("kernels", timeout=2.0):
                    self.api(f"kernels/{kernel['id']}", method="DELETE", timeout=10.0)
        children = descendants(self.process.pid)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        for pid in children:  # a kernel left behind (its own session) goes too
            kill_quietly(pid, signal.SIGKILL)
        self.process = None


@pytest.fixture(scope="module")
def jupyter_lab(tmp_path_factory):
    """A running JupyterLab serving a temporary copy of ``notebooks/``; stopped at teardown, also on failure."""
    base = tmp_path_factory.mktemp("jupyterlab")
    root_dir = base / "root"
    shutil.copytree(ROOT / "notebooks", root_dir, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    server = JupyterLabServer(root_dir=root_dir, state_dir=base / "state")
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def lab_page(browser, jupyter_lab):
    """One browser page for the module (a fresh context: no cookies or storage shared with other modules)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        yield NotebookPage(page, jupyter_lab)
    finally:
        context.close()


# --------------------------------------------------------------------------------------------
# Driving a notebook
# --------------------------------------------------------------------------------------------

# Returns null while the notebook at `path` is still opening or its kernel is not idle.
JS_NOTEBOOK_READY = """
(path) => {
  const app = window.jupyterapp;
  if (!app || !app.shell) return null;
  const panel = Array.from(app.shell.widgets('main')).find(w => w.context && w.context.path === path);
  if (!panel || !panel.context.isReady || !panel.sessionContext) return null;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return null;
  return {id: panel.id, kernel: kernel.name};
}
"""

# Fire and forget: the command's promise is not returned (Playwright would wait on it).
JS_RUN_ALL = """
(path) => {
  const app = window.jupyterapp;
  const panel = Array.from(app.shell.widgets('main')).find(w => w.context && w.context.path === path);
  app.shell.activateById(panel.id);
  app.commands.execute('notebook:clear-all-cell-outputs').then(() => app.commands.execute('notebook:run-all-cells'));
  return true;
}
"""

# null while cells are still running; {error} at the first unexpected error output; {cells} when every code cell ran.
JS_RUN_STATE = """
(path) => {
  const app = window.jupyterapp;
  const panel = Array.from(app.shell.widgets('main')).find(w => w.context && w.context.path === path);
  const cells = panel.content.widgets.filter(c => c.model.type === 'code');
  for (const cell of cells) {
    if ((cell.model.getMetadata('tags') || []).includes('raises-exception')) continue;  // an error on purpose
    const outputs = cell.model.outputs;
    for (let i = 0; i < outputs.length; i++) {
      const output = outputs.get(i);
      if (output.type === 'error') {
        const json = output.toJSON();
        return {error: json.ename + ': ' + json.evalue, source: cell.model.sharedModel.getSource().slice(0, 300)};
      }
    }
  }
  if (cells.some(c => c.model.executionCount === null)) return null;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return null;
  return {cells: cells.length};
}
"""

# Records, for every timed key press, when it happened, when the readout text first changed after
# it and when the widget's picture (an <img>, if any) did. The observer watches the widget's whole
# output area, because an HTML widget replaces its content and an Image widget swaps its src.
JS_INSTALL_LATENCY_PROBE = """
([container, readoutSelector]) => {
  const read = () => {
    const el = container.querySelector(readoutSelector);
    return el ? el.textContent : null;
  };
  const picture = () => {
    const img = container.querySelector('img');
    return img ? img.getAttribute('src') : null;
  };
  const probe = {presses: []};
  window.__sliderProbe = probe;
  const timed = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End', 'Enter']);
  document.addEventListener('keydown', (event) => {
    if (!timed.has(event.key)) return;
    probe.presses.push({key: event.key, down: performance.now(), before: read(), changed: null,
                        picture: picture(), pictured: null});
  }, true);
  new MutationObserver(() => {
    const last = probe.presses[probe.presses.length - 1];
    if (!last) return;
    const now = performance.now();
    if (last.changed === null && read() !== last.before) last.changed = now;
    if (last.pictured === null && last.picture !== null && picture() !== last.picture) last.pictured = now;
  }).observe(container, {subtree: true, childList: true, characterData: true, attributes: true,
                         attributeFilter: ['src']});
  return true;
}
"""

# True once the last timed press has redrawn the picture (when there is one) and the kernel is idle again.
JS_SETTLED = """
() => {
  const probe = window.__sliderProbe;
  const last = probe.presses[probe.presses.length - 1];
  if (last && last.picture !== null && last.pictured === null) return false;
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle';
}
"""


@dataclass
class Slider:
    """One ipywidgets slider on the page and the text readout its widget renders next to it."""

    page: object
    output: object  # Locator of the output area holding the widget
    readout_selector: str

    @property
    def handle(self):
        return self.output.locator(".noUi-handle[role=slider]").first

    def value(self) -> float:
        # aria-valuetext carries the value itself; noUiSlider rounds aria-valuenow to one decimal.
        return float(self.handle.get_attribute("aria-valuetext"))

    def text(self) -> str:
        return self.output.locator(self.readout_selector).first.text_content()

    def picture(self) -> str | None:
        image = self.output.locator("img")
        return image.first.get_attribute("src") if image.count() else None

    def install_latency_probe(self) -> None:
        self.page.evaluate(JS_INSTALL_LATENCY_PROBE, [self.output.element_handle(), self.readout_selector])

    def presses(self) -> list[dict]:
        return self.page.evaluate("() => window.__sliderProbe.presses")

    def latencies_ms(self, of: str = "changed") -> list[float]:
        """Milliseconds from each timed key press to the first change it caused (``of="pictured"``: the figure)."""
        return [p[of] - p["down"] for p in self.presses() if p[of] is not None]

    def latency_report(self) -> str:
        latencies = self.latencies_ms()
        if not latencies:
            return "no key press changed the readout"
        report = (
            f"key press -> updated numbers: median {statistics.median(latencies):.0f} ms, "
            f"max {max(latencies):.0f} ms over {len(latencies)} presses (target < 300 ms)"
        )
        pictured = self.latencies_ms("pictured")
        if pictured:
            report += f"; -> updated figure: median {statistics.median(pictured):.0f} ms, max {max(pictured):.0f} ms"
        return report

    def wait_for_text(self, expected: str, timeout_ms: int = UPDATE_TIMEOUT_MS) -> None:
        """Wait until the readout shows ``expected`` (whitespace at the ends ignored); else say what it shows."""
        try:
            self.page.wait_for_function(
                """([container, selector, expected]) => {
                     const el = container.querySelector(selector);
                     return el !== null && el.textContent.trim() === expected.trim();
                   }""",
                arg=[self.output.element_handle(), self.readout_selector, expected],
                timeout=timeout_ms,
            )
        except PlaywrightTimeoutError:
            raise AssertionError(
                f"after {timeout_ms} ms the widget (slider at {self.value()}) shows:\n{self.text()}\n"
                f"but course_lib computes:\n{expected}"
            ) from None

    def wait_until_settled(self, timeout_ms: int = UPDATE_TIMEOUT_MS) -> None:
        """Wait until the last move has redrawn the figure and the kernel is idle.

        Each timed press then starts from an idle kernel, so its latency is the learner's
        for one move, not the tail of the previous move's work still queued in the kernel.
        """
        try:
            self.page.wait_for_function(JS_SETTLED, timeout=timeout_ms)
        except PlaywrightTimeoutError:
            raise AssertionError(
                f"{timeout_ms} ms after the last key press the figure had not changed or the kernel was still busy"
            ) from None

    def press(self, key: str) -> None:
        self.handle.press(key)

    def type_value(self, value: str) -> None:
        """Type into the slider's editable readout box and press Enter, as a learner can."""
        box = self.output.locator(".widget-readout").first
        box.click()
        self.page.keyboard.press("ControlOrMeta+A")
        self.page.keyboard.type(value)
        self.page.keyboard.press("Enter")

    def step_through(self, keys: list[str], start: float, expected_text, step: float = 0.01) -> tuple[float, list[str]]:
        """Press ``keys`` one by one (ArrowRight one ``step`` up, ArrowLeft one down) from the value ``start``.

        After each press: the slider moved one step, the widget shows ``expected_text(value)``, the slider's
        readout box shows the value, and the figure is redrawn with the kernel idle (so the next press is
        timed from rest). Returns the final value and the widget's text after each press.
        """
        value, texts = start, []
        for key in keys:
            self.press(key)
            value = round(value + (step if key == "ArrowRight" else -step), 2)
            assert round(self.value(), 2) == value, f"after {key} the slider is at {self.value()}"
            self.wait_for_text(expected_text(value))
            assert self.output.locator(".widget-readout").first.text_content().strip() == f"{value:.2f}"
            self.wait_until_settled()
            texts.append(self.text())
        return value, texts

    def type_and_check(self, typed: str, expected_text) -> None:
        """Type ``typed`` into the readout box; the widget then shows ``expected_text`` of it, the slider sits there."""
        self.type_value(typed)
        self.wait_for_text(expected_text(float(typed)))
        self.wait_until_settled()
        assert round(self.value(), 2) == float(typed)

    def check_threshold_ends(self, expected_text, screenshots: Path, prefix: str) -> None:
        """Home and End put a 0..1 threshold slider at 0 and 1: the text, the exact aria values, the readout, a picture."""
        for key, threshold in (("Home", 0.0), ("End", 1.0)):
            self.press(key)
            self.wait_for_text(expected_text(threshold))
            self.wait_until_settled()
            names = ("aria-valuemin", "aria-valuemax", "aria-valuenow", "aria-valuetext")
            announced = {name: self.handle.get_attribute(name) for name in names}
            assert announced == {
                "aria-valuemin": "0.0",
                "aria-valuemax": "1.0",
                "aria-valuenow": f"{threshold:.1f}",
                "aria-valuetext": f"{threshold:g}",
            }
            assert self.output.locator(".widget-readout").first.text_content().strip() == f"{threshold:.2f}"
            assert self.picture() is not None
            self.output.locator("img").first.screenshot(path=str(screenshots / f"{prefix}_{threshold:.2f}.png"))

    def assert_presses_answered(self, presses: int, name: str) -> None:
        """Each of ``presses`` timed key presses changed the text, none absurdly slowly; prints the latencies."""
        latencies = self.latencies_ms()
        print(f"\n{name}: {self.latency_report()}")
        assert len(latencies) == presses, f"only {len(latencies)} of {presses} presses changed the text"
        # A sanity bound, not the target (300 ms; timing belongs to benchmarks, and CI machines are shared).
        assert statistics.median(latencies) < 5000


class NotebookPage:
    """A JupyterLab page and the moves a learner makes in it."""

    def __init__(self, page, server: JupyterLabServer):
        self.page = page
        self.server = server
        self._lesson_sliders: dict[tuple, Slider] = {}

    def open(self, notebook: str) -> dict:
        self.page.goto(self.server.lab_url(notebook), wait_until="domcontentloaded")
        try:
            handle = self.page.wait_for_function(JS_NOTEBOOK_READY, arg=notebook, timeout=KERNEL_READY_TIMEOUT_MS)
        except PlaywrightTimeoutError:
            raise AssertionError(
                f"{notebook} did not open with an idle kernel within {KERNEL_READY_TIMEOUT_MS // 1000} s; "
                f"server log:\n{self.server.log()}"
            ) from None
        return handle.json_value()

    def run_all(self, notebook: str) -> dict:
        """Clear outputs, run every cell, and wait until all ran (an error output fails at once)."""
        self.page.evaluate(JS_RUN_ALL, notebook)
        try:
            state = self.page.wait_for_function(JS_RUN_STATE, arg=notebook, timeout=RUN_ALL_TIMEOUT_MS).json_value()
        except PlaywrightTimeoutError:
            raise AssertionError(f"{notebook}: run all did not finish within {RUN_ALL_TIMEOUT_MS // 1000} s") from None
        assert "error" not in state, f"{notebook}: a cell failed in JupyterLab: {state['error']}\n{state['source']}"
        return state

    def slider(self, readout_selector: str, *, description: str | None = None) -> Slider:
        """The slider whose output area also holds ``readout_selector`` (optionally with this label)."""
        outputs = self.page.locator(".jp-OutputArea-output").filter(has=self.page.locator(".noUi-handle[role=slider]"))
        outputs = outputs.filter(has=self.page.locator(readout_selector))
        if description is not None:
            outputs = outputs.filter(has_text=description)
        output = outputs.first
        output.locator(readout_selector).first.wait_for(state="visible", timeout=UPDATE_TIMEOUT_MS)
        output.scroll_into_view_if_needed()
        return Slider(self.page, output, readout_selector)

    def lesson_slider(self, notebook: str, readout_selector: str, *, description: str | None = None) -> Slider:
        """:meth:`slider` in ``notebook``, with the latency probe installed; the first call opens and runs it.

        ``lab_page`` lives for a module, so the module's first test that asks runs the lesson and the
        others reuse the slider (and its recorded presses) where that test left it.
        """
        key = (notebook, readout_selector, description)
        if key not in self._lesson_sliders:
            self.open(notebook)
            self.run_all(notebook)
            slider = self.slider(readout_selector, description=description)
            slider.install_latency_probe()
            self._lesson_sliders[key] = slider
        return self._lesson_sliders[key]

    def screenshot(self, path: Path) -> Path:
        self.page.screenshot(path=str(path), full_page=True)
        return path

    @contextlib.contextmanager
    def screenshot_on_failure(self, tmp_path: Path, name: str):
        """Any failure inside saves a screenshot under ``tmp_path`` and names it in the message."""
        try:
            yield
        except Exception as error:
            shot = tmp_path / f"{name}-failure.png"
            try:
                self.screenshot(shot)
                where = f"screenshot: {shot}"
            except Exception as shot_error:  # the page itself may be gone
                where = f"no screenshot ({type(shot_error).__name__}: {shot_error})"
            what = str(error) if isinstance(error, AssertionError) else f"{type(error).__name__}: {error}"
            raise AssertionError(f"{what}\n{where}") from error

"""The README's quick start works on a fresh clone: every command it quotes, run as written.

The quick start is the ```bash block under "## Two commands". Each command in it runs in
a fresh ``git clone`` of this repository in a temporary directory, except ``make test``
(this test runs inside it). Two substitutions keep it offline and finite, and both are
honest about what they stand in for:

- **Packages.** The first ``make lab`` would download the pinned packages (about 2 GB,
  network needed). Instead the clone gets a real, empty ``.venv`` whose site-packages
  *refer* to the installed pinned packages of the environment running this test (a ``.pth``
  line, their data files and console scripts), like a local wheel cache would. The
  Makefile's bootstrap then runs unchanged: the Python version check, ``pip install -r
  requirements.txt`` (offline, ``PIP_NO_INDEX=1``: every pin must already be satisfied, so
  a pin this environment lacks fails here) and ``pip install -e .`` of the *clone*. The real
  download is what CI's own ``make test`` does on a clean checkout.
- **Ending the server.** ``make lab`` starts JupyterLab and never returns. The test waits
  until the server answers ``/api/status``, checks that it serves the files the Makefile
  opens, starts a kernel through it and asks that kernel where ``course_lib`` comes from (the
  clone), then ends the server and everything it started.

Uncommitted work counts: the clone is overlaid with the working tree's tracked and
untracked-but-not-ignored files, i.e. exactly what ``git add -A`` would commit (on a clean
CI checkout the overlay changes nothing).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.parse
import urllib.request
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEADING = "## Two commands"
BOOTSTRAP_AND_START_TIMEOUT_S = 300
COMMAND_TIMEOUT_S = 300
# Commands that start a server and never return on their own.
SERVER_COMMANDS = {("make", "lab")}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_or_fail(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------------------------
# Reading the quick start
# --------------------------------------------------------------------------------------------


def quick_start_commands(readme: str) -> list[list[str]]:
    """The commands of the first ```bash block under HEADING, as argument lists (comments dropped)."""
    section = readme.split(HEADING, 1)
    assert len(section) == 2, f"README.md has no {HEADING!r} section"
    body = re.split(r"^## ", section[1], maxsplit=1, flags=re.M)[0]
    block = re.search(r"^```(?:bash|sh|shell)\s*\n(.*?)^```", body, flags=re.M | re.S)
    assert block, f"README.md's {HEADING!r} section has no ```bash block"
    text = block[1].replace("\\\n", " ")
    commands = [shlex.split(line, comments=True) for line in text.splitlines()]
    commands = [c for c in commands if c]
    assert commands, "the quick start block holds no command"
    return commands


def test_quick_start_parser_reads_commands_and_drops_comments():
    readme = (
        "# Title\n\n## Two commands\n\nSome words.\n\n```bash\n"
        "make lab    # first run: sets up .venv/\n\n# a comment line\nmake test   # everything\n"
        "echo 'a # inside quotes' \\\n  more\n```\n\n```bash\nnot this block\n```\n## Next\n"
    )
    assert quick_start_commands(readme) == [["make", "lab"], ["make", "test"], ["echo", "a # inside quotes", "more"]]


def test_the_readme_quick_start_has_both_commands():
    commands = quick_start_commands((ROOT / "README.md").read_text())
    assert ["make", "lab"] in commands and ["make", "test"] in commands, commands


# --------------------------------------------------------------------------------------------
# A fresh clone with an offline stand-in for the package download
# --------------------------------------------------------------------------------------------


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def fresh_clone(destination: Path) -> Path:
    """``git clone`` of this repository, overlaid with what ``git add -A`` would commit now."""
    if shutil.which("git") is None or shutil.which("make") is None:
        skip_or_fail("the quick start test needs `git` and `make` on PATH")
    try:
        git("rev-parse", "--verify", "HEAD")
    except subprocess.CalledProcessError:
        skip_or_fail(f"{ROOT} is not a git repository with a commit; nothing to clone")
    git("clone", "--quiet", "--no-hardlinks", str(ROOT), str(destination))
    tracked_now = set(git("ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")) - {""}
    for name in tracked_now:
        source, target = ROOT / name, destination / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        elif not source.exists() and target.exists():
            target.unlink()  # deleted in the working tree, not yet committed
    for name in set(git("ls-files", "-z", cwd=destination).split("\0")) - {""} - tracked_now:
        (destination / name).unlink(missing_ok=True)
    return destination


def offline_venv(clone: Path) -> Path:
    """A real, empty venv at ``clone/.venv`` that can see this environment's installed packages.

    Nothing here writes to this environment: the venv refers to its site-packages with a
    ``.pth`` line (pip treats packages found there as installed but outside the venv, so it
    never uninstalls them), links its ``share/`` and ``etc/`` (JupyterLab's assets, the kernel
    spec, server extension switches) and gets console scripts like pip would have written.
    """
    here = sysconfig.get_paths()
    venv = clone / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    shared = sorted({here["purelib"], here["platlib"]})
    Path(site, "zz_pinned_packages.pth").write_text("\n".join(shared) + "\n")
    for folder in ("share", "etc"):
        if (Path(sys.prefix) / folder).is_dir():
            (venv / folder).symlink_to(Path(sys.prefix) / folder)
    for distribution in metadata.distributions(path=shared):
        for entry in distribution.entry_points.select(group="console_scripts"):
            script = venv / "bin" / entry.name
            if script.exists():
                continue
            module, _, attribute = entry.value.partition(":")
            call = attribute.strip() or "main"
            script.write_text(
                f"#!{python}\nimport sys\nfrom {module.strip()} import {call.split('.')[0]}\nsys.exit({call}())\n"
            )
            script.chmod(0o755)
    return venv


def learner_environment(tmp: Path, port: int, token: str) -> dict[str, str]:
    """A shell like a learner's: no active venv, temporary Jupyter state, no browser, offline pip."""
    # Nothing inherited from the `make test` running this test: no venv, no make flags, no Jupyter or pip settings.
    inherited = ("VIRTUAL_ENV", "PYTHONPATH", "JUPYTER", "PIP_", "MAKE", "MFLAGS")
    env = {k: v for k, v in os.environ.items() if not k.startswith(inherited)}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(sys.prefix))
    env |= {"PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PORT": str(port)}
    config = tmp / "jupyter-config"
    config.mkdir()
    # Where a learner's browser would open, a test has none; a root container needs allow_root.
    server = {"open_browser": False, "port_retries": 0, "allow_root": True}
    (config / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": server, "IdentityProvider": {"token": token}})
    )
    env["JUPYTER_CONFIG_DIR"] = str(config)
    for variable in ("JUPYTER_RUNTIME_DIR", "JUPYTER_DATA_DIR", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        env[variable] = str(tmp / variable.lower())
    env["IPYTHONDIR"] = str(tmp / "ipython")
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def api(port: int, token: str, path: str, method: str = "GET", body: dict | None = None, timeout: float = 5.0):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/{path}",
        data=data,
        method=method,
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        text = response.read()
    return json.loads(text) if text else None


def end_process_tree(process: subprocess.Popen) -> None:
    """End ``process`` (a session leader), its process group and any descendant in another session."""
    import psutil

    with contextlib.suppress(psutil.NoSuchProcess):
        children = psutil.Process(process.pid).children(recursive=True)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()


def kernel_says(connection_file: Path, code: str) -> str:
    """Run ``code`` in the kernel behind ``connection_file``; returns what it printed."""
    from jupyter_client import BlockingKernelClient

    client = BlockingKernelClient(connection_file=str(connection_file))
    client.load_connection_file()
    client.start_channels()
    printed: list[str] = []
    try:
        client.wait_for_ready(timeout=60)
        reply = client.execute_interactive(
            code,
            timeout=60,
            output_hook=lambda msg: printed.append(msg["content"].get("text", "")),
        )
    finally:
        client.stop_channels()
    content = reply["content"]
    assert content["status"] == "ok", f"{code!r} failed in the kernel: {content.get('ename')}: {content.get('evalue')}"
    return "".join(printed)


def github_repository() -> str:
    """owner/name of the course on GitHub, as the notebooks' Colab install cell names it."""
    lesson = min((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    code = "".join("".join(c["source"]) for c in json.loads(lesson.read_text())["cells"] if c["cell_type"] == "code")
    match = re.search(r"git\+https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?\"", code)
    assert match, f"{lesson.name} has no Colab install cell naming the GitHub repository"
    return match[1]


# --------------------------------------------------------------------------------------------
# Running the quick start
# --------------------------------------------------------------------------------------------


def run_server_command(command: list[str], clone: Path, env: dict, log_path: Path, port: int, token: str) -> None:
    """Run a command that starts JupyterLab; prove the server and its kernel work; end it all."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip

    def log_tail() -> str:
        return log_path.read_text(errors="replace")[-5000:]

    try:
        deadline = time.monotonic() + BOOTSTRAP_AND_START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise AssertionError(f"`{shlex.join(command)}` exited with {process.returncode}:\n{log_tail()}")
            with contextlib.suppress(OSError, ValueError):
                if "started" in api(port, token, "status", timeout=2.0):
                    break
            assert time.monotonic() < deadline, f"no JupyterLab answered within the time limit:\n{log_tail()}"
            time.sleep(0.5)

        # The URL it prints opens lesson 01 (the README's promise), with the server's token, and the server answers it.
        lesson_url = None
        while lesson_url is None:
            found = re.search(r"Open this URL in your browser.*\n\s*(http://\S+)", log_path.read_text(errors="replace"))
            lesson_url = found[1] if found else None
            assert lesson_url or time.monotonic() < deadline, f"`make lab` printed no URL to open:\n{log_tail()}"
            time.sleep(0.5)
        parts = urllib.parse.urlsplit(lesson_url)
        assert parts.path == "/lab/tree/notebooks/01_accuracy_paradox.ipynb", lesson_url
        assert urllib.parse.parse_qs(parts.query) == {"token": [token]}, lesson_url
        assert (parts.hostname, parts.port) == ("127.0.0.1", port), lesson_url
        with urllib.request.urlopen(lesson_url, timeout=30) as page:
            assert page.status == 200 and b"JupyterLab" in page.read(), lesson_url
        assert api(port, token, "contents/notebooks/01_accuracy_paradox.ipynb?content=0")["type"] == "notebook"

        # The files the lab recipe opens exist and are served from the clone.
        recipe = subprocess.run(["make", "-n", "lab"], cwd=clone, env=env, capture_output=True, text=True, check=True)
        opened = re.findall(r"(\S+\.(?:ipynb|md))\b", recipe.stdout)
        assert opened, f"`make -n lab` opens no file:\n{recipe.stdout}"
        for path in opened:
            assert api(port, token, f"contents/{path}?content=0")["type"] in ("notebook", "file"), path

        # The kernel of a lesson (working directory notebooks/, where the clone's course_lib is
        # not on the path by accident) runs in the clone's .venv and imports the installed course_lib.
        lesson = next(path for path in opened if path.endswith(".ipynb"))
        session = api(
            port, token, "sessions", method="POST", timeout=30,
            body={"path": lesson, "type": "notebook", "name": "", "kernel": {"name": "python3"}},
        )  # fmt: skip
        kernel = session["kernel"]
        connection = Path(env["JUPYTER_RUNTIME_DIR"]) / f"kernel-{kernel['id']}.json"
        for _ in range(100):
            if connection.exists():
                break
            time.sleep(0.1)
        where = kernel_says(
            connection, "import course_lib, os, sys; print(course_lib.__file__, sys.prefix, os.getcwd())"
        )
        module_file, prefix, cwd = where.split()[:3]
        assert Path(cwd).resolve() == (clone / lesson).parent.resolve(), (
            f"the kernel runs in {cwd}, not beside {lesson}"
        )
        assert Path(module_file).resolve().is_relative_to(clone.resolve()), (
            f"the kernel imported course_lib from {module_file}, not from the clone {clone}"
        )
        assert Path(prefix).resolve() == (clone / ".venv").resolve(), (
            f"the kernel runs in {prefix}, not the clone's .venv"
        )
        with contextlib.suppress(OSError, ValueError):
            api(port, token, f"sessions/{session['id']}", method="DELETE", timeout=10)
    finally:
        end_process_tree(process)
    assert (clone / ".venv" / ".bootstrapped").exists(), "the bootstrap did not finish (no .venv/.bootstrapped)"


def test_every_quick_start_command_works_in_a_fresh_clone(tmp_path):
    commands = quick_start_commands((ROOT / "README.md").read_text())
    clone = fresh_clone(tmp_path / "course")
    offline_venv(clone)
    port, token = free_port(), secrets.token_hex(16)
    env = learner_environment(tmp_path, port, token)
    ran = []
    for number, command in enumerate(commands):
        if command[:2] == ["make", "test"]:
            continue  # this test runs inside `make test`
        if command[:2] == ["git", "clone"]:
            # No network here: the fresh clone above stands in for it, if the URL is this repository's.
            url = next(arg for arg in command[2:] if not arg.startswith("-"))
            assert url.removesuffix(".git").endswith(f"github.com/{github_repository()}"), f"{url} is not this course"
            ran.append(f"{shlex.join(command)} (the local fresh clone)")
            continue
        if command[0] == "cd":
            assert len(command) == 2 and command[1].rstrip("/") == github_repository().split("/")[1], command
            continue  # into the clone, where every command runs anyway
        if tuple(command) in SERVER_COMMANDS:
            run_server_command(command, clone, env, tmp_path / f"command-{number}.log", port, token)
        else:
            result = subprocess.run(
                ["bash", "-c", shlex.join(command)],
                cwd=clone,
                env=env,
                capture_output=True,
                text=True,
                timeout=COMMAND_TIMEOUT_S,
            )
            assert result.returncode == 0, (
                f"`{shlex.join(command)}` failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
            )
        ran.append(shlex.join(command))
    assert ran, "the quick start has no command besides `make test`"
    print("ran in a fresh clone:", "; ".join(ran))

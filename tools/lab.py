"""``make lab``: start JupyterLab on lesson 01 and say, in one clear line, which URL opens it.

    python tools/lab.py [JUPYTER LAB ARGUMENTS] notebooks/01_accuracy_paradox.ipynb

JupyterLab itself prints its root URL (``/lab?token=...``), which opens on the Launcher, in the middle of its
log. This starts ``jupyter lab`` with the arguments given (so a browser, where there is one, opens the lesson),
waits until the server has written its runtime file (port and token, whatever port it ended up on), then prints

    Open lesson 01 in your browser: http://127.0.0.1:8888/lab/tree/notebooks/01_accuracy_paradox.ipynb?token=...

and stays in the foreground until JupyterLab ends (Ctrl-C reaches JupyterLab as usual).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

START_TIMEOUT_S = 120


def lesson_url(server: dict, root: Path, lesson: str) -> str:
    """The URL that opens ``lesson`` (a path relative to ``root``) in JupyterLab on ``server``."""
    base = server["url"].rstrip("/")
    relative = (root / lesson).resolve().relative_to(Path(server["root_dir"]).resolve())
    token = f"?token={server['token']}" if server.get("token") else ""
    return f"{base}/lab/tree/{quote(relative.as_posix())}{token}"


def find_server(pid: int) -> dict | None:
    from jupyter_server.serverapp import list_running_servers

    for server in list_running_servers():
        if server.get("pid") == pid:
            return server
    return None


def main(argv: list[str]) -> int:
    lessons = [arg for arg in argv if arg.endswith(".ipynb") and not arg.startswith("-")]
    process = subprocess.Popen([sys.executable, "-m", "jupyterlab", *argv])
    # Ctrl-C goes to the whole foreground group, JupyterLab included; this process only waits for it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    deadline = time.monotonic() + START_TIMEOUT_S
    server = None
    while server is None and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.5)
        with contextlib.suppress(Exception):  # a runtime file half written: try again
            server = find_server(process.pid)
    if server is not None and lessons:
        url = lesson_url(server, Path.cwd(), lessons[0])
        rule = "=" * min(len(url) + 4, 120)
        print(f"\n{rule}\n  Open this URL in your browser to start with {lessons[0]}:\n  {url}\n{rule}\n", flush=True)
    return process.wait()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main(sys.argv[1:]))

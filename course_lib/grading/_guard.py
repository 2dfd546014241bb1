"""An audit hook for the sandboxed notebook: no writing outside its folder, no processes, no network.

Installed by the sandbox child before the first student cell runs (PEP 578: an
audit hook cannot be removed once added). It refuses, with a PermissionError that
says why:

- opening a file for writing, creating, renaming, removing or changing a file or
  folder outside the sandbox folder (``/dev/null`` excepted), and opening a folder
  outside it (which ``dir_fd=`` tricks need); changing directory out of it;
- reading the paths in ``deny_read`` (the class's submissions and the grader's output);
- links (a link inside the folder could point anywhere);
- starting processes (subprocess, os.system, exec*, spawn*, fork), signals to other
  processes, raising resource limits, and sockets;
- loading native libraries from outside the Python installation with ctypes, and
  looking up libc's file, process and memory-protection functions through ctypes.

It is defence in depth, not the boundary: the limits that hold whatever the code
does are the rlimits, the wall-clock kill of the process group, and the fact that
the grader only trusts numbers it checks itself. A determined attacker with ctypes
can corrupt any in-process guard; run the grader as an unprivileged user or in a
container when that matters.
"""

from __future__ import annotations

import errno
import os
import stat
import sys

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_PATH_EVENTS = {  # event -> positions of path arguments that must stay inside the folder
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.mkdir": (0,),
    "os.rename": (0, 1),
    "os.replace": (0, 1),
    "os.truncate": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.utime": (0,),
    "os.mknod": (0,),
    "os.mkfifo": (0,),
    "os.setxattr": (0,),
    "os.removexattr": (0,),
    "os.chflags": (0,),
    "os.lchflags": (0,),
    "os.chdir": (0,),
    "shutil.rmtree": (0,),
    "sqlite3.connect": (0,),
}
_DENIED_EVENTS = {
    "os.link": "creating links",
    "os.symlink": "creating links",
    "os.system": "starting processes",
    "os.exec": "starting processes",
    "os.posix_spawn": "starting processes",
    "os.spawn": "starting processes",
    "os.fork": "starting processes",
    "os.forkpty": "starting processes",
    "os.startfile": "starting processes",
    "subprocess.Popen": "starting processes",
    "pty.spawn": "starting processes",
    "os.kill": "sending signals",
    "os.killpg": "sending signals",
    "signal.pthread_kill": "sending signals",
    "resource.setrlimit": "changing resource limits",
    "resource.prlimit": "changing resource limits",
    "socket.__new__": "network access",
    "socket.connect": "network access",
    "socket.bind": "network access",
    "socket.getaddrinfo": "network access",
    "webbrowser.open": "opening a browser",
}
_LIBC_DENIED = frozenset(
    """open open64 openat openat64 creat creat64 fopen fopen64 freopen unlink unlinkat rename renameat renameat2
    remove rmdir mkdir mkdirat symlink symlinkat link linkat chmod fchmod fchmodat chown fchown lchown truncate
    ftruncate system popen fork vfork clone clone3 execv execve execvp execvpe execl execlp execle posix_spawn
    posix_spawnp kill killpg tgkill ptrace setrlimit prlimit prlimit64 syscall dlopen dlmopen dlsym mprotect
    pkey_mprotect socket connect bind chdir fchdir chroot setuid setgid seteuid setegid setreuid setresuid
    mount umount unshare setns""".split()
)


def install(root: str, deny_read: list[str]) -> None:
    """Add the hook; ``root`` is the only folder the notebook may change."""
    realpath, join, getcwd, fspath, fsdecode = os.path.realpath, os.path.join, os.getcwd, os.fspath, os.fsdecode
    lstat = os.lstat
    root = realpath(root)
    denied_reads = tuple(realpath(p) for p in deny_read)
    prefixes = tuple({realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})

    def resolve(path):
        if isinstance(path, int) or path is None:
            return None  # an already-open descriptor
        try:
            path = fspath(path)
        except TypeError:
            return None
        if isinstance(path, bytes):
            path = fsdecode(path)
        return realpath(join(getcwd(), path))

    def inside(path: str, folders) -> bool:
        return any(path == f or path.startswith(f.rstrip("/") + "/") for f in folders)

    def deny(why: str, path=None):
        what = f"{why} the notebook's folder" if why in ("leaving", "changing files outside") else why
        where = f": {path}" if path else ""
        raise PermissionError(errno.EACCES, f"The grader's sandbox does not allow {what}{where}")

    def is_dir(path: str) -> bool:
        try:
            return stat.S_ISDIR(lstat(path).st_mode)
        except OSError:
            return False

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = args
            full = resolve(path)
            if full is None or full == "/dev/null":
                return
            writing = (mode is not None and any(c in mode for c in "wax+")) or (
                mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS
            )
            if inside(full, (root,)):
                return
            if writing:
                deny("writing outside the notebook's folder", full)
            if inside(full, denied_reads):
                deny("reading other submissions or the grades", full)
            if mode is None and is_dir(full):
                deny("opening folders outside the notebook's folder", full)
        elif event in _PATH_EVENTS:
            for position in _PATH_EVENTS[event]:
                if position < len(args):
                    full = resolve(args[position])
                    if full is not None and not inside(full, (root,)):
                        deny("leaving" if event == "os.chdir" else "changing files outside", full)
        elif event in _DENIED_EVENTS:
            deny(_DENIED_EVENTS[event])
        elif event == "ctypes.dlopen":
            name = args[0] if args else None
            full = resolve(name) if isinstance(name, str) and "/" in name else None
            if full is None or not inside(full, prefixes):
                deny("loading native libraries with ctypes", name)
        elif event == "ctypes.dlsym":
            name = args[1] if len(args) > 1 else None
            if isinstance(name, str) and name in _LIBC_DENIED:
                deny("calling libc functions through ctypes", name)
        elif event in ("os.listdir", "os.scandir"):
            full = resolve(args[0]) if args else None
            if full is not None and inside(full, denied_reads):
                deny("reading other submissions or the grades", full)

    sys.addaudithook(hook)

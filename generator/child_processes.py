"""The build's child processes (the wheel's setuptools backend, Node, the leaflets' renderer), ended with the build.

A build that stops early, by Ctrl-C, by SIGTERM or by an error, must not leave a child running: every child
is started here and remembered while it runs, and whatever is still running when this process exits is ended
(terminated, then killed). Each one also has a time limit, so that no build waits for ever.
"""

from __future__ import annotations

import atexit
import signal
import subprocess
import sys
import threading

_live: set[subprocess.Popen] = set()
_lock = threading.Lock()
# How long a child asked to stop may take before it is killed.
GRACE_S = 5


def start(args: list[str], **popen_args) -> subprocess.Popen:
    """A child process, ended at exit unless it has finished (see end)."""
    process = subprocess.Popen(args, **popen_args)
    with _lock:
        _live.add(process)
    return process


def end(process: subprocess.Popen) -> None:
    """Stop a child (terminate, then kill after GRACE_S) and forget it; nothing happens to one that has finished."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(GRACE_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    with _lock:
        _live.discard(process)


def run(args: list[str], *, timeout: float, **popen_args) -> subprocess.CompletedProcess:
    """subprocess.run with capture_output and text, for a child ended with the build; TimeoutExpired after timeout."""
    process = start(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen_args)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    finally:
        end(process)
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


def end_all() -> None:
    with _lock:
        running = list(_live)
    for process in running:
        end(process)


def end_with_sigterm() -> None:
    """Make SIGTERM end this process as Ctrl-C does, through the exit handlers, so that its children end too.
    Only from the main thread (Python's rule for signal handlers); elsewhere nothing changes."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


atexit.register(end_all)

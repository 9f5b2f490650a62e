"""A slower phone's processor for Chromium's renderers, workers included: every renderer process under this
process is stopped and continued (SIGSTOP, SIGCONT) so that it runs 1/rate of the wall time.

Why not Chromium's own CPU throttling: `Emulation.setCPUThrottlingRate` slows only the page's main thread. A
fixed busy loop took 4.3x as long on the main thread at rate 4 but 1.0-1.3x in a dedicated worker (Chromium
156, bench/checker_browser.py's docstring), and Chromium refuses the command on a worker's own target
("Operation is only supported for pages, not workers", Blink's InspectorEmulationAgent::AssertPage). The
checker's Python, and the floor's loadPyodide(), run in a module worker, so page-level throttling leaves the
work being measured at full speed. Stopping the whole renderer process slows its main thread, its workers and
V8's background compile threads alike, as a slower phone would; the browser process, the network service (where
Chromium's network emulation runs) and the GPU process keep their speed.

Linux only (/proc). The renderers are found among this process's descendants (the Playwright driver, Chromium's
browser process, its zygotes) by their `--type=renderer` switch, again every few cycles, so that a renderer
started during a load is slowed too. The run share is kept to 1/rate of the wall time since the start by
feedback (a cycle that ran long is paid back in the next), and `share` reports what the renderers got.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

# One stop-and-continue cycle (at rate 4: 10 ms run, 30 ms stopped). A stop reaches a running thread 0.3 ms
# after the signal by the median, 1.5 ms at the 90th percentile on this busy 2-core machine: short beside the
# run window, and the feedback below pays it back. The phone network's round trip is 150 ms.
PERIOD_S = 0.04
RESCAN_CYCLES = 2   # look for new renderer processes, and their busiest threads, every 2 cycles (80 ms)


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:  # the process ended meanwhile
        return found
    for task in tasks:
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:  # the thread ended meanwhile: its siblings still count
            pass
    return found


def _runtimes(pid: int) -> dict[int, int]:
    """Each thread of the process: the nanoseconds it has run (schedstat)."""
    found = {}
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found[int(task.name)] = int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return found


def _cmdline(pid: int) -> list[str]:
    try:
        # Split on spaces too: a process the zygote forked rewrites its command line as one string.
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").replace("\0", " ").split()
    except OSError:
        return []


class RendererSlowdown:
    """`with RendererSlowdown(4) as slow: ...`: Chromium's renderers under this process run at 1/4 of the wall
    time until the block ends (then they are continued); slow.share is the share they ran, for the report."""

    def __init__(self, rate: float, root: int | None = None):
        if rate < 1:
            raise ValueError(f"rate {rate} (expected 1 or more: 4 runs the renderers a quarter of the time)")
        self.rate, self.root = rate, root or os.getpid()
        self.share: float | None = None
        self._stop = threading.Event()
        self._renderers: set[int] = set()
        self._runtimes: dict[int, dict[int, int]] = {}   # renderer → its threads' run times at the last scan
        self._targets: dict[int, int] = {}               # renderer → the thread its SIGSTOP is sent to
        self._thread: threading.Thread | None = None

    def renderers(self) -> set[int]:
        """The renderer processes under root now. Nothing is cached: a process the zygote has just forked still
        carries the zygote's command line, and a process id can be reused."""
        found, todo = set(), [self.root]
        while todo:
            for child in _children(todo.pop()):
                args = _cmdline(child)
                if "--type=renderer" in args:
                    found.add(child)
                elif not any(a.startswith("--type=") and a != "--type=zygote" for a in args):
                    todo.append(child)  # the driver, the browser process, a zygote: search their children
        return found

    def _aim(self, first: dict[tuple[int, int], int]) -> float:
        """Pick, for each renderer, the thread that ran most since the last scan as the one SIGSTOP is sent to,
        and return the most seconds any renderer thread has run since it was first seen (first: its run time
        then, by (process, thread)).

        The kernel hands a process's stop to the thread named in kill(), or to its main thread when the process
        is named: an idle main thread has to be woken and scheduled first (milliseconds on a busy machine),
        while a worker thread already running goes on. A running thread named is interrupted at once and
        stops the whole process. Even so a thread can run on for a moment after the signal; the caller counts
        the busiest thread's own run time, and the next cycles pay it back."""
        used = 0
        for pid in self._renderers:
            now, before = _runtimes(pid), self._runtimes.get(pid, {})
            self._runtimes[pid] = now
            self._targets[pid] = max(now, key=lambda tid: now[tid] - before.get(tid, now[tid]), default=pid)
            for tid, ns in now.items():
                used = max(used, ns - first.setdefault((pid, tid), ns))
        return used / 1e9

    def _target_used(self, first: dict[tuple[int, int], int]) -> float:
        """The seconds each renderer's target thread has run since first seen, the most of them."""
        used = 0
        for pid, tid in self._targets.items():
            try:
                ns = int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue
            used = max(used, ns - first.setdefault((pid, tid), ns))
        return used / 1e9

    def _signal(self, pids: set[int], sig: int) -> None:
        for pid in list(pids):
            try:
                os.kill(self._targets.get(pid, pid) if sig == signal.SIGSTOP else pid, sig)
            except ProcessLookupError:
                try:  # the thread ended: name the process
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pids.discard(pid)

    def _run(self) -> None:
        start = time.monotonic()
        ran, cycle = 0.0, 0
        first: dict[tuple[int, int], int] = {}
        try:
            while not self._stop.is_set():
                if cycle % RESCAN_CYCLES == 0:
                    found = self.renderers()
                    self._signal(self._renderers - found, signal.SIGCONT)  # gone, or no longer under root
                    self._renderers = found
                    # What a thread ran beyond the windows (the stop reached it late) counts as run time.
                    ran = max(ran, self._aim(first))
                else:
                    ran = max(ran, self._target_used(first))
                cycle_start = time.monotonic()
                # Run for what keeps the total at 1/rate of the wall time by this cycle's end.
                run_for = min(PERIOD_S, max(0.0, (cycle_start + PERIOD_S - start) / self.rate - ran))
                if run_for >= 0.001:  # else stay stopped: continuing for nothing would still let a thread run a moment
                    self._signal(self._renderers, signal.SIGCONT)
                    continued = time.monotonic()
                    time.sleep(run_for)
                    self._signal(self._renderers, signal.SIGSTOP)
                    ran += time.monotonic() - continued
                cycle += 1
                rest = cycle_start + PERIOD_S - time.monotonic()
                if rest > 0:
                    self._stop.wait(rest)
        finally:
            self._signal(self._renderers, signal.SIGCONT)
            elapsed = time.monotonic() - start
            self.share = ran / elapsed if elapsed > 0 else None

    def __enter__(self) -> "RendererSlowdown":
        if self.rate > 1:
            self._thread = threading.Thread(target=self._run, name="renderer-slowdown", daemon=True)
            self._thread.start()
        else:
            self.share = 1.0
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

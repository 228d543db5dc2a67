"""Work done aside, in a forked copy of the kernel, while the kernel goes on with the report.

A report's kernel uses one core, and the command that waits for it hardly any: on a machine of
two cores, a piece of the report that does not need the forecast (the chart of the published
figures) is drawn on the other core while the kernel forecasts. A fork starts at once, with
every module and the report's inputs already in memory.

Whatever happens in the copy, the report is the same: a result that does not come (no fork on
this system, the copy failed, died or took too long) is computed by the kernel itself, as
without this module, and the caller checks that a result it uses was made from the same
inputs.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
import time
import warnings
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

WAIT = 60.0
"""Seconds the kernel waits for the copy's result beyond the time it has already taken."""


def aside(function: Callable[..., T], *args) -> Callable[[], T | None]:
    """Start ``function(*args)`` in a forked child and return at once a function that waits
    for its result and gives it (pickled through a pipe), or None when there is none: no
    ``os.fork``, or the child failed, died, or gave nothing within ``WAIT`` seconds of the
    wait's start. The child's output goes nowhere (a kernel's streams are its sockets, which
    the child must not touch) and it ends without running the parent's exit handlers.

    Call the returned function once, always: it reaps the child.
    """
    if not hasattr(os, "fork"):
        return lambda: None
    read, write = os.pipe()
    parent = os.getpid()
    with warnings.catch_warnings():
        # Python 3.12 warns on a fork of a process with threads (the kernel's own): the child
        # only computes and writes to its pipe, and the warning would land in the notebook
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            _die_with(parent)
            os.close(read)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (ends with _exit)
            data = pickle.dumps(function(*args), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return lambda: _collect(pid, read)


def _die_with(parent: int) -> None:
    """(In the child) be killed when the kernel dies (Linux's PR_SET_PDEATHSIG): a report's
    kernel is killed at once after its last cell, or on an interrupt, and a copy still at work
    must not outlive it."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the kernel died before the line above
        os._exit(1)


def _collect(pid: int, read: int) -> object | None:
    """The child's result from its pipe, or None; the child reaped, killed if it is late."""
    chunks, deadline = [], time.monotonic() + WAIT
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read], [], [], left)[0]:
                break  # late: given up
            chunk = os.read(read, 1 << 20)
            if not chunk:  # the child closed its end: all written
                done = os.waitpid(pid, 0)[1]
                pid = 0
                return pickle.loads(b"".join(chunks)) if done == 0 and chunks else None
            chunks.append(chunk)
        return None
    except (OSError, pickle.UnpicklingError, EOFError):
        return None
    finally:
        os.close(read)
        if pid:
            _end(pid)


def _end(pid: int) -> None:
    """Kill and reap a child that is late or whose result could not be read."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)

"""How ``ktt`` ends on an interrupt (SIGINT, SIGTERM): one line, no traceback, and the
last good report kept; the state the commands check between their steps."""

from __future__ import annotations

import sys

INTERRUPTED: dict[str, str] = {}
"""The report a run is writing, for the line an interrupt prints."""


SIGNALLED: list[int] = []
"""The signals ``terminate`` has received in this run."""


def terminate(signum, frame) -> None:
    """SIGINT and SIGTERM end the run cleanly, with one line: nothing is logged after them
    (asyncio's tasks and nbclient's wait for the kernel, cut short, would log tracebacks)."""
    import logging

    logging.disable(logging.CRITICAL)
    SIGNALLED.append(signum)
    raise KeyboardInterrupt


def stop_if_signalled(*_) -> None:
    """Raise ``KeyboardInterrupt`` if a signal has come: code that catches every exception
    (a library's, or a finalizer running when the signal arrived) can swallow the one
    ``terminate`` raised, and a run of many units would then go on to its end (the likely
    cause of a Ctrl-C on a Dask run that, once in a fresh clone's tests, exited 0 after the
    last unit). Called after each batch of units of ``ktt status --units``, after a report's
    imports and when a command returns."""
    if SIGNALLED:
        raise KeyboardInterrupt


def swallow(signum, frame) -> None:
    """A signal that comes after the first one: nothing to do."""


def unraisable_hook(unraisable) -> None:
    """Python's hook for an exception it cannot raise (in a garbage-collector callback, a
    weakref's, importlib's lock): the KeyboardInterrupt ``terminate`` raised there is not
    printed as "Exception ignored ... Traceback", since ``stop_if_signalled`` raises it again
    where it can end the run with its one line; anything else is printed as Python would."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt) and SIGNALLED:
        return
    sys.__unraisablehook__(unraisable)


def close_progress_bars() -> None:
    """End papermill's progress bar, if one is drawn, with its line: the interrupt's line
    then starts a line of its own rather than follow the bar."""
    tqdm = sys.modules.get("tqdm")  # imported by papermill only
    if tqdm is not None:
        for bar in list(tqdm.tqdm._instances):
            bar.close()

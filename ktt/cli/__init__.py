"""The ``ktt`` command line: thin wrappers that call the library and print its results, a
module per command (``ktt.cli.status``, ``ktt.cli.report`` ...), the parser
(``ktt.cli.parser``) and the interrupt's handling (``ktt.cli.signals``).

The heavy libraries (pandas, scipy, statsmodels, papermill, nbconvert) are imported in the
commands that use them, so that --help, validate, template and every error that needs no
kernel answer at once."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence

from ktt.cli.parser import OPTION_PARAMETERS, build_parser
from ktt.cli.signals import (
    INTERRUPTED,
    SIGNALLED,
    close_progress_bars,
    stop_if_signalled,
    swallow,
    terminate,
    unraisable_hook,
)
from ktt.cli.status import METHODS
from ktt.errors import DataError, KttError

__all__ = ["METHODS", "OPTION_PARAMETERS", "build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (2 for bad input, without traceback; 130
    when interrupted, with one line)."""
    args = build_parser().parse_args(argv)
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, terminate)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, terminate)
    INTERRUPTED.clear()
    SIGNALLED.clear()
    sys.unraisablehook = unraisable_hook
    try:
        code = args.run(args)
        stop_if_signalled()  # one swallowed where no check caught it still ends as one
        sys.stdout.flush()
        return code
    except DataError as exc:
        print(f"error: {len(exc.problems)} problem(s) in the data:", file=sys.stderr)
        print(exc, file=sys.stderr)
        return 2
    except KttError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # one line, then an exit that a second signal (the kernel's group gets the same
        # Ctrl-C) cannot turn into a traceback: a handler that does nothing (SIG_IGN would
        # raise "ignored due to race condition" for a signal already arrived)
        signal.signal(signal.SIGINT, swallow)
        signal.signal(signal.SIGTERM, swallow)
        close_progress_bars()
        name = INTERRUPTED.get("report")
        kept = ("" if name is None else
                f"; the last good report of {name} is kept" if (args.output / name).is_dir()
                else f"; no report of {name} was written")
        print(f"interrupted{kept}", file=sys.stderr)
        # The temporary folder is gone and the kernel stopped (run_report's finally); exit
        # now: the interrupted asyncio tasks of nbclient could raise it again at shutdown.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    except BrokenPipeError:
        # the reader stopped (``ktt validate FILE | head -1``): end quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0

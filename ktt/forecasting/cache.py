"""A disk cache of backtests, the slowest step of a report that chooses its models
(``model="auto"``), and of whole forecasts, which a scenario report computes again for its
baseline: the same whenever the figures, the targets, the options, ktt's code and the
numerical packages are the same, so a report run again reads them instead.

The cache is the folder named by the environment variable ``KTT_CACHE`` (a report's kernel,
``ktt.report.kernel``, has it set to ``$XDG_CACHE_HOME/ktt``, ``~/.cache/ktt`` by default,
unless it is set; empty: no cache). Each result is one pickle named by the SHA-256 of
everything it depends on, written atomically (parallel jobs may write the same one), in a
subfolder by kind (``backtest``, ``forecast``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterator
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

if TYPE_CHECKING:
    import pandas as pd

KEEP = 200
"""Backtests the cache keeps, the most recently used: every edit of ktt's code or change of the
figures makes new keys, and the old entries would otherwise pile up (a backtest pickle is tens
of kilobytes to a few megabytes)."""
PACKAGES = ("numpy", "pandas", "scipy", "statsmodels")
"""The packages whose versions a cached result depends on (besides Python's and ktt's code)."""

T = TypeVar("T")


def default_folder() -> Path:
    """``$XDG_CACHE_HOME/ktt``, or ``~/.cache/ktt``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ktt"


@functools.cache
def code_digest() -> str:
    """SHA-256 of ktt's source (every ``.py`` file of the package, by path and content), the
    packages' versions and Python's: any change to them gives every key anew."""
    digest = hashlib.sha256(sys.version.encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for name in PACKAGES:
        digest.update(f"{name}={version(name)}".encode())
    return digest.hexdigest()


def key(function: Callable, frame: pd.DataFrame, *args, **kwargs) -> str:
    """What identifies ``function(frame, *args, **kwargs)``: the code, the frame's columns,
    types and values, and the other arguments as written by ``repr`` (targets and options are
    dataclasses, tuples and dicts of plain values), but for other data frames among them
    (a units table), hashed by value as ``frame`` is: pandas' ``repr`` of a long frame leaves
    rows out."""
    import pandas as pd  # here: the command imports this module (for its folder) lightly

    frames: list[pd.DataFrame] = []

    def plain(value):
        if isinstance(value, pd.DataFrame):
            frames.append(value)
            return f"<frame {len(frames)}>"
        return value

    digest = hashlib.sha256(code_digest().encode())
    digest.update(f"{function.__module__}.{function.__qualname__}".encode())
    _update(digest, frame)
    digest.update(repr((tuple(plain(a) for a in args),
                        sorted((k, plain(v)) for k, v in kwargs.items()))).encode())
    for other in frames:
        _update(digest, other)
    return digest.hexdigest()


def _update(digest, frame: pd.DataFrame) -> None:
    """Feed a frame's columns, types and values (not its index) to ``digest``."""
    import pandas as pd

    digest.update(repr(list(frame.dtypes.astype(str).items())).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())


def cached(function: Callable[..., T], frame: pd.DataFrame, *args, kind: str = "backtest",
           **kwargs) -> T:
    """``function(frame, *args, **kwargs)``, read from the cache when it holds the result of
    the same call, else computed and stored there.

    Parameters
    ----------
    function : callable
        A pure function of its arguments (``ktt.forecasting.backtest.run_backtest``).
    frame : pandas.DataFrame
        Its first argument, hashed by value.
    *args, **kwargs
        The others, hashed by ``repr`` (a data frame by value).
    kind : str
        The cache's subfolder, which keeps its ``KEEP`` most recently used entries:
        ``backtest`` (``ktt.forecasting.forecast``), ``forecast`` (``ktt.report.context``: a
        whole forecast, far larger, so kept apart rather than crowding the backtests out).

    Returns
    -------
    object
        What ``function`` returns.
    """
    folder = os.environ.get("KTT_CACHE", "")
    if not folder:
        return function(frame, *args, **kwargs)
    path = Path(folder) / kind / f"{key(function, frame, *args, **kwargs)}.pickle"
    result = _read(path)
    if result is _MISSING:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _computing(path):
            result = _read(path)  # stored by another job while this one waited
            if result is _MISSING:
                result = function(frame, *args, **kwargs)
                _write(path, result)
    return result


_MISSING = object()
"""What ``_read`` gives for an entry not in the cache."""


def _read(path: Path):
    """The result stored at ``path``, marked as recently used (kept by ``prune``); ``_MISSING``
    when it is not computed yet, or unreadable (then computed again)."""
    try:
        with path.open("rb") as file:
            result = pickle.load(file)  # the user's own cache, written by this function
        os.utime(path)
    except (OSError, EOFError, pickle.UnpicklingError):
        return _MISSING
    return result


def _write(path: Path, result) -> None:
    """Store ``result`` at ``path`` atomically (a reader sees the whole of it or nothing), then
    ``prune`` its folder."""
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as file:
        pickle.dump(result, file, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(file.name, path)
    prune(path.parent)


@contextlib.contextmanager
def _computing(path: Path) -> Iterator[None]:
    """Held while this process computes the entry at ``path``: a parallel job that needs the
    same one waits for it instead of computing it too (the first two reports of ``ktt report
    --all`` computed their shared backtest side by side, 0.3-0.4 CPU s each). The lock is a
    file beside the entry, removed when done; a process that dies holding it releases it.
    Without ``fcntl`` (Windows) nothing is held, and jobs may compute an entry twice, as
    before."""
    if fcntl is None:
        yield
        return
    lock = path.with_suffix(".lock")
    with lock.open("a") as file:
        with contextlib.suppress(OSError):  # a file system without locks: as without fcntl
            fcntl.flock(file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            # removed while still held (closing the file unlocks it): a job that comes later
            # makes a new one, and finds the entry stored
            lock.unlink(missing_ok=True)


def prune(folder: Path, keep: int | None = None) -> int:
    """Remove all but the ``keep`` (default ``KEEP``) most recently used entries of
    ``folder``; returns how many were removed. An entry another job removes first is
    skipped."""
    keep = KEEP if keep is None else keep
    entries = sorted(folder.glob("*.pickle"), key=_used, reverse=True)
    removed = 0
    for path in entries[keep:]:
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def _used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0

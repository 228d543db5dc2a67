"""The kernel a report runs on: started first, reached over IPC, and importing the report's
modules while the command is still importing papermill and checking the scenario.

Only ``jupyter_client`` is imported here (about 0.1 s), so the command can start the kernel
before anything heavy. The kernel's sockets and connection file live in a temporary folder of
its own, removed when it stops (or, after a SIGKILL, by the next kernel's start).
"""

from __future__ import annotations

import collections
import contextlib
import gc
import importlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from traitlets import default

from ktt.forecasting.cache import default_folder

PRELOAD = {"forecast": "ktt.report.forecast", "backtest": "ktt.report.backtest",
           "explore": "ktt.report.explore"}
"""The module each notebook's first cell imports: the kernel imports it as soon as it starts,
silently, outside the history and without a name in the namespace, so the executed notebook is
the same as without it."""

ARGUMENTS = ("--HistoryManager.enabled=False", "--IPKernelApp.log_level=ERROR")
"""The kernel's own options: no IPython history, which a report never reads back. With it,
the kernel wrote every cell into its SQLite file (``~/.ipython``) and opened a new session
there at every reset: about 5 ms a cell and 0.1 s a reset on this project's machine, 30 cells
a report. And only errors in its log: when an interrupted job dies before its kernel is
stopped, the kernel's "Parent appears to have exited, shutting down." warning came after the
command's last line, "interrupted"; a cell's error reaches the report through its messages,
not this log."""

FOLDER_PREFIX = "ktt-kernel-"
"""The start of a kernel's temporary folder's name (``ktt-kernel-pid<pid>-<random>``)."""

_FILTERS: list = []
"""(In the kernel) the warning filters as the preload left them, which ``fresh`` restores."""


def alive(pid: int) -> bool:
    """Whether a process with this id runs (one of another user's counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def pid_of(name: str) -> int | None:
    """The process id in a temporary folder's name (``...-pid1234-...``), if any."""
    for part in reversed(name.split("-")[:-1]):  # the last part is mkdtemp's random one
        if part.startswith("pid") and part[3:].isdigit():
            return int(part[3:])
    return None


def remove_orphans(folders: list[Path]) -> list[Path]:
    """Remove those of ``folders`` whose process (the pid in the name, ``pid_of``) is gone or
    that name none, such as a run's killed with SIGKILL, which could not remove its own; a
    running process's are left alone. Returns those removed."""
    removed = []
    for folder in folders:
        pid = pid_of(folder.name)
        if folder.is_dir() and (pid is None or not alive(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def remove_orphan_kernels() -> list[Path]:
    """``remove_orphans`` of the kernels' temporary folders: those of processes gone."""
    return remove_orphans(sorted(Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}pid*")))


class ReadyClient(AsyncKernelClient):
    """The client nbclient runs a notebook with, ready as soon as the kernel has answered.

    jupyter_client's ``wait_for_ready`` waits for the kernel's reply and one message on IOPub
    (which shows that IOPub is connected), then drains IOPub until it has been quiet for
    0.2 s: 0.2 s idle in every report, after the kernel had finished its preload. nbclient
    reads only the IOPub messages of the request it sent (by their parent's id), so the
    status messages left there do no harm and need not be drained."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Wait until the kernel answers ``kernel_info`` and IOPub is connected.

        Raises
        ------
        RuntimeError
            When the kernel dies first, or does not answer within ``timeout`` seconds.
        """
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
                if reply["msg_type"] == "kernel_info_reply":
                    await self.iopub_channel.get_msg(timeout=0.2)
                    self._handle_kernel_info_reply(reply)
                    return
            except queue.Empty:
                pass  # no answer yet, or IOPub not connected yet: ask again
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")


class IpcKernelManager(AsyncKernelManager):
    """A kernel reached over local IPC sockets rather than TCP: nothing listens on the
    network, and the kernel has no reason to warn that its TCP traffic is unencrypted."""

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    @default("ip")
    def _ip_default(self) -> str:
        # the sockets' path prefix, in a folder of this kernel's own: kernels in parallel
        # never pick the same socket files, and none is left in the working directory
        # (jupyter_client's default is ./kernel-ipc, which left notebooks/kernel-ipc-1..5)
        return str(self._folder() / "kernel")

    @default("client_factory")
    def _client_factory_default(self) -> type:
        return ReadyClient

    @default("connection_file")
    def _connection_file_default(self) -> str:
        return str(self._folder() / "kernel.json")

    def _folder(self) -> Path:
        """The kernel's temporary folder, made on first use."""
        if "_ktt_folder" not in self.__dict__:
            self.__dict__["_ktt_folder"] = Path(tempfile.mkdtemp(
                prefix=f"{FOLDER_PREFIX}pid{os.getpid()}-"))
        return self.__dict__["_ktt_folder"]

    def client(self, **kwargs):
        """A client, remembered so that ``Kernel.stop`` closes its sockets: nbclient leaves
        open those of a kernel it was given."""
        client = super().client(**kwargs)
        self.__dict__.setdefault("_ktt_clients", []).append(client)
        return client

    def close_clients(self) -> None:
        """Close the sockets of the clients made so far (nbclient's, one a notebook run)."""
        for client in self.__dict__.pop("_ktt_clients", []):
            stop_channels(client)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart and "_ktt_folder" in self.__dict__:
            shutil.rmtree(self.__dict__.pop("_ktt_folder"), ignore_errors=True)

    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        """``now``: kill the kernel at once, without the interrupt that jupyter_client sends
        first (the kernel would log a KeyboardInterrupt) and the wait for a graceful end;
        a report's kernel has nothing left to do after its last cell."""
        if now and not restart and self.has_kernel and self.owns_kernel:
            self.shutting_down = True
            self.stop_restarter()
            await self.provisioner.kill()
            # reaped at once: jupyter_client polls a killed kernel every 0.1 s, so its own
            # wait below (which now finds it gone) took 0.1 s a report
            process = getattr(self.provisioner, "process", None)
            if process is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=5)
            await self._async_kill_kernel()
            await self._async_cleanup_resources(restart=False)
            return
        await super().shutdown_kernel(now=now, restart=restart)


@dataclass
class Kernel:
    """A python3 kernel in ``cwd`` for ``notebook``'s reports, and the client that sends it
    the preload and the resets."""

    cwd: Path
    notebook: str = "forecast"
    manager: IpcKernelManager | None = field(default=None, repr=False)
    client: BlockingKernelClient | None = field(default=None, repr=False)

    def start(self) -> Kernel:
        """Start the kernel and send it the import of the notebook's first cell (``PRELOAD``)
        without waiting: the kernel runs it while the caller goes on. An interrupt while the
        kernel starts stops it. Returns the kernel."""
        remove_orphan_kernels()
        self.manager = IpcKernelManager(kernel_name="python3")
        try:
            # a report run again reads its backtest (ktt.forecasting.cache), unless the
            # environment names another cache or none
            env = {"KTT_CACHE": str(default_folder()), **os.environ}
            run_sync(self.manager.start_kernel)(cwd=str(self.cwd), env=env,
                                                extra_arguments=list(ARGUMENTS))
            # a client of its own, on a plain zmq context (the manager's is asyncio's)
            self.client = BlockingKernelClient(connection_file=self.manager.connection_file)
            self.client.load_connection_file()
            self.client.start_channels(iopub=False, stdin=False, hb=False, control=False)
            module = PRELOAD.get(self.notebook)
            self._send(f"preload({module!r})" if module else "keep()")
        except BaseException:
            self.stop()
            raise
        return self

    def _send(self, call: str) -> str:
        """Execute ``call`` (in ``ktt.report.kernel``'s namespace) silently, without waiting;
        return the request's id."""
        return self.client.execute(
            f"exec({call!r}, vars(__import__('ktt.report.kernel').report.kernel))",
            silent=True, store_history=False)

    def reset(self, timeout: float = 60) -> None:
        """Make the kernel as it was when it had just started and imported its preload, for
        the next report: an empty namespace, execution count 1, the warning filters as the
        preload left them and no warning remembered as shown (``fresh``), so that the reports
        it then writes are byte for byte those of a new kernel. A kernel that cannot be made
        fresh within ``timeout`` seconds (one that died) is replaced by a new one."""
        self.manager.close_clients()
        try:
            self._fresh(timeout)
        except RuntimeError:
            self.stop()
            self.start()

    def _fresh(self, timeout: float) -> None:
        if self.client is None or not self.manager.has_kernel:
            raise RuntimeError("the kernel is stopped")
        msg_id = self._send("fresh()")
        try:
            while True:  # skip the replies to earlier requests (the preload's)
                reply = self.client.get_shell_msg(timeout=timeout)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
        except Exception as exc:  # queue.Empty: no answer in time
            raise RuntimeError(f"the kernel did not answer in {timeout} s") from exc
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the kernel's reset failed: {reply['content'].get('evalue')}")

    def stop(self) -> None:
        """Stop the kernel at once (it has nothing left to do), close the clients and remove
        its folder. SIGINT and SIGTERM wait until it is done: one that cut it short would
        leave the kernel running after its parent."""
        with _signals_deferred():
            self._stop()

    def _stop(self) -> None:
        if self.client is not None:
            stop_channels(self.client)
            self.client = None
        if self.manager is None:
            return
        self.manager.close_clients()
        if self.manager.has_kernel:
            run_sync(self.manager.shutdown_kernel)(now=True)
        else:  # never started, or interrupted while starting
            run_sync(self.manager._async_cleanup_resources)()


CLOSE_TIMEOUT = 5.0
"""Seconds a client's sockets may take to close [s]; they take milliseconds."""


def stop_channels(client, timeout: float = CLOSE_TIMEOUT) -> None:
    """``client.stop_channels()``, given up after ``timeout`` seconds.

    An interrupt that lands while nbclient opens its channels can leave a socket made but not
    yet known to its zmq context, and the context's ``term`` then waits for it forever (seen
    as a report that hung after SIGTERM, in ``zmq.Context.term`` from ``stop_channels``). The
    kernel is killed after this all the same, and the process ends soon after."""
    closing = threading.Thread(target=client.stop_channels, daemon=True)
    closing.start()
    closing.join(timeout)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM held back inside (in the main thread, where Python handles them),
    then raised again on leaving, to the handlers they would have met."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[int] = []
    previous = {signum: signal.signal(signum, lambda signum, frame: came.append(signum))
                for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if came:
            signal.raise_signal(came[0])


def start_kernel(cwd: Path, notebook: str = "forecast") -> Kernel:
    """A started ``Kernel`` in ``cwd`` for ``notebook``'s reports (``Kernel.start``)."""
    return Kernel(Path(cwd), notebook).start()


LEFT_OUT = ("formulaic",)
"""Modules the preload keeps out of the kernel: statsmodels imports formulaic (about 0.05 s,
with narwhals) when it can, as a second formula engine beside patsy, its default; no report
writes a formula."""


def preload(module: str) -> None:
    """(In the kernel) import ``module`` with the garbage collector paused (the imports
    create objects by the hundred thousand, and each collection on the way would walk them
    all: about 10 % of the import's time) and then frozen, without the modules of
    ``LEFT_OUT`` and SciPy's docstring notes (``plain_scipy_docstrings``), then ``keep``."""
    gc.disable()
    try:
        for name in LEFT_OUT:
            sys.modules.setdefault(name, None)
        plain_scipy_docstrings()
        importlib.import_module(module)
        # what the imports made lives as long as the kernel: kept out of the collections to
        # come, which walked it all again and again (about 0.13 s of a report's cells)
        gc.freeze()
    finally:
        gc.enable()
    keep()


class _Docstring(collections.defaultdict):
    """SciPy's ``FunctionDoc`` as ``plain_scipy_docstrings`` puts it: every section empty, and
    the function's docstring as it was (after the signature's line, which SciPy drops)."""

    def __init__(self, function, *args, **kwargs) -> None:
        super().__init__(list)
        self.text = function.__doc__ or ""

    def __str__(self) -> str:
        return "\n" + self.text


def plain_scipy_docstrings() -> None:
    """(In the kernel) SciPy (1.17 here) parses the docstring of each of some 600 functions as
    it imports them, to add a note on the array libraries they support (``xp_capabilities``):
    about 0.2 s of a report's imports, for docstrings a report never shows. Its parser is
    replaced by ``_Docstring`` there, which leaves them as they are; an older SciPy has no
    such parser and nothing is replaced."""
    try:
        from scipy._lib import _array_api
    except ImportError:
        return
    if hasattr(_array_api, "FunctionDoc"):
        _array_api.FunctionDoc = _Docstring


def keep() -> None:
    """(In the kernel, after the preload) remember the warning filters for ``fresh``."""
    _FILTERS[:] = warnings.filters


def fresh() -> None:
    """(In the kernel) back to the state ``keep`` saw: an empty namespace and execution count
    1 (IPython's reset of a new session), the warning filters as they were, and every
    module's record of the warnings it has shown cleared (``resetwarnings`` marks them stale),
    so that a warning shown by the last report is shown again by the next one."""
    from IPython import get_ipython

    get_ipython().reset(new_session=True)
    warnings.resetwarnings()
    warnings.filters[:] = _FILTERS
    warnings.onceregistry.clear()

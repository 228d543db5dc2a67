"""The kernel a report runs on: started first, reached over IPC, and importing the report's
modules while the command is still importing papermill and checking the scenario.

Only ``jupyter_client`` is imported here (about 0.1 s), so the command can start the kernel
before anything heavy.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from traitlets import default

PRELOAD = {"forecast": "import ktt.report.forecast", "backtest": "import ktt.report.backtest",
           "explore": "import ktt.report.explore"}
"""What each notebook's first cell imports: the kernel imports it as soon as it starts, silently
and outside the history, so the executed notebook is the same as without it."""


class IpcKernelManager(AsyncKernelManager):
    """A kernel reached over local IPC sockets rather than TCP: nothing listens on the
    network, and the kernel has no reason to warn that its TCP traffic is unencrypted."""

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    @default("ip")
    def _ip_default(self) -> str:
        # the sockets' path prefix: one of its own per kernel, so that runs in parallel never
        # pick the same socket files (jupyter_client's default is ./kernel-ipc)
        return os.path.join(tempfile.gettempdir(),
                            f"ktt-kernel-{os.getpid()}-{os.urandom(4).hex()}")

    def client(self, **kwargs):
        """A client, remembered so that ``Kernel.stop`` closes its sockets: nbclient leaves
        open those of a kernel it was given."""
        client = super().client(**kwargs)
        self.__dict__.setdefault("_ktt_clients", []).append(client)
        return client

    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        """``now``: kill the kernel at once, without the interrupt that jupyter_client sends
        first (the kernel would log a KeyboardInterrupt) and the wait for a graceful end;
        a report's kernel has nothing left to do after its last cell."""
        if now and not restart and self.has_kernel and self.owns_kernel:
            self.shutting_down = True
            self.stop_restarter()
            await self._async_kill_kernel()
            await self._async_cleanup_resources(restart=False)
            return
        await super().shutdown_kernel(now=now, restart=restart)


@dataclass
class Kernel:
    """A started kernel and the client that sent it the preload."""

    manager: IpcKernelManager
    client: object = field(default=None, repr=False)

    def stop(self) -> None:
        """Stop the kernel at once (it has nothing left to do) and close the client."""
        if self.client is not None:
            self.client.stop_channels()
            self.client = None
        for client in self.manager.__dict__.pop("_ktt_clients", []):
            client.stop_channels()
        if self.manager.has_kernel:
            run_sync(self.manager.shutdown_kernel)(now=True)


def start_kernel(cwd: Path, notebook: str = "forecast") -> Kernel:
    """Start a python3 kernel in ``cwd`` and send it the imports of ``notebook``'s first cell
    (``PRELOAD``) without waiting: the kernel runs them while the caller goes on."""
    manager = IpcKernelManager(kernel_name="python3")
    run_sync(manager.start_kernel)(cwd=str(cwd))
    kernel = Kernel(manager)
    if notebook in PRELOAD:
        # a client of its own, on a plain zmq context (the manager's is asyncio's)
        kernel.client = BlockingKernelClient(connection_file=manager.connection_file)
        kernel.client.load_connection_file()
        kernel.client.start_channels(iopub=False, stdin=False, hb=False, control=False)
        kernel.client.execute(PRELOAD[notebook], silent=True, store_history=False)
    return kernel

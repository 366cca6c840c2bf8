"""The server side of a room session: Voila's kernel pools sized from the session file.

``voila.json`` names :class:`RoomKernelManager` as Voila's ``multi_kernel_manager_class``. With
``preheat_kernel`` on, Voila builds its pooling kernel manager on top of the class it is given
(``voila_kernel_manager_factory``), so the running manager has Voila's pools (``_pools``,
``fill_if_needed``, ``notebook_data``) and this class's watcher. Voila reads a pool's size from
``kernel_pools_config[notebook]["pool_size"]`` each time it fills a pool; here that entry is
computed when asked (:class:`_LivePools`), from the session in the data folder and the kernels in
use, so Voila's own refill after a page takes a kernel follows the room rule of
``widgets.workshop.room`` and nothing else has to be patched.

Every ``room_poll_interval`` seconds the watcher reads the session file, tops up pools that are
short (at most ``room_max_starting`` kernels starting at once, so a two-core server is not asked
to start sixty Pythons in the same second), ends warm kernels beyond a pool's size (a session that
ended or changed), and writes the status file the facilitator's panel reads. It starts no kernel
for a session while the server's free memory is below ``room_memory_reserve_mb`` and says so.

The idle cull spares a kernel for the full ``cull_idle_timeout`` from the moment a page takes it
from its pool (:meth:`RoomKernelManager.cull_kernel_if_idle`): Voila spares only kernels still in a
pool, so a page could lose its kernel before its browser had connected.

Loading this class (voila.json) also mends one Voila 0.5 fault on the way a page learns who is
visiting (:func:`_mend_request_info_close`): when a kernel's request-info socket is opened a second
time (the kit's identity resolver retries a slow socket), closing the first one dropped another
kernel's listener, and that kernel's visitor never arrived: a page that saves nothing (it never
saves to the wrong person, but "none fails" matters too).

Written against Voila 0.5 (its pool attributes are private; ``tests/unit/test_room.py`` runs this
class against Voila's real factory, so an upgrade that changes them fails a test).
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float, Integer

from widgets.workshop import room


def _mend_request_info_close() -> None:
    """Make Voila's request-info socket forget only itself when it closes.

    Voila 0.5's ``RequestInfoSocketHandler.on_close`` looks for itself among the waiting sockets
    and, when it is not there (a second socket for the same kernel replaced it), deletes whichever
    entry it looked at last: another kernel's listener. That kernel's request info is then cached
    instead of sent, and its page waits for ever. This version removes exactly its own entries.
    """
    try:
        from voila.request_info_handler import RequestInfoSocketHandler
    except ImportError:  # not running under Voila
        return
    if getattr(RequestInfoSocketHandler.on_close, "_pap_mended", False):
        return

    def on_close(self: RequestInfoSocketHandler) -> None:
        waiters = RequestInfoSocketHandler._waiters
        for kernel_id in [k for k, w in waiters.items() if w is self]:
            del waiters[kernel_id]

    on_close._pap_mended = True  # type: ignore[attr-defined]
    RequestInfoSocketHandler.on_close = on_close


_mend_request_info_close()


class _LivePoolSize(dict):
    """A ``kernel_pools_config`` entry whose ``pool_size`` is worked out when Voila reads it."""

    def __init__(self, manager: RoomKernelManager, notebook: str) -> None:
        super().__init__()
        self._manager, self._notebook = manager, notebook

    def get(self, key: str, default: object = None) -> object:
        if key == "pool_size":
            return self._manager.room_pool_size(self._notebook)
        return super().get(key, default)


class _LivePools(dict):
    """``kernel_pools_config`` for every notebook (``default`` included): live entries."""

    def __init__(self, manager: RoomKernelManager) -> None:
        super().__init__()
        self._manager = manager

    def get(self, key: str, default: object = None) -> object:
        return _LivePoolSize(self._manager, "" if key == "default" else key)


class RoomKernelManager(AsyncMappingKernelManager):
    """Voila's kernel manager base that sizes its warm pools for the announced room session."""

    room_poll_interval = Float(
        2.0, config=True, help="Seconds between two reads of the session file."
    )
    room_max_starting = Integer(
        0,
        config=True,
        help="Kernels a session's pools may be starting at once (0: twice the CPU count).",
    )
    room_idle_default = Integer(
        0,
        config=True,
        help="Warm kernels for every notebook with no session (the landing page keeps 1). "
        "0 keeps the idle server small; the tests set 1 to open every page preheated.",
    )
    room_memory_reserve_mb = Integer(
        768,
        config=True,
        help="Start no kernel for a session while less memory than this is free (MB).",
    )

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._room_session: room.RoomSession | None = None
        self._room_problem = ""
        self._room_held_back = ""
        self._room_task: asyncio.Task | None = None
        self._room_pooled_at: dict[str, float] = {}
        if hasattr(self, "fill_if_needed"):  # Voila's pooling layer is on (preheat_kernel)
            self.kernel_pools_config = _LivePools(self)
            try:
                loop = asyncio.get_event_loop()
            except RuntimeError:
                loop = asyncio.new_event_loop()
                asyncio.set_event_loop(loop)
            self._room_task = loop.create_task(self._room_loop())

    # -- the rule ------------------------------------------------------------------------------
    @property
    def _room_max_starting(self) -> int:
        return self.room_max_starting or 2 * (os.cpu_count() or 1)

    def _pool(self, notebook: str) -> list:
        return getattr(self, "_pools", {}).get(notebook, [])

    @staticmethod
    def _entry(task: asyncio.Future) -> dict | None:
        """A pool entry's result once its kernel has started, else None."""
        if not task.done() or task.cancelled() or task.exception() is not None:
            return None
        return task.result()

    def _is_warm(self, task: asyncio.Future) -> bool:
        e = self._entry(task)
        return e is not None and e["task"].done() and e["kernel_id"] in self

    def in_use(self, notebook: str) -> int:
        """Kernels of this notebook handed to pages and not yet ended."""
        data = getattr(self, "notebook_data", {}).get(notebook)
        if not data:
            return 0
        pooled = {e["kernel_id"] for t in self._pool(notebook) if (e := self._entry(t))}
        return sum(1 for k in data["kernel_ids"] if k not in pooled and k in self)

    def _idle(self, notebook: str) -> int:
        if not notebook:  # Voila's "default" entry: notebooks are always named here
            return 0
        return max(room.IDLE_POOLS.get(notebook, 0), self.room_idle_default)

    def room_pool_size(self, notebook: str) -> int:
        """The pool size Voila fills to now (warm and starting kernels of ``notebook``)."""
        session = self._room_session
        targets = room.pool_targets(session, room.now_utc())
        idle = self._idle(notebook)
        total = targets.get(notebook, 0)
        if session is None or total <= idle:
            return idle
        pool = self._pool(notebook)
        want = room.warm_target(
            total, self.in_use(notebook), idle, room.spare(session.participants)
        )
        warm = sum(1 for t in pool if self._is_warm(t))
        want = min(want, warm + self._room_max_starting)
        if self._room_held_back:
            want = min(want, len(pool))
        return max(want, idle)

    # -- the watcher ---------------------------------------------------------------------------
    async def _room_loop(self) -> None:
        while True:
            try:
                await self.room_tick()
            except asyncio.CancelledError:
                raise
            except Exception:  # the pools must keep working whatever the session file says
                self.log.exception("Room session: the pool watcher failed; trying again")
            await asyncio.sleep(self.room_poll_interval)

    def _check_memory(self) -> str:
        try:
            import psutil

            free = psutil.virtual_memory().available
        except Exception:
            return ""
        if free < self.room_memory_reserve_mb * 2**20:
            return (
                f"The server has only {free / 2**20:.0f} MB of memory free, so it starts no "
                "more kernels: close other programs, or choose fewer modules or participants."
            )
        return ""

    async def room_tick(self) -> None:
        """Read the session, fill short pools, shrink long ones, write the status file."""
        read = room.read_session()
        if read.problem and read.problem != self._room_problem:
            self.log.warning("Room session: %s", read.problem)
        self._room_problem = read.problem
        now = room.now_utc()
        session = read.session if read.session and read.session.active(now) else None
        if session != self._room_session:
            if session:
                self.log.info(
                    "Room session: %s participants on %s", session.participants, session.modules
                )
            else:
                self.log.info("Room session: none; back to the idle pools")
        self._room_session = session
        self._room_held_back = self._check_memory() if session else ""
        root = Path(getattr(self, "root_dir", "."))
        targets = room.pool_targets(session, now)
        for nb in targets:
            if not (root / nb).is_file():
                continue
            pool = self._pool(nb)
            for t in [t for t in pool if t.done() and self._entry(t) is None]:
                pool.remove(t)  # a kernel that failed to start: counted as nothing
            if len(pool) < self.room_pool_size(nb):
                self.fill_if_needed(delay=0, notebook_name=nb)
        for nb in list(getattr(self, "_pools", {})):
            await self._shrink(nb, self.room_pool_size(nb))
        self._note_pooled()
        self._write_status(session, now, targets)

    def _note_pooled(self) -> None:
        """Remember when each warm kernel was last seen waiting in a pool (see the cull below)."""
        now = time.monotonic()
        seen = {e["kernel_id"] for p in getattr(self, "_pools", {}).values() for t in p
                if (e := self._entry(t))}
        for kid in seen:
            self._room_pooled_at[kid] = now
        for kid in [k for k in self._room_pooled_at if k not in seen and k not in self]:
            del self._room_pooled_at[kid]  # ended: forget it

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Give a kernel just handed to a page the idle allowance from the hand-over.

        Voila spares kernels while they wait in a pool, but the moment a page takes one it is an
        ordinary kernel with no connection yet and a last activity from when it was warmed up,
        often more than ``cull_idle_timeout`` ago. A cull in the seconds before the browser
        connects ended the kernel under the page, which then never drew its widgets (seen in the
        browser tests: "Using pre-heated kernel ..." then "Culling ... with 0 connections"). Such
        a kernel is now culled only once it has been out of the pool for the full allowance.
        """
        seen = self._room_pooled_at.get(kernel_id)
        if seen is not None and time.monotonic() - seen < self.cull_idle_timeout:
            return None
        return await super().cull_kernel_if_idle(kernel_id)

    async def _shrink(self, notebook: str, size: int) -> None:
        pool = self._pool(notebook)
        extra = len(pool) - size
        for t in reversed(list(pool)):
            if extra <= 0:
                break
            e = self._entry(t)
            if e is None or not e["task"].done():
                continue  # still starting: looked at again next time
            pool.remove(t)
            extra -= 1
            try:
                await self.shutdown_kernel(e["kernel_id"])
            except Exception:
                self.log.warning("Room session: could not end warm kernel %s", e["kernel_id"])

    def _write_status(
        self, session: room.RoomSession | None, now: object, targets: dict[str, int]
    ) -> None:
        pools = []
        for nb in sorted(set(targets) | set(getattr(self, "_pools", {}))):
            pool, in_use = self._pool(nb), self.in_use(nb)
            if not (targets.get(nb) or pool or in_use):
                continue  # a notebook with nothing warm and no page open: not worth a line
            warm = sum(1 for t in pool if self._is_warm(t))
            pools.append(
                room.PoolStatus(
                    notebook=nb,
                    target=max(targets.get(nb, 0), self._idle(nb)),
                    warm=warm,
                    starting=len(pool) - warm,
                    in_use=in_use,
                )
            )
        status = room.RoomStatus(
            written=now,
            session_started=session.started if session else None,
            pools=pools,
            held_back=self._room_held_back,
        )
        try:
            room.write_status(status)
        except OSError as exc:
            self.log.warning("Room session: cannot write the status file: %s", exc)

    async def shutdown_all(self, *args: object, **kwargs: object) -> None:
        if self._room_task is not None:
            self._room_task.cancel()
            self._room_task = None
        await super().shutdown_all(*args, **kwargs)

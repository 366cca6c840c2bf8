"""The room session warm-up: the session model, its files, the pool rule, and the pool manager.

The manager is tested through Voila's own factory (``voila_kernel_manager_factory``), as Voila
builds it, with only kernel start and stop replaced by fakes: Voila's real ``fill_if_needed`` and
``get_rendered_notebook`` read the pool sizes from ``RoomKernelManager``, so these tests fail if a
Voila upgrade stops consulting them. No timings are asserted.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from traitlets.config import Configurable

from widgets.limits import MAX_ROOM_MODULES, MAX_ROOM_PARTICIPANTS, MAX_ROOM_WARM_KERNELS
from widgets.workshop import room

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
NB = "01_why_partnership.ipynb"
NB2 = "02_communicating_with_parents.ipynb"


# -- the rule ---------------------------------------------------------------------------------

def _run(coro) -> None:
    """Run a coroutine to the end on a loop of its own, in its own thread: earlier tests in the
    same run (Playwright's sync API) may leave an event loop running in this thread."""
    import threading

    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            errors.append(exc)

    t = threading.Thread(target=target)
    t.start()
    t.join()
    if errors:
        raise errors[0]

def test_pool_size_is_room_plus_a_tenth_at_least_two() -> None:
    assert [room.spare(n) for n in (1, 10, 11, 30, 60)] == [2, 2, 2, 3, 6]
    assert [room.pool_size(n) for n in (1, 10, 30, 60)] == [3, 12, 33, 66]


def test_warm_target_does_not_refill_while_the_room_arrives() -> None:
    # 30 people, 33 kernels in all: each page taken lowers the warm target by one...
    assert room.warm_target(33, 0, 0, 3) == 33
    assert room.warm_target(33, 10, 0, 3) == 23
    assert room.warm_target(33, 30, 0, 3) == 3
    # ...until only the spare is left, which is then kept for latecomers and reloads.
    assert room.warm_target(33, 31, 0, 3) == 3
    assert room.warm_target(33, 50, 0, 3) == 3
    # never below the idle pool (the landing page)
    assert room.warm_target(1, 5, 1, 0) == 1


def test_pool_targets_idle_active_and_expired() -> None:
    assert room.pool_targets(None, NOW) == {"index.ipynb": 1}
    s = room.new_session(30, [NB, NB2], NOW)
    assert room.pool_targets(s, NOW + timedelta(minutes=5)) == {
        "index.ipynb": 1,
        NB: 33,
        NB2: 33,
    }
    assert room.pool_targets(s, s.until) == {"index.ipynb": 1}  # it ends by itself
    assert room.pool_targets(s, NOW - timedelta(seconds=1)) == {"index.ipynb": 1}


# -- bounds -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("n", "modules", "words"),
    [
        (0, [NB], "between 1 and"),
        (MAX_ROOM_PARTICIPANTS + 1, [NB], "between 1 and"),
        (10, [], "at least one module"),
        (10, [f"m{i}.ipynb" for i in range(MAX_ROOM_MODULES + 1)], f"at most {MAX_ROOM_MODULES}"),
        (MAX_ROOM_PARTICIPANTS, [NB, NB2], f"at most {MAX_ROOM_WARM_KERNELS}"),
        (10, ["../etc/passwd"], "not a notebook name"),
        (10, [NB, NB], "listed twice"),
    ],
)
def test_new_session_refuses_out_of_bounds(n: int, modules: list[str], words: str) -> None:
    with pytest.raises(room.RoomError, match=words.replace(".", r"\.")):
        room.new_session(n, modules, NOW)


def test_the_warm_kernel_cap_says_how_many_modules_fit() -> None:
    with pytest.raises(room.RoomError) as err:
        room.new_session(MAX_ROOM_PARTICIPANTS, [NB, NB2], NOW)
    most = MAX_ROOM_WARM_KERNELS // room.pool_size(MAX_ROOM_PARTICIPANTS)
    assert f"Choose {most} module" in str(err.value)


# -- files ------------------------------------------------------------------------------------
def test_session_file_round_trip_and_end(tmp_path: Path) -> None:
    s = room.new_session(12, [NB], NOW, hours=2)
    room.write_session(s, tmp_path)
    assert room.read_session(tmp_path) == room.SessionRead(s)
    assert room.end_session(tmp_path) is True
    assert room.read_session(tmp_path) == room.SessionRead(None)
    assert room.end_session(tmp_path) is False


def _raw(**over: object) -> dict:
    d = room.new_session(12, [NB], NOW).model_dump(mode="json")
    d.update(over)
    return d


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (_raw(participants=10_000), "participants"),
        (_raw(participants=0), "participants"),
        (_raw(modules=["x/../../y.ipynb"]), "modules"),
        (_raw(surprise=1), "surprise"),
        (_raw(started="2026-11-26T09:00:00"), "started"),  # no time zone
        (_raw(until="2026-11-27T09:00:00Z"), "the session|lasts at most"),
        (_raw(until="2026-11-26T08:00:00Z"), "end after"),
    ],
)
def test_a_bad_session_file_is_ignored_and_named(tmp_path: Path, data: dict, where: str) -> None:
    (tmp_path / room.SESSION_FILE).write_text(json.dumps(data))
    read = room.read_session(tmp_path)
    assert read.session is None
    assert str(tmp_path / room.SESSION_FILE) in read.problem
    assert any(w in read.problem for w in where.split("|"))


def test_garbage_and_oversized_session_files_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / room.SESSION_FILE
    path.write_text("{not json")
    assert room.read_session(tmp_path).session is None
    assert room.read_session(tmp_path).problem
    path.write_text(" " * (room.MAX_FILE_BYTES + 1))
    assert "too large" in room.read_session(tmp_path).problem


# -- what the facilitator is told -------------------------------------------------------------
def _status(s: room.RoomSession | None, pools: list[tuple[str, int, int]], **kw: object):
    return room.RoomStatus(
        written=kw.pop("written", NOW),
        session_started=s.started if s else None,
        pools=[
            room.PoolStatus(notebook=nb, target=33, warm=w, starting=0, in_use=u)
            for nb, w, u in pools
        ],
        **kw,
    )


def test_readiness_is_only_what_is_really_warm() -> None:
    s = room.new_session(30, [NB, NB2], NOW)
    at = NOW + timedelta(seconds=5)
    r = room.readiness(s, _status(s, [(NB, 33, 0), (NB2, 12, 0)]), at)
    assert (r.kind, r.ready_for) == ("info", 12)
    assert "ready for 12 of 30" in r.text
    r = room.readiness(s, _status(s, [(NB, 33, 0), (NB2, 30, 0)]), at)
    assert (r.kind, r.ready_for) == ("success", 30)
    assert r.text.startswith("Ready for 30")
    r = room.readiness(s, _status(s, [(NB, 3, 30), (NB2, 33, 0)]), at)
    assert (r.kind, r.ready_for) == ("success", 3)
    assert "under way" in r.text
    held = _status(s, [(NB, 20, 0), (NB2, 20, 0)], held_back="only 300 MB free")
    r = room.readiness(s, held, at)
    assert (r.kind, r.ready_for) == ("warning", 20)


def test_readiness_distrusts_a_silent_or_other_server() -> None:
    s = room.new_session(30, [NB], NOW)
    assert room.readiness(s, None, NOW).text.startswith("Session started: waiting")
    later = NOW + timedelta(seconds=room.STATUS_STALE_SECONDS + 1)
    assert room.readiness(s, None, later).kind == "warning"
    stale = _status(s, [(NB, 33, 0)], written=NOW)
    assert room.readiness(s, stale, later).ready_for == 0
    other = _status(room.new_session(30, [NB], NOW - timedelta(minutes=1)), [(NB, 33, 0)])
    assert room.readiness(s, other, later).kind == "warning"
    assert room.readiness(s, other, NOW).ready_for == 0
    assert room.readiness(None, None, NOW).text.startswith("No session")


# -- the pool manager, as Voila builds it -----------------------------------------------------
class _App(Configurable):
    """What Voila's kernel manager reads from its parent (the Voila app)."""


def _manager(root: Path, **traits: object):
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    from widgets.workshop.room_pool import RoomKernelManager

    base = voila_kernel_manager_factory(RoomKernelManager, True, 0)

    class FakeKernels(base):  # kernels are ids in a set; everything else is Voila's and ours
        alive: set[str]

        def __contains__(self, kid: object) -> bool:
            return kid in self.alive

        async def _initialize(self, notebook_path: str, kernel_id: str | None = None, **kw):
            await asyncio.sleep(0)
            kid = uuid.uuid4().hex
            self.alive.add(kid)
            data = self.notebook_data.setdefault(notebook_path, {"kernel_ids": set()})
            data["kernel_ids"].add(kid)
            render = asyncio.get_running_loop().create_future()
            render.set_result(([], None))
            renderer = SimpleNamespace(stop_generator=False, rendered_cache=[])
            return {"task": render, "renderer": renderer, "kernel_id": kid}

        async def shutdown_kernel(self, kid: str, *a: object, **kw: object) -> None:
            self.alive.discard(kid)
            for v in self.notebook_data.values():
                v["kernel_ids"].discard(kid)

    FakeKernels.alive = set()
    app = _App()
    app.root_dir, app.notebook_path = str(root), None
    app.base_url = app.server_url = "/"
    app.port = 8866
    m = FakeKernels(parent=app, **{"fill_delay": 0, **traits})  # as voila.json sets it
    m.alive = set()
    return m


async def _settle(m, ticks: int = 30) -> None:
    for _ in range(ticks):
        await m.room_tick()
        for _ in range(5):
            await asyncio.sleep(0)


def _pools(folder: Path) -> dict[str, tuple[int, int]]:
    st = room.read_status(folder)
    assert st is not None
    return {p.notebook: (p.warm, p.in_use) for p in st.pools}


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PAP_DATA_DIR", str(tmp_path / "data"))
    root = tmp_path / "modules"
    root.mkdir()
    for nb in ("index.ipynb", NB, NB2):
        (root / nb).write_text("{}")
    return tmp_path


def test_manager_idles_with_the_landing_page_only(site: Path) -> None:
    async def go() -> None:
        m = _manager(site / "modules", room_poll_interval=3600)
        await _settle(m)
        assert _pools(site / "data") == {"index.ipynb": (1, 0)}
        assert len(m.alive) == 1
        await m.shutdown_all()

    _run(go())


def test_manager_warms_hands_out_refills_spare_and_shrinks(site: Path) -> None:
    data = site / "data"

    async def go() -> None:
        m = _manager(site / "modules", room_poll_interval=3600, room_max_starting=3)
        await _settle(m, 2)
        s = room.new_session(5, [NB], room.now_utc())
        room.write_session(s)
        await m.room_tick()
        await asyncio.sleep(0)
        assert len(m._pools[NB]) == 3  # no more than room_max_starting started at once
        await _settle(m)
        assert _pools(data)[NB] == (7, 0)  # 5 + spare 2
        r = room.readiness(room.read_session().session, room.read_status(), room.now_utc())
        assert (r.kind, r.ready_for) == ("success", 5)

        # the room arrives: pages take kernels and Voila's own refill starts none
        for _ in range(5):
            await m.get_rendered_notebook(NB)
        await _settle(m)
        assert _pools(data)[NB] == (2, 5)
        # a latecomer takes one of the spare: the spare is refilled
        await m.get_rendered_notebook(NB)
        await _settle(m)
        assert _pools(data)[NB] == (2, 6)

        # the session ends: warm kernels beyond the idle pools are ended, open pages kept
        room.end_session()
        await _settle(m)
        assert _pools(data)[NB] == (0, 6)
        assert len(m.alive) == 6 + 1  # six pages and the landing page's warm kernel
        await m.shutdown_all()

    _run(go())


def test_manager_starts_nothing_for_a_session_when_memory_is_short(site: Path) -> None:
    async def go() -> None:
        m = _manager(site / "modules", room_poll_interval=3600, room_memory_reserve_mb=10**9)
        room.write_session(room.new_session(5, [NB], room.now_utc()))
        await _settle(m)
        st = room.read_status()
        assert st is not None and "memory" in st.held_back
        assert _pools(site / "data").get(NB, (0, 0)) == (0, 0)
        r = room.readiness(room.read_session().session, st, room.now_utc())
        assert r.kind == "warning"
        await m.shutdown_all()

    _run(go())


def test_a_kernel_just_handed_to_a_page_is_not_culled_before_its_browser_connects(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm kernel waits in its pool with an old last activity; once a page takes it, the
    idle cull must wait the full allowance from the hand-over, not from the warm-up."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    culled: list[str] = []

    async def base_cull(self, kernel_id: str) -> None:  # the server's own rule: idle too long
        culled.append(kernel_id)

    monkeypatch.setattr(AsyncMappingKernelManager, "cull_kernel_if_idle", base_cull)

    async def go() -> None:
        m = _manager(site / "modules", room_poll_interval=3600, cull_idle_timeout=240)
        await _settle(m)
        _task, _cells, kid = await m.get_rendered_notebook("index.ipynb")
        await m.cull_kernel_if_idle(kid)
        assert culled == []  # handed over a moment ago: its page has not connected yet
        await _settle(m, 2)
        await m.cull_kernel_if_idle(kid)
        assert culled == []  # still within the allowance after later rounds of the watcher
        m._room_pooled_at[kid] -= 241  # the allowance has passed since the hand-over
        await m.cull_kernel_if_idle(kid)
        assert culled == [kid]
        await m.cull_kernel_if_idle("a-kernel-never-pooled")
        assert culled == [kid, "a-kernel-never-pooled"]
        await m.shutdown_all()

    _run(go())


def test_manager_ignores_a_broken_session_file_and_unknown_notebooks(site: Path) -> None:
    async def go() -> None:
        m = _manager(site / "modules", room_poll_interval=3600)
        (site / "data").mkdir(exist_ok=True)
        (site / "data" / room.SESSION_FILE).write_text('{"participants": 5}')
        await _settle(m)
        assert m._room_problem
        assert _pools(site / "data") == {"index.ipynb": (1, 0)}
        room.write_session(room.new_session(2, ["no_such_module.ipynb"], room.now_utc()))
        await _settle(m)
        assert _pools(site / "data")["no_such_module.ipynb"] == (0, 0)
        assert len(m.alive) == 1
        await m.shutdown_all()

    _run(go())


def test_voila_json_names_the_room_manager_and_keeps_the_idle_pools_small() -> None:
    cfg = json.loads((Path(__file__).resolve().parents[2] / "voila.json").read_text())
    vc = cfg["VoilaConfiguration"]
    assert vc["preheat_kernel"] is True
    assert vc["multi_kernel_manager_class"] == "widgets.workshop.room_pool.RoomKernelManager"
    assert vc["default_pool_size"] == 0
    assert sum(room.IDLE_POOLS.values()) <= 1
    assert cfg["MappingKernelManager"]["cull_idle_timeout"] <= 600


def test_the_tests_setting_keeps_one_warm_kernel_per_notebook(site: Path) -> None:
    """``room_idle_default=1`` (tests/support/voila.py) restores one preheated page per notebook."""

    async def go() -> None:
        m = _manager(site / "modules", room_poll_interval=3600, room_idle_default=1)
        await _settle(m)
        assert _pools(site / "data") == {nb: (1, 0) for nb in ("index.ipynb", NB, NB2)}
        room.write_session(room.new_session(5, [NB], room.now_utc()))
        await _settle(m)
        room.end_session()
        await _settle(m)
        assert _pools(site / "data") == {nb: (1, 0) for nb in ("index.ipynb", NB, NB2)}
        await m.shutdown_all()

    _run(go())


# -- the facilitator's panel ------------------------------------------------------------------
def _panel_parts(panel):
    import ipywidgets as ipw

    found: dict[str, list] = {}

    def walk(w) -> None:
        found.setdefault(type(w).__name__, []).append(w)
        for c in getattr(w, "children", ()):
            walk(c)

    walk(panel)
    buttons = {b.description: b for b in found["Button"]}
    boxes = {c.description: c for c in found.get("Checkbox", [])}
    html = [h for h in found["HTML"] if isinstance(h, ipw.HTML)]
    return found, buttons, boxes, html


def test_panel_starts_a_session_only_for_a_facilitator(kit_store, tmp_path, monkeypatch) -> None:
    from widgets.workshop.room_view import room_warmup

    monkeypatch.setenv("PAP_DATA_DIR", str(tmp_path))
    ws, key = kit_store.open_workshop("Room test")
    found, buttons, boxes, html = _panel_parts(room_warmup())
    assert "No session" in " ".join(h.value for h in html)
    title = next(iter(boxes))
    boxes[title].value = True
    found["BoundedIntText"][0].value = 12
    found["Text"][0].value = ws.code
    found["Password"][0].value = "not the key"
    buttons["Get ready for this room"].click()
    assert room.read_session(tmp_path).session is None
    assert "do not open a workshop" in " ".join(h.value for h in html)

    found["Password"][0].value = key
    buttons["Get ready for this room"].click()
    s = room.read_session(tmp_path).session
    assert s is not None and s.participants == 12 and len(s.modules) == 1
    # no server reports in this test: the panel says it waits, never "ready"
    shown = " ".join(h.value for h in html)
    assert "waiting for the server" in shown and "Ready for" not in shown

    buttons["End the session"].click()
    assert room.read_session(tmp_path).session is None


def test_panel_refuses_a_session_beyond_the_bounds(kit_store, tmp_path, monkeypatch) -> None:
    from widgets.workshop.room_view import room_warmup

    monkeypatch.setenv("PAP_DATA_DIR", str(tmp_path))
    ws, key = kit_store.open_workshop("Room test")
    found, buttons, boxes, html = _panel_parts(room_warmup())
    found["Text"][0].value, found["Password"][0].value = ws.code, key
    buttons["Get ready for this room"].click()  # no module chosen
    assert "at least one module" in " ".join(h.value for h in html)
    for b in list(boxes.values())[: MAX_ROOM_MODULES + 1]:
        b.value = True
    buttons["Get ready for this room"].click()
    assert f"at most {MAX_ROOM_MODULES} modules" in " ".join(h.value for h in html)
    assert room.read_session(tmp_path).session is None


def test_a_replaced_request_info_socket_closes_without_dropping_another_kernels() -> None:
    """Voila 0.5 dropped kernel k2's listener when k1's replaced socket closed (see room_pool)."""
    from voila.request_info_handler import RequestInfoSocketHandler as H

    import widgets.workshop.room_pool  # noqa: F401  (mends the handler on import)

    first, other, again = (object.__new__(H) for _ in range(3))
    saved = dict(H._waiters)
    try:
        H._waiters.clear()
        H._waiters.update({"k1": first, "k2": other})
        H._waiters["k1"] = again  # the kit's resolver opened k1's socket a second time
        first.on_close()
        assert H._waiters == {"k1": again, "k2": other}
        other.on_close()
        again.on_close()
        assert H._waiters == {}
    finally:
        H._waiters.clear()
        H._waiters.update(saved)

"""A room opening one module at the same moment: time to interactive, attribution, sizing figures.

Starts the kit's Voila as ``make app`` does (tests/support/voila.py: modules/, the kit's
voila.json with its room pool manager, a fresh SQLite file). For each room size N (default 10, 30,
60) it issues N personal links in the store, announces a session for N participants on the
module (the session file the facilitator dashboard writes), waits until the server reports N warm
kernels (**warm-up**), then lets the N participants open the module at once, each with their own
link, and save a first answer.

Each simulated participant does what a browser does for a Voila page, at the protocol level:
  1. GET /voila/render/<notebook>?p=<their token> (Voila hands over a warm kernel, which learns
     the address, so the visitor, from Voila's request-info socket);
  2. opens the kernel's websocket and sends ``kernel_info_request`` (as @jupyterlab/services
     does on connect) and a ``comm_info_request`` for ``jupyter.widget``;
  3. opens the ipywidgets control comm and sends ``request_states``; the ``update_states`` reply
     carries every widget model, so the page could now draw and be used: **time to interactive**;
  4. waits until the first reflection box is enabled (the kit enables it once it knows the
     visitor), types an answer naming the participant (a ``comm_msg`` ``update``, as the widget
     manager sends on input) and waits for the kit's "Saved at" message, which the kernel only
     sends once the store confirmed the save: **time to first save**;
  5. closes the page as a browser does (the ``beforeunload`` beacon to /voila/api/shutdown/<id>).
Alongside, a few real Chromium pages (default 2, also with their own links) open the same module
at the same moment and type a reflection, to confirm the figures describe what a person sees.

Afterwards every participant's answer is looked up in the store: **misattributed** counts answers
stored under another participant than the one whose page typed them (must be 0), **missing**
counts pages that showed "Saved at" with no such answer stored.

Printed for each N: warm-up time, time to interactive and to first save (min / median / p95 /
max), failures with their reason, misattributed and missing answers, peak server memory (RSS of
Voila and all its kernels, sampled every 0.5 s; shared pages are counted once per process, so it
overstates a little), server CPU seconds, and the kernels left once pages closed. Then a Markdown
table for the README and a sizing estimate. Loopback only; every wait is bounded; it stops by
itself. This run shortens kernel culling (30 s idle, checked every 10 s, instead of voila.json's
240 s / 60 s) so one room's closed pages are gone before the next room; it reports how long they
took to end. Figures from a shared or loaded machine say little about a school's server.

Run: make bench   (or .venv/bin/python tests/bench/bench_room.py --n 10 30 60 --browsers 2)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import statistics
import struct
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's widgets
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the browser tests' Chromium)
from support.voila import ROOT, VoilaServer  # noqa: E402

from widgets.store import ParticipantInfo, Store  # noqa: E402
from widgets.workshop import room as room_model  # noqa: E402

NOTEBOOK = "01_why_partnership.ipynb"
MAX_ROOM = 100  # a bound on what this script will simulate, whatever it is asked
# Tornado's client queues all but 10 requests by default; a room's requests go out together.
AsyncHTTPClient.configure(None, max_clients=MAX_ROOM + 10)
REFLECTION_PLACEHOLDERS = ("Loading your saved answer", "Type your thoughts here")
FIRST_WIDGET = (
    ".widget-button, .widget-textarea, .widget-dropdown, .widget-text, .widget-toggle-buttons, "
    ".widget-upload, .widget-checkbox"
)


@dataclass
class Result:
    kind: str  # "protocol" or "chromium"
    participant: int = 0  # the store's id of the participant whose link the page opened
    text: str = ""  # what the page typed
    interactive: float | None = None
    saved: float | None = None
    error: str = ""
    kernel_id: str = ""
    closed: str = ""  # how the server answered the page-closing beacon (protocol pages)
    timings: dict = field(default_factory=dict)
    stage: str = "the page's HTML"  # what the page was waiting for (named in a timeout)


# -- the Jupyter messaging protocol over the kernel websocket (legacy JSON framing) ------------
def _msg(session: str, channel: str, msg_type: str, content: dict, metadata: dict | None = None):
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "username": "bench",
            "session": session,
            "msg_type": msg_type,
            "version": "5.3",
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        },
        "parent_header": {},
        "metadata": metadata or {},
        "content": content,
        "channel": channel,
        "buffers": [],
    }


def _decode(frame: str | bytes) -> dict:
    """A websocket frame as a message: text is JSON; binary carries the JSON first, then buffers."""
    if isinstance(frame, str):
        return json.loads(frame)
    nbufs = struct.unpack("!I", frame[:4])[0]
    offsets = list(struct.unpack("!" + "I" * nbufs, frame[4 : 4 + 4 * nbufs]))
    end = offsets[1] if nbufs > 1 else len(frame)
    return json.loads(frame[offsets[0] : end].decode())


class Page:
    """One participant's page: its kernel websocket and what came back on it."""

    def __init__(self, ws, session: str):
        self.ws = ws
        self.session = session

    async def send(self, channel: str, msg_type: str, content: dict, metadata=None) -> str:
        m = _msg(self.session, channel, msg_type, content, metadata)
        await self.ws.write_message(json.dumps(m))
        return m["header"]["msg_id"]

    async def until(self, pred, deadline: float) -> dict:
        """Read messages until ``pred(msg)`` is true; TimeoutError at the deadline."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            frame = await asyncio.wait_for(self.ws.read_message(), left)
            if frame is None:
                raise ConnectionError("the kernel websocket closed")
            m = _decode(frame)
            if pred(m):
                return m


async def protocol_participant(
    base: str, nb: str, who: ParticipantInfo, text: str, timeout: float
) -> Result:
    r = Result("protocol", who.id, text)
    t0 = time.monotonic()
    deadline = t0 + timeout
    client = AsyncHTTPClient()
    try:
        resp = await client.fetch(
            HTTPRequest(
                f"{base}/voila/render/{nb}?p={who.token}",
                request_timeout=timeout,
                connect_timeout=30,
            )
        )
        r.timings["html"] = time.monotonic() - t0
        r.stage = "the kernel websocket"
        found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', resp.body.decode())
        if not found:
            raise RuntimeError("no kernel id in the page")
        r.kernel_id = found.group(1)
        xsrf = ""
        for c in resp.headers.get_list("Set-Cookie"):
            if c.startswith("_xsrf="):
                xsrf = c.split(";", 1)[0].split("=", 1)[1]
        session = uuid.uuid4().hex
        ws_url = base.replace("http://", "ws://") + (
            f"/api/kernels/{r.kernel_id}/channels?session_id={session}"
        )
        ws = await asyncio.wait_for(
            websocket_connect(ws_url, max_message_size=100 * 2**20), deadline - time.monotonic()
        )
        page = Page(ws, session)
        try:
            r.stage = "kernel_info_reply"
            await page.send("shell", "kernel_info_request", {})
            await page.until(lambda m: m["header"]["msg_type"] == "kernel_info_reply", deadline)
            r.stage = "comm_info_reply"
            await page.send("shell", "comm_info_request", {"target_name": "jupyter.widget"})
            await page.until(lambda m: m["header"]["msg_type"] == "comm_info_reply", deadline)
            control = uuid.uuid4().hex
            await page.send(
                "shell",
                "comm_open",
                {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
                {"version": "1.0.0"},
            )
            await page.send(
                "shell", "comm_msg", {"comm_id": control, "data": {"method": "request_states"}}
            )
            r.stage = "the widget states (update_states)"
            states = await page.until(
                lambda m: (
                    m["header"]["msg_type"] == "comm_msg"
                    and m["content"].get("comm_id") == control
                    and m["content"]["data"].get("method") == "update_states"
                ),
                deadline,
            )
            r.interactive = time.monotonic() - t0

            # The first reflection box, as the page shows it (enabled once the visitor is known).
            boxes = {
                mid: s["state"]
                for mid, s in states["content"]["data"]["states"].items()
                if s["model_name"] == "TextareaModel"
                and str(s["state"].get("placeholder", "")).startswith(REFLECTION_PLACEHOLDERS)
            }
            if not boxes:
                raise RuntimeError("no reflection box on the page")
            box = next(iter(boxes))
            if boxes[box].get("disabled"):
                r.stage = "the reflection box to be enabled (the page learning who it is)"
                await page.until(
                    lambda m: (
                        m["header"]["msg_type"] == "comm_msg"
                        and m["content"].get("comm_id") == box
                        and m["content"]["data"].get("state", {}).get("disabled") is False
                    ),
                    deadline,
                )
            await page.send(
                "shell",
                "comm_msg",
                {
                    "comm_id": box,
                    "data": {"method": "update", "state": {"value": text}, "buffer_paths": []},
                },
            )
            await page.until(
                lambda m: (
                    m["header"]["msg_type"] == "comm_msg"
                    and "Saved at" in str(m["content"]["data"].get("state", {}).get("value", ""))
                ),
                deadline,
            )
            r.saved = time.monotonic() - t0
        finally:
            ws.close()
            # What a browser does on closing the page (Voila's beforeunload beacon).
            try:
                body = f"_xsrf={xsrf}" if xsrf else ""
                headers = {"Content-Type": "application/x-www-form-urlencoded"}
                if xsrf:
                    headers["Cookie"] = f"_xsrf={xsrf}"
                bye = await client.fetch(
                    HTTPRequest(
                        f"{base}/voila/api/shutdown/{r.kernel_id}",
                        method="POST",
                        body=body,
                        headers=headers,
                        request_timeout=30,
                    ),
                    raise_error=False,
                )
                r.closed = str(bye.code) + ("" if xsrf else " (no _xsrf cookie was set)")
            except Exception as e:
                r.closed = type(e).__name__
    except TimeoutError:
        r.error = f"timed out after {timeout:.0f} s waiting for {r.stage}"
    except Exception as e:  # counted and shown: a failure is a result here
        r.error = f"{type(e).__name__}: {e}"[:200]
    return r


async def chromium_participant(
    browser, base: str, nb: str, who: ParticipantInfo, text: str, timeout: float
) -> Result:
    r = Result("chromium", who.id, text)
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = None
    try:
        page = await ctx.new_page()
        page.set_default_timeout(timeout * 1000)
        t0 = time.monotonic()
        await page.goto(f"{base}/voila/render/{nb}?p={who.token}")
        await page.wait_for_selector(FIRST_WIDGET, state="visible")
        r.interactive = time.monotonic() - t0
        await page.wait_for_function(
            "() => { const t = document.querySelector('.pap-reflection textarea');"
            " return t && !t.disabled; }"
        )
        await page.locator(".pap-reflection textarea").first.fill(text)
        await page.wait_for_selector("text=Saved at")
        r.saved = time.monotonic() - t0
    except Exception as e:
        r.error = f"{type(e).__name__}: {str(e).splitlines()[0]}"[:200]
    finally:
        if page is not None:  # closed as a person closes a tab: Voila's beacon ends the kernel
            await page.close(run_before_unload=True)
        await ctx.close()
    return r


# -- the server's memory and kernels ----------------------------------------------------------
def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def tree_rss(pid: int) -> int:
    total = 0
    for p in _tree(pid):
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def kernel_count(pid: int) -> int:
    n = 0
    for p in _tree(pid)[1:]:
        try:
            if "ipykernel" in " ".join(p.cmdline()):
                n += 1
        except psutil.Error:
            pass
    return n


class PeakSampler:
    """Samples the RSS of the server's process tree every ``every`` seconds in a thread."""

    def __init__(self, pid: int, every: float = 0.5):
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(self.every)

    def __enter__(self) -> PeakSampler:
        self._t.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._t.join(5)


# -- one room ----------------------------------------------------------------------------------
def text_for(who: ParticipantInfo) -> str:
    """The answer a participant's page types: it names the participant, to check attribution."""
    return f"Bench answer of participant {who.id} ({who.token[:6]})."


NAMED = re.compile(r"Bench answer of participant (\d+) ")


async def room(
    server: VoilaServer, people: list[ParticipantInfo], browsers: int, timeout: float
) -> list[Result]:
    cut = len(people) - browsers
    jobs = [
        protocol_participant(server.base, NOTEBOOK, w, text_for(w), timeout) for w in people[:cut]
    ]
    pw = browser = None
    if browsers:
        from playwright.async_api import async_playwright

        pw = await async_playwright().start()
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        jobs += [
            chromium_participant(browser, server.base, NOTEBOOK, w, text_for(w), timeout)
            for w in people[cut:]
        ]
    try:
        # Everyone at the same moment, as when a facilitator says "open module 1 now".
        return list(await asyncio.wait_for(asyncio.gather(*jobs), timeout + 60))
    finally:
        if browser is not None:
            await browser.close()
        if pw is not None:
            await pw.stop()


def attribution(store: Store, results: list[Result]) -> tuple[int, int]:
    """(misattributed, missing): answers under the wrong person; "Saved at" with nothing stored."""
    ids = {r.participant for r in results}
    misattributed, stored = 0, set()
    for row in store.answers():
        found = NAMED.search(json.dumps(row.value))
        if not found:
            continue
        named = int(found.group(1))
        if named not in ids and row.participant_id not in ids:
            continue  # another room's answer
        if named != row.participant_id:
            misattributed += 1
        else:
            stored.add((row.participant_id, text_for_id(row.value)))
    missing = sum(
        1 for r in results if r.saved is not None and (r.participant, r.text) not in stored
    )
    return misattributed, missing


def text_for_id(value: object) -> str:
    """The bench's answer inside a stored value (the reflection's text)."""
    raw = value if isinstance(value, str) else json.dumps(value)
    found = re.search(r"Bench answer of participant \d+ \([^)]*\)\.", raw)
    return found.group(0) if found else ""


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def _stats(xs: list[float]) -> str:
    if not xs:
        return "      -       -       -       -"
    xs = sorted(xs)
    return f"{xs[0]:7.1f} {statistics.median(xs):7.1f} {_pct(xs, 0.95):7.1f} {xs[-1]:7.1f}"


def _md_stats(xs: list[float]) -> str:
    if not xs:
        return "-"
    xs = sorted(xs)
    return f"{xs[0]:.1f} / {statistics.median(xs):.1f} / {_pct(xs, 0.95):.1f} / {xs[-1]:.1f}"


def _wait_kernels(pid: int, target: int, timeout: float) -> tuple[int, float]:
    t0 = time.monotonic()
    n = kernel_count(pid)
    while n > target and time.monotonic() - t0 < timeout:
        time.sleep(1)
        n = kernel_count(pid)
    return n, time.monotonic() - t0


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by the server and its live kernels."""
    total = 0.0
    for p in _tree(pid):
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def kernel_pss(pid: int) -> list[int]:
    """Proportional memory of each kernel (shared libraries split among the processes)."""
    out = []
    for p in _tree(pid)[1:]:
        try:
            if "ipykernel" in " ".join(p.cmdline()):
                out.append(p.memory_full_info().pss)
        except (psutil.Error, AttributeError):
            pass
    return out


def wait_warm(folder: Path, notebook: str, at_least: int, timeout: float) -> int:
    """Wait until the server reports ``at_least`` warm kernels for ``notebook``; returns warm."""
    deadline = time.monotonic() + timeout
    warm = 0
    while time.monotonic() < deadline:
        st = room_model.read_status(folder)
        p = st.pool(notebook) if st else None
        warm = p.warm if p else 0
        if warm >= at_least:
            break
        time.sleep(0.5)
    return warm


@dataclass
class RoomFigures:
    n: int
    warm_s: float | None
    warm_cpu: float
    warm_kernels: int
    results: list[Result]
    misattributed: int
    missing: int
    peak: int
    room_cpu: float
    left: int
    ended_after: float
    pss: list[int]


def run_room(server: VoilaServer, store: Store, work: Path, n: int, a, idle: tuple[int, int]):
    browsers = min(a.browsers, n)
    people = [store.issue_personal_link(f"Bench {n}-{i}") for i in range(n)]
    pid = server.proc.pid
    warm_s, warm, cpu0, pss = None, 0, tree_cpu(pid), []
    if not a.cold:
        t0 = time.monotonic()
        room_model.write_session(
            room_model.new_session(n, [NOTEBOOK], room_model.now_utc(), hours=1), work
        )
        warm = wait_warm(work, NOTEBOOK, n, a.warm_timeout)
        warm_s = time.monotonic() - t0 if warm >= n else None
    warm_cpu = tree_cpu(pid) - cpu0
    cpu1 = tree_cpu(pid)
    with PeakSampler(pid) as sampler:
        results = asyncio.run(room(server, people, browsers, a.timeout))
        room_cpu = tree_cpu(pid) - cpu1
        pss = kernel_pss(pid)  # the pages' kernels after a first save (and what is still warm)
        if not a.cold:
            room_model.end_session(work)
        left, ended_after = _wait_kernels(pid, idle[0], a.close_wait)
    mis, missing = attribution(store, results)
    return RoomFigures(
        n,
        warm_s,
        warm_cpu,
        warm,
        results,
        mis,
        missing,
        sampler.peak,
        room_cpu,
        left,
        ended_after,
        pss,
    )


def print_room(f: RoomFigures, idle_kernels: int) -> None:
    for kind in ("protocol", "chromium"):
        rs = [r for r in f.results if r.kind == kind]
        if not rs:
            continue
        ok = [r for r in rs if not r.error]
        print(
            f"{f.n:>4} {kind:9} {len(ok):>4} {len(rs) - len(ok):>4}   "
            f"{_stats([r.interactive for r in ok])}   {_stats([r.saved for r in ok])}"
        )
        for msg in sorted({r.error for r in rs if r.error}):
            print(f"{'':>10} failure x{sum(r.error == msg for r in rs)}: {msg}")
    beacons: dict[str, int] = {}
    for r in f.results:
        if r.closed:
            beacons[r.closed] = beacons.get(r.closed, 0) + 1
    warm = f"{f.warm_s:.1f} s" if f.warm_s is not None else f"not reached ({f.warm_kernels} warm)"
    print(
        f"{'':>10} warm-up {warm}, {f.warm_cpu:.0f} CPU-s; room {f.room_cpu:.0f} CPU-s; "
        f"misattributed {f.misattributed}, missing {f.missing}"
    )
    print(
        f"{'':>10} peak server RSS {f.peak / 2**30:.2f} GiB; page-closing beacons: {beacons}; "
        f"kernels {f.ended_after:.0f} s after the room: {f.left} (idle server: {idle_kernels})"
    )


def markdown(figs: list[RoomFigures], cold: bool) -> str:
    head = (
        "| participants at once | warm-up s | interactive s (min / median / p95 / max) "
        "| first save p95 s | failures | misattributed | peak server RSS |\n"
        "| --- | --- | --- | --- | --- | --- | --- |\n"
    )
    rows = []
    for f in figs:
        ok = [r for r in f.results if not r.error]
        warm = "none (no session)" if cold else (f"{f.warm_s:.0f}" if f.warm_s else "not reached")
        saves = [r.saved for r in ok if r.saved is not None]
        rows.append(
            f"| {f.n} | {warm} | {_md_stats([r.interactive for r in ok])} | "
            f"{_pct(saves, 0.95):.1f} | {len(f.results) - len(ok)} | {f.misattributed} | "
            f"{f.peak / 2**30:.1f} GiB |"
            if saves
            else f"| {f.n} | {warm} | - | - | {len(f.results) - len(ok)} | "
            f"{f.misattributed} | {f.peak / 2**30:.1f} GiB |"
        )
    return head + "\n".join(rows)


def sizing(figs: list[RoomFigures], idle_rss: int) -> str:
    """Memory and CPU per participant, and how many a 4/8/16 GB server holds (one module warm)."""
    pss = [x for f in figs for x in f.pss]
    if not pss:
        return "(no warm kernels measured: no sizing)"
    per = statistics.median(pss)
    cpu_per_kernel = [f.warm_cpu / f.warm_kernels for f in figs if f.warm_kernels]
    cpu_room = [f.room_cpu / f.n for f in figs if f.n]
    lines = [
        f"memory per participant (one kernel after a first save, proportional set size, median): "
        f"{per / 2**20:.0f} MB; idle server {idle_rss / 2**20:.0f} MB",
        f"CPU per participant: warming a kernel {statistics.median(cpu_per_kernel):.1f} CPU-s "
        f"(done before the room arrives); opening the page and a first save "
        f"{statistics.median(cpu_room):.1f} CPU-s",
        "",
        "| school server memory | participants at once (one module warm, 10% spare) |",
        "| --- | --- |",
    ]
    for gb in (4, 8, 16):
        free = gb * 2**30 - 1.5 * 2**30 - idle_rss  # the system, a database, Voila itself
        lines.append(f"| {gb} GB | about {int(free / (per * 1.1))} |")
    lines.append(
        "(memory only: on 2 cores the warm-up of a kernel costs the CPU-s above, so warming "
        "for N people takes about N x that / cores seconds)"
    )
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", "--sizes", dest="sizes", type=int, nargs="+", default=[10, 30, 60])
    ap.add_argument("--browsers", type=int, default=2, help="real Chromium pages in each room")
    ap.add_argument("--timeout", type=float, default=120, help="per participant, seconds")
    ap.add_argument("--warm-timeout", type=float, default=240, help="warm-up bound, seconds")
    ap.add_argument(
        "--close-wait", type=float, default=90, help="bound on waiting for closed pages' kernels"
    )
    ap.add_argument(
        "--cold", action="store_true", help="announce no session: pages start their kernels"
    )
    ap.add_argument(
        "--voila-arg",
        action="append",
        default=[],
        help="an extra Voila command-line setting to compare against voila.json (repeatable)",
    )
    ap.add_argument("--keep", action="store_true", help="keep Voila's log and data folder")
    a = ap.parse_args()
    sizes = [max(1, min(n, MAX_ROOM)) for n in a.sizes]
    sys.stdout.reconfigure(line_buffering=True)  # figures reach a log file as they come

    work = Path(tempfile.mkdtemp(prefix="pap-room-"))
    culling = [
        "--MappingKernelManager.cull_idle_timeout=30",
        "--MappingKernelManager.cull_interval=10",
    ]
    server = VoilaServer(
        ROOT / "modules", work, extra_args=[*culling, *a.voila_arg], warm_every_notebook=False
    )
    store = Store(f"sqlite:///{work / 'answers.sqlite'}")
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    try:
        t0 = time.monotonic()
        server.wait_ready(180)
        wait_warm(work, "index.ipynb", 1, 120)
        start_s = time.monotonic() - t0
        time.sleep(3)
        idle = (kernel_count(server.proc.pid), tree_rss(server.proc.pid))
        print(
            f"bench_room {started}; {psutil.cpu_count()} CPUs, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB, load average "
            f"{' '.join(f'{x:.1f}' for x in psutil.getloadavg())} at the start"
        )
        print(
            f"Voila (make app settings{'; changed: ' + ' '.join(a.voila_arg) if a.voila_arg else ''};"
            f" culling 30 s for this run) ready in {start_s:.1f} s; idle with no session: "
            f"{idle[0]} kernel(s), {idle[1] / 2**30:.2f} GiB RSS"
        )
        print(
            f"notebook: {NOTEBOOK}; {'no session (cold)' if a.cold else 'session warm-up per room'}; "
            f"per-participant timeout {a.timeout:.0f} s\n"
        )
        print(
            f"{'N':>4} {'kind':9} {'ok':>4} {'fail':>4}   interactive s min/med/p95/max   "
            "first save s min/med/p95/max"
        )
        figs = []
        for n in sizes:
            f = run_room(server, store, work, n, a, idle)
            figs.append(f)
            print_room(f, idle[0])
        print(
            f"\nMarkdown for the README (measured {started}, {psutil.cpu_count()} CPUs; "
            "compare runs on the same machine only):\n"
        )
        print(markdown(figs, a.cold))
        print()
        print(sizing(figs, idle[1]))
    finally:
        store.dispose()
        server.stop()
        # Kernels Voila did not stop itself (it is gone now) are ended by their own ids.
        for p in [p for p in psutil.process_iter(["cmdline"]) if _orphan_of(p, work)]:
            try:
                p.kill()
            except psutil.Error:
                pass
        if a.keep:
            print(f"Voila's log: {server.log_path}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _orphan_of(p: psutil.Process, work: Path) -> bool:
    """A kernel this run started: its environment carries this run's data folder."""
    try:
        return "ipykernel" in " ".join(p.info["cmdline"] or []) and p.environ().get(
            "PAP_DATA_DIR"
        ) == str(work)
    except psutil.Error:
        return False


if __name__ == "__main__":
    sys.exit(main())

"""A room opening one module at the same moment: time to interactive, failures, server memory.

Starts the kit's Voila as ``make app`` does (tests/support/voila.py: modules/, the kit's
voila.json, preheated kernels, a fresh SQLite file), waits for its warm-up, then for each room size
N (default 10, 30, 60) lets N participants open the same notebook at once and save a first answer.

Each simulated participant does what a browser does for a Voila page, at the protocol level:
  1. GET /voila/render/<notebook> (Voila runs the notebook, or hands over a preheated kernel);
  2. opens the kernel's websocket and sends ``kernel_info_request`` (as @jupyterlab/services
     does on connect) and a ``comm_info_request`` for ``jupyter.widget``;
  3. opens the ipywidgets control comm and sends ``request_states``; the ``update_states`` reply
     carries every widget model, so the page could now draw and be used: **time to interactive**;
  4. types into the first reflection box (a ``comm_msg`` ``update`` of the Textarea's value, as
     the widget manager sends on input) and waits for the kit's "Saved at" message, which the
     kernel only sends once the store confirmed the save: **time to first save**;
  5. closes the page as a browser does (the ``beforeunload`` beacon to /voila/api/shutdown/<id>).
Alongside, a few real Chromium pages (default 2) open the same notebook at the same moment and
type a reflection, to confirm the figures describe what a person sees.

Printed for each N: time to interactive and to first save (min / median / p95 / max), failures
with their reason, peak server memory (RSS of Voila and all its kernels, sampled every 0.5 s) and
how many kernels were left once every page was closed. Also the warm-up (start to every pool
filled) and the idle server's memory. Loopback only; every wait is bounded; it stops by itself.
Figures from a shared or loaded machine say little about a school's server: compare like with like.

Run: make bench   (or .venv/bin/python tests/bench/bench_room.py --sizes 10 30 60 --browsers 2)
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
from support.voila import ROOT, VoilaServer  # noqa: E402

NOTEBOOK = "01_why_partnership.ipynb"
MAX_ROOM = 100  # a bound on what this script will simulate, whatever it is asked
# Tornado's client queues all but 10 requests by default; a room's requests go out together.
AsyncHTTPClient.configure(None, max_clients=MAX_ROOM + 10)
REFLECTION_PLACEHOLDERS = ("Loading your saved answer", "Type your thoughts here")
FIRST_WIDGET = (
    ".widget-button, .widget-textarea, .widget-dropdown, .widget-text, .widget-toggle-buttons, "
    ".widget-upload, .widget-checkbox"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-sync",
    "--disable-component-update",
    "--no-first-run",
]


@dataclass
class Result:
    kind: str  # "protocol" or "chromium"
    interactive: float | None = None
    saved: float | None = None
    error: str = ""
    kernel_id: str = ""
    closed: str = ""  # how the server answered the page-closing beacon (protocol pages)
    timings: dict = field(default_factory=dict)


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


async def protocol_participant(base: str, nb: str, text: str, timeout: float) -> Result:
    r = Result("protocol")
    t0 = time.monotonic()
    deadline = t0 + timeout
    client = AsyncHTTPClient()
    try:
        resp = await client.fetch(
            HTTPRequest(f"{base}/voila/render/{nb}", request_timeout=timeout, connect_timeout=30)
        )
        r.timings["html"] = time.monotonic() - t0
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
            await page.send("shell", "kernel_info_request", {})
            await page.until(lambda m: m["header"]["msg_type"] == "kernel_info_reply", deadline)
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
            states = await page.until(
                lambda m: m["header"]["msg_type"] == "comm_msg"
                and m["content"].get("comm_id") == control
                and m["content"]["data"].get("method") == "update_states",
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
                await page.until(
                    lambda m: m["header"]["msg_type"] == "comm_msg"
                    and m["content"].get("comm_id") == box
                    and m["content"]["data"].get("state", {}).get("disabled") is False,
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
                lambda m: m["header"]["msg_type"] == "comm_msg"
                and "Saved at" in str(m["content"]["data"].get("state", {}).get("value", "")),
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
        r.error = f"timed out after {timeout:.0f} s"
    except Exception as e:  # counted and shown: a failure is a result here
        r.error = f"{type(e).__name__}: {e}"[:200]
    return r


async def chromium_participant(browser, base: str, nb: str, text: str, timeout: float) -> Result:
    r = Result("chromium")
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = None
    try:
        page = await ctx.new_page()
        page.set_default_timeout(timeout * 1000)
        t0 = time.monotonic()
        await page.goto(f"{base}/voila/render/{nb}")
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
async def room(server: VoilaServer, n: int, browsers: int, timeout: float) -> list[Result]:
    jobs = [
        protocol_participant(server.base, NOTEBOOK, f"Participant {i} reflects.", timeout)
        for i in range(n - browsers)
    ]
    pw = browser = None
    if browsers:
        from playwright.async_api import async_playwright

        pw = await async_playwright().start()
        browser = await pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
        )
        jobs += [
            chromium_participant(browser, server.base, NOTEBOOK, f"Chromium {i} reflects.", timeout)
            for i in range(browsers)
        ]
    try:
        # Everyone at the same moment, as when a facilitator says "open module 1 now".
        return list(await asyncio.wait_for(asyncio.gather(*jobs), timeout + 60))
    finally:
        if browser is not None:
            await browser.close()
        if pw is not None:
            await pw.stop()


def _stats(xs: list[float]) -> str:
    if not xs:
        return "      -       -       -       -"
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]
    return f"{xs[0]:7.1f} {statistics.median(xs):7.1f} {p95:7.1f} {xs[-1]:7.1f}"


def _wait_kernels(pid: int, target: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    n = kernel_count(pid)
    while n > target and time.monotonic() < deadline:
        time.sleep(1)
        n = kernel_count(pid)
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 60])
    ap.add_argument("--browsers", type=int, default=2, help="real Chromium pages in each room")
    ap.add_argument("--timeout", type=float, default=300, help="per participant, seconds")
    ap.add_argument(
        "--voila-arg",
        action="append",
        default=[],
        help="an extra Voila command-line setting to compare against voila.json (repeatable)",
    )
    ap.add_argument(
        "--voila-json",
        type=Path,
        help="run Voila with this voila.json instead of the kit's (to compare settings)",
    )
    ap.add_argument("--keep", action="store_true", help="keep Voila's log and data folder")
    a = ap.parse_args()
    sizes = [max(1, min(n, MAX_ROOM)) for n in a.sizes]

    work = Path(tempfile.mkdtemp(prefix="pap-room-"))
    t_start = time.monotonic()
    cwd = None
    if a.voila_json:
        cwd = work / "config"
        cwd.mkdir()
        shutil.copy(a.voila_json, cwd / "voila.json")
    server = VoilaServer(ROOT / "modules", work, extra_args=a.voila_arg, cwd=cwd)
    notebooks = sorted(p.name for p in (ROOT / "modules").glob("*.ipynb"))
    try:
        server.wait_ready(180)
        server.wait_pools_filled(notebooks, 600)
        warm = time.monotonic() - t_start
        time.sleep(3)
        idle_kernels = kernel_count(server.proc.pid)
        idle_rss = tree_rss(server.proc.pid)
        print(
            f"Voila ({'settings changed for comparison' if a.voila_json or a.voila_arg else 'make app settings'}) "
            f"on loopback: warm-up {warm:.1f} s to fill "
            f"{len(notebooks)} kernel pools; idle: {idle_kernels} kernels, "
            f"{idle_rss / 2**30:.2f} GiB RSS"
        )
        print(f"notebook: {NOTEBOOK}; per-participant timeout {a.timeout:.0f} s\n")
        head = f"{'N':>4} {'kind':9} {'ok':>4} {'fail':>4}   interactive s min/med/p95/max   first save s min/med/p95/max"
        print(head)
        summary = []
        for n in sizes:
            browsers = min(a.browsers, n)
            with PeakSampler(server.proc.pid) as sampler:
                results = asyncio.run(room(server, n, browsers, a.timeout))
                left = _wait_kernels(server.proc.pid, idle_kernels, 90)
            for kind in ("protocol", "chromium"):
                rs = [r for r in results if r.kind == kind]
                if not rs:
                    continue
                ok = [r for r in rs if not r.error]
                print(
                    f"{n:>4} {kind:9} {len(ok):>4} {len(rs) - len(ok):>4}   "
                    f"{_stats([r.interactive for r in ok])}   {_stats([r.saved for r in ok])}"
                )
                for msg in sorted({r.error for r in rs if r.error}):
                    print(f"{'':>10} failure x{sum(r.error == msg for r in rs)}: {msg}")
            beacons: dict[str, int] = {}
            for r in results:
                if r.closed:
                    beacons[r.closed] = beacons.get(r.closed, 0) + 1
            print(f"{'':>10} page-closing beacons answered: {beacons}")
            summary.append((n, sampler.peak, left))
            print(
                f"{'':>10} peak server RSS {sampler.peak / 2**30:.2f} GiB; "
                f"kernels 90 s after every page closed: {left} (idle server: {idle_kernels})"
            )
        print(
            "\nA figure from a shared or busy machine says little about a school's server; "
            "compare runs on the same machine only."
        )
    finally:
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

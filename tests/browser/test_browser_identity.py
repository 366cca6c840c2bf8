"""Identity in real Voila + Chromium: a kit shared on a network, and a request-info socket that
stalls.

Both servers bind to 127.0.0.1 like every test server; the "network" one only differs in what the
kit is told (``PAP_SERVER_HOST=0.0.0.0``, as ``make app HOST=0.0.0.0`` sets it). The stalled one
points its kernels' request-info socket (``VOILA_APP_IP``) at a loopback relay on 127.0.0.2 that
first accepts and never answers, as a busy server does, and later passes traffic through.
"""

from __future__ import annotations

import re
import socket
import threading
from pathlib import Path

import pytest
from conftest import assert_no_error_text, open_app
from support.voila import ROOT, VoilaServer

from widgets.store import Store

pytestmark = pytest.mark.browser

NOTEBOOKS = [
    "index.ipynb",
    "01_why_partnership.ipynb",
    "my_record.ipynb",
    "facilitator_dashboard.ipynb",
]


def _notebook_dir(tmp: Path) -> Path:
    """A folder with the few notebooks these tests open, so preheating stays short."""
    d = tmp / "modules"
    d.mkdir()
    for nb in NOTEBOOKS:
        (d / nb).symlink_to(ROOT / "modules" / nb)
    return d


def _start(tmp: Path, **kwargs) -> tuple[VoilaServer, Path]:
    data = tmp / "data"
    data.mkdir()
    server = VoilaServer(_notebook_dir(tmp), data, **kwargs)
    return server, data


def _db(data: Path) -> Store:
    return Store(f"sqlite:///{data / 'answers.sqlite'}")


def _new_page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(180_000)
    return ctx, page


def _bar(page) -> str:
    page.wait_for_selector(".pap-record-bar:not(.pap-record-waiting)")
    return page.inner_text(".pap-record-bar")


def _reflect(page, text: str) -> None:
    page.wait_for_function(
        "() => { const t = document.querySelector('.pap-reflection textarea'); return t && !t.disabled; }"
    )
    page.locator(".pap-reflection textarea").first.fill(text)
    page.wait_for_selector("text=Saved at")


@pytest.fixture(scope="module")
def network_server(tmp_path_factory):
    server, data = _start(tmp_path_factory.mktemp("net"), server_host="0.0.0.0")
    server.wait_ready()
    server.wait_pools_filled(NOTEBOOKS, 300)
    yield server.base, data
    server.stop()


def test_network_server_gives_everyone_their_own_record(network_server, browser):
    base, data = network_server
    contexts = []
    try:
        # The facilitator opens a workshop.
        ctx, fac = _new_page(browser)
        contexts.append(ctx)
        open_app(fac, base, "facilitator_dashboard.ipynb")
        fac.get_by_placeholder("e.g. Autumn staff PD").fill("Network workshop")
        fac.get_by_role("button", name="Open a new workshop").click()
        code = fac.locator(".pap-code").inner_text(timeout=60_000).strip()

        # Two participants join and write.
        texts = {"Amira": "Amira's own thought", "": "An anonymous thought"}
        for name, text in texts.items():
            ctx, p = _new_page(browser)
            contexts.append(ctx)
            open_app(p, base, "index.ipynb")
            p.get_by_placeholder("e.g. K7QX2M").fill(code)
            if name:
                p.get_by_placeholder("optional").fill(name)
            p.get_by_role("button", name="Join workshop").click()
            p.wait_for_selector("a.pap-personal-link")
            assert f"workshop {code}" in _bar(p)
            p.locator("a.pap-tile[data-notebook='01_why_partnership.ipynb']").click()
            p.wait_for_url(re.compile(r".*01_why_partnership\.ipynb\?p=p-"))
            assert ("Amira" if name else "anonymous participant") in _bar(p)
            _reflect(p, text)

        db = _db(data)
        try:
            before = db.count_participants()
            # A visitor with no link: a module page saves nothing and says where to go.
            ctx, v = _new_page(browser)
            contexts.append(ctx)
            open_app(v, base, "01_why_partnership.ipynb")
            assert "Not saving" in _bar(v) and "own record" in _bar(v)
            assert v.locator(".pap-reflection textarea").first.is_disabled()
            assert db.count_participants() == before
            # ... and on the landing page starts their own record, never a shared one.
            mine = []
            for _ in range(2):
                ctx, v = _new_page(browser)
                contexts.append(ctx)
                open_app(v, base, "index.ipynb")
                assert "Not saving" in _bar(v)
                v.get_by_role("button", name="Start my own record").click()
                link = v.locator("a.pap-personal-link").get_attribute("href")
                assert re.fullmatch(r"index\.ipynb\?p=p-[A-Za-z0-9_-]{22,}", link)
                assert "your own record (personal link)" in _bar(v)
                v.locator("a.pap-tile[data-notebook='01_why_partnership.ipynb']").click()
                v.wait_for_url(re.compile(r".*01_why_partnership\.ipynb\?p=p-"))
                _reflect(v, f"solo thought {len(mine)}")
                mine.append(link.split("p=")[1])
            assert mine[0] != mine[1]
            assert db.count_participants() == before + 2

            # A forged link: a plain message, and no record appears.
            for forged in ["solo-alice", "p-" + "A" * 22]:
                ctx, f = _new_page(browser)
                contexts.append(ctx)
                open_app(f, base, "01_why_partnership.ipynb", f"p={forged}")
                assert "does not open a record" in _bar(f)
                assert f.locator(".pap-reflection textarea").first.is_disabled()
                assert_no_error_text(f)
            assert db.count_participants() == before + 2

            # Every answer is in its writer's record and nowhere else.
            rows = db.answers(module="why-partnership", item_prefix="reflection:")
            by_token = {r.participant_token: r.value["text"] for r in rows}
            assert sorted(by_token.values()) == sorted(
                [*texts.values(), "solo thought 0", "solo thought 1"]
            )
            assert by_token[mine[0]] == "solo thought 0" and by_token[mine[1]] == "solo thought 1"
            assert not any(t.startswith("solo-") for t in by_token)  # no shared record at all
        finally:
            db.dispose()
    finally:
        for c in contexts:
            c.close()


class Relay:
    """A loopback relay on 127.0.0.2 in front of Voila's port: stalls, then passes through."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.passing = threading.Event()
        self.sock = socket.create_server(("127.0.0.2", port))
        self.sock.settimeout(0.2)
        self.held: list[socket.socket] = []
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                c, _ = self.sock.accept()
            except OSError:
                continue
            if not self.passing.is_set():
                self.held.append(c)  # accept, never answer: the handshake times out
                continue
            up = socket.create_connection(("127.0.0.1", self.port))
            for a, b in ((c, up), (up, c)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        for c in self.held:
            c.close()
        self.sock.close()


@pytest.fixture(scope="module")
def stalled_server(tmp_path_factory):
    server, data = _start(tmp_path_factory.mktemp("stall"), extra_env={"VOILA_APP_IP": "127.0.0.2"})
    relay = Relay(server.port)
    server.wait_ready()
    server.wait_pools_filled(NOTEBOOKS, 300)
    yield server.base, data, relay
    relay.close()
    server.stop()


def test_stalled_request_info_saves_nothing_until_try_again_succeeds(stalled_server, page):
    base, data, relay = stalled_server
    open_app(page, base, "01_why_partnership.ipynb")
    page.wait_for_selector(".pap-record-not")  # after two stalled tries the page says so
    bar = page.inner_text(".pap-record-bar")
    assert "Not saving" in bar and "Nothing you type here is saved" in bar
    assert page.locator(".pap-reflection textarea").first.is_disabled()
    assert_no_error_text(page)
    db = _db(data)
    try:
        assert db.answers() == []
        relay.passing.set()  # the server has its breath back
        page.locator(".pap-record button", has_text="Try again").click()
        page.wait_for_selector(".pap-record-saving")
        assert "your own record on this computer" in page.inner_text(".pap-record-bar")
        _reflect(page, "written after the retry")
        rows = db.answers()
        assert [(r.participant_token.startswith("solo-"), r.value["text"]) for r in rows] == [
            (True, "written after the retry")
        ]
    finally:
        db.dispose()

"""Who a page saves for: only issued links, hub or proxy logins, or loopback; otherwise nothing.

The request-info tests run a real socket that stalls the websocket handshake, which is what
Voila's request-info socket does under load (its own helper then gives up after five seconds and
the page used to fall back to the solo record).
"""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time

import ipywidgets as ipw
import pytest
from support.widget_tree import walk as _walk

from widgets import identity, store
from widgets.identity import VisitorUnknown, visitor_from_request

VOILA = {"VOILA_APP_PORT": "8866", "VOILA_BASE_URL": "/", "VOILA_SERVER_URL": "/"}


@pytest.fixture()
def env(kit_store, monkeypatch):
    """A clean identity environment: not under Voila, no hub, no login header."""
    for k in (
        "JUPYTERHUB_USER",
        "PAP_SERVER_HOST",
        "PAP_USER_HEADER",
        "VOILA_APP_PORT",
        "VOILA_BASE_URL",
        "VOILA_SERVER_URL",
        "VOILA_REQUEST_URL",
        "VOILA_KERNEL_ID",
        "VOILA_APP_IP",
        "SERVER_NAME",
    ):
        monkeypatch.delenv(k, raising=False)
    return kit_store


# -- tokens ------------------------------------------------------------------------------------


def test_issued_tokens_are_random_128_bits_and_never_from_a_name(env):
    ws, _ = env.open_workshop("W")
    a = env.join_workshop(ws.code, "Amira")
    b = env.join_workshop(ws.code, "Amira")
    mine = env.issue_personal_link("Amira")
    for p in (a, b, mine):
        body = p.token.removeprefix("p-")
        assert p.token.startswith("p-") and len(body) >= 22  # 16 bytes -> 22 url-safe chars
        assert "amira" not in p.token.lower()
    assert len({a.token, b.token, mine.token}) == 3


def test_a_link_opens_its_own_record(env):
    ws, _ = env.open_workshop("W")
    p = env.join_workshop(ws.code, "Amira")
    v = identity.visitor_from_query(f"p={p.token}&x=1")
    assert v.id == p.id and v.saving_to == f"Amira · workshop {ws.code}"
    mine = env.issue_personal_link()
    v2 = identity.visitor_from_query(f"p={mine.token}")
    assert v2.id == mine.id and v2.saving_to == "your own record (personal link)"
    assert identity.page_link("a.ipynb", v2) == f"a.ipynb?p={mine.token}"


@pytest.mark.parametrize(
    "token",
    [
        "solo-alice",
        "alice",
        "p-abc",
        "p-" + "A" * 22,  # the right shape, never issued
        "login-bob",
        "p-" + secrets.token_urlsafe(16) + "'--",
    ],
)
def test_forged_or_unknown_links_open_nothing_and_create_nothing(env, token):
    env.participant("solo-alice")  # Alice's record exists; a link naming it must not open it
    before = env.count_participants()
    with pytest.raises(VisitorUnknown) as e:
        identity.visitor_from_query(f"p={token}")
    assert e.value.reason == "bad-link" and not e.value.retry
    assert "does not open a record" in str(e.value)
    assert env.count_participants() == before


def test_fifty_random_links_create_no_rows(env):
    before = env.count_participants()
    for _ in range(50):
        with pytest.raises(VisitorUnknown):
            identity.visitor_from_query("p=p-" + secrets.token_urlsafe(16))
    assert env.count_participants() == before


def test_old_96_bit_workshop_links_still_work_but_old_forged_rows_do_not(env):
    ws, _ = env.open_workshop("W")
    # A workshop link issued before this change: p- + token_urlsafe(12) (96 bits).
    legacy = env.participant("p-" + secrets.token_urlsafe(12), "Ana", ws.id)
    assert identity.visitor_from_query(f"p={legacy.token}").id == legacy.id
    # The old code created a record for any ?p= it was given; such rows have no workshop and
    # were never issued, so they open nothing now.
    forged = env.participant("p-" + "x" * 20)
    with pytest.raises(VisitorUnknown):
        identity.visitor_from_query(f"p={forged.token}")


# -- loopback, network, hub, login header -----------------------------------------------------------


def test_plain_jupyter_kernel_uses_the_record_of_this_computer(env):
    v = identity.visitor_from_query("")
    assert v.participant.token.startswith("solo-") and v.saving_to == (
        "your own record on this computer"
    )


@pytest.mark.parametrize(
    ("host", "info", "shared"),
    [
        ("127.0.0.1", {}, True),
        ("localhost", {"SERVER_NAME": "localhost"}, True),
        ("::1", {"SERVER_NAME": "[::1]"}, True),
        ("127.0.0.1", {"SERVER_NAME": "127.0.0.1"}, True),
        (None, {}, False),  # unset: not sure, so no shared record
        ("", {}, False),
        ("0.0.0.0", {}, False),
        ("192.168.1.20", {}, False),
        ("school-server", {}, False),
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "10.0.0.7"}, False),  # behind a proxy
        ("127.0.0.1", {"HTTP_FORWARDED": "for=10.0.0.7"}, False),
        ("127.0.0.1", {"SERVER_NAME": "pd.school.example"}, False),
    ],
)
def test_shared_record_only_on_loopback(host, info, shared):
    environ = dict(VOILA)
    if host is not None:
        environ["PAP_SERVER_HOST"] = host
    assert identity.shared_record_allowed(info, environ) is shared


def test_network_server_without_a_link_saves_nothing_and_creates_nothing(env):
    before = env.count_participants()
    for host in (None, "0.0.0.0"):
        environ = dict(VOILA, **({"PAP_SERVER_HOST": host} if host else {}))
        with pytest.raises(VisitorUnknown) as e:
            visitor_from_request({"QUERY_STRING": ""}, env, environ)
        assert e.value.reason == "no-record" and "Start your own record" in str(e.value)
    assert env.count_participants() == before
    v = visitor_from_request({}, env, dict(VOILA, PAP_SERVER_HOST="127.0.0.1"))
    assert v.source == "computer"


def test_hub_user_keeps_the_solo_token_and_a_link_cannot_open_it(env):
    environ = dict(VOILA, JUPYTERHUB_USER="alice")
    v = visitor_from_request({}, env, environ)
    assert v.participant.token == "solo-alice" and v.saving_to == "alice (JupyterHub login)"
    env.save(v.id, "m", "i", "alice's answer")
    with pytest.raises(VisitorUnknown):
        visitor_from_request({"QUERY_STRING": "p=solo-alice"}, env, dict(VOILA))
    assert visitor_from_request({}, env, environ).id == v.id  # same record next time


def test_login_header_from_an_authenticating_proxy(env):
    environ = dict(VOILA, PAP_USER_HEADER="X-Remote-User")
    v = visitor_from_request({"HTTP_X_REMOTE_USER": "bob@school.example"}, env, environ)
    assert v.saving_to == "bob@school.example (school login)" and v.source == "login"
    again = visitor_from_request({"HTTP_X_REMOTE_USER": "bob@school.example"}, env, environ)
    assert again.id == v.id
    other = visitor_from_request({"HTTP_X_REMOTE_USER": "carol"}, env, environ)
    assert other.id != v.id
    long_name = "u" * 200
    assert (
        len(visitor_from_request({"HTTP_X_REMOTE_USER": long_name}, env, environ).participant.token)
        <= 80
    )
    before = env.count_participants()
    with pytest.raises(VisitorUnknown) as e:  # header expected but missing: no shared record
        visitor_from_request({}, env, dict(environ, PAP_SERVER_HOST="127.0.0.1"))
    assert e.value.reason == "no-login" and env.count_participants() == before


def test_store_down_means_not_saving_never_a_fallback(env, monkeypatch):
    class Down:
        def __getattr__(self, name):
            def fail(*a, **k):
                raise ConnectionError("database is down")

            return fail

    monkeypatch.setattr(identity, "get_store", lambda: Down())
    with pytest.raises(VisitorUnknown) as e:
        identity.current_visitor()
    assert e.value.reason == "store" and e.value.retry
    monkeypatch.undo()


# -- the request-info socket --------------------------------------------------------------------


class StallingSocket:
    """Listens on a loopback port and accepts connections but never answers: a websocket
    handshake to it times out, as Voila's request-info socket does when the server is busy."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.conns: list[socket.socket] = []
        self._stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        self.sock.settimeout(0.1)
        while not self._stop:
            try:
                c, _ = self.sock.accept()
                self.conns.append(c)
            except OSError:
                continue

    def close(self) -> None:
        self._stop = True
        self.thread.join(2)
        for c in self.conns:
            c.close()
        self.sock.close()


@pytest.fixture()
def preheated(env, monkeypatch):
    """A kernel as Voila preheats it, whose request-info socket stalls."""
    stall = StallingSocket()
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_APP_PORT", str(stall.port))
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")
    monkeypatch.setenv("PAP_SERVER_HOST", "127.0.0.1")  # a loopback server: the solo record
    monkeypatch.setattr(identity, "OPEN_TIMEOUT", 0.3)
    monkeypatch.setattr(identity, "ATTEMPTS_BEFORE_UNKNOWN", 2)
    monkeypatch.setattr(identity, "MAX_ATTEMPTS", 2)
    monkeypatch.setattr(identity, "RETRY_PAUSE", 0.01)
    yield stall
    stall.close()


def _wait(pred, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_voilas_own_helper_turns_a_stalled_socket_into_no_query(preheated):
    """The bug: voila.utils.get_query_string gives up and looks like a visit with no link."""
    from voila.utils import get_query_string

    assert not get_query_string()  # None or "": indistinguishable from "no ?p= given"


def test_stalled_request_info_saves_nothing_and_says_so(preheated):
    from widgets.reflection import reflect

    # The record the old code fell back to: nothing may reach it.
    solo = store.get_store().participant(f"solo-{identity._login_name()}")
    store.get_store().save(solo.id, "m", "reflection:k", {"prompt": "P", "text": "theirs"})
    before = store.get_store().count_participants()
    called, unknown = [], []
    box = reflect("m", "k", "P")
    identity.when_known(called.append, unknown.append)
    assert identity._resolver is not None
    with pytest.raises(VisitorUnknown) as e:
        identity.current_visitor()  # blocks until settled: not known
    assert e.value.reason == "no-request" and e.value.retry
    assert "Not saving" in str(e.value) and "Try again" in str(e.value)
    _wait(lambda: unknown)
    assert called == []  # never a fallback visitor
    area = next(w for w in _walk(box) if isinstance(w, ipw.Textarea))
    assert area.disabled  # nothing can be typed into someone else's record
    assert store.get_store().count_participants() == before
    assert store.get_store().get(solo.id, "m", "reflection:k")["text"] == "theirs"


def test_try_again_gets_the_visitor_once_the_socket_answers(preheated, monkeypatch):
    from websockets.sync.server import serve

    from widgets.record_bar import record_bar

    mine = store.get_store().issue_personal_link()
    bar = record_bar()
    called = []
    identity.when_known(lambda v: called.append(v.participant.token))
    _wait(lambda: "Not saving" in bar.children[0].value)
    assert "Try again" in [w.description for w in _walk(bar) if isinstance(w, ipw.Button)]
    assert called == []

    # The server recovers: a real websocket endpoint now sends the request info.
    def handler(ws):
        ws.send(json.dumps({"QUERY_STRING": f"p={mine.token}", "SERVER_NAME": "localhost"}))

    preheated.close()
    with serve(handler, "127.0.0.1", 0) as server:
        port = server.socket.getsockname()[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        monkeypatch.setenv("VOILA_APP_PORT", str(port))
        button = next(w for w in _walk(bar) if isinstance(w, ipw.Button))
        button.click()
        _wait(lambda: called)
        server.shutdown()
    assert called == [mine.token]
    assert "Saving to: <b>your own record (personal link)</b>" in bar.children[0].value
    assert identity.current_visitor().id == mine.id


def test_record_bar_for_a_known_visitor_and_for_a_note(env):
    from widgets.record_bar import record_bar

    bar = record_bar()
    assert "Saving to: <b>your own record on this computer</b>" in bar.children[0].value
    note = record_bar("This page only reads: it saves nothing about you.")
    assert "saves nothing" in note.children[0].value


def test_record_bar_escapes_names_and_sends_a_stranger_to_the_landing_page(env, monkeypatch):
    from widgets.record_bar import record_bar

    ws, _ = env.open_workshop("W")
    p = env.join_workshop(ws.code, "<img src=x onerror=alert(1)>")
    identity.set_visitor(identity.visitor_from_query(f"p={p.token}"))
    assert "<img" not in record_bar().children[0].value
    identity.set_visitor(None)
    monkeypatch.setenv("VOILA_APP_PORT", "8866")  # under Voila, network server
    bar = record_bar()
    assert "Not saving" in bar.children[0].value and "index.ipynb" in bar.children[0].value
    assert not any(isinstance(w, ipw.Button) for w in _walk(bar))  # retrying cannot help


# -- the landing page on a network server ----------------------------------------------------


def test_landing_on_a_network_server_starts_a_personal_record(env, monkeypatch):
    from widgets.landing import landing
    from widgets.record_bar import record_bar

    monkeypatch.setenv("VOILA_APP_PORT", "8866")
    monkeypatch.setenv("PAP_SERVER_HOST", "0.0.0.0")
    before = env.count_participants()
    bar = record_bar()
    page = landing()
    assert env.count_participants() == before  # visiting creates nothing
    start = next(
        w
        for w in _walk(page)
        if isinstance(w, ipw.Button) and w.description == "Start my own record"
    )
    start.click()
    assert env.count_participants() == before + 1
    v = identity.current_visitor()
    assert v.source == "link" and v.participant.workshop_id is None
    html = "".join(w.value for w in _walk(page) if isinstance(w, ipw.HTML))
    assert f"index.ipynb?p={v.participant.token}" in html
    assert "Saving to: <b>your own record (personal link)</b>" in bar.children[0].value
    # Another visitor on the network gets their own record, never this one.
    identity.set_visitor(None)
    page2 = landing()
    next(
        w
        for w in _walk(page2)
        if isinstance(w, ipw.Button) and w.description == "Start my own record"
    ).click()
    assert identity.current_visitor().id != v.id


def test_landing_join_is_rate_limited_with_a_plain_message(env):
    from widgets.landing import landing

    page = landing()
    code = next(w for w in _walk(page) if isinstance(w, ipw.Text) and w.description == "Join code")
    join = next(
        w for w in _walk(page) if isinstance(w, ipw.Button) and w.description == "Join workshop"
    )
    status_text = lambda: "".join(w.value for w in _walk(page) if isinstance(w, ipw.HTML))  # noqa: E731
    code.value = "ZZZZZZ"
    for _ in range(store.CODE_ATTEMPTS):
        join.click()
    assert "No workshop has the code ZZZZZZ" in status_text()
    join.click()
    assert "Too many wrong tries" in status_text() and "try again after" in status_text()


def test_retry_after_a_database_failure_reuses_the_request_voila_sent_once(env, monkeypatch):
    """Voila sends a kernel its request once; asking again would wait for ever."""
    mine = env.issue_personal_link()
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_APP_PORT", "8866")
    fetches = []

    def fetch(_timeout: float) -> dict:
        fetches.append(1)
        return {"QUERY_STRING": f"p={mine.token}"}

    real = identity.get_store

    def down():
        raise ConnectionError("database is down")

    monkeypatch.setattr(identity, "_fetch_request_info", fetch)
    monkeypatch.setattr(identity, "get_store", down)
    seen, unknown = [], []
    identity.when_known(seen.append, unknown.append)
    _wait(lambda: unknown)
    assert unknown[0].reason == "store" and seen == []
    monkeypatch.setattr(identity, "get_store", real)
    identity.retry()
    _wait(lambda: seen)
    assert seen[0].id == mine.id and len(fetches) == 1


@pytest.mark.postgres
def test_identity_rules_on_postgresql(env):
    """The same rules against PostgreSQL (a district's database)."""
    import os

    from sqlalchemy import text

    url = os.environ.get("PAP_TEST_PG_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must test PostgreSQL: PAP_TEST_PG_URL is not set")
        pytest.skip("PAP_TEST_PG_URL not set (make test starts a PostgreSQL server)")
    pg = store.Store(url)
    try:
        with pg.engine.begin() as c:
            c.execute(
                text(
                    "TRUNCATE answers, participants, workshops, issued_links, failed_attempts "
                    "RESTART IDENTITY CASCADE"
                )
            )
        alice = visitor_from_request({}, pg, dict(VOILA, JUPYTERHUB_USER="alice"))
        assert alice.participant.token == "solo-alice"
        ws, _ = pg.open_workshop("W")
        amira = pg.join_workshop(ws.code, "Amira")
        before = pg.count_participants()
        for forged in ["solo-alice", "p-" + secrets.token_urlsafe(16), "p-abc"]:
            with pytest.raises(VisitorUnknown):
                visitor_from_request({"QUERY_STRING": f"p={forged}"}, pg, dict(VOILA))
        with pytest.raises(VisitorUnknown):
            visitor_from_request({}, pg, dict(VOILA, PAP_SERVER_HOST="0.0.0.0"))
        assert pg.count_participants() == before
        v = visitor_from_request({"QUERY_STRING": f"p={amira.token}"}, pg, dict(VOILA))
        assert v.saving_to == f"Amira · workshop {ws.code}"
    finally:
        pg.dispose()


def test_a_fill_in_from_the_resolver_thread_runs_on_the_kernel_thread(monkeypatch):
    """Views fill in on the kernel's thread, never beside its answer to the browser's state
    request (the resolver thread only hands the call over)."""
    import threading

    handed: list = []

    class Loop:
        def add_callback(self, fn):
            handed.append(fn)

    monkeypatch.setattr(identity, "_kernel_loop", lambda: Loop())
    ran: list[str] = []
    t = threading.Thread(target=identity._run, args=(lambda v: ran.append(v), "visitor"))
    t.start()
    t.join()
    assert ran == [] and len(handed) == 1  # not run on the resolver thread
    handed[0]()  # the kernel's loop runs it
    assert ran == ["visitor"]
    identity._run(lambda v: ran.append(v + "-main"), "visitor")  # on the main thread: at once
    assert ran == ["visitor", "visitor-main"] and len(handed) == 1

"""The kit behind a real JupyterHub: two hub users, their answers in PostgreSQL, one workshop.

One hub for the whole module, started from ``deploy/jupyterhub_config_local_test.py`` as an IT
person would try it: configurable-http-proxy (``tools/hub-proxy.sh`` puts it in ``.cache/npm``),
the shared-password authenticator, ``SimpleLocalProcessSpawner``, Voila as a server extension of
each user's single-user server, and ``PAP_DATABASE_URL`` pointing at the test PostgreSQL server.
Everything listens on 127.0.0.1 only. The fixture always stops the hub, the proxy, both users'
servers and their kernels (each in its own process group), with bounded waits.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text
from support.voila import ROOT, free_port

from widgets.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

PASSWORD = "pap-hub-" + secrets.token_hex(6)
# Fresh names each run, so the solo records this test checks are only ever its own.
RUN = secrets.token_hex(3)
USERS = (f"ana{RUN}", f"ben{RUN}")


def _pg_url() -> str:
    url = os.environ.get("PAP_TEST_PG_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must run the hub test: PAP_TEST_PG_URL is not set")
        pytest.skip("PAP_TEST_PG_URL not set (make test starts a PostgreSQL server)")
    return url


def _proxy_command() -> str:
    r = subprocess.run(
        ["bash", str(ROOT / "tools" / "hub-proxy.sh")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if r.returncode != 0:
        pytest.fail(f"configurable-http-proxy could not be installed:\n{r.stderr}")
    return r.stdout.strip().splitlines()[-1]


def _descendants(pid: int) -> list:
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def _stop_hub(proc: subprocess.Popen, seen: dict) -> None:
    """SIGTERM the hub's group (the hub stops the users' servers), then kill whatever is left.

    Users' servers run in sessions of their own (the spawner starts them that way), so every
    process ever seen under the hub is killed by its own id after the hub has gone.
    """
    import psutil

    for p in _descendants(proc.pid):
        seen[p.pid] = p
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    left = [p for p in seen.values() if p.is_running()]
    for p in left:
        try:
            p.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(left, timeout=10)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """Base URL of a running JupyterHub (http://127.0.0.1:PORT) serving the kit to USERS."""
    pg = _pg_url()
    proxy = _proxy_command()
    state = tmp_path_factory.mktemp("hub")
    port = free_port()
    env = dict(os.environ)
    env.update(
        PAP_HUB_STATE_DIR=str(state),
        PAP_HUB_PORT=str(port),
        PAP_HUB_API_PORT=str(free_port()),
        PAP_PROXY_API_PORT=str(free_port()),
        PAP_HUB_PASSWORD=PASSWORD,
        PAP_HUB_USERS=",".join(USERS),
        PAP_HUB_PROXY=proxy,
        PAP_DATABASE_URL=pg,
        # The users' servers and kernels import this checkout's widgets package.
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
    )
    env.pop("PAP_DATA_DIR", None)
    log_path = state / "hub.log"
    log = open(log_path, "w")
    hub_bin = Path(sys.executable).parent / "jupyterhub"
    proc = subprocess.Popen(
        [str(hub_bin), "-f", str(ROOT / "deploy" / "jupyterhub_config_local_test.py")],
        cwd=state,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    seen: dict = {}
    try:
        deadline = time.time() + 180
        while True:
            try:
                urllib.request.urlopen(base + "/hub/health", timeout=3)
                break
            except Exception:
                if proc.poll() is not None or time.time() > deadline:
                    pytest.fail("JupyterHub did not start:\n" + log_path.read_text()[-5000:])
                time.sleep(0.5)
        yield base
    finally:
        _stop_hub(proc, seen)
        log.close()


def _login(browser, hub: str, user: str):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    # A user's first visit starts their server: on a loaded two-core machine that takes a while.
    page.set_default_timeout(240_000)
    page.goto(f"{hub}/hub/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    return ctx, page


def _open(page, hub: str, user: str, notebook: str) -> None:
    page.goto(f"{hub}/user/{user}/voila/render/modules/{notebook}")
    page.wait_for_selector(".jupyter-widgets", state="attached")


def _reflection_box(page):
    page.wait_for_function(
        "() => { const t = document.querySelector('.pap-reflection textarea');"
        " return t && !t.disabled; }"
    )
    return page.locator(".pap-reflection textarea").first


def _no_traceback(page) -> None:
    body = page.inner_text("body")
    for bad in ("Traceback", "NameError", "ModuleNotFoundError", "KeyError"):
        assert bad not in body, f"{bad!r} visible on the page:\n{body[:2000]}"


def test_two_hub_users_solo_records_and_a_workshop(hub, browser):
    pg = _pg_url()
    words = {USERS[0]: f"Ana's own note {RUN}", USERS[1]: f"Ben's own note {RUN}"}
    sessions = {}
    try:
        # Both log in before either waits, so their servers start side by side.
        for u in USERS:
            sessions[u] = _login(browser, hub, u)
        for u in USERS:
            _ctx, page = sessions[u]
            page.wait_for_url(re.compile(rf".*/user/{u}/.*"))
            _open(page, hub, u, "index.ipynb")
            _no_traceback(page)
            page.locator("a.pap-tile[data-notebook='01_why_partnership.ipynb']").click()
            page.wait_for_url(re.compile(rf".*/user/{u}/voila/render/modules/01_why_partnership"))
            box = _reflection_box(page)
            # Ben opens the module after Ana has saved: nothing of hers may be there.
            assert all(w not in box.input_value() for w in words.values())
            box.fill(words[u])
            page.wait_for_selector("text=Saved at")
            _no_traceback(page)

        # Ana's page again (a fresh kernel): her answer comes back, Ben's is not there.
        ctx_a, page_a = sessions[USERS[0]]
        _open(page_a, hub, USERS[0], "01_why_partnership.ipynb")
        assert _reflection_box(page_a).input_value() == words[USERS[0]]

        # Ben cannot open Ana's server at all: the hub refuses, her page never renders for him.
        _ctx_b, page_b = sessions[USERS[1]]
        resp = page_b.goto(f"{hub}/user/{USERS[0]}/voila/render/modules/01_why_partnership.ipynb")
        assert resp is not None and resp.status in (403, 404), resp and resp.status
        assert words[USERS[0]] not in page_b.content()

        # What landed in PostgreSQL: one solo record per hub user, holding only their answer.
        store = Store(pg)
        try:
            with store.engine.connect() as c:
                rows = c.execute(
                    text(
                        "SELECT p.token, a.module, a.item, a.value FROM answers a "
                        "JOIN participants p ON p.id = a.participant_id "
                        "WHERE p.token IN (:a, :b) ORDER BY p.token"
                    ),
                    {"a": f"solo-{USERS[0]}", "b": f"solo-{USERS[1]}"},
                ).all()
            by_token: dict[str, list] = {}
            for token, module, item, value in rows:
                by_token.setdefault(token, []).append((module, item, value))
            for u in USERS:
                mine = [
                    v["text"]
                    for m, i, v in by_token.get(f"solo-{u}", [])
                    if i.startswith("reflection:") and isinstance(v, dict)
                ]
                assert mine == [words[u]], (u, by_token)

            # A workshop the facilitator opened (through the store, as the dashboard does);
            # both hub users join it on the landing page.
            ws, key = store.open_workshop(f"Hub workshop {RUN}")
        finally:
            store.dispose()
        names = {USERS[0]: "Ana", USERS[1]: "Ben"}
        for u in USERS:
            _ctx, page = sessions[u]
            _open(page, hub, u, "index.ipynb")
            page.get_by_placeholder("e.g. K7QX2M").fill(ws.code)
            page.get_by_placeholder("optional").fill(names[u])
            page.get_by_role("button", name="Join workshop").click()
            page.wait_for_selector("a.pap-personal-link")
            _no_traceback(page)

        # Ana is also the facilitator: she reopens the dashboard on her own server.
        _open(page_a, hub, USERS[0], "facilitator_dashboard.ipynb")
        page_a.get_by_role("tab", name="Reopen a workshop").click()
        page_a.get_by_label("Join code").fill(ws.code)
        page_a.get_by_label("Facilitator key").fill(key)
        page_a.get_by_role("button", name="Open dashboard").click()
        page_a.wait_for_selector("text=Who has joined: 2")
        people = page_a.inner_text(".pap-people")
        assert "Ana" in people and "Ben" in people
        _no_traceback(page_a)
    finally:
        for ctx, _page in sessions.values():
            ctx.close()

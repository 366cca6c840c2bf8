"""Saves are true when the server dies: the page says so at once and nothing confirmed is lost.

On main, after ``kill -9`` of the Voila server, every participant went on typing under a stale
"Saved at ..." and lost everything after the crash. This test runs the kit's real page template
(voila.json names it) against a real Voila server: two participants type and see "Saved", the
server and its kernels are killed with SIGKILL while they keep typing, and then

* a banner with role="alert" says the connection was lost and that nothing since is saved;
* the typed text is still in the box, and no "Saved at" line is shown any more;
* after a restart on the same data and a reload, every answer that had shown "Saved" is there.
"""

from __future__ import annotations

import pytest
from support.voila import ROOT, VoilaServer

pytestmark = pytest.mark.browser

NOTEBOOK = "saves_probe.ipynb"
BANNER = "#pap-connection-lost"
LOST_WORDS = "Not saved: the connection to the server was lost."


def _notebook(folder) -> None:
    """A page with two reflection boxes, built by the same view code the modules use."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Saves probe"),
        nbformat.v4.new_code_cell(
            'from widgets.reflection import reflect\nreflect("saves-probe", "one", "First prompt")'
        ),
        nbformat.v4.new_code_cell('reflect("saves-probe", "two", "Second prompt")'),
    ]
    nbformat.write(nb, folder / NOTEBOOK)


def _start(nb_dir, data_dir) -> VoilaServer:
    server = VoilaServer(nb_dir, data_dir, cwd=ROOT, own_process_group=True)
    server.wait_ready()
    server.wait_pools_filled([NOTEBOOK], 180)
    return server


def _issue_links(data_dir, n: int) -> list[str]:
    """Personal links the kit issued in the server's store (a made-up ?p= opens nothing)."""
    from widgets.store import Store

    db = Store(f"sqlite:///{data_dir / 'answers.sqlite'}")
    try:
        return [db.issue_personal_link().token for _ in range(n)]
    finally:
        db.dispose()


def _open(page, base: str, token: str) -> None:
    page.goto(f"{base}/voila/render/{NOTEBOOK}?p={token}")
    page.wait_for_selector(".pap-reflection textarea:not([disabled])", state="visible")


def _boxes(page):
    return page.locator(".pap-reflection textarea")


def _type_and_see_saved(page, index: int, text: str) -> None:
    box = _boxes(page).nth(index)
    box.fill(text)
    card = page.locator(".pap-card").nth(index)
    card.locator(".pap-saved", has_text="Saved at").wait_for(state="visible")


@pytest.fixture()
def probe_dirs(tmp_path):
    nb_dir, data_dir = tmp_path / "nb", tmp_path / "data"
    nb_dir.mkdir()
    data_dir.mkdir()
    _notebook(nb_dir)
    return nb_dir, data_dir


def test_killed_server_is_shown_at_once_and_nothing_confirmed_is_lost(browser, probe_dirs):
    nb_dir, data_dir = probe_dirs
    people = dict(zip(_issue_links(data_dir, 2), ["Alice", "Bob"], strict=True))
    server = _start(nb_dir, data_dir)
    contexts, pages = [], {}
    try:
        for token in people:
            ctx = browser.new_context(viewport={"width": 1200, "height": 900})
            contexts.append(ctx)
            pg = ctx.new_page()
            pg.set_default_timeout(180_000)
            _open(pg, server.base, token)
            pages[token] = pg

        saved: dict[str, tuple[str, str]] = {}
        for token, name in people.items():
            first = f"{name}: parents are partners in learning."
            second = f"{name}: ask before telling."
            _type_and_see_saved(pages[token], 0, first)
            _type_and_see_saved(pages[token], 1, second)
            saved[token] = (first, second)
        for pg in pages.values():
            assert pg.locator(BANNER).count() == 0  # no false alarm while all is well

        server.kill_all()  # the server and every kernel, as a crash would

        after = " and this was typed after the crash"
        for pg in pages.values():
            box = _boxes(pg).nth(1)
            box.click()
            box.press("End")
            box.type(after)
        for token, pg in pages.items():
            banner = pg.locator(BANNER)
            banner.wait_for(state="visible", timeout=20_000)
            assert banner.get_attribute("role") == "alert"
            assert LOST_WORDS in banner.inner_text()
            assert "reload the page" in banner.inner_text()
            print("connection lost because:", pg.evaluate("window.papConnectionLost"))
            # what was typed is still there to copy, including what was typed after the crash
            assert _boxes(pg).nth(0).input_value() == saved[token][0]
            assert _boxes(pg).nth(1).input_value() == saved[token][1] + after
            # no "Saved at" line stays on show once saving is impossible
            assert pg.locator(".pap-saved:visible").count() == 0
            assert "Saved at" not in pg.inner_text("body")

        server = _start(nb_dir, data_dir)  # same data folder, same SQLite file
        for token, pg in pages.items():
            _open(pg, server.base, token)
            assert pg.locator(BANNER).count() == 0
            assert _boxes(pg).nth(0).input_value() == saved[token][0]
            # exactly what had shown "Saved": text typed after the crash was never confirmed
            assert _boxes(pg).nth(1).input_value() == saved[token][1]
    finally:
        for ctx in contexts:
            ctx.close()
        server.stop()


def _kernel_pid(kernel_id: str) -> int:
    """The process of this kernel: its command line names its connection file, kernel-<id>.json."""
    from pathlib import Path

    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if f"kernel-{kernel_id}" in cmd and "ipykernel" in cmd:
            return int(proc.name)
    raise AssertionError(f"no process for kernel {kernel_id}")


def test_a_dead_kernel_is_shown_at_once(browser, probe_dirs):
    """The server lives on but the page's kernel dies: its widgets can no longer save."""
    import json
    import os
    import signal

    nb_dir, data_dir = probe_dirs
    server = _start(nb_dir, data_dir)
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        pg = ctx.new_page()
        pg.set_default_timeout(180_000)
        _open(pg, server.base, _issue_links(data_dir, 1)[0])
        _type_and_see_saved(pg, 0, "Carol: before the kernel died.")
        config = json.loads(pg.inner_text("#jupyter-config-data"))
        os.kill(_kernel_pid(config["kernelId"]), signal.SIGKILL)
        banner = pg.locator(BANNER)
        banner.wait_for(state="visible", timeout=30_000)
        assert LOST_WORDS in banner.inner_text()
        print("connection lost because:", pg.evaluate("window.papConnectionLost"))
        assert pg.locator(".pap-saved:visible").count() == 0
        assert _boxes(pg).nth(0).input_value() == "Carol: before the kernel died."
    finally:
        ctx.close()
        server.stop()

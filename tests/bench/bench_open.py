"""How fast each app opens: median time from navigation to the first interactive widget.

Serves a copy of every notebook in modules/ plus a hello-world notebook from the same Voila
server (same voila.json, so preheated kernels as in `make app`), opens each several times in
Debian Chromium and prints the medians and their ratio to hello-world's. Goal: <= 1.3x.

Run: make bench   (or .venv/bin/python tests/bench/bench_open.py [--runs N] [notebook ...])
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the browser tests' Chromium)
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from support.voila import ROOT, VoilaServer, log_tail  # noqa: E402

HELLO = "zz_hello_world.ipynb"
FIRST_WIDGET = (
    ".widget-button, .widget-textarea, .widget-dropdown, .widget-text, .widget-toggle-buttons, "
    ".widget-upload, .widget-checkbox"
)

#: Pages with nothing to press until the visitor is known: what they show first instead. The family
#: request page opened without a household's link shows only its "this link opens nothing" title.
FIRST_SHOWN = {"app_family_request.ipynb": ".pap-family-request h1.pap-fr-title"}


def _hello(path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    from nbbuild import write_notebook

    write_notebook(
        path,
        [("md", "# Hello"), ("code", "import ipywidgets as ipw\nipw.Button(description='Hi')")],
    )


def _wait_refill(server: VoilaServer, nb: str, before: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if server.log_path.read_text().count(f"Kernel pool of {nb} is filled") > before:
            return
        time.sleep(0.2)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument(
        "--settle",
        type=float,
        default=6.0,
        help="seconds to let a refilled kernel pre-render its notebook before the next visit",
    )
    ap.add_argument("notebooks", nargs="*")
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="pap-bench-"))
    nbdir, data = work / "nb", work / "data"
    nbdir.mkdir()
    data.mkdir()
    names = a.notebooks or sorted(p.name for p in (ROOT / "modules").glob("*.ipynb"))
    for n in names:
        shutil.copy(ROOT / "modules" / n, nbdir / n)
    _hello(nbdir / HELLO)
    server = VoilaServer(nbdir, data)
    try:
        server.wait_ready()
        server.wait_pools_filled([*names, HELLO], timeout=300)
        results: dict[str, list[float]] = {}
        failed: list[str] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for nb in [HELLO, *names]:
                times = []
                for _ in range(a.runs + 1):  # the first run warms the browser cache; not counted
                    before = server.log_path.read_text().count(f"Kernel pool of {nb} is filled")
                    ctx = browser.new_context()
                    page = ctx.new_page()
                    t0 = time.perf_counter()
                    page.goto(f"{server.base}/voila/render/{nb}")
                    try:
                        # the first one on screen: an earlier hidden one (the landing page's
                        # "Start my own record" on a one-computer server) would never show
                        first = FIRST_SHOWN.get(nb, FIRST_WIDGET)
                        page.locator(f"{first} >> visible=true").first.wait_for(timeout=120_000)
                        times.append(time.perf_counter() - t0)
                    except PlaywrightTimeout:  # counted and shown, never a figure
                        failed.append(f"{nb}: no widget in 120 s\n{log_tail(server.base, 25)}")
                    ctx.close()
                    _wait_refill(server, nb, before)
                    time.sleep(a.settle)
                results[nb] = times[1:] or times
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)

    results = {nb: ts for nb, ts in results.items() if ts}
    base = statistics.median(results[HELLO])
    print(f"{'notebook':42} {'median s':>9} {'min s':>7} {'max s':>7} {'ratio':>6}")
    worst = 0.0
    for nb, ts in results.items():
        med = statistics.median(ts)
        ratio = med / base
        if nb != HELLO:
            worst = max(worst, ratio)
        print(f"{nb:42} {med:9.3f} {min(ts):7.3f} {max(ts):7.3f} {ratio:6.2f}")
    print(
        f"\nhello-world median {base:.3f} s; worst ratio {worst:.2f} (goal <= 1.30) "
        f"over {a.runs} runs each"
    )
    if failed:
        print(f"\n{len(failed)} visit(s) showed no widget (not in the figures above):")
        for f in failed:
            print(f"--- {f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

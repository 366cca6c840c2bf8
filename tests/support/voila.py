"""Start a real Voila server the way ``make app`` does (from the repo root, reading voila.json)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "share" / "jupyter"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


RUNNING: dict[str, VoilaServer] = {}
"""Servers started by this test run, by base URL: a test that times out shows its server's log."""


def log_tail(base: str, lines: int = 60) -> str:
    """The last lines of the log of the server at ``base`` ("" when it is not one of ours)."""
    server = RUNNING.get(base)
    if server is None or not server.log_path.exists():
        return ""
    return "\n".join(server.log_path.read_text(errors="replace").splitlines()[-lines:])


class VoilaServer:
    def __init__(
        self,
        notebooks_dir: Path,
        data_dir: Path,
        extra_args: list[str] | None = None,
        cwd: Path | None = None,
        own_process_group: bool = False,
        server_host: str = "127.0.0.1",
        extra_env: dict[str, str] | None = None,
        warm_every_notebook: bool = True,
    ):
        """``cwd`` is where Voila looks for its ``voila.json`` (the kit's own by default).

        ``own_process_group`` starts Voila in a process group of its own, so a test can kill the
        server and its kernels at once (:meth:`kill_all`), as a crash or ``kill -9`` would.

        ``server_host`` is what the kit is told the server listens on (``PAP_SERVER_HOST``, as
        ``make app`` sets it from ``HOST``); Voila itself always binds to 127.0.0.1 here, so a
        test of a "network" server never listens beyond this machine.

        ``warm_every_notebook`` keeps one preheated kernel per notebook with no room session
        (``RoomKernelManager.room_idle_default=1``), so pages open preheated as the tests expect
        and :meth:`wait_pools_filled` has something to wait for; ``make app`` keeps only the
        landing page warm until a facilitator announces a session.
        """
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / "voila.log"
        RUNNING[self.base] = self
        env = dict(os.environ)
        env.pop("PAP_DATABASE_URL", None)
        env["PAP_DATA_DIR"] = str(data_dir)
        # the kit's page template (voila.json names it), found as `make app` finds it
        env["JUPYTER_PATH"] = os.pathsep.join(
            p for p in (str(TEMPLATES), env.get("JUPYTER_PATH", "")) if p
        )
        env["PAP_SERVER_HOST"] = server_host
        env.update(extra_env or {})
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "voila",
                str(notebooks_dir),
                f"--port={self.port}",
                "--no-browser",
                *(["--RoomKernelManager.room_idle_default=1"] if warm_every_notebook else []),
                *(extra_args or []),
            ],
            cwd=cwd or ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=own_process_group,
        )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + "/voila/tree", timeout=2)
                return
            except Exception:
                if self.proc.poll() is not None:
                    raise RuntimeError("Voila exited:\n" + self.log_path.read_text()) from None
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"Voila did not start in {timeout} s:\n" + self.log_path.read_text())

    def wait_pools_filled(self, notebooks: list[str], timeout: float = 180) -> None:
        """Wait until Voila reports a filled kernel pool for each notebook (preheat ready)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            log = self.log_path.read_text()
            if all(f"Kernel pool of {nb} is filled" in log for nb in notebooks):
                return
            time.sleep(0.5)

    def kill_all(self) -> None:
        """SIGKILL the server and its kernels (its whole process group): no clean shutdown."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(15)
        self._log.close()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()

"""A notebook run fails when its page shows an error box (``PAP_STRICT_ERRORS=1``).

Views turn every failure into a calm box and the committed notebooks have no outputs, so nbval
used to pass a notebook whose dataset was garbage. The first tests pin the hook in
``widgets.ui`` without a kernel; the last ones run a real notebook under nbval on a copy of the
kit with one dataset replaced by garbage, and check the run fails (and the clean copy passes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import ipywidgets as ipw
import pytest

from widgets import ui

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "modules/01_why_partnership.ipynb"
DATASET = "datasets/activities/why_partnership.yaml"  # the notebook's first sorting activity


@pytest.fixture()
def strict(monkeypatch):
    monkeypatch.setenv(ui.STRICT_ERRORS_ENV, "1")
    monkeypatch.setattr(ui, "_executing_a_cell", lambda: True)


def test_error_box_raises_while_a_cell_runs_in_strict_mode(strict):
    with pytest.raises(ui.ErrorBoxShown, match="activities/x.yaml needs fixing"):
        ui.message("The file activities/x.yaml needs fixing", "error", title="Could not load")
    assert ui.ERRORS_SHOWN[-1] == "Could not load: The file activities/x.yaml needs fixing"


@pytest.mark.parametrize("kind", ["info", "success", "warning"])
def test_other_kinds_never_raise(strict, kind):
    assert f"pap-msg-{kind}" in ui.message_html("fine", kind)


def test_no_kernel_or_no_flag_means_a_box_as_before(monkeypatch):
    """Unit tests of views (plain Python) and real users (no flag) get the box, never a raise."""
    monkeypatch.setenv(ui.STRICT_ERRORS_ENV, "1")
    assert not ui._executing_a_cell()  # pytest is not a kernel running a cell
    assert "pap-msg-error" in ui.message_html("broken", "error")
    monkeypatch.setattr(ui, "_executing_a_cell", lambda: True)
    monkeypatch.setenv(ui.STRICT_ERRORS_ENV, "0")
    assert "pap-msg-error" in ui.message_html("broken", "error")
    assert ui.ERRORS_SHOWN[-1] == "broken"  # recorded either way


def test_guarded_and_broad_excepts_cannot_swallow_it(strict):
    status = ipw.HTML()

    @ui.guarded(status)
    def click() -> None:
        raise ValueError("boom")

    with pytest.raises(ui.ErrorBoxShown):
        click()
    with pytest.raises(ui.ErrorBoxShown):
        try:
            ui.show_error(status, "bad")
        except Exception:  # noqa: BLE001 - what a view might do; it must not hide the failure
            pass


# -- real notebook runs ----------------------------------------------------------------------------


def _kit_copy(tmp_path: Path) -> Path:
    """The parts of the kit a notebook run needs, in a folder of their own."""
    kit = tmp_path / "kit"
    skip = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
    for folder in ("modules", "datasets", "widgets"):
        shutil.copytree(ROOT / folder, kit / folder, ignore=skip)
    (kit / "tests").mkdir()
    shutil.copy(ROOT / "tests" / "conftest.py", kit / "tests" / "conftest.py")
    shutil.copy(ROOT / "pyproject.toml", kit / "pyproject.toml")
    return kit


def _run_nbval(kit: Path, strict_env: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PAP_DATABASE_URL", "QUERY_STRING")}
    env.pop(ui.STRICT_ERRORS_ENV, None)  # strictness must come from tests/conftest.py
    if strict_env is not None:
        env[ui.STRICT_ERRORS_ENV] = strict_env
    env["PYTHONPATH"] = str(kit)  # the kernel imports the copy's widgets, reading its datasets
    env["PAP_DATA_DIR"] = str(kit / "data")
    return subprocess.run(
        # As `make test` runs it: `pytest tests modules` (tests/ holds only its conftest here).
        [sys.executable, "-m", "pytest", "tests", NOTEBOOK, "--nbval-lax", "--nbval-current-env"]
        + ["-p", "no:cacheprovider", "-q", "--timeout=300"],
        cwd=kit,
        env=env,
        capture_output=True,
        text=True,
        timeout=400,
    )


def test_clean_notebook_passes_under_strictness(tmp_path):
    res = _run_nbval(_kit_copy(tmp_path), None)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    assert " passed" in res.stdout and "failed" not in res.stdout


def test_notebook_with_a_garbage_dataset_fails(tmp_path):
    kit = _kit_copy(tmp_path)
    (kit / DATASET).write_text("title: [this is not\n  an: activity\n\x07garbage", encoding="utf-8")
    res = _run_nbval(kit, None)
    out = res.stdout + res.stderr
    assert res.returncode == 1, out[-3000:]
    assert "ErrorBoxShown" in out and "why_partnership.yaml" in out
    assert "1 failed" in res.stdout  # only the cell that draws the broken activity


def test_without_strictness_the_garbage_dataset_went_unnoticed(tmp_path):
    """The gap this closes: the same broken notebook passes when strictness is switched off."""
    kit = _kit_copy(tmp_path)
    (kit / DATASET).write_text("title: [this is not\n  an: activity\n\x07garbage", encoding="utf-8")
    res = _run_nbval(kit, "0")
    assert res.returncode == 0, res.stdout[-3000:]

"""Every file in datasets/ has exactly one schema (widgets/dataset_registry.py) and passes it.

The list of files is read from the folder, never written by hand: a new file nobody wrote a
schema for fails here. Each validator is also shown to fail: a copy of datasets/ gets garbage in
one file per registry entry, and that file must then be refused with a DatasetError.
"""

from __future__ import annotations

import gzip
import shutil
import sys

import pytest
import yaml

from widgets import dataset_registry as reg
from widgets import datasets
from widgets.datasets import DatasetError

FILES = reg.dataset_files()


def test_every_file_in_datasets_has_exactly_one_schema():
    assert {"catalogue.yaml", "evening/small/families.csv", "audit/district_survey.csv.gz"} <= set(
        FILES
    )  # the walk found the real folder, nested files and all
    wrong = {f: [e.pattern for e in reg.entries_for(f)] for f in FILES}
    wrong = {f: pats for f, pats in wrong.items() if len(pats) != 1}
    assert not wrong, f"files without exactly one REGISTRY entry: {wrong}"


def test_every_registry_entry_still_has_a_file():
    stale = [e.pattern for e in reg.REGISTRY if not any(reg.matches(e.pattern, f) for f in FILES)]
    assert not stale, f"REGISTRY entries that match no file in datasets/: {stale}"


def test_registry_import_stays_light():
    """Importing the table must not import the capabilities (pandas, ortools...) it names."""
    import subprocess

    code = (
        "import sys, widgets.dataset_registry; "
        "print(sorted(m for m in sys.modules if m.startswith(('widgets.audit', 'widgets.evening',"
        " 'pandas', 'ortools'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("relative", FILES)
def test_every_dataset_file_validates(relative):
    assert reg.validate_file(relative) is not None


@pytest.mark.parametrize(
    ("pattern", "relative", "expected"),
    [
        ("scenarios/*.yaml", "scenarios/01_x.yaml", True),
        ("scenarios/*.yaml", "scenarios/old/01_x.yaml", False),  # * stays in one folder
        ("evening/*/families.csv", "evening/small/families.csv", True),
        ("evening/*/families.csv", "evening/families.csv", False),
        ("audit/*.csv", "audit/district_survey.csv.gz", False),
        ("catalogue.yaml", "catalogue.yml", False),
    ],
)
def test_pattern_matching(pattern, relative, expected):
    assert reg.matches(pattern, relative) is expected


# -- the validators can fail -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def copy_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("datasets-copy") / "datasets"
    shutil.copytree(datasets.DATASETS_DIR, root)
    return root


@pytest.fixture()
def in_copy(copy_root, monkeypatch):
    """Validate against the copy; caches keyed by path and mtime are cleared so nothing stale
    answers for a file a test just rewrote."""
    monkeypatch.setattr(datasets, "DATASETS_DIR", copy_root)
    datasets._load_yaml_cached.cache_clear()
    yield copy_root
    datasets._load_yaml_cached.cache_clear()


def test_a_new_file_without_a_schema_is_refused(in_copy):
    stray = in_copy / "activities" / "notes.txt"
    stray.write_text("ideas for next year\n", encoding="utf-8")
    try:
        assert "activities/notes.txt" in reg.dataset_files()
        assert reg.entries_for("activities/notes.txt") == []
        with pytest.raises(DatasetError, match="no schema is registered"):
            reg.validate_file("activities/notes.txt")
    finally:
        stray.unlink()


def _garbage(relative: str) -> bytes:
    if relative.endswith(".gz"):
        return gzip.compress(b"Response ID,Favourite colour\n1,blue\n2,green\n")
    if relative.endswith(".csv"):
        return b"Response ID,Favourite colour\n1,blue\n2,green\n"
    if relative.endswith(".txt"):
        return "Caf\u00e9 menu \u2013 priced in \u00a3".encode("cp1252")  # not UTF-8
    return b"title: 42\nnot_a_field_of_anything: [1, 2]\n"  # YAML that parses, wrong shape


def _first_file(entry: reg.Entry) -> str:
    return next(f for f in FILES if reg.matches(entry.pattern, f))


@pytest.mark.parametrize("entry", reg.REGISTRY, ids=lambda e: e.pattern)
def test_garbage_in_each_kind_of_file_is_refused(in_copy, entry):
    relative = _first_file(entry)
    path = in_copy / relative
    original = path.read_bytes()
    path.write_bytes(_garbage(relative))
    try:
        with pytest.raises(DatasetError) as err:
            reg.validate_file(relative)
        assert "needs fixing" in str(err.value)
    finally:
        path.write_bytes(original)
        datasets._load_yaml_cached.cache_clear()
    assert reg.validate_file(relative) is not None  # the restored copy passes again


def test_a_broken_cross_reference_is_refused(in_copy):
    """A scenario that tags a behaviour the rubric does not define is not valid on its own."""
    relative = _first_file(next(e for e in reg.REGISTRY if e.pattern == "scenarios/*.yaml"))
    path = in_copy / relative
    original = path.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    tagged = [c for scene in data["scenes"] for c in scene.get("choices", []) if c.get("shows")]
    if not tagged:
        pytest.fail(f"{relative} tags no behaviours; pick another scenario for this test")
    tagged[0]["shows"] = ["no-such-behaviour"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        with pytest.raises(DatasetError, match="no-such-behaviour"):
            reg.validate_file(relative)
    finally:
        path.write_text(original, encoding="utf-8")
        datasets._load_yaml_cached.cache_clear()

"""Which schema validates each file in ``datasets/``: one table, checked over every file.

Each capability validates the files it reads, but only when it reads them, and a test that lists
files by hand misses the next one added. This registry maps a path pattern under ``datasets/`` to
the loader that validates such a file, so one test can check that every file there has exactly
one schema and passes it: a new file nobody wrote a schema for, or a sample nobody can read,
fails that test rather than a workshop.

Loaders are named by import path (``"package.module:name"``) and imported only when a file is
validated, so importing this table stays light. A loader is either a pydantic model (the file is
read with :func:`widgets.datasets.load_yaml`, or for a CSV :func:`widgets.datasets.load_csv` with
no bad row allowed), or a function called with nothing, the file's stem, or its path under
``datasets/`` (``arg``). Samples of uploads are read by the same readers as a real upload.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import Field, model_validator

from widgets import datasets
from widgets.datasets import DatasetError, Problem
from widgets.schema_base import StrictModel

Arg = Literal["none", "stem", "path"]


@dataclass(frozen=True)
class Entry:
    """Files matching ``pattern`` (under datasets/; ``*`` stays within one folder) are valid when
    ``loader`` accepts them."""

    pattern: str
    loader: str
    arg: Arg = "none"
    what: str = ""


_HERE = "widgets.dataset_registry"

REGISTRY: tuple[Entry, ...] = (
    Entry("catalogue.yaml", "widgets.landing.model:load_catalogue", what="modules and apps"),
    Entry("sources.yaml", "widgets.sources:load_sources", what="research sources cited"),
    Entry("activities/*.yaml", "widgets.sorting.model:load_activity", "stem", "sorting activity"),
    Entry(
        "checks/*.yaml",
        "widgets.knowledge_check.model:check_file",
        "stem",
        "a module's case, knowledge check and self-rating",
    ),
    Entry("checklists/*.yaml", "widgets.checklist.model:load_checklist", "stem", "checklist"),
    Entry("scenarios/*.yaml", f"{_HERE}:check_scenario", "stem", "role-play scenario"),
    Entry("roleplay/rubric.yaml", "widgets.roleplay.schema:load_rubric"),
    Entry("pd/roles.yaml", "widgets.skills.model:load_library"),
    Entry("pd/readiness.yaml", "widgets.readiness.model:load_config"),
    Entry("pd/session_plan.yaml", "widgets.session_plan.model:load_options"),
    Entry("pd/interview_questions.yaml", "widgets.interview.model:load_bank"),
    Entry("messages/channels.yaml", "widgets.messages.checker:load_channels"),
    Entry("messages/glossary.csv", "widgets.messages.checker:load_glossary"),
    Entry("messages/plan_options.yaml", "widgets.messages.plan:load_plan_options"),
    Entry("messages/rewrite_exercise.yaml", "widgets.messages.exercise:load_exercise"),
    Entry("messages/templates.yaml", "widgets.messages.templates:load_templates"),
    Entry("messages/syllables.yaml", "widgets.messages.readability:SyllableExceptions"),
    Entry("messages/low_literacy.yaml", "widgets.messages.plain_language:load_rules"),
    Entry(
        "messages/readability_letters/expected.yaml",
        f"{_HERE}:ReadabilityExpected",
        what="textstat's figures for the reading-grade test letters",
    ),
    Entry(
        "messages/readability_letters/*.txt",
        f"{_HERE}:check_readability_letter",
        "path",
        "a letter the reading grade is tested on",
    ),
    Entry("audit/instrument.yaml", "widgets.audit.instrument:load_instrument"),
    Entry("audit/actions.yaml", "widgets.audit.instrument:load_actions"),
    Entry("audit/likert.yaml", "widgets.audit.instrument:load_likert"),
    Entry("audit/frameworks.yaml", "widgets.audit.frameworks:load_frameworks"),
    Entry("audit/parent_*.yaml", f"{_HERE}:check_audit_parent_version", "stem", "family survey"),
    Entry("audit/*.csv", f"{_HERE}:check_audit_survey_sample", "path", "sample survey upload"),
    Entry("audit/*.csv.gz", f"{_HERE}:check_audit_survey_sample", "path", "sample survey upload"),
    Entry("evening/column_aliases.yaml", "widgets.evening.ingest:AliasFile"),
    Entry("evening/letters.yaml", "widgets.evening.letters:LetterFile"),
    Entry("evening/family_page.yaml", "widgets.evening.family_text:FamilyTextFile"),
    Entry("family/*.yaml", "widgets.family.model:load_session", "stem", "family session"),
    Entry("evening/reminders.yaml", "widgets.evening.reminders:ReminderFile"),
    Entry("evening/followup.yaml", "widgets.evening.followup:FollowupFile"),
    Entry("evening/survey.yaml", "widgets.evening.survey:load_survey"),
    Entry("evening/samples.yaml", f"{_HERE}:check_evening_samples", what="sample schools"),
    Entry("evening/survey_sample.csv", f"{_HERE}:check_evening_survey_sample", "path"),
    Entry("evening/*/families.csv", f"{_HERE}:check_evening_table", "path", "sample upload"),
    Entry("evening/*/teachers.csv", f"{_HERE}:check_evening_table", "path", "sample upload"),
    Entry("evening/*/interpreters.csv", f"{_HERE}:check_evening_table", "path", "sample upload"),
)


def matches(pattern: str, relative: str) -> bool:
    """Glob match on a path under datasets/, one folder level per ``/`` (``*`` never spans one)."""
    pat, parts = pattern.split("/"), relative.split("/")
    return len(pat) == len(parts) and all(fnmatchcase(p, q) for p, q in zip(parts, pat, strict=True))


def entries_for(relative: str) -> list[Entry]:
    return [e for e in REGISTRY if matches(e.pattern, relative)]


def dataset_files(root: Path | None = None) -> list[str]:
    """Every file under datasets/ as a path like ``scenarios/01_x.yaml`` (dotfiles left out)."""
    root = root or datasets.DATASETS_DIR
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def resolve(loader: str) -> Any:
    module, _, name = loader.partition(":")
    return getattr(importlib.import_module(module), name)


def validate_file(relative: str) -> Any:
    """Validate one file under datasets/ with its registered schema; DatasetError if it fails."""
    found = entries_for(relative)
    name = f"datasets/{relative}"
    if len(found) != 1:
        what = "no schema is registered for it" if not found else "more than one schema matches it"
        raise DatasetError(
            name,
            [
                Problem(
                    "the whole file",
                    what,
                    "add one entry for it to REGISTRY in widgets/dataset_registry.py "
                    "(or remove the file if nothing reads it)",
                )
            ],
        )
    entry = found[0]
    target = resolve(entry.loader)
    if isinstance(target, type):  # a pydantic model: the file itself is the schema's input
        if relative.endswith(".csv"):
            res = datasets.load_csv(relative, target)
            if res.problems:
                raise DatasetError(name, res.problems)
            return res.rows
        return datasets.load_yaml(relative, target)
    if entry.arg == "stem":
        return target(PurePosixPath(relative).name.split(".")[0])
    if entry.arg == "path":
        return target(relative)
    return target()


# -- checks that need more than one file, or an upload reader ------------------------------------


def _fail(relative: str, what: str, fix: str, where: str = "the whole file") -> DatasetError:
    return DatasetError(f"datasets/{relative}", [Problem(where, what, fix)])


def check_scenario(name: str) -> Any:
    """A scenario, and every behaviour it tags is one the rubric defines."""
    from widgets.roleplay.schema import load_rubric, load_scenario, unknown_behaviours

    scenario = load_scenario(name)
    unknown = unknown_behaviours(scenario, load_rubric())
    if unknown:
        raise _fail(
            f"scenarios/{name}.yaml",
            f"these behaviours are not in roleplay/rubric.yaml: {', '.join(unknown)}",
            "use a behaviour id from datasets/roleplay/rubric.yaml or add it there",
        )
    return scenario


class LetterFigures(StrictModel):
    grade: float
    ease: float
    tolerance: float | None = Field(default=None, gt=0)
    why: str = ""

    @model_validator(mode="after")
    def _wider_needs_a_reason(self) -> LetterFigures:
        if self.tolerance is not None and not self.why.strip():
            raise ValueError("a tolerance of its own needs a reason in 'why'")
        return self


class ReadabilityExpected(StrictModel):
    """``messages/readability_letters/expected.yaml``: textstat's grade and ease per letter."""

    letters: dict[str, LetterFigures] = Field(min_length=1)


_LETTERS = "messages/readability_letters"


def check_readability_letter(relative: str) -> str:
    """A test letter: UTF-8 text with words in it, with its expected figures in expected.yaml."""
    path = datasets.dataset_path(relative)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise _fail(relative, "it is not saved as UTF-8 text", "save it as UTF-8") from None
    if len(text.split()) < 3:
        raise _fail(relative, "it has almost no words", "paste the whole letter")
    expected = datasets.load_yaml(f"{_LETTERS}/expected.yaml", ReadabilityExpected)
    if path.name not in expected.letters:
        raise _fail(
            relative,
            "expected.yaml has no figures for it",
            "run tests/bench/bench_readability.py --write-expected with textstat installed",
        )
    return text


def check_audit_parent_version(stem: str) -> Any:
    """A family questionnaire in a language the kit offers, asking only instrument items."""
    from widgets.audit.instrument import load_parent_version

    return load_parent_version(stem.removeprefix("parent_"))


# An upload sample may carry a few deliberate mistakes, to show how the kit reports them; a file
# where more than this share of the answers cannot be read is not a sample, it is broken.
MAX_BAD_SHARE = 0.02


def check_audit_survey_sample(relative: str) -> Any:
    """Read as the survey analysis reads an upload: columns map to items, answers are readable."""
    from widgets.audit.instrument import LANGUAGES, load_instrument, load_likert
    from widgets.audit.instrument import load_parent_version as version
    from widgets.audit.survey import ITEM, prepare, read_table
    from widgets.audit.survey_columns import recognise

    data = datasets.dataset_path(relative).read_bytes()
    up = read_table(data, f"datasets/{relative}")
    versions = [version(lang) for lang in LANGUAGES]
    likert = load_likert()
    mapping = recognise(up, load_instrument(), versions, likert).mapping
    result = prepare(up, mapping, likert, versions)
    items = sum(m.startswith(ITEM) for m in mapping.values())
    if not items:
        raise _fail(relative, "no column is an audit question", "use the questionnaire's wording")
    if result.responses == 0:
        raise _fail(relative, "no response has a readable answer", "check the sample's rows")
    if len(result.problems) > MAX_BAD_SHARE * result.rows_read * items:
        raise _fail(
            relative,
            f"{len(result.problems)} answers cannot be read (more than "
            f"{MAX_BAD_SHARE:.0%} of them): {result.problems[0]}",
            "use the scale's words or numbers in the sample",
        )
    return result


def check_evening_table(relative: str) -> Any:
    """A sample school's families/teachers/interpreters file, read and mapped as an upload is:
    every required column found, every row valid."""
    from widgets.evening.ingest import apply_mapping, guess_mapping, read_table

    kind = PurePosixPath(relative).stem
    table = read_table(datasets.dataset_path(relative).read_bytes(), f"datasets/{relative}")
    res = apply_mapping(table, guess_mapping(table.columns, kind), kind)
    if res.problems:
        raise DatasetError(f"datasets/{relative}", res.problems)
    if not res.rows:
        raise _fail(relative, "it has no rows", "add the sample's rows")
    return res


def check_evening_samples() -> Any:
    """Each sample school's settings are valid and its three files load and join cleanly."""
    from widgets.evening.ingest import SampleFile, load_sample

    relative = "evening/samples.yaml"
    spec = datasets.load_yaml(relative, SampleFile)
    for name, sample in spec.samples.items():
        if not datasets.dataset_path(sample.folder).is_dir():
            raise _fail(
                relative,
                f"the folder {sample.folder} does not exist",
                "name a folder under datasets/ that holds the sample's CSV files",
                f"samples → {name} → folder",
            )
        loaded = load_sample(name)
        problems = [p for ps in loaded.problems.values() for p in ps]
        if problems:
            raise DatasetError(f"datasets/{sample.folder}", problems)
    return spec


def check_evening_survey_sample(relative: str) -> Any:
    """Sample answers to the evening survey: every column a question, every answer understood."""
    from widgets.evening.survey import analyse

    res = analyse(datasets.dataset_path(relative).read_bytes(), f"datasets/{relative}")
    bad = [q.question.id for q in res.questions if q.not_understood]
    for what, names in (
        ("columns match no question", res.unknown_columns),
        ("questions have no column", res.missing_questions),
        ("questions have answers that cannot be read", bad),
    ):
        if names:
            raise _fail(
                relative,
                f"these {what}: {', '.join(names)}",
                "match the sample to datasets/evening/survey.yaml",
            )
    if res.responses == 0:
        raise _fail(relative, "it has no answers", "add the sample's rows")
    return res

"""The skills and capacity poster: what a parent can offer, matched to structured roles.

Rather than a general call for "help", a school offers named roles that fit what a parent knows,
likes and has time for, placed on a ladder from helping to leading. The role library is
``datasets/pd/roles.yaml``; this module matches a profile to it and writes the printable poster.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import Field, model_validator

from widgets.datasets import load_yaml
from widgets.html import render
from widgets.privacy import SKILLS_MIN_GROUP, big_enough
from widgets.schema_base import Id, StrictModel, check_unique
from widgets.sources import Sourced

PROFILE_ITEM = "skills:profile"  # the store item of a participant's profile (view and group)
POSTER_ITEM = "skills:poster"
MAX_SUGGESTIONS = 6
MIN_SUGGESTIONS = 3  # below this, roles open to anyone are added so nobody leaves empty-handed
MAX_TEXT = 200


class Choice(StrictModel):
    id: Id
    label: str = Field(min_length=1)


class Rung(Sourced):
    """A rung of the ladder of leadership (a seed's structure, so it cites the seed)."""

    id: Id
    name: str = Field(min_length=1)
    summary: str = Field(min_length=1)


class Role(Sourced):
    """A role a parent could take; roles a seed names cite it, the rest are kit guidance."""

    id: Id
    title: str = Field(min_length=1)
    rung: str = Field(min_length=1)
    what: str = Field(min_length=1)
    skills: list[str] = []
    interests: list[str] = []
    time: str = Field(min_length=1)
    places: list[str] = Field(min_length=1)
    check: bool = False

    @property
    def open_to_anyone(self) -> bool:
        return not self.skills


class RoleLibrary(StrictModel):
    rungs: list[Rung] = Field(min_length=2)
    skills: list[Choice] = Field(min_length=1)
    interests: list[Choice] = Field(min_length=1)
    times: list[Choice] = Field(min_length=1)
    places: list[Choice] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_exist(self) -> RoleLibrary:
        rungs = {r.id for r in self.rungs}
        skills = {s.id for s in self.skills}
        interests = {i.id for i in self.interests}
        times = {t.id for t in self.times}
        places = {p.id for p in self.places}
        check_unique((r.id for r in self.roles), "role")
        for r in self.roles:
            for kind, used, known in (
                ("rung", [r.rung], rungs),
                ("skill", r.skills, skills),
                ("interest", r.interests, interests),
                ("time", [r.time], times),
                ("place", r.places, places),
            ):
                for u in used:
                    if u not in known:
                        raise ValueError(
                            f"role {r.id!r} names the {kind} {u!r}, which is not in the {kind} "
                            f"list; use one of {sorted(known)}"
                        )
        return self

    def rung(self, rung_id: str) -> Rung:
        return next(r for r in self.rungs if r.id == rung_id)

    def time_index(self, time_id: str) -> int:
        return [t.id for t in self.times].index(time_id)

    def label(self, kind: str, item_id: str) -> str:
        choices = {
            "skills": self.skills,
            "interests": self.interests,
            "times": self.times,
            "places": self.places,
        }[kind]
        return next((c.label for c in choices if c.id == item_id), item_id)


@dataclass(frozen=True)
class Profile:
    """What one parent offers. Free text is capped; unknown ids are dropped by :func:`clean`."""

    name: str = ""
    skills: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    time: str = ""
    places: tuple[str, ...] = ()
    other: str = ""

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "skills": list(self.skills),
            "interests": list(self.interests),
            "time": self.time,
            "places": list(self.places),
            "other": self.other,
        }


def clean(raw: object, lib: RoleLibrary) -> Profile:
    """A saved or typed profile made safe: known ids only, text trimmed and capped."""
    raw = raw if isinstance(raw, dict) else {}

    def ids(key: str, known: list[Choice]) -> tuple[str, ...]:
        allowed = [c.id for c in known]
        got = raw.get(key) or []
        got = got if isinstance(got, list) else []
        return tuple(i for i in allowed if i in got)

    time = raw.get("time") if raw.get("time") in [t.id for t in lib.times] else ""
    return Profile(
        name=str(raw.get("name") or "").strip()[:80],
        skills=ids("skills", lib.skills),
        interests=ids("interests", lib.interests),
        time=time,
        places=ids("places", lib.places),
        other=str(raw.get("other") or "").strip()[:MAX_TEXT],
    )


@dataclass(frozen=True)
class Suggestion:
    role: Role
    rung: Rung
    score: int
    matched_skills: tuple[str, ...] = ()
    matched_interests: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Matches:
    suggestions: list[Suggestion] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def problems(profile: Profile) -> list[str]:
    """What is missing before roles can be suggested, in plain words."""
    out = []
    if not profile.skills and not profile.interests:
        out.append("Tick at least one skill or interest so the roles can be matched.")
    if not profile.time:
        out.append("Choose how much time the parent has.")
    if not profile.places:
        out.append("Tick at least one place where the parent can help.")
    return out


def fits(role: Role, profile: Profile, lib: RoleLibrary) -> bool:
    """A role fits when it needs no more time than offered and can happen somewhere offered."""
    if lib.time_index(role.time) > lib.time_index(profile.time):
        return False
    return bool(set(role.places) & set(profile.places))


def match(profile: Profile, lib: RoleLibrary) -> Matches:
    """Suggest roles: two points per shared skill, one per shared interest.

    Only roles that fit the parent's time and places count. The best are listed first; a tie goes
    to the lower rung, because a first role should be an easy one to say yes to. When fewer than
    three roles match, roles open to anyone are added so the poster always offers a way in.
    """
    found = problems(profile)
    if found:
        return Matches([], found)
    scored: list[Suggestion] = []
    fallback: list[Suggestion] = []
    for role in lib.roles:
        if not fits(role, profile, lib):
            continue
        ms = tuple(s for s in role.skills if s in profile.skills)
        mi = tuple(i for i in role.interests if i in profile.interests)
        score = 2 * len(ms) + len(mi)
        rung = lib.rung(role.rung)
        if score > 0:
            bits = [lib.label("skills", s) for s in ms] + [lib.label("interests", i) for i in mi]
            scored.append(Suggestion(role, rung, score, ms, mi, "Uses: " + ", ".join(bits)))
        elif role.open_to_anyone:
            fallback.append(Suggestion(role, rung, 0, reason="Open to anyone"))
    order = {r.id: i for i, r in enumerate(lib.rungs)}
    scored.sort(key=lambda s: (-s.score, order[s.rung.id], s.role.title))
    out = scored[:MAX_SUGGESTIONS]
    if len(out) < MIN_SUGGESTIONS:
        fallback.sort(key=lambda s: (order[s.rung.id], s.role.title))
        out += fallback[: MIN_SUGGESTIONS - len(out)]
    if not out:
        return Matches(
            [],
            [
                "No role in the library fits that time and place yet. Offer more time or another "
                "place, or add a role to datasets/pd/roles.yaml."
            ],
        )
    return Matches(out)


def by_rung(suggestions: list[Suggestion], lib: RoleLibrary) -> list[tuple[Rung, list[Suggestion]]]:
    """Suggestions grouped on the ladder, top rung first, as the poster draws them."""
    return [
        (rung, [s for s in suggestions if s.rung.id == rung.id]) for rung in reversed(lib.rungs)
    ]


def poster_html(profile: Profile, matches: Matches, lib: RoleLibrary) -> str:
    """A one-page printable poster (the template escapes every typed word)."""
    return render(
        "printable/skills_poster.html",
        who=profile.name or "A parent in our community",
        skills=[lib.label("skills", i) for i in profile.skills],
        interests=[lib.label("interests", i) for i in profile.interests],
        time=lib.label("times", profile.time) if profile.time else "",
        places=[lib.label("places", p) for p in profile.places],
        other=profile.other,
        ladder=[
            {"name": rung.name, "summary": rung.summary, "suggestions": sugg}
            for rung, sugg in by_rung(matches.suggestions, lib)
        ],
    )


def load_library() -> RoleLibrary:
    return load_yaml("pd/roles.yaml", RoleLibrary)


@dataclass(frozen=True)
class GroupCapacity:
    """What a workshop group offers between them.

    ``skills`` and ``interests`` are None below :data:`~widgets.privacy.SKILLS_MIN_GROUP` people.
    """

    people: int
    skills: dict[str, int] | None
    interests: dict[str, int] | None


def group_capacity(
    profiles: list[Profile], lib: RoleLibrary, min_group: int = SKILLS_MIN_GROUP
) -> GroupCapacity:
    """Count how many people offer each skill and interest, most common first."""
    if not big_enough(len(profiles), min_group):
        return GroupCapacity(len(profiles), None, None)

    def count(kind: str, choices: list[Choice]) -> dict[str, int]:
        got = {c.label: sum(c.id in getattr(p, kind) for p in profiles) for c in choices}
        return dict(sorted(((k, v) for k, v in got.items() if v), key=lambda kv: -kv[1]))

    return GroupCapacity(
        len(profiles), count("skills", lib.skills), count("interests", lib.interests)
    )

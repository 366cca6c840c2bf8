"""Letter languages for the parents' evening: which letter a family gets, how dates, times and
salutations are written, and what the office must be told about the letters' languages.

Everything language-specific is data in ``datasets/evening/letters.yaml``: the templates, the
names each language goes by in a school's file ("Polish", "polski", "pl"), the titles taken off
a parent's name for the salutation, and how a school's locale writes a date. Pure functions,
tested without a kernel.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pydantic import Field, field_validator, model_validator

from widgets.datasets import load_yaml
from widgets.schema_base import StrictModel

# Placeholders a template may use; anything else in {braces} is a typo the schema names.
PLACEHOLDERS = frozenset(
    {"parent", "family", "school", "date", "venue", "contact", "minutes", "teachers", "interpreter"}
)
_PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_]+)\}")
_TEXT_FIELDS = (
    "title", "salutation", "salutation_plain", "intro", "col_time", "col_teacher", "col_room",
    "col_child", "interpreter", "arrive", "unplaced", "none_title", "none", "none_next",
    "none_interpreter", "none_contact", "change", "place", "sign_off",
)  # fmt: skip


def check_locale(v: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(v)
    except (UnknownLocaleError, ValueError):
        raise ValueError(
            f"{v!r} is not a locale Babel knows; write it like en_GB, fr_CA, pl or zh_Hans"
        ) from None
    return v


class LetterTemplate(StrictModel):
    """One language's letter. ``checked_by_speaker`` stays false until a speaker of the language
    has read it; the planner tells the office so while it is false."""

    name: str = Field(min_length=1)  # as the language calls itself
    english_name: str = Field(min_length=1)  # for the office's messages
    locale: str
    dir: str = Field(pattern="^(ltr|rtl)$")
    checked_by_speaker: bool
    aliases: list[str] = []
    title: str
    salutation: str  # usually with {family}: "Dear {family} family,"
    salutation_plain: str  # when no family name can be told from the parent's name
    intro: str
    col_time: str
    col_teacher: str
    col_room: str
    col_child: str
    interpreter: str
    arrive: str
    unplaced: str
    none_title: str
    none: str
    none_next: str
    none_interpreter: str
    none_contact: str
    change: str
    place: str
    sign_off: str

    @field_validator("locale")
    @classmethod
    def _locale(cls, v: str) -> str:
        return check_locale(v)

    @model_validator(mode="after")
    def _placeholders(self) -> LetterTemplate:
        for f in _TEXT_FIELDS:
            text = getattr(self, f)
            if not text.strip():
                raise ValueError(f"{f} is empty; write the {self.english_name} text for it")
            bad = set(_PLACEHOLDER_RE.findall(text)) - PLACEHOLDERS
            if bad:
                raise ValueError(
                    f"{f} uses {', '.join('{' + b + '}' for b in sorted(bad))}, which the "
                    f"planner does not fill; use only {', '.join(sorted(PLACEHOLDERS))}"
                )
        if "{family}" in self.salutation_plain:
            raise ValueError("salutation_plain is for when there is no family name: no {family}")
        return self


class SchoolLocale(StrictModel):
    """How a school's locale writes the date of the evening when Babel's default is not what
    schools there write (en_GB: "Wednesday 16 December 2026", without Babel's comma)."""

    date: str = Field(min_length=1)  # a Babel/CLDR date pattern, e.g. "EEEE d MMMM y"


class LetterFile(StrictModel):
    titles: list[str] = []
    school_locales: dict[str, SchoolLocale] = {}
    languages: dict[str, LetterTemplate] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> LetterFile:
        if "en" not in self.languages:
            raise ValueError("languages needs an 'en' block: it is the letter of last resort")
        for code in self.school_locales:
            check_locale(code)
        seen: dict[str, str] = {}
        for code, tpl in self.languages.items():
            for name in {code, tpl.name, tpl.english_name, *tpl.aliases}:
                k = lang_key(name)
                if k in seen and seen[k] != code:
                    raise ValueError(
                        f"{name!r} is a name of both {seen[k]!r} and {code!r}; keep it in one"
                    )
                seen[k] = code
        return self


def letter_file() -> LetterFile:
    return load_yaml("evening/letters.yaml", LetterFile)


def letter_templates() -> dict[str, LetterTemplate]:
    return letter_file().languages


# ----------------------------------------------------------------------------- home languages


def lang_key(text: str) -> str:
    """Case, accents and punctuation set aside, any script kept ("Español" == "espanol",
    "中文" stays "中文"; ASCII-only keys would make every non-Latin name the same empty key)."""
    t = unicodedata.normalize("NFKD", str(text).casefold())
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", t)


def _names(lf: LetterFile) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, tpl in lf.languages.items():
        for name in (code, tpl.name, tpl.english_name, *tpl.aliases):
            out[lang_key(name)] = code
    return out


def match_language(language: str, lf: LetterFile | None = None) -> str | None:
    """The letter code for a home language as a school's file writes it, or None when there is
    no letter in it. Tries the whole value ("Chinese (Mandarin)"), then each part of it
    ("pl-PL", "Punjabi / ਪੰਜਾਬੀ", "zh_Hans")."""
    names = _names(lf or letter_file())
    key = lang_key(language)
    if not key:
        return None
    if key in names:
        return names[key]
    for part in re.split(r"[\s()\[\],;/|_\-]+", str(language)):
        pk = lang_key(part)
        if pk and pk in names:
            return names[pk]
    return None


def letter_language(language: str) -> str:
    """The template code for a home language ('en' when there is no letter in it)."""
    if not str(language).strip():
        return "en"
    return match_language(language) or "en"


# ----------------------------------------------------------------------------- dates and times


@lru_cache(maxsize=256)
def _is_24h(school_locale: str) -> bool:
    from babel import Locale

    return "H" in Locale.parse(school_locale).time_formats["short"].pattern


def _same_language(a: str, b: str) -> bool:
    return a.replace("-", "_").split("_")[0].lower() == b.replace("-", "_").split("_")[0].lower()


@lru_cache(maxsize=256)
def format_date(d: dt.date, letter_locale: str, school_locale: str = "en_GB") -> str:
    """The evening's date in the letter's language. A letter in the school's own language
    follows the school's locale exactly (en_GB: "Wednesday 16 December 2026"); any other
    language is written the way that language writes a full date."""
    from babel.dates import format_date as babel_date

    if _same_language(letter_locale, school_locale):
        conv = letter_file().school_locales.get(school_locale)
        return babel_date(d, format=conv.date if conv else "full", locale=school_locale)
    return babel_date(d, format="full", locale=letter_locale)


@lru_cache(maxsize=4096)
def format_clock(minutes: int, letter_locale: str, school_locale: str = "en_GB") -> str:
    """A time of day in the letter's language on the school's clock: 24-hour when the school's
    locale uses it (en_GB: 17:40 in every letter), 12-hour otherwise (en_US: 5:40 PM)."""
    from babel.dates import format_skeleton

    t = dt.time(minutes // 60 % 24, minutes % 60)
    same = _same_language(letter_locale, school_locale)
    locale = school_locale if same else letter_locale
    return format_skeleton("Hm" if _is_24h(school_locale) else "hm", t, locale=locale)


def format_when(d: dt.date, minutes: int, letter_locale: str, school_locale: str = "en_GB") -> str:
    """Date and time together, joined the way the letter's language joins them
    (en_GB: "Wednesday 16 December 2026, 17:40")."""
    from babel import Locale

    same = _same_language(letter_locale, school_locale)
    glue = Locale.parse(school_locale if same else letter_locale).datetime_formats["medium"]
    glue = str(glue)
    date = format_date(d, letter_locale, school_locale)
    clock = format_clock(minutes, letter_locale, school_locale)
    return glue.replace("{1}", "\x00").replace("{0}", clock).replace("\x00", date)


# ----------------------------------------------------------------------------- salutations


def family_name(parent: str, titles: list[str] | None = None) -> str:
    """The family name in a parent's name as a school writes it: titles and "and" taken off
    ("Mr García" -> "García", "Mr and Mrs Haddad" -> "Haddad", "Robinson, Jane" -> "Robinson",
    "Ms Lee (mother)" -> "Lee": words in brackets are notes, unless they are all there is).
    With a title, everything after it is the family name ("Sra. García López"); without one,
    the last word ("Jane Roe" -> "Roe"). Empty when nothing is left."""
    titles_k = {lang_key(t) for t in (titles if titles is not None else letter_file().titles)}
    text = str(parent).strip()
    outside = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)  # "García (Mr)", "Lee (mother)"
    text = outside if lang_key(outside) else re.sub(r"[()\[\]]", " ", text)
    if "," in text:
        text = text.split(",")[0]
    words = text.split()
    kept = [w for w in words if lang_key(w) and lang_key(w) not in titles_k]
    if not kept:
        return ""
    return " ".join(kept) if len(kept) < len(words) else kept[-1]


def salutation(tpl: LetterTemplate, parent: str, titles: list[str] | None = None) -> str:
    """The letter's opening line, unescaped: "Dear García family," / "Estimada familia García:"."""
    fam = family_name(parent, titles)
    if not fam:
        return tpl.salutation_plain
    return fill(tpl.salutation, {"family": fam}, escape=False)


def fill(text: str, values: dict[str, str], escape: bool = True) -> str:
    """Fill the {placeholders} in one pass: a value that itself contains "{school}" (a parent's
    name from an upload, say) is written as it is, never filled in turn. Escapes the template
    and the values for HTML unless ``escape`` is False."""
    e = (lambda x: html.escape(str(x), quote=True)) if escape else str

    def one(m: re.Match[str]) -> str:
        k = m.group(1)
        return e(values[k]) if k in values else e(m.group(0))

    out: list[str] = []
    pos = 0
    for m in _PLACEHOLDER_RE.finditer(text):
        out.append(e(text[pos : m.start()]))
        out.append(one(m))
        pos = m.end()
    out.append(e(text[pos:]))
    return "".join(out)


# ----------------------------------------------------------------------------- the office's notes


@dataclass(frozen=True)
class LanguageNotes:
    """What the office should know about the letters' languages (amber lines in step 4)."""

    unchecked: tuple[str, ...]  # English names of letter languages used but not checked
    missing: tuple[tuple[str, int], ...]  # (home language as written, families) with no letter

    def lines(self) -> list[str]:
        out = [
            f"Letters in {name} have not been checked by {_a(name)} {name} speaker yet. Fix: "
            f"ask one to read them, then set checked_by_speaker: true for {name} in "
            "datasets/evening/letters.yaml."
            for name in self.unchecked
        ]
        if self.missing:
            n = sum(c for _l, c in self.missing)
            langs = ", ".join(f"{lang} ({c})" for lang, c in self.missing)
            out.append(
                f"{n} {'family gets' if n == 1 else 'families get'} an English letter because "
                f"there is no letter in their home language: {langs}. Fix: add that language "
                "to datasets/evening/letters.yaml, or ask an interpreter to explain the letter."
            )
        return out


def _a(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def language_notes(languages: list[str], lf: LetterFile | None = None) -> LanguageNotes:
    """From the home language of each family that gets a letter (one entry per family, as
    written in the school's file; empty means English)."""
    lf = lf or letter_file()
    used: dict[str, None] = {}
    missing: dict[str, list[str]] = {}
    for lang in languages:
        code = match_language(lang, lf) if str(lang).strip() else "en"
        if code is None:
            missing.setdefault(lang_key(lang), []).append(str(lang).strip())
            code = "en"
        used[code] = None
    unchecked = tuple(
        sorted(lf.languages[c].english_name for c in used if not lf.languages[c].checked_by_speaker)
    )
    miss = tuple(sorted(((v[0], len(v)) for v in missing.values()), key=lambda x: (-x[1], x[0])))
    return LanguageNotes(unchecked, miss)

"""Reading ease and grade, computed offline and in time proportional to the text.

textstat's English formulas fetch nltk's CMU dictionary at run time, which fails in a school with
no internet and in CI. The Flesch formulas only need words, sentences and syllables, so the kit
counts them itself, on the same terms textstat uses, so that the two agree within half a grade
(``tests/bench/bench_readability.py`` prints the comparison on the letters in
``datasets/messages/readability_letters/``):

* a word is anything between spaces with a letter or a digit in it: "5:30", "£2.50" and
  "below-benchmark" are one word each, as in textstat;
* a sentence ends only at ``.``, ``!`` or ``?`` followed by a space or the end, and not after
  "Mr.", "Dr.", "e.g.", "i.e." or an initial; a time or price ("5.30", "£2.50") or a web address
  does not end one. A salutation, a heading or a list with no full stop of its own is read with
  the sentence it leads into, and a piece of two words or fewer ("Thank you!", "Questions?") is
  not counted as a sentence (textstat's rule). A closing ("Kind regards, Ms Khan, Year 4") counts
  once, as textstat counts it, and never as several sentences;
* syllables come from English spelling rules, checked against the CMU Pronouncing Dictionary,
  with the common words the rules get wrong listed in ``datasets/messages/syllables.yaml``.
  A number counts as one syllable, as in textstat.

Every regular expression here is linear on any input: none has nested or overlapping repeats,
and a repeat that could start anywhere in a long run is anchored by a lookbehind to the run's
start, so 1 MB without a space is read in one pass (``tests/unit/test_messages_bounded.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated

from pydantic import Field

from widgets.schema_base import StrictModel

# A "word" for the formulas: a run of non-spaces holding at least one letter or digit.
_TOKEN_RE = re.compile(r"\S+")
_HAS_WORD_RE = re.compile(r"[^\W_]")
_NOT_LETTER_RE = re.compile(r"[^\w'’]|[\d_]")  # splits "below-benchmark", keeps "don't" whole
_DIGIT_RE = re.compile(r"\d")

# A sentence end: a run of . ! ? (only from the run's start) and closing quotes or brackets,
# then a space or the end of the text.
_END_RE = re.compile(r"(?<![.!?])[.!?]++[\"'”’)\]]*+(?=\s|\Z)")
_BULLET_LINE_RE = re.compile(r"^[ \t]*+(?:[-•*–]|\d{1,3}[.)])[ \t]", re.MULTILINE)
_SALUTATION_RE = re.compile(
    r"\A\s*+(?:dear|hello|hi|good (?:morning|afternoon|evening)|to)\b[^\n]{0,80}\n",
    re.IGNORECASE,
)
# Before a full stop, these never end a sentence ("Mr. Khan", "e.g. a coat", "J. Smith").
_NEVER_ENDS = {
    "mr", "mrs", "ms", "mx", "dr", "prof", "st", "e.g", "eg", "i.e", "ie", "cf", "vs", "approx",
    "tel", "ref", "no", "nos", "fig", "dept",
}  # fmt: skip
# These end one only when the next word starts with a capital ("at 5 p.m. Please reply").
_ENDS_IF_CAPITAL = {"etc", "a.m", "p.m", "am", "pm"}
_NEXT_CHAR_RE = re.compile(r"\s*+(\S)")
MIN_SENTENCE_WORDS = 3  # textstat does not count a piece of two words or fewer as a sentence


class SyllableExceptions(StrictModel):
    """``datasets/messages/syllables.yaml``: words the spelling rules count wrongly."""

    words: dict[str, Annotated[int, Field(ge=1, le=12)]] = Field(min_length=1)


@lru_cache(maxsize=1)
def _exceptions() -> dict[str, int]:
    from widgets.datasets import load_yaml

    data = load_yaml("messages/syllables.yaml", SyllableExceptions)
    return {k.lower(): v for k, v in data.words.items()}


# -- syllables -----------------------------------------------------------------------------------

# Second halves of compounds and suffixes before which an "e" is silent ("some-thing", "safe-ty").
_MORPH = (
    r"(?:ment|ly|ful|less|ness|work|book|thing|one|where|body|times?|what|day|way|line|name|"
    r"table|ty|out|room|place|ball|time|house|holders?|guard(?:ing|ed)?|long|how|fore)s?"
)
_SILENT_E_RE = re.compile(rf"(?:(?<=[aeiouy][^aeiouy])|(?<=[aeiouy][^aeiouy]{{2}}))e(?={_MORPH}\Z)")
# Vowel pairs read as two syllables ("vi-de-o", "cre-ate" is listed instead), "-ing" after a
# vowel ("go-ing"), "-tling" ("set-tling"), "fire", "our".
_SPLIT_RE = re.compile(
    r"(?<![cgqstnv])(?<!ll)i[aou]|(?<![qg])ue(?=[ln])|oe(?=[mt])|(?<=sc)ie|(?<=[^aeioup])eo|"
    r"(?<![qg])u[ao]|[aeiouy]ing|(?<=[^aeiou])ier|(?<![ct])ie(?=n[ct])|(?<=[^aeiou])iet|eu[^m]|"
    r"[^aeiouyl]l(?=ing)|\Ah?ours?\Z|ire(?:[sd]|ly)?\Z"
)
_Y_CONSONANT_RE = re.compile(r"y(?=[aeiou])(?!ing|e[sd]?\Z)")
_VOWELS_RE = re.compile(r"[aeiouy]+")
_SPELLED = {"w": 3}  # a word with no vowel is read letter by letter ("PDF", "Mr")


def _by_rule(w: str) -> int:
    """Syllables of a lower-case word of letters by English spelling rules."""
    if not re.search(r"[aeiouy]", w):
        return sum(_SPELLED.get(c, 1) for c in w)
    g = _Y_CONSONANT_RE.sub("#", w)
    n = len(_VOWELS_RE.findall(g)) + len(_SPLIT_RE.findall(g))
    tail = w[-4:]
    if n > 1 and re.search(r"[^aeiouy]e\Z", tail) and not re.search(r"[^aeiouyl]le\Z", tail):
        n -= 1  # silent final e: "make", but "ta-ble"
    elif (
        n > 1
        and re.search(r"[^aeiouy]es\Z", tail)
        and not re.search(r"(?:[sxz]|[cs]h|[cg]|[^aeiouyl]l)es\Z", tail)
    ):
        n -= 1  # "makes", but "pla-ces", "ta-bles"
    elif (
        n > 1
        and re.search(r"[^aeiouy]ed\Z", tail)
        and not re.search(r"(?:[td]|[^aeiouyl]l)ed\Z", tail)
    ):
        n -= 1  # "asked", but "want-ed", "set-tled"
    elif n > 1 and re.search(r"[qg]ues?\Z", tail):
        n -= 1  # "u-nique", "vague"
    n -= len(_SILENT_E_RE.findall(w))
    return max(1, n)


@lru_cache(maxsize=20_000)
def syllables(word: str) -> int:
    """Syllables in one English word (at least 1 if it has a letter), with no download."""
    w = word.lower().replace("’", "'").strip("'")
    if not w:
        return 0
    known = _exceptions().get(w)
    if known is not None:
        return known
    extra = 0
    m = re.search(r"'(s|re|ll|ve|m|d)\Z", w)
    if m:
        w = w[: m.start()]
        known = _exceptions().get(w)
        if m.group(1) == "s" and re.search(r"(?:[sxz]|[cs]h|[cg]e)\Z", w):
            extra = 1  # "class's"
        if known is not None:
            return known + extra
    if w.endswith("n't"):
        w = w[:-3]
        if w.endswith(("d", "s", "z", "ul")):
            extra = 1  # "did-n't", but "don't"
    w = re.sub(r"[^a-z]", "", w)
    return _by_rule(w) + extra if w else 0


_ADDRESS_RE = re.compile(r"@|://|\Awww\.|[^\W\d_]\.[^\W\d_]")
# Longer than any word or ordinary web address: pasted code or a run of characters. It counts one
# syllable per four characters (about the rate of English spelling) without being read closely.
LONGEST_WORD_CHARS = 80


@lru_cache(maxsize=50_000)
def word_syllables(token: str) -> int:
    """Syllables in one word as :func:`words` finds it: "below-benchmark" 4, "5:30" 1."""
    if len(token) > LONGEST_WORD_CHARS:
        return len(token) // 4
    if _ADDRESS_RE.search(token):
        # an email or web address is glanced at, not read out letter by letter: its letters
        # run together, as textstat reads it ("wwwoakfieldschuk")
        joined = re.sub(r"[^a-z]", "", token.lower())
        return _by_rule(joined) if joined else 1
    parts = [p.strip("'’") for p in _NOT_LETTER_RE.split(token)]
    parts = [p for p in parts if p]
    if _DIGIT_RE.search(token):
        # "9am", "3.30pm", "£5": a number is read at a glance, one syllable as in textstat
        return max(1, sum(syllables(p) for p in parts if re.search(r"[aeiouy]", p.lower())))
    return sum(syllables(p) for p in parts) or 1


# -- words and sentences -------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """The words of ``text``: runs of non-spaces with a letter or digit in them."""
    return [t for t in _TOKEN_RE.findall(text or "") if _HAS_WORD_RE.search(t)]


def _token_before(text: str, end: int) -> str:
    """The word (up to 24 characters) ending at ``end``, lower case, without leading brackets."""
    start = end
    while start > 0 and end - start < 24 and not text[start - 1].isspace():
        start -= 1
    if start > 0 and not text[start - 1].isspace():
        return ""  # longer than any abbreviation
    return text[start:end].lstrip("([\"'“‘").lower()


def _is_end(text: str, m: re.Match) -> bool:
    if not m.group(0).startswith(".") or len(m.group(0).rstrip("\"'”’)]")) > 1:
        return True  # "!", "?", "..." always end
    before = _token_before(text, m.start())
    if not before:
        return True
    if before in _NEVER_ENDS or (len(before) == 1 and before.isalpha()):
        return False  # "Mr. Khan", "e.g. a coat", "J. Smith"
    if before in _ENDS_IF_CAPITAL:
        nxt = _NEXT_CHAR_RE.match(text, m.end())
        return bool(nxt and nxt.group(1).isupper())
    return True


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, in order, each holding at least one word."""
    text = text or ""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _END_RE.finditer(text):
        if _is_end(text, m):
            out.append((start, m.end()))
            start = m.end()
    out.append((start, len(text)))
    spans = []
    for s, e in out:
        chunk = text[s:e]
        lead = len(chunk) - len(chunk.lstrip())
        if _HAS_WORD_RE.search(chunk):
            spans.append((s + lead, e))
    return spans


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` as the formulas count them (lists stay with their lead-in)."""
    return [text[s:e].strip() for s, e in sentence_spans(text)]


def prose_words(sentence: str) -> list[str]:
    """Words of a sentence without an opening salutation or list lines, for "too long" checks."""
    body = _SALUTATION_RE.sub("", sentence, count=1)
    lines = body.split("\n")
    kept = [ln for ln in lines if not _BULLET_LINE_RE.match(ln)]
    return words("\n".join(kept))


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def reading_ease(self) -> float:
        """Flesch reading ease: 60-70 is plain English; under 50 is hard for many adults."""
        if not self.words:
            return 0.0
        return 206.835 - 1.015 * self.words_per_sentence - 84.6 * self.syllables_per_word

    @property
    def grade(self) -> float:
        """Flesch-Kincaid grade level: the school grade a reader needs (aim for 6 to 8)."""
        if not self.words:
            return 0.0
        return 0.39 * self.words_per_sentence + 11.8 * self.syllables_per_word - 15.59


def readability(text: str) -> Readability:
    """Words, sentences and syllables of ``text`` on textstat's terms (see the module notes)."""
    ws = words(text)
    if not ws:
        return Readability(0, 0, 0)
    counted = sum(1 for s, e in sentence_spans(text) if len(words(text[s:e])) >= MIN_SENTENCE_WORDS)
    return Readability(len(ws), max(1, counted), sum(map(word_syllables, ws)))

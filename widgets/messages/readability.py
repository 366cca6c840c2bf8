"""Reading ease and grade, computed offline.

textstat's English formulas fetch nltk data at run time, which fails in a school with no internet
and in CI. The Flesch formulas only need words, sentences and syllables, so the kit computes them
itself: syllables from Pyphen's bundled hyphenation dictionary, checked against a vowel-group rule
because Pyphen will not split near the ends of a word ("evening" comes back whole).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

WORD_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+(?:['’][A-Za-z]+)?")
SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+|\n\s*\n|\n(?=\s*[-•*]\s)")


@lru_cache(maxsize=1)
def _dic():
    import pyphen

    return pyphen.Pyphen(lang="en_US")


def _vowel_groups(word: str) -> int:
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", w)))


@lru_cache(maxsize=20_000)
def syllables(word: str) -> int:
    """Syllables in one English word (at least 1), with no download."""
    w = word.strip("'’").lower()
    if not w:
        return 0
    return max(len(_dic().positions(w)) + 1, _vowel_groups(w))


def sentences(text: str) -> list[str]:
    parts = [p.strip(" \t\n-•*") for p in SENTENCE_END_RE.split(text or "")]
    return [p for p in parts if WORD_RE.search(p)]


def words(text: str) -> list[str]:
    return WORD_RE.findall(text or "")


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
    ws = words(text)
    return Readability(len(ws), max(1, len(sentences(text))) if ws else 0, sum(map(syllables, ws)))

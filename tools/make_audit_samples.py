"""Synthetic family-survey exports for the barrier audit (seeded, so every run is identical).

* ``datasets/audit/survey_sample.csv``: about 90 families of one school, deliberately messy (mixed
  case, stray spaces, blank cells, a few unreadable answers, French answers) with one home-language
  group small enough to be suppressed and one that needs complementary suppression. Committed.
* A district export of 100,000 responses across 24 schools, committed gzipped (1.5 MB; 20 MB as
  plain CSV) as ``datasets/audit/district_survey.csv.gz``, which the app reads as it is. Rebuild
  with ``python tools/make_audit_samples.py --district /tmp/district.csv && gzip -9n -c
  /tmp/district.csv > datasets/audit/district_survey.csv.gz``. The benchmark
  ``tests/bench/bench_audit.py`` calls :func:`district_csv` directly.

No real family is in either file.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
AUDIT = ROOT / "datasets" / "audit"

# Mean tendency (on a 1-4 scale) per item: the practices families feel least are lower.
BASE = {
    "front-door": 3.1, "front-office": 3.2, "all-views-heard": 2.5, "positive-first": 2.6,
    "plain-language": 2.9, "translated": 2.4, "channels": 2.9, "home-ideas": 2.6,
    "times-vary": 2.1, "childcare": 1.9, "transport": 2.5, "digital-access": 2.6, "ladder": 2.2,
    "acted-on": 2.0, "step-back": 2.9, "students-asked": 2.2,
}  # fmt: skip
# Families whose home language is neither English nor French feel language items much lower.
LANGUAGE_SENSITIVE = {"translated": -1.1, "front-office": -0.5, "plain-language": -0.6}
LANGUAGES = ["English", "French", "Arabic", "Spanish", "Mandarin", "Somali", "Tagalog", "Punjabi"]
LANG_P = [0.52, 0.16, 0.08, 0.07, 0.06, 0.04, 0.04, 0.03]
GRADES = ["K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]


def _parent(lang: str) -> dict:
    return yaml.safe_load((AUDIT / f"parent_{lang}.yaml").read_text(encoding="utf-8"))


def _ratings(rng: np.random.Generator, n: int, langs: np.ndarray) -> dict[str, np.ndarray]:
    other = ~np.isin(langs, ["English", "French"])
    out = {}
    for item, base in BASE.items():
        mu = np.full(n, base) + np.where(other, LANGUAGE_SENSITIVE.get(item, 0.0), 0.0)
        x = np.rint(mu + rng.normal(0, 0.85, n)).clip(1, 4).astype(np.int8)
        out[item] = x
    return out


def district_csv(rows: int = 100_000, seed: int = 2026) -> bytes:
    """A district survey export as CSV bytes: English/French answer words, blanks and don't-knows."""
    rng = np.random.default_rng(seed)
    en, fr = _parent("en"), _parent("fr")
    langs = rng.choice(LANGUAGES, size=rows, p=LANG_P)
    grades = rng.choice(GRADES, size=rows)
    schools = rng.choice([f"School {k:02d}" for k in range(1, 25)], size=rows)
    ratings = _ratings(rng, rows, langs)
    french = langs == "French"
    labels_en = np.array([""] + [s["label"] for s in en["scale"]] + [en["dont_know"]], dtype=object)
    labels_fr = np.array([""] + [s["label"] for s in fr["scale"]] + [fr["dont_know"]], dtype=object)
    cols = {
        "Response ID": np.arange(1, rows + 1).astype(str),
        "School": schools,
        "Home language": langs,
        "Grade": grades,
    }
    for it in en["items"]:
        v = ratings[it["id"]].astype(np.int64)
        r = rng.random(rows)
        v = np.where(r < 0.03, 5, v)  # don't know
        v = np.where(r > 0.98, 0, v)  # blank
        cols[it["text"]] = np.where(french, labels_fr[v], labels_en[v])
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(list(cols))
    w.writerows(zip(*cols.values(), strict=True))
    return buf.getvalue().encode("utf-8")


def small_csv(seed: int = 7) -> str:
    """One school's messy export (~90 rows); see the module docstring for what is in it."""
    rng = np.random.default_rng(seed)
    en, fr = _parent("en"), _parent("fr")
    group_sizes = {"English": 46, "French": 22, "Arabic": 15, "Somali": 12, "Tigrinya": 4}
    langs = np.array([g for g, k in group_sizes.items() for _ in range(k)])
    rng.shuffle(langs)
    n = len(langs)
    ratings = _ratings(rng, n, langs)
    items = en["items"][:12]  # a school's short survey asks 12 of the questions
    headers = ["Timestamp", "Home language", "Grade"]
    for k, it in enumerate(items):
        text = it["text"]
        if k == 2:
            text = "  " + text.upper() + " "  # a shouty, padded heading still maps
        headers.append(text)
    headers.append("Any other comments?")
    rows = []
    en_labels = [s["label"] for s in en["scale"]]
    fr_labels = [s["label"] for s in fr["scale"]]
    messy = [str.lower, str.upper, lambda s: " " + s + "  ", lambda s: s]
    for r in range(n):
        lang = str(langs[r])
        row = [
            f"2026-03-{1 + r % 28:02d} 19:{r % 60:02d}",
            messy[r % 4](lang),
            str(rng.choice(GRADES)),
        ]
        for it in items:
            v = int(ratings[it["id"]][r])
            u = rng.random()
            if u < 0.04:
                cell = ""
            elif u < 0.08:
                cell = fr["dont_know"] if lang == "French" else en["dont_know"]
            elif u < 0.14:
                cell = str(v)  # some answers typed as numbers
            else:
                labels = fr_labels if lang == "French" else en_labels
                cell = messy[(r + v) % 4](labels[v - 1])
            row.append(cell)
        row.append("" if r % 5 else "Evening meetings are hard with my shifts")
        rows.append(row)
    # Things a real export contains: a row with an unreadable answer, a row typed out of range,
    # and an empty line in the middle.
    rows[5][4] = "maybe"
    rows[17][6] = "7"
    rows.insert(30, [""] * len(headers))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(headers)
    w.writerows(rows)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", type=Path, help="write the small sample here")
    ap.add_argument("--district", type=Path, help="write the district export here")
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args(argv)
    if not args.small and not args.district:
        args.small = AUDIT / "survey_sample.csv"
    if args.small:
        args.small.write_text(small_csv(), encoding="utf-8")
        print(f"wrote {args.small}")
    if args.district:
        args.district.write_bytes(district_csv(args.rows))
        print(f"wrote {args.district} ({args.district.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How fast the family survey analysis is on a district's worth of responses.

Generates the seeded synthetic district export (about 100,000 responses, 16 questions, English and
French answer words, blanks and don't-knows; see tools/make_audit_samples.py), then times each
stage as the app runs it: reading the CSV, reading every answer (mapping + Likert words to
numbers), and the aggregation (distributions per question, and breakdowns by home language, grade
and school with small-group and complementary suppression). Prints the median of several runs.
Goal: aggregation under 2 s for 100k responses. Also times recognising the columns from their
answers (the mapping step) and refusing an upload with 1 GiB inside a gzip (the memory it takes is
checked by tests/unit/test_audit_survey_columns.py; here only how long the refusal takes).

Run: .venv/bin/python tests/bench/bench_audit.py [--rows N] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import struct
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from make_audit_samples import district_csv  # noqa: E402

from widgets.audit import survey, survey_columns  # noqa: E402
from widgets.audit.instrument import (  # noqa: E402
    load_instrument,
    load_likert,
    load_parent_version,
)
from widgets.datasets import DatasetError  # noqa: E402

GOAL_S = 2.0


def _time(fn):  # noqa: ANN001, ANN202
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def _gib_gzip() -> bytes:
    """A gzip of 1 GiB of survey-like lines, built from one compressed MiB repeated."""
    line = b"Strongly agree,Agree,Disagree,English\n"
    chunk = line * ((1 << 20) // len(line)) + b"\n" * ((1 << 20) % len(line))
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    seg = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(chunk, crc)
    head = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return head + seg * 1024 + tail + struct.pack("<II", crc, (1 << 30) & 0xFFFFFFFF)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Family survey analysis benchmark")
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)

    inst = load_instrument()
    versions = [load_parent_version("en"), load_parent_version("fr")]
    likert = load_likert()
    raw, gen = _time(lambda: district_csv(args.rows))
    print(f"generated {args.rows:,} responses ({len(raw) / 1e6:.1f} MB CSV) in {gen:.2f} s")

    times: dict[str, list[float]] = {
        "read": [], "recognise": [], "answers": [], "aggregate": [], "total": []
    }  # fmt: skip
    for _ in range(args.runs):
        up, t_read = _time(lambda: survey.read_table(raw, "district.csv"))
        preview, t_rec = _time(
            lambda: survey_columns.recognise(up, inst, versions, likert)  # noqa: B023
        )
        mapping = preview.mapping
        data, t_ans = _time(lambda: survey.prepare(up, mapping, likert, versions))  # noqa: B023

        def agg(d=data):  # noqa: ANN001, ANN202
            res = survey.distributions(d)
            bds = [survey.breakdown(d, g, 10) for g in ("Home language", "Grade", "School")]
            return res, bds

        (res, bds), t_agg = _time(agg)
        times["read"].append(t_read)
        times["recognise"].append(t_rec)
        times["answers"].append(t_ans)
        times["aggregate"].append(t_agg)
        times["total"].append(t_read + t_rec + t_ans + t_agg)

    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"responses analysed: {data.responses:,}; unreadable answers: {len(data.problems)}")
    print(f"groups: {', '.join(f'{b.group_column} {len(b.groups)}' for b in bds)}")
    print(f"median of {args.runs} runs:")
    print(f"  read CSV             {med['read']:.3f} s")
    print(f"  recognise columns    {med['recognise']:.3f} s")
    print(f"  read answers         {med['answers']:.3f} s")
    print(f"  aggregate+suppress   {med['aggregate']:.3f} s   (goal < {GOAL_S:.0f} s)")
    print(f"  upload to results    {med['total']:.3f} s")
    bomb = _gib_gzip()
    refusals = []
    for _ in range(args.runs):
        t = time.perf_counter()
        try:
            survey.read_table(bomb, "bomb.csv.gz")
        except DatasetError as e:
            why = e.problems[0].what
        refusals.append(time.perf_counter() - t)
    print(
        f"  refuse a {len(bomb) / 1e6:.1f} MB gzip with 1 GiB inside "
        f"{statistics.median(refusals):.3f} s ({why})"
    )
    ok = med["aggregate"] < GOAL_S
    print("PASS" if ok else "SLOWER THAN GOAL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

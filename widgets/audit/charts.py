"""Charts for the audit as PNG bytes with alt text, drawn with matplotlib's Agg canvas.

Three charts: a dimension profile (optionally against last year or another group), a diverging
stacked bar of every item's answers (disagreement to the left of zero, agreement to the right,
a middle answer split across zero), and staff against families per dimension. Each comes with an
alt text written from the data, so a screen-reader user and a printed plan get the same message as
the picture. The Figure API is used directly (no pyplot), so charts are safe to draw from widget
callbacks on any thread; matplotlib is imported only when a chart is drawn.
"""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

BLUE, ORANGE, GREY = "#1f5fa8", "#d9822b", "#9aa4ae"
# Colour-blind-safe diverging palette (brown-teal), darker at the ends.
NEG = ["#8c510a", "#d8b365", "#f0dfb8"]
POS = ["#c7eae5", "#5ab4ac", "#01665e"]
NEUTRAL = "#dddddd"


@dataclass(frozen=True)
class Chart:
    """A drawn chart, its alt text, and the same numbers as a table (columns, then rows).

    The table is shown beside the picture (in a ``<details>``) so nobody needs the colours or the
    image to read the result; every chart function fills it from the data it drew.
    """

    png: bytes
    alt: str
    title: str
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")

    def html(self, css_class: str = "pap-chart") -> str:
        """An ``<img>`` with its alt text, the text version and a data table, all visible to all."""
        from widgets.html import render

        return render("audit/chart.html", chart=self, css_class=css_class)


def _figure(width: float, height: float):  # -> matplotlib Figure
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    fig.patch.set_facecolor("white")
    return fig


def _png(fig) -> bytes:  # noqa: ANN001
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def _wrap(text: str, width: int = 34) -> str:
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def _fmt(v: float | None) -> str:
    return "no score" if v is None else f"{v:.0f}"


def profile_chart(
    scores: Sequence[tuple[str, float | None]],
    *,
    label: str = "Score",
    compare: Sequence[float | None] | None = None,
    compare_label: str = "",
    title: str = "Profile by dimension",
) -> Chart:
    """Horizontal bars of dimension scores (0-100); ``compare`` adds a second series (e.g. last year)."""
    names = [n for n, _ in scores]
    vals = [v for _, v in scores]
    fig = _figure(7.5, 0.55 * len(names) + 1.4)
    ax = fig.add_subplot()
    ys = list(range(len(names)))[::-1]
    h = 0.38 if compare is not None else 0.6
    off = h / 2 if compare is not None else 0.0
    ax.barh([y + off for y in ys], [v or 0 for v in vals], height=h, color=BLUE, label=label)
    for y, v in zip(ys, vals, strict=True):
        ax.text((v or 0) + 1, y + off, "–" if v is None else f"{v:.0f}", va="center", fontsize=8)
    if compare is not None:
        ax.barh(
            [y - off for y in ys],
            [c or 0 for c in compare],
            height=h,
            color=GREY,
            label=compare_label,
        )
        for y, c in zip(ys, compare, strict=True):
            ax.text(
                (c or 0) + 1, y - off, "–" if c is None else f"{c:.0f}", va="center", fontsize=8
            )
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=8, frameon=False)
    ax.set_yticks(ys, [_wrap(n, 28) for n in names], fontsize=9)
    ax.set_xlim(0, 108)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(
        "Score (0 = not in place / strongly disagree, 100 = fully in place / strongly agree)",
        fontsize=8,
    )
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title, fontsize=11, loc="left")
    rated = [(n, v) for n, v in scores if v is not None]
    if rated:
        hi = max(rated, key=lambda x: x[1])
        lo = min(rated, key=lambda x: x[1])
        alt = (
            f"Bar chart of {len(names)} dimensions scored 0 to 100. "
            f"Strongest: {hi[0]} ({hi[1]:.0f}). Weakest: {lo[0]} ({lo[1]:.0f}). "
            + "Scores: "
            + "; ".join(f"{n} {_fmt(v)}" for n, v in scores)
            + "."
        )
    else:
        alt = f"Bar chart of {len(names)} dimensions: nothing rated yet."
    columns: tuple[str, ...] = ("Dimension", label)
    table = [(n, _fmt(v)) for n, v in scores]
    if compare is not None:
        columns = (*columns, compare_label or "Compared with", "Change")
        table = [
            (n, _fmt(v), _fmt(c), f"{v - c:+.0f}" if v is not None and c is not None else "–")
            for (n, v), c in zip(scores, compare, strict=True)
        ]
    if compare is not None:
        alt += (
            f" Compared with {compare_label}: "
            + "; ".join(
                f"{n} {_fmt(c)}"
                + (f" (change {v - c:+.0f})" if v is not None and c is not None else "")
                for (n, v), c in zip(scores, compare, strict=True)
            )
            + "."
        )
    return Chart(_png(fig), alt, title, columns, tuple(table))


def diverging_chart(
    rows: Sequence[tuple[str, Sequence[int]]],
    labels: Sequence[str],
    *,
    dont_know: Sequence[int] | None = None,
    title: str = "Answers by item",
) -> Chart:
    """A diverging stacked bar per item: shares disagreeing left of zero, agreeing right.

    ``rows`` are (item label, counts from the lowest to the highest scale point). With an odd
    number of points the middle answer is split half each side of zero.
    """
    k = len(labels)
    half = k // 2
    mid = k % 2 == 1
    colours = _scale_colours(k)
    fig = _figure(8.5, 0.42 * len(rows) + 1.8)
    ax = fig.add_subplot()
    ys = list(range(len(rows)))[::-1]
    summary = []
    for y, (name, counts) in zip(ys, rows, strict=True):
        n = sum(counts)
        shares = [c / n * 100 if n else 0.0 for c in counts]
        left = -(sum(shares[:half]) + (shares[half] / 2 if mid else 0.0))
        for p in range(k):
            ax.barh(
                y,
                shares[p],
                left=left,
                color=colours[p],
                height=0.7,
                edgecolor="white",
                linewidth=0.5,
            )
            if shares[p] >= 8:
                ax.text(
                    left + shares[p] / 2,
                    y,
                    f"{shares[p]:.0f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if p in (0, k - 1) else "#222",
                )
            left += shares[p]
        agree = sum(shares[k - half :])
        disagree = sum(shares[:half])
        summary.append((name, agree, disagree, n))
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_yticks(ys, [_wrap(n, 44) for n, _ in rows], fontsize=8)
    ax.set_xlim(-100, 100)
    ax.set_xticks([-100, -50, 0, 50, 100], ["100%", "50%", "0", "50%", "100%"], fontsize=8)
    ax.spines[["top", "right", "left"]].set_visible(False)
    from matplotlib.patches import Patch

    handles = [Patch(color=colours[p], label=labels[p]) for p in range(k)]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.06),
        ncol=k,
        fontsize=8,
        frameon=False,
    )
    ax.set_title(title, fontsize=11, loc="left")
    low = sorted(summary, key=lambda s: s[1] - s[2])[:3]
    alt = (
        f"Diverging stacked bar chart of {len(rows)} items: share disagreeing left of centre, "
        "agreeing right. "
        + " ".join(
            f"{name}: {agree:.0f}% agree, {dis:.0f}% disagree (n={n})."
            for name, agree, dis, n in summary
        )
        + (" Least agreement: " + "; ".join(s[0] for s in low) + "." if low else "")
    )
    if dont_know is not None and any(dont_know):
        alt += (
            ' "Don\'t know" answers are left out of the bars: '
            + ", ".join(f"{rows[i][0]} {d}" for i, d in enumerate(dont_know) if d)
            + "."
        )
    columns = ("Item", *(f"{lab} (%)" for lab in labels), "Answers (n)", "Don't know")
    table = tuple(
        (
            name,
            *(f"{c / sum(counts) * 100:.0f}" if sum(counts) else "–" for c in counts),
            str(sum(counts)),
            str(dont_know[i]) if dont_know is not None else "–",
        )
        for i, (name, counts) in enumerate(rows)
    )
    return Chart(_png(fig), alt, title, columns, table)


def _scale_colours(k: int) -> list[str]:
    half = k // 2
    neg = NEG[:half] if half <= 3 else NEG + [NEG[-1]] * (half - 3)
    pos = POS[3 - half :] if half <= 3 else [POS[0]] * (half - 3) + POS
    return neg + ([NEUTRAL] if k % 2 else []) + pos


def gap_chart(
    rows: Sequence[tuple[str, float | None, float | None]],
    *,
    title: str = "Staff and families compared",
) -> Chart:
    """A dot plot per dimension: staff score, family score and the line between them."""
    fig = _figure(7.5, 0.55 * len(rows) + 1.5)
    ax = fig.add_subplot()
    ys = list(range(len(rows)))[::-1]
    for y, (_name, s, p) in zip(ys, rows, strict=True):
        if s is not None and p is not None:
            ax.plot([s, p], [y, y], color="#bbb", linewidth=3, zorder=1)
        if s is not None:
            ax.scatter([s], [y], color=BLUE, s=60, zorder=2, marker="o")
        if p is not None:
            ax.scatter([p], [y], color=ORANGE, s=60, zorder=2, marker="D")
        if s is not None and p is not None:
            ax.text(max(s, p) + 2, y, f"{s - p:+.0f}", va="center", fontsize=8)
    ax.scatter([], [], color=BLUE, marker="o", label="Staff")
    ax.scatter([], [], color=ORANGE, marker="D", label="Families")
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=8, frameon=False)
    ax.set_yticks(ys, [_wrap(n, 28) for n, _, _ in rows], fontsize=9)
    ax.set_xlim(0, 110)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("Score 0-100 (number = staff minus families)", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title, fontsize=11, loc="left")
    both = [(n, s, p) for n, s, p in rows if s is not None and p is not None]
    alt = (
        f"Dot plot comparing staff and family scores (0 to 100) in {len(rows)} dimensions. "
        + " ".join(
            f"{n}: staff {_fmt(s)}, families {_fmt(p)}"
            + (f", gap {s - p:+.0f}." if s is not None and p is not None else ".")
            for n, s, p in rows
        )
    )
    if both:
        widest = max(both, key=lambda r: abs(r[1] - r[2]))
        alt += f" Widest gap: {widest[0]} ({widest[1] - widest[2]:+.0f})."
    table = tuple(
        (n, _fmt(s), _fmt(p), f"{s - p:+.0f}" if s is not None and p is not None else "–")
        for n, s, p in rows
    )
    return Chart(_png(fig), alt, title, ("Dimension", "Staff", "Families", "Gap"), table)

"""/kuril timeline: events on a time axis as a PNG (matplotlib, Agg, no pyplot state).

Up to CLUSTER_FROM events get a labelled stem each, labels stacked on levels above and below
the axis so their measured boxes do not overlap; more are drawn as counts per year (or decade).
"""
from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

WIDTH, HEIGHT, DPI = 12, 6, 100  # 1200 x 600 pixels
CLUSTER_FROM = 31
LEVELS = (1, -1, 2, -2, 3, -3, 4, -4, 5, -5)
LABEL_CHARS = 34


@dataclass(frozen=True)
class Point:
    when: float  # decimal year
    date_label: str
    text: str
    cites: tuple[int, ...]  # citation numbers of the answer's Sources field

    @property
    def refs(self) -> str:
        shown = ",".join(map(str, self.cites[:4]))
        return f"[{shown}{'…' if len(self.cites) > 4 else ''}]"


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _overlaps(box: Bbox, others: list[Bbox], pad: float = 2.0) -> bool:
    return any(box.x0 - pad < o.x1 and o.x0 - pad < box.x1 and box.y0 - pad < o.y1 and o.y0 - pad < box.y1
               for o in others)


def group(points: list[Point]) -> list[Point]:
    """Events with the same date become one labelled stem that carries all their citations."""
    by_date: dict[str, list[Point]] = {}
    for p in points:
        by_date.setdefault(p.date_label, []).append(p)
    return [Point(same[0].when, label, same[0].text if len(same) == 1 else f"{len(same)} events",
                  tuple(sorted({c for p in same for c in p.cites})))
            for label, same in by_date.items()]


def render(points: list[Point], title: str) -> tuple[bytes, list[Bbox]]:
    """PNG bytes and the pixel boxes of the labels drawn (tests measure their overlap)."""
    fig = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0.04, 0.12, 0.92, 0.78))
    ax.set_title(title, fontsize=13)
    boxes: list[Bbox] = []
    stems = group(points)
    if len(stems) < CLUSTER_FROM:
        boxes = _stems(ax, canvas, stems)
    else:
        _counts(ax, points)
    buf = io.BytesIO()
    canvas.print_png(buf)
    return buf.getvalue(), boxes


def _stems(ax, canvas, points: list[Point]) -> list[Bbox]:
    lo = min(p.when for p in points)
    hi = max(p.when for p in points)
    margin = max(0.5, (hi - lo) * 0.08)
    ax.set_xlim(lo - margin, hi + margin)
    ax.set_ylim(-6, 6)
    ax.axhline(0, color="#555", linewidth=1.2)
    ax.get_yaxis().set_visible(False)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    renderer = canvas.get_renderer()
    placed: list[Bbox] = []
    for p in sorted(points, key=lambda p: p.when):
        label = f"{p.refs} {p.date_label}\n{_short(p.text)}"
        best = None
        for level in LEVELS:
            text = ax.text(p.when, level, label, ha="center", va="bottom" if level > 0 else "top", fontsize=7.5,
                           bbox={"boxstyle": "round,pad=0.25", "fc": "#eef4fa", "ec": "#9bb"})
            box = text.get_window_extent(renderer)
            if not _overlaps(box, placed):
                best = (text, box, level)
                break
            text.remove()
        if best is None:  # no free level: the least crowded top level, still drawn
            text = ax.text(p.when, LEVELS[-1], label, ha="center", va="top", fontsize=7.5)
            best = (text, text.get_window_extent(renderer), LEVELS[-1])
        placed.append(best[1])
        ax.vlines(p.when, 0, best[2], color="#89a", linewidth=0.8)
        ax.plot([p.when], [0], "o", color="#2e6ea0", markersize=4)
    return placed


def _counts(ax, points: list[Point]) -> None:
    years = [int(p.when) for p in points]
    step = 10 if max(years) - min(years) > 60 else 1
    counts = Counter(y // step * step for y in years)
    xs = sorted(counts)
    ax.bar(xs, [counts[x] for x in xs], width=0.8 * step, color="#2e6ea0")
    for x in xs:
        ax.annotate(str(counts[x]), (x, counts[x]), ha="center", va="bottom", fontsize=8)
    ax.set_ylabel("events per " + ("decade" if step == 10 else "year"))
    for side in ("right", "top"):
        ax.spines[side].set_visible(False)

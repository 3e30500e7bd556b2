"""/kuril timeline: the events on a date axis as a PNG one could put in a slide (matplotlib Agg, no pyplot state).

Discord shows the picture about 400 px wide, a third of its size, so the text is large and the labels few.
Each event is a mark in a lane — a bar over its dates when they span a visible width, else a dot — with a
label saying what happened, put in the first lane and side where its measured box overlaps nothing already
drawn. Past DENSE events the picture counts events per year or decade instead. A label's [n] is the number
of its source in the answer; events the answer does not list carry no number.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
from collections import Counter
from dataclasses import dataclass

from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from bot.extract import lexicon
from bot.extract.dates import date_bounds
from bot.index import EventRow
from bot.render import MAX_LINES, clip, format_date, plural

WIDTH, HEIGHT, DPI = 8, 5, 150  # 1200 x 750 pixels: 16:10, for a slide; Discord previews it 400 x 250
FONT = 11  # points: ~8 px tall at Discord's preview width, the smallest a reader takes in at a glance
DENSE = MAX_LINES  # more events than the answer lists are counted per year or decade, not labelled
LABEL_CHARS, LINE_CHARS = 60, 30  # a label's headline, wrapped on two lines
MIN_BAR = 8  # pixels: a period narrower than this is drawn as a dot at its middle
INK, MARK, BAR, GRID, MUTED = "#222222", "#2e6ea0", "#c9dcec", "#e4e4e4", "#666666"
LABEL = "label"  # the gid of every event label, for tests that measure them

_FUNCTION_WORDS = lexicon.words("function_words")
_CONNECTIVE = re.compile(r"^(?:and|but|so|yet|thus|then|still|also|however|meanwhile|moreover|after all)\b,?\s+",
                         re.IGNORECASE)
# a date phrase before the subject: 'In 2018, ', 'By the early 2010s, ', 'In 2007 the Kremlin …'
_DATE_LEAD = re.compile(r"^(?:in|by|on|since|from|during|until|for|after|before|throughout|at|around|over)\b"
                        r"[^,.;]{0,32}?\b\d{4}s?\b,?\s+", re.IGNORECASE)
_CLAUSE_END = re.compile(r",? (?:which|who|when|while|as|because|although|though|after|before) |; | — | – |\(|:")


@dataclass(frozen=True)
class Point:
    start: dt.date
    end: dt.date  # the last day the date covers: a year's 31 December, a decade's last year
    date_label: str  # as the answer writes it, short: '24 Feb 2022', 'Mar 2018', '2010s', '2016–2019'
    text: str  # the event's summary
    cites: tuple[int, ...] = ()  # the answer's source numbers for it; () when the answer does not list it

    @classmethod
    def of(cls, event: EventRow, cites: tuple[int, ...] = ()) -> Point:
        lo, hi = date_bounds(event.date, event.granularity, event.end_year)
        return cls(dt.date.fromisoformat(lo), dt.date.fromisoformat(hi),
                   format_date(event.date, event.granularity, event.end_year, short=True), event.summary, cites)

    @property
    def refs(self) -> str:
        return "[" + ",".join(map(str, self.cites)) + "]" if self.cites else ""

    @property
    def label(self) -> str:
        """'2012: Abe made improving relations between / Japan and Russia one of his… [10]', on two lines."""
        refs = f" {self.refs}" if self.cites else ""
        limit = LABEL_CHARS
        while True:
            lines = textwrap.wrap(f"{self.date_label}: {headline(self.text, limit)}{refs}", LINE_CHARS,
                                  break_on_hyphens=False)
            if len(lines) <= 2 or limit < 12:
                return "\n".join(lines[:2])
            limit -= 4


def headline(summary: str, limit: int = LABEL_CHARS) -> str:
    """Who did what, from a summary sentence: the lead-in ('However, in 2018, ') and the trailing clauses
    dropped, then cut at a word boundary that does not end on 'the' or 'of'."""
    text, before = summary.strip().rstrip("."), ""
    while text != before:
        before = text
        text = _DATE_LEAD.sub("", _CONNECTIVE.sub("", text, count=1), count=1)
    text = text[:1].upper() + text[1:]
    clause = _CLAUSE_END.search(text, 16)
    if clause:
        text = text[:clause.start()]
    text = text.rstrip(" ,;")
    if len(text) <= limit:
        return text
    words = text[:limit].split(" ")[:-1]  # the last piece may be a cut word
    while len(words) > 1 and (words[-1].lower() in _FUNCTION_WORDS or not words[-1].strip(",;:—–-")):
        words.pop()
    return " ".join(words).rstrip(",;:—–-") + "…"


def merge(points: list[Point]) -> list[Point]:
    """One mark for an event reported twice on one date (same date, same summary), with both its numbers."""
    by_key: dict[tuple[dt.date, dt.date, str], list[Point]] = {}
    for p in points:
        by_key.setdefault((p.start, p.end, p.text), []).append(p)
    return [Point(*key[:2], same[0].date_label, key[2], tuple(sorted({c for p in same for c in p.cites})))
            for key, same in by_key.items()]


def draw(points: list[Point], query: str, sources: int, years: list[int] | None = None) -> Figure:
    """The drawn figure (tests read its labels' extents and its ticks); render() turns it into a PNG.
    `years`: the first year of every matching report, when there were more than the answer read; the
    picture then counts those, so a wide span is drawn whole."""
    fig = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    fig.text(0.02, 0.965, clip(f"Kuril Islands timeline: {query}", 70), fontsize=FONT + 3, weight="bold",
             color=INK, va="top")
    ax = fig.add_axes((0.02, 0.115, 0.96, 0.78))
    marks = merge(points)
    counted = plural(len(years), "report") if years else plural(len(points), "event")
    if years:
        how = _counts(ax, years, "reports")
    elif len(marks) > DENSE:
        how = _counts(ax, [p.start.year for p in marks], "events")
    else:
        labelled = _lanes(ax, canvas.get_renderer(), marks)
        how = "numbers [n] are the answer's sources" + (
            f" · {len(marks) - labelled} unlabelled" if labelled < len(marks) else "")
    footer = f"“{clip(query, 50)}” · {counted} · {plural(sources, 'source')} · {how}"
    fig.text(0.02, 0.025, footer, fontsize=FONT - 2, color=MUTED, va="bottom")
    fig.text(0.98, 0.025, "kuril-bot", fontsize=FONT - 2, color=MUTED, va="bottom", ha="right")
    return fig


def render(points: list[Point], query: str, sources: int, years: list[int] | None = None) -> bytes:
    """PNG bytes, the same for the same events (no time stamp, no version in the file)."""
    fig = draw(points, query, sources, years)
    buf = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buf, metadata={"Software": None})
    return buf.getvalue()


def _date_axis(ax: Axes, lo: dt.date, hi: dt.date) -> None:
    """Dates as dates at every scale: years, months or days, never '2021.50'."""
    pad = max(dt.timedelta(days=20), (hi - lo) * 0.03)
    ax.set_xlim(mdates.date2num(lo - pad), mdates.date2num(hi + pad))
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    ax.tick_params(axis="x", labelsize=FONT, colors=INK, length=0, pad=6)
    ax.grid(axis="x", color=GRID, linewidth=1)
    ax.set_axisbelow(True)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(MUTED)


def _lanes(ax: Axes, renderer: RendererBase, points: list[Point]) -> int:
    """Marks in lanes, labels beside (or on) their marks where their boxes collide with nothing drawn;
    the number of events labelled."""
    _date_axis(ax, min(p.start for p in points), max(p.end for p in points))
    ax.get_yaxis().set_visible(False)
    probe = ax.text(0, 0, "Ag\nAg", fontsize=FONT)
    line_h = probe.get_window_extent(renderer).height
    probe.remove()
    lanes = max(1, int(ax.get_window_extent(renderer).height // (line_h * 1.1)))
    ax.set_ylim(lanes - 0.5, -0.5)  # lane 0 at the top
    frame = ax.get_window_extent(renderer)
    taken: list[Bbox] = []
    labelled = 0
    for p in sorted(points, key=lambda p: (p.start, p.end)):
        x0, x1 = (ax.transData.transform((mdates.date2num(d), 0))[0] for d in (p.start, p.end + dt.timedelta(1)))
        bar = x1 - x0 >= MIN_BAR
        if not bar:
            x0 = x1 = (x0 + x1) / 2
        spot = None
        for label in (p.label, p.refs):  # in full, else its number alone
            if not label:
                continue
            text = ax.text(0, 0, label, fontsize=FONT, color=INK, va="center", linespacing=1.1, gid=LABEL)
            size = text.get_window_extent(renderer)
            spot = _free_spot(ax, frame, taken, lanes, x0, x1, size.width, size.height, bar)
            if spot is None:
                text.remove()
                continue
            lane, left = spot
            text.set_position((ax.transData.inverted().transform((left, 0))[0], lane))
            taken.append(text.get_window_extent(renderer))
            labelled += label == p.label
            break
        if spot is None:
            lane = _free_lane(ax, taken, lanes, x0, x1)
        y = ax.transData.transform((0, lane))[1]
        taken.append(_mark_box(x0, x1, y))
        if bar:
            ax.barh(lane, mdates.date2num(p.end + dt.timedelta(1)) - mdates.date2num(p.start),
                    left=mdates.date2num(p.start), height=0.8, color=BAR, edgecolor=MARK, linewidth=1, zorder=1)
        else:
            ax.plot([mdates.date2num(p.start + (p.end - p.start) / 2)], [lane], "o", color=MARK, markersize=7,
                    zorder=3)
    return labelled


def _free_spot(ax: Axes, frame: Bbox, taken: list[Bbox], lanes: int, x0: float, x1: float, width: float,
               height: float, bar: bool) -> tuple[int, float] | None:
    """(lane, left pixel) of the first place for a label — on its bar, right of its mark, left of it —
    whose box stays in the frame and overlaps nothing taken."""
    gap = 8
    sides = ([x0 + gap] if bar and x1 - x0 >= width + 2 * gap else []) + [x1 + gap, x0 - gap - width]
    for lane in range(lanes):
        y = ax.transData.transform((0, lane))[1]
        if any(_mark_box(x0, x1, y).overlaps(t) for t in taken):
            continue
        for left in sides:
            box = Bbox.from_extents(left - 2, y - height / 2 - 2, left + width + 2, y + height / 2 + 2)
            if frame.x0 <= box.x0 and box.x1 <= frame.x1 and not any(box.overlaps(t) for t in taken):
                return lane, left
    return None


def _mark_box(x0: float, x1: float, y: float) -> Bbox:
    return Bbox.from_extents(x0 - 6, y - 6, x1 + 6, y + 6)


def _free_lane(ax: Axes, taken: list[Bbox], lanes: int, x0: float, x1: float) -> int:
    """The first lane where an unlabelled mark overlaps nothing, else the bottom one."""
    for lane in range(lanes):
        y = ax.transData.transform((0, lane))[1]
        if not any(_mark_box(x0, x1, y).overlaps(t) for t in taken):
            return lane
    return lanes - 1


def _counts(ax: Axes, years: list[int], what: str) -> str:
    """Events (or reports) per year, or per decade over more than sixty years, as bars on the date axis."""
    step = 10 if max(years) - min(years) > 60 else 1
    counts = Counter(y // step * step for y in years)
    lo, hi = dt.date(min(counts), 1, 1), dt.date(max(counts) + step - 1, 12, 31)
    _date_axis(ax, lo, hi)
    for start, n in sorted(counts.items()):
        left, right = mdates.date2num(dt.date(start, 1, 1)), mdates.date2num(dt.date(start + step - 1, 12, 31))
        ax.bar(left, n, width=(right - left) * 0.9, align="edge", color=MARK)
        ax.annotate(str(n), (left + (right - left) * 0.45, n), ha="center", va="bottom", fontsize=FONT - 1,
                    color=INK, xytext=(0, 2), textcoords="offset points")
    ax.get_yaxis().set_visible(False)
    ax.set_ylim(0, max(counts.values()) * 1.15)
    return f"{what} per " + ("decade" if step == 10 else "year") + "; ask a narrower query to see each one"

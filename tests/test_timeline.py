"""The /kuril timeline picture, drawn for real queries: its size, labels that never overlap, dates on the axis,
and numbers that are the answer's sources. The pictures are kept in tests/artefacts/ to be looked at;
`KURIL_WRITE_ARTEFACTS=1 pytest tests/test_timeline.py` redraws them after a deliberate change.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib import dates as mdates
from matplotlib.figure import Figure
from bot.render import MAX_LINES
from PIL import Image

import commands.kuril as kuril
from bot.ingest.build import build_index
from bot.knowledge import Knowledge
from bot.timeline import DPI, HEIGHT, LABEL, WIDTH, Point, draw, headline, render
from tests.conftest import FIXTURES, SEEDS

ARTEFACTS = Path(__file__).resolve().parent / "artefacts"
SIZE = (HEIGHT * DPI, WIDTH * DPI)


@pytest.fixture(scope="module")
def wide_index(tmp_path_factory) -> Path:
    """The seeds and the real articles of the fixtures: enough dated events for a 200-event timeline."""
    path = tmp_path_factory.mktemp("wide") / "kuril.db"
    build_index([SEEDS, *sorted(FIXTURES.glob("real*/*.txt"))], path)
    return path


def labels(fig: Figure) -> list:
    return [t for ax in fig.axes for t in ax.texts if t.get_gid() == LABEL]


def label_boxes(fig: Figure) -> list:
    renderer = fig.canvas.get_renderer()
    return [t.get_window_extent(renderer) for t in labels(fig)]


def is_date_tick(text: str, at: float) -> bool:
    """A tick label is a piece of its own date: '1956', 'Mar', 'Mar 2018', '24'."""
    when = mdates.num2date(at)
    return text in {when.strftime(f) for f in ("%Y", "%b", "%b %Y", "%d", "%b-%d", "%Y-%b")} or \
        text == str(when.day)


def assert_looks_right(fig: Figure, png: bytes) -> None:
    assert np.asarray(Image.open(io.BytesIO(png))).shape[:2] == SIZE
    boxes = label_boxes(fig)
    frame = fig.bbox
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1 for b in boxes)
    overlapping = [(i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes[i + 1:], i + 1) if a.overlaps(b)]
    assert not overlapping, [(labels(fig)[i].get_text(), labels(fig)[j].get_text()) for i, j in overlapping]
    ax = fig.axes[0]
    ticks = [(t.get_text(), loc) for t, loc in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True)
             if t.get_text()]
    assert len(ticks) >= 3 and all(is_date_tick(text, loc) for text, loc in ticks), ticks


def compare_artefact(name: str, png: bytes) -> None:
    """The kept picture is the one the code draws today (a palette PNG, so it stays small)."""
    path = ARTEFACTS / f"timeline-{name}.png"
    fresh = Image.open(io.BytesIO(png)).convert("RGB")
    if os.environ.get("KURIL_WRITE_ARTEFACTS"):
        ARTEFACTS.mkdir(exist_ok=True)
        fresh.quantize(64).save(path, optimize=True)
    kept = np.asarray(Image.open(path).convert("RGB"), dtype=float)
    assert kept.shape[:2] == SIZE
    assert np.abs(kept - np.asarray(fresh, dtype=float)).mean() < 3, f"{path.name} is out of date"


QUERIES = [("seed", "2018", "a single year"), ("seed", "2010s", "a decade"),
           ("seed", "declaration", "a keyword over 70 years"), ("wide", "1000-2100", "200 events")]


@pytest.mark.parametrize(("shelf", "query", "what"), QUERIES, ids=[q[2] for q in QUERIES])
async def test_a_real_query_draws_a_picture_worth_sharing(seed_index, wide_index, monkeypatch, shelf, query, what):
    drawn: list[tuple] = []
    monkeypatch.setattr(kuril, "render_timeline", lambda *args: drawn.append(args) or render(*args))
    kb = await Knowledge.open(seed_index if shelf == "seed" else wide_index)
    try:
        reply = await kuril.timeline_reply(kb, query)
    finally:
        await kb.close()
    assert reply.image is not None
    (points, asked, sources, years), = drawn
    fig = draw(points, asked, sources, years)
    assert_looks_right(fig, reply.image[1])
    compare_artefact(re.sub(r"\W+", "-", query), reply.image[1])
    footer = " ".join(t.get_text() for t in fig.texts)
    counted = f"{len(years)} reports" if years else f"{len(points)} events"
    assert f"“{query}”" in footer and counted in footer and f"{len(reply.citations)} sources" in footer
    # every number on the picture is a source the answer lists, beside the event whose line cites it
    cited = {n for line in reply.line_cites for n in line}
    shown = {int(n) for t in labels(fig) for n in re.findall(r"\d+", t.get_text().rsplit("[", 1)[-1])}
    assert shown <= cited
    if what == "200 events":
        assert len(points) > MAX_LINES and not labels(fig)  # more happenings than the answer lists: counted per decade
        # more reports than the answer read: every one is counted, so the bars reach the span's last decades
        assert years and len(years) > kuril.TIMELINE_LIMIT and max(years) >= 2020
    else:
        assert shown, "no numbered label"


async def test_each_event_of_a_year_gets_its_own_label_with_its_sources_number(seed_index):
    kb = await Knowledge.open(seed_index)
    try:
        events = await kb.index.events(kuril._span(kuril.parse_event_query("2018")[0]), None)
    finally:
        await kb.close()
    points = [Point.of(e, (i + 1,)) for i, e in enumerate(events)]
    texts = [t.get_text() for t in labels(draw(points, "2018", len(points)))]
    assert len(texts) == len(points) == 5
    assert sorted(int(t.rsplit("[", 1)[1].rstrip("]")) for t in texts) == [1, 2, 3, 4, 5]
    assert all(t.count("\n") <= 1 and "events" not in t for t in texts)


@pytest.mark.parametrize("n", [1, 12, 40, 41, 200])
def test_any_number_of_events_draws_without_overlapping_labels(n):
    days = [dt.date(1990, 1, 1) + dt.timedelta(days=i * 173 % 12000) for i in range(n)]
    points = [Point(day, day + dt.timedelta(days=365 * (i % 3)), f"{day.year}",
                    f"Japan and Russia held talks number {i} on the islands", (i + 1,)) for i, day in enumerate(days)]
    fig = draw(points, "test", n)
    assert_looks_right(fig, render(points, "test", n))
    assert bool(labels(fig)) == (n <= 40)


def test_the_same_events_draw_the_same_bytes():
    points = [Point(dt.date(2022, 2, 24), dt.date(2022, 2, 24), "24 Feb 2022", "Russia invaded Ukraine", (1,))]
    assert render(points, "2022", 1) == render(points, "2022", 1)


def test_a_range_is_a_bar_and_a_day_is_a_dot():
    points = [Point(dt.date(2016, 1, 1), dt.date(2019, 12, 31), "2016–2019", "Abe attended the forum", (1,)),
              Point(dt.date(2018, 9, 12), dt.date(2018, 9, 12), "12 Sep 2018", "Putin proposed a treaty", (2,))]
    ax = draw(points, "2016-2019", 2).axes[0]
    assert len(ax.patches) == 1 and len(ax.lines) == 1


@pytest.mark.parametrize(("summary", "expected"), [
    ("But, in 2012, Abe made improving relations between Japan and Russia one of his top priorities.",
     "Abe made improving relations between Japan and Russia…"),
    ("In 2007 the Kremlin pledged to allocate up to 600 billion rubles ($21.7 billion) to fund development.",
     "The Kremlin pledged to allocate up to 600 billion rubles"),
    ("However, the relationship nosedived following the 2022 Russian military operations in Ukraine.",
     "The relationship nosedived following the 2022 Russian…"),
    ("By the early 2010s, China had become militarily powerful, after having boosted its defense budget.",
     "China had become militarily powerful"),
    ("Japan imposed sanctions on Russia.", "Japan imposed sanctions on Russia"),
])
def test_a_headline_says_who_did_what_and_ends_on_a_whole_word(summary, expected):
    assert headline(summary) == expected


def test_a_label_writes_its_date_short():
    from bot.index import EventRow
    event = EventRow(1, 1, 2, "2022-02-24", "day", None, "s", "Japan imposed sanctions on Russia.", "2022-02-24",
                     "2022-02-24", "24 February 2022")
    assert Point.of(event, (3,)).label == "24 Feb 2022: Japan imposed\nsanctions on Russia [3]"

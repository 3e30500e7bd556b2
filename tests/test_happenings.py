"""One happening, many sources: the merge rules row by row, the merged answer, and its measured quality."""
from __future__ import annotations

import shutil

import pytest

from bot.happenings import Happening, merge, own_words, similarity, terms
from bot.index import EventRow
from bot.extract.dates import date_bounds
from commands.kuril import event_reply
from tests.conftest import FIXTURES, SEEDS, knowledge_of
from tests.merge_score import covered, score
from tests.test_commands import ask


def row(i: int, doc: int, date: str, sentence: str, date_text: str = "", gran: str = "", end: int | None = None,
        paragraph: int = 1) -> EventRow:
    gran = gran or ("year", "month", "day")[date.count("-")]
    lo, hi = date_bounds(date, gran, end)
    return EventRow(i, doc, paragraph, date, gran, end, sentence, sentence, lo, hi, date_text or date[:4])


def flat(_: str) -> float:
    return 1.0


def groups(happenings: list[Happening]) -> list[set[int]]:
    return [{e.id for e in h.events} for h in happenings]


AFTER = "Japan imposed sanctions on Russia a day after its invasion of Ukraine on 24 February 2022."
JD = "the Soviet-Japanese Joint Declaration of 1956 ended the state of war"
MERGE_ROWS = [
    # (why, events, expected groups of ids)
    ("a year holds its day: one declaration",
     [row(1, 1, "1956", f"In 1956 {JD}."), row(2, 2, "1956-10-19", f"On 19 October 1956 {JD}.", "19 October 1956")],
     [{1, 2}]),
    ("two days apart by one, the same words: one happening whose sources differ on the date",
     [row(1, 1, "2022-02-24", "Japan imposed sanctions on Russia over Ukraine on 24 February.", "24 February"),
      row(2, 2, "2022-02-25", "Japan imposed sanctions on Russia over Ukraine on 25 February.", "25 February")],
     [{1, 2}]),
    ("three days apart: two happenings, whatever the words",
     [row(1, 1, "2022-02-24", "Japan imposed sanctions on Russia over Ukraine on 24 February.", "24 February"),
      row(2, 2, "2022-02-27", "Japan imposed sanctions on Russia over Ukraine on 27 February.", "27 February")],
     [{1}, {2}]),
    ("one day, two happenings: Medvedev's visit and Maehara's summons",
     [row(1, 1, "2010-11-01", "President Dmitry Medvedev visited Kunashiri island on 1 November.", "1 November"),
      row(2, 2, "2010-11-01", "Foreign Minister Seiji Maehara summoned ambassador Mikhail Bely on 1 November.",
          "1 November")],
     [{1}, {2}]),
    ("one document never links to itself",
     [row(1, 1, "1956", f"In 1956 {JD}."), row(2, 1, "1956", f"In 1956 {JD}.", paragraph=2)],
     [{1}, {2}]),
    ("a sentence that names two days names two happenings, though another source's words fit both",
     [row(1, 1, "2022-02-24", AFTER, "24 February 2022"), row(2, 1, "2022-02-25", AFTER, "a day after"),
      row(3, 2, "2022-02-24", "Russia began the invasion of Ukraine on 24 February 2022 and Japan imposed sanctions.",
          "24 February 2022")],
     [{1, 3}, {2}]),
    ("a period is not a happening inside it: the war of 1904-1905 and the treaty of 1905",
     [row(1, 1, "1904", "Russia was defeated in the 1904-1905 Russo-Japanese War.", "1904-1905", "year", 1905),
      row(2, 2, "1905", "The 1905 Treaty of Portsmouth ended the Russo-Japanese War.", "1905")],
     [{1}, {2}]),
    ("a year's reports join one day, never two days that exclude each other",
     [row(1, 1, "1945", "Soviet troops seized the Kuril islands in 1945."),
      row(2, 2, "1945-08-18", "Soviet troops seized the Kuril islands from 18 August.", "18 August"),
      row(3, 3, "1945-08-28", "Soviet troops seized the Kuril islands by 28 August.", "28 August")],
     [{1, 2}, {3}]),
]


@pytest.mark.parametrize("why, events, expected", MERGE_ROWS, ids=[r[0] for r in MERGE_ROWS])
def test_merge_rules(why, events, expected):
    assert sorted(groups(merge(events, flat)), key=min) == expected


def test_own_words_cut_a_sentence_at_its_other_dates():
    s = "The delegation left for Moscow on 7 October, and on 19 October Japan signed the declaration."
    a, b = row(1, 1, "1956-10-07", s, "7 October"), row(2, 1, "1956-10-19", s, "19 October")
    assert own_words(a, [b]) == "The delegation left for Moscow on 7 October, and on "
    assert own_words(b, [a]) == ", and on 19 October Japan signed the declaration."


@pytest.mark.parametrize("a, b, alike", [
    ("the Treaty of Shimoda was signed", "Russia and Japan signed the Shimoda Treaty", True),
    ("ratifications were exchanged at Tokyo", "a new treaty handed Tokyo the chain", False),  # one shared word
    ("Medvedev visited Kunashiri", "Maehara summoned Bely", False),
])
def test_similarity_needs_two_shared_terms(a, b, alike):
    assert (similarity(terms(a, flat), terms(b, flat)) >= 0.3) == alike


async def test_event_answer_merges_the_reports_of_one_happening(bot):
    reply, _ = await ask(bot, "/kuril event 24 February 2022")
    assert len(reply.lines) == 1 and "· 2 sources" in reply.lines[0]
    assert {c.doc for c in reply.citations} == {"000_881c20c5f4c740ad", "002_7f7b37a8c87dad85"}
    reply, _ = await ask(bot, "/kuril event 1956")
    declaration = [line for line in reply.lines if "sources" in line]
    assert len(declaration) == 1 and "· 3 sources" in declaration[0]
    assert {(c.doc, c.paragraph) for c in reply.citations} >= {
        ("002_7f7b37a8c87dad85", 5), ("003_8579e9dcf3949857", 11), ("004_f4c0aca62b356533", 6)}


async def test_sources_that_differ_on_the_date_are_each_cited(tmp_path):
    files = {f"{name}.txt": f"Sanctions\nJapan imposed sanctions on Russia over Ukraine on {day} February 2022.\n"
             for name, day in (("a", 24), ("b", 25))}
    async with knowledge_of(tmp_path / "shelf", files) as kb:
        reply = await event_reply(kb, "February 2022")
    assert len(reply.lines) == 1
    line = reply.lines[0]
    assert "the sources differ on the date: " in line and "24 February 2022 [" in line and "25 February 2022 [" in line


# precision, recall on the shelf the gold was made from (measured 0.88 / 0.74; the target is 0.9 / 0.9). The
# bench measures the shelf of every fixture, where articles the gold does not cover pull groups apart.
MERGE_FLOOR = (0.88, 0.73)


async def merge_quality(tmp_path_factory) -> tuple[float, float]:
    shelf = tmp_path_factory.mktemp("merge") / "shelf"
    shutil.copytree(SEEDS, shelf)
    for f in FIXTURES.glob("real*/r*.txt"):
        if f.stem in covered():
            shutil.copy(f, shelf / f.name)
    async with knowledge_of(shelf) as kb:
        s = score(kb.happenings(await kb.index.events(None, None)), {d.id: d.doc for d in kb.index.docs.values()})
    return s.precision, s.recall


async def test_merge_precision_and_recall_on_the_hand_listed_happenings(tmp_path_factory):
    precision, recall = await merge_quality(tmp_path_factory)
    assert precision >= MERGE_FLOOR[0] and recall >= MERGE_FLOOR[1], (precision, recall)

"""Which dates are events: sentence -> the events it yields, one row per rule or veto it was written for."""
from __future__ import annotations

import pytest

from bot.extract.dates import DateContext
from bot.extract.events import VETOES, sentence_events


def events(sentence: str, published: str | None = None) -> list[str]:
    return [f"{e.date}/{e.granularity}" for e in sentence_events(sentence, 1, DateContext(published))]


@pytest.mark.parametrize("sentence, published, expected", [
    # published: when a report came out
    ("Abe and Putin agreed in 2018, the ministry said in a report published in 2019.", None, ["2018/year"]),
    # habitual: a custom is on a day, not a happening; a yearly run of years still is
    ("The rally is held every Feb. 7, as it has been since 1981.", "2024-05-01", ["1981/year"]),
    ("Northern Territories Day is held every year on 7 February.", "2024-05-01", []),
    ("Visits were made every year from 2016 to 2019.", None, ["2016/year"]),
    # citation: where a statement was printed or made
    ("Tokyo protested the drills (Harbour Gazette, 3 Mar 2021).", None, []),
    ("Japan will not give up (Minister X, press conference, 14 July 2020).", None, []),
    ("Russia scrambled jets (Kyodo, Dec 6, 2022).", None, []),
    ("The summit of 14 July 2020 ended in a joint statement.", None, ["2020-07-14/day"]),
    # reference lines
    ("See Documents on Pacific Policy, 1920–1938, vol. 2, p. 812.", None, []),
    # deadline and target, not a past 'by'
    ("The base is to be completed by the year 2025.", None, []),
    ("Japan requests that the consul leave by October 10.", "2022-10-04", []),
    ("By 2018, the Russian economy had returned to growth.", None, ["2018/year"]),
    # forecast and comparison
    ("Ties will stay narrow through 2030.", None, []),
    ("Sanctions were harsher in 2022 than in 2014.", None, ["2022/year"]),
    # ranges are one event, dated by their start
    ("Drills ran from March 3 to April 20, 2023.", None, ["2023-03-03/day"]),
    ("Talks in the 1980s–1990s went nowhere.", None, ["1980/year"]),
])
def test_sentence_events(sentence, published, expected):
    assert events(sentence, published) == expected


def test_vetoes_have_names_in_one_order():
    assert [name for name, _ in VETOES] == ["published", "habitual", "citation", "reference", "deadline", "forecast",
                                            "comparison"]

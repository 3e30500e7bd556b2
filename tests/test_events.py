"""Which dates are events: sentence -> the events it yields, one row per rule or veto it was written for."""
from __future__ import annotations

import pytest

from bot.extract.dates import DateContext
from bot.extract.events import VETOES, described_later, sentence_events


def events(sentence: str, published: str | None = None) -> list[str]:
    return [f"{e.date}/{e.granularity}" for e in sentence_events(sentence, 1, DateContext(published))]


@pytest.mark.parametrize("sentence, published, expected", [
    # published: when a report came out
    ("Abe and Putin agreed in 2018, the ministry said in a report published in 2019.", None, ["2018/year"]),
    # habitual: a custom is on a day, not a happening; a yearly run of years still is
    ("The rally is held every Feb. 7, as it has been since 1981.", "2024-05-01", ["1981/year"]),
    ("Northern Territories Day is held every year on 7 February.", "2024-05-01", []),
    ("Visits were made every year from 2016 to 2019.", None, ["2016/year"]),
    ("The harvest, usually opened on June 1, was postponed.", "2024-06-18", []),
    ("The National Rally is held every year in Tokyo on February 7, Northern Territories Day.", "2012-02-07", []),
    # anniversary: the day that marks one; the happening it marks still is one
    ("2016 marks the 75th anniversary the beginning of a war that ended without a treaty.", None, []),
    ("Northern Territories Day marks the anniversary of the Treaty of Shimoda, signed in 1855.", None, ["1855/year"]),
    ("The Joint Declaration turns 65 on October 19, 2021.", None, []),
    ("Although 2020 marks the 75th year after the end of World War II, nothing moved.", None, []),
    # citation: where a statement was printed or made
    ("Tokyo protested the drills (Harbour Gazette, 3 Mar 2021).", None, []),
    ("Japan will not give up (Minister X, press conference, 14 July 2020).", None, []),
    ("Russia scrambled jets (Kyodo, Dec 6, 2022).", None, []),
    ("The summit of 14 July 2020 ended in a joint statement.", None, ["2020-07-14/day"]),
    # reference lines
    ("See Documents on Pacific Policy, 1920–1938, vol. 2, p. 812.", None, []),
    ("Asian Survey 14, No. 2 (2021), pp. 112–139.", None, []),
    ("The talks stalled in 2010 (Togo 2012, pp. 211–214).", None, ["2010/year"]),
    # deadline and target, not a past 'by'
    ("The base is to be completed by the year 2025.", None, []),
    ("Japan requests that the consul leave by October 10.", "2022-10-04", []),
    ("By 2018, the Russian economy had returned to growth.", None, ["2018/year"]),
    ("In 1997, an agreement was reached on the need to make every effort to conclude a treaty by 2000.", None,
     ["1997/year"]),
    # forecast and comparison
    ("Ties will stay narrow through 2030.", None, []),
    ("Sanctions were harsher in 2022 than in 2014.", None, ["2022/year"]),
    ("The kelp season is scheduled to run until Sept. 30.", "2024-06-18", ["2024-09-30/day"]),
    ("For the first time since 2018, the phrase was used.", None, []),
    # a plan for this or next year
    ("Whether or not Japan will go ahead with the cooperative project this year is still under discussion, "
     "the ministry explained.", "2022-06-08", []),
    ("The ministry said the project had been shelved this year.", "2022-06-08", ["2022/year"]),
    ("The report comes ahead of a key revision to the strategy later this year.", "2022-04-23", []),
    ("The foreign ministers agree to begin joint economic projects in earnest next year.", "2019-11-23", []),
    # an 'anticipated' or 'upcoming' visit is still ahead
    ("Prime Minister Abe's anticipated trip to St Petersburg and Moscow at the end of May 2018 has raised hopes.",
     None, []),
    # a deadline after an infinitive; the year a figure is for
    ("Japan, Russia to sign peace treaty by 2000 (November 2, 1997)", None, ["1997-11-02/day"]),
    ("The two countries agreed on a quota of 2,050 tons within Japan's exclusive economic zone for 2022.", None, []),
    ("The agreement was signed for the first time in 1998.", None, ["1998/year"]),
    ("Russia has created a priority development area programme for the islands for 2016-2025.", None, []),
    # the date of a piece that is cited
    ("On April 17, 2022, Gessler drew my attention to a CNBC article of March 31, 2022.", None, ["2022-04-17/day"]),
    ("Reporting from Reuters on Wednesday (08/08/2018), the protest was delivered by Suga on Monday (6/8/2018).",
     None, ["2018-08-06/day"]),
    ('[Information provided by "The Oakland Tribune" Sept. 2-9, 1951] The conference was held in San Francisco'
     ' September 4-8, 1951.', None, ["1951-09-04/day"]),
    # what a paper studies is no happening
    ("This paper shall chart the history of the dispute, focusing on the period of 2000-2013.", None, []),
    # a year counted as the Nth of something marks it, like an anniversary
    ("The year 2011 is the 20th season of visa-free trips of citizens of Russia and Japan.", None, []),
    # an embedded post's credit line dates the post, no happening
    ("The ministers agree on joint projects. — Kyodo News | Japan (@kyodo_english) November 22, 2019", None, []),
    ("The garrison grew from 8,000 in 1943 to 41,000 in 1944.", None, ["1944/year"]),
    ("There were 3,500 Russian troops on the islands, down from some 7,000 troops in 1992.", None, []),
    # statistic: a figure for a year or a season
    ("In 2015, it came to 1.3 billion, and last year, it reached 1.7 billion.", "2017-04-27", []),
    ("Last autumn, Nemuro's salmon landings fell to about 3,000 tons.", "2024-03-01", []),
    ("Talks reached a deadlock in 2016.", None, ["2016/year"]),
    ("Incomes grew, the mean monthly wage rising to 23,190 rubles in 2007.", None, []),
    # ranges are one event, dated by their start
    ("Drills ran from March 3 to April 20, 2023.", None, ["2023-03-03/day"]),
    # two months joined are one span, dated by its start
    ("In January and February this year, we saw growth in our trade.", "2017-04-27", ["2017-01/month"]),
    ("Drills were held in August and September 2023.", None, ["2023-08/month"]),
    # 'September the same year' is one month, not a month and a year
    ("Troops landed on Aug. 18, 1945, and held the islands by September the same year.", None,
     ["1945-08-18/day", "1945-09/month"]),
    ("Talks in the 1980s–1990s went nowhere.", None, ["1980/year"]),
])
def test_sentence_events(sentence, published, expected):
    assert events(sentence, published) == expected


def test_vetoes_have_names_in_one_order():
    assert [name for name, _ in VETOES] == ["published", "habitual", "anniversary", "citation", "embed", "reference",
                                            "deadline",
                                            "forecast", "plan", "announced plan", "comparison", "statistic",
                                            "period", "scope"]


@pytest.mark.parametrize("sentence, published, expected", [
    # a year-less past day is the latest such day not after the article's date
    ("At their talks on October 3, the ministers disagreed.", "2017-02-10", ["2016-10-03/day"]),
    ("Tokyo protested on January 25.", "2017-02-10", ["2017-01-25/day"]),
    # a planned one is the next such day
    ("The two leaders agreed to attend the opening on May 26 in Moscow.", "2017-09-07", ["2018-05-26/day"]),
    ("Putin will visit Japan in December.", "2016-10-19", ["2016-12/month"]),
    ("In March this year, the government retaliated.", "2022-10-04", ["2022-03/month"]),
    # a past verb right after the date reports it, whatever the main clause plans
    ("It will take time, after the meeting in Moscow on Jan 22 ended with no results.", "2019-01-30",
     ["2019-01-22/day"]),
    # 'would' looks either way: the occurrence nearer the article's date
    ("They agreed that the summit on January 22 would be a good chance.", "2019-01-14", ["2019-01-22/day"]),
    ("Mori would cancel the visit proposed during their September meeting.", "2000-10-20", ["2000-09/month"]),
    # an update a few days after publication keeps the article's year
    ("Update, Feb. 8: the ministry lodged a protest.", "2025-02-07", ["2025-02-08/day"]),
])
def test_year_less_dates_follow_the_tense(sentence, published, expected):
    assert events(sentence, published) == expected


def test_a_timeline_entry_dates_its_year_less_days():
    ctx = DateContext("2024-01-15")
    ctx.new_paragraph("— 1972: Ohira visited Moscow days before the Sept. 29 communiqué.")
    got = sentence_events("— 1972: Ohira visited Moscow days before the Sept. 29 communiqué.", 1, ctx)
    assert [e.date for e in got] == ["1972", "1972-09-29"]


def test_a_happening_is_listed_once_per_article():
    ctx, listed = DateContext(), {}
    first = sentence_events("Japan and the USSR signed the Joint Declaration in 1956.", 1, ctx, listed)
    again = sentence_events("Putin has acknowledged the validity of the 1956 declaration.", 5, ctx, listed)
    other = sentence_events("In 1956 Japan also joined the United Nations.", 6, ctx, listed)
    assert [e.date for e in first] == ["1956"] and again == [] and [e.date for e in other] == ["1956"]
    assert sentence_events("The 1956 Cairo Conference never happened.", 7, ctx, listed)  # other words: another one
    # a document of that year named by its kind alone is the one listed
    assert sentence_events('Putin stated "the 1956 agreement refers to two islands."', 8, ctx, listed) == []


def test_a_year_less_day_already_listed_is_that_happening_again():
    ctx, listed = DateContext("2016-12-17"), {}
    first = sentence_events("Putin and Abe met at a lunch in Tokyo on Dec 16, 2016.", 2, ctx, listed)
    again = sentence_events("The two leaders held a second day of talks on Friday (Dec 16).", 4, ctx, listed)
    written_out = sentence_events("Japan imposed sanctions on it on 16 December 2016.", 6, ctx, listed)
    assert [e.date for e in first] == ["2016-12-16"] and again == [] and [e.date for e in written_out] == ["2016-12-16"]


def test_a_happening_named_before_it_is_described_is_listed_where_described():
    ctx, listed = DateContext(), {}
    paragraphs = ["Abe comes with a proposition to return to the Soviet-Japanese declaration of 1956.",
                  "We did resume the dialogue basing it on the declaration of 1956.",
                  "In 1956, the Soviet Union and Japan signed a declaration which is called just like that.",
                  "1956 — Joint Declaration signed in Moscow"]
    found = [e for n, text in enumerate(paragraphs, 1) for e in sentence_events(text, n, ctx, listed)]
    assert [(e.date, e.paragraph) for e in described_later(found)] == [("1956", 3), ("1956", 4)]
    # a chronology's line at the end sums up: the first mention stays
    assert [(e.date, e.paragraph) for e in described_later(found[:1] + found[-1:])] == [("1956", 1), ("1956", 4)]

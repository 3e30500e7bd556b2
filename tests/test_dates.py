"""The date grammar: what is a date, what only looks like one, and how year-less dates resolve."""
from __future__ import annotations

import pytest

from bot.extract.dates import RULES, DateContext, find_dates


def dates(sentence: str, ctx: DateContext | None = None) -> list[tuple[str, str]]:
    return [(m.date, m.granularity) for m in find_dates(sentence, ctx or DateContext())]


@pytest.mark.parametrize("sentence, expected", [
    ("Russia invaded on February 24, 2022, and Japan reacted.", [("2022-02-24", "day")]),
    ("On 24 February 2022 the war began.", [("2022-02-24", "day")]),
    ("The talks of 25th February 2022 failed.", [("2022-02-25", "day")]),
    ("Abe met Putin on Nov. 14, 2018 in Singapore.", [("2018-11-14", "day")]),
    ("The decree of 2022-02-24 applies.", [("2022-02-24", "day")]),
    ("Key dates: 21 Mar 2022 — talks ended.", [("2022-03-21", "day")]),
    ("2016/12/15 Nagato summit.", [("2016-12-15", "day")]),
    ("On 12.04.2023 the deputy minister received him.", [("2023-04-12", "day")]),
    ("In March 2022, ties became chillier.", [("2022-03", "month")]),
    ("Japan surrendered in September 1945.", [("1945-09", "month")]),
    ("In 1904 war broke out.", [("1904", "year")]),
    ("IN JUNE 1992 the governments held a meeting.", [("1992-06", "month")]),
    ("Japan intervened from 1918 to 1922.", [("1918", "year")]),
    ("Between 1945 and 1948, residents were deported.", [("1945", "year")]),
    ("From 1855 to 1875, the island was shared.", [("1855", "year")]),
    ("Border conflicts throughout the 1930s followed.", [("1930", "year")]),
    ("An agreement was reached in the late 1990s.", [("1990", "year")]),
    ("Forces grew since the mid-2010s.", [("2010", "year")]),
    ("Talks ran 2014-2018 without result.", [("2014", "year")]),
    ("Its 2014 invasion of Ukraine changed that.", [("2014", "year")]),
])
def test_date_expressions(sentence, expected):
    assert dates(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "More than 3.000 soldiers took part.",
    "Nearly 10,000 North Korean troops are fighting.",
    "The Kremlin pledged 600 billion rubles ($21.7 billion).",
    "Some 2000 soldiers landed.",
    "It held the \"Ocean-2024\" exercise.",
    "The dispute has lasted for almost eighty years.",
    "Russia was Japan's 13th-largest import partner.",
    "Resolution 2231 was cited.",
    "(Date of Accession: 03.01.2023).",
    "The 2+2 format met twice.",
    "This 2022-02-30 is no day.",
])
def test_numbers_that_only_look_like_dates(sentence):
    assert dates(sentence) == []


def test_year_less_dates_resolve_from_the_article_not_from_today():
    ctx = DateContext()
    assert dates("Nothing happened in April.", ctx) == []  # no context: dropped, never today's year
    dates("Russia listed Japan in March 2022.", ctx)
    assert dates("In April of the same year, Tokyo revoked its status.", ctx) == [("2022-04", "month")]
    assert dates("In early March, Kishida used the term again.", ctx) == [("2022-03", "month")]


def test_relative_dates():
    ctx = DateContext()
    dates("In 2021, the minister spoke.", ctx)
    assert dates("And a year later, the party proposed more.", ctx) == [("2022", "year")]
    assert dates("Seventy-eight years later, the army is still there.", ctx) == []  # not 'eight years later'
    assert dates("Sanctions came a day after the invasion on 24 February 2022.") == [
        ("2022-02-25", "day"), ("2022-02-24", "day")]


@pytest.mark.parametrize("rule, text, expected", [(r.name, t, e) for r in RULES for t, e in r.examples])
def test_each_rule_on_its_own_examples(rule, text, expected):
    found = find_dates(text, DateContext())
    assert (f"{found[0].date}/{found[0].granularity}" if found else None) == expected
    assert not found or found[0].rule == rule


def test_citations_are_not_events():
    assert dates("The border was drawn in February 1855 (Stephan 1974, p. 62).") == [("1855-02", "month")]
    assert dates("Soviet leaders denied the problem (Hara 1998; Brown and Green 2016).") == []


def test_dated_article_reads_last_month_and_year_less_days_from_its_own_date():
    ctx = DateContext("2024-03-12")
    assert dates("Tokyo protested last month.", ctx) == [("2024-02", "month")]
    assert dates("Visits resumed last year.", ctx) == [("2023", "year")]
    assert dates("He spoke last October.", ctx) == [("2023-10", "month")]
    dates("The treaty was signed on February 7, 1855.", ctx)
    ctx.new_paragraph()
    assert dates("Exercises were held on February 3.", ctx) == [("2024-02-03", "day")]
    assert dates("Nobody knows what happens next year.", DateContext()) == []  # undated: no guess


def test_budget_years_are_no_dates():
    assert dates("Imports fell in fiscal 2024 from fiscal 2023.") == []


@pytest.mark.parametrize("sentence, published, expected", [
    # a past verb right before the date reports it, whatever the sentence plans
    ("The impact of the decision, announced June 7 by Russia’s foreign ministry, is expected to be limited, "
     "sources said.", "2022-06-08", [("2022-06-07", "day")]),
    ("The talks, held on March 3, will resume in the autumn.", "2024-03-12", [("2024-03-03", "day")]),
    ("The ambassador recalled that on October 16, the ministers also held a phone conversation and agreed to"
     " continue discussing relations.", "2020-11-18", [("2020-10-16", "day")]),
    # a planning participle does not
    ("The talks are scheduled June 20 and will be held in Tokyo.", "2024-06-25", [("2025-06-20", "day")]),
    ("Kishida will visit Moscow on June 7.", "2022-06-08", [("2023-06-07", "day")]),
])
def test_a_verb_right_before_a_year_less_date_decides_its_tense(sentence, published, expected):
    assert dates(sentence, DateContext(published)) == expected


def _paragraphs(published: str, *texts: str) -> list[list[tuple[str, str]]]:
    ctx = DateContext(published)
    out = []
    for text in texts:
        ctx.new_paragraph(text)
        out.append(dates(text, ctx))
    return out


@pytest.mark.parametrize("published, texts, expected", [
    # a chronicle: the day the paragraph before ended on gives its year to the next days
    ("2015-12-30", ("On Aug 9, 1945, the Soviet Union renounced the Neutrality Treaty and declared war on Japan.",
                    "On Aug 18, after Japan agreed to the terms of the Potsdam Declaration, Soviet forces launched"
                    " attacks, occupying Etorofu on Aug 28."),
     [[("1945-08-09", "day")], [("1945-08-18", "day"), ("1945-08-28", "day")]]),
    # not when the day comes before the last one, or months later: the article's date decides
    ("2019-01-22", ("Abe and Putin met in Buenos Aires on Dec. 1, 2018.", "On Jan. 14, Lavrov received Kono."),
     [[("2018-12-01", "day")], [("2019-01-14", "day")]]),
    ("2019-11-20", ("Putin proposed a treaty on Sept. 12, 2018.", "On Nov. 14, Abe told parliament so."),
     [[("2018-09-12", "day")], [("2019-11-14", "day")]]),
    # nor across a paragraph without a date
    ("2015-12-30", ("On Aug 9, 1945, the war began.", "The islanders were afraid.", "On Aug 18, fishermen sailed."),
     [[("1945-08-09", "day")], [], [("2015-08-18", "day")]]),
])
def test_a_year_less_day_goes_on_from_the_day_before_it(published, texts, expected):
    assert _paragraphs(published, *texts) == expected


@pytest.mark.parametrize("sentence, published, expected", [
    ("After Japan agreed to the terms on Aug 14, the war ended.", "2015-12-30", [("2015-08-14", "day")]),
    ("The leaders agreed to meet on Aug 14.", "2015-12-30", [("2016-08-14", "day")]),
])
def test_agreed_to_plans_only_before_a_verb(sentence, published, expected):
    assert dates(sentence, DateContext(published)) == expected


@pytest.mark.parametrize("published, texts, expected", [
    # 'on February 24th last year' counts from the article's date, or is dropped without one
    ("2023-03-01", ("Ties have worsened since Russia began its invasion of Ukraine on February 24th last year.",),
     [[("2022-02-24", "day")]]),
    (None, ("On February 7, 2023, Japan used the words. Russia invaded on February 24th last year.",),
     [[("2023-02-07", "day")]]),
    # an undated article: a sentence that opens on its year dates the year-less days after it
    (None, ("In 2022, a protest began a day early. The next day, on February 7, Kishida addressed a rally.",),
     [[("2022", "year"), ("2022-02-07", "day")]]),
    (None, ("Talks based on the 1956 declaration went on. On February 7, Kishida addressed a rally.",),
     [[("1956", "year")]]),
    # it reads on in the year of the last month it named, but not back to an earlier day of that year
    (None, ("He had said so to lawmakers in November 2024.", "On December 3, he repeated it.",
            "Earlier, on January 20, the ministry said Moscow would consider it."),
     [[("2024-11", "month")], [("2024-12-03", "day")], []]),
    # … and not once another year was named, unless this paragraph names that year again
    (None, ("The Soviets entered the war before Japan's surrender on Aug. 15, 1945. The two signed a declaration "
            "in 1956.", "Serious talks began only after Abe and Putin met in Sochi in May."),
     [[("1945-08-15", "day"), ("1956", "year")], []]),
    (None, ("Tokyo lifted sanctions on 3 February 2022.", "Pressure was harsher in 2022 than in 2014. In early March, "
            "Kishida spoke."), [[("2022-02-03", "day")], [("2022", "year"), ("2014", "year"), ("2022-03", "month")]]),
])
def test_last_year_counts_from_the_article_and_an_opening_year_dates_an_undated_one(published, texts, expected):
    assert _paragraphs(published, *texts) == expected

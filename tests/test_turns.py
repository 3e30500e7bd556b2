"""Transcript turns: label -> who speaks, one row per label shape a rule was written for."""
from __future__ import annotations

import pytest

from bot.extract.turns import find_turns, read_turn


@pytest.mark.parametrize("paragraph, label, text", [
    ("Minister Kamikawa: Today is Northern Territories Day.", "Minister Kamikawa",
     "Today is Northern Territories Day."),
    ("Mr. Yasuhisa Kawamura, Foreign Press Secretary: The declaration was signed.",
     "Mr. Yasuhisa Kawamura, Foreign Press Secretary", "The declaration was signed."),
    ("CHIEF CABINET SECRETARY FUJIMURA: I would like to speak briefly.", "Chief Cabinet Secretary Fujimura",
     "I would like to speak briefly."),
    ("Maria Zakharova, Director of the Information and Press Department of the MFA:",
     "Maria Zakharova, Director of the Information and Press Department of the MFA", ""),
    ("Hosokawa, Hokkaido Shimbun: Today marks 60 years.", "Hosokawa, Hokkaido Shimbun", "Today marks 60 years."),
    ("Mr. Suzuki (Reporter): Will the talks resume?", "Mr. Suzuki (Reporter)", "Will the talks resume?"),
    ("GUEST (Anna Petrova, Carnegie Center): Thanks for having me.", "Anna Petrova, Carnegie Center",
     "Thanks for having me."),
    ("Galuzin: The two leaders trust each other.", "Galuzin", "The two leaders trust each other."),
])
def test_a_label_names_the_speaker(paragraph, label, text):
    turn = read_turn(paragraph)
    assert turn is not None and (turn.label, turn.text) == (label, text)


@pytest.mark.parametrize("paragraph", ["Q: How do you see it?", "Question: How?", "Reporter (NHK): Will Russia agree?",
                                       "Q1: What is the historical backdrop for the summit?",
                                       "REPORTER: I would like to ask a question."])
def test_an_unnamed_question_is_nobody_s_quote(paragraph):
    turn = read_turn(paragraph)
    assert turn is not None and turn.label is None and not turn.answer and not turn.unnamed


@pytest.mark.parametrize("paragraph", [
    "Note: figures are provisional.", "Abstract: This article examines the dispute.", "Update: talks resumed.",
    "1. Opening Remarks: Northern Territories Day", "As Mikhail Galuzin later said: “No talks.”",
    "Japan's position is clear: the islands are Japanese.", "The reason was simple: money.",
    # an explainer's questions and fields
    "Who: Japan’s ambassador to Russia Masaharu Kono.", "When and Where: Putiatin represented Russia.",
    "Month: The Treaty of Shimoda",
    # a field whose value is a number is no one's words
    "Story Code : 901345",
    # a headline's kicker, in Title Case with no sentence end
    "Exploring Toridori: A New Culinary Hotspot at Queen's Marquee | SaltWire",
    # a picture's credit after its caption; a source's address
    "Su-35. Photo: AP", "Original: www.toutiao.com/article/1847432054116364/", "Read more: https://example.org/a/1",
    # a list's item
    "  • Government Officials: Participate in national rallies and events.",
])
def test_other_colons_are_no_turns(paragraph):
    assert read_turn(paragraph) is None


def test_answer_and_generic_labels():
    assert read_turn("A: We will see.").answer
    assert read_turn("GUEST: Thanks.").unnamed


def test_a_heading_that_sums_up_narration_is_no_turn():
    texts = ["Dr. Jane Doe: Japan wants to put pressure on Russia.", "Doe, a senior fellow, stated that Japan is firm."]
    assert find_turns(texts) == {}
    assert find_turns(["Mr. Taro Kono, Minister for Foreign Affairs: I held a meeting.", "We agreed to meet."])


def test_an_unnamed_host_who_says_who_they_are_is_quoted_by_name():
    from bot.extract.pipeline import extract
    from bot.ingest.document import parse_document
    text = ("The Eurasia Hour\nHOST: Welcome back. I'm Daniel Brooks, and today we talk about the Kurils.\n"
            "GUEST: Thanks for having me. The islands were occupied in 1945.\nHOST: How did we get here?\n")
    quotes = extract(parse_document("t.txt", text, "0")).quotes
    assert [(q.paragraph, q.speaker.name if q.speaker else None) for q in quotes] == [
        (2, "Daniel Brooks"), (3, None), (4, "Daniel Brooks")]


def test_an_infobox_of_labelled_fields_is_no_transcript():
    box = ["Treaty of Shimoda", "- Long Name: Treaty of Commerce and Navigation between Japan and Russia",
           "- Image Width: 250px", "- Date Signed: 1855-02-07", "- Signatories: Tokugawa shogunate, Japan,",
           "- Languages: Chinese, Japanese, Dutch", "The Treaty of Shimoda was signed in 1855."]
    assert find_turns(box) == {}
    talk = ["Kono: The talks went well.", "Suzuki (Kyodo): Will they resume?", "Kono: We hope so."]
    assert set(find_turns(talk)) == {0, 1, 2}


@pytest.mark.parametrize("paragraph, label, text", [
    ("Mr CASEY - After very many long years of delay, no treaty is possible.", "Mr Casey",
     "After very many long years of delay, no treaty is possible."),
    ("THE PARLIAMENTARY UNDER-SECRETARY OF STATE FOR FOREIGN AFFAIRS (THE MARQUESS OF READING)My Lords, the statement"
     " is noted.", "The Marquess of Reading, The Parliamentary Under-secretary of State for Foreign Affairs",
     "My Lords, the statement is noted."),
])
def test_a_parliamentary_record_labels_its_speakers_without_a_colon(paragraph, label, text):
    turn = read_turn(paragraph)
    assert turn is not None and (turn.label, turn.text) == (label, text)
    assert find_turns([paragraph]) != {}  # one such turn makes a record


@pytest.mark.parametrize("paragraph", ["Mr Abe - a man of many words - spoke.",
                                       "NATO (NORTH ATLANTIC TREATY ORGANIZATION) members met."])
def test_a_dash_or_a_bracket_alone_is_no_record_label(paragraph):
    assert read_turn(paragraph) is None


@pytest.mark.parametrize("texts, expected", [
    # a question and an answer, each after a dash
    (["- How would you describe the contacts?", "- Relations are a priority for Japan."], {0: "q", 1: "answer"}),
    # an answer with a dash tag saying who speaks
    (["– We can agree, – the expert reminded. – But not soon."], {0: "answer"}),
    # after an answer, a one-sentence prompt before the next answer is the interviewer's, without a '?'
    (["- How do you see relations?", "Alexander Panov: They are the worst in years. Both sides are confronted.",
      "- Talks at the level of deputy ministers resumed.", "- The parties only stated positions. Nothing moved."],
     {0: "q", 1: None, 2: "q", 3: "answer"}),
    # a list is no interview
    (["- Kunashir", "- Etorofu", "- Shikotan and the Habomai islets."], {}),
])
def test_an_interview_written_with_dashes(texts, expected):
    assert {i: "answer" if t.answer else t.part for i, t in find_turns(texts).items()} == expected


@pytest.mark.parametrize("texts, turns", [
    # a role alone on its line, its words in the paragraph below: one turn makes a transcript
    (["Main topics:", "Minister:", "The reporter entered the islands. It is extremely regrettable."], [1]),
    # a letter's salutation is no speaker
    (["To the Editor:", "I read with sadness your report of Jan. 14."], []),
])
def test_a_label_on_its_own_line(texts, turns):
    assert sorted(find_turns(texts)) == turns

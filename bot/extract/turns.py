"""Transcript turns: press conferences, interviews and minutes are made of labelled speaker turns.

'Foreign Minister Tanabe: …', 'Mr. Suzuki (Reporter): …', 'Q: …' / 'A: …', 'PRESIDENT IVANOV: …',
or a label on its own line ('Maria Zakharova, Director of the Press Department:') before the answer.
Each answer paragraph is a quote by the turn's speaker, and so is a following paragraph without a
label; an unnamed question ('Q:', 'Reporter:') is not a quote and ends the turn.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.extract import lexicon
from bot.extract.people import CONNECTIVES, ROLE_WORDS, split_name_role
from bot.extract.quotes import is_title
from bot.text import fold

# 'Label: text' — a label is short, starts with a capital or a dash and holds no quotation marks
_LABELLED = re.compile(r"^[-–—•\s]*(?P<label>[A-Z][^:“”\"«»?!;/]{0,160}?)\s*:(?:\s*(?P<rest>\S.*)|\s*$)")
_SENTENCE_INSIDE = re.compile(r"[a-z]{3,}[.!?]\s+[A-Z]")
_BULLET = re.compile(r"^\s*[•▪◦·●■]")
_ADDRESS = re.compile(r"(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?")  # a web address alone
_DASH = re.compile(r"^[-–—]\s+")
QUESTION_LABELS = lexicon.words("question_labels")
ANSWER_LABELS = lexicon.words("answer_labels")
NOT_SPEAKERS = lexicon.words("non_speaker_labels")
GENERIC = lexicon.words("generic_speaker_labels")
MEDIA = lexicon.words("media_words")
_SPEECH_WORDS = lexicon.speech_forms()
MIN_TURNS = 2  # one 'Note: …' line does not make a transcript
_HONORIFIC = "|".join(re.escape(w.rstrip(".").capitalize()) for w in sorted(lexicon.words("honorifics")))
_RECORD_LABELS = [  # a parliamentary record's labels: no colon, names in capitals
    # 'Mr CASEY - After very many long years …' (a member, in the House's own record)
    re.compile(rf"^(?P<name>(?:{_HONORIFIC})\.?\s+[A-Z][A-Z'’-]+(?:\s+[A-Z][A-Z'’-]+)?)\s+[-–—]\s+(?P<rest>\S.*)"),
    # 'THE PARLIAMENTARY UNDER-SECRETARY OF STATE … (THE MARQUESS OF READING)My Lords, …'
    re.compile(r"^(?P<role>[A-Z][A-Z,.'’-]+(?:\s+[A-Z,.'’-]+){1,20})\s*\((?P<name>[A-Z][A-Z.'’ -]{2,60})\)\s*"
               r"(?P<rest>[A-Z][a-z].*)"),
]


@dataclass(frozen=True)
class Turn:
    """A labelled paragraph: who speaks (`label`, None for an unnamed question) and what they say."""

    label: str | None
    text: str  # empty when the label stands on its own line
    answer: bool = False  # 'A:': the person the page is about
    unnamed: bool = False  # 'GUEST:': a quote the page attributes to no one by name
    part: str | None = None  # 'host', 'guest', 'q': the part an unnamed label plays
    recorded: bool = False  # a parliamentary record's label: a turn even when it is the only one


def _readable(label: str) -> str:
    """'CHIEF CABINET SECRETARY FUJIMURA' reads as 'Chief Cabinet Secretary Fujimura'."""
    return label.title() if label.isupper() and len(label) > 2 else label


def _core(label: str) -> str:
    """The label without its parenthesis or appositive: 'Mr. Suzuki (Reporter)' -> 'Mr. Suzuki'."""
    return re.sub(r"\s*\(.*?\)|,.*$", "", label)


def _is_label(label: str) -> bool:
    words = label.replace(",", " , ").split()
    if not words or len(words) > 26 or _SENTENCE_INSIDE.search(label):
        return False
    head, last = words[0].strip("().").lower(), words[-1].strip("().").lower()
    if head in NOT_SPEAKERS or head.isdigit() or last in NOT_SPEAKERS:  # 'Su-35. Photo: AP' credits a picture
        return False
    # a name or a title, with its appositive: capitals and small links only ('… Department of the MFA')
    outside = re.sub(r"\(.*?\)", "", label).replace(",", " ").split()
    return all(w[:1].isupper() or w.lower() in CONNECTIVES for w in outside)


def _recorded_turn(text: str) -> Turn | None:
    """'Mr CASEY - …' reads as Mr Casey's turn; a role before a name in brackets is the name's role."""
    m = next((m for rx in _RECORD_LABELS if (m := rx.match(text))), None)
    if m is None:
        return None
    name, role = _from_capitals(m["name"]), m.groupdict().get("role")
    return Turn(f"{name}, {_from_capitals(role)}" if role else name, m["rest"].strip(), recorded=True)


def _from_capitals(text: str) -> str:
    """'THE MARQUESS OF READING' -> 'The Marquess of Reading'; 'Mr CASEY' -> 'Mr Casey'."""
    return " ".join(w.lower() if i and w.lower() in CONNECTIVES else w.capitalize() if w.isupper() else w
                    for i, w in enumerate(text.split()))


def read_turn(text: str) -> Turn | None:
    """The turn a paragraph opens, or None when it opens with no speaker label (nor a list's bullet:
    '• Government Officials: Participate in national rallies' is an item, not a turn)."""
    if _BULLET.match(text):
        return None
    if recorded := _recorded_turn(text):
        return recorded
    m = _LABELLED.match(text)
    if not m or not _is_label(m.group("label")):
        return None
    label, rest = _readable(m.group("label").strip()), _DASH.sub("", m.group("rest") or "").strip()
    if rest and (not re.search(r"[^\W\d_]", rest) or _ADDRESS.fullmatch(rest)):
        return None  # 'Story Code : 901345', 'Original: www.toutiao.com/article/…': a field, no one's words
    if rest and is_title(rest) and not re.search(r"[.!?…\"”]$", rest):
        return None  # 'Exploring Toridori: A New Culinary Hotspot at Queen's Marquee | SaltWire': a headline
    head = label.split()[0].strip("().,").lower()
    if len(label.split()) == 1:
        head = head.rstrip("0123456789") or head  # 'Q1:' / 'A1:' number their question and answer
    named = re.search(r"\(([^)]+)\)", label)
    if named and _full_name(named.group(1)) and MEDIA.isdisjoint(named.group(1).lower().split()):
        return Turn(named.group(1), rest)  # 'GUEST (Anna Petrova, Carnegie Center)': the person named
    if head in ANSWER_LABELS and len(label.split()) == 1:
        return Turn(None, rest, answer=True)
    if head in GENERIC and len(_core(label).split()) <= 2:
        return Turn(None, rest, unnamed=True, part=head)  # 'GUEST:': quoted, but nobody is named
    if head in QUESTION_LABELS:
        name, _, is_person = split_name_role(_core(label))
        if not is_person or name.split()[0].lower() in QUESTION_LABELS:
            return Turn(None, rest, part=head)  # 'Q:', 'Reporter (NHK):': nobody named asks
    return Turn(label, rest)


def speaker_phrase(label: str) -> str:
    """'Mr. Yasuhisa Kawamura, Foreign Press Secretary' as the registry reads an appositive."""
    name, comma, role = label.partition(",")
    return f"{name.strip()} ({role.strip()})" if comma and role.strip() else label


def _full_name(label: str) -> bool:
    """'Mr. Taro Kono, Minister for Foreign Affairs', 'President of Russia Vladimir Putin': a full name."""
    name, _, is_person = split_name_role(_core(label))
    return is_person and len(name.split()) >= 2


def _names_a_person(turn: Turn) -> bool:
    return bool(turn.label) and _full_name(turn.label or "")


_SELF_INTRODUCED = re.compile(r"\b(?:I'm|I’m|I am|my name is|this is)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)")


def introduces_self(text: str) -> str | None:
    """'Welcome back. I'm Daniel Brooks.': the name an unnamed speaker gives for themselves."""
    m = _SELF_INTRODUCED.search(text)
    return m.group(1) if m else None


# '– Theoretically, … in this case, – the expert reminded. – In the meantime, …': the Russian way of
# writing speech, a dash before each turn and dashes around the words that say who speaks
_DASH_TURN = re.compile(r"^[-–—]\s+(?=[A-Z“\"«])")
_DASH_TAG = re.compile(r"(?<=[,.!?…])\s+[–—]\s+(?P<tag>[^–—()“”\"]{3,80}?[.,])\s+[–—]\s+(?=[A-Z])")


def dash_speech(text: str) -> list[str]:
    """The spoken parts of a dash turn, without the tags between them that say who speaks."""
    parts, start = [], 0
    for m in _DASH_TAG.finditer(text):
        if _SPEECH_WORDS.intersection(re.findall(r"[a-z]+", m["tag"].lower())):
            parts.append(text[start:m.start()].strip())
            start = m.end()
    return [*parts, text[start:].strip()]


def _dash_turns(texts: list[str]) -> dict[int, Turn]:
    """An interview written with dashes: '- How would you …?' asks, unnamed; '- Relations …' answers.
    It takes a question and an answer, or an answer with a dash tag, to tell it from a list."""
    turns = {i: Turn(None, turn_text(text), part="q") if text.rstrip().endswith("?")
             else Turn(None, turn_text(text), answer=True)
             for i, text in enumerate(texts) if _DASH_TURN.match(text)}
    if any(t.part == "q" for t in turns.values()):  # an interview that asks: its prompts may state
        for i in sorted(turns):
            if _prompt(texts, turns, i):
                turns[i] = Turn(None, turns[i].text, part="q")
    answers = [t for t in turns.values() if t.answer]
    asked = len(answers) < len(turns)
    return turns if answers and (asked or any(len(dash_speech(t.text)) > 1 for t in answers)) else {}


def _prompt(texts: list[str], turns: dict[int, Turn], i: int) -> bool:
    """'- Talks at the level of deputy ministers resumed.' after an answer and before the next one: the
    interviewer's one-sentence prompt, asked without a question mark."""
    before = turns.get(i - 1) or (read_turn(texts[i - 1]) if i else None)
    one_sentence = not _SENTENCE_INSIDE.search(turns[i].text) and len(turns[i].text.split()) <= 25
    answered = before is not None and (before.answer or bool(before.label and before.text))
    return turns[i].answer and one_sentence and i + 1 in turns and answered


def find_turns(texts: list[str]) -> dict[int, Turn]:
    """Turns by paragraph index, when the page is a transcript: at least MIN_TURNS labelled turns,
    or one whose label gives a person's full name (a statement followed by its paragraphs), or an
    interview written with dashes."""
    dashed = _dash_turns(texts)
    turns = dashed | {i: t for i, text in enumerate(texts) if (t := read_turn(text))}
    # 'Jane Doe: Japan wants …' followed by 'Doe, a senior fellow, stated that …' is a heading that
    # sums up what the article then narrates, not a turn
    turns = {i: t for i, t in turns.items() if i + 1 in turns or i + 1 >= len(texts)
             or not names_speaker(texts[i + 1], t)}
    if _fields(list(turns.values())):
        return {}
    # 'Minister:' on a line of its own, its words in the paragraphs below: a transcript's turn
    alone = any(t.label and not t.text and i + 1 < len(texts) and i + 1 not in turns and _plays_a_part(t.label)
                for i, t in turns.items())
    return turns if dashed or alone or len(turns) >= MIN_TURNS or any(t.recorded or _names_a_person(t)
                                                                      for t in turns.values()) else {}


def _plays_a_part(label: str) -> bool:
    """'Minister', 'Press Secretary Sato', 'Kenji Sato': a role or a person, not 'To the Editor'."""
    words = _core(label).lower().split()
    return bool(words) and (words[-1] in ROLE_WORDS or _full_name(_core(label))) and words[0] not in CONNECTIVES


def _fields(turns: list[Turn]) -> bool:
    """'Date Signed: 1855-02-07', 'Languages: Chinese, Japanese, Dutch': an infobox or fact sheet, not
    a transcript. Its labels never come back and none of its values is a sentence."""
    named = [t for t in turns if t.label]
    return len(named) >= 3 and len({t.label for t in named}) == len(named) \
        and not any(re.search(r"[.!?…]\W*$", t.text) for t in named)


def names_speaker(text: str, turn: Turn) -> bool:
    """The paragraph names the turn's speaker by surname: it is about them, not by them."""
    if not turn.label:
        return False
    name, _, _ = split_name_role(_core(turn.label))
    return bool(re.search(rf"\b{re.escape(fold(name.split()[-1]))}\b", fold(text)))


def continues_turn(text: str, turn: Turn) -> bool:
    """An unlabelled paragraph goes on with the turn unless it asks ('…?'), is a bare heading or
    names the speaker (narration about them)."""
    text = text.rstrip()
    return bool(text) and not text.endswith("?") and text[-1] in ".!…”\"’,:;)" and not names_speaker(text, turn)


def turn_text(text: str) -> str:
    """The words of an unlabelled turn paragraph, without a leading dash."""
    return _DASH.sub("", text.strip())

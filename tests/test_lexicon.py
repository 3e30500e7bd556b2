"""The lexicon's data files stay tidy: sorted, unique, no one-letter entries, tables well formed."""
from __future__ import annotations

from importlib.resources import files

import pytest

from bot.extract import lexicon

FILES = sorted(p.name.removesuffix(".txt") for p in files(lexicon.__name__).iterdir() if p.name.endswith(".txt"))


ONE_LETTER_WORDS = {"a", "i", "q"}


def entries(name: str) -> list[str]:
    return lexicon._lines(name)


def test_every_file_is_found():
    assert {"speech_verbs", "role_words", "months", "institution_words"} <= set(FILES)


@pytest.mark.parametrize("name", FILES)
def test_entries_are_sorted_unique_and_longer_than_one_letter(name):
    """One letter is a stray typo ('r'), except the words 'a' and 'I' and the transcript labels 'Q:' and 'A:'."""
    keys = [line.split(":", 1)[0].strip() for line in entries(name)]
    assert keys, f"{name} is empty"
    assert keys == sorted(keys), f"{name} is not sorted"
    assert len(keys) == len(set(keys)), f"{name} has a repeated entry"
    assert all(len(k) > 1 or k in ONE_LETTER_WORDS for k in keys), f"{name} has a one-letter entry"
    assert all(k == k.lower() for k in keys), f"{name} has an entry that is not lower case"


@pytest.mark.parametrize("name", ["speech_verbs", "months", "number_words", "pronouns"])
def test_tables_have_values(name):
    assert all(values for values in lexicon.table(name).values())


def test_speech_forms_are_words_not_nouns():
    forms = lexicon.speech_forms()
    assert {"said", "told", "stated", "wrote", "insists"} <= forms
    assert not forms & {"held", "holds", "points", "put", "read", "state", "r"}


def test_months_cover_the_year():
    assert sorted({int(n) for (n,) in lexicon.table("months").values()}) == list(range(1, 13))

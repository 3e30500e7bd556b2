"""Name keys: which spellings are one person (bot/names), and /kuril person and /quote agreeing on them."""
from __future__ import annotations

from importlib.resources import files

import pytest

from bot import names
from bot.names import is_short, name_key, short_forms, speaker_kind
from tests.conftest import knowledge_of
from tests.test_commands import ask


@pytest.mark.parametrize("name, key", [
    ("Shinzo Abe", "abe shinzo"),
    ("Shinzō Abe", "abe shinzo"),  # accents
    ("Abe Shinzo", "abe shinzo"),  # surname first
    ("Shinzo Abe’s", "abe shinzo"),  # the sentence's possessive
    ("Sergei Lavrov", "lavrov sergey"),  # transliteration
    ("Sergey Viktorovich Lavrov", "lavrov sergey"),  # patronymic
    ("S. Lavrov", "lavrov s"),  # initials: a short form
    ("S.V. Lavrov", "lavrov s"),
    ("Boris N. Yeltsin", "boris yeltsin"),  # a middle initial
    ("Yuri Ushakov", "ushakov yury"),
    ("Dimitri Medvedev", "dmitry medvedev"),
    ("Putin. But", "putin"),  # a sentence's next word
    ("", ""),
])
def test_name_key(name, key):
    assert name_key(name) == key


@pytest.mark.parametrize("a, b", [
    ("Shinzō Abe", "Abe Shinzo"), ("Sergei Lavrov", "Sergey Lavrov"), ("Yuri Ushakov", "Yury Ushakov"),
    ("Dmitri Medvedev", "Dmitry Medvedev"), ("Sergei Shoigu", "Sergey Shoygu"),
    ("Volodymyr Zelenskyy", "Volodymyr Zelensky"), ("Kishida Fumio", "Fumio Kishida"),
    ("Mikhail S. Gorbachev", "Mikhail Gorbachev"),
])
def test_variants_merge(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("short, full", [("S. Lavrov", "Sergey Lavrov"), ("Lavrov", "Sergei Lavrov"),
                                         ("Abe", "Shinzo Abe"), ("Kishida", "Kishida Fumio")])
def test_short_forms_fit_the_full_name(short, full):
    assert is_short(short) and not is_short(full)
    assert name_key(short) in short_forms(full)


@pytest.mark.parametrize("a, b", [
    ("Taro Kono", "Yohei Kono"), ("Taro Kono", "Toshio Kono"), ("Yuki Tatsumi", "Yuko Tatsumi"),
    ("Richard Bush", "George Bush"), ("Taro Aso", "Taro Kono"),
])
def test_people_of_one_surname_stay_apart(a, b):
    assert name_key(a) != name_key(b)


@pytest.mark.parametrize("name, is_person, kind", [
    ("Satoru Nagao", True, "person"), ("Russian Foreign Ministry", False, "institution"),
    ("Moscow", False, "institution"), ("Jiji Press", False, "institution"),
    ("joint statement", False, "document"), ("Diplomatic Bluebook", False, "document"),
    ("Cairo Declaration", False, "document"), ("San Francisco Peace Treaty", False, "document"),
    ("aide-mémoire", False, "document"),
    ("Russian media", False, "generic"), ("officials", False, "generic"), ("ministry", False, "generic"),
    ("Japanese Foreign Ministry (MOFA) official", False, "generic"), ("You", False, "generic"),
])
def test_speaker_kinds(name, is_person, kind):
    assert speaker_kind(name, is_person) == kind


@pytest.mark.parametrize("data", ["name_variants", "document_heads"])
def test_data_files_are_sorted_unique_and_folded(data):
    keys = [line.split(":", 1)[0].strip() for line in names._data(data)]
    assert keys == sorted(set(keys)) and all(k == k.lower() and k.isascii() for k in keys)
    assert files(names.__name__).joinpath(f"{data}.txt").is_file()


ARTICLES = {
    "a.txt": "Abe meets Putin\n\nJapanese Prime Minister Shinzō Abe met Putin on 22 January 2019 in Moscow.\n\n"
             "\"We will keep talking,\" Abe said.\n\nForeign Minister Taro Kono was there.\n",
    "b.txt": "The Sochi talks\n\nOn 6 May 2016, Prime Minister Abe Shinzo visited Sochi.\n\n"
             "\"The talks were useful,\" said Prime Minister Abe Shinzo.\n\n"
             "Former Foreign Minister Yohei Kono was not there.\n",
    "c.txt": "Lavrov speaks\n\nRussian Foreign Minister Sergei Lavrov spoke on 1 November 2010.\n\n"
             "\"This is our land,\" said S. Lavrov.\n\n\"We will not hamper relations,\" Sergey Lavrov added.\n"
             "\"Nothing changes,\" said Russian media.\n\n\"The islands are Japanese,\" the joint statement said.\n",
}


async def test_person_profile_merges_spellings_and_cites_every_line(tmp_path):
    async with knowledge_of(tmp_path / "shelf", ARTICLES) as kb:
        from commands.person import person_reply
        from commands.quote import quote_reply

        for typed in ("Abe", "Shinzo Abe", "Abe Shinzo", "shinzō abe"):
            reply = await person_reply(kb, typed)
            assert reply.title.startswith(("Shinzō Abe", "Abe Shinzo")), typed
            assert {c.doc for c in reply.citations} == {"a", "b"}
            assert all(reply.line_cites)
            assert "quoted 2 times" in reply.note
        text = reply.to_text()
        assert "Role Japanese Prime Minister" in text and "Event 22 January 2019" in text
        lavrov = await person_reply(kb, "S. Lavrov")
        assert lavrov.title.startswith("Sergey Lavrov") or lavrov.title.startswith("Sergei Lavrov")
        assert "quoted 2 times" in lavrov.note
        quotes = await quote_reply(kb, "Sergey Lavrov")
        assert len(quotes.lines) == 2  # /quote and /kuril person agree


async def test_person_command_through_the_tree(bot):
    reply, _ = await ask(bot, "/kuril person Nagao")
    assert reply.title.startswith("Satoru Nagao") and not reply.ephemeral
    assert "Quote" in reply.to_text() and all(reply.line_cites)
    for line, says in [("/kuril person Kono", None), ("/kuril person zzzzzz", "surname alone is fine"),
                       ("/kuril person name:", "name")]:
        reply, _ = await ask(bot, line)
        assert reply.ephemeral and len(reply.content) < 300
        assert says is None or says in reply.content


async def test_one_surname_of_two_people_offers_both(tmp_path):
    async with knowledge_of(tmp_path / "shelf", ARTICLES) as kb:
        from commands.person import person_reply
        from bot.errors import BadInput

        with pytest.raises(BadInput, match=r"Did you mean: .*(Taro Kono.*Yohei Kono|Yohei Kono.*Taro Kono)"):
            await person_reply(kb, "Kono")


async def test_experts_lists_people_then_institutions_and_no_documents(tmp_path):
    async with knowledge_of(tmp_path / "shelf", ARTICLES) as kb:
        from commands.kuril import experts_reply

        text = (await experts_reply(kb)).to_text()
        assert "Person: Shinzō Abe" in text or "Person: Abe Shinzo" in text
        assert "joint statement" not in text and "Russian media" not in text

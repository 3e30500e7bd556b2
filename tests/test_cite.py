"""/kuril cite and the citations of every answer: what is known of a document, in the styles researchers paste."""
from __future__ import annotations

import json
import tomllib

import pytest
import tomli_w
import pytest_asyncio

from bot.cite import authors, reference, ris
from bot.console import run_line
from bot.index import DocInfo
from bot.ingest.build import build_index

SIGNED = DocInfo(1, "001_x", "001_x.txt", "The Impact of the Russia-Ukraine War on Moscow-Tokyo Relations", "ANKASAM",
                 "Emrah Kaya", 25, "", "2022-03-14", "https://www.ankasam.org/the-impact")
URL = "https://www.ankasam.org/the-impact"
UNSIGNED = DocInfo(2, "004_x", "004_x.txt", "Japan and Russia in the war", "CESCUBE", None, 28, "")

# citeproc-js 2.4.63, the CSL reference processor, on the same .csl and locale files (tests/reference/citeproc_js.js)
CITEPROC_JS = [
    ("apa", SIGNED, "Kaya, E. (2022, March 14). The Impact of the Russia-Ukraine War on Moscow-Tokyo Relations. "
                    "ANKASAM. https://www.ankasam.org/the-impact", "(Kaya, 2022, para. 18)"),
    ("apa", UNSIGNED, "CESCUBE. (n.d.). Japan and Russia in the war.", "(CESCUBE, n.d., para. 18)"),
    ("chicago", SIGNED, "Kaya, Emrah. 2022. “The Impact of the Russia-Ukraine War on Moscow-Tokyo Relations.” "
                        "ANKASAM, March 14. https://www.ankasam.org/the-impact.", "(Kaya 2022, para. 18)"),
    ("chicago", UNSIGNED, "CESCUBE. n.d. “Japan and Russia in the War.”", "(CESCUBE, n.d., para. 18)"),
    ("mla", SIGNED, "Kaya, Emrah. “The Impact of the Russia-Ukraine War on Moscow-Tokyo Relations.” ANKASAM, "
                    "14 Mar. 2022, https://www.ankasam.org/the-impact.", "(Kaya, par. 18)"),
    ("mla", UNSIGNED, "CESCUBE. Japan and Russia in the War.", "(CESCUBE, par. 18)"),
    ("harvard", SIGNED, "Kaya, E. (2022) The Impact of the Russia-Ukraine War on Moscow-Tokyo Relations, ANKASAM. "
                        "Available at: https://www.ankasam.org/the-impact.", "(Kaya, 2022, para. 18)"),
    ("harvard", UNSIGNED, "CESCUBE (no date) Japan and Russia in the war.", "(CESCUBE, no date, para. 18)"),
]


@pytest.mark.parametrize("style, doc, entry, in_text", CITEPROC_JS)
def test_csl_styles_give_what_the_reference_processor_gives(style, doc, entry, in_text):
    ref = reference(doc, style, 18)
    assert (ref.entry, ref.in_text) == (entry, in_text)


def test_titles_keep_their_italics_in_discord_markdown():
    assert reference(SIGNED, "apa").markdown.startswith(
        "Kaya, E. (2022, March 14). *The Impact of the Russia-Ukraine War on Moscow-Tokyo Relations*. ANKASAM.")
    assert "*ANKASAM*, 14 Mar. 2022" in reference(SIGNED, "mla").markdown
    assert reference(SIGNED, "apa").in_text == "(Kaya, 2022)"  # no paragraph asked: none cited


def test_bibtex_comes_from_its_csl_style_with_a_key_latex_accepts():
    ref = reference(SIGNED, "bibtex", 18)
    assert ref.entry.startswith("@misc{kaya_2022, title={The Impact of the Russia-Ukraine War on Moscow-Tokyo")
    assert "author={Kaya, Emrah}" in ref.entry and "year={2022}" in ref.entry
    assert ref.in_text == r"\cite[para.~18]{kaya_2022}"
    titled = reference(DocInfo(3, "009_y", "009_y.txt", "Japan’s approach", None, None, 3, ""), "bibtex")
    assert titled.entry.startswith("@misc{japan_s_approach,") and titled.in_text is None


def test_ris_is_one_tag_a_line_ending_in_er():
    assert ris(SIGNED, 18).splitlines() == [
        "TY  - ELEC", "TI  - The Impact of the Russia-Ukraine War on Moscow-Tokyo Relations", "AU  - Kaya, Emrah",
        "T2  - ANKASAM", "PB  - ANKASAM", "PY  - 2022", "DA  - 2022/03/14/", "UR  - https://www.ankasam.org/the-impact",
        "N1  - para. 18", "ER  - "]
    assert ris(UNSIGNED).splitlines() == ["TY  - ELEC", "TI  - Japan and Russia in the war",
                                          "T2  - CESCUBE", "PB  - CESCUBE", "ER  - "]


@pytest.mark.parametrize("byline, names", [
    ("Emrah Kaya", [{"family": "Kaya", "given": "Emrah"}]),
    ("Emrah Kaya and Jane Q. Doe", [{"family": "Kaya", "given": "Emrah"}, {"family": "Doe", "given": "Jane Q."}]),
    ("Emrah Kaya, Jane Doe & Ali Veli", [{"family": "Kaya", "given": "Emrah"}, {"family": "Doe", "given": "Jane"},
                                         {"family": "Veli", "given": "Ali"}]),
    ("Hudson Institute", [{"literal": "Hudson Institute"}]),
    ("ANKASAM", [{"literal": "ANKASAM"}]),
    (None, []),
])
def test_bylines_become_csl_names(byline, names):
    assert authors(byline) == names


@pytest_asyncio.fixture
async def cited_bot(settings, seeds_copy, tmp_path):
    """The bot on the seeds with one article's full catalog entry: author, date, URL."""
    from bot.client import create_bot

    catalog = seeds_copy / "catalog.toml"
    entries = tomllib.loads(catalog.read_text(encoding="utf-8"))
    entries["001_a85d1beeb3c2cf91.txt"].update(author="Emrah Kaya", published="2023-01-04", url=URL)
    catalog.write_text(tomli_w.dumps(entries), encoding="utf-8")
    index = tmp_path / "cited.db"
    build_index([seeds_copy], index)
    b = create_bot(settings.model_copy(update={"kuril_index": index, "kuril_seeds": seeds_copy}))
    await b.prepare()
    yield b
    await b.shutdown()


async def test_every_citation_shows_title_author_publisher_date_and_link(cited_bot):
    reply, _ = await run_line(cited_bot, "/kuril event query:March 2022")
    shown = reply.pages()[0].to_dict()["fields"][0]["value"]
    assert (f"[The Impact of the Russia-Ukraine War on Moscow-Tokyo Relations]({URL}) — by Emrah Kaya · "
            "ANKASAM (Ankara Center for Crisis and Policy Studies) · 4 January 2023, ¶8") in shown
    assert f"4 January 2023, ¶8 · {URL}" in reply.to_text()  # the console has no links: the URL is written out
    cited = next(c for c in reply.to_json()["citations"] if c["doc"] == "001_a85d1beeb3c2cf91")
    assert (cited["author"], cited["published"], cited["url"]) == ("Emrah Kaya", "2023-01-04", URL)


async def test_source_shows_every_footnote_of_the_paragraph_in_full(cited_bot):
    reply, _ = await run_line(cited_bot, "/kuril source doc:001_a85d1beeb3c2cf91 paragraph:8")
    notes = [line for line in reply.lines if line.startswith("**Footnote")]
    assert [n[:14] for n in notes] == ["**Footnote 4**", "**Footnote 5**", "**Footnote 6**"]
    assert all(n.endswith("(Date of Accession: 03.01.2023). [1]") for n in notes)  # none cut short


@pytest.mark.parametrize("line, expected", [
    ("/kuril cite doc:001 style:apa paragraph:18",
     ["Kaya, E. (2023, January 4). *The Impact of the Russia-Ukraine War on Moscow-Tokyo Relations*. "
      f"ANKASAM (Ankara Center for Crisis and Policy Studies). {URL}", "In the text: `(Kaya, 2023, para. 18)` [1]"]),
    ("/kuril cite 001_a85d1beeb3c2cf91 ¶18 style:chicago",  # a citation as printed names the paragraph
     ["Kaya, Emrah. 2023. “The Impact of the Russia-Ukraine War on Moscow-Tokyo Relations.” ANKASAM (Ankara "
      f"Center for Crisis and Policy Studies), January 4. {URL}.", "In the text: `(Kaya 2023, para. 18)` [1]"]),
    ("/kuril cite doc:Moscow-Tokyo style:ris",
     ["```\nTY  - ELEC\nTI  - The Impact of the Russia-Ukraine War on Moscow-Tokyo Relations\nAU  - Kaya, Emrah\n"
      "T2  - ANKASAM (Ankara Center for Crisis and Policy Studies)\nPB  - ANKASAM (Ankara Center for Crisis and "
      f"Policy Studies)\nPY  - 2023\nDA  - 2023/01/04/\nUR  - {URL}\nER  - \n```", "The document as a whole [1]"]),
])
async def test_cite_gives_a_ready_reference(cited_bot, line, expected):
    reply, _ = await run_line(cited_bot, line)
    assert reply.lines == expected and not reply.ephemeral
    assert reply.to_json()["allowed_mentions"] == {"parse": []}


@pytest.mark.parametrize("line, says", [
    ("/kuril cite doc:nothing-like-it style:apa", "I have no document"),
    ("/kuril cite doc:001 style:apa paragraph:999", "has paragraphs 1 to 25"),
    ("/kuril cite doc:001 style:vancouver", "must be one of"),
    ("/kuril cite style:apa", "is required"),
])
async def test_cite_answers_bad_input_briefly(cited_bot, line, says):
    reply, _ = await run_line(cited_bot, line)
    assert reply.ephemeral and says in reply.content and "Traceback" not in json.dumps(reply.to_json())

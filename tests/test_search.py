"""Search internals: query words meet index terms, folding, and the bounded ranking window."""
from __future__ import annotations

import unicodedata

from anyascii import anyascii

from bot.index import Index
from bot.ingest.build import build_index
from bot.search import Names, Searcher, Vocabulary, match_names
from bot.text import fold


def test_query_words_meet_porter_stems_and_typos_are_corrected():
    vocab = Vocabulary([("treati", 5), ("threat", 9), ("militar", 3), ("sanction", 40), ("countri", 7)])
    assert vocab.expand(["treaty", "militarization", "countries"]) == [["treati"], ["militar"], ["countri"]]
    assert vocab.expand(["sanctoins"]) == [["sanction"]]
    assert vocab.expand(["zzzzqx"]) == [[]]


def test_about_keeps_texts_with_every_word_else_any():
    vocab = Vocabulary([("sanction", 40), ("swift", 3), ("fish", 5)])
    searcher = Searcher(None, vocab)  # type: ignore[arg-type]  # `about` reads no index
    texts = {1: "Sanctions cut banks off SWIFT.", 2: "New sanctions were imposed.", 3: "Fishing quotas."}
    assert searcher.about("sanctoins swift", texts) == {1}
    assert searcher.about("swift fishing", texts) == {1, 3}
    assert searcher.about("nothing here", texts) == set()


def test_fold_only_transliterates_what_is_not_ascii():
    text = "Meriç  “Sarı” — Askeroğlu’s Ｆｕｌｌ\u00a0Text: 北方領土 and Курилы"
    reference = " ".join(anyascii(unicodedata.normalize("NFKC", text)).casefold().split())
    assert fold(text) == reference
    assert fold("Meriç") == "meric" and fold("Askeroğlu") == "askeroglu"


async def test_candidates_are_the_best_matches_not_the_newest(tmp_path):
    """A common word's best passage is found however old it is: no cut by recency."""
    folder = tmp_path / "shelf"
    folder.mkdir()
    (folder / "doc_00.txt").write_text("Note\nSanctions, sanctions and more sanctions.\n", encoding="utf-8")
    for i in range(1, 40):
        (folder / f"doc_{i:02d}.txt").write_text(
            f"Note {i}\nIn March 2020, new sanctions were imposed on exporter number {i} of the long list of"
            f" exporters that trade with the islands and their harbours every season.\n", encoding="utf-8")
    build_index([folder], tmp_path / "kuril.db")
    index = await Index.open(tmp_path / "kuril.db")
    try:
        best = await index.match('"sanctions"', 5)
        assert len(best) == 5 and index.docs[best[0].doc_id].doc == "doc_00"
    finally:
        await index.close()


def test_names_find_exact_word_prefix_and_swapped_letters():
    names = Names([("satoru nagao", 1), ("nagao", 1), ("sabir askeroglu", 2), ("askeroglu", 2), ("anna nagano", 3)])
    assert [names.choices[i] for i in names.word_prefixed("naga", 10)] == ["satoru nagao", "nagao", "anna nagano"]
    assert [names.choices[i] for i in names.word_prefixed("sab", 10)] == ["sabir askeroglu"]
    assert [m.person_id for m in match_names("Nagao", names)] == [1]
    assert match_names("nagoa", names)[0].person_id == 1
    assert match_names("Askeroğlu", names)[0].person_id == 2
    assert match_names("   ", names) == []


def test_the_fallback_for_a_paraphrase_searches_its_rarest_words_within_a_budget():
    from bot.search import FALLBACK_POSTINGS, _rarer_words
    df = {"japan": 270_000, "russia": 270_000, "orient": 7_000, "expert": 16_000, "follow": 30_000}
    groups = [["expert"], ["japan"], ["follow"], ["orient"], ["russia"]]
    assert _rarer_words(groups, df) == [["orient"]]  # orient + expert would pass the budget
    assert _rarer_words([["japan"], ["orient"]], df) == [["orient"]]
    small = {t: n // 100 for t, n in df.items()}
    assert _rarer_words(groups, small) == [["orient"], ["expert"]]  # at most half of the words
    assert sum(small[g[0]] for g in _rarer_words(groups, small)) <= FALLBACK_POSTINGS

"""Direct quotations and who said them.

A quoted span is a quotation when it reads as speech: long enough, or introduced by a speech
verb; a short term in quotation marks ('unfriendly', "new approach", the title of a work) is not.
The speaker is found by the grammar around the span: 'X said, "…"', '"…," said X',
'"…" he said', 'according to X', a participial clause ('Stating that they "…", X …'), or the
sentence subject; surnames and pronouns resolve through the article's Registry.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.extract import lexicon
from bot.extract.people import (HONORIFICS, ORG_WORDS, PRONOUNS, ROLE_WORDS, Person, Registry,
                                noun_phrase_after, noun_phrase_before, tokens)

SPEECH_VERBS = lexicon.speech_forms()
_NOUN_MARKERS = lexicon.words("noun_markers")
_NOT_SPEECH_OBJECT = lexicon.words("labelling_verbs")  # 'what it called X' labels a term
LABEL_CUE = re.compile(rf"\b(?:{lexicon.alternation('label_cues')})(?:\s+(?:an?|the))?[\s,:]*$", re.I)
_APPOSITIVE = re.compile(r",\s*(?:who|which|whose)\b[^,“”\"]*,\s*$|,\s*(?P<role>[^,“”\"]{2,90}),\s*$")
_TITLE_SMALL_WORDS = lexicon.words("title_small_words")
# '09:15 JST — ', 'Feb. 7 — ', 'Update, Feb. 8: ', 'Analysis: ': labels that open a live-blog entry
_ENTRY_LABEL = re.compile(r"^(?:(?:\d{1,2}[:.]\d{2}(?:\s*[A-Z]{2,4})?|(?:Update|Analysis|Background|Breaking|Correction)"
                          r"\b[^:—–]{0,20}|[A-Z][a-z]{2,3}\.?\s+\d{1,2})\s*[—–:-]+\s*)+")
_SPLIT_ATTRIBUTION = re.compile(r"^[,.]?\s*[^“”\"«».]{2,60}?,\s*[“\"«]")
_AGE = re.compile(r",\s*\d{1,3}\s*,?\s*$")
_AUXILIARIES = re.compile(r"(?:\s+(?:has|have|had|also|later|then|once|again|further|would|will|did))+\s*$")
_CLAUSE_END = re.compile(r"[.!?]\s+(?=[A-Z“\"])")
# 'In Moscow, …', 'A decade later, …', 'Every month, …': an adverbial before the subject
_INTRO_PHRASE = re.compile(rf"^(?:(?i:{lexicon.alternation('adverbial_openers')})\b[^,“”\"]{{0,60}}|"
                           r"[^,“”\"]{1,40}\b(?:later|earlier|ago))\s*,\s*")


_SPEECH_IDIOMS = {tuple(idiom.split()) for idiom in lexicon.words("speech_idioms")}
_IDIOM_HEADS = {head for head, *_ in _SPEECH_IDIOMS}
_SPEECH_WORDS = SPEECH_VERBS | _IDIOM_HEADS  # any word that may begin speech


def _is_speech(words: list[str], i: int) -> bool:
    """words[i] is a speech verb, or opens a speech idiom ('put it')."""
    word = words[i].rstrip(".,;:").lower()
    return word in SPEECH_VERBS or (word in _IDIOM_HEADS and i + 1 < len(words)
                                    and (word, words[i + 1].lower()) in _SPEECH_IDIOMS)


@dataclass
class Quote:
    """Quoted words; `speaker` is None when the article does not say who said them."""

    speaker: Person | None
    text: str
    paragraph: int

    def to_json(self) -> dict:
        return {"speaker": self.speaker.name if self.speaker else None,
                "role": self.speaker.role if self.speaker else None, "text": self.text, "paragraph": self.paragraph}


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words inside each pair of quotation marks; unmatched marks are ignored."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"“([^“”]*)”|\"([^\"]*)\"|«([^«»]*)»", text):
        g = next(i for i in (1, 2, 3) if m.group(i) is not None)
        spans.append((m.start(g), m.end(g)))
    # a quotation that goes on into the next paragraph is left open at the end of this one
    tail = re.search(r"“([^“”]*)$", text) or (re.search(r"\"([^\"]*)$", text) if text.count('"') % 2 else None)
    if tail and _words(tail.group(1)) >= 4:
        spans.append((tail.start(1), tail.end(1)))
    double = list(spans)
    for m in re.finditer(r"(?:(?<=^)|(?<=[\s(\[—–-]))‘(.+?)’(?![\w’])", text):
        inside = next(((s, e) for s, e in double if s <= m.start() < e), None)
        # a quotation within a quotation counts when introduced as speech ('X said: ‘…’')
        if inside is None or re.search(r"[:,]\s*$", text[inside[0]:m.start()]):
            spans.append((m.start(1), m.end(1)))
    return sorted(s for s in spans if text[s[0]:s[1]].strip())


def _words(text: str) -> int:
    return len(re.findall(r"[\w’'-]+", text))


def _verb_subject(words: list[str], skip_participles: bool = True) -> str | None:
    """The subject of the last speech verb in `words` that has one."""
    for i in range(len(words) - 1, -1, -1):
        w = words[i].rstrip(".")
        if not _is_speech(words, i):
            continue
        before = words[:i]
        if before and (re.search(r"[’']s$", before[-1]) or before[-1].lower() in _NOUN_MARKERS):
            continue  # 'Zakharova's remarks', 'the comments': nouns, not verbs
        if skip_participles and w.lower().endswith("ing") and (
                not before or before[-1].lower() in (",", "by", "while", "after", "before")):
            continue  # '…, calling them “…”': the subject is the main clause's
        np = noun_phrase_before(before)
        if np:
            return np
    return None


def _has_speech_verb(words: list[str]) -> bool:
    return any(_is_speech(words, i) and w.lower() not in _NOT_SPEECH_OBJECT for i, w in enumerate(words))


def _pre_speaker(pre: str) -> str | None:
    m = list(re.finditer(r"\baccording to\s+", pre, re.I))
    if m:
        np = noun_phrase_after(tokens(pre[m[-1].end():]))
        if np:
            return np
    return speech_subject(pre)


def _is_role_phrase(phrase: str) -> bool:
    """'the Kremlin spokesman', 'Official Spokesperson of the Ministry', 'associate professor at MGIMO'."""
    words = [re.sub(r"[’']s$", "", w.lower()) for w in phrase.split()]
    return bool(words) and (words[0] in ("a", "an", "the", "former", "then")
                            or any(w in ROLE_WORDS or w in ORG_WORDS for w in words))


def _tail_match(pattern: re.Pattern[str], text: str, reach: int = 140) -> int | None:
    """Where an end-anchored pattern starts, looking only at the tail of `text` (a search from
    every position of a long sentence is what made these slow)."""
    start = max(0, len(text) - reach)
    m = pattern.search(text, start)
    return m.start() if m else None


def speech_subject(text: str, first: bool = False) -> str | None:
    """Who speaks in a sentence, directly or not: the subject of its last (or `first`) speech verb.
    'Dmitry Peskov, the Kremlin spokesman, told' keeps the role, and 'Kimiko Ōtsuka, 86, who was born there, told' looks past the asides."""
    if _SPEECH_WORDS.isdisjoint(re.findall(r"[a-z]+", text.lower())):  # most sentences: no speech verb
        return None
    words = tokens(text)
    order = range(len(words)) if first else range(len(words) - 1, -1, -1)
    for i in order:
        if not _is_speech(words, i):
            continue
        before = " ".join(words[:i])
        before = before[:_tail_match(_AUXILIARIES, before) or len(before)]  # 'X, a senior fellow, has observed'
        role, trimmed = None, False
        while True:
            cut = _tail_match(_APPOSITIVE, before + " ")
            found = _APPOSITIVE.match(before + " ", cut).group("role") if cut is not None else None  # type: ignore[union-attr]
            if cut is None or (found and not _is_role_phrase(found)):
                cut, found = _tail_match(_AGE, before + " "), None  # 'Sato, 82, recalled'
                if cut is None:
                    break
            role, before, trimmed = role or found, before[:cut], True
        verb = words[i:i + 2] if words[i].lower() in _IDIOM_HEADS else words[i:i + 1]
        np = _verb_subject(tokens(before) + verb) if trimmed else None
        if np:
            return f"{np} ({role.strip()})" if role else np
        return _verb_subject(words[:i] + verb)
    return None


def _post_speaker(post: str) -> str | None:
    post = re.split(r"[“\"«]", post, maxsplit=1)[0]
    m = re.match(r"^[\s,.;:!?’”]*according to\s+(.*)", post, re.I)
    if m:
        return noun_phrase_after(tokens(m.group(1)))
    words = tokens(post)
    # '"…," said Kishida' — verb first, then the speaker
    lead = [w for w in words[:3] if w not in ",.;:"]
    if lead and _is_speech(words, words.index(lead[0])):
        after = words[words.index(lead[0]) + 1:]
        # 'said fisherman Kōichi Sasahara': a lowercase role before the name
        k = next((k for k in range(min(4, len(after))) if after[k][:1].isupper()), 0)
        if k and all(w.isalpha() and w.islower() for w in after[:k]) and after[k].lower() not in PRONOUNS:
            np = noun_phrase_after(after[k:])
            if np:
                return f"{np} ({' '.join(after[:k])})"
        np = noun_phrase_after(after)
        if np:
            # '"…," said Dmitri Trenin, director of the Carnegie Moscow Center.'
            rest = " ".join(after[len(np.split()):])
            role = re.match(r"^,\s*(?:the\s+|a\s+|an\s+)?([^,.;“”\"]{3,80})", rest)
            if role and any(w.lower() in ROLE_WORDS for w in role.group(1).split()):
                return f"{np} ({role.group(1).strip()})"
            return np
    # the attribution after a quote is its first speech verb: '…," X told reporters, adding that …'
    return speech_subject(_first_clause(post.strip(" ,")), first=True)


def _first_clause(text: str) -> str:
    """Up to the first sentence end that is not an abbreviation ('Dr.', 'D.J.', 'Nov.')."""
    for m in _CLAUSE_END.finditer(text):
        word = text[:m.start() + 1].rsplit(None, 1)[-1]
        if word.lower() not in HONORIFICS and not re.fullmatch(r"(?:[A-Z]\.)+|[A-Z][a-z]{1,3}\.", word):
            return text[:m.start() + 1]
    return text


def sentence_subject(sentence_pre: str) -> str | None:
    """The noun phrase a sentence (or the part before a quotation) starts with, after any adverbial."""
    pre = _INTRO_PHRASE.sub("", _ENTRY_LABEL.sub("", sentence_pre.strip()))
    return noun_phrase_after(tokens(pre))


def _is_title(inner: str) -> bool:
    """'The Sea Between Us: A Childhood on Shikotan': every content word capitalised, as in a title."""
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", inner) if w.lower() not in _TITLE_SMALL_WORDS]
    return len(words) >= 2 and all(w[0].isupper() for w in words) and not re.search(r"[.!?]\s", inner)


def is_quotation(inner: str, pre: str) -> bool:
    """Speech, not a scare-quoted term or a title."""
    n = _words(inner)
    if n <= 1 or LABEL_CUE.search(pre) or _is_title(inner):
        return False
    if n >= 4:
        return True
    return _has_speech_verb(tokens(pre)[-6:])


def attribute(text: str, start: int, end: int, sentence_start: int, paragraph_n: int,
              registry: Registry, previous: Quote | None) -> Quote | None:
    """The quotation text[start:end] with its speaker, or None if it is no attributed quotation."""
    inner = text[start:end]
    pre = text[sentence_start:max(sentence_start, start - 1)]
    # a short sentence in quotation marks right after a speaker's quote goes on with it, and
    # '“Trust,” he added, “is …”' splits one quotation around its attribution
    follows = previous is not None and not pre.strip() and _words(inner) >= 2 or bool(
        _SPLIT_ATTRIBUTION.match(text[end + 1:]) and _has_speech_verb(tokens(text[end + 1:end + 60])))
    if not (follows or is_quotation(inner, pre)):
        return None
    phrase = _pre_speaker(pre) or _post_speaker(text[end + 1:]) or sentence_subject(pre)
    speaker: Person | None
    if phrase is not None:
        speaker = registry.add(phrase)
    elif previous is not None:
        speaker = previous.speaker
    else:
        # a quote that opens its sentence with no attribution continues the last speaker
        speaker = registry.last_person if not pre.strip() else None
    if speaker is None:
        return None
    registry.register(speaker)
    return Quote(speaker, inner.strip(), paragraph_n)

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

from bot.ingest.people import Person, Registry, noun_phrase_after, noun_phrase_before, tokens

SPEECH_VERBS = re.compile(
    r"^(?:said|says|say|saying|stated|states|state|stating|told|tells|added|adds|adding|noted|notes|noting|"
    r"argued|argues|arguing|claimed|claims|claiming|explained|explains|explaining|emphasi[sz]ed|emphasi[sz]es|"
    r"emphasi[sz]ing|underlined|underlines|underlining|stressed|stresses|stressing|warned|warns|warning|"
    r"announced|announces|announcing|declared|declares|declaring|deplored|deplores|condemned|condemns|"
    r"condemning|responded|responds|wrote|writes|writing|asked|asks|insisted|insists|holds|held|believes|"
    r"believed|maintains|maintained|described|describes|describing|remarked|remarks|observed|observes|"
    r"commented|comments|commenting|concluded|concludes|continued|continues|pointed|points|pointing|tweeted|"
    r"posted|replied|replies|recalled|recalls|acknowledged|admitted|asserted|asserts|affirmed|suggested|"
    r"suggests|predicted|criticized|criticised|accused|vowed|promised|urged|reiterated|reiterates|"
    r"confirmed|denied|quipped|mentioned|expressed|expressing|calls|called|protested|protesting|"
    r"insisting|announcing|alleged|alleges|contended|contends|charged|complained|stressed|told|"
    r"put|reads|read|proclaimed|proclaims)$", re.I)
_NOT_SPEECH_OBJECT = {"called", "calls", "put", "read", "reads"}  # 'what it called X' labels a term
LABEL_CUE = re.compile(
    r"(?:\bterm|\bterms|\bphrase|\bword|\bwords|\bslogan|\blabel|\btitle of|\btitled|\bentitled|\bheadlined|"
    r"\bcalled|\bdubbed|\bnamed|\bknown as|\bso-called|\blist of|\bconcept of|\bnotion of|\bidea of|"
    r"\bbook|\barticle|\breport|\bpaper|\bessay|\bfilm|\bcodenamed|\boperation|\bexercise|\bmotto|"
    r"\bdoctrine of|\bpolicy of|\bstrategy of)[\s,:]*$", re.I)
_APPOSITIVE = re.compile(r",\s*(?:who|which|whose)\b[^,“”\"]*,\s*$|,\s*(?P<role>(?:a|an|the|former|then)\s[^,“”\"]*),\s*$")
_INTRO_PHRASE = re.compile(r"^(?:(?:In|At|On|During|After|Before|Meanwhile|However|Moreover|In a|In an|In its)"
                           r"\b[^,“”\"]{0,60},\s*)")


@dataclass
class Quote:
    speaker: Person
    text: str
    paragraph: int

    def to_json(self) -> dict:
        return {"speaker": self.speaker.name, "role": self.speaker.role, "text": self.text,
                "paragraph": self.paragraph}


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words inside each pair of quotation marks; unmatched marks are ignored."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"“([^“”]*)”|\"([^\"]*)\"", text):
        g = 1 if m.group(1) is not None else 2
        spans.append((m.start(g), m.end(g)))
    for m in re.finditer(r"(?:(?<=^)|(?<=[\s(\[—–-]))‘(.+?)’(?![\w’])", text):
        if not any(s <= m.start() < e for s, e in spans):
            spans.append((m.start(1), m.end(1)))
    return sorted(s for s in spans if text[s[0]:s[1]].strip())


def _words(text: str) -> int:
    return len(re.findall(r"[\w’'-]+", text))


def _speech_subject(words: list[str], skip_participles: bool = True) -> str | None:
    """The subject of the last speech verb in `words` that has one."""
    for i in range(len(words) - 1, -1, -1):
        w = words[i].rstrip(".")
        if not SPEECH_VERBS.match(w):
            continue
        before = words[:i]
        if skip_participles and w.lower().endswith("ing") and (not before or before[-1].lower() in ("by", "while", "after", "before")):
            continue
        np = noun_phrase_before(before)
        if np:
            return np
    return None


def _has_speech_verb(words: list[str]) -> bool:
    return any(SPEECH_VERBS.match(w) and w.lower() not in _NOT_SPEECH_OBJECT for w in words)


def _pre_speaker(pre: str) -> str | None:
    m = list(re.finditer(r"\baccording to\s+", pre, re.I))
    if m:
        np = noun_phrase_after(tokens(pre[m[-1].end():]))
        if np:
            return np
    return _subject_of_speech(pre)


def _subject_of_speech(text: str) -> str | None:
    """Speaker of the last speech verb; 'Dmitry Peskov, the Kremlin spokesman, told' keeps the role."""
    words = tokens(text)
    for i in range(len(words) - 1, -1, -1):
        if not SPEECH_VERBS.match(words[i].rstrip(".")):
            continue
        before = " ".join(words[:i])
        m = _APPOSITIVE.search(before + " ")
        if m:
            np = _speech_subject(tokens(before[:m.start()] + " " + words[i]))
            if np and m.group("role"):
                return f"{np} ({m.group('role').strip()})"
            if np:
                return np
        return _speech_subject(words[: i + 1])
    return None


def _post_speaker(post: str) -> str | None:
    post = re.split(r"[“\"]", post, maxsplit=1)[0]
    m = re.match(r"^[\s,.;:!?’”]*according to\s+(.*)", post, re.I)
    if m:
        return noun_phrase_after(tokens(m.group(1)))
    words = tokens(post)
    # '"…," said Kishida' — verb first, then the speaker
    lead = [w for w in words[:3] if w not in ",.;:"]
    if lead and SPEECH_VERBS.match(lead[0]):
        np = noun_phrase_after(words[words.index(lead[0]) + 1:])
        if np:
            return np
    clause = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", post.strip(" ,"), maxsplit=1)[0]
    return _subject_of_speech(clause)


def _subject(sentence_pre: str) -> str | None:
    pre = _INTRO_PHRASE.sub("", sentence_pre.strip())
    return noun_phrase_after(tokens(pre))


def is_quotation(inner: str, pre: str) -> bool:
    """Speech, not a scare-quoted term or a title."""
    n = _words(inner)
    if n <= 1 or LABEL_CUE.search(pre):
        return False
    if n >= 4:
        return True
    return _has_speech_verb(tokens(pre)[-6:])


def attribute(text: str, start: int, end: int, sentence_start: int, paragraph_n: int,
              registry: Registry, previous: Quote | None) -> Quote | None:
    """The quotation text[start:end] with its speaker, or None if it is no attributed quotation."""
    inner = text[start:end]
    pre = text[sentence_start:max(sentence_start, start - 1)]
    if not is_quotation(inner, pre):
        return None
    phrase = _pre_speaker(pre) or _post_speaker(text[end + 1:]) or _subject(pre)
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

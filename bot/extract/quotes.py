"""Direct quotations and who said them.

A quoted span is a quotation when it reads as speech: long enough, or introduced by a speech
verb; a short term in quotation marks ('unfriendly', "new approach", the title of a work) is not.
The speaker is found by the grammar around the span: 'X said, "…"', '"…," said X',
'"…" he said', 'according to X', a participial clause ('Stating that they "…", X …'), or the
sentence subject; surnames and pronouns resolve through the article's Registry.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.extract import lexicon
from bot.extract.people import (DETERMINERS, HONORIFICS, ORG_WORDS, PRONOUNS, ROLE_WORDS,
                                Person, Registry, is_full_name, is_surname, noun_phrase_after, noun_phrase_before,
                                split_name_role, tokens)

SPEECH_VERBS = lexicon.speech_forms()
_NOUN_MARKERS = lexicon.words("noun_markers")
_NOT_SPEECH_OBJECT = lexicon.words("labelling_verbs")  # 'what it called X' labels a term
LABEL_CUE = re.compile(rf"\b(?:{lexicon.alternation('label_cues')})(?:\s+(?:an?|the))?[\s,:]*$", re.I)
_APPOSITIVE = re.compile(r",\s*(?:who|which|whose)\b[^,“”\"]*,\s*$|,\s*(?P<role>[^,“”\"]{2,150}),\s*$")
_TITLE_SMALL_WORDS = lexicon.words("title_small_words")
# '09:15 JST — ', 'Feb. 7 — ', 'Update, Feb. 8: ', 'Analysis: ': labels that open a live-blog entry
_ENTRY_LABEL = re.compile(r"^(?:(?:\d{1,2}[:.]\d{2}(?:\s*[A-Z]{2,4})?|"
                          r"(?:Update|Analysis|Background|Breaking|Correction)"
                          r"\b[^:—–]{0,20}|[A-Z][a-z]{2,3}\.?\s+\d{1,2})\s*[—–:-]+\s*)+")
# How far around a quotation its attribution is looked for: every real one is closer, and a bound
# keeps a sentence of a thousand quotations linear.
CONTEXT = 1000
_SPLIT_ATTRIBUTION = re.compile(r"^[,.]?\s*[^“”\"«».]{2,60}?,\s*[“\"«]")
_AGE = re.compile(r",\s*\d{1,3}\s*,?\s*$")
_AUXILIARIES = re.compile(r"(?:\s+(?:has|have|had|also|later|then|once|again|further|would|will|did))+\s*$")
_INCLUDING = re.compile(r"\s*,\s*(?:including|among them|such as|along with|together with)\b.*,\s*$")
_WORDS_BY = re.compile(r"^[\s,.;:!?’”]*(?:is|was|were|are)\s+(?:the|a|an)\s+(?:[a-z]+\s+){1,2}(?:by|from)\s+")
_QUOTED_AS = re.compile(r"\s+(?:was|were|is|are|has been|had been)\s+(?:quoted|cited|reported|heard)\s+as\s+saying\b")
_HEARD_TO = re.compile(r"\b(?:was|were|is|are|been)\s+(?:heard|seen|reported|known|understood)\s+to$", re.I)
_CLAUSE_END = re.compile(r"[.!?]\s+(?=[A-Z“\"])")
# 'In Moscow, …', 'A decade later, …', 'Every month, …': an adverbial before the subject
_INTRO_PHRASE = re.compile(rf"^(?:(?i:{lexicon.alternation('adverbial_openers')})\b[^,“”\"]{{0,60}}|"
                           r"[^,“”\"]{1,40}\b(?:later|earlier|ago))\s*,\s*")


_SPEECH_IDIOMS = {tuple(idiom.split()) for idiom in lexicon.words("speech_idioms")}
_FINITE = lexicon.words("finite_auxiliaries")
_IDIOM_HEADS = {head for head, *_ in _SPEECH_IDIOMS}
_SPEECH_WORDS = SPEECH_VERBS | _IDIOM_HEADS  # any word that may begin speech


def _is_speech(words: list[str], i: int) -> bool:
    """words[i] is a speech verb, or opens a speech idiom ('put it')."""
    if i and not words[i][:1].islower():
        return False  # 'the United States': a verb inside a sentence is in lower case
    if i + 1 < len(words) and words[i + 1].lower() in _FINITE:
        return False  # 'Various comments were recorded': a noun before its verb
    if i + 1 < len(words) and words[i + 1].lower() == "by":
        return False  # 'the islands, claimed by China, …': a passive; its subject is no speaker
    word = words[i].rstrip(".,;:").lower()
    return word in SPEECH_VERBS or (word in _IDIOM_HEADS and i + 1 < len(words)
                                    and (word, words[i + 1].rstrip(".,;:").lower()) in _SPEECH_IDIOMS)


@dataclass
class Quote:
    """Quoted words; `speaker` is None when the article does not say who said them."""

    speaker: Person | None
    text: str
    paragraph: int

    def to_json(self) -> dict:
        return {"speaker": self.speaker.name if self.speaker else None,
                "role": self.speaker.role if self.speaker else None, "text": self.text, "paragraph": self.paragraph}


# a straight single mark opens before a capital and closes after the sentence's own punctuation;
# apostrophes inside words ('don't', 'Japan's') stay inside the quotation
_SINGLE_QUOTED = re.compile(rf"(?:(?<=^)|(?<=[\s(\[—–-]))'([A-Z](?:[^'\n]|(?<=\w)'(?=\w)){{2,{CONTEXT}}}?[,.!?])'"
                            r"(?![\w'])")


# „…“ (German), “… “freezing” …,” said X (one quotation inside another, same marks), “…”, "…", «…», “…"
# (opened curly, closed straight), “…,“ Kamikawa said (closed with an opening mark), and ``…``, ``…'', ″…″ or
# ''…'' as old wire archives print them
_PAIRED = re.compile(r"„([^„“”]*)[“”]|“([^“”]*“[^“”]*”[^“”]*)”(?=\s*(?:said|added|[A-Z]\w*\s+said|[a-z]+\s+said))|"
                     r"“([^“”]*)”|“([^“”\"]*)\"(?![^“]*”)|"
                     r"“([^“”\"]*[,.!?…])“(?=\s+[a-z]|\s+[A-Z]\w+\s+[a-z])|(?<!`)\"([^\"]*)\"|«([^«»]*)»|``([^`\"“”]*?)(?:``|'')|″([^″]*)″|"
                     r"(?<![\w'])''(?=\S)([^'\"“”]*?\S)''(?!\w)")
_CLOSING_SINGLE = re.compile(r"’(?![A-Za-z])")  # an apostrophe has a letter after it
_LEADING_CLOSE = re.compile(r"^([^\"“”]*?[\w.,!?…])\"(?=[\s,.;]|$)")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words inside each pair of quotation marks; unmatched marks are ignored."""
    spans: list[tuple[int, int]] = []
    start = 0
    # a page that opens on a quotation's closing mark ('… on the direction of the wind" quipped Synge'):
    # the quotation began before it
    lead = _LEADING_CLOSE.match(text) if text.count('"') % 2 else None
    if lead and _words(lead.group(1)) >= 4:
        spans.append((0, lead.end(1)))
        start = lead.end()
    for m in _PAIRED.finditer(text, start):
        g = next(i for i in range(1, 11) if m.group(i) is not None)
        spans.append((m.start(g), m.end(g)))
    # a quotation that goes on into the next paragraph is left open at the end of this one
    tail = re.search(r"“([^“”]*)$", text) or (re.search(r"\"([^\"]*)$", text) if text[start:].count('"') % 2 else None)
    if tail and _words(tail.group(1)) >= 4 and all(tail.start() not in (s - 1, e) for s, e in spans):  # unpaired
        spans.append((tail.start(1), tail.end(1)))
    # '‘In the first place, Russia’s aggression …' with no closing mark: a quotation that goes on (British style)
    if text.startswith("‘") and not spans and not _CLOSING_SINGLE.search(text) and _words(text) >= 4:
        spans.append((1, len(text)))
    double = list(spans)
    for m in re.finditer(rf"(?:(?<=^)|(?<=[\s(\[—–-]))‘(.{{1,{CONTEXT}}}?)’(?![\w’])", text):
        inside = next(((s, e) for s, e in double if s <= m.start() < e), None)
        # a quotation within a quotation counts when introduced as speech ('X said: ‘…’')
        if inside is None or re.search(r"[:,]\s*$", text[inside[0]:m.start()]):
            spans.append((m.start(1), m.end(1)))
    if not double:  # a page that quotes with straight single marks ('…,' said Mr Akibe), as British papers do
        for m in _SINGLE_QUOTED.finditer(text):
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
        if before and before[-1].lower() == "who":
            before = before[:-1]  # 'the vice minister who told him that …'
        heard = _HEARD_TO.search(" ".join(before[-4:]))
        if heard:
            before = before[:len(before) - len(heard.group(0).split())]  # 'he was heard to say'
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


_QUOTING = re.compile(r"\b(?:to\s+quote|quoting|quotes|quoted|in\s+the\s+words\s+of)\s+", re.I)


def quoting(text: str) -> str | None:
    """'To quote Adolf Hitler of all people: "…"', 'in the words of X, "…"', 'Itar-Tass quotes Panov as saying …'."""
    m = list(_QUOTING.finditer(text, max(0, len(text) - 200)))
    return noun_phrase_after(tokens(text[m[-1].end():])) if m else None


def according_to(text: str) -> str | None:
    m = list(re.finditer(r"\baccording to\s+", text, re.I))
    return noun_phrase_after(tokens(text[m[-1].end():])) if m else None


def _according_to_before(pre: str) -> str | None:
    """'According to X, "…"'; but in 'according to Reuters, Abe has indicated that he "…"' X reports
    what Abe said: the speech verb after it has a subject of its own."""
    source = according_to(pre)
    if source is None:
        return None
    rest = pre[pre.lower().rfind("according to"):].split(",", 1)
    return None if len(rest) > 1 and speech_subject(rest[1]) else source


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
    'Dmitry Peskov, the Kremlin spokesman, told' keeps the role, and 'Kimiko Ōtsuka, 86, who was born
    there, told' looks past the asides."""
    if _SPEECH_WORDS.isdisjoint(re.findall(r"[a-z]+", text.lower())):  # most sentences: no speech verb
        return None
    words = tokens(text)
    order = range(len(words)) if first else range(len(words) - 1, -1, -1)
    for i in order:
        if not _is_speech(words, i):
            continue
        before = " ".join(words[:i])
        before = before[:_tail_match(_AUXILIARIES, before) or len(before)]  # 'X, a senior fellow, has observed'
        aside = _INCLUDING.search(before)
        if aside:
            before = before[:aside.start()]  # 'A group of envoys, including X of A and Y of B, said': the group
        role, trimmed = None, bool(aside)
        while True:
            cut = _tail_match(_APPOSITIVE, before + " ")
            appositive = _APPOSITIVE.match(before + " ", cut) if cut is not None else None
            found = appositive.group("role") if appositive else None
            if cut is None or (found and not _is_role_phrase(found)):
                cut, found = _tail_match(_AGE, before + " "), None  # 'Sato, 82, recalled'
                if cut is None:
                    break
            role, before, trimmed = role or found, before[:cut], True
        verb = words[i:i + 2] if words[i].lower() in _IDIOM_HEADS else words[i:i + 1]
        np = _verb_subject(tokens(before) + verb) if trimmed else None
        if np:
            return f"{np} ({role.strip()})" if role else np
        return _verb_subject(words[:i] + verb) or _unclosed_appositive(before)
    return None


# 'James Brown, a Russia-Japan expert at Temple University's Japan campus said': the comma after the role left out
_UNCLOSED = re.compile(r"(?:^|[.;:]\s+)(?P<name>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){1,3})\s*,\s+"
                       r"(?P<role>(?:a|an|the)\s+[^,“”\"]{2,90}?)\s*$")


def _unclosed_appositive(before: str) -> str | None:
    m = _UNCLOSED.search(before)
    if m and is_full_name(m["name"]) and any(w.lower() in ROLE_WORDS for w in m["role"].split()):
        role = re.sub(r"^(?:a|an|the)\s+", "", m["role"])
        return f"{m['name']} ({role})"
    return None


def before_next_quote(post: str) -> str:
    """The text up to the next opening quotation mark."""
    return re.split(r"[“\"«]", post, maxsplit=1)[0]


def _according_to_after(post: str) -> str | None:
    m = re.match(r"^[\s,.;:!?’”]*according to\s+(.*)", before_next_quote(post), re.I)
    return noun_phrase_after(tokens(m.group(1))) if m else None


def _name_after_role(words: list[str]) -> str | None:
    """'fisherman Kōichi Sasahara', 'co-founder Tatsuya Yoshioka': a lowercase role before the name."""
    k = next((k for k in range(min(4, len(words))) if words[k][:1].isupper()), 0)
    if k and all(w.replace("-", "").isalpha() and w.islower() for w in words[:k]) and words[k].lower() not in PRONOUNS:
        np = noun_phrase_after(words[k:])
        if np:
            return f"{np} ({' '.join(words[:k])})"
    return None


def _verb_after(post: str) -> str | None:
    """'"…," said Kishida', '"…," X told reporters, adding …', '"…," X was quoted as saying',
    '"…," is the warning by X'."""
    post = before_next_quote(post)
    by = _WORDS_BY.match(post)
    if by:
        after = tokens(post[by.end():])
        return _name_after_role(after) or noun_phrase_after(after)
    clause = _first_clause(post.strip(" ,"))
    passive = _QUOTED_AS.search(clause)
    if passive:
        return noun_phrase_before(tokens(clause[:passive.start()]))
    words = tokens(post)
    # '"…," said Kishida' — verb first, then the speaker
    lead = [w for w in words[:3] if w not in ",.;:"]
    if lead and _is_speech(words, words.index(lead[0])):
        after = words[words.index(lead[0]) + 1:]
        role_first = _name_after_role(after)
        if role_first:
            return role_first
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


# 'HIROSHI TOKUNO still remembers …': a feature's lead-in sets its subject's name in capitals
_CAPITALS_LEAD = re.compile(r"^[A-Z][A-Z’'-]+(?:\s+[A-Z][A-Z’'-]+){1,2}(?=\s+[a-z])")


def sentence_subject(sentence_pre: str) -> str | None:
    """The noun phrase a sentence (or the part before a quotation) starts with, after any adverbial."""
    pre = _INTRO_PHRASE.sub("", _ENTRY_LABEL.sub("", sentence_pre.strip()))
    pre = _CAPITALS_LEAD.sub(lambda m: m.group(0).title(), pre)
    return noun_phrase_after(tokens(pre))


def is_title(inner: str) -> bool:
    """'The Sea Between Us: A Childhood on Shikotan': every content word capitalised, as in a title."""
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", inner) if w.lower() not in _TITLE_SMALL_WORDS]
    return len(words) >= 2 and all(w[0].isupper() for w in words) and not re.search(r"[.!?]\s", inner)


def is_quotation(inner: str, pre: str) -> bool:
    """Speech, not a scare-quoted term or a title: four words or more, or fewer after a speech verb;
    two words after a determiner name a thing ('urged Russia to take a "constructive stance"')."""
    n = _words(inner)
    if n <= 1 or LABEL_CUE.search(pre) and not _IN_WORDS.search(pre) or is_title(inner) or _CREDIT.match(pre) \
            or _names_an_institution(inner, pre):
        return False
    if n >= 4 or n == 3 and (_DESCRIBED_BY.search(pre) or _possessive_speech(pre)):
        return True
    before = tokens(pre)
    if n == 2 and before and before[-1].lower() in DETERMINERS:
        return False
    return _introduces_speech(before[-6:], strict=n == 2)


_QUOTE_LEADS = lexicon.words("quote_lead_words")


def _names_an_institution(inner: str, pre: str) -> bool:
    """'the public organization “Association of former residents of Chishima province”': a body's name,
    in capitals, no sentence of anyone's."""
    before = pre.rstrip().rsplit(None, 1)
    return bool(before) and before[-1].lower() in ORG_WORDS and inner[:1].isupper() \
        and not re.search(r"[.!?,;:]", inner.strip()[:-1])


def _introduces_speech(words: list[str], strict: bool) -> bool:
    """Three words after a speech verb are speech ('said the talks had been "frank and useful"'), unless
    another verb's infinitive takes them ('agreed to launch "joint economic activities"'). Two words are
    speech only right after the verb, with 'that', 'they' or 'it was' between ('stating that they
    "strongly protested"'); 'said he saw "no connection"' and 'described as "extremely significant"'
    quote a term."""
    for i in range(len(words) - 1, -1, -1):
        if _is_speech(words, i) and words[i].lower() not in _NOT_SPEECH_OBJECT:
            between = [w.lower() for w in words[i + 1:] if w not in ",:"]
            if not strict:
                return "to" not in between
            return all(w in _QUOTE_LEADS for w in between)
    return False


_IN_WORDS = re.compile(r"\bin\s+(?:his|her|their|its|[A-Z][\w-]*[’']s)\s+(?:own\s+)?words[\s,:]*$")  # speech, no term
_CREDIT = re.compile(r"^\s*(?i:from|source|courtesy of|photo|image)\s*:?\s*$")  # 'From "Showa … vol.11"': a work

UNATTRIBUTED_MIN_WORDS = 6  # 'the return of the Northern Territories' is a phrase, not a statement


@dataclass(frozen=True)
class Mention:
    """Who the grammar around a quotation names as its speaker, and which strategy found them."""

    phrase: str
    strategy: str


def _subject_if_speaker(pre: str, registry: Registry) -> str | None:
    """The sentence subject, when the quotation is introduced by a colon ('X was blunt: "…"') or
    the subject can speak: a pronoun, someone the article has named, a full name, a named
    institution or document ('the Russian Ministry of Defense'). A country or a capitalised first
    word ('Trade ties had grown thanks to "…"') is no speaker."""
    subject = sentence_subject(pre)
    if subject is None:
        return None
    known = registry.find(subject)
    if subject.lower() in PRONOUNS or (known is not None and known.is_person):
        return subject
    words = subject.split()
    name, _, is_person = split_name_role(subject)
    institution = words[0][:1].isupper() and any(w.lower() in ORG_WORDS for w in words)
    if len(words) > 1 and (is_person and is_full_name(name) or institution or pre.rstrip().endswith(":")):
        return subject
    return None


def _participial_clause(pre: str, post: str) -> str | None:
    """'Stating that they "strongly protested" the step, Kishida …': the main clause's subject."""
    words = tokens(pre)
    if not words or not (words[0].lower().endswith("ing") and _is_speech(words, 0)):
        return None
    main = re.match(r"[^,“”\"«»]*,\s*(.+)", before_next_quote(post))
    return noun_phrase_after(tokens(main.group(1))) if main else None


_DOCUMENT = (r"(?:[12]\d{3}\s+)?(?P<doc>(?:[A-Z][\w’'-]*\s+){0,5}"
             rf"(?:{'|'.join(w.capitalize() for w in sorted(lexicon.words('document_words')))})"
             r"(?:\s+of\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?)?)(?:\s+of\s+[12]\d{3})?")
_WORDING_OF = [  # the clause before a quotation names the document whose words it quotes
    # 'under the 1951 San Francisco Peace Treaty, Japan renounced', 'in Article 2(c) of the Treaty signed …, the'
    re.compile(rf"\b(?i:under|in)\s+(?:the\s+)?(?:Article\s+[\w().]+\s+of\s+(?:the\s+)?)?{_DOCUMENT}"
               r"(?:\s+(?:signed|concluded|adopted)\b[^,“”\"«»]{0,40})?\s*,\s*[^,“”\"«»]{0,120}$"),
    # 'the San Francisco Peace Treaty of 1951, in which Japan renounced'
    re.compile(rf"{_DOCUMENT}\s*,\s*(?:in|under|by)\s+which\s+[^,“”\"«»]{{0,120}}$"),
]


def document_worded(pre: str) -> str | None:
    """The document a quotation gives the wording of, when the clause before it says so."""
    if _has_speech_verb(tokens(pre)[-12:]):
        return None  # 'under the treaty, Lavrov said': a speaker, not a wording
    m = next((m for rx in _WORDING_OF if (m := rx.search(pre, max(0, len(pre) - 300)))), None)
    return m["doc"] if m else None


def _verb_before(pre: str, registry: Registry) -> str | None:
    """The subject of the speech verb nearest before the quotation, unless it is a bare place ('Abe said
    Japan had told Russia the deployment "…"'): then the person who reports it, when the article knows them."""
    phrase = speech_subject(pre)
    if phrase is None or not _is_bare_place(phrase, registry):
        return phrase
    outer = speech_subject(pre, first=True)
    known = registry.find(split_name_role(outer)[0]) if outer and outer != phrase else None
    return outer if known is not None and known.is_person else phrase


def _is_bare_place(phrase: str, registry: Registry) -> bool:
    """'Japan', 'Moscow': a capitalised name with no role or institution word that is no one the article knows."""
    words = phrase.split()
    known = registry.find(phrase)
    return len(words) <= 2 and all(w[:1].isupper() for w in words) and (known is None or not known.is_person) \
        and not any(w.lower() in ROLE_WORDS or w.lower() in ORG_WORDS for w in words) and not is_full_name(phrase)


_FRONTED = re.compile(r"^(?:When|As|After|While|Before|Although|Though|Because|If)\s+(?:he|she|they)\s+$")


def _fronted_clause(pre: str, post: str) -> str | None:
    """'When he stated that "…," Russian Prime Minister Vladimir Putin made …': a pronoun in a clause
    put before the main one stands for the main clause's subject, named after it."""
    words = tokens(pre)
    verb = next((i for i in range(len(words)) if _is_speech(words, i)), None)
    if verb is None or verb > 3 or not _FRONTED.match(" ".join(words[:verb]) + " "):
        return None
    main = re.match(r"^[\s,’”'\"]*(?:[^,“”\"«»]{0,80},\s*)?(?P<rest>[A-Z].*)", before_next_quote(post))
    subject = noun_phrase_after(tokens(main["rest"])) if main else None
    return subject if subject and subject.lower() not in PRONOUNS else None


_POSSESSIVE_SPEECH = re.compile(
    r"(?P<who>(?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*)[’']s\s+(?:[a-z]+\s+){0,2}"
    rf"(?:{lexicon.alternation('speech_nouns')})(?:\s+to\s+[^,;“”\"«»]{{1,40}}?)?\s+(?:to|that|of)?\s*:?\s*$")


def _possessive_speech(pre: str) -> str | None:
    """'former President Obama's repeated advice to Prime Minister Abe to "not approach Putin"': the owner speaks."""
    m = _POSSESSIVE_SPEECH.search(pre, max(0, len(pre) - 160))
    return m["who"] if m else None


_DESCRIBED_BY = re.compile(r"\b(?:described|called|termed|branded|labell?ed|dismissed|denounced|hailed|condemned)\s+"
                           r"by\s+(?P<by>[^,“”\"«»]{3,80}?)\s+as\s*$")


def _described_by(pre: str) -> str | None:
    """'the islands, described by Japan's then prime minister as "an unforgivable outrage"': the one who described."""
    m = _DESCRIBED_BY.search(pre)
    return m["by"].strip() if m else None


_DASH_CREDIT = re.compile(r"^\s*[-–—]+\s*(?P<name>[A-Z][^,.;:“”\"\[]{2,60}?)(?:,\s*(?P<role>[^.;:“”\"\[]{3,80}))?"
                          r"\s*(?:\[\d+\])?\s*\.?\s*$")


def _dash_credit(pre: str, post: str) -> str | None:
    """'“Northern territories … of this matter.”- Yoshimasa Hayashi, Japanese Foreign Minister[1].': a
    quotation that stands alone, credited after a dash as an epigraph is."""
    m = _DASH_CREDIT.match(post) if not pre.strip() else None
    if m is None or not is_full_name(m["name"].strip()):
        return None
    role = (m["role"] or "").strip()
    return f"{m['name'].strip()} ({role})" if any(w.lower() in ROLE_WORDS for w in role.split()) else m["name"].strip()


# Tried in this order; the first that names someone wins. Transcript turns are read before these.
STRATEGIES: list[tuple[str, Callable[[str, str, Registry], str | None]]] = [
    ("dash credit", lambda pre, post, r: _dash_credit(pre, post)),
    ("according to", lambda pre, post, r: _according_to_before(pre)),
    ("fronted clause", lambda pre, post, r: _fronted_clause(pre, post)),
    ("quoting", lambda pre, post, r: quoting(pre)),
    ("described by", lambda pre, post, r: _described_by(pre)),
    ("possessive", lambda pre, post, r: _possessive_speech(pre)),  # nearer the quotation than any verb before
    ("verb before", lambda pre, post, r: _verb_before(pre, r)),
    ("wording of a document", lambda pre, post, r: document_worded(pre)),
    ("according to, after", lambda pre, post, r: _according_to_after(post)),
    ("verb after", lambda pre, post, r: _verb_after(post)),
    ("participial clause", lambda pre, post, r: _participial_clause(pre, post)),
    ("sentence subject", lambda pre, post, r: _subject_if_speaker(pre, r)),
]


def is_speaker_phrase(phrase: str) -> bool:
    """A person, a role, an institution or a document; never a possessive ('Japan's')."""
    return not re.search(r"[’']s$", phrase) and phrase != "me"


def find_speaker(pre: str, post: str, registry: Registry) -> Mention | None:
    """The speaker named around a quotation: `pre` is its sentence before it, `post` what follows."""
    for name, strategy in STRATEGIES:
        phrase = strategy(pre, post, registry)
        if phrase and is_speaker_phrase(phrase):
            return Mention(phrase, name)
    return None


_SUBORDINATE_SUBJECT = re.compile(r"(?:^|,\s*)(?i:as|when|after|while|before|once)\s+(?:[a-z]+\s+){0,2}"
                                  r"(?P<np>(?:[A-Z][\w’'-]+\s+){1,4})[a-z][^,]*,\s*$")


def _subject_of_pronoun(phrase: str, pre: str, registry: Registry) -> Person | None:
    """'Abe did not say whether …, but he agreed that "…"': 'he' is the person the sentence began with."""
    pronoun = phrase.lower()
    if pronoun not in ("he", "she"):
        return None
    # 'as ailing Japanese Premier Hatoyama climbed into a limousine, he asked': the clause's subject
    cut = [m.start() + 1 for m in re.finditer(rf",\s+{pronoun}\b", pre, re.I)]
    clause = _SUBORDINATE_SUBJECT.search(pre[:cut[-1]]) if cut else None
    subject = noun_phrase_after(tokens(clause["np"])) if clause else sentence_subject(pre)
    if not subject or subject.lower() in PRONOUNS:
        return None
    name = split_name_role(subject)[0]
    known = registry.find(name)
    if known is None and is_surname(name):  # 'Abe did not indicate whether …, but he agreed': Abe is a person
        known = registry.add(name, speaking=False)
        if known is not None:
            known.is_person = True
    if known is None or not known.is_person or known.pronoun not in (None, pronoun):
        return None
    known.pronoun = pronoun
    return registry.add(known.name)


_CLAUSE_WORDS = _FINITE | {"that", "would", "will", "could", "can"}


def _reports_other_words(inner: str, post: str) -> bool:
    """'“… visit the islands.” Gemba said Medvedev's visit had poured …': after a quotation that ends its
    sentence, a speech verb with a clause of its own reports other words, not the quotation's."""
    if not re.search(r"[.!?…]\W*$", inner.strip()):
        return False
    words = tokens(_first_clause(before_next_quote(post).strip(" ,")))
    verb = next((i for i in range(len(words)) if _is_speech(words, i)), None)
    return verb is not None and any(w.lower() in _CLAUSE_WORDS for w in words[verb + 1:])


def attribute(text: str, start: int, end: int, sentence_start: int, paragraph_n: int,
              registry: Registry, continuing: Person | None) -> Quote | None:
    """The quotation text[start:end] with its speaker (None when the article gives it to no one), or
    None if it is no quotation. `continuing`: whose quotation a quote without attribution goes on with."""
    inner = text[start:end]
    opening = 2 if text[max(0, start - 2):start] in ("``", "''") else 1  # ``…'' as old archives print them
    closing = 2 if text[end:end + 2] in ("``", "''") else 1
    pre = text[max(sentence_start, start - opening - CONTEXT):max(sentence_start, start - opening)]
    post = text[end + closing:end + closing + CONTEXT]
    # a sentence of three words or more in quotation marks right after a speaker's quote goes on with it, and
    # '“Trust,” he added, “is …”' splits one quotation around its attribution
    follows = continuing is not None and not pre.strip() and _words(inner) >= 3 or bool(
        _SPLIT_ATTRIBUTION.match(post) and _has_speech_verb(tokens(post[:60])))
    if not (follows or is_quotation(inner, pre)):
        return None
    mention = find_speaker(pre, post, registry)
    if mention is not None and mention.strategy == "verb after" and _reports_other_words(inner, post):
        mention = None
    speaker: Person | None
    if mention is not None:
        clause = _first_clause(before_next_quote(post).strip(" ,")) if mention.strategy == "verb after" else ""
        speaker = _subject_of_pronoun(mention.phrase, pre, registry) or registry.add(mention.phrase, besides=clause)
    elif continuing is not None:
        speaker = continuing
    else:
        # a quote that opens its sentence with no attribution continues the last speaker; one given to someone
        # the grammar cannot name ('“…” wrote the user with nickname ‘rikihos.’') is nobody's
        words = [w for w in tokens(post)[:3] if w not in ",.;:"]
        to_someone = len(words) > 1 and _is_speech(words, 0) and words[1].lower() in DETERMINERS
        speaker = registry.last_person if not pre.strip() and not to_someone else None
    if speaker is None:  # quoted, but the article does not say by whom: kept when it reads as a sentence
        sentence_like = _words(inner) >= UNATTRIBUTED_MIN_WORDS or re.search(r"[.!?…]\W*$", inner.strip())
        return Quote(None, inner.strip(), paragraph_n) if sentence_like else None
    registry.register(speaker)
    return Quote(speaker, inner.strip(), paragraph_n)

"""Who is speaking: noun phrases split into name and role, and a per-article registry of people.

The registry lets a later 'Tanabe said' or 'he said' resolve to the full name and role that the
article gave earlier ('Example Institute Research Fellow Dr. Kenji Tanabe').
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from anyascii import anyascii

from bot.extract import lexicon
from bot.text import fold

HONORIFICS = lexicon.words("honorifics")
ROLE_WORDS = lexicon.words("role_words")
ORG_WORDS = lexicon.words("institution_words")
SPEAKER_NOUNS = ORG_WORDS | lexicon.words("speaker_nouns")
CONNECTIVES = lexicon.words("name_connectives")
PRONOUNS = {word: kind for word, (kind,) in lexicon.table("pronouns").items()}
_ROLE_LINKS = lexicon.words("title_links")
DETERMINERS = lexicon.words("determiners")
_DEMONYMS = lexicon.words("demonyms")
_SPEECH_NOUNS = lexicon.words("speech_nouns")
_PLACE_WORDS = lexicon.words("place_words")
OPENERS = lexicon.words("clause_openers")  # capitalised at a clause start, never a name
_CAPITAL_RUN = re.compile(r"\b(?:[A-Z][\w’'.-]*+(?:\s+(?:of|for)\s+|\s+)){2,7}[A-Z][\w’'-]*")
_WORD = re.compile(r"\([^)]{0,300}\)|[\w’'.&-]+|[^\w\s]")
_PASSIVE_AGENT = re.compile(r"\b(?:was|were|is|are)\s+(?:[a-z]+ly\s+)?[a-z]+ed\s+by\s+([^,;:“”\"]{3,120})[.!]?\s*$")
_AGED_NAME = re.compile(r"\b([A-Z][\w’'-]+(?:\s+[A-Z][\w’'.-]+){1,2}),\s+\d{1,3},")
_FULL_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z’'-]+){1,2}\b(?!\s+[A-Z])")
# adjectives and compass words that begin place names ('Soviet Union', 'North Korea'), not people's
_NOT_NAME = re.compile(r"(?:ese|ern|ic|ish)$|^(?:North|South|East|West|Soviet|Russian|Korean|Pacific|Cold|United)$")
_OUTLET_PIECE = re.compile(rf"\b(?:a|an|the)\s+(?P<outlet>[A-Z][\w&'-]+)\s+"
                           rf"(?P<piece>{lexicon.alternation('report_nouns')})\b")
_NEVER_NAMES = lexicon.words("weekdays") | (lexicon.words("function_words") - CONNECTIVES)  # 'Friday In Moscow'
_INITIALS = re.compile(r"(?:[A-Z][a-z]?\.){1,3}")  # 'D.J.', 'F.', 'M.Yu.'
_LEADING_INITIALS = re.compile(r"(?:[A-Z][a-z]?\.){2,3}")  # 'S.V. Lavrov': a name starts here


def tokens(text: str) -> list[str]:
    return _WORD.findall(text)


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper() or (tok[:1].isdigit() is False and tok.isupper() and len(tok) > 1)


def _is_name_token(tok: str) -> bool:
    low = tok.lower()
    if low in HONORIFICS:
        return False
    if _INITIALS.fullmatch(tok):  # 'James D.J. Brown', 'John F. Kennedy'
        return True
    if low in _NEVER_NAMES:
        return False
    return (tok[:1].isupper() and low not in ROLE_WORDS and low not in ORG_WORDS and low not in _PLACE_WORDS
            and not (tok.isupper() and len(tok) > 1 and not tok.endswith(".")) and "." not in tok[:-1]
            and len(tok) > 1)


def is_surname(name: str) -> bool:
    """One name word that is no place, people, pronoun or clause opener: a person named by surname ('Abe')."""
    low = name.lower()
    return len(name.split()) == 1 and _is_name_token(name) and fold(name) not in _DEMONYMS \
        and low not in lexicon.place_names() and low not in PRONOUNS and low not in OPENERS


def is_full_name(name: str) -> bool:
    """'Kenji Sato', 'James D.J. Brown'; not 'United States' or 'North Korea'."""
    words = name.split()
    return len(words) >= 2 and all(_is_name_token(w) and not _NOT_NAME.search(w) for w in words) \
        and not any(w.lower().removesuffix("s") in _DEMONYMS for w in words)  # 'Some Russians' are no one


def last_full_name(text: str) -> str | None:
    """The last person's full name in a text, a surname in capitals read as a name ('Valery KISTANOV')."""
    text = re.sub(r"\b([A-Z])([A-Z]{2,})\b", lambda m: m[1] + m[2].lower(), text)
    names = []
    for m in _FULL_NAME.finditer(text):
        words = split_name_role(m.group(0))[0].split()
        if len(words) == 3 and re.search(r"\b(?:in|at|from|near)\s+$", text[:m.start()]):
            words = words[1:]  # 'Consul General in Khabarovsk Noguchi Hideaki': the place, then the name
        if is_full_name(" ".join(words)):
            names.append(" ".join(words))
    return names[-1] if names else None


def noun_phrase_before(words: list[str]) -> str | None:
    """The noun phrase that ends `words` (the subject right before a verb), or None."""
    out: list[str] = []
    i = len(words) - 1
    when = _WHEN_AFTER_SUBJECT.search(" ".join(words[-3:]))  # 'Moscow last month said', 'Peskov on Tuesday said'
    if when:
        i -= len(when.group(0).split())
    while i >= 0 and (words[i].startswith("(") or words[i].lower() in ("also", "has", "have", "had", "then",
                                                                          "further", "later", "once", "again",
                                                                          "recently", "previously", "earlier",
                                                                          ",", "would", "will", "had", "did")
                      or words[i].endswith("ly") and words[i].islower()):
        i -= 1
    while i >= 0:
        w = words[i]
        low = w.lower()
        if low in PRONOUNS and not out:
            return w
        if w.startswith("("):
            i -= 1
            continue
        if low in OPENERS and w[:1].isupper():
            break
        of_the = low == "the" and out and i > 0 and words[i - 1].lower() in ("of", "for")  # 'of the Russian …'
        if _is_cap(w) or low in SPEAKER_NOUNS or (out and low in CONNECTIVES - {"the"}) or of_the \
                or (out and w.islower() and low not in DETERMINERS and len(out) < 3 and words[-1] != w
                    and out[0].lower() in SPEAKER_NOUNS and low.isalpha() and len(low) > 2 and low not in CONNECTIVES):
            out.append(w)
            i -= 1
            continue
        break
    while out and out[-1].lower() in CONNECTIVES:
        out.pop()
    out.reverse()
    if not out or not (_is_cap(out[-1]) or out[-1].lower() in SPEAKER_NOUNS):
        return None
    # 'the 2022 Diplomatic Bluebook described': a determiner (or a year) before it marks a thing,
    # unless the phrase names a role ('the Kremlin spokesman Dmitry Peskov')
    j = i - 1 if i >= 0 and words[i].isdigit() else i
    if j >= 0 and words[j].lower() in DETERMINERS and not any(w.lower() in ROLE_WORDS for w in out):
        return " ".join([words[j].lower(), *out])
    return " ".join(out)


_VERB_FORM = re.compile(r"^(?:Having|Being)$")
_WHEN_AFTER_SUBJECT = re.compile(r"(?<=\S)\s+(?:(?:last|this|next)\s+(?:week|month|year)|yesterday|today|tonight|"
                                 rf"on\s+(?:{lexicon.alternation('weekdays')}))$", re.I)
_PERSON_ROLES = lexicon.words("speaker_nouns") - ORG_WORDS  # 'official', 'spokesman': heads that are people


def _role_head(phrase: str) -> str:
    """'official of Shimane prefecture' -> 'official'; 'Japanese Foreign Ministry spokesman' -> 'spokesman'."""
    words = re.split(r"\s+(?:of|for|at|in|from|to)\s+", phrase, maxsplit=1)[0].split()
    return words[-1].lower() if words and words[-1].islower() else ""


_TIME_OWNER = re.compile(r"(?:year|month|week|today|yesterday)[’']s")
_MODIFIER = re.compile(r"[a-z]+(?:-[a-z]+)*|\d{1,3}-year-old")


def noun_phrase_after(words: list[str]) -> str | None:
    """The noun phrase that starts `words` (after 'according to', or a sentence subject)."""
    out: list[str] = []
    i = 0
    while i < len(words) and (words[i].lower() in DETERMINERS or words[i].lower() in OPENERS
                              or _TIME_OWNER.fullmatch(words[i].lower())):  # "This year's Diplomatic Bluebook"
        i += 1
    if i < len(words) and words[i].lower() in PRONOUNS:
        return words[i]
    # 'a 64-year-old resident', 'a senior official': lower-case words that qualify the speaker noun after them
    head = next((k for k in range(i, min(i + 4, len(words))) if words[k].lower().rstrip(".,") in SPEAKER_NOUNS), None) \
        if i < len(words) and not words[i][:1].isupper() else None
    if head is not None and all(_MODIFIER.fullmatch(w) and w.lower() not in CONNECTIVES for w in words[i:head]):
        out.extend(words[i:head])
        i = head
    while i < len(words):
        w = words[i]
        low = w.lower()
        # 'Ambassador of the Russian Federation to Japan Nikolai Nozdrev': a title goes on while capitals follow
        title_link = out and low in ("the", "to", "at", "on") and i + 1 < len(words) and _is_cap(words[i + 1])
        # 'the group’s spokesman': a possessive before the speaker noun it qualifies
        owner = re.search(r"[’']s$", w) and i + 1 < len(words) and words[i + 1].lower().strip(".,") in SPEAKER_NOUNS
        if _is_cap(w) or (out and low in CONNECTIVES - {"the", "and", "to", "at", "on"}) \
                or low.rstrip(".,") in SPEAKER_NOUNS or title_link or owner:
            out.append(w)
            i += 1
            if w.endswith(".") and not _INITIALS.fullmatch(w) and low not in HONORIFICS:
                break  # 'quipped John Synge. As the War …': the sentence ends with the name
            continue
        # 'the Russian foreign ministry': role words between a capital and the speaker noun they qualify
        head = next((k for k in range(i, min(i + 3, len(words))) if words[k].lower().rstrip(".,") in SPEAKER_NOUNS),
                    None) if out and _is_cap(out[-1]) else None
        if head is not None and all(v in ROLE_WORDS or v in ORG_WORDS for v in words[i:head]):
            out.extend(words[i:head])
            i = head
            continue
        break
    while out and out[-1].lower() in CONNECTIVES:
        out.pop()
    if out and out[-1].endswith(".") and not _INITIALS.fullmatch(out[-1]) and out[-1].lower() not in HONORIFICS:
        out[-1] = out[-1].rstrip(".")  # 'said Sergei Lavrov.': the sentence's full stop
    return " ".join(out) or None


@dataclass
class Person:
    name: str
    role: str | None = None
    aliases: set[str] = field(default_factory=set)
    is_person: bool = True
    pronoun: str | None = None  # 'he' or 'she', once the article has used one for them

    def all_aliases(self) -> set[str]:
        """Every way a reader may type this speaker: phrases seen, surname, accent-free forms."""
        names = set(self.aliases) | {self.name}
        if self.is_person and len(self.name.split()) > 1:
            names.add(self.name.split()[-1])
        names |= {anyascii(n) for n in names}
        return names - {self.name}

    def to_json(self) -> dict:
        return {"name": self.name, "role": self.role, "aliases": sorted(self.all_aliases())}


def split_name_role(phrase: str) -> tuple[str, str | None, bool]:
    """'Japanese Prime Minister Fumio Kishida' -> ('Fumio Kishida', 'Japanese Prime Minister', True).

    Phrases without a personal name ('Russian Ministry of Defense', 'joint statement') are
    returned whole as the speaker, with is_person False.
    """
    words = phrase.split()
    determined = bool(words) and words[0].lower() in DETERMINERS
    while words and words[0].lower() in DETERMINERS:
        words = words[1:]
    if determined and words and not any(w.lower() in ROLE_WORDS for w in words):
        return " ".join(words), None, False  # 'the Diplomatic Bluebook', 'the Kremlin': not a person
    for k, w in enumerate(words[2:-1], 2):  # 'Professor James Brown of Temple University'
        if w in ("of", "at", "from"):
            name, role, is_person = split_name_role(" ".join(words[:k]))
            if is_person and len(name.split()) >= 2:
                affiliation = " ".join(words[k + (role is None and w != "at"):])  # 'of X' alone reads 'X'
                return name, " ".join(filter(None, [role, affiliation])), True
    named: list[str] = []  # the name's words, read from the end
    i = len(words) - 1
    while i >= 0 and len(named) < 3 and _is_name_token(words[i]):
        if named and i > 0 and words[i - 1].lower() in _ROLE_LINKS:
            break  # 'Prime Minister of Japan Fumio Kishida': Japan belongs to the role
        named.append(words[i])
        i -= 1
        if _LEADING_INITIALS.fullmatch(named[-1]):
            break
    named.reverse()
    rest = words[: len(words) - len(named)]
    while rest and rest[-1].lower() in HONORIFICS:
        rest = rest[:-1]
    while rest and rest[0].lower() in OPENERS:
        rest = rest[1:]  # 'But Japanese Prime Minister Shinzo Abe': the sentence's 'But' is no part of the role
    role = " ".join(rest) or None
    if not named or (len(named) == 1 and rest and not any(w.lower() in HONORIFICS for w in words)
                     and (rest[-1].lower() in CONNECTIVES or rest[-1].lower() in ORG_WORDS)):
        return " ".join(words), None, False
    if len(named) == 1 and not rest:
        return named[0], None, True
    return " ".join(named), role, True


def _may_be_a_body(name: str) -> bool:
    """What a later 'it' may stand for: a place, an acronym or a name of several words; not one capitalised
    word alone, which is mostly a sentence's first word ('Supporting facilities were built, it added')."""
    words = name.split()
    return len(words) > 1 or name.isupper() or name.lower() in lexicon.place_names() or name.lower() in ORG_WORDS


class Registry:
    """The people of one article, found by full name, surname or accent-free spelling."""

    def __init__(self, author: str | None = None) -> None:
        """`author`: who wrote the article, the one an 'I' in its own prose is."""
        self.author = author
        self.people: list[Person] = []
        self._by_alias: dict[str, Person] = {}
        self.recent: list[Person] = []  # people in the order they were last in focus
        self._full_names: dict[str, str] = {}  # folded surname -> a full name the text has used
        self.last_thing: Person | None = None
        self.last_body: Person | None = None  # the last institution or document that spoke
        # the last speaker that may be a person though the text has not said so: a surname alone ('Patrushev
        # told'), or a role with no name ('said an official of Shimane prefecture'); None once a person speaks
        self.last_voice: Person | None = None

    @property
    def last_person(self) -> Person | None:
        return self.recent[-1] if self.recent else None

    def _focus(self, person: Person) -> None:
        self.last_voice = None
        if person in self.recent:
            self.recent.remove(person)
        self.recent.append(person)

    def _by_pronoun(self, pronoun: str, besides: str = "") -> Person | None:
        """'he'/'she': the person most recently in focus whom the article has not called the other,
        and who is not named in the same clause (`besides`: in '…," he told Hosokawa', not Hosokawa)."""
        clause = fold(besides)
        # '“…,” said an official of Shimane prefecture' … '“…,” he told AFP': 'he' shows the voice is a person
        voice = self.last_voice
        if voice is not None and not re.search(rf"\b{re.escape(fold(voice.name.split()[-1]))}\b", clause):
            voice.is_person, voice.pronoun = True, pronoun
            self._focus(voice)
            return voice
        for person in reversed(self.recent):
            if clause and re.search(rf"\b{re.escape(fold(person.name.split()[-1]))}\b", clause):
                continue
            if person.pronoun in (None, pronoun):
                person.pronoun = pronoun
                self._focus(person)
                return person
        return None

    def _alias_keys(self, person: Person) -> set[str]:
        keys = {fold(person.name)}
        parts = person.name.split()
        if person.is_person and len(parts) > 1:
            keys.add(fold(parts[-1]))
        return keys

    def find(self, text: str) -> Person | None:
        return self._by_alias.get(fold(text))

    def add(self, phrase: str, speaking: bool = True, besides: str = "") -> Person | None:
        """Register (or find) the speaker named by a noun phrase; pronouns resolve to context.

        speaking=False records a mere mention ('… Prime Minister Shinzo Abe agreed'): it teaches
        the registry a full name and role without changing who 'he' refers to.
        """
        low = phrase.lower()
        if phrase == "I":  # the writer: a byline's author, else nobody the article names
            return self.add(self.author, speaking) if self.author and self.author != "I" else None
        if low in PRONOUNS:
            if PRONOUNS[low] == "person":
                return self._by_pronoun(low, besides)
            return self.last_thing or self.last_person
        appositive = re.match(r"^(.*?)\s*\((.+)\)$", phrase)
        if appositive:
            phrase = appositive.group(1)
        name, role, is_person = split_name_role(phrase)
        if not name:
            return None
        if appositive and is_person and not role:
            role = re.sub(r"^(?:the|a|an)\s+", "", appositive.group(2))
        person = self.find(name) or self._by_role(name, is_person) or self._by_head_noun(name, is_person)
        if person is None and name.lower() in _SPEECH_NOUNS and self.last_body is not None:
            return self.last_body  # '"…," the message also said' after the press service spoke: its words
        if person is None and len(name.split()) == 1 and fold(name) in self._full_names:
            name, is_person = self._full_names[fold(name)], True  # 'Lavrov told me' after 'Sergey Lavrov'
            person = self.find(name)
        if person is None:
            titled = any(w.lower() in HONORIFICS for w in phrase.split())  # 'Mr Casey' is a person
            person = Person(name, role, {name}, is_person and (len(name.split()) > 1 or role is not None or titled))
            self.people.append(person)
        elif len(name) > len(person.name) and person.is_person and fold(name).endswith(fold(person.name)):
            person.name = name  # 'Tanabe' seen first, 'Kenji Tanabe' later
        if role and not person.role:
            person.role = role
        person.aliases.add(name)
        if phrase != name:
            person.aliases.add(phrase)
        for key in self._alias_keys(person):
            self._by_alias.setdefault(key, person)
        if speaking and person.is_person:
            self._focus(person)
        elif speaking:
            self.last_thing = self.last_body = person
            if (is_surname(name) and not role) or _role_head(name) in _PERSON_ROLES:
                self.last_voice = person
        return person

    def _by_role(self, name: str, is_person: bool) -> Person | None:
        """'the Ambassador added' after 'Ambassador Kenji Yamada said': the last person with that role."""
        words = fold(name).split()
        nation = [w for w in words if w in _DEMONYMS]  # 'the Russian diplomat': a Russian one
        role = [w for w in words if w not in _DEMONYMS]
        if is_person or not role or not all(w in ROLE_WORDS for w in role):
            return None
        for p in reversed(self.people):
            if p.is_person and p.role and role[-1] in fold(p.role).split() and set(nation) <= set(fold(p.role).split()):
                return p
        # 'the diplomat stressed' right after 'Deputy Foreign Minister Ivan Petrov … told TASS'
        last = self.last_person
        return last if last and last.role and set(nation) <= set(fold(last.role).split()) else None

    def learn_mentions(self, sentence: str) -> None:
        """Full names and roles from every 'Role Name' run in a sentence, speaking or not, people
        introduced with their age ('Hiroshi Suzuki, 88, …'), and pieces named by their outlet ('a CNBC
        article', which 'That article reported:' then quotes)."""
        for m in _OUTLET_PIECE.finditer(sentence):
            if m["outlet"].lower() not in OPENERS and not self._by_head_noun(m["piece"].lower(), False):
                self.register(Person(f"{m['outlet']} {m['piece']}", None, {f"{m['outlet']} {m['piece']}"}, False))
        for m in _FULL_NAME.finditer(sentence, 1):  # not the sentence's first word: 'When Sergey …'
            words = m.group(0).split()
            key = fold(words[-1])
            if key not in self._full_names and all(_is_name_token(w) and not _NOT_NAME.search(w) for w in words):
                self._full_names[key] = m.group(0)
        for m in _AGED_NAME.finditer(sentence):
            words = m.group(1).split()
            while words and (words[0].lower() in OPENERS or words[0].lower() in _ROLE_LINKS | {"for", "with"}):
                words.pop(0)  # 'For Toshio Kawada, 87, …'
            name, role, is_person = split_name_role(" ".join(words))
            if len(words) >= 2 and is_person and not role \
                    and (mentioned := self.find(name) or self.add(name, speaking=False)):
                self._focus(mentioned)  # the story turns to them
        # 'The meeting was opened by … Mr. Erodzuya Tsutomu.': the story turns to him
        agent = _PASSIVE_AGENT.search(sentence)
        named = last_full_name(agent.group(1)) if agent else None
        if named and (person := self.find(named) or self.add(named, speaking=False)):
            self._focus(person)
        for run in _CAPITAL_RUN.findall(sentence):
            if not any(w.lower() in ROLE_WORDS for w in run.split()):
                continue
            name, role, is_person = split_name_role(run)
            # 'A Japanese Journalist Having Entered into …': a Title Case heading's verbs are no name
            if is_person and role and len(name.split()) >= 2 and not any(_VERB_FORM.search(w) for w in name.split()):
                self.add(run, speaking=False)

    def register(self, person: Person) -> None:
        """Make sure a resolved speaker (e.g. a country behind 'it') is listed and findable."""
        if person not in self.people:
            self.people.append(person)
        for key in self._alias_keys(person):
            self._by_alias.setdefault(key, person)

    def _by_head_noun(self, name: str, is_person: bool) -> Person | None:
        """'The statement' after 'The joint statement' is the same speaker."""
        if is_person or len(name.split()) > 2:
            return None
        head = fold(name.split()[-1])
        for p in reversed(self.people):
            if not p.is_person and fold(p.name).split()[-1:] == [head]:
                return p
        return None

    def note_subject(self, phrase: str) -> None:
        """Remember a sentence subject so that a later 'he', 'she', 'it' or 'they' can refer to it."""
        if phrase.lower() in ("he", "she"):
            self.add(phrase)  # 'She now lives in Sapporo': who she is, and that she is 'she'
            return
        if phrase.lower() in PRONOUNS or re.search(r"[’']s$", phrase):  # 'Suzuki's family' is not Suzuki
            return
        person = self.find(phrase)
        if person is None:
            name, _, is_person = split_name_role(phrase)
            if is_person and is_full_name(name):
                self.add(phrase)  # 'Anna Kireeva, associate professor at MGIMO, argues …': 'she' is her
            elif len(phrase.split()) <= 4 and _may_be_a_body(name):
                self.last_thing = Person(name, None, {name}, False)
        elif person.is_person:
            self._focus(person)
        else:
            self.last_thing = person

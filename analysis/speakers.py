"""Speaker mentions: what a mention next to a speech cue says about its speaker, and
who it refers to.

A mention is analysed into a :class:`Mention` (pronoun, named person or organisation,
anonymous source, definite description) with role and affiliation taken from appositives
and pre-modifiers. :class:`SpeakerResolver` keeps the discourse state of one document and
maps pronouns, definite descriptions ("this official", "the ambassador") and surnames to
the most recent compatible fully named speaker.

All word lists (role nouns, titles, pronoun genders, anonymous-source heads, first names...)
come from ``analysis/data/speaker_roles.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from analysis.lexicons import LexiconError, read_many

__all__ = [
    "RoleLexicon",
    "Mention",
    "load_roles",
    "analyse_mention",
    "SpeakerResolver",
    "WORD_RE",
]

WORD_TYPES = ("role", "title", "pronoun", "anon", "institution", "adjunct", "setting",
              "boundary", "plural", "first_name", "not_label", "modal", "title_word")

# a word: letters/digits with inner apostrophes, hyphens and dots (U.S., Mr., al-Assad);
# the same matches as r"[^\W_](?:[\w’'\-]|\.(?=\w))*\.?", but the runs between dots are
# one character-class repeat instead of a group iteration per character (faster)
WORD_RE = re.compile(r"[^\W_][\w’'\-]*(?:\.\w[\w’'\-]*)*\.?")
_POSSESSIVE = re.compile(r"(?:’s|'s|’|')$")
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "one", "another",
                          "two", "three", "several", "some", "many", "other", "its", "his",
                          "her", "their", "our"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_PARTICLES = frozenset({"al", "al-", "bin", "ibn", "de", "van", "von", "la", "du", "da", "del",
                        "el", "le", "di", "of"})
_PREPS = frozenset({"of", "for", "at", "with", "to", "from", "in", "on"})
_NO_WORDS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RoleLexicon:
    """Typed word sets for speaker analysis (all lower case)."""

    words: dict[str, frozenset[str]]
    gender: dict[tuple[str, str], str]
    # word -> its kinds (one dict lookup per call instead of two set lookups per kind)
    index: dict[str, frozenset[str]] = field(default_factory=dict, compare=False)
    # kind -> its words, from ``index`` (``has`` is one set lookup; hot: ~400 calls a text)
    by_kind: dict[str, frozenset[str]] = field(init=False, compare=False, repr=False)
    _hash: int = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.index:
            idx: dict[str, set[str]] = {}
            for kind, group in self.words.items():
                for w in group:
                    idx.setdefault(w, set()).add(kind)
            object.__setattr__(self, "index", {w: frozenset(k) for w, k in idx.items()})
        kinds: dict[str, set[str]] = {}
        for w, ks in self.index.items():
            for k in ks:
                kinds.setdefault(k, set()).add(w)
        object.__setattr__(self, "by_kind", {k: frozenset(v) for k, v in kinds.items()})
        # hashable (consistent with ==) so per-lexicon results can be lru_cache'd
        object.__setattr__(self, "_hash", hash((
            frozenset((k, frozenset(v)) for k, v in self.words.items()),
            frozenset(self.gender.items()))))

    def __hash__(self) -> int:
        return self._hash

    def has(self, kind: str, word: str) -> bool:
        """Whether ``word`` (any case, trailing dot ignored for non-titles) is of ``kind``."""
        group = self.by_kind.get(kind, _NO_WORDS)
        w = word.lower()
        return w in group or (w[-1:] == "." and w.rstrip(".") in group)

    def kinds(self, word: str) -> frozenset[str]:
        """All kinds of ``word``: ``kind in lex.kinds(w)`` equals ``lex.has(kind, w)`` (one
        lookup for several tests of the same word)."""
        w = word.lower()
        found = self.index.get(w, _NO_WORDS)
        if w[-1:] == ".":
            return found | self.index.get(w.rstrip("."), _NO_WORDS)
        return found

    def gender_of(self, kind: str, word: str) -> str | None:
        w = word.lower()
        return self.gender.get((kind, w)) or self.gender.get((kind, w.rstrip(".")))


@lru_cache(maxsize=8)
def _load_roles(paths: tuple[str, ...]) -> RoleLexicon:
    entries = read_many(paths, default="speaker_roles.yaml", key="words",
                        required={"word": str, "type": str}, optional={"gender": str})
    words: dict[str, set[str]] = {k: set() for k in WORD_TYPES}
    gender: dict[tuple[str, str], str] = {}
    for e in entries:
        kind = e["type"]
        if kind not in words:
            raise LexiconError(f"{e.file}:{e.line}: word {e['word']!r}: unknown type {kind!r}. "
                               f"Fix: use one of {', '.join(WORD_TYPES)}.")
        w = e["word"].lower()
        words[kind].add(w)
        if e.get("gender") in ("m", "f"):
            gender[(kind, w)] = e["gender"]
    return RoleLexicon(words={k: frozenset(v) for k, v in words.items()}, gender=gender)


def load_roles(paths: Iterable[str | Path] | None = None) -> RoleLexicon:
    """The packaged role lexicon, extended by the user's files (cached)."""
    return _load_roles(tuple(str(p) for p in paths or ()))


@dataclass
class Mention:
    """What one speaker mention says.

    ``kind`` is pronoun | name | anon | description | institution.
    """

    kind: str
    text: str
    name: str | None = None
    head: str | None = None
    gender: str | None = None
    role: str | None = None
    affiliation: str | None = None
    definite: bool = False
    plural: bool = False
    aff_strength: int = 0  # 2: possessor / of-phrase / appositive, 1: pre-modifier


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _strip_poss(word: str) -> str:
    if "'" not in word and "’" not in word:
        return word  # no possessive mark: skip the regex (most words)
    return _POSSESSIVE.sub("", word)


def _is_poss(word: str) -> bool:
    """``_POSSESSIVE.search(word)``, without the regex for words with no apostrophe."""
    return ("'" in word or "’" in word) and _POSSESSIVE.search(word) is not None


def _has(group: frozenset[str], low: str) -> bool:
    """``lex.has(kind, word)`` for a lower-cased ``low`` and ``group = lex.by_kind[kind]``
    (no method call, no second lower-casing: the hot test of mention analysis)."""
    return low in group or (low[-1:] == "." and low.rstrip(".") in group)


def _cap_runs(words: list[str], lex: RoleLexicon) -> list[tuple[int, int]]:
    """Index ranges of capitalised word runs (particles like al-/bin/of allowed inside)."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(words)
    boundary = lex.by_kind.get("boundary", _NO_WORDS)
    while i < n:
        w = words[i]
        if w[:1].isupper():
            wl = w.lower()
            if wl not in _DETERMINERS and not _has(boundary, wl):
                j = i + 1
                while j < n and not _is_poss(words[j - 1]) and (
                        words[j][:1].isupper() or (words[j].lower() in _PARTICLES and j + 1 < n
                                                   and words[j + 1][:1].isupper())):
                    j += 1
                runs.append((i, j))
                i = j
                continue
        i += 1
    return runs


def _person_name(words: list[str], lex: RoleLexicon, runs: list[tuple[int, int]] | None = None
                 ) -> tuple[str | None, str | None]:
    """A person's name inside ``words`` (the run holding a first name, or a run of >= 2
    non-title words), and the gender implied by a title or first name (``runs``: the
    ``_cap_runs`` of ``words`` when already known)."""
    best: tuple[str | None, str | None] = (None, None)
    titles = lex.by_kind.get("title", _NO_WORDS)
    roles = lex.by_kind.get("role", _NO_WORDS)
    first_names = lex.by_kind.get("first_name", _NO_WORDS)
    for a, b in _cap_runs(words, lex) if runs is None else runs:
        run = words[a:b]
        n_run = len(run)
        gender = None
        after_title = a > 0 and _has(titles, words[a - 1].lower())
        if after_title:
            gender = lex.gender_of("title", words[a - 1])
        # drop leading titles / role words ("Secretary of State John Kerry", "Gen. X")
        k = 0
        for n in (3, 2):  # a multi-word role ('Secretary of State John Smith')
            if n_run > n and lex.has("role", " ".join(w.lower() for w in run[:n])):
                k = n
                break
        while k < n_run - 1:
            wl = run[k].lower()
            if not (_has(titles, wl) or _has(roles, wl) or wl in _PARTICLES):
                break
            gender = gender or lex.gender_of("title", run[k])
            k += 1
        first = None
        for i in range(k, n_run):
            if _has(first_names, run[i].lower()):
                first = i
                break
        if first is not None and first < n_run - 1:
            k = first
            gender = gender or lex.gender_of("first_name", run[first])
        core = [_POSSESSIVE.sub("", w) if "'" in w or "’" in w else w  # (``_strip_poss``)
                for w in run[k:]]
        while core and core[-1].lower() in _PARTICLES:
            core.pop()
        if not core:
            continue
        titled = k > 0 or after_title
        if len(core) >= 2 or titled or first is not None:
            if _POSSESSIVE.search(run[-1]) and b < len(words) and not _is_cap(words[b]):
                continue  # "Iraq's ambassador": a possessor, not the speaker
            best = (" ".join(core), gender)
            break
    return best


def analyse_mention(text: str, *, lex: RoleLexicon) -> Mention:
    """Analyse a speaker mention ("he", "Lukman X, Iraq's ambassador to Washington",
    "a senior Iraqi official", "the State Department's annual report").

    Parameters
    ----------
    text : str
        The mention surface.
    lex : RoleLexicon
        Word lists.

    Returns
    -------
    Mention
    """
    words = WORD_RE.findall(text)
    if not words:
        return Mention(kind="description", text=text)
    if len(words) == 1:
        low = words[0].lower()
        if lex.has("pronoun", low):
            return Mention(kind="pronoun", text=text, head=low,
                           gender=lex.gender_of("pronoun", low), plural=low in ("they", "we"))
    # core NP = before the first comma / preposition phrase; appositive and PP follow
    comma = text.find(",")
    if comma > 0:
        core = WORD_RE.findall(text, 0, comma)
        rest = WORD_RE.findall(text, comma + 1)
    else:
        core, rest = words, []  # (the same tokens: nothing below changes these lists)
    cut = None
    for i in range(1, len(core)):
        wl = core[i].lower()
        if wl in _PREPS and not (wl == "of" and i + 1 < len(core) and _is_cap(core[i - 1])
                                 and _is_cap(core[i + 1]) and lex.has("title", core[i - 1])):
            cut = i
            break
    pp = core[cut:] if cut is not None else []
    core = core[:cut] if cut is not None else core
    if not core:
        core = words
    head = _strip_poss(core[-1])
    definite = core[0].lower() in _DEFINITE
    role = _find_role(core, lex) or _find_role(rest, lex)
    runs = _cap_runs(core, lex)  # shared by the name, affiliation and fallbacks below
    name, gender = _person_name(core, lex, runs)
    affiliation, strength = _affiliation(core, pp, rest, lex, name, core_runs=runs,
                                         possessives="'" in text or "’" in text)
    if name is None and _is_cap(head) and not lex.has("role", head):
        if runs:
            a, b = runs[-1]
            cand = [_strip_poss(w) for w in core[a:b]]
            while cand and (lex.has("title", cand[0]) or lex.has("role", cand[0])):
                cand.pop(0)
            if cand:
                name = " ".join(cand)
    if name is not None:
        if role:
            gender = gender or lex.gender_of("role", role)
        if affiliation is not None and affiliation in name:
            affiliation, strength = None, 0  # 'Kerry': the name itself, not an affiliation
        return Mention(kind="name", text=text, name=name, head=head, gender=gender, role=role,
                       affiliation=affiliation, definite=definite, aff_strength=strength)
    hl = head.lower()
    plural = lex.has("plural", hl)
    g = lex.gender_of("role", hl)
    if lex.has("institution", hl) and not lex.has("anon", hl):
        org = " ".join(_strip_poss(w) for w in core[runs[0][0]:runs[0][1]]) if runs else None
        return Mention(kind="institution", text=text, name=org, head=hl, role=None,
                       affiliation=affiliation if affiliation != org else None,
                       definite=definite, plural=plural)
    if lex.has("anon", hl) or lex.has("role", hl):
        kind = "description" if definite else "anon"
        return Mention(kind=kind, text=text, head=hl, gender=g, role=role or hl,
                       affiliation=affiliation, definite=definite, plural=plural)
    return Mention(kind="description", text=text, head=hl, role=role, affiliation=affiliation,
                   definite=definite, plural=plural)


@lru_cache(maxsize=8)
def _mentions_of(lex: RoleLexicon) -> Callable[[str], Mention]:
    """:func:`analyse_mention` of one lexicon, cached: the same surfaces ('he', 'Trump',
    'Mr. Trump') recur across documents. Keyed by the surface alone (a resolver looks the
    function up once, so its calls hash no lexicon). The results are shared, so callers
    must not modify them."""

    @lru_cache(maxsize=16384)
    def mention(text: str) -> Mention:
        return analyse_mention(text, lex=lex)

    return mention


def _find_role(words: list[str], lex: RoleLexicon) -> str | None:
    """The last role noun of the phrase (its head role: 'Mideast scholar' -> scholar)."""
    found = None
    roles = lex.by_kind.get("role", _NO_WORDS)
    for i, w in enumerate(words):
        # (``_strip_poss(w).lower()`` and ``_has(roles, wl)`` written out: a hot loop)
        wl = (_POSSESSIVE.sub("", w) if "'" in w or "’" in w else w).lower()
        if wl in ("of", "for", "at", "to"):
            if found:
                break
            continue
        if wl in roles or (wl[-1:] == "." and wl.rstrip(".") in roles):
            found = wl
            # multi-word roles listed in the lexicon ('secretary of state')
            for n in (3, 2):
                if len(words) >= i + n:
                    phrase = " ".join(_strip_poss(x).lower() for x in words[i:i + n])
                    if _has(roles, phrase):
                        return phrase
    return found


def _affiliation(core: list[str], pp: list[str], rest: list[str], lex: RoleLexicon,
                 name: str | None, *, core_runs: list[tuple[int, int]] | None = None,
                 possessives: bool = True) -> tuple[str | None, int]:
    """Raw affiliation: possessor before a role ("Iraq's ambassador"), the organisation of an
    'of/for/at' phrase, or a capitalised pre-modifier ("senior Iraqi official";
    ``core_runs``: the ``_cap_runs`` of ``core`` when already known; ``possessives=False``:
    no word has an apostrophe, so none is a possessor)."""
    name_words = set((name or "").split())
    for seq in (rest, core, pp) if possessives else ():
        for i, w in enumerate(seq):
            if _is_poss(w) and _is_cap(w) and w not in name_words:
                j = i
                while j > 0 and _is_cap(seq[j - 1]) and seq[j - 1].lower() not in _DETERMINERS:
                    j -= 1
                return " ".join(_strip_poss(x) for x in seq[j:i + 1]), 2
    for seq in (pp, rest):
        if len(seq) < 2:
            continue  # no run can start after the first word
        runs = [r for r in _cap_runs(seq, lex) if r[0] > 0]
        if runs:
            a, b = runs[-1]
            # 'the London-based Quillam Foundation': the location modifier is not the name
            while b - a > 1 and seq[a].endswith("-based"):
                a += 1
            return " ".join(_strip_poss(x) for x in seq[a:b]), 2
    titles = lex.by_kind.get("title", _NO_WORDS)
    roles = lex.by_kind.get("role", _NO_WORDS)
    for a, b in _cap_runs(core, lex) if core_runs is None else core_runs:
        cand = [w for w in core[a:b] if w not in name_words
                and not _has(titles, w.lower()) and not _has(roles, w.lower())]
        if cand and cand[0].lower() in _PARTICLES:
            continue  # the rest of a title ('Secretary of State'), not an organisation
        if cand and (name is None or " ".join(cand) not in name):
            extra = core[b] if b < len(core) and lex.has("institution", core[b]) else None
            return " ".join(cand + ([extra] if extra else [])), 1
    return None, 0


@dataclass
class _Entity:
    canonical: str
    kind: str
    pos: int
    para: int
    gender: str | None = None
    role: str | None = None
    affiliation: str | None = None
    head: str | None = None
    plural: bool = False
    names: set[str] = field(default_factory=set)
    aff_strength: int = 0


class SpeakerResolver:
    """Discourse state of one document: who has been named, and as what.

    Parameters
    ----------
    lex : RoleLexicon
    actor_lookup : callable, optional
        Maps an affiliation phrase to a canonical actor name (or None).
    """

    def __init__(self, lex: RoleLexicon, *,
                 actor_lookup: Callable[[str], str | None] | None = None) -> None:
        self.lex = lex
        self._mention = _mentions_of(lex)  # cached mention analysis of this lexicon
        self.actor_lookup = actor_lookup
        self.entities: list[_Entity] = []
        self._looked_up: dict[str, str | None] = {}  # actor_lookup results of this document
        self._name_words: set[str] = set()  # the names of all named entities (a fast no-op test)
        # name word -> the latest named entity created with it (a named entity's ``names``
        # is the last word of its first mention, which its canonical name keeps ending in)
        self._by_name: dict[str, _Entity] = {}
        # entities by recency of mention (re-inserted on each mention; O(1) per update)
        self._recent: dict[int, _Entity] = {}

    def _touch(self, ent: _Entity, pos: int, para: int) -> None:
        ent.pos, ent.para = pos, para
        self._recent.pop(id(ent), None)
        self._recent[id(ent)] = ent

    def observe_name(self, word: str, pos: int, para: int) -> None:
        """A bare surname in subject position ('Smith shot back') makes an already named
        person the most recent one (no new entity)."""
        w = word.lower()
        if w not in self._name_words:
            return  # no named entity has this name (most capitalised sentence openers)
        for ent in reversed(self._recent.values()):
            if para - ent.para > 6:
                break
            if ent.kind == "name" and w in ent.names:
                self._touch(ent, pos, para)
                return

    def _lookup(self, key: str) -> str | None:
        if self.actor_lookup is None:
            return None
        if key in self._looked_up:  # names and affiliations recur within a document
            return self._looked_up[key]
        try:
            found = self.actor_lookup(key)
        except Exception:  # a broken lookup must not lose the quote
            found = None
        self._looked_up[key] = found
        return found

    def _actor(self, raw: str | None) -> str | None:
        if not raw:
            return None
        return self._lookup(raw) or raw

    def _known_person(self, name: str) -> str | None:
        return self._lookup(name) or self._lookup(name.split()[-1])

    def observe(self, text: str, pos: int, para: int) -> None:
        """Register a named person seen in subject position (antecedent for pronouns)."""
        m = self._mention(text)
        # only clear person names: a title, a known first name or a role noun
        if m.kind == "name" and m.name and (m.gender or m.role):
            self._name_entity(m, pos, para)

    def _name_entity(self, m: Mention, pos: int, para: int) -> _Entity:
        assert m.name is not None
        last = m.name.split()[-1].lower()
        # the latest named entity with the same canonical name or name word (one dict
        # lookup: a same canonical name ends in the same name word)
        ent = self._by_name.get(last)
        if ent is not None:
            self._touch(ent, pos, para)
            ent.gender = ent.gender or m.gender
            ent.role = ent.role or m.role
            if m.affiliation and (ent.affiliation is None
                                  or m.aff_strength > ent.aff_strength):
                # an 'of ORG' phrase beats an earlier pre-modifier ('Mideast scholar X')
                ent.affiliation = self._actor(m.affiliation)
                ent.aff_strength = m.aff_strength
            if len(m.name) > len(ent.canonical) and last == ent.canonical.split()[-1].lower():
                ent.canonical = m.name
            return ent
        toks = {t.lower() for t in m.name.split()}
        aff = self._actor(m.affiliation)
        if aff is None and self.actor_lookup is not None:
            aff = self._known_person(m.name)  # a person the actor gazetteer knows
        ent = _Entity(canonical=m.name, kind="name", pos=pos, para=para, gender=m.gender,
                      role=m.role, affiliation=aff, aff_strength=m.aff_strength,
                      names={last} | ({next(iter(toks))} if len(toks) == 1 else set()))
        self.entities.append(ent)
        self._name_words |= ent.names
        for w in ent.names:
            self._by_name[w] = ent
        self._touch(ent, pos, para)
        return ent

    def resolve(self, text: str, pos: int, para: int) -> tuple[str, str | None, str | None]:
        """Canonical speaker, role and affiliation for the mention ``text`` at ``pos``."""
        m = self._mention(text)
        if m.kind == "pronoun":
            ent = self._antecedent(m, para)
            if ent is None:
                return text.strip(), None, None
            self._touch(ent, pos, para)
            if m.gender and not ent.gender and ent.kind == "name":
                ent.gender = m.gender  # "he said" fixes the person's gender
            return ent.canonical, ent.role, ent.affiliation
        if m.kind == "name":
            ent = self._name_entity(m, pos, para)
            return ent.canonical, ent.role, ent.affiliation
        if m.kind == "description" and m.definite and m.head:
            for ent in reversed(self.entities):
                if m.head in (ent.head, ent.role) and ent.plural == m.plural:
                    self._touch(ent, pos, para)
                    return ent.canonical, ent.role, ent.affiliation
        canonical = _describe(m, self.lex)
        for ent in reversed(self.entities):
            if ent.canonical == canonical:
                self._touch(ent, pos, para)
                return ent.canonical, ent.role, ent.affiliation
        ent = _Entity(canonical=canonical, kind=m.kind, pos=pos, para=para, gender=m.gender,
                      role=m.role, affiliation=self._actor(m.affiliation), head=m.head,
                      plural=m.plural)
        self.entities.append(ent)
        self._touch(ent, pos, para)
        return ent.canonical, ent.role, ent.affiliation

    def _antecedent(self, m: Mention, para: int) -> _Entity | None:
        plural = m.plural
        best = None
        # most recently mentioned first (an entity's position moves with each mention)
        for ent in reversed(self._recent.values()):
            if para - ent.para > 6:
                break
            if m.head == "it":
                if ent.kind == "institution" and not ent.plural:
                    return ent
                continue
            if m.head in ("i", "we", "who"):
                return ent
            if plural != ent.plural and not (plural and ent.kind == "institution"):
                continue
            if ent.kind == "institution" and not plural:
                continue
            if m.gender and not (ent.gender or ent.role or (
                    ent.kind == "name" and " " in ent.canonical)):
                continue  # he/she: a person (gender, role or full name), not 'ISIS'

            if m.gender and ent.gender and m.gender != ent.gender:
                continue
            best = ent
            break
        return best


def _describe(m: Mention, lex: RoleLexicon) -> str:
    """Canonical text of an unnamed source: 'a senior Iraqi official'."""
    if m.kind == "institution" and m.name:
        return m.name
    words = WORD_RE.findall(m.text)
    comma = m.text.find(",")
    if comma > 0:
        words = WORD_RE.findall(m.text[:comma])
    while words and words[0].lower() in _DETERMINERS:
        words.pop(0)
    if not words:
        return m.text.strip()
    body = " ".join(words)
    if m.kind == "anon" and not m.plural:
        article = "an" if body[:1].lower() in "aeiou" else "a"
        return f"{article} {body}"
    if m.definite and not m.plural:
        return f"the {body}"
    return body

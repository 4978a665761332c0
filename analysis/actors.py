"""Actor mentions: which states, organisations, armed groups and persons a text names, and where.

The gazetteer (``analysis/data/actors.yaml``, extended by users' files of the same shape) lists
each actor with its aliases, demonyms, capital-city metonyms and linked persons. It is compiled
once per set of files into a token trie, so a text is matched in one left-to-right pass over
its word tokens (linear time; no regex per alias).

Matching rules
--------------
- **Case**: names are case-sensitive, so ``US`` never matches "us" and ``Turkey`` never matches
  "turkey". Two relaxations: a name may appear in ALL CAPS ("IRAN"), and a lower-case word of
  a name may be capitalised ("The Obama administration", "Al-Qaeda").
- **Tokens**: a name matches whole tokens only ("Iran" is not found in "Iranian" or "Tehran"
  in "Tehrani"); dotted abbreviations (``U.S.``, ``U.N.``) are single tokens.
- **Apostrophes**: curly and straight apostrophes are the same character.
- **Possessives**: "Iran's", "Iran’s", "Iraqis’" match, and the span is the name *without* the
  possessive ("Iran"), so ``text[start:end]`` is the bare name.
- **Hyphens**: inside a name, a hyphen and a space are interchangeable ("al-Qaeda" =
  "al Qaeda"). A hyphenated compound of two names gives two spans: "U.S.-Iranian" is one
  United States and one Iran mention.
- **Longest match wins**: "Islamic State of Iraq and the Sham" is ISIS, not Iraq.
  An ``exclude`` phrase ("Washington Post") is a longest match that reports nothing.
- **A leading lower-case "the"** of a name in the gazetteer is ignored, so spans never start
  with "the".
- **Metonyms** (a capital for its government: Washington, Tehran) count unless used as a
  place: right after a ``place_before`` word of ``name_words.yaml`` ("in Washington",
  "to Tehran", "visit Washington"), right before "-based"/"-born"/"-area"/"D.C.", or in
  ALL CAPS (a dateline: "WASHINGTON —"). A place is not reported: the table is about actors,
  not locations. Country names always count.
- **Ambiguous names** (``ambiguous:`` in the gazetteer: "Georgia", "jihadist group") count only
  when the document names a candidate actor unambiguously too; the nearest earlier
  unambiguous mention decides (else the nearest later one); otherwise they are dropped.
- **Precedence**: a name listed for two different actors in the *same* file is an error. Across
  files, the later file wins (users' files override the packaged one). An entry whose ``name``
  already exists adds its names to that actor.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import accumulate, compress, count, islice, repeat
from operator import add, itemgetter, or_
from pathlib import Path
from typing import Any, NamedTuple

from analysis.lexicons import Entry, LexiconError, read_many

__all__ = [
    "ACTOR_TYPES",
    "Actor",
    "Gazetteer",
    "candidate_actors",
    "find_mentions",
    "load_gazetteer",
    "mentions_frame",
]

ACTOR_TYPES = ("state", "organisation", "armed group", "person", "institution")
_LIST_FIELDS = ("aliases", "demonyms", "metonyms", "persons", "ambiguous", "exclude")
_VIA = {"aliases": "alias", "demonyms": "demonym", "metonyms": "metonym", "persons": "person",
        "ambiguous": "alias", "exclude": "exclude"}
_WORD_KINDS = ("stopword", "title", "month", "day", "connector", "place_before", "institution")

# A token is a dotted abbreviation (U.S., U.N.) or a run of letters/digits with inner
# apostrophes (Shi'ite, N'Djamena). A possessive ('s, or ' after a final s) is consumed but
# kept outside the ``tok`` group so that spans exclude it. That is _TOKEN_REFERENCE (the
# tests check that the others find the same tokens); _TOKEN finds them in less time, as the
# regex engine does the least per character and per token: the first character is outside
# the alternation (the abbreviation reading, a letter then ".", is tried first) so that the
# engine skips the characters between tokens in C; a lookbehind comes after the character
# that most tokens fail on ("." before "not after a digit", an apostrophe before "after an
# s"); and the repeats are possessive (nothing after them could take a character back).
_TOKEN_REFERENCE = (r"(?P<tok>(?:[^\W\d_]\.){2,}|[^\W_]+(?:['’](?!s\b)[^\W_]+)*)"
                    r"(?:['’]s\b|(?<=s)['’](?![^\W_]))?")
_TOKEN_PART = (r"(?P<tok>[^\W_](?:\.(?<!\d\.)(?:[^\W\d_]\.)+"
               r"|[^\W_]*+(?:['’](?!s\b)[^\W_]+)*+))")
_POSSESSIVE_PART = r"(?:['’](?:s\b|(?<=s['’])(?![^\W_])))?"
_TOKEN = re.compile(_TOKEN_PART + _POSSESSIVE_PART)
# _tokenize splits a text with _TOKEN, the possessive captured too (an empty group when there
# is none): the pieces are gap, token, possessive, gap, ... and their lengths add up to the
# offsets. Mostly it does with two pieces per token (fewer pieces to split and add up): the
# second regex leaves a possessive in the gap after its token, and a lookbehind after the
# first character of a token keeps the "s" of "'s" from starting one. With _TOKEN no token
# starts right after a word character and an apostrophe (the apostrophe is inner, or the
# possessive takes both), so the two readings differ only where the character before the
# apostrophe is no token's last: the "s" of a possessive ("Iran's's") or the "." of an
# abbreviation ("U.S.'s"). _POSSESSIVE_TRAPS finds the (rare) texts with "'s'" or ".'s",
# which keep the first regex (tests/test_actors.py checks both readings). For a text without
# apostrophes the possessive and inner-apostrophe parts cannot match, so simpler (faster)
# regexes find the same tokens; the last one also needs fewer than two dots, as an
# abbreviation has at least two.
_SPLIT_SOURCES = (
    _TOKEN_PART + "(" + _POSSESSIVE_PART + ")",
    r"([^\W_](?<![^\W_]['’].)(?:\.(?<!\d\.)(?:[^\W\d_]\.)+"
    r"|[^\W_]*+(?:['’](?!s\b)[^\W_]+)*+))",
    r"([^\W_](?:\.(?<!\d\.)(?:[^\W\d_]\.)+|[^\W_]*+))",
    r"([^\W_]+)",
)
_SPLIT_STEPS = (3, 2, 2, 2)  # pieces per token
# "'s'" or ".'s" (each apostrophe straight or curly), one regex per apostrophe that starts
# it: a regex that starts with one character skips to it in a fast loop of the engine
_POSSESSIVE_TRAPS = {a: re.compile(a + r"(?:(?<=\." + a + r")s|s['’])") for a in "'’"}
_SPLITS = tuple(re.compile(source) for source in _SPLIT_SOURCES)
# The same with ASCII classes (a bit test per character instead of a Unicode database
# query), for a text whose only word characters are ASCII: there every character is in the
# same classes ([^\W_] = [0-9A-Za-z], [^\W\d_] = [A-Za-z], \d, \b) under both readings, so
# the tokens are the same.
_SPLITS_ASCII = tuple(
    re.compile(source.replace(r"[^\W_]", "[0-9A-Za-z]").replace(r"[^\W\d_]", "[A-Za-z]"),
               re.ASCII)
    for source in _SPLIT_SOURCES)
_WORD_CHAR = re.compile(r"\w")
_ASCII_BYTES = bytes(range(128))


def _non_ascii(text: str) -> str:
    """The characters of ``text`` outside ASCII, in order (a few C passes over the UTF-8
    bytes: the bytes of a non-ASCII character are all outside ASCII)."""
    data = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    return data.decode("utf-8", "surrogatepass")


# What may follow a metonym used as a place: "Washington-based", "Washington, D.C.".
_PLACE_AFTER = re.compile(r"-(?:based|born|area)\b|,?[ \t]+D\.?C\.?(?![^\W_])")
_END = "\x00"  # trie key of the targets that end at a node (never a token)


def _norm(token: str) -> str:
    """Token with curly apostrophes made straight (both spellings match alike)."""
    return token.replace("’", "'")


class _Tokens(NamedTuple):
    """The tokens of a stretch of text, in parallel lists. Token ``k`` is
    ``text[starts[k]:starts[k] + len(words[k])]`` (without a possessive)."""

    starts: list[int]
    words: list[str]  # the tokens as written
    normed: list[str]  # the same with straight apostrophes (``words`` itself when no ’)
    # the text before each token: from the end of the token before (with its possessive),
    # or for the first token from the start of the stretch
    gaps: list[str]


def _tokenize(text: str, start: int = 0, end: int | None = None) -> _Tokens:
    """Tokens of ``text[start:end]``.

    One ``re.split`` and C-level ``accumulate`` (no bytecode per token): the pieces alternate
    gap, token(, possessive) and their running lengths are the offsets; the gaps are pieces
    too. The lists hold only ints and strings: match objects, or (start, end, token) tuples,
    for a whole document would leave hundreds of thousands of objects for the garbage
    collector to walk.
    """
    chunk = text[start:end]
    curly = "’" in chunk
    straight = "'" in chunk
    if curly or straight:
        trap = ((straight and _POSSESSIVE_TRAPS["'"].search(chunk) is not None)
                or (curly and _POSSESSIVE_TRAPS["’"].search(chunk) is not None))
        kind = 0 if trap else 1
    else:
        kind = 2 if chunk.count(".") > 1 else 3
    # ASCII classes: no word character outside ASCII (news text has few non-ASCII
    # characters, mostly quotes and dashes)
    ascii_only = chunk.isascii() or _WORD_CHAR.search(_non_ascii(chunk)) is None
    pieces = (_SPLITS_ASCII if ascii_only else _SPLITS)[kind].split(chunk)
    step = _SPLIT_STEPS[kind]  # token k is piece 1 + step * k
    words = pieces[1::step]
    # offset of piece i: start + the lengths of pieces[:i] (all offsets, then every step-th:
    # less work per piece than islice's)
    starts = list(accumulate(map(len, pieces), initial=start))[1:-2:step]
    if step == 2:
        gaps = pieces[:-1:2]
    else:  # a possessive, then the gap, before the token
        gaps = pieces[:1] if words else []
        gaps += map(add, pieces[2:-2:3], pieces[3:-1:3])
    normed = words
    if curly:  # straighten the tokens that hold a curly apostrophe (few do)
        at = chunk.find("’")
        while at >= 0:
            k = bisect.bisect_right(starts, start + at) - 1
            if k >= 0 and start + at < starts[k] + len(words[k]):  # (else between tokens)
                if normed is words:
                    normed = words.copy()
                normed[k] = _norm(words[k])
                # the whole token is straightened: go on after it (linear on one huge
                # token full of apostrophes)
                at = chunk.find("’", starts[k] + len(words[k]) - start)
                continue
            at = chunk.find("’", at + 1)
    return _Tokens(starts, words, normed, gaps)


def _gap_kind(gap: str) -> str | None:
    """Class of the text between two tokens of one name, or None when a name cannot span it.

    Space and hyphen are one class (``al-Qaeda`` = ``al Qaeda``); "." keeps initials
    ("George W. Bush"); "'" and "'s" keep inner possessives ("Kurdistan Workers' Party").
    """
    if gap == " ":
        return " "  # by far the most common gap
    if len(gap) > 4 or "\n\n" in gap or "\r\n\r\n" in gap:
        return None
    core = _norm(gap.strip())
    if core in ("", "-"):
        return " "
    if core in (".", "'", "'s"):
        return core
    return None


def _spellings(alias_tok: str) -> frozenset[str]:
    """The text tokens (straight apostrophes) that spell a gazetteer token, under the case
    rules of the module: matching is a set lookup."""
    out = {alias_tok}
    # ALL-CAPS text ("IRAN"): only for alias tokens that are not all caps themselves, so
    # an acronym keeps its exact spelling.
    upper = alias_tok.upper()
    if upper.isupper() and not alias_tok.isupper():
        out.add(upper)
    # A lower-case word may be capitalised at sentence start or in a title.
    first = alias_tok[:1]
    if first.islower():
        out.add(first.upper() + alias_tok[1:])
    return frozenset(out)


class _Target(NamedTuple):
    """What a gazetteer name points to."""

    actors: tuple[str, ...]  # empty for an exclude phrase; several for an ambiguous name
    via: str  # alias | demonym | metonym | person | exclude
    ambiguous: bool
    tokens: tuple[str, ...]  # tokens as written (apostrophes normalised), for the case check
    gaps: tuple[str, ...]  # gap classes between the tokens
    where: str  # file:line of the entry, for error messages
    rank: int  # index of the file: later files override earlier ones


class _Hit(NamedTuple):
    start: int
    end: int
    first: int  # index of the first token (within the scanned token list)
    last: int
    target: _Target


@dataclass(frozen=True)
class Actor:
    """One actor of the gazetteer."""

    name: str
    type: str
    file: str
    line: int


@dataclass(frozen=True)
class _Words:
    """The word lists of ``name_words.yaml`` (casefolded)."""

    stopword: frozenset[str]
    title: frozenset[tuple[str, ...]]
    month: frozenset[str]
    day: frozenset[str]
    connector: frozenset[str]
    place_before: frozenset[str]
    institution: frozenset[str]

    # Derived sets, computed once per word list instead of once per document (call).

    @cached_property
    def skip_single(self) -> frozenset[str]:
        """Words that are never a candidate name on their own."""
        return self.stopword | self.month | self.day

    @cached_property
    def single_titles(self) -> frozenset[str]:
        """One-word titles ("President")."""
        return frozenset(t[0] for t in self.title if len(t) == 1)

    @cached_property
    def skip_edge(self) -> frozenset[str]:
        """Words dropped from the start of a candidate name."""
        return self.skip_single | self.connector | self.single_titles

    @cached_property
    def skip_end(self) -> frozenset[str]:
        """Words dropped from the end of a candidate name."""
        return self.connector | self.skip_single

    @cached_property
    def single_skip(self) -> frozenset[str]:
        """A one-word run in one of these is no candidate: a one-word title, a word stripped
        from the end of a name or never a name alone, a date word."""
        return self.single_titles | self.skip_end | self.skip_single | self.dates

    @cached_property
    def dates(self) -> frozenset[str]:
        return self.month | self.day

    @cached_property
    def title_first(self) -> frozenset[str]:
        """First words of titles."""
        return frozenset(t[0] for t in self.title if t)

    @cached_property
    def longest_title(self) -> int:
        return max((len(t) for t in self.title), default=0)

    @cached_property
    def generic(self) -> frozenset[str]:
        """Words that may accompany a name in an affiliation (see :meth:`Gazetteer.lookup`)."""
        return self.institution | self.stopword | self.connector


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """A compiled actor gazetteer. Build it with :func:`load_gazetteer`.

    Attributes
    ----------
    actors : dict of str to Actor
        Canonical name to actor, in file order.
    sources : tuple of str
        The files it was built from (packaged file first unless replaced).
    """

    actors: dict[str, Actor]
    sources: tuple[str, ...]
    _trie: dict[str, Any] = field(repr=False)
    _words: _Words = field(repr=False)
    # text token (straight apostrophes) that can start a name -> its trie node (see _first_index)
    _first: dict[str, dict[str, Any]] = field(repr=False)
    # the keys of _first whose first character is not upper case (few: "al", "jihadist")
    _first_uncased: frozenset[str] = field(repr=False)

    def type_of(self, actor: str) -> str | None:
        """Type of a canonical actor (state, organisation, ...), or None if unknown."""
        found = self.actors.get(actor)
        return found.type if found else None

    def scan(self, text: str, start: int = 0, end: int | None = None) -> list[_Hit]:
        """Raw longest matches inside ``text[start:end]`` (including exclude phrases and
        unresolved ambiguous names). Internal building block of the public functions."""
        return self._scan_tokens(text, _tokenize(text, start, end))

    def _scan_tokens(self, text: str, toks: _Tokens, bounds: Sequence[int] | None = None,
                     openers: Iterable[int] | None = None) -> list[_Hit]:
        """Longest gazetteer matches over ``toks``; with ``bounds`` (the index of the first
        token of each sentence, then the number of tokens), none spans two sentences.
        ``openers``: the indexes of the tokens that are keys of ``_first``, ascending, when
        known (see :func:`_scan_document`)."""
        first = self._first
        starts, words, normed, gaps_before = toks
        n = len(normed)
        hits: list[_Hit] = []
        i = 0  # tokens before it lie inside the previous match
        # Only tokens spelled as the first token of some name can start a match (one dict
        # probe per token, in C); "us" never gets as far as the trie, which only knows "US".
        if openers is None:
            openers = compress(count(), map(first.__contains__, normed))
        for i0 in openers:
            if i0 < i:
                continue  # inside the previous match
            node = first[normed[i0]]
            if _END not in node and (i0 + 1 >= n or normed[i0 + 1].casefold() not in node):
                continue  # (most: "Trump", "New" open no name but with the right next token)
            end = -1  # the end of i0's sentence, found when a name may go on past i0
            best: tuple[int, _Target] | None = None
            gaps: tuple[str, ...] = ()
            j = i0
            while True:
                for target, spellings in node.get(_END, ()):
                    # every token spelled right (set lookups in C)
                    if gaps == target.gaps and all(
                            map(frozenset.__contains__, spellings, normed[i0:j + 1])):
                        best = (j, target)
                        break
                if j + 1 >= n:
                    break
                child = node.get(normed[j + 1].casefold())  # (usually None: tested first)
                if child is None:
                    break
                if end < 0:
                    end = n if bounds is None else bounds[bisect.bisect_right(bounds, i0)]
                if j + 1 >= end:
                    break  # (a name never spans two sentences)
                gap = _gap_kind(gaps_before[j + 1])
                if gap is None:
                    break
                gaps += (gap,)  # (names of more than one token are few)
                node = child
                j += 1
            if best is None:
                i = i0 + 1
                continue
            last, target = best
            hits.append(_Hit(starts[i0], starts[last] + len(words[last]), i0, last, target))
            i = last + 1
        return hits

    def _is_place(self, text: str, toks: _Tokens, hit: _Hit, floor: int,
                  first_token: int = 0) -> bool:
        """Metonym used as a location ("in Washington", "Washington-based", a dateline).
        ``floor`` and ``first_token``: where the sentence and its tokens start."""
        if _PLACE_AFTER.match(text, hit.end):
            return True
        surface = text[hit.start:hit.end]
        if surface.isupper() and not any(t.isupper() for t in hit.target.tokens):
            return True  # ALL-CAPS city: a dateline ("WASHINGTON —")
        if hit.first == first_token:
            return False
        prev = hit.first - 1
        prev_start, prev_word = toks.starts[prev], toks.words[prev]
        return (prev_start >= floor and not text[prev_start + len(prev_word):hit.start].strip()
                and prev_word.casefold() in self._words.place_before)

    def lookup(self, phrase: str) -> str | None:
        """Canonical actor of a phrase such as a speaker's affiliation.

        Parameters
        ----------
        phrase : str
            E.g. "Iraq’s", "the Iranian government", "Iraqi", "the Obama administration".

        Returns
        -------
        str or None
            The actor of the first (unambiguous) name in the phrase, provided every other
            capitalised word is a generic institution/title word ("Iran's Foreign Ministry" →
            Iran); None when the phrase names no actor or names something else
            ("American Enterprise Institute").
        """
        if len(phrase) > _CACHED_LENGTH:
            return self._lookup(phrase)
        # the same speakers and affiliations come back in document after document
        return _cached_lookup(self, phrase)

    def _lookup(self, phrase: str) -> str | None:
        toks = _tokenize(phrase)
        hits = [h for h in self._scan_tokens(phrase, toks)
                if h.target.actors and not h.target.ambiguous]
        if not hits:
            return None
        covered = {k for h in hits for k in range(h.first, h.last + 1)}
        generic = self._words.generic
        titles = self._words.single_titles
        for k, tok in enumerate(toks.words):
            if k in covered or not tok[:1].isupper():
                continue
            folded = _norm(tok.casefold())
            if folded not in generic and folded not in titles:
                return None
        return hits[0].target.actors[0]


_CACHED_LENGTH = 200  # longer strings (no name or phrase is that long) are not cached


@lru_cache(maxsize=8192)
def _cached_lookup(gazetteer: Gazetteer, phrase: str) -> str | None:
    """:meth:`Gazetteer.lookup`, cached: its result depends only on the phrase and on the
    gazetteer, which is not changed after it is built (and is hashed by identity)."""
    return gazetteer._lookup(phrase)


# --------------------------------------------------------------------------- loading

_ACTOR_SCHEMA: dict[str, type] = {"name": str, "type": str}
_ACTOR_OPTIONAL: dict[str, type] = {**{f: list for f in _LIST_FIELDS}, "note": str}


def _split_name(name: str, where: str, actor: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Tokens and gap classes of a gazetteer name; LexiconError if it cannot be matched."""
    text = name.strip()
    if text.startswith("the "):
        text = text[4:]
    matches = list(_TOKEN.finditer(text))
    fix = "Fix: write the name with letters, digits, spaces, hyphens, dots and apostrophes only."
    if not matches or matches[0].start() != 0:
        raise LexiconError(f"{where}: actor {actor!r}: name {name!r} cannot be matched. {fix}")
    gaps = []
    for a, b in zip(matches, matches[1:], strict=False):
        gap = _gap_kind(text[a.end("tok"):b.start("tok")])
        if gap is None:
            raise LexiconError(
                f"{where}: actor {actor!r}: name {name!r} has "
                f"{text[a.end('tok'):b.start('tok')]!r} between words. {fix}"
            )
        gaps.append(gap)
    if text[matches[-1].end("tok"):].strip(" ."):
        raise LexiconError(
            f"{where}: actor {actor!r}: name {name!r} ends in "
            f"{text[matches[-1].end('tok'):]!r}. {fix}"
        )
    return tuple(_norm(m["tok"]) for m in matches), tuple(gaps)


def _plural(demonym: str) -> str | None:
    """Regular -s plural of a demonym (Iraqi → Iraqis), None when there is none (Chinese)."""
    if not demonym[-1:].isalpha() or demonym.endswith(("s", "sh", "ch", "ese", "x", "z")):
        return None
    return demonym + "s"


def _register(table: dict[tuple, _Target], new: _Target) -> None:
    """Add a name to the table, applying the precedence rules of the module docstring."""
    key = (tuple(t.casefold() for t in new.tokens), new.tokens, new.gaps)
    old = table.get(key)
    if old is None or old == new:
        table[key] = new
        return
    if old.actors == new.actors and old.ambiguous == new.ambiguous:
        return  # same name listed twice for one actor (e.g. alias and person): keep the first
    if old.ambiguous and new.ambiguous:
        merged = old.actors + tuple(a for a in new.actors if a not in old.actors)
        table[key] = old._replace(actors=merged)
        return
    if new.rank > old.rank:
        table[key] = new  # a later (user) file overrides
        return
    shown = " ".join(new.tokens)
    what = lambda t: ("an exclude phrase" if not t.actors  # noqa: E731
                      else ("ambiguous for " if t.ambiguous else "") + " / ".join(t.actors))
    raise LexiconError(
        f"{new.where}: name {shown!r} is {what(new)}, but {old.where} lists it as {what(old)}. "
        "Fix: keep it in one entry, or list it under 'ambiguous:' in both."
    )


def _read_words(paths: tuple[str, ...]) -> _Words:
    entries = read_many([Path(p) for p in paths], default="name_words.yaml", key="groups",
                        required={"kind": str, "words": list})
    sets: dict[str, set] = {k: set() for k in _WORD_KINDS}
    for e in entries:
        if e["kind"] not in sets:
            raise LexiconError(
                f"{e.file}:{e.line}: group kind {e['kind']!r} is unknown. "
                f"Fix: use one of {', '.join(_WORD_KINDS)}."
            )
        for word in e["words"]:
            folded = _norm(word.casefold())
            if e["kind"] == "title":
                sets["title"].add(tuple(_norm(m["tok"].casefold())
                                        for m in _TOKEN.finditer(word)))
            else:
                sets[e["kind"]].add(folded.rstrip(".") if len(folded) > 1 else folded)
    return _Words(**{k: frozenset(v) for k, v in sets.items()})


def _compile(entries: list[Entry], files: list[str], words: _Words,
             sources: tuple[str, ...]) -> Gazetteer:
    rank_of = {f: i for i, f in enumerate(files)}
    actors: dict[str, Actor] = {}
    table: dict[tuple, _Target] = {}
    for e in entries:
        name = e["name"].strip()
        where = f"{e.file}:{e.line}"
        if not name:
            raise LexiconError(f"{where}: an actor has an empty name. Fix: write name: ...")
        kind = e["type"]
        if kind not in ACTOR_TYPES:
            raise LexiconError(
                f"{where}: actor {name!r}: type {kind!r} is unknown. "
                f"Fix: use one of {', '.join(ACTOR_TYPES)}."
            )
        actors[name] = Actor(name, kind, e.file, e.line)  # a later entry may change the type
        rank = rank_of.get(e.file, len(files))
        ambiguous = set(e.get("ambiguous") or ())
        names: list[tuple[str, str]] = []
        if name not in ambiguous:
            names.append((name, "alias"))
        for fld in _LIST_FIELDS:
            for value in e.get(fld) or ():
                if not value.strip():
                    raise LexiconError(
                        f"{where}: actor {name!r}: '{fld}' has an empty name. Fix: remove it."
                    )
                names.append((value, _VIA[fld] if fld != "ambiguous" else "ambiguous"))
                if fld == "demonyms" and (plural := _plural(value.strip())):
                    names.append((plural, "demonym"))
        for value, via in names:
            tokens, gaps = _split_name(value, where, name)
            if via == "exclude":
                target = _Target((), "exclude", False, tokens, gaps, where, rank)
            elif via == "ambiguous":
                target = _Target((name,), "alias", True, tokens, gaps, where, rank)
            else:
                target = _Target((name,), via, False, tokens, gaps, where, rank)
            _register(table, target)
    # The targets that end at a node come with the accepted spellings of each of their tokens.
    trie: dict[str, Any] = {}
    for (folded, _, _), target in table.items():
        node = trie
        for tok in folded:
            node = node.setdefault(tok, {})
        spellings = tuple(_spellings(t) for t in target.tokens)
        node.setdefault(_END, []).append((target, spellings))
    first = _first_index(trie)
    return Gazetteer(actors=actors, sources=sources, _trie=trie, _words=words, _first=first,
                     _first_uncased=frozenset(k for k in first if not k[0].isupper()))


def _first_index(trie: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Text tokens that can start a name, mapped to the trie node the scan continues from.

    A token ``w`` is looked up in the trie as ``w.casefold()``; it can start a match only if
    it is a spelling (:func:`_spellings`) of the first token of a name below that node, so
    the index holds exactly those spellings (any other token would walk the trie and find
    nothing). Most tokens then cost one failed dict lookup.
    """
    index: dict[str, dict[str, Any]] = {}
    for key, node in trie.items():
        stack = [node]
        while stack:
            below = stack.pop()
            for k, child in below.items():
                if k != _END:
                    stack.append(child)
                    continue
                for _, spellings in child:
                    for spelling in spellings[0]:
                        if spelling.casefold() == key:
                            index[spelling] = node
    return index


@lru_cache(maxsize=16)
def _load_cached(keys: tuple[tuple[str, int], ...], replace: bool,
                 word_keys: tuple[tuple[str, int], ...]) -> Gazetteer:
    paths = [p for p, _ in keys]
    entries = read_many([Path(p) for p in paths], default="actors.yaml", key="actors",
                        required=_ACTOR_SCHEMA, optional=_ACTOR_OPTIONAL, replace=replace)
    # ranks: the packaged file's label is "actors.yaml"; users' files are labelled by path
    files = ([] if replace and paths else ["actors.yaml"]) + paths
    words = _read_words(tuple(p for p, _ in word_keys))
    return _compile(entries, files, words, tuple(files))


def _file_key(path: str | Path) -> tuple[str, int]:
    # mtime in the key: an edited file is re-read instead of served stale from the cache
    p = Path(path)
    try:
        return str(p), os.stat(p).st_mtime_ns
    except OSError:
        return str(p), -1  # read_entries reports the missing file


def load_gazetteer(
    paths: Sequence[str | Path] = (),
    *,
    replace: bool = False,
    word_files: Sequence[str | Path] = (),
) -> Gazetteer:
    """Load and compile the actor gazetteer.

    Parameters
    ----------
    paths : sequence of str or Path
        Users' gazetteer files (same shape as ``analysis/data/actors.yaml``). They extend the
        packaged file; a name they list overrides the packaged file's, and an entry with an
        existing actor name adds names to that actor.
    replace : bool
        Use only ``paths`` (ignore the packaged gazetteer).
    word_files : sequence of str or Path
        Extra files in the shape of ``analysis/data/name_words.yaml``.

    Returns
    -------
    Gazetteer
        Compiled once per set of files (and their modification times).

    Raises
    ------
    LexiconError
        On a missing or malformed file, unknown type, unmatchable name, or a name given to two
        actors in one file; the message names the file, line, entry and fix.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]  # a single file given bare
    return _load_cached(tuple(_file_key(p) for p in paths), replace,
                        tuple(_file_key(p) for p in word_files))


# --------------------------------------------------------------------------- mentions

_START_KEY = itemgetter("start")
_COUNT_KEY = itemgetter("count")


def _sorted_sentences(sentences: list[dict]) -> list[dict]:
    starts = list(map(_START_KEY, sentences))
    if starts == sorted(starts):  # the usual case, checked in C (timsort: linear when sorted)
        return sentences
    return sorted(sentences, key=_START_KEY)


def find_mentions(
    text: str,
    sentences: list[dict],
    *,
    gazetteer: Gazetteer,
    voice_at: Callable[[int], str] | None = None,
    scans: dict[Any, Any] | None = None,
) -> list[dict]:
    """Actor mentions inside the given sentences (hot path).

    Parameters
    ----------
    text : str
        The document text; offsets refer to it.
    sentences : list of dict
        Sentence records (``sent_id``, ``start``, ``end``, optional ``voice``). Text outside
        them (boilerplate) is not searched.
    gazetteer : Gazetteer
        From :func:`load_gazetteer`.
    voice_at : callable, optional
        Voice of a character offset (the quoted speaker or "narrator"); overrides the
        sentence's ``voice``.
    scans : dict, optional
        Filled with the tokens and gazetteer matches of the sentences; pass the same dict to
        :func:`candidate_actors` on the same text and sentences so it need not tokenise and
        scan again.

    Returns
    -------
    list of dict
        ``{"actor", "start", "end", "text", "sent_id", "voice", "type", "via"}`` in text order,
        ``text[start:end] == record["text"]``; ``via`` is alias, demonym, person or metonym.
    """
    records: list[dict] = []
    pending: list[tuple[int, _Hit, dict]] = []  # ambiguous names, resolved below
    sents = _sorted_sentences(sentences)
    doc = _scan_document(text, sents, gazetteer)
    if scans is not None:
        scans[_DOC_SCAN] = doc
    toks, bounds = doc.toks, doc.bounds
    for hit in doc.hits:
        target = hit.target
        if not target.actors:
            continue  # exclude phrase
        k = bisect.bisect_right(bounds, hit.first) - 1  # the hit's sentence
        sent = sents[k]
        if target.via == "metonym" and gazetteer._is_place(text, toks, hit, sent["start"],
                                                          bounds[k]):
            continue
        if voice_at is not None:
            voice = voice_at(hit.start)
        else:
            voice = sent.get("voice") or "narrator"
        rec = {"actor": target.actors[0], "start": hit.start, "end": hit.end,
               "text": text[hit.start:hit.end], "sent_id": sent["sent_id"],
               "voice": voice, "type": None, "via": target.via}
        if target.ambiguous:
            pending.append((len(records), hit, rec))
        records.append(rec)
    if pending:
        records = _resolve_ambiguous(records, pending)
    for rec in records:
        rec["type"] = gazetteer.type_of(rec["actor"])
    return records


_DOC_SCAN = "sentences"  # key of the _DocScan in a ``scans`` dict
_SPAN = itemgetter("start", "end")
_SECOND = itemgetter(1)


class _DocScan(NamedTuple):
    """Tokens and raw gazetteer hits of a document's sentences (sorted by start), and what
    :func:`candidate_actors` needs to know about the tokens."""

    spans: list[tuple[int, int]]  # (start, end) of each sentence
    toks: _Tokens  # the tokens of every sentence, sentence after sentence
    # sentence k has the tokens bounds[k]:bounds[k + 1]; bounds[-1] is the number of tokens
    bounds: list[int]
    hits: list[_Hit]  # in text order; their token indexes are into toks
    upper: bytes  # 1 for a token whose first character is upper case (see _first_char_flags)
    upper_or_digit: bytes  # 1 for one whose first character is upper case or a digit
    caps: list[int]  # the indexes of the tokens flagged in upper
    seen: set[str]  # the tokens (normed)


def _scan_document(text: str, sents: list[dict], gazetteer: Gazetteer) -> _DocScan:
    """Tokens and gazetteer hits of the (sorted) sentences, with one tokenisation per run of
    sentences that only whitespace separates.

    A token holds no whitespace, so none crosses from one sentence of a run to the next, and
    where a sentence ends at whitespace the token regexes see the same as at the end of the
    text (their lookaheads and ``\\b`` treat whitespace and the end alike; their lookbehinds
    never look before a token): each sentence gets exactly the tokens of ``_tokenize`` on
    its own span. Sentences that abut, overlap or are separated by other characters start a
    new run (they are tokenised alone where nothing else joins them).
    """
    spans = list(map(_SPAN, sents))
    m = len(spans)
    bounds = [0]
    parts: list[_Tokens] = []
    offset = 0  # tokens of the runs before
    i = 0
    while i < m:
        start, end = spans[i]
        j = i + 1
        if end > start:
            while j < m:
                nxt, nxt_end = spans[j]
                if nxt <= end or nxt_end <= nxt or not text[end:nxt].isspace():
                    break
                end = nxt_end
                j += 1
        toks = _tokenize(text, start, end)
        parts.append(toks)
        run_starts = toks.starts
        # the first token at or after the end of each sentence but the last (it ends with
        # the run); one bisect per sentence, in C
        firsts = map(bisect.bisect_left, repeat(run_starts), map(_SECOND, islice(spans, i, j - 1)))
        bounds += map(offset.__add__, firsts) if offset else firsts
        offset += len(run_starts)
        bounds.append(offset)
        i = j
    if len(parts) == 1:
        toks = parts[0]
    else:
        starts: list[int] = []
        words: list[str] = []
        normed: list[str] = []
        gaps: list[str] = []
        for part in parts:
            starts += part.starts
            words += part.words
            normed += part.normed
            gaps += part.gaps
        toks = _Tokens(starts, words, normed, gaps)
    normed = toks.normed
    upper, upper_or_digit = _first_char_flags(toks.words)
    caps = list(compress(count(), upper))
    seen = set(normed)
    # The tokens that can start a name: the capitalised ones spelled as a key of _first
    # (fewer probes than over every token), and any lower-case keys ("al") the text holds.
    first = gazetteer._first
    openers = list(compress(caps, map(first.__contains__, map(normed.__getitem__, caps))))
    uncased = gazetteer._first_uncased & seen
    if uncased:
        openers += compress(count(), map(uncased.__contains__, normed))
        openers.sort()  # (two ascending runs: a linear merge)
    hits = gazetteer._scan_tokens(text, toks, bounds, openers)
    return _DocScan(spans, toks, bounds, hits, upper, upper_or_digit, caps, seen)


def _resolve_ambiguous(records: list[dict], pending: list[tuple[int, _Hit, dict]]) -> list[dict]:
    """Give each ambiguous name the candidate actor named unambiguously nearest before it
    (else nearest after it); drop it when no candidate is named unambiguously."""
    ambiguous_ids = {id(rec) for _, _, rec in pending}
    starts: dict[str, list[int]] = {}
    for rec in records:
        if id(rec) not in ambiguous_ids:
            starts.setdefault(rec["actor"], []).append(rec["start"])
    drop: set[int] = set()
    for index, hit, rec in pending:
        before: tuple[int, str] | None = None
        after: tuple[int, str] | None = None
        for actor in hit.target.actors:
            positions = starts.get(actor)
            if not positions:
                continue
            k = bisect.bisect_left(positions, hit.start)
            if k > 0 and (before is None or positions[k - 1] > before[0]):
                before = (positions[k - 1], actor)
            if k < len(positions) and (after is None or positions[k] < after[0]):
                after = (positions[k], actor)
        choice = before or after
        if choice is None:
            drop.add(index)
        else:
            rec["actor"] = choice[1]
    return [r for i, r in enumerate(records) if i not in drop]


# --------------------------------------------------------------------------- candidates

_NAME_GAPS = (" ", ".", "'")  # gap classes allowed inside a candidate name
_INITIAL = re.compile(r"[.!?:;\"“”‘\n\r(\[]")  # before a token, it starts a sentence/clause


def _run_gap(gap: str) -> str | None:
    """The class of ``gap`` when it may lie inside a candidate name (one of _NAME_GAPS, on
    one line), else None."""
    return None if len(gap) > 4 else _short_run_gap(gap)  # (_gap_kind: None when longer)


@lru_cache(maxsize=1024)
def _short_run_gap(gap: str) -> str | None:
    """:func:`_run_gap` of a gap of at most four characters (cached: a few, ", ", "-",
    ". ", come back all the time)."""
    kind = _gap_kind(gap)
    return kind if kind in _NAME_GAPS and "\n" not in gap and "\r" not in gap else None


_FIRST_CHAR = itemgetter(0)
# str.isupper, and str.isupper or str.isdigit, of an ASCII character, as bytes.translate tables
_ASCII_UPPER = bytes(65 <= c <= 90 for c in range(256))
_ASCII_UPPER_OR_DIGIT = bytes(65 <= c <= 90 or 48 <= c <= 57 for c in range(256))


def _first_char_flags(words: list[str]) -> tuple[bytes, bytes]:
    """For each token, whether its first character is upper case, and whether it is upper
    case or a digit (a token that may start or go on with a name), as bytes of 0/1."""
    firsts = "".join(map(_FIRST_CHAR, words))  # tokens are never empty
    if firsts.isascii():  # (a table lookup per token, in C)
        data = firsts.encode("ascii")
        return data.translate(_ASCII_UPPER), data.translate(_ASCII_UPPER_OR_DIGIT)
    upper = bytes(map(str.isupper, firsts))
    return upper, bytes(map(or_, upper, map(str.isdigit, firsts)))


# A lower-case word of four letters or more that starts a token (nothing a token holds comes
# before it): a long token that is not capitalised.
_LONG_LOWER = re.compile(r"[a-z](?<![\w'’.].)[a-z]{3}")


@dataclass
class _Candidates:
    """Collects candidate names of one document (the rules of :func:`candidate_actors`).

    Runs are given as ``[lo, hi)`` index ranges into the document's tokens and their casefolded
    spellings (``folded``), so nothing is re-tokenised or re-normalised.
    """

    text: str
    words: _Words
    # every token of the document's sentences (straight apostrophes): a word is used in lower
    # case when it is in this set and starts with a lower-case letter
    seen: set[str]
    known: set[tuple[str, ...]]  # known names as casefolded token tuples
    known_last: set[str]
    found: dict[str, dict] = field(default_factory=dict)

    def __post_init__(self) -> None:
        w = self.words
        self.skip_single = w.skip_single
        self.skip_edge = w.skip_edge
        self.skip_end = w.skip_end
        self.dates = w.dates
        self.title_first = w.title_first
        self.longest_title = w.longest_title
        self.single_skip = w.single_skip | self.known_last
        # known names by first token, longest first (a known name inside a run is cut out)
        self.known_first: dict[str, list[tuple[str, ...]]] = {}
        for name in sorted(self.known, key=lambda t: (-len(t), t)):
            self.known_first.setdefault(name[0], []).append(name)
        self.known_keys = self.known_first.keys()

    def add(self, sent: dict, toks: _Tokens, folded: list[str], lo: int, hi: int, *,
            initial: bool, after_actor: bool) -> None:
        """Clean the run ``toks[lo:hi]`` of capitalised tokens and count what remains."""
        if hi - lo == 1:
            self._add_word(sent, toks, folded[lo], lo, after_actor)
            return
        while True:
            if lo < hi:
                first = toks.normed[lo].lower()
                # a stopword with a clitic ("They're", "I'd"), or a sentence-initial common
                # word ("Unfortunately"): one the document also uses in lower case
                if ("'" in first and first.split("'")[0] in self.skip_edge) or (
                        initial and first in self.seen and first[0].islower()):
                    lo += 1
                    after_actor = False
            # a known name (a speaker) inside the run splits it: "Mira Holt of the Daily
            # Planet"; the earliest one, the longest at that token (most runs hold none of
            # their first tokens: one test in C)
            rest = folded[lo:hi]
            if self.known_keys.isdisjoint(rest):
                self._count(sent, toks, folded, lo, hi, after_actor)
                return
            if tuple(rest) in self.known:
                return  # the rest is a known name: nothing is left of it
            cut = self._known_in(folded, lo, hi)
            if cut is None:
                self._count(sent, toks, folded, lo, hi, after_actor)
                return
            k, size = cut
            # no known name lies inside toks[lo:k]: this does not recurse further
            self.add(sent, toks, folded, lo, k, initial=False, after_actor=after_actor)
            lo, initial, after_actor = k + size, False, False

    def _add_word(self, sent: dict, toks: _Tokens, f: str, k: int, after_actor: bool) -> None:
        """:meth:`add` for a one-token run (most runs): the same rules, which for one word
        reduce to set lookups. ``f`` is the casefolded token ``k``."""
        name = toks.normed[k]
        first = name.lower()
        if ("'" in first and first.split("'")[0] in self.skip_edge) or (
                f in self.single_skip or f.rstrip(".") in self.skip_edge or f.isdigit()
                or len(name) < 2 or (first in self.seen and first[0].islower())  # (_lower_seen)
                or (after_actor and f in self.words.institution)):
            return
        found = self.found.get(name)
        if found is not None:
            found["count"] += 1
        else:
            start = toks.starts[k]
            self.found[name] = {"name": name, "count": 1, "start": start,
                                "end": start + len(name), "sent_id": sent["sent_id"]}

    def _lower_seen(self, word: str) -> bool:
        """Whether the document also uses ``word`` (lower case) in lower case."""
        return word in self.seen and word[0].islower()

    def _known_in(self, folded: list[str], lo: int, hi: int) -> tuple[int, int] | None:
        get = self.known_first.get
        for k in range(lo, hi):
            names = get(folded[k])
            if names:
                for name in names:
                    size = len(name)
                    if k + size <= hi and tuple(folded[k:k + size]) == name:
                        return k, size
        return None

    def _strip_title(self, folded: list[str], lo: int, hi: int) -> int:
        """Drop leading titles ("Secretary of State John Kerry" → "John Kerry"), never the
        whole run."""
        titles = self.words.title
        changed = True
        while changed and lo < hi and folded[lo] in self.title_first:
            changed = False
            for size in range(min(self.longest_title, hi - lo - 1), 0, -1):
                if tuple(folded[lo:lo + size]) in titles:
                    lo += size
                    changed = True
                    break
        return lo

    def _count(self, sent: dict, toks: _Tokens, folded: list[str], lo: int, hi: int,
               after_actor: bool) -> None:
        if lo >= hi:
            return  # (a known name ended the run)
        words = self.words
        titles = words.title
        names = tuple(folded[lo:hi])
        if names in titles:
            return  # only a title ("Secretary of State")
        # (most runs neither start nor end with a word to drop: two tests each)
        front = names[0]
        if front in self.title_first or front.rstrip(".") in self.skip_edge:
            before = lo
            while lo < hi:
                if folded[lo] in self.title_first:
                    lo = self._strip_title(folded, lo, hi)
                if lo < hi and folded[lo].rstrip(".") in self.skip_edge:
                    lo += 1
                else:
                    break
            if lo != before:
                after_actor = False
                names = tuple(folded[lo:hi])
                if names in titles:  # (unchanged run: checked above)
                    return  # only a title ("Prime Minister")
        if names and names[-1] in self.skip_end:
            while lo < hi and folded[hi - 1] in self.skip_end:
                hi -= 1
            names = tuple(folded[lo:hi])
        if lo >= hi:
            return
        if hi - lo == 1 and (len(toks.words[lo]) < 2 or names[0] in self.skip_single
                             or self._lower_seen(toks.normed[lo].lower())):
            return
        dates = self.dates
        if (names[0] in dates or names[0].isdigit()) and all(
                f in dates or f.isdigit() for f in names):
            return
        if after_actor and all(f in words.institution for f in names):
            return  # "Iraqi Security Forces": the actor's own institution
        if names[-1] in self.known_last or names in self.known:
            return
        start = toks.starts[lo]
        if hi - lo == 1:  # one token: its text has no whitespace to collapse
            name = toks.normed[lo]
            end = start + len(name)
        else:
            end = toks.starts[hi - 1] + len(toks.words[hi - 1])
            name = " ".join(self.text[start:end].split()).replace("’", "'")  # (_norm)
        found = self.found.get(name)
        if found is not None:
            found["count"] += 1
        else:
            self.found[name] = {"name": name, "count": 1, "start": start, "end": end,
                                "sent_id": sent["sent_id"]}


def _name_key(name: str) -> tuple[str, ...]:
    """Casefolded tokens (straight apostrophes) of a name, e.g. a known speaker's (cached:
    the same speakers come back in document after document)."""
    if len(name) > _CACHED_LENGTH:
        return _name_tokens(name)
    return _cached_name_key(name)


def _name_tokens(name: str) -> tuple[str, ...]:
    return tuple(_norm(m[1].casefold()) for m in _TOKEN.finditer(name))


_cached_name_key = lru_cache(maxsize=8192)(_name_tokens)


def candidate_actors(
    text: str,
    sentences: list[dict],
    *,
    gazetteer: Gazetteer,
    known: Iterable[str] = (),
    min_count: int = 1,
    scans: dict[Any, Any] | None = None,
) -> list[dict]:
    """Capitalised names that no gazetteer name or known speaker covers.

    A candidate is a run of capitalised tokens (lower-case connectors such as "of", "al"
    allowed inside) within one sentence, with leading titles and sentence-initial common
    words removed. Dates, single words the text also uses in lower case, runs right after an
    actor made only of institution words ("Iraqi Security Forces"), and sentences in Title
    Case (headlines) are skipped. Word lists: ``analysis/data/name_words.yaml``.

    Linear in the text. ``scans`` (the dict :func:`find_mentions` filled for the same text,
    sentences and gazetteer, as the pipeline passes it) saves tokenising and scanning again.

    Parameters
    ----------
    text : str
        The document text.
    sentences : list of dict
        Sentence records (``sent_id``, ``start``, ``end``).
    gazetteer : Gazetteer
        From :func:`load_gazetteer`.
    known : iterable of str
        Names already accounted for, e.g. canonical speakers. A known name inside a run is cut
        out (the earliest one first, the longest at a token); a candidate equal to one or
        sharing its last word ("Doe" for a known "Jane Doe") is skipped.
    min_count : int
        Minimum number of occurrences.
    scans : dict, optional
        The ``scans`` of a :func:`find_mentions` call on the same text with the same gazetteer.

    Returns
    -------
    list of dict
        ``{"name", "count", "start", "end", "sent_id"}`` (offsets of the first occurrence;
        ``name`` is the surface with whitespace collapsed and straight apostrophes), most
        frequent first.
    """
    known_tok = set(map(_name_key, known))
    known_tok.discard(())
    doc = scans.get(_DOC_SCAN) if scans is not None else None
    if doc is not None and list(map(_SPAN, sentences)) == doc.spans:
        sents = sentences  # (sorted: as find_mentions sorted them)
    else:
        sents = _sorted_sentences(sentences)
        doc = _scan_document(text, sents, gazetteer)
    toks, bounds = doc.toks, doc.bounds
    _, words, normed, gaps = toks
    n = len(words)
    cands = _Candidates(text, gazetteer._words, doc.seen, known_tok,
                        {k[-1] for k in known_tok})
    connector = cands.words.connector
    single_skip = cands.single_skip
    # over the whole document at once: capitalised tokens (where runs start), tokens inside
    # a gazetteer name, casefolded tokens (filled in for the runs, the only ones read)
    upper, upper_or_digit, caps = doc.upper, doc.upper_or_digit, doc.caps
    covered = [False] * n
    for hit in doc.hits:
        if hit.target.actors and not hit.target.ambiguous:
            covered[hit.first:hit.last + 1] = [True] * (hit.last + 1 - hit.first)
    folded: list[str] = [""] * n
    # caps[at[k]:at[k + 1]]: the capitalised tokens of sentence k (one bisect each, in C)
    at = list(map(bisect.bisect_left, repeat(caps), bounds))
    for sent, lo, hi, p, q in zip(sents, bounds, islice(bounds, 1, None), at,
                                  islice(at, 1, None), strict=False):
        if p == q:
            continue
        if q - p >= 3 and not (
                # one long word that is not capitalised needs nine that are (cheaper test)
                q - p < 9
                and _LONG_LOWER.search(text, sent["start"], sent["end"]) is not None):
            # capitalisation of the words longer than three letters
            long_upper = list(compress(upper[lo:hi], map((3).__lt__, map(len, words[lo:hi]))))
            if len(long_upper) >= 3 and sum(long_upper) >= 0.9 * len(long_upper):
                continue  # Title Case heading: every word is capitalised
        done = lo  # tokens before this index belong to a run already counted
        for k in islice(caps, p, q):
            if k < done or covered[k]:
                continue
            j = k + 1  # the run is toks[k:j] so far
            # (the next token is tested before the gap: it usually ends the run)
            while j < hi and not covered[j] and (
                    upper_or_digit[j] or words[j].casefold() in connector):
                raw_gap = gaps[j]
                if raw_gap != " ":  # a single space always continues a name
                    gap = _run_gap(raw_gap)
                    # ("." only after an initial)
                    if gap is None or (gap == "." and len(words[j - 1]) > 1):
                        break
                j += 1
            done = j
            # after_actor: right after an actor, with only a space or hyphen since its last
            # token (most runs are not after one, and then the gap is not needed)
            if j == k + 1:  # one token (most runs): add's rules for it
                f = normed[k].casefold()
                if f in single_skip:  # (its first test, inline: most runs end here)
                    continue
                after_actor = k > lo and covered[k - 1] and _gap_kind(gaps[k]) == " "
                cands._add_word(sent, toks, f, k, after_actor)
                continue
            after_actor = k > lo and covered[k - 1] and _gap_kind(gaps[k]) == " "
            if k == lo:
                initial = True
            else:
                gap_before = gaps[k]
                initial = gap_before != " " and bool(_INITIAL.search(gap_before))
            folded[k:done] = map(str.casefold, normed[k:done])
            cands.add(sent, toks, folded, k, done, initial=initial, after_actor=after_actor)
    out = [c for c in cands.found.values() if c["count"] >= min_count]
    # most frequent first, then by first occurrence (two stable sorts in C)
    out.sort(key=_START_KEY)
    out.sort(key=_COUNT_KEY, reverse=True)
    return out


# --------------------------------------------------------------------------- convenience

_PARAGRAPH_BREAK = re.compile(r"(?:\r?\n|\r)[ \t]*(?:\r?\n|\r)\s*")


def _naive_sentences(text: str) -> list[dict]:
    """One sentence per paragraph (fallback when analysis.segment is unavailable)."""
    spans, pos = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for start, end in spans:
        chunk = text[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            out.append((start + lead, start + lead + len(chunk.strip())))
    return [{"sent_id": i, "paragraph": i, "start": s, "end": e, "text": text[s:e],
             "kind": "body", "voice": "narrator"} for i, (s, e) in enumerate(out)]


def _sentences_for(text: str) -> list[dict]:
    try:
        from analysis.segment import split_paragraphs, split_sentences
    except ImportError:
        return _naive_sentences(text)
    out: list[dict] = []
    for p, (ps, pe) in enumerate(split_paragraphs(text)):
        for s, e in split_sentences(text, ps, pe):
            out.append({"sent_id": len(out), "paragraph": p, "start": s, "end": e,
                        "text": text[s:e], "kind": "body", "voice": "narrator"})
    return out


def mentions_frame(text: str, *, gazetteer: Gazetteer | None = None) -> Any:
    """Actor mentions of a plain text as a DataFrame (no boilerplate removal or quotes).

    Parameters
    ----------
    text : str
        Any text.
    gazetteer : Gazetteer, optional
        Defaults to the packaged gazetteer.

    Returns
    -------
    pandas.DataFrame
        Columns actor, type, via, start, end, text, sent_id, voice.
    """
    import pandas as pd  # lazy: the hot path does not need pandas

    gaz = gazetteer or load_gazetteer()
    records = find_mentions(text, _sentences_for(text), gazetteer=gaz)
    columns = ["actor", "type", "via", "start", "end", "text", "sent_id", "voice"]
    return pd.DataFrame(records, columns=columns)

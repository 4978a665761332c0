"""Article structure and boilerplate: which part of the text is what.

A web-copied article is more than its body: kicker, headline, standfirst, photo credit,
reporting credit, and boilerplate such as newsletter sign-up blocks. :func:`mark_segments`
labels every paragraph (and the whitespace after it) so the segments tile the text exactly:
nothing is cut, boilerplate is only *marked* and excluded from analysis.

The patterns live in ``analysis/data/boilerplate.yaml``; users add their own file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

from analysis.lexicons import LexiconError, data_path, read_many
from analysis.segment import split_paragraphs

try:  # the standard library's own pattern parser: where a pattern is anchored, how wide
    from re import _constants as _sre
    from re import _parser as _sre_parser
except ImportError:  # pragma: no cover - a Python without it searches every pattern whole
    _sre = _sre_parser = None

__all__ = ["SegmentKind", "BoilerplatePatterns", "load_patterns", "classify_paragraphs",
           "mark_segments", "ANALYSED_KINDS"]

SegmentKind = Literal["kicker", "headline", "standfirst", "credit", "body", "boilerplate"]
ANALYSED_KINDS = frozenset({"kicker", "headline", "standfirst", "body"})
_ROLES = ("signup_start", "signup_end", "boilerplate", "photo_credit", "credit")
_SENTENCE_END = re.compile(r"[.!?…][”’\"')\]]*$")
_WORD = re.compile(r"\w+(?:[’'\-]\w+)*")
_BACKREF = re.compile(r"\\[1-9]|\(\?P=")


@dataclass(frozen=True)
class _RoleMatcher:
    """The patterns of one role, grouped by where a match can start.

    A paragraph matches when any pattern ``search``-es it; the groups only save work:

    * ``head``: the patterns anchored at the start (``^``, ``\\A``) joined in one
      alternation, tried once at position 0 with ``match``;
    * ``tail``: patterns anchored at the end (``$``, ``\\Z``) with a bounded match width,
      each searched from the last ``width + 1`` characters only (a match there must start
      there; lookbehinds still see the text before);
    * ``anywhere``: the rest, searched one by one (an alternation of unanchored patterns
      loses each pattern's fast scan for its first character, and is slower).
    """

    head: re.Pattern[str] | None
    tail: tuple[tuple[re.Pattern[str], int], ...]
    anywhere: tuple[re.Pattern[str], ...]
    # for tail and anywhere patterns: lower-case words of which each match holds one
    # (:func:`_needed_words`); a pattern missing here has none
    needs: dict[re.Pattern[str], tuple[str, ...]] = field(default_factory=dict, compare=False)

    def __call__(self, paragraph: str) -> bool:
        if self.head is not None and self.head.match(paragraph):
            return True
        for pat, width in self.tail:
            # -1: "$" also matches before a final newline
            if pat.search(paragraph, max(0, len(paragraph) - width - 1)):
                return True
        for pat in self.anywhere:
            if pat.search(paragraph):
                return True
        return False

    def without(self, absent: Container[str]) -> Callable[[str], object]:
        """This test, less the tail and anywhere patterns whose needed words are all in
        ``absent`` (they cannot match); the head expression's ``match`` if only it is left.
        """
        def possible(pat: re.Pattern[str]) -> bool:
            words = self.needs.get(pat)
            return words is None or not all(w in absent for w in words)

        tail = tuple(t for t in self.tail if possible(t[0]))
        anywhere = tuple(p for p in self.anywhere if possible(p))
        if not tail and not anywhere:
            return self.head.match if self.head is not None else _never
        if len(tail) == len(self.tail) and len(anywhere) == len(self.anywhere):
            return self
        return _RoleMatcher(self.head, tail, anywhere)


def _never(paragraph: str) -> bool:
    return False


# the characters other than ASCII that re.IGNORECASE matches to an ASCII character (tested)
_FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"


def _needed_words(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case words (no whitespace, ASCII) of which every match of ``pattern`` holds one.

    From the parsed pattern: a run of ASCII literal characters that every match contains
    (directly in the pattern or in a group of it), or one literal prefix per alternative
    of such a group; each cut to its longest word, as a paragraph's whitespace may differ
    from the flattened text's. The choice whose shortest word is longest (at least 4
    characters); None when there is none.
    """
    try:
        tree = _sre_parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # no parser, or one that changed shape
        return None
    best: tuple[str, ...] | None = None
    for option in _required_literals(tree.data):
        words = tuple(max(lit.lower().split(), key=len, default="") for lit in option)
        if min(map(len, words)) >= 4 and (best is None
                                            or min(map(len, words)) > min(map(len, best))):
            best = words
    return best


def _required_literals(items: Sequence[tuple]) -> Iterator[tuple[str, ...]]:
    """Sets of literals of which a match of the sequence ``items`` holds one (see above)."""
    run: list[str] = []
    for op, av in items:
        if op == _sre.LITERAL and av < 128:
            run.append(chr(av))
            continue
        if run:
            yield ("".join(run),)
            run = []
        if op == _sre.SUBPATTERN:  # a group (not a repeat or lookaround): always matched
            yield from _required_literals(av[-1].data)
        elif op == _sre.BRANCH:
            prefixes = []
            for alternative in av[1]:
                prefix = []
                for op2, av2 in alternative.data:
                    if op2 != _sre.LITERAL or av2 >= 128:
                        break
                    prefix.append(chr(av2))
                prefixes.append("".join(prefix))
            if all(prefixes):
                yield tuple(prefixes)
    if run:
        yield ("".join(run),)


# a match of a tail pattern at most this wide is looked for in the paragraph's last characters
_MAX_TAIL_WIDTH = 1000


def _role_matcher(patterns: Sequence[re.Pattern[str]]) -> _RoleMatcher:
    """Group compiled patterns by anchoring (see :class:`_RoleMatcher`)."""
    head, tail, anywhere = [], [], []
    for p in patterns:
        try:
            tree = _sre_parser.parse(p.pattern, p.flags)
        except Exception:  # no parser, or one that changed shape: use the plain search
            anywhere.append(p)
            continue
        multiline = bool(p.flags & re.MULTILINE)
        first = tree.data[0] if len(tree.data) else None
        last = tree.data[-1] if len(tree.data) else None
        if first in ((_sre.AT, _sre.AT_BEGINNING_STRING),) or (
                first == (_sre.AT, _sre.AT_BEGINNING) and not multiline):
            if _BACKREF.search(p.pattern):  # joining renumbers groups: keep it whole
                anywhere.append(p)
            else:
                head.append(p)
            continue
        width = tree.getwidth()[1]
        if width <= _MAX_TAIL_WIDTH and (last == (_sre.AT, _sre.AT_END_STRING) or (
                last == (_sre.AT, _sre.AT_END) and not multiline)):
            tail.append((p, width))
        else:
            anywhere.append(p)
    joined = None
    if head:
        try:
            joined = re.compile("|".join(f"(?:{p.pattern})" for p in head), re.IGNORECASE)
        except re.error:  # e.g. a global inline flag, only allowed at a pattern's start
            anywhere[:0] = head
    needs = {}
    for p in [t[0] for t in tail] + anywhere:
        words = _needed_words(p)
        if words is not None:
            needs[p] = words
    return _RoleMatcher(joined, tuple(tail), tuple(anywhere), needs)


@dataclass(frozen=True)
class BoilerplatePatterns:
    """Compiled patterns by role, plus the longest sign-up block to look for."""

    by_role: dict[str, tuple[re.Pattern[str], ...]]
    max_block: int
    # the same patterns grouped for speed, filled by load_patterns (else by_role is searched)
    matchers: dict[str, _RoleMatcher] = field(default_factory=dict, compare=False)
    # from matchers, for _article_tests: every word that a pattern needs, and each role's
    # test for an article that holds none of them (the usual case)
    needed: frozenset[str] = field(init=False, default=frozenset(), compare=False, repr=False)
    bare: dict[str, Callable[[str], object]] = field(init=False, default_factory=dict,
                                                     compare=False, repr=False)
    # when the bare tests of the roles of _SCREENED are start-anchored expressions alone:
    # those expressions joined in one, which fails on a paragraph that none of them matches
    screen: re.Pattern[str] | None = field(init=False, default=None, compare=False,
                                           repr=False)

    def __post_init__(self) -> None:
        needed = frozenset(w for m in self.matchers.values() for words in m.needs.values()
                           for w in words)
        object.__setattr__(self, "needed", needed)
        if self.matchers:
            object.__setattr__(self, "bare", _tests_without(self, needed))
            object.__setattr__(self, "screen", _screen(self))

    def matches(self, role: str, paragraph: str) -> bool:
        """True when any pattern of ``role`` is found in ``paragraph`` (``re.search``)."""
        return self.matcher(role)(paragraph)

    def matcher(self, role: str) -> Callable[[str], bool]:
        """``matches`` for one role, as a function of the paragraph (for loops)."""
        matcher = self.matchers.get(role)
        if matcher is not None:
            return matcher
        pats = self.by_role.get(role, ())
        return lambda paragraph: any(p.search(paragraph) for p in pats)


@lru_cache(maxsize=8)
def load_patterns(files: tuple[str, ...] = ()) -> BoilerplatePatterns:
    """Compile the shipped boilerplate patterns plus users' files (same YAML shape)."""
    entries = read_many([Path(f) for f in files], default="boilerplate.yaml", key="patterns",
                        required={"role": str, "pattern": str}, optional={"rationale": str})
    by_role: dict[str, list[re.Pattern[str]]] = {r: [] for r in _ROLES}
    for e in entries:
        if e["role"] not in by_role:
            raise LexiconError(
                f"{e.file}:{e.line}: pattern role {e['role']!r} is unknown. "
                f"Fix: use one of {', '.join(_ROLES)}."
            )
        try:
            by_role[e["role"]].append(re.compile(e["pattern"], re.IGNORECASE))
        except re.error as exc:
            raise LexiconError(
                f"{e.file}:{e.line}: pattern {e['pattern']!r} is not a valid regular "
                f"expression ({exc}). Fix: escape special characters such as ( ) [ ] . ?"
            ) from None
    max_block = 10
    try:
        top = yaml.safe_load(data_path("boilerplate.yaml").read_text(encoding="utf-8"))
        max_block = int(top.get("max_block", 10))
    except (OSError, yaml.YAMLError, TypeError, ValueError):
        pass
    return BoilerplatePatterns({r: tuple(p) for r, p in by_role.items()}, max_block,
                               {r: _role_matcher(p) for r, p in by_role.items()})


def _n_words(s: str) -> int:
    return len(_WORD.findall(s))


def _title_like(s: str, max_words: int) -> bool:
    """Short, no sentence-final period, mostly capitalised words: a headline or kicker."""
    if s.rstrip().endswith((".", ",", ";", ":")):  # (most body paragraphs: no word scan)
        return False
    words = _WORD.findall(s)
    if not words or len(words) > max_words:
        return False
    caps = sum(1 for w in words if w[0].isupper() or w[0].isdigit())
    return caps / len(words) >= 0.5


def _flat_paragraphs(paragraphs: Sequence[str], joined: str) -> Sequence[str]:
    """Each paragraph with its whitespace runs made one space, as patterns see it
    (``joined``: the paragraphs joined by spaces).

    A paragraph is unchanged when it is printable (then it holds no whitespace but the
    space), holds no double space and does not start or end with a space: usually every
    paragraph. What holds for the whole text (printable, no double space) is not tested
    again in each paragraph.
    """
    printable = joined.isprintable()
    doubles = "  " in joined
    if printable and not doubles and not joined.startswith(" ") and not joined.endswith(" "):
        return paragraphs
    return [p if ((printable or p.isprintable()) and not (doubles and "  " in p)
                  and not p.startswith(" ") and not p.endswith(" "))
            else " ".join(p.split()) for p in paragraphs]


def _article_tests(patterns: BoilerplatePatterns, text: str) -> dict[str, Callable[[str], object]]:
    """Each role's test for the paragraphs of one article (``text`` holds them all),
    without the patterns that cannot match in it (see :meth:`_RoleMatcher.without`)."""
    needed = patterns.needed
    absent = needed
    # a needed word is absent when the lower-cased text lacks it, unless the text holds a
    # character that re.IGNORECASE matches to an ASCII one without lower() giving it. Those
    # are the only characters beyond ASCII whose lower() holds ASCII (tested): the ASCII
    # words are looked for in the text's ASCII characters alone, lower-cased as bytes (much
    # faster than str.lower() on a text with any character beyond Latin-1)
    if needed:
        if any(c in text for c in _FOLDS_TO_ASCII):
            absent = frozenset()
        else:
            lower = text.encode("ascii", "replace").lower()  # "?" for the others
            absent = frozenset(w for w in needed if w.encode() not in lower)
    if absent == needed and patterns.bare:
        return patterns.bare
    return _tests_without(patterns, absent)


# the roles tested on every paragraph (photo credits only on the first six)
_SCREENED = ("signup_start", "boilerplate", "credit")


def _screen(patterns: BoilerplatePatterns) -> re.Pattern[str] | None:
    """The start-anchored expressions that are the whole bare tests of the roles of
    ``_SCREENED``, joined in one (see :class:`BoilerplatePatterns`); None when some bare
    test is more than such an expression."""
    heads = []
    for role in _SCREENED:
        test = patterns.bare.get(role)
        matcher = patterns.matchers.get(role)
        if test is _never:
            continue
        if matcher is None or matcher.head is None or test != matcher.head.match:
            return None
        heads.append(matcher.head)
    if not heads:
        return None
    try:  # each head is already the alternation of its role's patterns (no backreference)
        return re.compile("|".join(f"(?:{h.pattern})" for h in heads), re.IGNORECASE)
    except re.error:
        return None


def _tests_without(patterns: BoilerplatePatterns, absent: Container[str]
                   ) -> dict[str, Callable[[str], object]]:
    """Each role's test, without the patterns whose needed words are all in ``absent``."""
    tests = {}
    for role in _ROLES:
        m = patterns.matcher(role)
        tests[role] = m.without(absent) if isinstance(m, _RoleMatcher) else m
    return tests


def classify_paragraphs(
    paragraphs: Sequence[str], *, patterns: BoilerplatePatterns
) -> list[SegmentKind]:
    """The kind of each paragraph of one article, in order.

    Rules (general, for web-copied news):

    * boilerplate: a paragraph matching a boilerplate pattern, or inside a sign-up block;
    * credit: reporting credits and bylines anywhere, photo credits in the first six
      paragraphs (short lines such as ``Agency/Agency``);
    * kicker: a very short title-like first paragraph followed by a title-like one;
    * headline: the first (or second, after a kicker) paragraph when title-like;
    * standfirst: a one-paragraph summary right after the headline that is followed by a
      photo credit (the usual web layout); otherwise that paragraph is body;
    * body: everything else.
    """
    n = len(paragraphs)
    kinds: list[SegmentKind] = ["body"] * n
    joined = " ".join(paragraphs)
    tests = _article_tests(patterns, joined)
    signup_start, signup_end = tests["signup_start"], tests["signup_end"]
    boilerplate, credit = tests["boilerplate"], tests["credit"]
    photo_credit = tests["photo_credit"]
    flats = _flat_paragraphs(paragraphs, joined)
    # The paragraphs to test for the roles of _SCREENED: with the usual tests (one
    # start-anchored expression per role), those that one expression for these roles
    # matches; the others match none. A sign-up start is tested on the stripped paragraph,
    # the rest on the flat one (the same string for a flat paragraph).
    screen = patterns.screen.match if tests is patterns.bare and patterns.screen else None
    if screen is None:
        todo: Sequence[int] = range(n)
    else:
        todo = [i for i in range(n) if screen(flats[i]) or (
            flats[i] is not paragraphs[i] and screen(paragraphs[i].strip()))]
    # sign-up blocks first: they may contain lines that look like headlines
    after = 0  # the paragraph after the last sign-up block
    for i in todo:
        if i < after or not signup_start(paragraphs[i].strip()):
            continue
        end = None
        for j in range(i, min(n, i + patterns.max_block + 1)):
            if signup_end(paragraphs[j].strip()):
                end = j
        if end is None:
            # no closing line: only the start and the short title-like lines after it
            end = i
            while end + 1 < n and _title_like(paragraphs[end + 1], 12):
                end += 1
        for j in range(i, end + 1):
            kinds[j] = "boilerplate"
        after = end + 1
    for i in todo:
        if kinds[i] != "body":
            continue
        flat = flats[i]
        if boilerplate(flat):
            kinds[i] = "boilerplate"
        elif credit(flat):
            kinds[i] = "credit"
        elif i < 6 and photo_credit(flat) and _n_words(flat) <= 8:  # the cheaper test first
            kinds[i] = "credit"
    if screen is not None:  # the photo credits among the first six paragraphs left out
        for i in sorted(set(range(min(n, 6))).difference(todo)):
            if kinds[i] == "body" and photo_credit(flats[i]) and _n_words(flats[i]) <= 8:
                kinds[i] = "credit"
    # the head of the article: kicker, headline, standfirst
    first = next((i for i in range(n) if kinds[i] == "body"), None)
    if first is None or n < 2:
        return kinds
    head = first
    nxt = next((j for j in range(first + 1, n) if kinds[j] == "body"), None)
    if (nxt is not None and _title_like(paragraphs[first], 5) and _n_words(paragraphs[first]) <= 5
            and _title_like(paragraphs[nxt], 25)):
        kinds[first] = "kicker"
        head = nxt
    # a first paragraph may also be a headline that ends in one full stop ("A: B Did C."):
    # one sentence, nothing sentence-final before its last character, title-like without it
    para = paragraphs[head]
    if _title_like(para, 25) or (
        head == first and ". " not in para
        and not _SENTENCE_END.search(para.rstrip()[:-1] or "x")
        and _title_like(para.rstrip(".?!"), 25)
    ):
        kinds[head] = "headline"
        stand = head + 1
        if (stand + 1 < n and kinds[stand] == "body" and kinds[stand + 1] == "credit"
                and _n_words(paragraphs[stand]) <= 70):
            kinds[stand] = "standfirst"
    return kinds


def mark_segments(
    text: str,
    *,
    patterns: BoilerplatePatterns | None = None,
    paragraphs: Sequence[tuple[int, int]] | None = None,
) -> list[dict]:
    """Segments that tile ``text`` exactly: ``{"kind", "start", "end", "paragraph"}``.

    One segment per paragraph; the whitespace after a paragraph belongs to it (leading
    whitespace of the text belongs to the first segment). ``paragraph`` is the paragraph's
    index in :func:`analysis.segment.split_paragraphs` order. An empty or whitespace-only
    text is one ``boilerplate`` segment (there is nothing to analyse) — or none when empty.
    """
    patterns = patterns or load_patterns()
    spans = list(paragraphs) if paragraphs is not None else split_paragraphs(text)
    if not spans:
        return [{"kind": "boilerplate", "start": 0, "end": len(text), "paragraph": -1}] if text else []
    kinds = classify_paragraphs([text[s:e] for s, e in spans], patterns=patterns)
    # a segment runs from its paragraph's start (the text's, for the first) to the next's
    starts = [s for s, _e in spans]
    starts[0] = 0
    ends = starts[1:]
    ends.append(len(text))
    return [{"kind": kind, "start": start, "end": end, "paragraph": i}
            for i, kind, start, end in zip(range(len(kinds)), kinds, starts, ends, strict=True)]

"""Article structure and boilerplate: which part of the text is what.

A web-copied article is more than its body: kicker, headline, standfirst, photo credit,
reporting credit, and boilerplate such as newsletter sign-up blocks. :func:`mark_segments`
labels every paragraph (and the whitespace after it) so the segments tile the text exactly:
nothing is cut, boilerplate is only *marked* and excluded from analysis.

The patterns live in ``analysis/data/boilerplate.yaml``; users add their own file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
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
    return _RoleMatcher(joined, tuple(tail), tuple(anywhere))


@dataclass(frozen=True)
class BoilerplatePatterns:
    """Compiled patterns by role, plus the longest sign-up block to look for."""

    by_role: dict[str, tuple[re.Pattern[str], ...]]
    max_block: int
    # the same patterns grouped for speed, filled by load_patterns (else by_role is searched)
    matchers: dict[str, _RoleMatcher] = field(default_factory=dict, compare=False)

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
    words = _WORD.findall(s)
    if not words or len(words) > max_words or s.rstrip().endswith((".", ",", ";", ":")):
        return False
    caps = sum(1 for w in words if w[0].isupper() or w[0].isdigit())
    return caps / len(words) >= 0.5


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
    signup_start, signup_end = patterns.matcher("signup_start"), patterns.matcher("signup_end")
    # sign-up blocks first: they may contain lines that look like headlines
    i = 0
    while i < n:
        if signup_start(paragraphs[i].strip()):
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
            i = end + 1
            continue
        i += 1
    boilerplate, credit = patterns.matcher("boilerplate"), patterns.matcher("credit")
    photo_credit = patterns.matcher("photo_credit")
    for i, para in enumerate(paragraphs):
        if kinds[i] != "body":
            continue
        flat = " ".join(para.split())
        if boilerplate(flat):
            kinds[i] = "boilerplate"
        elif credit(flat):
            kinds[i] = "credit"
        elif i < 6 and photo_credit(flat) and _n_words(flat) <= 8:  # the cheaper test first
            kinds[i] = "credit"
    # the head of the article: kicker, headline, standfirst
    first = next((i for i in range(n) if kinds[i] == "body"), None)
    if first is None or n < 2:
        return kinds
    head = first
    nxt = next((j for j in range(first + 1, n) if kinds[j] == "body"), None)
    if (nxt is not None and _n_words(paragraphs[first]) <= 5 and _title_like(paragraphs[first], 5)
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
    segments = []
    for i, ((start, _end), kind) in enumerate(zip(spans, kinds, strict=True)):
        seg_start = 0 if i == 0 else start
        seg_end = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        segments.append({"kind": kind, "start": seg_start, "end": seg_end, "paragraph": i})
    return segments

"""Quotation extraction and speaker attribution ("who says what").

Finds direct quotations (curly, straight and two-character ``…'' marks; nested single
quotes kept inside), quotations interrupted by their cue, multi-paragraph quotations,
interview transcript turns (``NAME: ...``), mixed quotations (paraphrase with quoted
fragments), reported speech (``X said (that) ...``, ``..., X said.``, ``according to X``)
and scare quotes (short quoted phrases without a speech cue).

Span convention: a direct quotation's ``start``/``end`` INCLUDE its quotation marks
(``text[start:end] == '“We face a threat,”'``); an unclosed quotation ends at its paragraph
end. One record is one attribution: a quotation interrupted by its cue or running over
paragraphs lists its quoted stretches in ``parts``, and its ``start``/``end`` run from the
first part to the last. Mixed and indirect records span the reported content (without a leading "that" and
without the final full stop). Scare records span the quoted phrase with its marks.

The rules use word lists only from ``analysis/data/speech_cues.yaml`` and
``analysis/data/speaker_roles.yaml``; see :mod:`analysis.speakers` for speaker mentions.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.lexicons import read_many, trie_regex
from analysis.speakers import WORD_RE, RoleLexicon, SpeakerResolver, load_roles

if TYPE_CHECKING:  # pandas is only needed by the convenience function
    import pandas as pd

__all__ = [
    "CueLexicon",
    "load_cues",
    "find_quotes",
    "assign_voices",
    "voice_lookup",
    "speaker_profiles",
    "extract_quotes",
    "CONTENT_KINDS",
]

CONTENT_KINDS = frozenset({"kicker", "headline", "standfirst", "body"})
FRAMES = ("clause", "object", "np", "prep")

# every alternative opens with a literal, so the regex engine skips to candidate characters
# (a character class among them makes it try every position: ~3x slower)
_MARK_RE = re.compile(r"\"|“|”|„|``|''")
# the marks of _MARK_RE in normalised text (see _normalise_marks: no two-character marks left)
_MARK_CHAR_RE = re.compile(r"[\"“”„]")
_OPENERS = frozenset({"“", "``", "„"})
_CLOSERS = frozenset({"”"})
_AFTER_CLOSE = frozenset(".,;:!?)]}—–-’'”")
# the look-behind after the literal ‘ (not before it) lets the engine skip to each ‘
_SINGLE_RE = re.compile(r"‘(?<![\w’']‘)([^‘’\n]{1,200}?)’(?![\w’])")
_TRANSCRIPT_RE = re.compile(r"[\"“]?\s*([A-Z][A-Z.’'\- ]{1,40}[A-Z.]):\s")
_PASSIVE = frozenset({"be", "been", "being", "is", "was", "were", "are", "not"})
_PASSIVE_BE = _PASSIVE - {"not"}
_REDUCED = frozenset({"when", "whenever", "if", "once", "unless", "until"})
_SUBJECT_STOP = frozenset({"that", "which", "whom", "whether", "to", "than", "because", "said",
                           "says", "if"})
_NP_STOP = _SUBJECT_STOP | _PASSIVE
_BAD_SUBJECT_END = frozenset({"to", "of", "the", "a", "an", "and", "or", "for", "with", "by",
                              "in", "on", "at", "not", "it", "there", "this", "what"})
_PREPS = frozenset({"in", "on", "at", "during", "via", "through", "over", "by", "with", "from",
                    "after", "before", "last", "earlier", "late"})
_OBJECT_PRONOUNS = frozenset({"him", "her", "them", "me", "us", "you", "reporters",
                              "journalists", "supporters", "voters", "listeners", "viewers",
                              "it", "everyone", "people", "congress", "lawmakers"})
_WORDS_RE = re.compile(r"\w+")


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class CueLexicon:
    """Compiled speech cues.

    Attributes
    ----------
    pattern : re.Pattern
        Matches any cue form (case-insensitive, whole words, multi-word cues allowed).
    frames : dict
        Lower-cased form (single spaces) -> frame (clause | object | np | prep).
    lemmas : dict
        Lower-cased form -> lemma.
    needs_quote : frozenset
        Lemmas whose content must hold a quotation ('called').
    no_indirect : frozenset
        Lower-cased forms that never make an indirect (unquoted) record.
    first_words : frozenset
        First words of all forms when every form is plain ASCII letters and spaces (they
        show where ``pattern`` can match); empty otherwise.
    """

    pattern: re.Pattern[str]
    frames: dict[str, str]
    lemmas: dict[str, str]
    needs_quote: frozenset[str] = frozenset()
    no_indirect: frozenset[str] = frozenset()
    first_words: frozenset[str] = frozenset()
    # ``info`` of the usual spellings of every form (lower case, Capitalised, UPPER, Title)
    # read up at once (built when the lexicon is: a fixed table, not a cache)
    _surfaces: dict[str, tuple[str, str]] = field(init=False, default_factory=dict,
                                                  compare=False, repr=False)

    def __post_init__(self) -> None:
        for key in self.frames:
            for surface in (key, key.capitalize(), key.upper(), key.title()):
                self._surfaces[surface] = self._info(surface)

    def reports(self, surface: str) -> bool:
        """Whether this cue form introduces reported speech without quotation marks
        (``indirect: false`` / ``indirect_forms`` in the cue file)."""
        return " ".join(surface.lower().split()) not in self.no_indirect

    def info(self, surface: str) -> tuple[str, str]:
        """(lemma, frame) of a matched cue surface."""
        found = self._surfaces.get(surface)
        return found if found is not None else self._info(surface)

    def _info(self, surface: str) -> tuple[str, str]:
        key = surface.lower()
        if not key.isalpha():  # one word of letters needs no whitespace normalising
            key = " ".join(key.split())
        return self.lemmas.get(key, key), self.frames.get(key, "clause")


def _inflect(lemma: str) -> list[str]:
    """Regular forms of a verb lemma: say -> says, sayed, saying (irregulars list forms)."""
    head, _, tail = lemma.partition(" ")
    tail = f" {tail}" if tail else ""
    if head.endswith("e"):
        forms = [head, head + "s", head + "d", head[:-1] + "ing"]
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        forms = [head, head[:-1] + "ies", head[:-1] + "ied", head + "ing"]
    elif head.endswith(("s", "sh", "ch", "x", "z")):
        forms = [head, head + "es", head + "ed", head + "ing"]
    else:
        forms = [head, head + "s", head + "ed", head + "ing"]
    return [f + tail for f in forms]


@lru_cache(maxsize=8)
def _load_cues(paths: tuple[str, ...], replace: bool) -> CueLexicon:
    entries = read_many(paths, default="speech_cues.yaml", key="cues",
                        required={"lemma": str}, replace=replace,
                        optional={"forms": list, "frame": str, "needs_quote": bool,
                                  "indirect": bool, "indirect_forms": list})
    frames: dict[str, str] = {}
    lemmas: dict[str, str] = {}
    needs: set[str] = set()
    no_indirect: set[str] = set()
    for e in entries:
        frame = e.get("frame") or "clause"
        if frame not in FRAMES:
            raise ValueError(f"{e.file}:{e.line}: cue {e['lemma']!r}: unknown frame {frame!r}. "
                             f"Fix: use one of {', '.join(FRAMES)}.")
        if e.get("needs_quote"):
            needs.add(e["lemma"].lower())
        reporting = e.get("indirect", True)
        only = {" ".join(f.lower().split()) for f in e.get("indirect_forms") or ()}
        for form in e.get("forms") or _inflect(e["lemma"].lower()):
            key = " ".join(form.lower().split())
            frames.setdefault(key, frame)
            lemmas.setdefault(key, e["lemma"].lower())
            if not reporting or (only and key not in only):
                no_indirect.add(key)
    body = trie_regex(list(frames))
    # not part of a hyphenated word ("so-called") and whole words only
    pattern = re.compile(rf"(?<![\w\-])(?:{body})(?![\w\-])", re.IGNORECASE)
    plain = all(_PLAIN_FORM.fullmatch(k) for k in frames)
    first = frozenset(k.split()[0] for k in frames) if plain else frozenset()
    return CueLexicon(pattern=pattern, frames=frames, lemmas=lemmas,
                      needs_quote=frozenset(needs), no_indirect=frozenset(no_indirect),
                      first_words=first)


_PLAIN_FORM = re.compile(r"[a-z]+(?: [a-z]+)*")
_START, _END, _SENT_ID = (operator.itemgetter(k) for k in ("start", "end", "sent_id"))
# bytes.translate table: ASCII letters lower-cased, every other byte a space
_LETTERS_ONLY = bytes(c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 else 32
                      for c in range(256))
# non-ASCII characters that match an ASCII letter case-insensitively ('K' Kelvin sign,
# 'ſ', 'İ', 'ı'): with one in the text, the letters of _cue_spots may miss a cue
_CASE_TRAPS = ("\u0130", "\u0131", "\u017f", "\u212a")


@lru_cache(maxsize=8)
def _first_word_re(words: frozenset[str]) -> re.Pattern[bytes]:
    """Whole runs of ``words`` in space-padded ``_LETTERS_ONLY`` bytes: a space, a word (a
    character trie, so one C scan finds them all) and a space (looked at, not taken)."""
    return re.compile((" (?:" + trie_regex(sorted(words)) + ")(?= )").encode("ascii"))


@dataclass(frozen=True)
class _CueSpots:
    """Where cue matches can start in one text (see :func:`_cue_matches`)."""

    letters: bytes  # one byte a character: ASCII letters lower-cased, all else a space
    starts: list[int]  # sorted offsets of the cues' first words in ``letters``


def _cue_spots(text: str, cues: CueLexicon, *, encoded: bytes | None = None
               ) -> _CueSpots | None:
    """The offsets of one text where a cue can start, or None (then scan with the regex;
    ``encoded``: ``text.encode("ascii", "replace")`` when already made)."""
    if not cues.first_words or any(c in text for c in _CASE_TRAPS):
        return None
    # encode("ascii", "replace") keeps one byte per character, so offsets are the text's
    if encoded is None:
        encoded = text.encode("ascii", "replace")
    letters = encoded.translate(_LETTERS_ONLY)
    # a match's first word stands as a whole run of letters; padded by one space, the
    # match at padded offset i (the space before the word) is the word at text offset i
    found = [m.start() for m in _first_word_re(cues.first_words).finditer(b" " + letters + b" ")]
    return _CueSpots(letters, found)


def _cue_matches(text: str, spots: _CueSpots | None, a: int, b: int,
                 cues: CueLexicon) -> Iterable[re.Match[str]]:
    """The matches of ``cues.pattern.finditer(text, a, b)``, found faster.

    A match starts with a cue's first word standing as a whole run of letters (its
    neighbours are no word characters), so it can only start at one of ``spots.starts``:
    trying ``pattern.match`` there, left to right and past each match, gives exactly the
    matches of ``finditer``, whose attempt at every position is the slow part of the stage.
    When a run of letters crosses ``b`` the cut word may be a cue that is no run of the
    whole text: then the regex scans.
    """
    if spots is None or (a < b < len(spots.letters) and spots.letters[b] != 32
                         and spots.letters[b - 1] != 32):
        return cues.pattern.finditer(text, a, b)
    starts = spots.starts
    k = bisect.bisect_left(starts, a)
    out: list[re.Match[str]] = []
    pos = a
    match = cues.pattern.match
    while k < len(starts) and starts[k] < b:
        i = starts[k]
        k += 1
        if i >= pos:
            m = match(text, i, b)
            if m is not None:
                out.append(m)
                pos = m.end()
    return out


def _cue_can_start(spots: _CueSpots, a: int, b: int) -> bool:
    """Whether :func:`_cue_matches` over ``[a, b)`` can yield anything: a cue's first word
    starts there, or a run of letters crosses ``b`` (then the regex scans)."""
    letters = spots.letters
    if a < b < len(letters) and letters[b] != 32 and letters[b - 1] != 32:
        return True
    starts = spots.starts
    k = bisect.bisect_left(starts, a)
    return k < len(starts) and starts[k] < b


def _in_text_order(sentences: list[dict[str, Any]], sent_by_id: Mapping[int, dict[str, Any]],
                   para_kind: Mapping[int, str], others: list[tuple[int, int, str, int]],
                   on_sentence: Callable[[dict[str, Any]], Any],
                   on_other: Callable[[str, int], Any], *, merge: bool) -> None:
    """Visit the sentences of the searched paragraphs (``on_sentence(sentence)``) and the
    events and turns (``others``: ``(offset, 1, "event" | "turn", index)``, as
    ``on_other(what, index)``) in text order, a sentence before an event or turn at its
    start offset.

    ``merge``: the sentences are in order with distinct starts and ids, so the few others
    are merged into them (the same order as sorting one entry per sentence, cheaper)."""
    if not merge:
        order = list(others)
        for sent in sentences:
            if sent["paragraph"] in para_kind:
                order.append((sent["start"], 0, "sent", sent["sent_id"]))
        for _pos, _, what, idx in sorted(order):
            if what == "sent":
                on_sentence(sent_by_id[idx])
            else:
                on_other(what, idx)
        return
    rest = sorted(others)
    oi, n_rest = 0, len(rest)
    next_pos = rest[0][0] if rest else None  # (most sentences come before the next other)
    for sent in sentences:
        if sent["paragraph"] not in para_kind:
            continue
        if next_pos is not None and next_pos < sent["start"]:
            pos = sent["start"]
            while oi < n_rest and rest[oi][0] < pos:
                on_other(rest[oi][2], rest[oi][3])
                oi += 1
            next_pos = rest[oi][0] if oi < n_rest else None
        on_sentence(sent)
    for _pos, _, what, idx in rest[oi:]:
        on_other(what, idx)


def _cue_sentences(sentences: list[dict[str, Any]], sent_starts: list[int],
                   spots: _CueSpots | None, *, ordered: bool) -> list[dict[str, Any]]:
    """The sentences, in order, where :func:`_cue_matches` can find a cue: those for which
    :func:`_cue_can_start` (all when ``spots`` is None). Sentences in order without overlap
    (``ordered``: starts increasing) are found from the cue starts, a few per text, instead
    of one test per sentence."""
    if spots is None:
        return sentences
    ends = list(map(_END, sentences))
    if not (ordered and all(map(operator.le, ends, sent_starts[1:]))):
        return [s for s, a, b in zip(sentences, sent_starts, ends, strict=True)
                if _cue_can_start(spots, a, b)]
    letters = spots.letters
    n = len(letters)
    # a run of letters crossing a sentence end (the regex scans there; rare)
    # (``a < b < n`` tested last: most ends follow a non-letter)
    hit = {k for k, b in enumerate(ends)
           if b < n and letters[b - 1] != 32 and letters[b] != 32 and sent_starts[k] < b}
    for p in spots.starts:
        k = bisect.bisect_right(sent_starts, p) - 1
        if k >= 0 and p < ends[k]:
            hit.add(k)  # the only sentence that can hold p
    return [sentences[k] for k in sorted(hit)]


def load_cues(paths: Iterable[str | Path] | None = None, *, replace: bool = False) -> CueLexicon:
    """The packaged speech cues, extended (or with ``replace=True`` replaced) by user files.

    Parameters
    ----------
    paths : iterable of path, optional
        Extra YAML files in the shape of ``speech_cues.yaml``.
    replace : bool
        Use only the user's files.

    Returns
    -------
    CueLexicon
    """
    return _load_cues(tuple(str(p) for p in paths or ()), replace)


# --------------------------------------------------------------------------- scanning


@dataclass(slots=True)
class _Span:
    """One stretch of quoted material (marks included)."""

    start: int
    end: int
    para: int
    closed: bool = True
    cont_next: bool = False  # quotation goes on in the next paragraph
    group: int = -1  # fragments of one multi-paragraph quotation share a group
    event: int | None = None  # index of the attribution event it belongs to
    absorbed: bool = False  # part of a mixed record
    kind: str = "direct"
    speaker_event: int | None = None


@dataclass(slots=True)
class _Event:
    """A speech cue with its speaker mention and content."""

    cue_start: int
    cue_end: int
    cue: str
    frame: str
    para: int
    sent_id: int
    spk: tuple[int, int] | None
    content: tuple[int, int] | None
    trailing: bool = False  # cue after its content ("..., he said.")
    speaker: str | None = None
    role: str | None = None
    affiliation: str | None = None
    quotes: list[int] = field(default_factory=list)
    same_as: _Event | None = None  # 'X, who said ...': speaker of an earlier event


_NP_BREAK = re.compile(r"[,;:()“”\"‘’'—–]|[.!?]\s")
_CLAUSE_PUNCT = re.compile(r"[,;:“”\"]")
_QMARK = re.compile(r"[“”\"]")
_OPEN_MARK = re.compile(r"[“\"]|``")
_SENT_PUNCT = re.compile(r"[.!?]")


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _closes_here(text: str, a: int, b: int, end: int) -> bool:
    """Whether a straight mark at ``text[a:b]`` sits in a closing position: right after a
    word or punctuation and before a space, punctuation or the paragraph end."""
    prev = text[a - 1] if a > 0 else " "
    if prev.isspace() or prev in "([{—–":
        return False
    nxt = text[b] if b < end else " "
    return nxt.isspace() or nxt in _AFTER_CLOSE


def _opens_here(text: str, a: int, b: int, start: int, end: int) -> bool:
    """Whether a mark sits in an opening position: after a space (or the paragraph start)
    and before a word character."""
    prev = text[a - 1] if a > start else " "
    if not (prev.isspace() or prev in "([{—–"):
        return False
    return b < end and not text[b].isspace()


def _scan_paragraph(text: str, start: int, end: int, para: int, *, next_opens: bool,
                    warnings: list[str], words: _Words) -> list[_Span]:
    """Direct-quotation spans of one paragraph (one linear pass over the marks).

    Mixed marks are paired by position: inside a curly-opened quotation a straight ``"``
    after a word/punctuation and before a space/punctuation closes it (one before a word
    opens a nested straight quotation); inside a straight-opened quotation ``”`` closes it
    unless a nested ``“`` is open."""
    spans: list[_Span] = []
    open_at: int | None = None
    open_mark = ""
    nested = 0  # quotations of the other mark kind opened inside the current one
    for m in _MARK_RE.finditer(text, start, end):
        mk = m.group()
        if mk == "''":
            mk = '"'  # some outlets use two apostrophes for both marks (''A,'' he said)
        if open_at is None:
            if mk == "”" and (m.start() == start or text[m.start() - 1].isspace()) and (
                    m.end() < end and not text[m.end()].isspace()):
                mk = "“"  # a closing mark used as an opening one
            if mk in _CLOSERS:
                if m.start() - start > 0 and not spans and len(warnings) < _MAX_WARNINGS:
                    warnings.append(f"unmatched closing quotation mark at {m.start()}")
                continue
            # ``A'' pairs like straight marks
            open_at, open_mark, nested = m.start(), ('"' if mk == "``" else mk), 0
            continue
        if open_mark == '"':
            if mk == '"':
                spans.append(_Span(open_at, m.end(), para))
                open_at = None
            elif mk == "“" or (mk == "”" and _opens_here(text, m.start(), m.end(), start, end)):
                nested += 1  # curly marks nested inside a straight-quoted passage
            elif mk == "”":
                if nested:
                    nested -= 1
                else:
                    spans.append(_Span(open_at, m.end(), para))
                    open_at = None
            continue
        if mk == '"':
            if _closes_here(text, m.start(), m.end(), end):
                if nested:
                    nested -= 1
                else:
                    spans.append(_Span(open_at, m.end(), para))
                    open_at = None
            elif _opens_here(text, m.start(), m.end(), start, end):
                nested += 1  # a straight quotation nested inside a curly one
            continue
        if mk in _CLOSERS:
            spans.append(_Span(open_at, m.end(), para))
            open_at = None
            continue
        # a new opener while one is open: the earlier quotation lacks its closing mark
        a, b = _trim(text, open_at, m.start())
        if len(warnings) < _MAX_WARNINGS:
            warnings.append(f"unclosed quotation at {open_at} (closed at next opening mark)")
        spans.append(_Span(a, b, para, closed=False))
        open_at, open_mark, nested = m.start(), mk, 0
    if open_at is not None:
        a, b = _trim(text, open_at, end)
        if not next_opens:
            warnings.append(f"unclosed quotation at {open_at} (closed at paragraph end)")
        spans.append(_Span(a, b, para, closed=False, cont_next=next_opens))
    # only marks, no words: not a quotation
    marks = words.marks  # (``words.any(s.start, s.end)``, written out: one test a span)
    return [s for s in spans if marks.find(b"a", s.start, s.end) >= 0]


def _inside(spans_start: list[int], spans: list[_Span], pos: int) -> int | None:
    """Index of the span containing ``pos`` (spans sorted, non-overlapping)."""
    i = bisect.bisect_right(spans_start, pos) - 1
    if i >= 0 and spans[i].start <= pos < spans[i].end:
        return i
    return None


# --------------------------------------------------------------------------- cue events


def _tokens(text: str, a: int, b: int) -> list[re.Match[str]]:
    return list(WORD_RE.finditer(text, a, b))


def _strip_adjuncts_back(text: str, toks: list[re.Match[str]], i: int,
                         lex: RoleLexicon) -> tuple[int, bool]:
    """Skip adverbials between a subject and its cue ('on Monday', 'in an interview').

    Returns the index of the token before them and whether more tokens before ``toks[0]``
    could not have changed it (the skip never needed a token before the first one)."""
    sure = True
    while i >= 0:
        w = toks[i].group().lower().rstrip(".")
        kinds = lex.index.get(w, _NO_KINDS)  # ``lex.kinds(w)`` (w has no trailing dot)
        if not kinds and not w.endswith("ly"):
            break  # no adverbial (the last word before most cues)
        if "setting" not in kinds and "adjunct" in kinds and i == 0:
            sure = False  # (a token before would be read for a preposition)
        if "setting" in kinds or ("adjunct" in kinds and i > 0
                                  and toks[i - 1].group().lower() in _PREPS):
            j = next((k for k in range(i - 1, max(-1, i - 6), -1)
                      if toks[k].group().lower() in _PREPS), None)
            if j is None and i < 5:
                sure = False  # (the search for a preposition ran into the first token)
            if j is not None and not _CLAUSE_PUNCT.search(text, toks[j].end(), toks[i].start()):
                i = j - 1
                continue
        if ("adjunct" in kinds and w not in ("this", "that")) or (
                w.endswith("ly") and toks[i].group()[:1].islower() and len(w) > 4
                and not lex.has("role", w)):
            i -= 1
            continue
        break
    return i, sure and i >= 0


def _gap(text: str, toks: list[re.Match[str]], k: int, limit: int) -> str:
    """Text between token k and token k+1 (or ``limit``)."""
    return text[toks[k].end():toks[k + 1].start() if k + 1 < len(toks) else limit]


def _walk_np(text: str, toks: list[re.Match[str]], i: int, lex: RoleLexicon,
             max_len: int = 20, appositive: bool = False) -> int:
    """Index of the first token of the noun phrase ending at token ``i``."""
    return _drop_leading(toks, _walk_back(text, toks, i, lex, max_len, appositive), i, lex)


def _walk_back(text: str, toks: list[re.Match[str]], i: int, lex: RoleLexicon,
               max_len: int, appositive: bool) -> int:
    """Where the walk back from token ``i`` over the noun phrase stops (see _walk_np)."""
    k = i
    boundary = lex.by_kind.get("boundary", _NO_KINDS)
    while k > 0 and i - k < max_len:
        before = toks[k - 1]
        # the gap between token k-1 and token k (k <= i < len(toks)); one space (most gaps)
        # is no break
        e, s = before.end(), toks[k].start()
        if (s - e != 1 or text[e] != " ") and _NP_BREAK.search(text, e, s):
            break
        prev = before.group()
        pl = prev.lower()
        if (pl in boundary or (pl[-1:] == "." and pl.rstrip(".") in boundary)) and (
                not prev[:1].isupper() and not (appositive and pl in ("and", "or"))):
            break  # (``lex.has("boundary", pl)``)
        if not appositive and pl in _NP_STOP:
            break
        k -= 1
    return k


def _drop_leading(toks: list[re.Match[str]], k: int, i: int, lex: RoleLexicon) -> int:
    """Skip leading boundary words / adverbials of ``toks[k:i]`` ("While last week a
    spokesman ...")."""
    while k < i:
        kinds = lex.kinds(toks[k].group())
        if not ("boundary" in kinds or (
                "adjunct" in kinds and toks[k].group().lower() not in ("this", "that"))):
            break
        k += 1
    return k


def _subject_before(text: str, lo: int, cs: int, lex: RoleLexicon
                    ) -> tuple[tuple[int, int] | None, int]:
    """Speaker mention before a cue, and where the material before it ends.

    Returns ``(span or None, left_end)``; ``left_end`` is the end of any content that
    precedes the subject ("CONTENT, he said").
    """
    cut = cs
    if text.find(")", max(lo, cs - 40), cs) >= 0:  # (the regex needs one)
        paren = _PAREN_END.search(text, max(lo, cs - 40), cs)
        if paren:
            cut = paren.start()
    near = text[max(lo, cut - 3):cut]
    if cut - lo > _SUBJECT_CHARS and not ("," in near and '"' not in near and "”" not in near):
        # the subject is read backwards from the cue: tokenise from a space not far before
        # it first (the tokens after a space are those of the whole window; a comma right
        # before the cue, 'X, a spokesman, said' / 'A, said X', needs them all)
        sp = text.find(" ", cut - _SUBJECT_CHARS, cut)
        if sp > lo:
            tail = _tokens(text, sp, cut)
            decided, found = _subject_of(text, tail, lo, cs, lex, whole=False)
            if decided:
                return found
            # (no token holds the space: the window's tokens are those before it and after)
            return _subject_of(text, _tokens(text, lo, sp) + tail, lo, cs, lex, whole=True)[1]
    return _subject_of(text, _tokens(text, lo, cut), lo, cs, lex, whole=True)[1]


_SUBJECT_CHARS = 48


def _subject_of(text: str, toks: list[re.Match[str]], lo: int, cs: int, lex: RoleLexicon, *,
                whole: bool) -> tuple[bool, tuple[tuple[int, int] | None, int]]:
    """:func:`_subject_before` on the tokens of its window (``whole``) or on their last ones
    only: then ``(False, ...)`` when the answer could depend on earlier tokens (adverbials
    or the NP reach back near the first token read, or an appositive comma), else
    ``(True, answer)``."""
    if not toks:
        return whole, (None, cs)
    last = toks[-1]
    w = last.group().lower()
    stem = w.rstrip(".") if w[-1] == "." else w
    by_kind = lex.by_kind
    if stem.endswith("ly") or stem in by_kind.get("adjunct", _NO_KINDS) or (
            stem in by_kind.get("setting", _NO_KINDS)):
        i, sure = _strip_adjuncts_back(text, toks, len(toks) - 1, lex)
        if not whole and not sure:
            return False, (None, cs)  # (the adverbial skip reached the first token read)
        if i < 0:
            return True, (None, cs)
        last = toks[i]
        w = last.group().lower()
    else:
        # no adverbial before the cue (most cues): _strip_adjuncts_back would read this
        # token only and keep it
        i = len(toks) - 1
    if w in _PASSIVE:
        return True, (None, cs)
    tail = text[last.end():toks[i + 1].start() if i + 1 < len(toks) else cs]  # (``_gap``)
    if _QMARK.search(text, last.end(), cs):
        return True, (None, last.end())  # '“A,” said X': the subject follows the cue
    if "," in tail and not whole:
        return False, (None, cs)  # (an appositive may open the sentence)
    if "," in tail:
        # "NAME, ROLE of ORG, said": an appositive; else 'CONTENT, said X'
        k = _walk_np(text, toks, i, lex, max_len=24, appositive=True)
        if k > 0 and "," in _gap(text, toks, k - 1, cs):
            h = _walk_np(text, toks, k - 1, lex, max_len=6)
            head = toks[h:k]
            appos = [t.group() for t in toks[k:i + 1]]
            after_quote = h < k and bool(re.search(r"[”\"]\s*,?\s*$", text[lo:toks[h].start()]))
            if after_quote and (toks[h].group()[:1].isupper() or lex.has("pronoun", toks[h].group())):
                # '“A,” NAME, ANYTHING, said': the phrase right after the quotation
                return True, ((toks[h].start(), toks[k - 1].end()), toks[h].start())
            if (any(t.group()[:1].isupper() for t in head)
                    and any(lex.has("role", w.rstrip("’s'")) or lex.has("anon", w)
                            for w in appos)):
                return True, ((toks[h].start(), toks[i].end()), toks[h].start())
        f = _initial_appositive(text, toks, i, lo, cs, lex)
        if f >= 0:
            # 'Jane Doe, 27, a voter from Ohio, said ...': the sentence opens with the name
            return True, ((toks[f].start(), toks[i].end()), toks[f].start())
        return True, (None, toks[i].end())
    w = toks[i].group()
    if w.lower() in _BAD_SUBJECT_END and not lex.has("pronoun", w):
        return True, (None, cs)
    k = _walk_back(text, toks, i, lex, 20, False)  # (``_walk_np``, in two steps)
    if not whole and k == 0:
        return False, (None, cs)  # the NP may go on before the first token read
    k = _drop_leading(toks, k, i, lex)
    if toks[k].group().lower() in ("who",) and k < i:
        k += 1
    return True, ((toks[k].start(), toks[i].end()), toks[k].start())


# ', adding' / ', and' / ' but': a comma, or the first whitespace of a run (never one inside
# a run: linear on runs), then the joint; one leading class lets the engine skip to
# candidates (the alternatives of ',\s+(?=[a-z]+ing\b)|,?(?<!\s)\s+(and|but)\s+' made it
# try every position)
_CLAUSE_JOIN = re.compile(r"[,\s](?:(?<=,)\s+(?=[a-z]+ing\b)"
                          r"|(?:(?<=,)\s+|(?<=\s)(?<!\s\s)\s*)(and|but)\s+)")


def _cut_participle(text: str, a: int, b: int, cues: CueLexicon, lex: RoleLexicon) -> int:
    """End of reported content before a clause of its own: a participial speech clause
    ('X said CONTENT, adding/insisting ...'), a second cue ('... and said, “A”') or a
    fronted subordinate clause after ', and' ('..., and when asked ...')."""
    for m in _CLAUSE_JOIN.finditer(text, a, b):
        c = cues.pattern.match(text, m.end(), b)
        if m.group(1) is None:  # ', adding ...'
            if c and c.group().lower().endswith("ing"):
                return _trim(text, a, m.start())[1]
            continue
        nxt = WORD_RE.match(text, m.end(), b)
        if c or (m.group().startswith(",") and nxt and lex.has("boundary", nxt.group())):
            # '... and said, “A”' / '..., and when asked ...': a new clause
            return _trim(text, a, m.start())[1]
    return b


def _initial_appositive(text: str, toks: list[re.Match[str]], i: int, lo: int, cs: int,
                        lex: RoleLexicon) -> int:
    """Whether the material before a cue is '(But) NAME, APPOSITIVE(, APPOSITIVE), '
    opening the sentence: a short capitalised name (or titled/role phrase) before the first
    comma. Returns the index of the name's first token, or -1."""
    if i > 40 or text[lo:toks[0].start()].strip() or _QMARK.search(text, lo, cs):
        return -1
    f = 0
    while f < i and lex.has("boundary", toks[f].group()) and toks[f].group()[:1].isupper() and (
            not _gap(text, toks, f, cs).strip()):
        f += 1
    c = next((k for k in range(f, min(i, f + 6)) if "," in _gap(text, toks, k, cs)), None)
    if c is None or c == i:
        return -1
    seg = [t.group() for t in toks[f:c + 1]]
    first = seg[0]
    if not first[:1].isupper() or any(lex.has(kind, first) for kind in (
            "boundary", "adjunct", "pronoun", "setting")) or first.lower() in _PREPS:
        return -1
    named = False
    for w in seg:
        base = _POSSESSIVE_ANY.sub("", w)
        if lex.has("role", base) or lex.has("title", w) or lex.has("anon", base):
            named = True
            continue
        if w[:1].isupper():
            named = named or not lex.has("institution", base)
            continue
        if w.lower() not in ("of", "the", "al", "de", "van", "von", "bin"):
            return -1
    return f if named else -1



_COMMA_SEG = re.compile(r",\s*")


def _subject_before_commas(text: str, lo: int, cs: int, lex: RoleLexicon
                           ) -> tuple[int, int] | None:
    """Speaker of a cue that follows a comma ('NAME (R-OH), said, “A”' / 'NAME, asked about
    it, said, “A”'): the name closing the nearest earlier comma-separated segment that is
    not a participial or relative clause."""
    cuts = [m.start() for m in _COMMA_SEG.finditer(text, lo, cs)]
    for c in reversed(cuts[-4:]):
        seg_start = max([lo] + [x + 1 for x in cuts if x < c])
        first = WORD_RE.search(text, seg_start, c)
        if first is None:
            continue
        w = first.group()
        if w[:1].islower() and (w.endswith(("ed", "ing")) or w in ("who", "which", "whose")):
            continue  # ', asked about X,' / ', who ...,'
        spk, _ = _subject_before(text, seg_start, c, lex)
        if spk is None or not _plausible_subject(text, spk, lex):
            return None
        words = WORD_RE.findall(text, spk[0], spk[1])
        if not (words[-1][:1].isupper() or lex.has("pronoun", words[-1])
                or lex.has("role", words[-1])):
            return None
        return spk
    return None


def _subject_after(text: str, ce: int, send: int, lex: RoleLexicon) -> tuple[int, int] | None:
    """Speaker mention right after a cue ('..., said Mr. X of Y.')."""
    m = _PHRASE_RE.match(text, ce, send)
    if not m:
        return None
    a, b = _trim(text, m.start(), _past_abbrevs(text, m.end(), send, lex))
    rel = _RELATIVE.search(text, a, b)
    if rel is not None and _n_words(text, a, rel.start()) >= 2:
        b = rel.start()  # 'said a strategist who spoke on condition of anonymity ...'
    toks = _tokens(text, a, b)
    while toks and lex.has("adjunct", toks[0].group()):
        toks.pop(0)
    if not toks or len(toks) > 18:
        return None
    first = toks[0].group()
    words = [t.group() for t in toks]
    if not (first[:1].isupper() or first.lower() in ("the", "a", "an", "one", "another")
            or lex.has("pronoun", first)
            or (any(lex.has("role", w) for w in words[:4])
                and any(w[:1].isupper() for w in words))):
        return None
    # an appositive after a comma belongs to the mention ("said X, a spokesman for Y")
    end = toks[-1].end()
    rest = re.compile(r",\s*(?:a|an|the)\s[^,.;:!?“”\"\n]{1,120}").match(text, end, send)
    if rest:
        rel = _RELATIVE.search(text, rest.start(), rest.end())
        end = _trim(text, rest.start(), rel.start() if rel else rest.end())[1]
    return toks[0].start(), end


def _content_after(text: str, ce: int, send: int, frame: str, lex: RoleLexicon, *,
                   short: bool = True) -> int | None:
    """Start of the reported content after a cue, or None when nothing follows (``short``:
    decide at once when no adverbial follows the cue and the frame is not 'object', as
    the general steps would; False runs only those, for tests)."""
    # tokens are read lazily: most calls look at a few of the window's ~30 (``have(k)``
    # stands for ``k < len(all tokens)``; the matches are those of one finditer, which
    # goes on from the end of each match: the first is searched for on its own)
    end = min(send, ce + 200)
    first = WORD_RE.search(text, ce, end)
    if first is None:
        q = _OPEN_MARK.search(text, ce, send)  # nothing but punctuation / quote marks
        return q.start() if q else None
    w = first.group().lower()
    adjuncts = lex.by_kind.get("adjunct", _NO_KINDS)
    if short and frame != "object" and w not in _PREPS and not (
            (w in adjuncts or (w[-1:] == "." and w.rstrip(".") in adjuncts))
            and w not in ("this", "that", "will", "would")):
        # no adverbial to skip after the cue (most cues): the general steps below, short
        if w == "that":
            nxt = WORD_RE.search(text, first.end(), end)
            prev_end, pos = first.end(), (nxt.start() if nxt is not None else send)
        else:
            nxt = first
            prev_end, pos = ce, first.start()
            if pos - prev_end == 1 and text[prev_end] == " ":
                return pos  # one space between the cue and the content (most cues)
        q = _OPEN_MARK.search(text, prev_end, pos)
        if q:
            return q.start()
        if nxt is None or _SENT_PUNCT.search(text, prev_end, pos):
            return None
        return pos
    toks: list[re.Match[str]] = [first]
    it = WORD_RE.finditer(text, first.end(), end)

    def have(k: int) -> bool:
        while len(toks) <= k:
            t = next(it, None)
            if t is None:
                return False
            toks.append(t)
        return True

    i = 0

    def skip_adjuncts(i: int) -> int:
        while have(i):
            w = toks[i].group().lower()
            if lex.has("adjunct", w) and w not in ("this", "that", "will", "would"):
                i += 1
                continue
            if w in _PREPS and have(i + 1):
                j = next((k for k in range(i + 1, i + 5)
                          if have(k) and (lex.has("setting", toks[k].group())
                          or lex.has("adjunct", toks[k].group().lower()))), None)
                if j is not None and not re.search(r"[“”\"]", text[toks[i].end():toks[j].start()]):
                    i = j + 1
                    continue
            break
        return i

    i = skip_adjuncts(i)
    if frame == "object" and have(i):
        that = next((k for k in range(i, i + 9) if have(k) and toks[k].group().lower() == "that"),
                    None)
        if that is not None and not re.search(r"[,;“”\"]", text[toks[i].start():toks[that].start()]):
            i = that
        else:
            w = toks[i].group()
            if w.lower() in _OBJECT_PRONOUNS:
                i += 1
            elif w[:1].isupper() or w.lower() in ("the", "a", "an"):
                j = i + 1
                while have(j) and j - i < 6 and toks[j].group()[:1].isupper() and not re.search(
                        r"[,;:“”\"]", text[toks[j - 1].end():toks[j].start()]):
                    j += 1
                i = j
        i = skip_adjuncts(i)
    if have(i) and toks[i].group().lower() == "that":
        i += 1
    pos = toks[i].start() if have(i) else send
    # punctuation / quote marks between the cue (or skipped words) and the content
    prev_end = toks[i - 1].end() if i > 0 else ce
    gap = text[prev_end:pos]
    q = _OPEN_MARK.search(gap)
    if q:
        return prev_end + q.start()
    if not have(i):
        return None
    if _SENT_PUNCT.search(gap):
        return None
    return pos


def _clause_end(text: str, a: int, send: int, subordinate: bool) -> int:
    """End of reported content: sentence end, or the first comma when the cue sits in a
    fronted subordinate clause ('While X said ..., the two countries ...')."""
    b = send
    if subordinate:
        m = _COMMA_SPACE.search(text, a, send)
        if m:
            b = m.start()
    a2, b = _trim(text, a, b)
    while b > a2 and text[b - 1] in ".;:—–":
        b -= 1
    return b


def _find_events(text: str, sent: dict[str, Any], spans: list[_Span], starts: list[int],
                 cues: CueLexicon, lex: RoleLexicon, *, words: _Words,
                 spots: _CueSpots | None = None) -> list[_Event]:
    """Attribution events (cue + speaker + content) of one sentence (``words``: the text's
    words; ``spots``: where cues can start in the text, see :func:`_cue_matches`;
    find_quotes only calls it for sentences where :func:`_cue_can_start`)."""
    sent0, sent1 = sent["start"], sent["end"]
    if sent1 > sent0 and _QM_END.search(text, max(0, sent0 - 6), sent0):
        # '“A?” asked X.' / '“A?” X, a voter, said.' split after the '?”': the quotation
        # belongs to this sentence
        j = bisect.bisect_right(starts, sent0) - 1
        if j >= 0 and spans[j].end <= sent0 and not text[spans[j].end:sent0].strip():
            sent0 = spans[j].start
    events: list[_Event] = []
    has_quote: bool | None = None
    adjuncts = lex.by_kind.get("adjunct", _NO_KINDS)  # (``lex.has("adjunct", w)``)
    marks = words.marks
    for m in _cue_matches(text, spots, sent0, sent1, cues):
        cs, ce = m.start(), m.end()
        # a bounded window around the cue keeps hostile input (a 10 MB "sentence") linear
        s0, s1 = max(sent0, cs - _WINDOW), min(sent1, ce + 2 * _WINDOW)
        nl = text.rfind("\n", s0, cs)
        if nl >= 0:
            s0 = nl + 1  # a sentence split missed a line break (headline + first line)
        # the last quotation starting at or before the cue (``_inside`` and ``lo`` below)
        j = bisect.bisect_right(starts, cs) - 1
        if j >= 0 and spans[j].start <= cs < spans[j].end:
            continue  # speech reported inside a quotation is the speaker's, not ours
        surface = m.group()
        if surface[:1].isupper() and cs != s0 and not text[s0:cs].strip(" “\"‘") == "":
            continue  # 'Said' as a name
        lemma, frame = cues.info(surface)
        if lemma in cues.needs_quote:
            if has_quote is None:
                k = bisect.bisect_left(starts, sent0)
                has_quote = (k < len(spans) and spans[k].start < sent1) or (
                    k > 0 and spans[k - 1].end > sent0) or text[sent0:sent1].rstrip().endswith(":")
            if not has_quote:
                continue  # 'a group called X': only counts with a quotation
        para = sent["paragraph"]
        # the material before the cue starts after the last quotation that ends before it
        lo = s0
        if j >= 0 and spans[j].end > s0 and spans[j].end <= cs:
            lo = max(s0, spans[j].start)
        if frame == "prep":  # according to X(, CONTENT)
            sm = _PHRASE_RE.match(text, ce, s1)
            spk = _trim(text, sm.start(), _past_abbrevs(text, sm.end(), s1, lex)) if sm else None
            before = text[s0:cs].strip(" ,—–\t\n")
            rest = _PREP_REST.match(text, spk[1], s1) if spk else None
            if rest is not None and words.count(rest.end(), s1) < 3:
                rest = None
            fm = _FRONTED.match(text, s0, cs)
            fronted = rest is not None and words.count(s0, cs) <= 3 and (
                (fm is not None and not text[fm.end():cs].strip()) or all(
                    lex.has("boundary", w) or lex.has("adjunct", w)
                    for w in WORD_RE.findall(text, s0, cs)))
            # (``before`` holds a word when text[s0:cs] does: only non-word characters
            # are stripped)
            before_words = words.any(s0, cs)
            if fronted and before_words:
                # 'But, according to X, CONTENT' / 'In addition, according to X, CONTENT'
                assert rest is not None
                content = (rest.end(), _clause_end(text, rest.end(), s1, False))
                before = ""
            elif rest is not None and text[s0:cs].rstrip().endswith(",") and not _QMARK.search(
                    text, s0, s1):
                # 'A, according to X, B': the sentence around the parenthesis
                content = _trim(text, s0, _clause_end(text, rest.end(), s1, False))
            elif before_words:
                a, b = _trim(text, s0, cs)
                while b > a and text[b - 1] in ",—–(":
                    b -= 1
                # 'A, and B, according to X' / 'A, with B, according to X': the phrase
                # right before the cue is what X vouches for
                cut = None
                for cm in _PREP_CUT.finditer(text, a, b):
                    cut = cm
                if cut is not None and words.count(cut.end(), b) >= 3 and not _QMARK.search(
                        text, cut.end(), b) and words.count(a, cut.start()) >= 3:
                    a = cut.end()
                content = (a, b)
            elif spk:
                c0 = spk[1]
                while c0 < s1 and text[c0] in " ,:":
                    c0 += 1
                content = (c0, _clause_end(text, c0, s1, False))
            else:
                content = None
            events.append(_Event(cs, ce, surface, frame, para, sent["sent_id"], spk, content,
                                 trailing=bool(before)))
            continue
        prev = text[max(s0, cs - 40):cs].split()
        while len(prev) > 1:
            w = prev[-1]
            pl = w.lower()
            if pl in _PASSIVE or not (pl in adjuncts or (pl[-1] == "." and pl.rstrip(".") in adjuncts)
                                      or (w.endswith("ly") and w.islower())):
                break
            prev.pop()  # 'were also asked', 'was repeatedly told'
        if prev:
            pl = prev[-1].lower()
            if pl in _PASSIVE_BE:
                continue  # 'cannot be said', 'was told', 'were also asked'
            if pl in _REDUCED and not surface.endswith(("s", "ing")):
                continue  # 'when asked about X', 'if told': a reduced passive clause
        participle = text.find(",", lo, cs) >= 0 and surface.split()[0].lower().endswith("ing")
        # (a participle's speaker is never the subject before it: not looked for)
        spk, left_end = (None, cs) if participle else _subject_before(text, lo, cs, lex)
        after = _content_after(text, ce, s1, frame, lex)
        left_has = marks.find(b"a", s0, left_end) >= 0  # (``words.any(s0, left_end)``)
        before_cue = text[s0:cs].rstrip()
        same_as = None
        if spk is not None and before_cue.endswith("who") and not before_cue[-4:-3].isalnum():
            # 'said X, a consultant who said ...': the relative pronoun's antecedent
            prev_ev = next((e for e in reversed(events) if e.spk is not None), None)
            if prev_ev is not None:
                same_as = prev_ev
            elif spk[1] - spk[0] > 4:
                spk = (spk[0], _trim(text, spk[0], spk[1] - 3)[1])
        if participle or (spk is None and before_cue and not _INVERSION_END.search(
                before_cue, max(0, len(before_cue) - 2))):  # (the match is the last 1-2 chars)
            # '..., saying ...' / '... and said ...' / 'She is noting ...': the speaker is the
            # subject of the main clause (or of the sentence's previous cue), never the words
            # after the cue
            prev_ev = next((e for e in reversed(events) if e.spk is not None), None)
            spk = prev_ev.spk if prev_ev is not None else _main_subject(text, s0, cs, lex)
            if spk is None or not _plausible_subject(text, spk, lex):
                continue
            content = (after, _clause_end(text, after, s1, False)) if after is not None else None
            events.append(_Event(cs, ce, surface, frame, para, sent["sent_id"], spk, content))
            continue
        if spk is None:
            # '..., said X.' / '“A,” said X.'
            spk = _subject_after(text, ce, s1, lex)
            if spk is None:
                if after is None or text[after] not in "“\"" or not left_has:
                    continue
                # 'NAME (R-OH), said, “A”' / 'X, asked about Y, had said, “A”': the cue
                # introduces the quotation; its speaker is the main clause subject
                spk = _subject_before_commas(text, lo, cs, lex)
                if spk is None:
                    continue
                events.append(_Event(cs, ce, surface, frame, para, sent["sent_id"], spk,
                                     (after, _clause_end(text, after, s1, False))))
                continue
            a, b = _trim(text, s0, left_end if left_end < cs else cs)
            while b > a and text[b - 1] in ",—–":
                b -= 1
            content = (a, b) if left_has or b > a else None
            rest = text[spk[1]:s1]
            if not left_has and after is not None:
                content = (after, _clause_end(text, after, s1, False))
            elif words.any(spk[1], s1) and _COMMA_NEXT.match(rest) and not left_has:
                content = None
            events.append(_Event(cs, ce, surface, frame, para, sent["sent_id"], spk, content,
                                 trailing=True))
            continue
        if not _plausible_subject(text, spk, lex):
            continue
        pre = text[s0:spk[0]]
        pre_end = pre.rstrip()
        quote_before, comma_end, mark_end = _ends_of(pre_end)
        trailing_words = after is None or marks.find(b"a", after, s1) < 0  # (words.any)
        if quote_before and after is not None and text[after] in "“\"" and j >= 0 and (
                words.any(s0, spans[j].start)):
            # 'Remarking on his “genuine empathy,” X said, “A.”': the short quotation before
            # is embedded in narration; the cue introduces the quotation after it
            quote_before = trailing_words = left_has = False
        if left_has and comma_end and (
                trailing_words or quote_before or _is_tail(text, after, s1, lex)
                or _PARTICIPLE_RE.match(text, ce, s1)):
            # 'CONTENT, X said.'
            a, b = _trim(text, s0, len(pre_end) + s0)
            while b > a and text[b - 1] in ",—–":
                b -= 1
            events.append(_Event(cs, ce, surface, frame, para, sent["sent_id"], spk, (a, b),
                                 trailing=True))
            continue
        if left_has and mark_end:
            # '“A” he said.' without a comma (some outlets) - treat like the above
            a, b = _trim(text, s0, len(pre_end) + s0)
            events.append(_Event(cs, ce, surface, frame, para, sent["sent_id"], spk, (a, b),
                                 trailing=True))
            continue
        if after is None:
            events.append(_Event(cs, ce, surface, frame, para, sent["sent_id"], spk, None))
            continue
        first = pre.split(None, 1)  # (only the first word is read)
        subordinate = bool(first) and lex.has("boundary", first[0]) and first[0][:1].isupper()
        content = (after, _clause_end(text, after, s1, subordinate))
        if left_has and pre_end[-1:] == "," and not subordinate and _COMMA_NEXT.match(
                text[ce:ce + 3]) and not _PREPS_START.match(text, s0, spk[0]):
            # 'CONTENT1, X said, CONTENT2': the whole sentence minus the cue is content
            # (not 'In an interview, X said CONTENT' / 'Around that time, X said CONTENT')
            content = _trim(text, s0, content[1])
        events.append(_Event(cs, ce, surface, frame, para, sent["sent_id"], spk, content,
                             same_as=same_as))
    return events


_WINDOW = 250
# compiled once (module-level re.search(str, ...) pays a cache lookup per call)
_COMMA_NEXT = re.compile(r"\s*,")
_COMMA_SPACE = re.compile(r",\s")
_TAIL_PUNCT = re.compile(r"[,!?—–]")
_COLON_END = re.compile(r"[:]\s*$")
_CLOSING_MARKS = frozenset("”\"")
_MARKS = frozenset("“”\"")
_COMMA_DASH = frozenset(",—–")


def _ends_of(stripped: str) -> tuple[bool, bool, bool]:
    r"""How the material before a subject ends (``stripped``: it, right-stripped), from its
    last character and the last non-space one before it (two string tests where patterns
    anchored at the end would scan all of it):

    * a closing mark, or a mark then a comma or dash ('“A,” X said'): the pattern
      ``[”"]\s*$|[”"]\s*[,—–]\s*$|[,—–]\s*[”"]\s*$``;
    * a comma or dash, maybe then any mark ('A, X said'): ``[,—–]\s*[“”"]?\s*$``;
    * any mark ('“A” X said'): ``[“”"]\s*$``.
    """
    last = stripped[-1:]  # ('' when empty: in no set)
    before = stripped[:-1].rstrip()[-1:]
    return (last in _CLOSING_MARKS or (last in _COMMA_DASH and before in _CLOSING_MARKS),
            last in _COMMA_DASH or (last in _MARKS and before in _COMMA_DASH),
            last in _MARKS)

_TURN_PARAS = 3  # a cue-less quotation continues a speaker's turn this many paragraphs on
_PREP_REST = re.compile(r"\s*,\s*(?!(?:who|which|whose|a|an|the)\b)(?=\w)")
_PREP_CUT = re.compile(r",\s+(?:and\s+|(?=(?:with|who|which|where)\s))")
_PREPS_START = re.compile(r"[\s“\"]*(?:In|On|At|During|After|Before|Around|Over|Since|Earlier|Later|"
                          r"Last|Speaking|Asked|When|While|As)\b")
_MAX_WARNINGS = 50
_OBSERVE_RE = re.compile(r"[^,;:()“”\"—\n]{1,80}")
# the first characters where _OBSERVE_RE (and so _LEAD_PAIR) cannot match (the empty
# string: an empty sentence)
_NO_OPENING = frozenset([",", ";", ":", "(", ")", "“", "”", '"', "—", "\n", ""])
# the first two tokens (as WORD_RE reads them) of a sentence opening 'Capitalised lowercase'
# with one space between them (see _observe_subject)
_LEAD_PAIR = re.compile(r"([A-Z][\w’'\-]*) ([a-z][\w’'\-]*(?:\.\w[\w’'\-]*)*\.?)")
_APPOS_RE = re.compile(r",[^,;:()“”\"—\n]{1,80},")
# no leading \s*: the whitespace before the parenthesis makes no token, and a match could
# otherwise start at every space of a run (quadratic)
_PAREN_END = re.compile(r"\([^()]{1,30}\)\s*$")
_QUOTE_TAIL = re.compile(
    r"[ \t]*(?:,[ \t]*)?((?:[A-Z][\w.’'\-]*|he|she|they|we|I)(?:[ \t]+[A-Z][\w.’'\-]*){0,3})"
    r"[ \t]+([a-z]{3,})\b(?=[^.!?\n“”\"]{0,40}[.!?])")
_PARTICIPLE_RE = re.compile(r"(?:\s+[A-Za-z]+){0,2}\s*,\s*[a-z]+ing\b")
_INVERSION_END = re.compile(r"(?:[,;:(“”\"—–]|'')$")
_FRONTED = re.compile(r"[\s“\"]*(?:In|On|At|During|After|Before|Around|Over|Since|Earlier|Later|"
                      r"Last|Speaking|Asked|Addressing|Responding|Writing|When|While|As|Like|"
                      r"Unlike|Despite|Following|From|With|Without|Through|For|By|Under|"
                      r"According|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                      r"Yesterday|Today|Tonight|Meanwhile|However|Still|Instead|Now|Then|"
                      r"Separately|Also|Later)\b[^,;:“”\"]{0,120},")
# 'Smiling broadly at the crowd, NAME ...': a fronted participial clause (a capitalised
# -ing word followed by a lower-case word, so not a surname such as 'Browning') up to its comma
_PARTICIPIAL_OPEN = re.compile(r"[\s“\"]*[A-Z][a-z]{2,}ing\s+[a-z][^,;:()“”\"]{0,150},\s*")
# a news dateline opening the sentence ('WASHINGTON, Dec. 8 (UPI) — ', 'Paris (AFP) – ')
_DATELINE = re.compile(r"[\s“\"]*(?:[A-Z][A-Z.]+(?:[ \t][A-Z][A-Z.]+){0,3}(?:,[^—–\n()]{1,30})?"
                       r"(?:[ \t]*\([A-Za-z. ]{2,20}\))?|[A-Z][\w.]*(?:[ \t][A-Z][\w.]*){0,3}"
                       r"(?:,[^—–\n()]{1,30})?[ \t]*\([A-Za-z. ]{2,20}\))[ \t]*[—–]+[ \t]*")
# 'Eight years ago, ...' / 'Hours later, ...': a short fronted time phrase ending in an
# adverb of the role lexicon (checked in _main_subject)
_SHORT_FRONT = re.compile(r"[\s“\"]*[A-Z]\w*(?:[ \t]+[\w\-]+){0,4}[ \t]*,[ \t]*")
_QUOTE_TAIL_INV = re.compile(
    r"[ \t]*(?:,[ \t]*)?([a-z]{3,}ed)[ \t]+((?:[A-Z][\w’'\-]*\.?)(?:[ \t]+[A-Z][\w’'\-]*\.?){0,3})"
    r"(?=[ \t]*[,.;(]|[ \t]+(?:of|from)\b)")
_FRONTED_ANY = re.compile(_FRONTED.pattern, re.IGNORECASE)
_PARTICIPIAL_ANY = re.compile(r"[\s“\"]*(?:(?:after|before|while|when)\s*)?[a-z]{2,}ing\s+[a-z]"
                              r"[^,;:()“”\"]{0,150},\s*")
_QUOTE_DASH_NAME = re.compile(
    r"[ \t\xa0]*[―—–][ \t\xa0]*([A-Z][\w.’'\-]*(?:[ \t\xa0]+[A-Z][\w.’'\-]*){0,4})"
    r"[ \t\xa0]*(?:,[^\n“”\"]{0,80})?\.?[ \t\xa0]*(?=\n|$)")
_QM_END = re.compile(r"[?!][”\"]\s*$")
_NP_MAX = 10
_NO_KINDS: frozenset[str] = frozenset()
_PERSON_KINDS = frozenset({"title", "first_name", "role"})
_NOUN_KINDS = frozenset({"role", "anon", "institution", "plural"})
_DASH_LABEL = re.compile(r"\s[-—–―]\s*([A-Z][\w.’'\-]*(?:\s+(?:and\s+)?[A-Z][\w.’'\-]*){0,5})"
                         r"\s*:\s*$")
_RELATIVE = re.compile(r"\s(?:who|which|whom|whose|that)\s")


def _main_subject(text: str, s0: int, cs: int, lex: RoleLexicon,
                  strict: bool = False) -> tuple[int, int] | None:
    """The noun phrase opening the sentence that holds the cue at ``cs`` (its main-clause
    subject), after a fronted adverbial ('On Monday, ...') and connectives ('But', 'And').

    Only the NP itself is returned ('Jane Doe, a spokeswoman, ...' -> 'Jane Doe'); None
    when the sentence does not open with a plausible speaker NP."""
    a = s0
    dl = _DATELINE.match(text, s0, cs)
    if dl:
        a = s0 = dl.end()
    fm = _FRONTED.match(text, s0, cs) or _PARTICIPIAL_OPEN.match(text, s0, cs)
    if fm:
        a = fm.end()
        for _ in range(2):  # 'On Thursday, after remaining neutral for months, NAME ...'
            more = _FRONTED_ANY.match(text, a, cs) or _PARTICIPIAL_ANY.match(text, a, cs)
            if more is None:
                break
            a = more.end()
    else:
        sm = _SHORT_FRONT.match(text, s0, cs)
        if sm and len(WORD_RE.findall(text, s0, sm.end())) > 1 and lex.has(
                "adjunct", WORD_RE.findall(text, s0, sm.end())[-1].lower()):
            a = sm.end()
    end = min(cs, a + 400)
    if end - a > _OPENING_CHARS:
        # the opening NP is read from the first tokens: tokenise up to a space well into the
        # window first (the tokens before a space are those of the whole window)
        sp = text.rfind(" ", a, a + _OPENING_CHARS)
        if sp > a:
            decided, found = _opening_np(text, a, _tokens(text, a, sp), lex, strict, whole=False)
            if decided:
                return found
    return _opening_np(text, a, _tokens(text, a, end), lex, strict, whole=True)[1]


_OPENING_CHARS = 100


def _opening_np(text: str, a: int, toks: list[re.Match[str]], lex: RoleLexicon, strict: bool,
                *, whole: bool) -> tuple[bool, tuple[int, int] | None]:
    """:func:`_main_subject` on the tokens of its window from ``a`` (``whole``) or on their
    first ones only: then ``(False, None)`` when the answer could depend on later tokens
    (the NP or its next word reaches the last token read), else ``(True, answer)``."""
    n = len(toks)
    k = 0
    while k < n and (lex.has("boundary", toks[k].group())
                     or (lex.has("adjunct", toks[k].group()) and toks[k].group()[:1].isupper())):
        k += 1
    if k >= n:
        return whole, None
    if re.search(r"[“”\"]", text[a:toks[k].start()]):
        return True, None
    j = k
    while j < n and j - k < _NP_MAX:
        w = toks[j].group()
        wl = w.lower()
        if j > k and re.search(r"[,;:()“”\"—–]", text[toks[j - 1].end():toks[j].start()]):
            break
        if j > k and _POSS_END.search(toks[j - 1].group()) and not (
                w[:1].isupper() or lex.has("role", wl) or lex.has("anon", wl)):
            break
        if (w[:1].isupper() and not lex.has("boundary", w)) or wl in _NP_DETS or w[:1].isdigit() \
                or not lex.kinds(wl).isdisjoint(_NOUN_KINDS) \
                or (j == k and lex.has("pronoun", wl)):
            if j > k and lex.has("pronoun", toks[j - 1].group()):
                break
            j += 1
            continue
        if wl in ("of", "for", "at") and j > k and j + 1 < n and toks[j + 1].group()[:1].isupper():
            j += 1
            continue
        if j + 1 < n and not wl.endswith(("ed", "ing")) and (
                lex.has("role", toks[j + 1].group()) or lex.has("anon", toks[j + 1].group())):
            j += 1  # a lower-case pre-modifier ('conservative commentator')
            continue
        break
    if not whole and j + 1 >= n:
        return False, None  # every test above read tokens before the last one: else unsure
    if j == k or j - k >= _NP_MAX:
        return True, None
    if strict and j - k == 1 and j < n and "," in text[toks[k].end():toks[j].start()] and not lex.has(
            "pronoun", toks[k].group()):
        return True, None  # 'Wait, ...' / 'Specifically, ...': not a subject
    last = toks[j - 1].group()
    if _POSS_END.search(last) or last.lower() in _NP_DETS or last.lower() in ("of", "for", "at"):
        return True, None
    if j < n:
        nxt = toks[j].group()
        gap = text[toks[j - 1].end():toks[j].start()]
        if not (nxt[:1].islower() or re.search(r"[,(]", gap)):
            return True, None
    return True, (toks[k].start(), toks[j - 1].end())


_NP_DETS = frozenset({"the", "a", "an", "this", "that", "his", "her", "their", "its", "our",
                      "one", "another"})
_POSS_END = re.compile(r"(?:’s|'s|s’|s')$")


_PHRASE_RE = re.compile(r"[^,.;:!?“”\"—(\n]{1,160}")
_ABBREV_TAIL = re.compile(r"(?:^|\s)([A-Z][a-z]{0,3})$")


def _past_abbrevs(text: str, end: int, limit: int, lex: RoleLexicon) -> int:
    """Extend a phrase that stopped at the period of a title or an initial ('said Mr.
    Smith', 'according to Sen. Jane Doe', 'John F. Smith')."""
    for _ in range(4):
        if end >= limit or text[end] != "." or not re.match(r"\s?[A-Z]", text[end + 1:end + 3]):
            break
        m = _ABBREV_TAIL.search(text, max(0, end - 6), end)
        if not m or not (len(m.group(1)) == 1 or lex.has("title", m.group(1) + ".")):
            break
        nxt = _PHRASE_RE.match(text, end + 1, limit)
        if not nxt:
            break
        end = nxt.end()
    return end


def _plausible_subject(text: str, spk: tuple[int, int], lex: RoleLexicon) -> bool:
    """Whether a phrase before a cue can be a speaker (not 'the difference', 'they could')."""
    words = WORD_RE.findall(text, spk[0], spk[1])
    if not words:
        return False
    head = words[-1]
    hl = head.lower().rstrip(".")
    # (the first word decides for most phrases; the generator only runs when it is one)
    w0 = words[0].lower()
    boundary = lex.by_kind.get("boundary", _NO_KINDS)  # (``lex.has("boundary", w0)``)
    if (w0 in boundary or (w0[-1] == "." and w0.rstrip(".") in boundary)) and all(
            lex.has("boundary", w) for w in words):
        return False  # 'When asked ...'
    if words[0][:1].islower() and words[0].endswith("ing"):
        return False
    kinds = lex.index.get(hl, _NO_KINDS)  # ``lex.has(kind, hl)`` for any kind (no dot)
    if "pronoun" in kinds or head[:1].isupper() or hl[:1].isdigit():
        return True
    if not kinds.isdisjoint(_NOUN_KINDS):
        return True
    if len(words) <= 6 and words[0].lower() in _NP_DETS:
        return True  # a definite/indefinite description ("the airline", "the actress")
    if hl == "percent" or any(w[:1].isupper() for w in words[1:]):
        return True
    # other lower-case heads: plural nouns ("experts", "voters") pass, others do not
    return hl.endswith("s") and not hl.endswith("ss") and len(words) <= 6


def _is_tail(text: str, a: int | None, b: int, lex: RoleLexicon) -> bool:
    """Whether only adverbials follow a cue ('..., he said on Monday in an interview.')."""
    if a is None:
        return True
    # tokens are read only until the answer is known (a long tail is no tail)
    for n, t in enumerate(WORD_RE.finditer(text, a, b)):
        w = t.group()
        if n >= 5 or not (lex.has("adjunct", w) or lex.has("setting", w)
                          or w.lower() in _PREPS or w.lower() in ("a", "an", "the")):
            return False
    return True


# --------------------------------------------------------------------------- main entry


def _sentence_speaker(events: list[_Event], cands: Iterable[int], pos: int) -> int | None:
    """The attribution event of a sentence that a quotation at ``pos`` belongs to: the
    nearest cue before it, else the nearest after it (None when the sentence has none)."""
    before = [k for k in cands if events[k].cue_end <= pos]
    if before:
        return max(before, key=lambda k: events[k].cue_end)
    after = [k for k in cands if events[k].cue_start > pos]
    return min(after, key=lambda k: events[k].cue_start) if after else None


def _irrealis(text: str, cs: int, lex: RoleLexicon) -> bool:
    """Whether a modal, 'to' or a negation governs the cue at ``cs`` ('will say', 'to argue',
    'did not say'), looking back over at most two adverbs."""
    toks = WORD_RE.findall(text, max(0, cs - 40), cs)
    modals = lex.by_kind.get("modal", _NO_KINDS)  # (``lex.has("modal", w)``)
    adjuncts = lex.by_kind.get("adjunct", _NO_KINDS)
    for w in reversed(toks[-3:]):
        wl = w.lower()
        stem = wl.rstrip(".") if wl[-1] == "." else wl
        if wl in modals or stem in modals:
            return True
        if not (wl in adjuncts or stem in adjuncts or (w.endswith("ly") and w.islower())):
            return False
    return False


_MENTION_RE = re.compile(r"\b(?:[Hh]e|[Ss]he|[A-Z][\w’'\-]+)\b")


def _latest_mention(text: str, a: int, b: int, speaker: str, gender: str | None,
                    starts: list[int], spans: list[_Span],
                    lex: RoleLexicon) -> tuple[int, int] | None:
    """The last mention of ``speaker`` in ``text[a:b]`` outside quotation marks: one of its
    name words, or 'he'/'she' agreeing with its gender (None when there is none)."""
    names = {w.lower() for w in speaker.split() if w[:1].isupper() and not lex.has("title", w)}
    best = None
    for m in _MENTION_RE.finditer(text, a, b):
        w = _POSSESSIVE_ANY.sub("", m.group()).lower()
        if w in ("he", "she"):
            if gender is None or lex.gender_of("pronoun", w) != gender:
                continue
        elif w not in names:
            continue
        if _inside(starts, spans, m.start()) is not None:
            continue
        best = m.span()
    return best


_POSSESSIVE_ANY = re.compile(r"(?:’s|'s|’|')$")


def _normalise_marks(text: str) -> str:
    """Same length as ``text``; ``''`` and ````` become ``"`` plus a space."""
    if "''" not in text and "``" not in text:
        return text
    return text.replace("''", '" ').replace("``", '" ')


def _n_words(text: str, a: int, b: int) -> int:
    return len(_WORDS_RE.findall(text, a, b)) if b > a else 0


# bytes.translate table: ASCII word characters (``\w``) become "a", every other byte a space
_WORD_BYTES = bytes(97 if c < 128 and (chr(c).isalnum() or c == 95) else 32 for c in range(256))
# a non-ASCII word character (the literal class first: the engine skips ASCII in C)
_NON_ASCII_WORD = re.compile(r"[^\x00-\x7f](?<=\w)")


class _Words:
    r"""The words (``\w+`` runs) of one text, counted in C instead of listed by a regex.

    ``count(a, b) == len(re.findall(r"\w+", text[a:b]))`` and ``any(a, b)`` says whether
    ``re.search(r"\w", text[a:b])`` finds one: ``marks`` has one byte a character, "a" for
    a word character and a space for any other, so a word starts at ``a`` or where " a"
    stands (a C count over the bytes, no list of words).
    """

    __slots__ = ("marks",)

    def __init__(self, text: str, *, encoded: bytes | None = None) -> None:
        """``encoded``: ``text.encode("ascii", "replace")`` when already made."""
        if not text.isascii() and _NON_ASCII_WORD.search(text):
            text = _NON_ASCII_WORD.sub("a", text)  # (one character for one: same offsets)
            encoded = None
        # encode("ascii", "replace") keeps one byte a character (other non-ASCII: "?")
        if encoded is None:
            encoded = text.encode("ascii", "replace")
        self.marks = encoded.translate(_WORD_BYTES)

    def count(self, a: int, b: int) -> int:
        if a < 0:
            a = 0  # (as a regex pos; a negative bytes start counts from the end)
        if b <= a:
            return 0
        marks = self.marks
        return marks.count(b" a", a, b) + (marks[a:a + 1] == b"a")

    def any(self, a: int, b: int) -> bool:
        return b > a and self.marks.find(b"a", max(a, 0), b) >= 0


def find_quotes(
    text: str,
    sentences: list[dict[str, Any]],
    paragraphs: list[dict[str, Any]],
    *,
    cues: CueLexicon | None = None,
    actor_lookup: Callable[[str], str | None] | None = None,
    roles: RoleLexicon | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Quotations and reported speech of one document, with their speakers.

    Parameters
    ----------
    text : str
        The whole document text.
    sentences : list of dict
        ``{"sent_id", "paragraph", "start", "end", "text", "kind"}`` in order.
    paragraphs : list of dict
        ``{"paragraph", "start", "end", "kind"}`` in order; only kicker, headline,
        standfirst and body paragraphs are searched.
    cues : CueLexicon, optional
        Speech cues (default: the packaged list).
    actor_lookup : callable, optional
        Maps an affiliation phrase to a canonical actor, or None.
    roles : RoleLexicon, optional
        Speaker word lists (default: the packaged list).

    Returns
    -------
    (list of dict, list of str)
        Quote records sorted by start (see the module docstring for spans) and warnings.
    """
    cues = cues or load_cues()
    lex = roles or load_roles()
    warnings: list[str] = []
    raw = text
    # two-character marks (``A'' and ''A'') become one straight mark plus a space, so every
    # rule sees one kind of mark; offsets are unchanged (same length)
    text = _normalise_marks(text)
    # one byte a character (non-ASCII: "?"), for the word and cue maps below
    encoded = text.encode("ascii", "replace")
    words = _Words(text, encoded=encoded)  # (the raw text has the same words: only marks differ)
    paras = [p for p in paragraphs if p.get("kind", "body") in CONTENT_KINDS]
    para_kind = {p["paragraph"]: p.get("kind", "body") for p in paras}
    para_rank = {p["paragraph"]: i for i, p in enumerate(paras)}
    # 1. quotation marks, paragraph by paragraph; transcripts turns
    spans: list[_Span] = []
    turns: list[tuple[int, int, int, int, int]] = []  # label start/end, content start/end, para
    group = 0
    prev_cont = False
    for i, p in enumerate(paras):
        a, b = p["start"], p["end"]
        # (a turn label ends in a colon: most paragraphs have none, and skip the regex)
        tm = _TRANSCRIPT_RE.match(text, a, b) if text.find(":", a, b) >= 0 else None
        if tm and not lex.has("not_label", tm.group(1).strip().lower()) and any(
                c.isalpha() for c in tm.group(1)):
            # 'WALLACE: ...' turns: the whole paragraph is the labelled speaker's
            c0, c1 = _trim(text, tm.end(), b)
            if c1 > c0 and text[c1 - 1] in '”"' and text[c0:c1].count('"') % 2 == 1:
                c1 -= 1
            turns.append((tm.start(1), tm.end(1), c0, c1, p["paragraph"]))
            prev_cont = False
            continue
        if _MARK_CHAR_RE.search(text, a, b) is None:
            prev_cont = False  # most paragraphs hold no quotation mark (nothing to scan)
            continue
        nxt = paras[i + 1] if i + 1 < len(paras) else None
        next_opens = bool(nxt) and text[nxt["start"]:nxt["start"] + 2].lstrip()[:1] in '“"`„'
        found = _scan_paragraph(text, a, b, p["paragraph"], next_opens=next_opens,
                                warnings=warnings, words=words)
        for s in found:
            if s.end < b and raw[s.end - 1:s.end + 1] in ("''", "``"):
                s.end += 1  # the second character of a two-character closing mark
        for k, s in enumerate(found):
            if k == 0 and prev_cont and s.start - a <= 2:
                s.group = group  # continues the quotation of the previous paragraph
            else:
                group += 1
                s.group = group
        prev_cont = bool(found) and found[-1].cont_next
        spans.extend(found)
    starts = [s.start for s in spans]
    n_words = words.count

    # 2. speech cues
    events: list[_Event] = []
    spots = _cue_spots(text, cues, encoded=encoded)
    sent_starts = list(map(_START, sentences))  # (C-level: one pass over many sentences)
    # sentences in text order, each starting after the previous one (as segmentation makes
    # them): then whole-text shortcuts below give the same as the general loops
    ordered = all(map(operator.lt, sent_starts, sent_starts[1:]))
    for sent in _cue_sentences(sentences, sent_starts, spots, ordered=ordered):
        # (most sentences hold no cue: nothing can make an event without one - the quotation
        # _find_events pulls in before a sentence only adds spans, where cues are skipped -
        # so they are not even visited)
        if sent["paragraph"] not in para_kind:
            continue
        events.extend(_find_events(text, sent, spans, starts, cues, lex, words=words,
                                   spots=spots))
    # 3. attach quotations to events: the nearest cue whose content overlaps the quotation
    for ev in events:
        if ev.content is None:
            continue
        a, b = ev.content
        j = max(0, bisect.bisect_right(starts, a) - 1)
        while j < len(spans) and spans[j].start < b:
            s = spans[j]
            if s.end > a and s.para == ev.para:
                ev.quotes.append(j)
            j += 1
        if not ev.trailing and ev.quotes:
            ev.content = (a, max(b, max(spans[q].end for q in ev.quotes)))
    for ei, ev in enumerate(events):
        for q in ev.quotes:
            s = spans[q]
            dist = abs(ev.cue_start - (s.end if s.end <= ev.cue_start else s.start))
            if s.event is None or dist < abs(events[s.event].cue_start - (
                    spans[q].end if spans[q].end <= events[s.event].cue_start else spans[q].start)):
                s.event = ei
    for ev in events:
        ev.quotes = [q for q in ev.quotes if spans[q].event is not None
                     and events[spans[q].event] is ev]
    # '“A!” he wrote.' / '“A,” Carson concluded.': a name or pronoun plus a verb right after a
    # quotation that ends in , ! ? is its attribution, whatever the verb
    for qi, s in enumerate(spans):
        if s.event is not None or not s.closed:
            continue
        dm = _QUOTE_DASH_NAME.match(text, s.end, min(len(text), s.end + 160))
        if dm and not lex.has("boundary", dm.group(1)) and not lex.has(
                "pronoun", dm.group(1).lower()):
            # '“A.” ― Jane Doe' closing its line: the name signs the quotation
            k = bisect.bisect_right(sent_starts, s.start) - 1
            sid = sentences[k]["sent_id"] if k >= 0 else 0
            n0, n1 = dm.span(1)
            if text[n1 - 1] == "." and len(text[n0:n1].split()[-1]) > 2:
                n1 -= 1  # the full stop closing the line, not an initial
            events.append(_Event(n0, n0, "", "clause", s.para, sid, (n0, n1),
                                 (s.start, s.end), trailing=True, quotes=[qi]))
            s.event = len(events) - 1
            continue
        inner_end = text[max(s.start, s.end - 3):s.end]
        if not _TAIL_PUNCT.search(inner_end):
            continue
        m = _QUOTE_TAIL.match(text, s.end, min(len(text), s.end + 120))
        if not m:
            inv = _QUOTE_TAIL_INV.match(text, s.end, min(len(text), s.end + 120))
            if inv and not lex.has("boundary", inv.group(2)) and not lex.has(
                    "pronoun", inv.group(2).lower()):
                # '“A!” beamed Jane Doe of Ohio.': an -ed verb, then a capitalised name
                k = bisect.bisect_right(sent_starts, s.start) - 1
                sid = sentences[k]["sent_id"] if k >= 0 else 0
                events.append(_Event(inv.start(1), inv.end(1), inv.group(1), "clause", s.para,
                                     sid, inv.span(2), (s.start, s.end), trailing=True,
                                     quotes=[qi]))
                s.event = len(events) - 1
            continue
        if lex.has("boundary", m.group(1)):
            continue
        if not (m.group(2).endswith(("ed", "es", "s")) or cues.pattern.fullmatch(m.group(2))):
            continue  # a regular past/present verb, or an irregular cue form ('said', 'wrote')
        k = bisect.bisect_right(sent_starts, s.start) - 1
        sid = sentences[k]["sent_id"] if k >= 0 else 0
        events.append(_Event(m.start(2), m.end(2), m.group(2), "clause", s.para, sid,
                             (m.start(1), m.end(1)), (s.start, s.end), trailing=True,
                             quotes=[qi]))
        s.event = len(events) - 1
    _narrated_quotes(text, spans, events, sentences, sent_starts, paras, para_kind, lex,
                     words=words)
    events.sort(key=lambda e: e.cue_start)
    for ei, ev in enumerate(events):
        for q in ev.quotes:
            spans[q].event = ei
    # cues that only count with a quotation ('a group called X') and found none
    events = [ev for ev in events if ev.quotes or cues.info(ev.cue)[0] not in cues.needs_quote]
    for ei, ev in enumerate(events):
        for q in ev.quotes:
            spans[q].event = ei
    # 4. resolve speakers in text order (names seen in subject position help pronouns):
    # sentences (observed before an event or turn at the same offset), events, turns
    resolver = SpeakerResolver(lex, actor_lookup=actor_lookup)
    order: list[tuple[int, int, str, int]] = []
    for ei, ev in enumerate(events):
        if ev.spk is not None:
            order.append((ev.spk[0], 1, "event", ei))
    for ti, t in enumerate(turns):
        order.append((t[0], 1, "turn", ti))
    sent_by_id = dict(zip(map(_SENT_ID, sentences), sentences, strict=True))
    turn_speakers: list[tuple[str, str | None, str | None]] = []

    def settle(what: str, item: int) -> None:
        if what == "event":
            ev = events[item]
            assert ev.spk is not None
            if ev.same_as is not None and ev.same_as.speaker is not None:
                ev.speaker, ev.role, ev.affiliation = (ev.same_as.speaker, ev.same_as.role,
                                                       ev.same_as.affiliation)
                return
            ev.speaker, ev.role, ev.affiliation = resolver.resolve(
                text[ev.spk[0]:ev.spk[1]], ev.spk[0], ev.para)
        else:
            t = turns[item]
            label = text[t[0]:t[1]].title()
            turn_speakers.append(resolver.resolve(label, t[0], t[4]))

    _in_text_order(sentences, sent_by_id, para_kind, order,
                   _subject_observer(text, resolver, lex), settle,
                   merge=ordered and len(sent_by_id) == len(sentences))
    genders = {ent.canonical: ent.gender for ent in resolver.entities}
    # 5. records
    records: list[dict[str, Any]] = []

    def sent_of(pos: int) -> int | None:
        i = bisect.bisect_right(sent_starts, pos) - 1
        return sentences[i]["sent_id"] if i >= 0 else None

    def record(kind: str, a: int, b: int, ev: _Event | None, speaker: tuple | None = None,
               spk_span: tuple[int, int] | None = None) -> dict[str, Any]:
        if ev is not None:
            speaker = (ev.speaker, ev.role, ev.affiliation)
            spk_span = ev.spk
        spk_name, role, aff = speaker or (None, None, None)
        return {"quote_id": -1, "kind": kind, "start": a, "end": b, "text": raw[a:b],
                "speaker": spk_name,
                "speaker_start": spk_span[0] if spk_span else None,
                "speaker_end": spk_span[1] if spk_span else None,
                "cue": ev.cue if ev and ev.cue else None,
                "cue_start": ev.cue_start if ev and ev.cue else None,
                "cue_end": ev.cue_end if ev and ev.cue else None,
                "affiliation": aff, "role": role, "sent_id": sent_of(a)}

    for ev_i, ev in enumerate(events):
        if ev.content is None or ev.spk is None:
            continue
        a, b = ev.content
        if b <= a:
            continue
        if ev.quotes:
            # direct when the content is (almost) only quotation, else mixed
            covered = 0
            for q in ev.quotes:
                s = spans[q]
                covered += n_words(max(a, s.start), min(b, s.end))
            rest = n_words(a, b) - covered
            if ev.trailing:
                rest -= n_words(max(a, ev.spk[0]), min(b, ev.cue_end))
            if rest <= 1:
                for q in ev.quotes:
                    spans[q].speaker_event = ev_i
                continue
            for q in ev.quotes:
                spans[q].absorbed = True
            lo = min([a] + [spans[q].start for q in ev.quotes if spans[q].start >= ev.cue_end])
            hi = max([b] + [spans[q].end for q in ev.quotes])
            records.append(record("mixed", lo, hi, ev))
            continue
        if n_words(a, b) < 3:
            continue
        if (cues.info(ev.cue)[0] in cues.needs_quote or not cues.reports(ev.cue)
                or _irrealis(text, ev.cue_start, lex)):
            continue
        if not ev.trailing:
            b = _cut_participle(text, a, b, cues, lex)
        else:
            # 'A: CONTENT, X said' / 'A; CONTENT, according to X': content after the colon
            cut = max(text.rfind(":", a, b), text.rfind(";", a, b))
            if cut > a and _inside(starts, spans, cut) is None and n_words(cut, b) >= 3:
                a = _trim(text, cut + 1, b)[0]
        records.append(record("indirect", a, b, ev))
    # direct quotations, with turn continuation and multi-paragraph groups
    group_event: dict[int, int] = {}
    for s in spans:
        if s.speaker_event is not None:
            group_event.setdefault(s.group, s.speaker_event)
    ev_starts = [ev.cue_start for ev in events]
    sent_events: dict[int, list[int]] = {}
    for k, ev in enumerate(events):
        if ev.speaker is not None and ev.spk is not None:
            sent_events.setdefault(ev.sent_id, []).append(k)
    # index of the latest event with a speaker at or before each event (no rescans)
    last_spoken: list[int] = []
    for k, ev in enumerate(events):
        last_spoken.append(k if ev.speaker is not None else (last_spoken[-1] if k else -1))
    for s in spans:
        if s.absorbed:
            continue
        ev_i = s.speaker_event if s.speaker_event is not None else group_event.get(s.group)
        if ev_i is None:
            sent = sent_of(s.start)
            st = sent_by_id.get(sent) if sent is not None else None
            if _short_embedded(text, s, st, para_kind.get(s.para), words=words):
                # a short quotation in a sentence that reports speech ('Trump called her
                # “crooked”', 'he said the plan was “a disaster” ...') is the speaker's
                # words: mixed; only cue-less ones (titles, coined terms) stay scare
                near = _sentence_speaker(events, sent_events.get(sent, ()), s.start)
                if near is not None and para_kind.get(s.para) not in ("headline", "kicker") \
                        and not _title_like(text, s.start, s.end, lex):
                    records.append(record("mixed", s.start, s.end, events[near]))
                else:
                    records.append(record("scare", s.start, s.end, None))
                continue
            # continuation of the latest speaker's turn (up to _TURN_PARAS paragraphs on)
            k = bisect.bisect_left(ev_starts, s.start) - 1
            k = last_spoken[k] if k >= 0 else -1
            if k >= 0 and para_rank.get(s.para, 0) - para_rank.get(events[k].para, -9) <= _TURN_PARAS:
                ev_i = k
        ev = events[ev_i] if ev_i is not None else None
        rec = record("direct", s.start, s.end, ev)
        if ev is not None and s.speaker_event is None:
            # inherited: same speaker, but no cue/mention of its own; its mention is the
            # speaker's latest mention before the quotation (often a pronoun in between)
            rec.update(cue=None, cue_start=None, cue_end=None)
            if ev.spk is not None and ev.speaker and ev.spk[1] < s.start and ev.para != s.para:
                near = _latest_mention(text, max(ev.spk[1], s.start - _WINDOW), s.start,
                                       ev.speaker, genders.get(ev.speaker), starts, spans, lex)
                if near is not None:
                    rec.update(speaker_start=near[0], speaker_end=near[1])
        rec["_group"] = s.group
        records.append(rec)
    for (l0, l1, c0, c1, _para), spk in zip(turns, turn_speakers, strict=True):
        rec = record("direct", c0, c1, None, speaker=spk, spk_span=(l0, l1))
        rec.update(cue=":", cue_start=l1, cue_end=l1 + 1)
        records.append(rec)
    # single-quoted phrases outside double quotes: titles, coined terms, headline quotes
    for p in paras if "‘" in text else ():  # the regex scan is slow; most texts have none
        for m in _SINGLE_RE.finditer(text, p["start"], p["end"]):
            if _inside(starts, spans, m.start()) is None and n_words(*m.span()) <= 8:
                records.append(record("scare", m.start(), m.end(), None))
    records.sort(key=lambda r: (r["start"], r["end"]))
    records = _join_parts(records, raw, count=n_words)
    for i, r in enumerate(records):
        r["quote_id"] = i
    return records, warnings


_MAX_INTERRUPTION = 120  # characters of cue between two parts of one quotation


def _join_parts(records: list[dict[str, Any]], raw: str, *,
                count: Callable[[int, int], int] | None = None) -> list[dict[str, Any]]:
    """One record per quotation: join the parts of an interrupted or multi-paragraph one.

    A quotation interrupted by its own cue (``“A,” he said. “B.”``) and a quotation that runs
    over several paragraphs are one attribution (one speaker, one cue), as in PARC/PolNeAR:
    one record whose ``parts`` list the quoted stretches and whose ``start``/``end`` run from
    the first part to the last (so ``text`` shows the interrupting cue, as a reader sees it).
    Every record gets ``parts`` (one part when uninterrupted) and ``n_words``, the words
    inside its parts (``count(a, b)``: the words of ``raw[a:b]``, by default listed with a
    regex).
    """
    if count is None:
        def count(a: int, b: int) -> int:
            return len(_WORDS_RE.findall(raw, a, b))
    out: list[dict[str, Any]] = []
    prev_group = None  # mark group of out[-1] (multi-paragraph fragments share one)
    for r in records:
        group = r.pop("_group", None)
        prev = out[-1] if out else None
        if prev is not None and r["kind"] == "direct" and prev["kind"] == "direct" and (
                (group is not None and group == prev_group
                 and r.get("speaker") == prev.get("speaker"))
                or _interrupted(prev, r, raw)):
            prev["parts"].append([r["start"], r["end"]])
            prev["end"] = r["end"]
            prev["text"] = raw[prev["start"]:r["end"]]
            prev["n_words"] += count(r["start"], r["end"])
            continue
        r["parts"] = [[r["start"], r["end"]]]
        r["n_words"] = count(r["start"], r["end"])
        out.append(r)
        prev_group = group
    return out


def _interrupted(prev: dict[str, Any], r: dict[str, Any], raw: str) -> bool:
    """Whether ``r`` goes on with the quotation ``prev`` after the cue that interrupts them:
    same speaker, ``prev``'s cue between the two, nothing else in between but that clause."""
    cs, ce = prev.get("cue_start"), prev.get("cue_end")
    if cs is None or ce is None or not prev.get("speaker") or r.get("speaker") != prev["speaker"]:
        return False
    if r.get("cue_start") not in (None, cs) or not (prev["end"] <= cs and ce <= r["start"]):
        return False
    gap = raw[prev["end"]:r["start"]]
    return len(gap) <= _MAX_INTERRUPTION and "\n" not in gap and "\r" not in gap


def _title_like(text: str, a: int, b: int, lex: RoleLexicon) -> bool:
    """Whether the quotation ``text[a:b]`` names a work or a programme rather than quoting
    speech: 2-8 words, all capitalised (or digits, @handles, title function words such as
    'the', 'of', 'and'), not closing on ? or ! ('on ABC’s “This Week.”', '“Meet the
    Press,”'); or an attribute value in markup ('tweet-author="@x"')."""
    if text[a - 1:a] == "=":
        return True
    inner = text[a:b].strip(" “”\"'`‘’.,;:")
    if not inner or inner[-1:] in "?!":
        return False
    words = WORD_RE.findall(inner)
    if not 2 <= len(words) <= 8:
        return False
    content = [w for w in words if not lex.has("title_word", w)]
    return bool(content) and all(w[0].isupper() or w[0].isdigit() for w in content)


def _short_embedded(text: str, s: _Span, st: dict[str, Any] | None, kind: str | None, *,
                    words: _Words) -> bool:
    """Whether a quotation without a cue is short and embedded in a sentence ``st`` (a scare
    or mixed quotation rather than a quotation of its own; ``words``: the text's words)."""
    inner = words.count(s.start, s.end)
    if st is None:
        return inner <= 2 or (kind in ("headline", "kicker") and inner <= 8)
    b0 = max(st["start"], s.start - _WINDOW)  # (the words before it in its sentence)
    embedded = words.any(b0, s.start) and not _COLON_END.search(text, b0, s.start)
    return bool((embedded and inner <= 8) or inner <= 2 or (
        kind in ("headline", "kicker") and inner <= 8) or (
        embedded and words.any(s.end, min(st["end"], s.end + _WINDOW)) and inner <= 15))


def _narrated_quotes(text: str, spans: list[_Span], events: list[_Event],
                     sentences: list[dict[str, Any]], sent_starts: list[int],
                     paras: list[dict[str, Any]], para_kind: dict[int, str],
                     lex: RoleLexicon, *, words: _Words) -> None:
    """Speakers of quotations that no cue claims, from the narration around them.

    * 'SUBJECT VERB ...: “A.”' / 'SUBJECT hit out at X, calling it “A ...”' - a quotation
      inside a narrator sentence belongs to the subject of that sentence;
    * 'X continued:' / 'X said:' closing a paragraph - the quotation opening the next
      paragraph is X's.
    Adds cue-less events (``cue == ""``) for them (``words``: the text's words)."""
    todo = [qi for qi, s in enumerate(spans) if s.event is None and not (
        s.group >= 0 and qi > 0 and spans[qi - 1].group == s.group)]
    if not todo:
        return  # every quotation has its cue
    para_start = {p["paragraph"]: p["start"] for p in paras}
    para_order = [p["paragraph"] for p in paras]
    prev_para = {b: a for a, b in zip(para_order, para_order[1:], strict=False)}
    ev_by_sent: dict[int, list[tuple[int, _Event]]] = {}
    for ei, ev in enumerate(events):
        ev_by_sent.setdefault(ev.sent_id, []).append((ei, ev))
    for qi in todo:  # (only the quotation itself gets an event below)
        s = spans[qi]
        k = bisect.bisect_right(sent_starts, s.start) - 1
        if k < 0:
            continue
        st = sentences[k]
        kind = para_kind.get(s.para)
        if kind in ("headline", "kicker"):
            continue
        spk: tuple[int, int] | None = None
        para0 = para_start.get(s.para, -1)
        if words.any(max(st["start"], s.start - _WINDOW), s.start):
            if _short_embedded(text, s, st, kind, words=words):
                continue
            dm = _DASH_LABEL.search(text, max(st["start"], s.start - 120), s.start)
            if dm:
                spk = dm.span(1)  # 'HEADLINE - Jane Doe: “...”'
            else:
                spk = _main_subject(text, st["start"], s.start, lex, strict=True)
        elif k > 0:
            ps = sentences[k - 1]
            para_open = s.start - para0 <= 2 and s.para in prev_para
            if ps["paragraph"] != s.para and not (
                    para_open and ps["paragraph"] == prev_para[s.para]):
                continue
            if not (para_open and text[ps["start"]:ps["end"]].rstrip().endswith(":")):
                # 'NAME praised the plan on Monday. “A.”': a person named as the subject of
                # the narrator sentence right before the quotation is its speaker, not the
                # speaker of an earlier quotation
                if ps["sent_id"] in ev_by_sent or _QMARK.search(text, ps["start"], ps["end"]):
                    continue
                spk = _main_subject(text, ps["start"], ps["end"], lex, strict=True)
                if spk is None or not _named_person(text, spk, lex) or (
                        not _known_name(text, spk, lex)):
                    continue
                events.append(_Event(spk[1], spk[1], "", "clause", s.para, st["sent_id"], spk,
                                     (s.start, s.end), trailing=True, quotes=[qi]))
                s.event = len(events) - 1
                continue
            # the previous paragraph ends with 'X continued:'
            cands = [(ei, e) for ei, e in ev_by_sent.get(ps["sent_id"], ()) if e.spk is not None]
            if cands:
                ei, ev = cands[-1]
                ev.quotes.append(qi)
                s.event = ei
                continue
            spk = _main_subject(text, ps["start"], ps["end"], lex, strict=True)
        if spk is None or not _plausible_subject(text, spk, lex):
            continue
        events.append(_Event(spk[1], spk[1], "", "clause", s.para, st["sent_id"], spk,
                             (s.start, s.end), trailing=True, quotes=[qi]))
        s.event = len(events) - 1


def _known_name(text: str, spk: tuple[int, int], lex: RoleLexicon) -> bool:
    """Whether a one-word capitalised subject at a sentence start is a name ('Bolton') and
    not a capitalised function word ('Each', 'Not', 'Signs'): known name words pass, others
    must also appear capitalised inside a sentence nearby."""
    words = WORD_RE.findall(text, spk[0], spk[1])
    if len(words) > 1 or not words[0][:1].isupper():
        return True
    w = _POSSESSIVE_ANY.sub("", words[0])
    if lex.index.get(w.lower(), _NO_KINDS) & _PERSON_KINDS:
        return True
    if lex.has("pronoun", w.lower()) or lex.has("boundary", w) or lex.has("adjunct", w):
        return lex.has("pronoun", w.lower())
    pat = re.compile(r"[a-z,] " + re.escape(w) + r"\b")
    return bool(pat.search(text, max(0, spk[0] - 5000), spk[0]) or pat.search(
        text, spk[1], spk[1] + 5000))


def _named_person(text: str, spk: tuple[int, int], lex: RoleLexicon) -> bool:
    """Whether a subject phrase can be a person: a pronoun, a role noun or a capitalised
    head that is no boundary word ('Jane Doe', 'he', 'the spokesman', 'the GOP nominee')."""
    words = WORD_RE.findall(text, spk[0], spk[1])
    if not words or not _plausible_subject(text, spk, lex):
        return False
    head = _POSSESSIVE_ANY.sub("", words[-1])
    if lex.has("pronoun", head.lower()):
        return True
    return (head[:1].isupper() and not lex.has("boundary", head)) or lex.has("role", head)


@lru_cache(maxsize=8)
def _observe_sets(lex: RoleLexicon) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The boundary and adjunct words, the role words and ``_person_words`` of a lexicon
    (lower case)."""
    by_kind = lex.by_kind
    return (by_kind.get("boundary", _NO_KINDS) | by_kind.get("adjunct", _NO_KINDS),
            by_kind.get("role", _NO_KINDS), _person_words(lex))


@lru_cache(maxsize=8)
def _person_words(lex: RoleLexicon) -> frozenset[str]:
    """The words whose kinds include a title, a first name or a role (``_PERSON_KINDS``)."""
    return frozenset(w for w, kinds in lex.index.items() if kinds & _PERSON_KINDS)


def _observe_subject(text: str, sent: dict[str, Any], resolver: SpeakerResolver,
                     lex: RoleLexicon, *, short: bool = True) -> None:
    """Register a person named at the start of a sentence (a later 'he' may refer to it;
    ``short``: sentences opening 'Capitalised lowercase' take a shorter path to the same
    result, False only for tests). See :func:`_subject_observer`."""
    _subject_observer(text, resolver, lex, short=short)(sent)


def _subject_observer(text: str, resolver: SpeakerResolver, lex: RoleLexicon, *,
                      short: bool = True) -> Callable[[dict[str, Any]], None]:
    """:func:`_observe_subject` for the sentences of one text, as one function of the
    sentence (called for every sentence: what it needs is looked up once)."""
    # ``w in skip`` / ``w in roles`` for a lower-cased w (or w less its trailing dots) is
    # ``"boundary" in kinds or "adjunct" in kinds`` / ``"role" in kinds`` of ``lex.kinds``
    skip, roles, person = _observe_sets(lex)
    lead_pair = _LEAD_PAIR.match if short else None
    opening = _OBSERVE_RE.match
    observe_name = resolver.observe_name

    def observe(sent: dict[str, Any]) -> None:
        start, stop = sent["start"], sent["end"]
        if lead_pair is None:
            lead = None
        elif text[start:start + 1] in _NO_OPENING:
            return  # a quotation opens the sentence (no capitalised word and no opening run)
        else:
            lead = lead_pair(text, start, min(stop, start + 80))
        if lead is not None:
            # 'Name verb ...' (most sentences): the loop below would make a run of the first
            # word only and stop at the second, unless the first is skipped or the second is
            # a role; 'But the ...': it would skip the first and stop at the second, no run
            first, second = lead.group(1, 2)
            second = second.lower()
            dotless = second.rstrip(".") if second[-1] == "." else second
            if second not in roles and dotless not in roles:
                if first.lower() not in skip:  # (no trailing dot)
                    observe_name(first, start, sent["paragraph"])
                    return
                if second not in skip and dotless not in skip:
                    return
        m = opening(text, start, stop)
        if not m:
            return
        # the leading capitalised run (with a title or role pre-modifier), read lazily
        run: list[re.Match[str]] = []
        nxt: re.Match[str] | None = None
        for t in WORD_RE.finditer(text, m.start(), m.end()):
            w = t.group()
            upper = w[:1].isupper()
            if run and upper:
                run.append(t)  # a capitalised word goes on the run whatever its kinds
                continue
            wl = w.lower()
            dotless = wl.rstrip(".") if wl[-1] == "." else wl
            if not run and (wl in skip or dotless in skip):
                continue
            if upper or wl in roles or dotless in roles:
                run.append(t)
                continue
            nxt = t
            break
        if len(run) == 1 and (nxt is None or nxt.group()[:1].islower()):
            observe_name(run[0].group(), run[0].start(), sent["paragraph"])
        if len(run) >= 2:
            # 'NAME, ROLE of ORG, ...': the appositive tells the role
            appos = _APPOS_RE.match(text, m.end(), stop) if nxt is None else None
            end = appos.end() - 1 if appos else run[-1].end()
            # only a title, a known first name or a role makes a person worth registering
            for w in WORD_RE.findall(text, run[0].start(), end):
                if w.lower().rstrip(".") in person:
                    resolver.observe(text[run[0].start():end], run[0].start(), sent["paragraph"])
                    break

    return observe


# --------------------------------------------------------------------------- voices


def quote_parts(quote: Mapping[str, Any]) -> list[tuple[int, int]]:
    """The quoted stretches of a quote record: its ``parts``, or ``(start, end)`` when it has
    none (records made before parts existed, or by hand)."""
    parts = quote.get("parts")
    if isinstance(parts, (list, tuple)) and parts:
        return [(int(a), int(b)) for a, b in parts]
    return [(int(quote["start"]), int(quote["end"]))]


def _voice_spans(quotes: list[dict[str, Any]]) -> tuple[list[int], list[int], list[str]]:
    # the parts, not start..end: the cue interrupting a quotation is the narrator's
    spans = sorted((a, b, q["speaker"]) for q in quotes
                   if q["kind"] in ("direct", "mixed") and q.get("speaker")
                   for a, b in quote_parts(q))
    starts, ends, names = [], [], []
    for a, b, name in spans:
        if ends and a < ends[-1]:
            continue  # overlapping spans: keep the first
        starts.append(a)
        ends.append(b)
        names.append(name)
    return starts, ends, names


def voice_lookup(quotes: list[dict[str, Any]]) -> Callable[[int], str]:
    """A function giving the voice at a character offset.

    Parameters
    ----------
    quotes : list of dict
        Quote records from :func:`find_quotes`.

    Returns
    -------
    callable
        ``voice(offset) -> str``: the speaker of the direct/mixed quotation containing the
        offset, else ``"narrator"`` (bisect over sorted spans).
    """
    starts, ends, names = _voice_spans(quotes)

    def voice(offset: int) -> str:
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and offset < ends[i]:
            return names[i]
        return "narrator"

    return voice


def assign_voices(sentences: list[dict[str, Any]], quotes: list[dict[str, Any]]) -> None:
    """Set each sentence's ``"voice"``: the speaker when the sentence lies mostly (> half
    its characters) inside one speaker's direct/mixed quotations, else ``"narrator"``."""
    starts, ends, names = _voice_spans(quotes)
    n = len(starts)
    for s in sentences:
        a, b = s["start"], s["end"]
        i = max(0, bisect.bisect_right(starts, a) - 1)
        if i >= n or starts[i] >= b or (ends[i] <= a and (i + 1 >= n or starts[i + 1] >= b)):
            s["voice"] = "narrator"  # no quotation overlaps the sentence (most sentences)
            continue
        share: dict[str, int] = {}
        while i < n and starts[i] < b:
            ov = min(b, ends[i]) - max(a, starts[i])
            if ov > 0:
                share[names[i]] = share.get(names[i], 0) + ov
            i += 1
        best = max(share.items(), key=lambda kv: kv[1], default=None)
        s["voice"] = best[0] if best and best[1] * 2 > max(1, b - a) else "narrator"


def speaker_profiles(quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per speaker: affiliation, role, number of quotes and quoted words.

    Scare quotes and unattributed quotes are left out. Sorted by number of words.
    """
    prof: dict[str, dict[str, Any]] = {}
    for q in quotes:
        name = q.get("speaker")
        if not name or q["kind"] == "scare":
            continue
        p = prof.setdefault(name, {"speaker": name, "affiliation": None, "role": None,
                                   "n_quotes": 0, "n_words": 0})
        p["affiliation"] = p["affiliation"] or q.get("affiliation")
        p["role"] = p["role"] or q.get("role")
        p["n_quotes"] += 1
        p["n_words"] += (q["n_words"] if q.get("n_words") is not None
                         else len(_WORDS_RE.findall(q["text"])))
    return sorted(prof.values(), key=lambda p: (-p["n_words"], p["speaker"]))


def extract_quotes(text: str) -> pd.DataFrame:
    """Quotations of one text as a DataFrame (segments the text with analysis.segment).

    Parameters
    ----------
    text : str

    Returns
    -------
    pandas.DataFrame
        One row per quote record.
    """
    import pandas as pd

    from analysis import segment

    kinds: list[dict[str, Any]] = []
    try:
        from analysis.clean import mark_segments

        kinds = mark_segments(text)
    except ImportError:  # structure marking is optional for this convenience
        kinds = []
    paragraphs: list[dict[str, Any]] = []
    sentences: list[dict[str, Any]] = []
    for i, (a, b) in enumerate(segment.split_paragraphs(text)):
        kind = next((k["kind"] for k in kinds if k["start"] <= a < k["end"]), "body")
        paragraphs.append({"paragraph": i, "start": a, "end": b, "kind": kind})
        if kind not in CONTENT_KINDS:
            continue
        for sa, sb in segment.split_sentences(text, a, b):
            sentences.append({"sent_id": len(sentences), "paragraph": i, "start": sa,
                              "end": sb, "text": text[sa:sb], "kind": kind})
    records, _ = find_quotes(text, sentences, paragraphs)
    return pd.DataFrame.from_records(records, columns=[
        "quote_id", "kind", "start", "end", "text", "speaker", "speaker_start", "speaker_end",
        "cue", "cue_start", "cue_end", "affiliation", "role", "sent_id"])

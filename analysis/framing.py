"""Framing terms: who uses which framing words — the outlet in its own voice or the speakers
it quotes.

The lexicon (``analysis/data/frames.yaml``, extendable with user files of the same shape)
lists frames and their terms in a small pattern notation documented at the top of that file,
e.g. ``"sponsor of terrorism = [state] sponsor(s) of terror(ism)"``. Every pattern is
expanded into the token sequences it stands for, and all sequences of a lexicon go into one
token trie, so matching is a single left-to-right pass over a document's tokens whatever
the size of the lexicon (time is linear in the text; the walk from a token is bounded by
the longest term). The trie is walked only from the words a term can start with, which one
compiled regex finds. Overlaps are resolved leftmost-longest.

Hot path: :func:`find_framing` (plain dict records, one per hit). Everything else takes and
returns DataFrames: :func:`frequencies`, :func:`kwic`, :func:`kwic_html`,
:func:`dispersion`, :func:`plot_dispersion`, :func:`collocations`,
:func:`candidate_terms`, :func:`compare`.
"""

from __future__ import annotations

import bisect
import html
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from analysis.lexicons import Entry, LexiconError, data_path, read_many

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "FrameTerm",
    "FrameLexicon",
    "load_frames",
    "find_framing",
    "frequencies",
    "kwic",
    "kwic_html",
    "dispersion",
    "plot_dispersion",
    "collocations",
    "candidate_terms",
    "compare",
    "load_stopwords",
    "positions",
]

FRAMES_FILE = "frames.yaml"
STOPWORDS_FILE = "stopwords.yaml"
MAX_VARIANTS = 5000  # per term; beyond that a pattern is almost certainly a mistake
HEAD_KINDS = frozenset({"headline", "kicker", "standfirst"})

# Tokens for matching: words (letters/digits), a paragraph break, or one punctuation mark.
# Whitespace and hyphens are skipped, so "terror-sponsor" and "terror sponsor" give the same
# tokens; punctuation and blank lines are tokens, so no term matches across them.
_TOKEN = re.compile(r"[^\W_]+|\n[^\S\n]*\n|[^\w\s\-\u2010\u2011]|_")
_WORD_TOKEN = re.compile(r"[^\W_]+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'",
                              "\u00b4": "'", "\u2032": "'"})
_APOSTROPHE_CHARS = tuple(chr(c) for c in _APOSTROPHES)
_HYPHEN_IN_WORD = re.compile(r"(?<=\w)-(?=\w)")
_NOTATION = set("[]{}()|;=")
_PAIRS = {"(": ")", "[": "]", "{": "}"}
_WORD = re.compile(r"\w+(?:[’'\-]\w+)*")  # same as analysis.segment word counting
_END = ""  # trie key marking "a term ends here" (tokens are never empty)


# --------------------------------------------------------------------------------------
# Tokens


def _normalise(text: str) -> str:
    """Lower-case with one apostrophe; same length as ``text`` so offsets carry over."""
    low = text.lower()
    if len(low) != len(text):  # rare: characters whose lower case is longer ("İ")
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    for ch in _APOSTROPHE_CHARS:  # str.replace is much faster than translate on long text
        if ch in low:
            low = low.replace(ch, "'")
    return low


def _tokens(text: str) -> tuple[list[str], list[int], list[int]]:
    norm = _normalise(text)
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in _TOKEN.finditer(norm):
        words.append(m.group())
        s, e = m.span()
        starts.append(s)
        ends.append(e)
    return words, starts, ends


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(_tokens(phrase)[0])


# --------------------------------------------------------------------------------------
# Pattern notation


class _PatternError(ValueError):
    def __init__(self, problem: str, pos: int, fix: str) -> None:
        super().__init__(problem)
        self.problem, self.pos, self.fix = problem, pos, fix


def _product(left: list[str], right: list[str]) -> list[str]:
    if len(left) * len(right) > MAX_VARIANTS:
        raise _PatternError(f"more than {MAX_VARIANTS} variants", 0,
                            "split the term into several patterns separated by ';'")
    return [a + b for a in left for b in right]


def _expand(pattern: str) -> list[str]:
    """All readings of one pattern, shortest reading first, whitespace normalised."""
    n = len(pattern)
    top_bar = top_space = False

    def alts(i: int, opener: int | None) -> tuple[list[str], int]:
        nonlocal top_bar, top_space
        close = _PAIRS[pattern[opener]] if opener is not None else None
        options: list[str] = []
        seq = [""]
        while i < n:
            c = pattern[i]
            if c in _PAIRS:
                sub, i = alts(i + 1, i)
                if c != "{":  # ( ) and [ ] are optional: the empty reading comes first
                    sub = [""] + [s for s in sub if s.strip()]
                seq = _product(seq, sub)
            elif c in ")]}":
                if c != close:
                    if close is None:
                        raise _PatternError(f"unbalanced '{c}' at character {i + 1}", i,
                                            f"remove it or add the opening '{_open_of(c)}'")
                    raise _PatternError(
                        f"'{pattern[opener]}' at character {opener + 1} is closed by '{c}'",
                        i, f"close it with '{close}'")
                options.extend(seq)
                return options, i + 1
            elif c == "|":
                top_bar |= opener is None
                options.extend(seq)
                seq = [""]
                i += 1
            else:
                top_space |= opener is None and c.isspace()
                seq = [s + c for s in seq]
                i += 1
        if opener is not None:
            raise _PatternError(f"unbalanced '{pattern[opener]}' at character {opener + 1}",
                                opener, f"close it with '{close}'")
        options.extend(seq)
        return options, n

    readings, _ = alts(0, None)
    if top_bar and top_space:
        raise _PatternError(
            "'|' outside brackets in a multi-word pattern is ambiguous", pattern.index("|"),
            "put phrase alternatives in braces, e.g. '{fill|step into} the void', "
            "or write separate patterns separated by ';'")
    out: list[str] = []
    seen: set[str] = set()
    for r in readings:
        r = " ".join(r.split())
        for v in (r, _HYPHEN_IN_WORD.sub("", r)):  # a hyphen also matches nothing
            if v and v not in seen:
                seen.add(v)
                out.append(v)
    if not out:
        raise _PatternError("the pattern has no words", 0, "write at least one word")
    return out


def _open_of(close: str) -> str:
    return {v: k for k, v in _PAIRS.items()}[close]


# --------------------------------------------------------------------------------------
# Lexicon


@dataclass(frozen=True)
class FrameTerm:
    """One canonical term: its frame, its patterns and where it was defined."""

    term: str
    frame: str
    patterns: tuple[str, ...]
    variants: tuple[str, ...] = field(repr=False)  # every reading; can be thousands
    file: str = ""
    line: int = 0


@dataclass(frozen=True, eq=False)
class FrameLexicon:
    """A validated, compiled framing lexicon (build it with :func:`load_frames`).

    Attributes
    ----------
    terms : tuple of FrameTerm
        In definition order; hits refer to them by canonical name.
    frames : mapping
        Frame name -> description.
    sources : tuple of str
        The files read, in order.
    """

    terms: tuple[FrameTerm, ...]
    frames: Mapping[str, str]
    sources: tuple[str, ...]
    _trie: dict = field(repr=False)
    _surfaces: Mapping[tuple[str, ...], int] = field(repr=False)
    _names: Mapping[str, int] = field(repr=False)
    # finds the words a term can start with; None when some term starts with punctuation
    _first: re.Pattern[str] | None = field(default=None, repr=False)
    # _first split by the character before the word (ASCII, non-ASCII): the same matches,
    # found faster (see _first_token_regexes)
    _first_split: tuple[re.Pattern[str], re.Pattern[str]] | None = field(
        default=None, repr=False)

    def __len__(self) -> int:
        return len(self.terms)

    def lookup(self, phrase: str) -> FrameTerm | None:
        """The term whose canonical name or any surface variant is ``phrase`` (any case,
        any apostrophe, hyphen or space), else None."""
        idx = self._names.get(" ".join(_key(phrase)))
        if idx is None:
            idx = self._surfaces.get(_key(phrase))
        return None if idx is None else self.terms[idx]

    def scan(self, text: str) -> list[tuple[int, int, FrameTerm]]:
        """``(start, end, term)`` of every leftmost-longest match in ``text``."""
        norm = _normalise(text)
        if self._first is None:
            return self._scan_tokens(norm)
        # The first-token regex finds the few words a term can start with (C speed), and
        # only those are walked; from a token boundary, _TOKEN.search yields the same next
        # token as tokenising the whole text. A leading space lets a candidate at offset 0
        # have its non-word character in front too (offsets are shifted back by one).
        padded = " " + norm
        if self._first_split is None:
            found: Iterable[re.Match[str]] = self._first.finditer(padded)
        else:
            in_ascii, in_other = self._first_split
            found = in_ascii.finditer(padded)
            if not padded.isascii():  # O(1): CPython knows whether a str is ASCII
                # a word after a non-ASCII character starts a token when that character
                # is not a word character ("“jihad" yes, "éjihad" no)
                other = [m for m in in_other.finditer(padded)
                         if _NON_WORD.match(padded, m.start())]
                if other:
                    found = sorted([*found, *other], key=_start_of)
        root = self._trie
        terms = self.terms
        search = _TOKEN.search
        hits: list[tuple[int, int, FrameTerm]] = []
        done = 0  # end of the previous hit: a candidate before it lies inside that hit
        for m in found:
            start, end = m.start(1) - 1, m.end(1) - 1
            if start < done:
                continue  # inside the previous match
            node = root[m[1]]
            best_end = -1
            best = -1
            while True:
                t = node.get(_END)
                if t is not None:
                    best_end, best = end, t
                nxt = search(norm, end)
                if nxt is None:
                    break
                node = node.get(nxt.group())
                if node is None:
                    break
                end = nxt.end()
            if best_end >= 0:
                hits.append((start, best_end, terms[best]))
                done = best_end
        return hits

    def _scan_tokens(self, norm: str) -> list[tuple[int, int, FrameTerm]]:
        """:meth:`scan` over every token of the normalised text (for lexicons with a term
        that starts with a punctuation token, which the first-token regex cannot find)."""
        words = _TOKEN.findall(norm)  # token strings only: offsets are found for hits alone
        root = self._trie
        found: list[tuple[int, int, int]] = []  # (first token, last token, term index)
        n = len(words)
        i = 0
        for i0 in [k for k, w in enumerate(words) if w in root]:
            if i0 < i:
                continue  # inside the previous match
            i = i0
            node = root[words[i]]
            best_j = -1
            best = -1
            j = i
            while True:
                t = node.get(_END)
                if t is not None:
                    best_j, best = j, t
                j += 1
                if j >= n:
                    break
                node = node.get(words[j])
                if node is None:
                    break
            if best_j < 0:
                i += 1
                continue
            found.append((i, best_j, best))
            i = best_j + 1
        if not found:
            return []
        # offsets: walk the same matches again (in C) only as far as the last hit
        matches = _TOKEN.finditer(norm)
        at = 0  # index of the next match the iterator yields
        hits: list[tuple[int, int, FrameTerm]] = []
        for first, last, term in found:
            m = next(islice(matches, first - at, None))
            start = m.start()
            if last > first:
                m = next(islice(matches, last - first - 1, None))
            at = last + 1
            hits.append((start, m.end(), self.terms[term]))
        return hits

    def table(self) -> pd.DataFrame:
        """One row per term: frame, term, patterns, n_variants, file, line."""
        return pd.DataFrame(
            [{"frame": t.frame, "term": t.term, "patterns": "; ".join(t.patterns),
              "n_variants": len(t.variants), "file": t.file, "line": t.line}
             for t in self.terms],
            columns=["frame", "term", "patterns", "n_variants", "file", "line"])


def _term_line(path: Path | None, entry: Entry, spec: str) -> int:
    """Best-effort line of a term string inside its entry (plain text search, no YAML)."""
    if path is None:
        return entry.line
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return entry.line
    needle = spec[:40]
    for k in range(entry.line - 1, len(lines)):
        if needle in lines[k]:
            return k + 1
    return entry.line


def _parse_term(spec: str, where: str) -> tuple[str, list[str], list[str]]:
    """``(canonical, patterns, readings)`` of one term string."""
    if "=" in spec:
        name, rest = spec.split("=", 1)
        name = " ".join(name.split())
        bad = sorted(set(name) & _NOTATION)
        if not name or bad:
            raise LexiconError(
                f"{where}: the canonical name before '=' must be plain words"
                f"{' (found ' + ' '.join(bad) + ')' if bad else ''}. "
                "Fix: write 'name = pattern; pattern', e.g. "
                "'sponsor of terrorism = [state] sponsor(s) of terror(ism)'.")
    else:
        name, rest = "", spec
    patterns = [p.strip() for p in rest.split(";") if p.strip()]
    if not patterns:
        raise LexiconError(f"{where}: no pattern. Fix: write at least one pattern after '='.")
    readings: list[str] = []
    for p in patterns:
        try:
            readings.extend(_expand(p))
        except _PatternError as exc:
            raise LexiconError(
                f"{where}: pattern {p!r}: {exc.problem}. Fix: {exc.fix}.") from None
    return (name or readings[0]), patterns, readings


def _build(entries: Sequence[Entry], paths: Mapping[str, Path]) -> FrameLexicon:
    terms: dict[str, FrameTerm] = {}  # canonical key -> term; a later file replaces
    frames: dict[str, str] = {}
    defined_in: dict[str, str] = {}
    entry_no: Counter[str] = Counter()
    for e in entries:
        entry_no[e.file] += 1
        frame = " ".join(str(e["frame"]).split())
        if not frame:
            raise LexiconError(f"{e.file}:{e.line}: entry {entry_no[e.file]} has an empty "
                               "'frame'. Fix: name the frame, e.g. 'frame: power vacuum'.")
        if e.get("description") or frame not in frames:
            frames[frame] = e.get("description") or frames.get(frame, "")
        for j, spec in enumerate(e["terms"], 1):
            line = _term_line(paths.get(e.file), e, spec)
            where = f"{e.file}:{line}: entry {entry_no[e.file]} ({frame!r}), term {j} ({spec!r})"
            name, patterns, readings = _parse_term(spec, where)
            key = " ".join(_key(name))
            if defined_in.get(key) == e.file:
                raise LexiconError(f"{where}: term {name!r} is defined twice in this file. "
                                   "Fix: merge the two definitions into one.")
            defined_in[key] = e.file
            terms.pop(key, None)  # re-insert so the order follows the latest definition
            terms[key] = FrameTerm(term=name, frame=frame, patterns=tuple(patterns),
                                   variants=tuple(readings), file=e.file, line=line)
    ordered = tuple(terms.values())
    surfaces: dict[tuple[str, ...], int] = {}
    for idx, t in enumerate(ordered):
        for reading in (t.term, *t.variants):
            seq = _key(reading)
            if not seq:
                continue
            prev = surfaces.get(seq)
            if prev is not None and prev != idx:
                other = ordered[prev]
                if other.file == t.file:
                    raise LexiconError(
                        f"{t.file}:{t.line}: term {t.term!r} and term {other.term!r} "
                        f"(line {other.line}) both match {' '.join(seq)!r}. Fix: remove the "
                        "reading from one of them.")
            surfaces[seq] = idx  # a later file wins
    trie: dict = {}
    for seq, idx in surfaces.items():
        node = trie
        for tok in seq:
            node = node.setdefault(tok, {})
        node[_END] = idx
    names = {" ".join(_key(t.term)): i for i, t in enumerate(ordered)}
    sources = tuple(dict.fromkeys(e.file for e in entries))
    first, split = _first_token_regexes(trie)
    return FrameLexicon(terms=ordered, frames=dict(frames), sources=sources, _trie=trie,
                        _surfaces=surfaces, _names=names, _first=first, _first_split=split)


# the non-word characters of ASCII ([\W_] restricted to ASCII), as a plain character set
_ASCII_NON_WORD = r"[\x00-/:-@\[-`{-\x7f]"
_NON_WORD = re.compile(r"[\W_]")


def _start_of(m: re.Match[str]) -> int:
    return m.start()


# what _TOKEN skips between two tokens: whitespace and hyphens, but for a line break that
# starts a paragraph break (possessive: a token never starts with these characters)
_TOKEN_GAP = r"(?:[^\S\n]|[\-\u2010\u2011]|\n(?![^\S\n]*\n))*+"


def _token_regex(token: str) -> str | None:
    """Regex for ``token`` where a token starts (a word: up to its last character); None
    for a paragraph break."""
    if _WORD_TOKEN.fullmatch(token):
        return re.escape(token) + r"(?![^\W_])"
    if len(token) == 1 and _TOKEN.fullmatch(token):
        return re.escape(token)
    return None


def _first_tokens_body(trie: dict) -> str:
    """The first words of the terms as one alternation factored by characters (as
    :func:`~analysis.lexicons.trie_regex`), each word whole (``(?![^\\W_])``) and, when no
    term is that word alone, followed by a lookahead for the tokens that may come next in
    a term: a candidate that the walk would drop at its second token is not found at all
    (most are), and a match is still that word alone."""
    chars: dict[str, dict] = {}
    for word, node in trie.items():
        if word == _END:
            continue
        after = ""
        nexts = [_token_regex(t) for t in sorted(node) if t != _END]
        if _END not in node and nexts and all(nexts):  # (None: no lookahead)
            after = f"(?={_TOKEN_GAP}(?:{'|'.join(r for r in nexts if r)}))"
        at = chars
        for ch in word:
            at = at.setdefault(ch, {})
        at[""] = r"(?![^\W_])" + after

    def build(at: dict) -> str:
        alts = [re.escape(ch) + build(at[ch]) for ch in sorted(at) if ch]
        if "" in at:
            alts.append(at[""])
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return build(chars)


def _first_token_regexes(trie: dict) -> tuple[
        re.Pattern[str] | None, tuple[re.Pattern[str], re.Pattern[str]] | None]:
    """Regex for the first tokens of the terms as whole words, preceded by the non-word
    character that makes them start a token: ``[\\W_](word|...)`` (see
    :func:`_first_tokens_body`); and the same regex split in two by that character: any
    ASCII one (a plain set, which the engine tests much faster than the Unicode category
    ``\\W``) and any non-ASCII one (to be checked with ``[\\W_]``). A match holds no
    non-word character but its first, so the matches never overlap and the two together
    find exactly the matches of the first.

    Starting with a character class lets the regex engine skip the letters in between in C.
    ``(None, None)`` when a term starts with a non-word token (punctuation, paragraph break)
    or the lexicon is empty: :meth:`FrameLexicon.scan` then walks every token.
    """
    words = [w for w in trie if w != _END]
    if not words or not all(_WORD_TOKEN.fullmatch(w) for w in words):
        return None, None
    try:
        body = _first_tokens_body(trie)
        return (re.compile(rf"[\W_]({body})"),
                (re.compile(rf"{_ASCII_NON_WORD}({body})"),
                 re.compile(rf"[^\x00-\x7f]({body})")))
    except (RecursionError, re.error, OverflowError):  # absurdly long words: walk every token
        return None, None


@lru_cache(maxsize=32)
def _load_cached(files: tuple[tuple[str, int], ...], replace: bool) -> FrameLexicon:
    user = [f for f, _ in files]
    entries = read_many(user, default=FRAMES_FILE, key="frames",
                        required={"frame": str, "terms": list},
                        optional={"description": str}, replace=replace)
    # labels as read_many writes them -> paths, to find a term's line for error messages
    paths = {FRAMES_FILE: data_path(FRAMES_FILE), **{f: Path(f) for f in user}}
    return _build(entries, paths)


def load_frames(paths: Sequence[str | Path] = (), *, replace: bool = False) -> FrameLexicon:
    """Read, validate and compile the framing lexicon.

    Parameters
    ----------
    paths : sequence of str or Path
        Extra lexicon files (same shape as ``analysis/data/frames.yaml``). Their entries
        extend the packaged lexicon; a term defined again replaces the packaged one.
    replace : bool
        Use only ``paths``, not the packaged lexicon (ignored when ``paths`` is empty).

    Returns
    -------
    FrameLexicon
        Compiled once per (files, modification times) and cached.

    Raises
    ------
    LexiconError
        Naming file, line, entry, term and the fix, e.g. an unbalanced bracket.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    key = []
    for p in paths:
        path = Path(p)
        try:  # the modification time is in the key so an edited file is re-read
            mtime = path.stat().st_mtime_ns
        except OSError:
            mtime = -1
        key.append((str(path), mtime))
    return _load_cached(tuple(key), bool(replace))


# --------------------------------------------------------------------------------------
# Hot path


_START = itemgetter("start")


def find_framing(
    text: str,
    sentences: Sequence[Mapping[str, Any]],
    *,
    lexicon: FrameLexicon | None = None,
    voice_at: Callable[[int], str] | None = None,
) -> list[dict[str, Any]]:
    """Framing hits in one document.

    Parameters
    ----------
    text : str
        The document text (offsets refer to it).
    sentences : sequence of dict
        Sentence records (``sent_id``, ``start``, ``end``, ``voice``...). A hit is reported
        only when it starts inside a sentence, so boilerplate without sentences is skipped.
    lexicon : FrameLexicon, optional
        Default: the packaged lexicon.
    voice_at : callable, optional
        Voice at a character offset (e.g. a quote's speaker inside a narrator sentence).
        When omitted, the sentence's ``voice`` is used (``"narrator"`` when missing).

    Returns
    -------
    list of dict
        ``{"frame", "term", "start", "end", "text", "sent_id", "voice"}`` per hit, in text
        order, with ``text[start:end] == record["text"]``.
    """
    if lexicon is None:
        lexicon = load_frames()
    if not sentences:
        return []
    hits = lexicon.scan(text)
    if not hits:
        return []
    sents = list(sentences)
    sent_starts = list(map(_START, sents))
    if sent_starts != sorted(sent_starts):  # checked in C; the pipeline's are sorted
        sents.sort(key=_START)
        sent_starts = list(map(_START, sents))
    out: list[dict[str, Any]] = []
    for start, end, term in hits:
        k = bisect.bisect_right(sent_starts, start) - 1
        if k < 0 or start >= sents[k]["end"]:
            continue
        sent = sents[k]
        voice = voice_at(start) if voice_at is not None else sent.get("voice") or "narrator"
        out.append({"frame": term.frame, "term": term.term, "start": start, "end": end,
                    "text": text[start:end], "sent_id": sent["sent_id"], "voice": voice})
    return out


# --------------------------------------------------------------------------------------
# Counting


_HIT_COLUMNS = ["frame", "term", "start", "end", "text", "sent_id", "voice", "doc_id"]


def _one_doc_id(framing: pd.DataFrame, documents: pd.DataFrame, param: str) -> pd.DataFrame:
    if framing.empty and not set(_HIT_COLUMNS) <= set(framing.columns):
        return pd.DataFrame(columns=_HIT_COLUMNS)  # no hits at all: an empty, typed table
    if "doc_id" in framing.columns:
        return framing
    if len(documents) == 1:
        return framing.assign(doc_id=documents["doc_id"].iloc[0])
    raise ValueError(f"{param} has no 'doc_id' column but documents has {len(documents)} rows. "
                     "Fix: add doc_id to the framing table (Analysis.framing has it).")


def positions(sentences: pd.DataFrame, *, lead_paragraphs: int = 1) -> pd.Series:
    """Position of each sentence in its article: ``lead``, ``body``, ``ending`` or ``head``.

    Only sentences of kind ``body`` are ranked by their paragraph index within the document:
    the first ``lead_paragraphs`` body paragraphs are the lead, the last body paragraph is
    the ending, the rest is body. Headline, kicker and standfirst sentences are ``head``.
    A document with a single body paragraph has only a lead.
    """
    if "paragraph" not in sentences.columns:
        raise ValueError("sentences has no 'paragraph' column. Fix: pass the pipeline's "
                         "sentences table (Analysis.sentences).")
    kind = sentences["kind"] if "kind" in sentences.columns else pd.Series(
        "body", index=sentences.index)
    body = kind.eq("body")
    docs = (sentences["doc_id"] if "doc_id" in sentences.columns
            else pd.Series("", index=sentences.index))
    para = sentences["paragraph"].where(body)
    rank = para.groupby(docs).rank(method="dense")
    last = rank.groupby(docs).transform("max")
    pos = pd.Series("body", index=sentences.index, dtype=object)
    pos[rank.eq(last)] = "ending"
    pos[rank.le(lead_paragraphs)] = "lead"
    pos[~body] = "head"
    return pos


def _sentence_table(sentences: pd.DataFrame, *, lead_paragraphs: int) -> pd.DataFrame:
    s = sentences.copy()
    if "doc_id" not in s.columns:
        s["doc_id"] = ""
    s["position"] = positions(s, lead_paragraphs=lead_paragraphs)
    if "voice" not in s.columns:
        s["voice"] = "narrator"
    s["n_words"] = s["text"].fillna("").str.count(_WORD.pattern)
    return s


def frequencies(
    framing: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    by: str | Sequence[str] = ("term",),
    sentences: pd.DataFrame | None = None,
    lead_paragraphs: int = 1,
) -> pd.DataFrame:
    """Raw counts and rates per 1,000 words, grouped by any columns.

    Parameters
    ----------
    framing : DataFrame
        Framing hits (``Analysis.framing``): term, frame, doc_id, voice, sent_id...
    documents : DataFrame
        One row per document with ``doc_id``, ``n_words`` and metadata (outlet, date...).
    by : str or sequence of str
        Any of ``term``, ``frame``, ``doc_id``, ``voice``, ``position`` and the metadata
        columns of ``documents``.
    sentences : DataFrame, optional
        Sentence table (doc_id, sent_id, paragraph, kind, voice, text). Required for
        ``position`` (see :func:`positions`); with it, rates by ``voice``/``position`` are per
        1,000 words *of that voice/position* (sentence-level voice: words of a quote inside a
        narrator sentence count for the narrator). Without it, rates by voice are per 1,000
        words of the whole documents.
    lead_paragraphs : int
        How many body paragraphs form the lead.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``count``, ``n_words`` (the denominator) and ``per_1000``.
        When ``by`` has no term/frame column, groups with no hit are listed with count 0.
    """
    by = [by] if isinstance(by, str) else list(by)
    meta = [c for c in documents.columns if c not in ("text", "n_words")]
    known = {"term", "frame", "voice", "position", *meta}
    unknown = [c for c in by if c not in known]
    if not by or unknown:
        raise ValueError(f"by={by!r}: unknown column(s) {unknown}. Fix: use any of "
                         f"{sorted(known)}.")
    if "n_words" not in documents.columns:
        raise ValueError("documents has no 'n_words' column. Fix: pass Analysis.documents.")
    if "position" in by and sentences is None:
        raise ValueError("by='position' needs sentences=. Fix: pass the sentences table.")
    hits = _one_doc_id(framing, documents, "framing")
    doc_by = [c for c in by if c in meta]
    text_by = [c for c in by if c in ("voice", "position")]
    s = None
    if sentences is not None:
        s = _sentence_table(sentences, lead_paragraphs=lead_paragraphs)
        if "position" in by:
            on = ["doc_id", "sent_id"] if "doc_id" in hits.columns else ["sent_id"]
            hits = hits.merge(s[on + ["position"]].drop_duplicates(on), on=on, how="left")
    extra = [c for c in doc_by if c != "doc_id" and c not in hits.columns]
    if extra:
        hits = hits.merge(documents[["doc_id", *extra]], on="doc_id", how="left")
    counts = hits.groupby(by, dropna=False).size().rename("count")
    if text_by and s is not None:
        extra_s = [c for c in doc_by if c not in s.columns]
        if extra_s:
            s = s.merge(documents[["doc_id", *extra_s]], on="doc_id", how="left")
        denom = s.groupby(doc_by + text_by, dropna=False)["n_words"].sum()
    elif doc_by:
        denom = documents.groupby(doc_by, dropna=False)["n_words"].sum()
    else:
        denom = None
    if denom is not None and not {"term", "frame"} & set(by):
        counts = counts.reindex(denom.index.reorder_levels(by) if len(by) > 1
                                else denom.index, fill_value=0)
    out = counts.reset_index()
    if denom is None:
        out["n_words"] = int(documents["n_words"].sum())
    else:
        out = out.merge(denom.rename("n_words").reset_index(), on=list(denom.index.names),
                        how="left")
    out["per_1000"] = out["count"] / out["n_words"].where(out["n_words"] > 0) * 1000
    return out.sort_values(["count", *by], ascending=[False] + [True] * len(by),
                           ignore_index=True)


# --------------------------------------------------------------------------------------
# KWIC

_SENT_SPLIT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|\n\s*\n")
_KWIC_COLUMNS = ["left", "match", "right", "doc_id", "sent_id", "sentence", "voice",
                 "start", "end", "term", "frame"]


def _crude_sentences(text: str) -> list[dict[str, Any]]:
    """Rough sentences for a plain string (the pipeline's segmenter is better)."""
    out: list[dict[str, Any]] = []
    pos = 0
    for m in [*_SENT_SPLIT.finditer(text), None]:
        end = m.start() if m is not None else len(text)
        chunk = text[pos:end]
        if chunk.strip():
            s = pos + len(chunk) - len(chunk.lstrip())
            e = pos + len(chunk.rstrip())
            out.append({"sent_id": len(out), "start": s, "end": e, "text": text[s:e],
                        "voice": "narrator", "paragraph": 0, "kind": "body"})
        pos = m.end() if m is not None else len(text)
    return out


def _squash(s: str) -> str:
    return " ".join(s.split())


def _context(text: str, start: int, end: int, width: int) -> tuple[str, str]:
    left = _squash(text[max(0, start - width * 2):start])[-width:]
    right = _squash(text[end:end + width * 2])[:width]
    # keep the space next to the match visible after squashing
    if start > 0 and text[start - 1].isspace():
        left = (left + " ")[-width:] if not left.endswith(" ") else left
    if end < len(text) and text[end].isspace():
        right = (" " + right)[:width] if not right.startswith(" ") else right
    return left, right


def _spans_for(text: str, term: str, by: str, lexicon: FrameLexicon
               ) -> list[tuple[int, int, str | None, str | None]]:
    if by == "regex":
        try:
            rx = re.compile(term, re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"term={term!r} is not a valid regex ({exc}). Fix: escape "
                             "special characters or use by='term'.") from None
        return [(m.start(), m.end(), None, None) for m in rx.finditer(text) if m.end() > m.start()]
    if by == "frame":
        want = term.casefold()
        return [(s, e, t.term, t.frame) for s, e, t in lexicon.scan(text)
                if t.frame.casefold() == want]
    found = lexicon.lookup(term)
    if found is None:  # not in the lexicon: match the literal term (pattern notation works)
        lexicon = _literal_lexicon(term)
        found = lexicon.terms[0]
    return [(s, e, t.term, t.frame) for s, e, t in lexicon.scan(text) if t is found]


@lru_cache(maxsize=64)
def _literal_lexicon(term: str) -> FrameLexicon:
    e = Entry(fields={"frame": "(literal)", "terms": [term]}, file="term=", line=1)
    return _build([e], {})


def kwic(
    source: Any,
    term: str,
    *,
    width: int = 60,
    by: Literal["term", "frame", "regex"] = "term",
    lexicon: FrameLexicon | None = None,
) -> pd.DataFrame:
    """Keyword in context: every occurrence of a term with its left and right context.

    Parameters
    ----------
    source : Analysis-like or str
        An object with ``.documents`` (doc_id, text) and ``.sentences`` DataFrames (and
        ``.framing``, used when it holds the term), or a plain text.
    term : str
        With ``by="term"``: a canonical term or any of its surface variants ("terror
        sponsor" finds "sponsor of terrorism"); a phrase not in the lexicon is matched
        literally (the lexicon's pattern notation works). ``by="frame"``: a frame name.
        ``by="regex"``: a regular expression (case-insensitive).
    width : int
        Characters of context on each side.
    lexicon : FrameLexicon, optional
        Default: the packaged lexicon.

    Returns
    -------
    DataFrame
        Columns left, match, right, doc_id, sent_id, sentence, voice, start, end, term,
        frame; one row per occurrence in text order.
    """
    if by not in ("term", "frame", "regex"):
        raise ValueError(f"by={by!r}. Fix: use 'term', 'frame' or 'regex'.")
    if width < 0:
        raise ValueError(f"width={width}: must be >= 0.")
    lexicon = lexicon or load_frames()
    if isinstance(source, str):
        docs = [("text", source, _crude_sentences(source))]
    elif hasattr(source, "documents") and hasattr(source, "sentences"):
        docs = _docs_of(source)
    else:
        raise TypeError("source must be a str or an Analysis (with .documents and "
                        f".sentences), got {type(source).__name__}.")
    rows: list[dict[str, Any]] = []
    framing = getattr(source, "framing", None)
    use_table = (by != "regex" and isinstance(framing, pd.DataFrame) and len(framing)
                 and {"start", "end", "doc_id", "term", "frame"} <= set(framing.columns))
    for doc_id, text, sents in docs:
        if use_table:
            spans = _table_spans(framing, doc_id, term, by, lexicon)
            if spans is None:
                spans = _spans_for(text, term, by, lexicon)
        else:
            spans = _spans_for(text, term, by, lexicon)
        starts = [s["start"] for s in sents]
        for start, end, t, frame, *hit_voice in spans:
            k = bisect.bisect_right(starts, start) - 1
            sent = sents[k] if k >= 0 and start < sents[k]["end"] else None
            left, right = _context(text, start, end, width)
            # the pipeline's hit voice (quote speaker) beats the sentence's voice
            voice = (hit_voice[0] if hit_voice and isinstance(hit_voice[0], str)
                     else (sent or {}).get("voice") or "narrator")
            rows.append({"left": left, "match": text[start:end], "right": right,
                         "doc_id": doc_id, "sent_id": None if sent is None else sent["sent_id"],
                         "sentence": None if sent is None else _squash(sent["text"]),
                         "voice": voice, "start": start, "end": end, "term": t,
                         "frame": frame})
    return pd.DataFrame(rows, columns=_KWIC_COLUMNS)


def _docs_of(source: Any) -> list[tuple[Any, str, list[dict[str, Any]]]]:
    documents: pd.DataFrame = source.documents
    if not {"doc_id", "text"} <= set(documents.columns):
        raise ValueError("source.documents needs 'doc_id' and 'text' columns.")
    sentences: pd.DataFrame = source.sentences
    by_doc: dict[Any, list[dict[str, Any]]] = {}
    if sentences is not None and len(sentences):
        cols = [c for c in ("doc_id", "sent_id", "start", "end", "text", "voice")
                if c in sentences.columns]
        for rec in sentences[cols].sort_values(["doc_id", "start"]).to_dict("records"):
            by_doc.setdefault(rec["doc_id"], []).append(rec)
    return [(d, t, by_doc.get(d, [])) for d, t in zip(documents["doc_id"], documents["text"],
                                                       strict=True)]


def _table_spans(framing: pd.DataFrame, doc_id: Any, term: str, by: str,
                 lexicon: FrameLexicon) -> list[tuple[int, int, str, str, str | None]] | None:
    """Hits of the pipeline's framing table for one document; None when the table does not
    know the term (then the text is searched)."""
    if by == "frame":
        mask = framing["frame"].str.casefold() == term.casefold()
    else:
        found = lexicon.lookup(term)
        names = {term.casefold(), *( [found.term.casefold()] if found else [])}
        mask = framing["term"].str.casefold().isin(names)
    if not mask.any():
        return None
    sub = framing[mask & (framing["doc_id"] == doc_id)].sort_values("start")
    voices = sub["voice"] if "voice" in sub.columns else [None] * len(sub)
    return list(zip(sub["start"], sub["end"], sub["term"], sub["frame"], voices, strict=True))


def kwic_html(kwic_df: pd.DataFrame, *, caption: str | None = None) -> str:
    """An HTML table of a :func:`kwic` result with the match in ``<mark>``.

    All cell text is escaped with :func:`html.escape`, so markup in an article stays inert.
    """
    esc = html.escape
    head = "".join(f"<th>{h}</th>" for h in ("doc", "voice", "left", "match", "right"))
    rows = []
    for r in kwic_df.itertuples(index=False):
        rows.append(
            f"<tr><td>{esc(str(r.doc_id))}</td><td>{esc(str(r.voice))}</td>"
            f'<td style="text-align:right;white-space:nowrap">{esc(str(r.left))}</td>'
            f"<td><mark>{esc(str(r.match))}</mark></td>"
            f'<td style="white-space:nowrap">{esc(str(r.right))}</td></tr>')
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (f'<table class="kwic">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


# --------------------------------------------------------------------------------------
# Dispersion


def dispersion(framing: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Where in each document the terms occur.

    Parameters
    ----------
    framing : DataFrame
        Framing hits with doc_id (optional for one document), term, frame, voice, start.
    documents : DataFrame
        doc_id and ``text`` (or ``n_chars``) to know each document's length.

    Returns
    -------
    DataFrame
        term, frame, doc_id, voice, sent_id, start and ``relative_position`` (start divided
        by the document length, 0..1).
    """
    hits = _one_doc_id(framing, documents, "framing")
    if "n_chars" in documents.columns:
        length = documents[["doc_id", "n_chars"]]
    elif "text" in documents.columns:
        length = documents[["doc_id"]].assign(n_chars=documents["text"].str.len())
    else:
        raise ValueError("documents needs a 'text' or 'n_chars' column for dispersion.")
    out = hits.merge(length, on="doc_id", how="left")
    out["relative_position"] = (out["start"] / out["n_chars"].where(out["n_chars"] > 0)
                                ).clip(0, 1)
    cols = ["term", "frame", "doc_id", "voice", "sent_id", "start", "relative_position"]
    for c in cols:
        if c not in out.columns:
            out[c] = None
    return out[cols].sort_values(["doc_id", "start"], ignore_index=True)


def plot_dispersion(df: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Barcode plot: one row per term, a tick per hit at its relative position; the narrator
    and quoted speakers in different colours (seaborn's colour-blind palette).

    Parameters
    ----------
    df : DataFrame
        Output of :func:`dispersion`.
    ax : matplotlib Axes, optional
        Draw into it; a new figure otherwise.
    """
    import matplotlib.pyplot as plt  # lazy: keep `import analysis` light
    import seaborn as sns

    d = df.copy()
    d["voice group"] = d["voice"].eq("narrator").map({True: "narrator",
                                                      False: "quoted speaker"})
    order = list(dict.fromkeys(d["term"]))
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 1.2 + 0.35 * max(1, len(order))))
    colours = sns.color_palette("colorblind", 2)
    sns.scatterplot(data=d, x="relative_position", y="term", hue="voice group",
                    hue_order=["narrator", "quoted speaker"],
                    palette={"narrator": colours[0], "quoted speaker": colours[1]},
                    marker="|", s=300, linewidth=2, ax=ax, legend="brief")
    ax.set_xlim(0, 1)
    ax.set_xlabel("position in document (0 = start, 1 = end)")
    ax.set_ylabel("")
    return ax


# --------------------------------------------------------------------------------------
# Collocations and candidates


@lru_cache(maxsize=8)
def _stopwords(files: tuple[str, ...]) -> frozenset[str]:
    entries = read_many(files, default=STOPWORDS_FILE, key="words", required={"word": str})
    return frozenset(_normalise(e["word"]).strip() for e in entries)


def load_stopwords(paths: Sequence[str | Path] = ()) -> frozenset[str]:
    """The packaged stopwords (``analysis/data/stopwords.yaml``) plus user files."""
    return _stopwords(tuple(str(p) for p in paths))


# a sentence-end run is matched only from its first mark, possessively: on a long run of
# marks not followed by a space ("." * 30000) the plain pattern retried from every mark
# (quadratic); the matches are the same
_CHUNK = re.compile(r"(?<![.!?;:])[.!?;:]++[\"”’)]*+\s+|\n\s*\n")


def _as_texts(texts: Sequence[str] | str, param: str) -> list[str]:
    if isinstance(texts, str):
        return [texts]
    out = list(texts)
    if not all(isinstance(t, str) for t in out):
        raise TypeError(f"{param} must be a str or a sequence of str.")
    return out


def collocations(
    texts: Sequence[str] | str,
    *,
    n: Literal[2, 3] = 2,
    measure: Literal["likelihood", "pmi"] = "likelihood",
    min_freq: int = 2,
    top: int = 20,
    stopwords: Iterable[str] = (),
) -> pd.DataFrame:
    """Collocations (NLTK finders) of words in the texts.

    Words come from NLTK's data-free :class:`~nltk.tokenize.RegexpTokenizer`; texts are
    cut at sentence punctuation and blank lines so no n-gram spans two sentences. N-grams
    that start or end with a stopword (packaged list plus ``stopwords``) or contain a token
    without letters are dropped.

    Parameters
    ----------
    n : {2, 3}
        Bigrams or trigrams.
    measure : {"likelihood", "pmi"}
        Dunning's log-likelihood ratio or pointwise mutual information.
    min_freq : int
        Minimum frequency of an n-gram.
    top : int
        How many n-grams to return.

    Returns
    -------
    DataFrame
        ngram, freq, score (highest score first).
    """
    from nltk.collocations import BigramCollocationFinder, TrigramCollocationFinder
    from nltk.metrics import BigramAssocMeasures, TrigramAssocMeasures
    from nltk.tokenize import RegexpTokenizer

    if n not in (2, 3):
        raise ValueError(f"n={n!r}. Fix: use 2 or 3.")
    if measure not in ("likelihood", "pmi"):
        raise ValueError(f"measure={measure!r}. Fix: use 'likelihood' or 'pmi'.")
    stop = load_stopwords() | {_normalise(w) for w in stopwords}
    tok = RegexpTokenizer(r"[^\W_]+(?:['’][^\W_]+)*")
    chunks = [[_normalise(w) for w in tok.tokenize(c)]
              for t in _as_texts(texts, "texts") for c in _CHUNK.split(t)]
    chunks = [c for c in chunks if len(c) >= n]
    finder_cls = BigramCollocationFinder if n == 2 else TrigramCollocationFinder
    assoc = BigramAssocMeasures if n == 2 else TrigramAssocMeasures
    finder = finder_cls.from_documents(chunks)
    finder.apply_freq_filter(min_freq)
    finder.apply_ngram_filter(
        lambda *w: w[0] in stop or w[-1] in stop or not all(any(c.isalpha() for c in x)
                                                             for x in w))
    fn = assoc.likelihood_ratio if measure == "likelihood" else assoc.pmi
    rows = [{"ngram": " ".join(g), "freq": finder.ngram_fd[g], "score": float(s)}
            for g, s in finder.score_ngrams(fn)[:top]]
    return pd.DataFrame(rows, columns=["ngram", "freq", "score"])


@lru_cache(maxsize=1)
def _vader_lexicon() -> Mapping[str, float]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # lazy: heavy file

    return SentimentIntensityAnalyzer().lexicon


def candidate_terms(
    source: Any,
    *,
    lexicon: FrameLexicon | None = None,
    mentions: pd.DataFrame | None = None,
    top: int = 30,
    min_freq: int = 2,
    window: int = 8,
    min_valence: float = 1.5,
) -> pd.DataFrame:
    """Candidate framing phrases the lexicon does not list yet.

    Two kinds of candidate, ranked separately:

    - ``ngram``: frequent 2-3 word content phrases (no stopword at either end, not all
      capitalised — those are names), scored by frequency x the share of lower-case words
      (at least 0.25), so half-capitalised names rank below common-word phrases;
    - ``loaded``: single words with a strong valence in VADER's lexicon
      (``|valence| >= min_valence``), scored by frequency x |valence|.

    Words inside lexicon hits are skipped. Occurrences within ``window`` tokens of an actor
    mention count as ``near_actor`` and double their weight in the score.

    Parameters
    ----------
    source : Analysis-like, str or sequence of str
        Texts to mine; an object with ``.documents`` (doc_id, text) and optionally
        ``.mentions`` (doc_id, start, end).
    lexicon : FrameLexicon, optional
        Default: the packaged lexicon.
    mentions : DataFrame, optional
        Actor mentions with doc_id, start, end (doc_id = position in the list for texts).
    top : int
        Rows per kind.

    Returns
    -------
    DataFrame
        candidate, kind, freq, n_docs, near_actor, valence, score, example.
    """
    lexicon = lexicon or load_frames()
    if isinstance(source, str):
        docs = [(0, source)]
    elif hasattr(source, "documents"):
        docs = list(zip(source.documents["doc_id"], source.documents["text"], strict=True))
        if mentions is None and isinstance(getattr(source, "mentions", None), pd.DataFrame):
            mentions = source.mentions
    else:
        docs = list(enumerate(_as_texts(source, "source")))
    stop = load_stopwords()
    valence = _vader_lexicon()
    spans: dict[Any, list[tuple[int, int]]] = {}
    if mentions is not None and len(mentions):
        for d, s, e in zip(mentions["doc_id"], mentions["start"], mentions["end"], strict=True):
            spans.setdefault(d, []).append((s, e))
    stats: dict[tuple[str, str], dict[str, Any]] = {}

    def add(kind: str, key: str, doc: Any, near: bool, example: str, val: float) -> None:
        st = stats.setdefault((kind, key), {"freq": 0, "docs": set(), "near": 0,
                                            "example": example, "valence": val})
        st["freq"] += 1
        st["docs"].add(doc)
        st["near"] += near

    for doc_id, text in docs:
        words, starts, ends = _tokens(text)
        covered = [False] * len(words)
        for s, e, _ in lexicon.scan(text):
            i = bisect.bisect_left(starts, s)
            while i < len(words) and starts[i] < e:
                covered[i] = True
                i += 1
        near = [False] * len(words)
        for s, e in spans.get(doc_id, []):
            i = bisect.bisect_left(ends, s + 1)
            j = bisect.bisect_left(starts, e)
            for k in range(max(0, i - window), min(len(words), j + window)):
                near[k] = True
        content = [w[0].isalpha() and w not in stop and not covered[i] and len(w) > 1
                   for i, w in enumerate(words)]
        for i, w in enumerate(words):
            if content[i] and abs(valence.get(w, 0.0)) >= min_valence:
                add("loaded", w, doc_id, near[i], text[starts[i]:ends[i]], valence[w])
            for size in (2, 3):
                j = i + size
                if j > len(words) or not (content[i] and content[j - 1]):
                    continue
                if not all(words[k][0].isalnum() and not covered[k] for k in range(i, j)):
                    continue
                surface = text[starts[i]:ends[j - 1]]
                capitals = sum(text[starts[k]].isupper() for k in range(i, j))
                if capitals == size:
                    continue  # a name, not a framing phrase
                # store the share of lower-case words: names and titles rank lower
                add("ngram", " ".join(words[i:j]), doc_id, any(near[i:j]), surface,
                    1.0 - capitals / size)
    rows = []
    for (kind, key), st in stats.items():
        if st["freq"] < min_freq:
            continue
        weight = abs(st["valence"]) if kind == "loaded" else max(st["valence"], 0.25)
        score = (st["freq"] + st["near"]) * weight
        rows.append({"candidate": key, "kind": kind, "freq": st["freq"],
                     "n_docs": len(st["docs"]), "near_actor": st["near"],
                     "valence": st["valence"] if kind == "loaded" else None,
                     "score": score, "example": st["example"]})
    cols = ["candidate", "kind", "freq", "n_docs", "near_actor", "valence", "score", "example"]
    out = pd.DataFrame(rows, columns=cols)
    if out.empty:
        return out
    out = out.sort_values(["kind", "score", "candidate"], ascending=[True, False, True])
    return out.groupby("kind", sort=False).head(top).reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Keyness


def _n_tokens(value: str | Sequence[str]) -> int:
    return sum(len(_WORD.findall(t)) for t in _as_texts(value, "texts"))


def compare(
    framing_or_counts: pd.DataFrame,
    *,
    group: str,
    a: Any,
    b: Any,
    unit: Literal["term", "frame"] = "term",
    totals: Mapping[Any, int] | None = None,
    texts: Mapping[Any, str | Sequence[str]] | None = None,
    prior_strength: float = 1.0,
) -> pd.DataFrame:
    """Two groups side by side (two voices, two documents, two outlets) with keyness.

    Keyness is the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi &
    Quinn 2008, "Fightin' Words"), with z-scores: positive z = ``a`` uses the term more.
    The prior for each term is ``prior_strength`` x its pooled count in both groups, which
    shrinks rare terms towards no difference.

    Parameters
    ----------
    framing_or_counts : DataFrame
        Framing hits (one row per hit) or counts (a ``count`` column), with columns
        ``unit`` and ``group``.
    group : str
        Column that holds the groups, e.g. ``"voice"`` or ``"doc_id"``.
    a, b : any
        The two values of ``group`` to compare.
    unit : {"term", "frame"}
        Compare terms or frames.
    totals : mapping, optional
        Number of word tokens in each group, ``{a: n_a, b: n_b}``: the odds are then per
        word of text. Takes precedence over ``texts``.
    texts : mapping, optional
        The text(s) of each group, ``{a: [...], b: [...]}``, to count word tokens.
        Without ``totals`` or ``texts`` the totals are the framing hits of each group, so the
        comparison is of each group's *mix* of framing terms.
    prior_strength : float
        Weight of the pooled-count prior (larger = more shrinkage).

    Returns
    -------
    DataFrame
        ``unit``, count_a, count_b, per_1000_a, per_1000_b, used_by ("both", a or b),
        log_odds, z, favours; sorted by z (most typical of ``a`` first).
        ``df.attrs`` holds ``a``, ``b``, ``n_a``, ``n_b``.
    """
    df = framing_or_counts
    for col, param in ((unit, "unit"), (group, "group")):
        if col not in df.columns:
            raise ValueError(f"{param}={col!r} is not a column of framing_or_counts "
                             f"({list(df.columns)}).")
    values = set(df[group].dropna().unique())
    for v, param in ((a, "a"), (b, "b")):
        if v not in values and not (totals and v in totals) and not (texts and v in texts):
            raise ValueError(f"{param}={v!r} is not a value of column {group!r}. Fix: use one "
                             f"of {sorted(map(str, values))[:10]}.")
    if prior_strength <= 0:
        raise ValueError(f"prior_strength={prior_strength}: must be > 0.")
    sub = df[df[group].isin([a, b])]
    if "count" in sub.columns:
        counts = sub.groupby([unit, group])["count"].sum()
    else:
        counts = sub.groupby([unit, group]).size()
    table = counts.unstack(group, fill_value=0).reindex(columns=[a, b], fill_value=0)
    ya = table[a].astype(float)
    yb = table[b].astype(float)
    if totals is not None:
        n_a, n_b = float(totals[a]), float(totals[b])
    elif texts is not None:
        n_a, n_b = float(_n_tokens(texts[a])), float(_n_tokens(texts[b]))
    else:
        n_a, n_b = float(ya.sum()), float(yb.sum())
    if n_a < ya.sum() or n_b < yb.sum() or n_a <= 0 or n_b <= 0:
        raise ValueError(f"totals ({n_a:g}, {n_b:g}) are smaller than the counts "
                         f"({ya.sum():g}, {yb.sum():g}). Fix: pass word counts of each group.")
    alpha = prior_strength * (ya + yb)
    a0 = float(alpha.sum())
    delta = (((ya + alpha) / (n_a + a0 - ya - alpha)).map(math.log)
             - ((yb + alpha) / (n_b + a0 - yb - alpha)).map(math.log))
    var = 1.0 / (ya + alpha) + 1.0 / (yb + alpha)
    z = delta / var.map(math.sqrt)
    out = pd.DataFrame({
        unit: table.index,
        "count_a": ya.astype(int).to_numpy(),
        "count_b": yb.astype(int).to_numpy(),
        "per_1000_a": (ya / n_a * 1000).to_numpy(),
        "per_1000_b": (yb / n_b * 1000).to_numpy(),
        "log_odds": delta.to_numpy(),
        "z": z.to_numpy(),
    })
    out["used_by"] = [("both" if x and y else (a if x else b))
                      for x, y in zip(out["count_a"], out["count_b"], strict=True)]
    out["favours"] = [a if v > 0 else (b if v < 0 else "neither") for v in out["z"]]
    out = out[[unit, "count_a", "count_b", "per_1000_a", "per_1000_b", "used_by",
               "log_odds", "z", "favours"]]
    out = out.sort_values(["z", unit], ascending=[False, True], ignore_index=True)
    out.attrs.update({"a": a, "b": b, "n_a": n_a, "n_b": n_b})
    return out

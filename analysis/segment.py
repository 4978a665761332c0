"""Offline segmentation: paragraphs, sentences and tokens with exact character offsets.

Sentences come from NLTK's Punkt algorithm with parameters shipped as data
(``analysis/data/abbreviations.yaml``), so nothing is downloaded. When NLTK's trained
``punkt_tab`` model happens to be installed it is *not* required; the shipped abbreviations
are what make "U.S." and "Gen." safe, and they are used either way.

All functions return ``(start, end)`` pairs: 0-based, end-exclusive offsets into the text
they were given, so ``text[start:end]`` is always the surface.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from analysis.lexicons import read_many

__all__ = ["split_paragraphs", "split_sentences", "tokenize", "sentence_splitter", "count_words"]

# a line break is CRLF, a lone CR or LF; "\r(?!\n)" stops one CRLF counting as two breaks
_BLANK_LINE = re.compile(r"(?:\r\n|\r(?!\n)|\n)[ \t\f\v\u00a0]*(?:\r\n|\r(?!\n)|\n)")
_LINE = re.compile(r"[^\r\n]+")
# Words keep internal apostrophes and hyphens ("isn’t", "U.S.-Iranian" splits at the hyphen
# only after an abbreviation); the possessive ’s / 's is its own token, whatever the apostrophe.
_TOKEN = re.compile(
    r"""(?:[A-Za-z]\.){2,12}(?=[^\w]|$)   # U.S. / U.S.A. / e.g. (bounded: linear time)
      | \w+(?=[’'][sS]\b)                    # stem before a possessive
      | [’'][sS]\b                           # the possessive itself
      | \w+(?:[’'\-]\w+)*                    # words, contractions, hyphenated compounds
      | [^\w\s]                              # any other single symbol
    """,
    re.VERBOSE,
)
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:[’'\-]\w+)*")

# Punkt is run on windows of at most this many characters. NLTK routes its regexes through
# ``nltk.redos`` with a 5-second wall-clock limit per ``finditer``; one huge paragraph (a
# 10 MB line) would trip it, and a window also bounds the work of a single call. Normal
# paragraphs are far shorter and are tokenised exactly as before.
PUNKT_WINDOW = 20_000
# where a window may end: after sentence-final punctuation (and closing quotes) + space
_WINDOW_BREAK = re.compile(r"[.!?…][\"'”’)\]]*\s+")
_SPACE = re.compile(r"\s+")


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: runs of text separated by blank lines.

    A text with no blank line at all but several lines (common in HTML extractions and
    some corpora) is split one paragraph per line. Spans exclude surrounding whitespace;
    CRLF, LF and lone CR line endings are all recognised.
    """
    if not text.strip():
        return []
    if _BLANK_LINE.search(text):
        pieces = []
        pos = 0
        for m in _BLANK_LINE.finditer(text):
            pieces.append((pos, m.start()))
            pos = m.end()
        pieces.append((pos, len(text)))
    else:
        pieces = [(m.start(), m.end()) for m in _LINE.finditer(text)]
    spans = []
    for start, end in pieces:
        chunk = text[start:end]
        stripped = chunk.strip()
        if not stripped:
            continue
        lead = len(chunk) - len(chunk.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))
    return spans


@lru_cache(maxsize=8)
def sentence_splitter(abbreviation_files: tuple[str, ...] = ()) -> PunktSentenceTokenizer:
    """A Punkt tokenizer built from the shipped abbreviation list (plus users' files)."""
    entries = read_many(
        [Path(p) for p in abbreviation_files],
        default="abbreviations.yaml",
        key="entries",
        required={"abbreviation": str},
    )
    params = PunktParameters()
    # Punkt stores abbreviations lower-cased and without the final period.
    abbrevs = {e["abbreviation"].lower().rstrip(".") for e in entries}
    abbrevs |= {chr(c) for c in range(ord("a"), ord("z") + 1)}  # initials: "John F. Kennedy"
    params.abbrev_types = abbrevs
    return PunktSentenceTokenizer(params)


_SENT_END = re.compile(r"[.?!]")
_TRAILING = ".?!…”’\"')]}» \t\r\n\f\v\u00a0"


def split_sentences(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    abbreviation_files: Sequence[str] = (),
) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]`` (offsets into ``text``).

    A closing quotation mark after the final period stays with its sentence
    (``…,” he said.`` is one sentence; ``“A.” B.`` gives ``“A.”`` then ``B.``).
    Line breaks inside a paragraph are not sentence boundaries unless a line ends a sentence.
    """
    end = len(text) if end is None else end
    chunk = text[start:end]
    if not chunk.strip():
        return []
    body = chunk.rstrip(_TRAILING)
    if not _SENT_END.search(body):
        # no sentence-final mark before the paragraph's end: one sentence, Punkt not needed
        lead = len(chunk) - len(chunk.lstrip())
        return [(start + lead, start + len(chunk.rstrip()))]
    splitter = sentence_splitter(tuple(str(p) for p in abbreviation_files))
    spans = []
    for w_start, w_end in _windows(chunk, PUNKT_WINDOW):
        window = chunk[w_start:w_end]
        for s, e in splitter.span_tokenize(window):
            piece = window[s:e]
            stripped = piece.strip()
            if not stripped:
                continue
            lead = len(piece) - len(piece.lstrip())
            a = start + w_start + s + lead
            spans.append((a, a + len(stripped)))
    return spans


def _windows(chunk: str, size: int) -> list[tuple[int, int]]:
    """Cut ``chunk`` into consecutive windows of at most ``size`` characters (linear time).

    A window ends after the last sentence-final punctuation + whitespace in its second half,
    else after its last whitespace, else exactly at ``size`` (a single giant token).
    """
    n = len(chunk)
    if n <= size:
        return [(0, n)]
    out = []
    pos = 0
    while n - pos > size:
        lo, hi = pos + size // 2, pos + size
        cut = None
        for m in _WINDOW_BREAK.finditer(chunk, lo, hi):
            cut = m.end()
        if cut is None:
            for m in _SPACE.finditer(chunk, lo, hi):
                cut = m.end()
        if cut is None or cut <= pos:
            cut = hi
        out.append((pos, cut))
        pos = cut
    out.append((pos, n))
    return out


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Token spans inside ``text[start:end]``; curly and straight apostrophes behave alike."""
    end = len(text) if end is None else end
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]


def count_words(text: str, start: int = 0, end: int | None = None) -> int:
    """Number of word tokens (punctuation excluded) in ``text[start:end]``."""
    end = len(text) if end is None else end
    return sum(1 for _ in _WORD.finditer(text, start, end))

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
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from nltk.tokenize.punkt import (
    PunktLanguageVars,
    PunktParameters,
    PunktSentenceTokenizer,
    PunktToken,
)

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
# A word is (?:[A-Za-z]\.){2,}|\w+(?:[’'\-]\w+)* ("U.S." is one word). Written here to be
# cheaper to scan, with the same matches: the first \w is shared by both branches (an
# initial run must start with a letter, hence the lookbehind), possessive repeats never
# backtrack (what follows a run cannot continue it), and the empty group makes findall
# return "" per word instead of building each word's string.
_WORD_COUNT = re.compile(r"\w(?:(?<=[A-Za-z])\.(?:[A-Za-z]\.)++|\w*+(?:[’'\-]\w++)*+)()")

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
    return _AbbreviationPunkt(params)


class _StdlibLanguageVars(PunktLanguageVars):
    """Punkt's language variables with given compiled expressions (standard ``re`` ones)."""

    def __init__(self, period_context: re.Pattern[str], word_tokenizer: re.Pattern[str],
                 realignment: re.Pattern[str]) -> None:
        self._re_period_context = period_context
        self._re_word_tokenizer = word_tokenizer
        self.re_boundary_realignment = realignment


def _stdlib_language_vars(
    lang: PunktLanguageVars,
) -> tuple[_StdlibLanguageVars, re.Pattern[str]] | None:
    """NLTK's Punkt expressions compiled with ``re``, and the characters that must use NLTK's.

    Punkt's three expressions consist of literal characters, classes of them, ``\\s``,
    ``\\S`` and anchors, so ``re`` and NLTK's ``regex`` engine give the same matches wherever
    they agree on which characters are whitespace. They disagree on a few (U+001C..U+001F
    for ``re``), found here once; a text holding one of them, or any character beyond the
    Basic Multilingual Plane (not checked), keeps NLTK's engine. None when NLTK's
    expressions are already ``re`` ones or use flags with other meanings.
    """
    try:
        import regex  # NLTK's engine (a dependency of NLTK)
    except ImportError:
        return None
    if type(lang) is not PunktLanguageVars:
        return None
    same_flags = ((regex.IGNORECASE, re.IGNORECASE), (regex.MULTILINE, re.MULTILINE),
                  (regex.DOTALL, re.DOTALL), (regex.VERBOSE, re.VERBOSE))
    harmless = regex.UNICODE | regex.VERSION0  # the defaults of str patterns
    compiled = []
    for pattern in (lang.period_context_re(), lang._word_tokenizer_re(),
                    lang.re_boundary_realignment):
        source, flags = getattr(pattern, "pattern", None), getattr(pattern, "flags", None)
        if isinstance(pattern, re.Pattern) or not isinstance(source, str) \
                or not isinstance(flags, int):
            return None
        known = harmless
        std_flags = 0
        for theirs, ours in same_flags:
            known |= theirs
            if flags & theirs:
                std_flags |= ours
        if flags & ~known:
            return None
        try:
            compiled.append(re.compile(source, std_flags))
        except re.error:
            return None
    bmp = "".join(map(chr, range(0x10000)))
    differ = set(re.findall(r"\s", bmp)) ^ set(regex.findall(r"\s", bmp, regex.VERSION0))
    unsafe = re.compile("[" + "".join(re.escape(c) for c in sorted(differ))
                        + "\U00010000-\U0010ffff]")
    return _StdlibLanguageVars(*compiled), unsafe


# A candidate context that is one ASCII word with a final period, then a space and one ASCII
# word, or then one closing mark: ("said." "He"), ("Sen." "Jones"), ("2014." "”"). Punkt's
# word tokenizer yields exactly these two tokens (checked once per tokenizer, see below).
_SIMPLE_CONTEXT = re.compile(r"([A-Za-z0-9]+\.)(?: ([A-Za-z0-9]+)|([\"')\u2019\u201d]))")
# Characters that can open NLTK's re_boundary_realignment match (its leading class)
_REALIGN_CHARS = frozenset("\"')]}\u2018\u2019\u201c\u201d\xab\xbb")
_REALIGN_SOURCE = r'["\')\]}\u2018\u2019\u201c\u201d\xab\xbb]+?(?:\s+|(?=--)|$)'


class _AbbreviationPunkt(PunktSentenceTokenizer):
    """NLTK's Punkt, made cheaper for parameters that hold only abbreviations (same spans).

    * ``text_contains_sentbreak`` runs once per candidate boundary and, in NLTK, builds a
      ``PunktToken`` (with a regex substitution) for every word of the context. With no
      collocations, sentence starters or orthographic context, Punkt's two annotation
      passes reduce to the rules of :meth:`_breaks`, which look only at a token and the
      next one. Tokens come from NLTK's own tokenizer, except for the common two-word
      contexts of ``_SIMPLE_CONTEXT``. Other parameters use NLTK's code.
    * ``_realign_boundaries`` tries NLTK's realignment pattern only where it can match.
    * ``span_tokenize`` hands a text to a twin whose expressions are compiled by ``re``
      when the two engines cannot differ on it (see :func:`_stdlib_language_vars`).
    """

    def __init__(self, params: PunktParameters, lang_vars: PunktLanguageVars | None = None,
                 *, twin: bool = True) -> None:
        super().__init__(params, lang_vars=lang_vars)
        lang = self._lang_vars
        # NLTK runs its expressions on the third-party ``regex`` engine behind a timeout, which
        # costs microseconds per call; a twin with the same expressions compiled by ``re``
        # (same parameters) handles the texts on which both engines agree
        self._twin: _AbbreviationPunkt | None = None
        self._twin_unsafe: re.Pattern[str] | None = None
        stdlib = _stdlib_language_vars(lang) if twin else None
        if stdlib is not None:
            std_vars, self._twin_unsafe = stdlib
            self._twin = _AbbreviationPunkt(params, std_vars, twin=False)
        # the shortcuts below mirror this NLTK's tokenizer and realignment pattern: use them
        # only when that NLTK behaves as they assume
        self._simple_ok = all(
            lang.word_tokenize(f"{w}.{rest}") == [f"{w}.", rest.strip()]
            for w in ("ab", "AB", "a1", "19") for rest in (" Cd", " ef", " 20", *'"\')’”')
        )
        realign = lang.re_boundary_realignment
        self._realign_ok = (getattr(realign, "pattern", None) == _REALIGN_SOURCE
                            and bool(realign.flags & re.MULTILINE))

    def span_tokenize(self, text: str, realign_boundaries: bool = True
                      ) -> Iterator[tuple[int, int]]:
        """NLTK's sentence spans (the ``re`` twin's, when ``text`` allows: same spans)."""
        if self._twin is not None and not self._twin_unsafe.search(text):
            return self._twin.span_tokenize(text, realign_boundaries)
        return super().span_tokenize(text, realign_boundaries)

    def text_contains_sentbreak(self, text: str) -> bool:
        """True when a token other than the last one of ``text`` ends a sentence."""
        params = self._params
        # (NLTK's own code leaves zeros in ortho_context for the words it looks up)
        if params.collocations or params.sent_starters or any(params.ortho_context.values()):
            return super().text_contains_sentbreak(text)
        m = _SIMPLE_CONTEXT.fullmatch(text) if self._simple_ok else None
        if m:
            return self._breaks(m[1], m[2] or m[3])
        word_tokenize = self._lang_vars.word_tokenize
        toks: list[str] = []
        for line in text.split("\n"):  # Punkt tokenises line by line, skipping blank ones
            if line.strip():
                toks += word_tokenize(line)
        breaks = self._breaks
        return any(breaks(toks[i], toks[i + 1]) for i in range(len(toks) - 1))

    def _breaks(self, tok: str, nxt: str) -> bool:
        """Punkt's decision for ``tok`` followed by ``nxt`` (abbreviation-only parameters).

        First pass: ``.``/``?``/``!`` and period-final words that are not abbreviations or
        ellipses (all-period tokens) break. Second pass: with no orthographic data, an
        initial or a number loses its break before punctuation or a lower-case word (NLTK's
        orthographic heuristic: "not a sentence starter"), and an initial before an
        upper-case word; nothing else changes.
        """
        if tok in self._lang_vars.sent_end_chars:
            pass
        elif not tok.endswith(".") or tok.endswith(".."):  # ".." also covers ellipses
            return False
        else:
            low = tok[:-1].lower()
            abbrevs = self._params.abbrev_types
            if low in abbrevs or low.split("-")[-1] in abbrevs:
                return False
        if not tok.endswith("."):
            return True
        if nxt in self.PUNCTUATION or nxt[0].islower():
            return not (self._is_initial(tok) or self._is_number(tok))
        if nxt[0].isupper():
            return not self._is_initial(tok)
        return True

    @staticmethod
    def _is_initial(tok: str) -> bool:
        # NLTK's test is [^\W\d]\.$: one character and a period, so two characters
        return len(tok) == 2 and bool(PunktToken._RE_INITIAL.match(tok))

    @staticmethod
    def _is_number(tok: str) -> bool:
        # PunktToken.type_no_period == "##number##"
        typ = PunktToken._RE_NUMERIC.sub("##number##", tok.lower())
        if len(typ) > 1 and typ[-1] == ".":
            typ = typ[:-1]
        return typ == "##number##"

    def _realign_boundaries(self, text: str, slices: Iterator[slice]) -> Iterator[slice]:
        """NLTK's realignment, trying its pattern only where it can match (a closing mark)."""
        if not self._realign_ok:
            yield from super()._realign_boundaries(text, slices)
            return
        realign_match = self._lang_vars.re_boundary_realignment.match
        realign = 0
        slices = iter(slices)
        sentence1 = next(slices, None)
        while sentence1 is not None:
            sentence2 = next(slices, None)  # pairs (s1, s2), ..., (last, None) as NLTK's
            sentence1 = slice(sentence1.start + realign, sentence1.stop)
            if sentence2 is None:
                if text[sentence1]:
                    yield sentence1
                break
            m = None
            if (sentence2.start < sentence2.stop
                    and text[sentence2.start:sentence2.start + 1] in _REALIGN_CHARS):
                m = realign_match(text[sentence2])
            if m:
                yield slice(sentence1.start, sentence2.start + len(m.group(0).rstrip()))
                realign = m.end()
            else:
                realign = 0
                if text[sentence1]:
                    yield sentence1
            sentence1 = sentence2


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
    splitter = sentence_splitter(tuple(str(p) for p in abbreviation_files)
                                 if abbreviation_files else ())
    spans = []
    for w_start, w_end in _windows(chunk, PUNKT_WINDOW):
        window = chunk[w_start:w_end]
        offset, n = start + w_start, len(window)
        for s, e in splitter.span_tokenize(window):
            if s < e <= n and not window[s].isspace() and not window[e - 1].isspace():
                spans.append((offset + s, offset + e))  # the usual case: nothing to strip
                continue
            piece = window[s:e]
            stripped = piece.strip()
            if not stripped:
                continue
            lead = len(piece) - len(piece.lstrip())
            a = offset + s + lead
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
    return len(_WORD_COUNT.findall(text, start, end))

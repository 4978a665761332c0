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
_BLANK_LINE_SPLIT = re.compile(f"({_BLANK_LINE.pattern})")  # keeps the blank lines
_BLANK_LF_SPLIT = re.compile(r"(\n[ \t\f\v\u00a0]*\n)")  # the same in a text without CR
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
# count_words works on a copy of the text with one character per class of character (the
# regular expressions above only tell these classes apart): see _class_table
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_USUAL_NON_ASCII = (("’", "'"), ("“", " "), ("”", " "), ("‘", " "), ("—", " "), ("\xa0", " "))
_CLASS_WORD = re.compile(r"[ad](?:(?<=a)\.(?:a\.)++|[ad]*+(?:-[ad]++)*+)()")  # _WORD_COUNT
_CLASS_RUN = re.compile(r"[ad]++()")
_JOINED = re.compile(r"-(?<=[ad]-)(?=[ad])")  # a connector between word characters
_INITIALS = re.compile(r"\.(?<=a\.)(?=a\.)")  # "a.a.": where initials may form a word


def _class_table() -> tuple[bytes, bytes]:
    """``bytes.translate`` tables: ASCII to its class, and ASCII to 1 for a word character
    (classes "a" and "d"), 0 for anything else."""
    classes = bytearray(256)
    for i in range(128):
        c = chr(i)
        classes[i] = ord("a" if c.isalpha() else "d" if c.isalnum() or c == "_"
                         else "-" if c in "'-" else c if c == "." else " ")
    return bytes(classes), bytes(1 if chr(c) in "ad" else 0 for c in classes)


_CLASSES, _WORD_BITS = _class_table()

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
    if not text or text.isspace():
        return []
    # pieces and the blank lines between them: [piece, blank, piece, ..., piece]; without
    # a CR, a blank line starts with LF, an expression that re finds much faster
    parts = (_BLANK_LINE_SPLIT if "\r" in text else _BLANK_LF_SPLIT).split(text)
    if len(parts) > 1:
        pieces = [(0, parts[0])]
        pos = 0
        for k in range(1, len(parts), 2):
            pos += len(parts[k - 1]) + len(parts[k])
            pieces.append((pos, parts[k + 1]))
    else:
        pieces = [(m.start(), m.group()) for m in _LINE.finditer(text)]
    spans = []
    for start, chunk in pieces:
        if chunk and not chunk[0].isspace() and not chunk[-1].isspace():
            spans.append((start, start + len(chunk)))  # the usual piece: nothing to strip
            continue
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
# A context that NLTK's word tokenizer (its default expression) splits into: opening marks,
# one token for the word with its period ("U.S.", "D-Ky."), then tokens of which none ends a
# sentence and the first starts with group 2 (the text after the spaces holds no .?!), or
# one punctuation mark (group 3, its NonWord characters).
_CONTEXT = re.compile(
    r"""[("\[]*                                  # each its own token (not a word start)
        ([A-Za-z0-9]+(?:[.\-][A-Za-z0-9]+)*\.)    # no "..", "--", or other word end inside
        (?:\s+([^.?!\s])[^.?!\s]*                 # the next token starts with group 2
          | ([)";}\]*:@'({\[\u2018\u2019\u201c\u201d\xab\xbb?!]))""",
    re.VERBOSE)
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
    * :meth:`spans` (``span_tokenize``'s list) runs, on that twin, NLTK's chain of
      generators as plain loops that decide most candidates without tokenizing their
      context (:meth:`_one_pass_spans`).
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
        # _one_pass_spans reads the groups of NLTK's own period-context expression and
        # knows how NLTK's own word tokenizer splits a context, when compiled by re: then
        # their \s is str.isspace, which Punkt uses too (to skip blank lines); NLTK's engine
        # differs on a few characters (the twin's "unsafe" ones)
        period = lang.period_context_re()
        self._one_pass_ok = self._realign_ok and all(
            isinstance(pat, re.Pattern) and pat.pattern == source
            and bool(pat.flags & re.VERBOSE)
            for pat, source in zip((period, lang._word_tokenizer_re()),
                                   _default_expressions(), strict=True))
        # the numbers of its groups after_tok and next_tok (names cost a lookup per match)
        index = getattr(period, "groupindex", {})
        self._groups = (index.get("after_tok", -1), index.get("next_tok", -1))
        # the same expression for a text without "?" and "!": it starts with a literal
        # period instead of the class [.?!], which re finds several times faster
        self._period_only = period
        source, marks = getattr(period, "pattern", ""), r"[\.\?!]"
        if self._one_pass_ok and source.count(marks) == 1:
            self._period_only = re.compile(source.replace(marks, r"\.", 1), period.flags)

    def span_tokenize(self, text: str, realign_boundaries: bool = True
                      ) -> Iterator[tuple[int, int]]:
        """NLTK's sentence spans (the ``re`` twin's, when ``text`` allows: same spans)."""
        if realign_boundaries:
            return iter(self.spans(text))
        if self._twin is not None and not self._twin_unsafe.search(text):
            return self._twin.span_tokenize(text, realign_boundaries)
        return super().span_tokenize(text, realign_boundaries)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """``list(span_tokenize(text))``, in one pass where the parameters allow (same spans).

        NLTK chains four generators (candidate contexts, break decisions, slices,
        realignment); :meth:`_one_pass_spans` does their work in plain loops, on the ``re``
        twin.
        """
        punkt = self
        if self._twin is not None and not self._twin_unsafe.search(text):
            punkt = self._twin
        if punkt._one_pass_ok and punkt._abbreviations_only():
            return punkt._one_pass_spans(text)
        return list(super(_AbbreviationPunkt, punkt).span_tokenize(text))

    def _one_pass_or_none(self, text: str, offset: int) -> list[tuple[int, int]] | None:
        """``spans(text)`` without surrounding whitespace, plus ``offset``, when the ``re``
        twin takes ``text`` in one pass; else None (then call :meth:`spans`).

        For a ``text`` that does not start with whitespace (``str.isspace``; else None),
        these spans need no stripping: a sentence starts at the text's start, at a token
        (``\\S``), at a punctuation mark or after realignment's whitespace; it ends after
        a mark, a closing character or at the end of the right-stripped text.
        """
        twin = self._twin
        if twin is None or not twin._one_pass_ok or text[:1].isspace():
            return None
        params = twin._params
        if (params.collocations or params.sent_starters or params.ortho_context) and (
                not twin._abbreviations_only()):
            return None
        # the characters on which re and NLTK's engine disagree (see _stdlib_language_vars):
        # U+001C..U+001F, not printable, and characters beyond the BMP, not ASCII
        if not (text.isascii() and text.isprintable()) and self._twin_unsafe.search(text):
            return None
        return twin._one_pass_spans(text, offset)

    def _abbreviations_only(self) -> bool:
        """True when the parameters hold only abbreviations (see :meth:`_breaks`)."""
        params = self._params
        # (NLTK's own code leaves zeros in ortho_context for the words it looks up)
        return not (params.collocations or params.sent_starters
                    or any(params.ortho_context.values()))

    def _one_pass_spans(self, text: str, offset: int = 0) -> list[tuple[int, int]]:
        """NLTK's ``span_tokenize`` (with realignment) for abbreviation-only parameters.

        Candidates are the matches of the period-context expression. NLTK pairs each with
        the word before it (back to the last ASCII whitespace, ``string.whitespace``) and
        drops a candidate when the next one's word overlaps it (``acting!!!`` decides at
        its last ``!`` only); it decides on the context from that word to the end of the
        match's ``after_tok``: a break when any of its tokens but the last ends a sentence
        (:meth:`text_contains_sentbreak`). Shortcuts give the same decisions:

        * at ``?`` or ``!``: always a break (that mark is a token, and a token follows);
        * after an ASCII word (the usual case), from the word and the first character of
          what follows, as :meth:`_breaks` would decide (see the comment in the loop);
        * contexts of ``_CONTEXT``, where the only token that can end a sentence is the
          word with its period, and :meth:`_breaks` needs only the first character of the
          next token: that of the text after the spaces.

        In a text without ``?`` and ``!``, the candidates are found by the same expression
        starting with a literal period (``_period_only``); the sentences are made in the
        same loop. ``offset`` is added to every span.
        """
        after_tok, next_tok = self._groups
        context = _CONTEXT.fullmatch
        abbrevs = self._params.abbrev_types
        realign_match = self._lang_vars.re_boundary_realignment.match
        period = (self._period_only if "?" not in text and "!" not in text
                  else self._lang_vars.period_context_re())
        # NLTK's _slices_from_text, then its _realign_boundaries over pairs of sentences,
        # in the same loop: a cut (after a sentence at `stop`, before the next at `nxt`) is
        # final once the next candidate does not drop it. This sentence is
        # text[begin:stop], the next one text[nxt:stop2] (stop2: the next cut's stop, or
        # the end). NLTK's match(text[nxt:stop2]) is match(text, nxt, end): a match holds
        # closing marks and whitespace only, so it never reaches the .?! at stop2 - 1 (after
        # nxt when text[nxt] is a closing mark).
        end = len(text.rstrip())
        out: list[tuple[int, int]] = []
        append = out.append
        begin = 0
        stop = nxt = -1  # the last cut, -1 when final
        prev_start = prev_word = 0
        for m in period.finditer(text):
            start = m.start()
            # NLTK: the word runs from after the last whitespace of text[prev_start:start]
            # (none, or only at its index 0: from where the previous word started); what
            # follows the last space is usually one printable word, with no other whitespace
            ws = text.rfind(" ", prev_start, start)
            w = text[ws + 1 if ws >= 0 else prev_start:start]
            if not w.isprintable():
                ws = _last_ascii_space(text, prev_start, start)
                word = ws + 1 if ws > prev_start else prev_word
                w = text[word:start]
            elif ws > prev_start:
                word = ws + 1
            else:
                word = prev_word
                w = text[word:start]
            if stop >= 0:
                if prev_start <= word:  # else the words overlap: NLTK drops that cut
                    if nxt < end and text[nxt] in _REALIGN_CHARS and (
                            r := realign_match(text, nxt, end)):
                        append((begin + offset, nxt + len(r.group(0).rstrip()) + offset))
                        begin = r.end()
                    else:
                        if begin < stop:  # NLTK: "if text[sentence1]"
                            append((begin + offset, stop + offset))
                        begin = nxt
                stop = -1
            prev_start, prev_word = start, word
            after = m.start(next_tok)  # -1: the match is followed by punctuation
            if text[start] != ".":  # "?" or "!"
                brk = True
            elif w.isascii() and w.isalnum():
                # The usual cases: an ASCII word w (w + "." is one token) before a token
                # that starts with c. An abbreviation never breaks; nor does the context if
                # no other token can end a sentence: when the rest holds no .?! but as its
                # last character (which is in the last token); after punctuation, the
                # context ends with that mark. Another word of two or more characters (no
                # initial) breaks before c other than .?!, but for a number before a
                # lower-case word or ;:, (then the rest of the context decides).
                c = text[after if after >= 0 else start + 1]  # what follows, after spaces
                if w.lower() in abbrevs:
                    brk = None if after >= 0 and _SENT_END.search(
                        text, after, m.end(after_tok) - 1) else False
                elif (len(w) > 1 and c not in ".?!"
                        and not (w.isdigit() and (c in ";:," or c.islower()))):
                    brk = True
                else:
                    brk = None
            else:
                brk = None
            if brk is None:
                cut = m.end(after_tok)
                ctx = context(text, word, cut)
                brk = (self._breaks(ctx[1], ctx[2] or ctx[3]) if ctx is not None
                       else self.text_contains_sentbreak(text[word:cut]))
            if brk:
                stop, nxt = start + 1, after if after >= 0 else start + 1
        if stop >= 0:  # the last cut is final (as in the loop)
            if nxt < end and text[nxt] in _REALIGN_CHARS and (
                    r := realign_match(text, nxt, end)):
                append((begin + offset, nxt + len(r.group(0).rstrip()) + offset))
                begin = r.end()
            else:
                if begin < stop:
                    append((begin + offset, stop + offset))
                begin = nxt
        if begin < end:
            append((begin + offset, end + offset))
        return out

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
            if low in abbrevs or ("-" in low and low.rsplit("-", 1)[1] in abbrevs):
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


_ASCII_SPACE = " \t\n\r\x0b\x0c"  # string.whitespace, NLTK's "whitespace" for a word's start


def _last_ascii_space(text: str, lo: int, hi: int) -> int:
    """Index of the last ``string.whitespace`` character in ``text[lo:hi]``, or -1."""
    return max(text.rfind(c, lo, hi) for c in _ASCII_SPACE)


@lru_cache(maxsize=1)
def _default_expressions() -> tuple[str, str]:
    """The sources of NLTK's default period-context and word-tokenizer expressions."""
    lang = PunktLanguageVars()
    return lang.period_context_re().pattern, lang._word_tokenizer_re().pattern


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
    if not chunk or chunk.isspace():
        return []
    body = chunk.rstrip(_TRAILING)
    if "." not in body and "?" not in body and "!" not in body:
        # no sentence-final mark before the paragraph's end: one sentence, Punkt not needed
        lead = len(chunk) - len(chunk.lstrip())
        return [(start + lead, start + len(chunk.rstrip()))]
    splitter = sentence_splitter(tuple(str(p) for p in abbreviation_files)
                                 if abbreviation_files else ())
    n_chunk = len(chunk)
    if n_chunk <= PUNKT_WINDOW:
        # one window (the paragraph itself) whose spans need no stripping, usually
        spans = splitter._one_pass_or_none(chunk, start)
        if spans is not None:
            return spans
    windows = [(0, n_chunk)] if n_chunk <= PUNKT_WINDOW else _windows(chunk, PUNKT_WINDOW)
    spans = []
    for w_start, w_end in windows:
        window = chunk[w_start:w_end]  # (the chunk itself when it is one window)
        spans += _stripped(window, splitter.spans(window), start + w_start)
    return spans


def _stripped(window: str, spans: list[tuple[int, int]], offset: int) -> list[tuple[int, int]]:
    """``spans`` of ``window`` without their surrounding whitespace, plus ``offset``."""
    n = len(window)
    out = []
    for s, e in spans:
        if s < e <= n and not window[s].isspace() and not window[e - 1].isspace():
            out.append((offset + s, offset + e))  # the usual case: nothing to strip
            continue
        piece = window[s:e]
        stripped = piece.strip()
        if not stripped:
            continue
        lead = len(piece) - len(piece.lstrip())
        a = offset + s + lead
        out.append((a, a + len(stripped)))
    return out


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
    """Number of word tokens (punctuation excluded) in ``text[start:end]``.

    The count of ``_WORD_COUNT`` matches, computed mostly with string methods: a regex
    match per word costs more than the rest of the work. Words are not counted one by one:
    they are the runs of word characters, less the runs that a connector (``-``, ``'``,
    ``’``) joins to the previous one, corrected where initials make one word ("U.S.").

    Parameters
    ----------
    text : str
        The text.
    start, end : int
        Offsets of the part to count (default: all of ``text``).

    Returns
    -------
    int
        The number of words; separate texts joined by a space count as their sum.
    """
    n_text = len(text)  # offsets are clamped as re's pos and endpos are
    start = min(max(start, 0), n_text)
    chunk = text[start:n_text if end is None else min(max(end, 0), n_text)]
    if not chunk.isascii():
        # every character that is not ASCII stands for its class: a word character, the
        # apostrophe ’ (a connector) or anything else, which no word contains; the usual
        # ones first, without looking for them
        for c, ascii_c in _USUAL_NON_ASCII:
            chunk = chunk.replace(c, ascii_c)
        if not chunk.isascii():
            for c in set(_NON_ASCII.findall(chunk)):
                chunk = chunk.replace(c, "'" if c == "’" else "0" if c.isalnum() else " ")
    # one character per class: "a" ASCII letter, "d" other word character, "-" connector,
    # "." period, " " anything else (a word never contains it: it separates their counts)
    data = chunk.encode("ascii")
    classes = data.translate(_CLASSES).decode("ascii")  # (much faster than str.translate)
    # runs of word characters, counted in C: the text as one big integer with a byte per
    # character, 1 for a word character; a run starts at a byte 1 after a byte 0 (or first)
    bits = int.from_bytes(data.translate(_WORD_BITS), "big")
    n = (bits & ~(bits >> 8)).bit_count() - len(_JOINED.findall(classes))
    # Two or more initials with their periods are one word: at most the pieces of text
    # (between spaces) around "a.a." can differ from the count above; count them exactly
    m = _INITIALS.search(classes)
    while m is not None:
        start_piece = classes.rfind(" ", 0, m.start()) + 1
        end_piece = classes.find(" ", m.end())
        if end_piece < 0:
            end_piece = len(classes)
        piece = classes[start_piece:end_piece]
        n += (len(_CLASS_WORD.findall(piece)) - len(_CLASS_RUN.findall(piece))
              + len(_JOINED.findall(piece)))
        m = _INITIALS.search(classes, end_piece)  # the next piece
    return n

"""Sentence and target sentiment with VADER, news settings and a token-level explanation.

Scoring always goes through :class:`SentimentScorer`:

- ``lexicon="vader"`` reproduces ``vaderSentiment.SentimentIntensityAnalyzer().polarity_scores``
  exactly (same object, same rules).
- ``lexicon="news"`` (default) adds a news/geopolitics lexicon extension and a calibration of
  the compound score, both read from ``analysis/data/news_lexicon.yaml`` (the file records how
  they were fitted on development data).

VADER saturates on long text (the compound is ``s / sqrt(s^2 + alpha)``), so score sentences,
never whole paragraphs.

Public API
----------
SentimentScorer, get_scorer, score_sentences, score_targets, explain, target_polarity.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import compress, count
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml
from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    SentiText,
    normalize,
    scalar_inc_dec,
)

from analysis.lexicons import Entry, LexiconError, data_path, read_entries

__all__ = [
    "LexiconName",
    "Calibration",
    "SentimentScorer",
    "get_scorer",
    "score_sentences",
    "score_targets",
    "target_polarity",
    "explain",
    "load_target_cues",
    "clause_bounds",
    "target_features",
    "TargetModel",
]

LexiconName = Literal["news", "vader"]
_LEXICONS: tuple[str, ...] = ("news", "vader")
NEWS_LEXICON_FILE = "news_lexicon.yaml"
_ENTRY_SCHEMA: dict[str, Any] = {"term": str, "valence": float}
_ENTRY_OPTIONAL: dict[str, Any] = {"rationale": str}


# --------------------------------------------------------------------------------------------
# settings
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Calibration:
    """Recalibration of VADER's compound score for news text.

    ``compound = clip(w_compound * sum / sqrt(sum**2 + alpha) + w_pos * pos + w_neg * neg
    + intercept, -1, 1)`` where ``sum`` is VADER's summed (rule-adjusted, punctuation-
    emphasised) valence and ``pos``/``neg`` are VADER's proportions (which stay as they are).
    Plain VADER is ``alpha=15, w_compound=1, w_pos=w_neg=intercept=0``.
    """

    alpha: float = 15.0
    w_compound: float = 1.0
    w_pos: float = 0.0
    w_neg: float = 0.0
    intercept: float = 0.0

    def apply(self, sum_s: float, pos: float, neg: float) -> float:
        """Calibrated compound for a summed valence ``sum_s`` and proportions ``pos``/``neg``."""
        if sum_s == 0 and pos == 0 and neg == 0:
            return 0.0
        value = (self.intercept + self.w_compound * sum_s / math.sqrt(sum_s * sum_s + self.alpha)
                 + self.w_pos * pos + self.w_neg * neg)
        return max(-1.0, min(1.0, value))


@dataclass(frozen=True)
class _Settings:
    words: Mapping[str, float]           # single-token lexicon additions/overrides (lowercase)
    phrases: Mapping[str, float]         # multi-word phrase (lowercase, single spaces) -> valence
    calibration: Calibration | None      # None = VADER's own normalisation (exact)
    sources: tuple[str, ...] = field(default=())


def _read_calibration(path: Path, label: str) -> Calibration:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cal = raw.get("calibration")
    if cal is None:
        return Calibration()
    if not isinstance(cal, dict):
        raise LexiconError(f"{label}: 'calibration' must be a mapping. "
                           "Fix: write 'calibration: {alpha: 15, w_compound: 1, w_pos: 0, w_neg: 0}'.")
    line = _key_line(path, "calibration")
    values: dict[str, float] = {}
    for key in ("alpha", "w_compound", "w_pos", "w_neg", "intercept"):
        value = cal.get(key, getattr(Calibration(), key))
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise LexiconError(f"{label}:{line}: calibration '{key}' must be a number, got "
                               f"{value!r}. Fix: write a number, e.g. '{key}: 1.0'.")
        values[key] = float(value)
    if values["alpha"] <= 0:
        raise LexiconError(f"{label}:{line}: calibration 'alpha' must be > 0. "
                           "Fix: use a positive number (VADER uses 15).")
    return Calibration(**values)


def _key_line(path: Path, key: str) -> int:
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text.startswith(f"{key}:"):
            return number
    return 1


def _split_entries(entries: Iterable[Entry]) -> tuple[dict[str, float], dict[str, float]]:
    words: dict[str, float] = {}
    phrases: dict[str, float] = {}
    for entry in entries:
        term = " ".join(str(entry["term"]).lower().split())
        if not term:
            raise LexiconError(f"{entry.file}:{entry.line}: empty 'term'. Fix: write the word "
                               "or phrase, e.g. 'term: insurgency'.")
        valence = float(entry["valence"])
        if not -4.0 <= valence <= 4.0:
            raise LexiconError(f"{entry.file}:{entry.line}: term {term!r}: valence {valence} is "
                               "outside VADER's -4..4 scale. Fix: use a value in -4..4.")
        (phrases if " " in term else words)[term] = valence
    return words, phrases


@lru_cache(maxsize=16)
def _settings(lexicon: str, extra: tuple[str, ...]) -> _Settings:
    entries: list[Entry] = []
    calibration: Calibration | None = None
    if lexicon == "news":
        path = data_path(NEWS_LEXICON_FILE)
        entries += read_entries(NEWS_LEXICON_FILE, key="entries", required=_ENTRY_SCHEMA,
                                optional=_ENTRY_OPTIONAL, packaged=True)
        calibration = _read_calibration(path, path.name)
    for source in extra:
        entries += read_entries(source, key="entries", required=_ENTRY_SCHEMA,
                                optional=_ENTRY_OPTIONAL)
    words, phrases = _split_entries(entries)
    return _Settings(words=words, phrases=phrases, calibration=calibration, sources=extra)


@lru_cache(maxsize=1)
def _vader() -> SentimentIntensityAnalyzer:
    # reading the lexicon files takes ~0.1 s: do it once per process
    return SentimentIntensityAnalyzer()


# the non-ASCII characters that re.IGNORECASE matches to an ASCII character although their
# lower() is not that character's (dotted capital I, dotless i, long s; the Kelvin sign
# lowers to 'k' and is harmless); tests/test_sentiment.py derives the set from the re module
_CASE_TRAPS = ("\u0130", "\u0131", "\u017f")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class _Analyzer(SentimentIntensityAnalyzer):
    """VADER with an extended lexicon, phrase joining and a calibrated compound.

    Built from the cached plain analyzer (no file reading). Multi-word phrases are joined with
    ``_`` before tokenising so that VADER's whitespace tokens see them as one lexicon item.
    """

    def __init__(self, settings: _Settings) -> None:  # noqa: D107 - no super().__init__: no I/O
        base = _vader()
        self.lexicon = {**base.lexicon, **settings.words}
        self.emojis = base.emojis
        self.calibration = settings.calibration or Calibration()
        self.exact = settings.calibration is None
        joined = {p.replace(" ", "_"): v for p, v in settings.phrases.items()}
        self.lexicon.update(joined)
        self.phrase_re: re.Pattern[str] | None = None
        if settings.phrases:
            alts = sorted(settings.phrases, key=len, reverse=True)
            pattern = "|".join(r"\s+".join(map(re.escape, p.split())) for p in alts)
            self.phrase_re = re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)
        # cheap necessary condition for a phrase: the lower-cased text holds one of them
        # (words joined by any whitespace, no word-boundary test), so it holds the longest
        # word of one of them (tested first when there are few). For ASCII phrases, a match
        # of the IGNORECASE regex is one in the lower-cased text unless the text holds a case
        # trap (see _CASE_TRAPS).
        self.phrase_hint: re.Pattern[str] | None = None
        self.phrase_words: tuple[str, ...] | None = None
        if settings.phrases and all(p.isascii() for p in settings.phrases):
            self.phrase_hint = re.compile(pattern)
            longest = {max(p.split(), key=len) for p in settings.phrases}
            if len(longest) <= 8:
                self.phrase_words = tuple(sorted(longest))

    def prepare(self, text: str) -> str:
        """Emoji-to-text replacement (as VADER) then phrase joining."""
        return self._prepare(text)[0]

    def _prepare(self, text: str) -> tuple[str, str | None]:
        """:meth:`prepare` and, when it was worked out on the way, its ``lower()``."""
        text = _demojize(self.emojis, text)
        if self.phrase_re is None:
            return text, None
        if self.phrase_hint is not None and (
                text.isascii() or not _has_any(text, _CASE_TRAPS)):
            low = text.lower()
            words = self.phrase_words
            if (words is not None and not any(w in low for w in words)
                    or not self.phrase_hint.search(low)):
                return text, low  # no phrase
        return self.phrase_re.sub(lambda m: "_".join(m.group(0).split()), text), None

    def polarity_scores(self, text: str) -> dict[str, float]:  # same contract as VADER
        prepared, low = self._prepare(text)
        return self.finish(_text_valences(self.lexicon, prepared, low), prepared)

    def finish(self, sentiments: list[float], text: str) -> dict[str, float]:
        """VADER's ``score_valence`` with the calibrated compound."""
        c, p, u, n = _final_scores(sentiments, text, None if self.exact else self.calibration)
        return {"neg": n, "neu": u, "pos": p, "compound": c}


def _punctuation(text: str) -> float:
    """SentimentIntensityAnalyzer._punctuation_emphasis (same arithmetic)."""
    ep_count = text.count("!")
    if ep_count > 4:
        ep_count = 4
    ep_amplifier = ep_count * 0.292
    qm_count = text.count("?")
    qm_amplifier: float = 0
    if qm_count > 1:
        qm_amplifier = qm_count * 0.18 if qm_count <= 3 else 0.96
    return ep_amplifier + qm_amplifier


def _final_scores(sentiments: list[float], text: str, calibration: Calibration | None
                  ) -> tuple[float, float, float, float]:
    """``(compound, pos, neu, neg)``: VADER's ``score_valence`` to the last bit (zeros are
    only counted, not looped over), with the calibrated compound when ``calibration``."""
    n = len(sentiments)
    if not n:
        return 0.0, 0.0, 0.0, 0.0
    neu_count = sentiments.count(0)
    if neu_count == n:  # VADER's arithmetic on all zeros (the sum stays 0: no punctuation)
        return _NEUTRAL
    sum_s = float(sum(sentiments))
    punct = _punctuation(text) if "!" in text or "?" in text else 0.0  # (0.0 without them)
    if sum_s > 0:
        sum_s += punct
    elif sum_s < 0:
        sum_s -= punct
    pos_sum = 0.0
    neg_sum = 0.0
    for s in filter(None, sentiments):  # the non-zero values, in order
        if s > 0:
            pos_sum += (float(s) + 1)
        elif s < 0:
            neg_sum += (float(s) - 1)
    fabs = math.fabs
    if pos_sum > fabs(neg_sum):
        pos_sum += punct
    elif pos_sum < fabs(neg_sum):
        neg_sum -= punct
    total = pos_sum + fabs(neg_sum) + neu_count
    # round(0.0, 3) is 0.0: skip the (decimal, slow) rounding of the zero proportions
    pos = round(fabs(pos_sum / total), 3) if pos_sum else 0.0
    neg = round(fabs(neg_sum / total), 3) if neg_sum else 0.0
    neu = round(fabs(neu_count / total), 3) if neu_count else 0.0
    compound = normalize(sum_s) if calibration is None else calibration.apply(sum_s, pos, neg)
    return round(compound, 4), pos, neu, neg


# the scores of a text whose tokens all score 0 (VADER: compound 0, neu 1)
_NEUTRAL = (0.0, 0.0, 1.0, 0.0)


def _demojize(emojis: Mapping[str, str], text: str) -> str:
    # verbatim logic of SentimentIntensityAnalyzer.polarity_scores (emoji -> description);
    # VADER looks emojis up one character at a time and none of them is ASCII, so a text
    # without any emoji character is returned stripped without the per-character loop
    if text.isascii() or _emoji_chars(emojis).isdisjoint(_NON_ASCII.findall(text)):
        return text.strip()
    out: list[str] = []
    prev_space = True
    for ch in text:
        if ch in emojis:
            if not prev_space:
                out.append(" ")
            out.append(emojis[ch])
            prev_space = False
        else:
            out.append(ch)
            prev_space = ch == " "
    return "".join(out).strip()


def _demojized(emojis: Mapping[str, str], text: str) -> tuple[str, None]:
    """``_Analyzer._prepare`` of plain VADER: :func:`_demojize` (no lower-cased text)."""
    return _demojize(emojis, text), None


_EMOJI_CHARS: dict[int, tuple[Mapping[str, str], frozenset[str]]] = {}


def _emoji_chars(emojis: Mapping[str, str]) -> frozenset[str]:
    """The single-character emoji keys (the only ones VADER can match), cached per table."""
    cached = _EMOJI_CHARS.get(id(emojis))
    if cached is None or cached[0] is not emojis:
        chars = frozenset(k for k in emojis if len(k) == 1)
        if any(c.isascii() for c in chars):  # never so in VADER's table: keep the fast path exact
            raise ValueError("an ASCII emoji key would defeat the isascii() shortcut")
        cached = _EMOJI_CHARS[id(emojis)] = (emojis, chars)
    return cached[1]


# --------------------------------------------------------------------------------------------
# VADER's rules, one pass
# --------------------------------------------------------------------------------------------
# A re-implementation of SentimentIntensityAnalyzer.polarity_scores after the emoji step (same
# rules, same order of floating-point operations, so the same scores to the last bit; checked
# against VADER on the dev data in tests/test_sentiment.py). VADER lower-cases the whole word
# list inside _negation_check and _special_idioms_check for every sentiment word, which is
# quadratic on one long sentence; here the list is lower-cased once, and the "but" rule (whose
# list.index quirk is kept) runs in O(n log n).
_PUNCTUATION = string.punctuation
_NEGATE = frozenset(NEGATE)
_SO_THIS = ("so", "this")
# the words that some rule of VADER's sentiment_valence looks for near a lexicon word (the
# booster words, the negations, "no", "least", "so", "this"; "kind of" and idioms apart)
_RULE_WORDS = frozenset(BOOSTER_DICT) | _NEGATE | {"no", "never", "without", "least", *_SO_THIS}


def _words(text: str) -> list[str]:
    """SentiText.words_and_emoticons: tokens stripped of punctuation unless that leaves <= 2
    characters (emoticons)."""
    return [w if len(w := t.strip(_PUNCTUATION)) > 2 else t for t in text.split()]


def _rule_valences(lex: Mapping[str, float], words: list[str]) -> list[float]:
    """VADER's per-token valences of ``words`` (booster words and "kind of" score 0, then every
    rule of ``sentiment_valence``, then ``_but_check``)."""
    return _valences(lex, list(map(str.lower, words)), None, words)


def _text_valences(lex: Mapping[str, float], text: str, low: str | None = None
                   ) -> list[float]:
    """``_rule_valences(lex, _words(text))`` with less work per token: the text is lower-cased
    (``low``, when the caller has it) and split once when that is exactly VADER's per-word
    lower(), and the words are only split in their own case when one may be ALL CAPS."""
    if text.isascii() or not _has_any(text, _LOWER_TRAPS):
        lows = _words(text.lower() if low is None else low)
    else:
        lows = list(map(str.lower, _words(text)))
    return _valences(lex, lows, text, None)


# the characters whose str.lower() depends on the context (capital sigma) or changes the
# length (dotted capital I): without them, lower() of a text is lower() of each of its words
# (tests/test_sentiment.py checks this over all code points)
_LOWER_TRAPS = ("\u03a3", "\u0130")
# an ASCII capital with no ASCII lower-case letter on either side: an ALL-CAPS token holds
# one unless its capitals are all non-ASCII
_ASCII_CAPITAL = re.compile(r"[A-Z](?![a-z])(?<![a-z].)")  # the capital first: a fast scan
_PROBE_CHARS = 2000  # the longest text probed for ALL-CAPS words word by word (_valences)


def _may_be_upper(low: str, probe: str | None) -> bool:
    """False when the word of lower-case form ``low`` is surely not ALL CAPS (see ``probe``
    in :func:`_valences`)."""
    return probe is None or not low.isascii() or low.upper() in probe


def _has_any(text: str, chars: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``chars``."""
    return any(c in text for c in chars)


def _cap_flags(text: str | None, words: list[str] | None, n: int) -> list[bool] | None:
    """``str.isupper`` of each of the ``n`` words (of ``words``, else of the tokens of
    ``text``: punctuation is uncased, so a token and its word agree), or None unless VADER's
    allcap_differential holds (some but not all words ALL CAPS: only then do caps count)."""
    if words is None:
        if text is None or not _ASCII_CAPITAL.search(text) and (
                text.isascii() or not any(c.isupper() for c in _NON_ASCII.findall(text))):
            return None  # no ALL-CAPS token
        words = text.split()
    flags = list(map(str.isupper, words))
    return flags if 0 < sum(flags) < n else None


def _valences(lex: Mapping[str, float], lows: list[str], text: str | None,
              words: list[str] | None) -> list[float]:
    """VADER's per-token valences of the lower-cased VADER words ``lows`` of ``text`` (or of
    ``words``), rule by rule in VADER's order, looking only at the words in ``lex``."""
    n = len(lows)
    sentiments: list[float] = [0] * n
    # the words in the lexicon (found in C): every other word scores 0
    hits = list(compress(count(), map(lex.__contains__, lows)))
    if not hits:
        if "but" in lows:  # all zeros, yet VADER's "but" rule turns the first 0 into 0.0
            _but_rule(sentiments, lows.index("but"))
        return sentiments
    # the ALL-CAPS flags (None: caps do not count) are worked out on the first word that may
    # be ALL CAPS: an ALL-CAPS word whose lower() is ASCII is ASCII itself (unless the text
    # holds the Kelvin sign, the one other character that lowers to ASCII), so it is that
    # lower-case form upper-cased, which is then in the text. Each such probe scans the
    # text: only on sentence-sized texts (else the flags come at once, in linear time).
    probe = text if text is not None and len(text) <= _PROBE_CHARS and (
        text.isascii() or "\u212a" not in text) else None
    caps: list[bool] | None = None
    caps_known = False
    boosters, negate, n_scalar, c_incr = BOOSTER_DICT, _NEGATE, N_SCALAR, C_INCR
    # a word containing "n't" holds [nN]'[tT] in the text (no other character lowers to them)
    nt_free = text is not None and "'t" not in text and "'T" not in text
    for i in hits:
        low = lows[i]
        if low in boosters or (low == "kind" and i < n - 1 and lows[i + 1] == "of"):
            continue
        valence = lex[low]
        # "plain": no booster, negation, "no", "never", "least", "so"/"this" in the word and
        # the three before it, so that of the rules below only caps and idioms can apply
        plain = nt_free and _RULE_WORDS.isdisjoint(lows[i - 3 if i > 3 else 0:i + 1])
        if not plain:
            if low == "no" and i != n - 1 and lows[i + 1] in lex:
                valence = 0.0
            if (i > 0 and lows[i - 1] == "no") or (i > 1 and lows[i - 2] == "no") or (
                    i > 2 and lows[i - 3] == "no" and lows[i - 1] in ("or", "nor")):
                valence = lex[low] * n_scalar
        if not caps_known and _may_be_upper(low, probe):
            caps, caps_known = _cap_flags(text, words, n), True
        if caps is not None and caps[i]:
            if valence > 0:
                valence += c_incr
            else:
                valence -= c_incr
        if plain:
            # VADER adds a 0.0 booster scalar for each of the three words before that is
            # not in the lexicon: a no-op on the (float) valence, except that -0.0 becomes 0.0
            if not valence and ((i > 0 and lows[i - 1] not in lex) or (
                    i > 1 and lows[i - 2] not in lex) or (i > 2 and lows[i - 3] not in lex)):
                valence = valence + 0.0
            if i > 2 and lows[i - 3] not in lex and _idiom_may_match(lows, i):
                valence = _idiom_rule(valence, lows, i)
            sentiments[i] = valence
            continue
        # the three words before (each unless in the lexicon): a booster (scalar_inc_dec,
        # damped with the distance), then _negation_check, and three words back
        # _special_idioms_check
        if i > 0 and (w1 := lows[i - 1]) not in lex:
            s = 0.0
            if w1 in boosters:
                if not caps_known and _may_be_upper(w1, probe):
                    caps, caps_known = _cap_flags(text, words, n), True
                s = _booster(boosters[w1], valence, caps is not None and caps[i - 1])
            valence = valence + s
            if w1 in negate or "n't" in w1:
                valence = valence * n_scalar
        if i > 1 and (w2 := lows[i - 2]) not in lex:
            s = 0.0
            if w2 in boosters:
                if not caps_known and _may_be_upper(w2, probe):
                    caps, caps_known = _cap_flags(text, words, n), True
                s = _booster(boosters[w2], valence, caps is not None and caps[i - 2])
                if s != 0:
                    s = s * 0.95
            valence = valence + s
            w1 = lows[i - 1]
            if w2 == "never" and (w1 == "so" or w1 == "this"):
                valence = valence * 1.25
            elif w2 == "without" and w1 == "doubt":
                pass
            elif w2 in negate or "n't" in w2:
                valence = valence * n_scalar
        if i > 2 and (w3 := lows[i - 3]) not in lex:
            s = 0.0
            if w3 in boosters:
                if not caps_known and _may_be_upper(w3, probe):
                    caps, caps_known = _cap_flags(text, words, n), True
                s = _booster(boosters[w3], valence, caps is not None and caps[i - 3])
                if s != 0:
                    s = s * 0.9
            valence = valence + s
            w2, w1 = lows[i - 2], lows[i - 1]
            # VADER's precedence: (never and w2 in so/this) or w1 in so/this
            if w3 == "never" and w2 in _SO_THIS or w1 in _SO_THIS:
                valence = valence * 1.25
            elif w3 == "without" and (w2 == "doubt" or w1 == "doubt"):
                pass
            elif w3 in negate or "n't" in w3:
                valence = valence * n_scalar
            if _idiom_may_match(lows, i):
                valence = _idiom_rule(valence, lows, i)
        # _least_check
        if i > 1 and lows[i - 1] == "least" and "least" not in lex:
            if lows[i - 2] != "at" and lows[i - 2] != "very":
                valence = valence * n_scalar
        elif i > 0 and lows[i - 1] == "least" and "least" not in lex:
            valence = valence * n_scalar
        sentiments[i] = valence
    if "but" in lows:
        _but_rule(sentiments, lows.index("but"))
    return sentiments


def _booster(scalar: float, valence: float, caps: bool) -> float:
    """scalar_inc_dec for a booster word of value ``scalar`` (``caps``: it is ALL CAPS
    among mixed case)."""
    if valence < 0:
        scalar *= -1
    if caps:
        if valence > 0:
            scalar += C_INCR
        else:
            scalar -= C_INCR
    return scalar


def _idiom_may_match(lows: list[str], i: int) -> bool:
    """False when no n-gram of :func:`_idiom_rule` at ``i`` can match: each starts with one
    of the four words ending at ``i``."""
    firsts = _IDIOM_NEXT
    return lows[i - 3] in firsts or lows[i - 2] in firsts or lows[i - 1] in firsts or (
        lows[i] in firsts)


def _idiom_rule(valence: float, lows: list[str], i: int) -> float:
    """SentimentIntensityAnalyzer._special_idioms_check on the lower-cased words (i >= 3)."""
    w3, w2, w1, w0 = lows[i - 3], lows[i - 2], lows[i - 1], lows[i]
    n = len(lows)
    # every idiom / booster n-gram VADER looks up starts with one of these word pairs
    after = _IDIOM_NEXT
    if not (w0 in after.get(w1, ()) or w1 in after.get(w2, ()) or w2 in after.get(w3, ())
            or (n - 1 > i and lows[i + 1] in after.get(w0, ()))):
        return valence
    onezero = f"{w1} {w0}"
    twoonezero = f"{w2} {w1} {w0}"
    twoone = f"{w2} {w1}"
    threetwoone = f"{w3} {w2} {w1}"
    threetwo = f"{w3} {w2}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in SPECIAL_CASES:
            valence = SPECIAL_CASES[seq]
            break
    if n - 1 > i:
        zeroone = f"{w0} {lows[i + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
    if n - 1 > i + 1:
        zeroonetwo = f"{w0} {lows[i + 1]} {lows[i + 2]}"
        if zeroonetwo in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in BOOSTER_DICT:
            valence = valence + BOOSTER_DICT[n_gram]
    return valence


def _next_words(keys: Iterable[str]) -> dict[str, frozenset[str]]:
    """first word -> second words of the multi-word ``keys`` (split on single spaces, as
    VADER joins the words it looks up)."""
    pairs: dict[str, set[str]] = {}
    for key in keys:
        parts = key.split(" ")
        if len(parts) > 1:
            pairs.setdefault(parts[0], set()).add(parts[1])
    return {first: frozenset(seconds) for first, seconds in pairs.items()}


_IDIOM_NEXT = _next_words([*SPECIAL_CASES, *BOOSTER_DICT])


def _but_rule(sentiments: list[float], bi: int) -> None:
    """SentimentIntensityAnalyzer._but_check in place, in O(k log k) for k non-zero values.

    VADER walks the list and, for the value at each position, rescales the *first* element
    equal to it (``list.index``), so equal values interact; this keeps that behaviour with a
    heap of positions per value (stale positions are skipped when popped). Zeros stay zeros
    and never equal a non-zero value, so only the non-zero positions are walked; each visit
    of a zero sets the first zero to that zero rescaled, the last visit wins.
    """
    nonzero = list(compress(count(), sentiments))
    where: dict[float, list[int]] = {}
    for k in nonzero:
        where.setdefault(sentiments[k], []).append(k)  # ascending: already a heap
    for p in nonzero:
        v = sentiments[p]
        heap = where[v]
        while sentiments[heap[0]] != v:
            heapq.heappop(heap)
        si = heap[0]
        if si == bi:
            continue
        new = v * 0.5 if si < bi else v * 1.5
        sentiments[si] = new
        if new != v:
            heapq.heappop(heap)
            heapq.heappush(where.setdefault(new, []), si)
    if len(nonzero) < len(sentiments):
        first = sentiments.index(0)
        if first != bi:
            last = sentiments[len(sentiments) - 1 - sentiments[::-1].index(0)]
            sentiments[first] = last * 0.5 if first < bi else last * 1.5


# --------------------------------------------------------------------------------------------
# scorer
# --------------------------------------------------------------------------------------------
class SentimentScorer:
    """Sentence sentiment with plain VADER or the news settings.

    Parameters
    ----------
    lexicon : {"news", "vader"}
        ``"vader"``: exactly VADER's ``polarity_scores``. ``"news"``: VADER plus the packaged
        news lexicon and compound calibration (``analysis/data/news_lexicon.yaml``).
    extra_lexicons : sequence of path
        User YAML files shaped like ``news_lexicon.yaml`` (``version`` + ``entries`` of
        ``{term, valence, rationale}``); they extend/override the lexicon.

    Examples
    --------
    >>> SentimentScorer(lexicon="vader").polarity("The book was good.")["compound"]
    0.4404
    """

    def __init__(self, *, lexicon: LexiconName = "news",
                 extra_lexicons: Sequence[str | Path] = ()) -> None:
        if lexicon not in _LEXICONS:
            raise ValueError(f"lexicon={lexicon!r} is not supported. "
                             f"Fix: use one of {', '.join(_LEXICONS)}.")
        if isinstance(extra_lexicons, (str, Path)):
            raise TypeError("extra_lexicons must be a sequence of paths. "
                            "Fix: wrap the single path in a list: extra_lexicons=[path].")
        self.lexicon: LexiconName = lexicon
        self.extra_lexicons: tuple[str, ...] = tuple(str(p) for p in extra_lexicons)
        settings = _settings(lexicon, self.extra_lexicons)
        self._exact = lexicon == "vader" and not self.extra_lexicons
        self._analyzer: SentimentIntensityAnalyzer = (
            _vader() if self._exact else _Analyzer(settings))
        analyzer = self._analyzer
        self._lex: Mapping[str, float] = analyzer.lexicon
        self._calibration: Calibration | None = None
        self._prepare: Callable[[str], tuple[str, str | None]]
        if isinstance(analyzer, _Analyzer):
            self._prepare = analyzer._prepare
            if not analyzer.exact:
                self._calibration = analyzer.calibration
        else:  # plain VADER: same rules in one pass (see _valences)
            self._prepare = partial(_demojized, analyzer.emojis)
        self._cache: dict[str, tuple[float, float, float, float]] = {}

    def __repr__(self) -> str:
        return (f"SentimentScorer(lexicon={self.lexicon!r}, "
                f"extra_lexicons={list(self.extra_lexicons)!r})")

    @property
    def analyzer(self) -> SentimentIntensityAnalyzer:
        """The underlying VADER analyzer (its ``lexicon`` includes the news entries)."""
        return self._analyzer

    def polarity(self, text: str) -> dict[str, float]:
        """Scores of one sentence.

        Parameters
        ----------
        text : str
            One sentence (or clause). Do not pass paragraphs: VADER saturates.

        Returns
        -------
        dict
            ``{"compound", "pos", "neu", "neg"}``; compound in -1..1.
        """
        c, p, u, n = self._scores(text)
        return {"compound": c, "pos": p, "neu": u, "neg": n}

    def compound(self, text: str) -> float:
        """Compound score only (-1..1)."""
        return self._scores(text)[0]

    def _scores(self, text: str) -> tuple[float, float, float, float]:
        """(compound, pos, neu, neg), memoised: the pipeline scores the same sentence or
        clause several times (sentences, quote pieces, stance clauses)."""
        cache = self._cache
        found = cache.get(text)
        if found is None:
            prepared, low = self._prepare(text)
            found = _final_scores(_text_valences(self._lex, prepared, low), prepared,
                                  self._calibration)
            if len(cache) >= _CACHE_SIZE:
                cache.clear()
            cache[text] = found
        return found


_CACHE_SIZE = 4096  # texts memoised per scorer (cleared when full)


@lru_cache(maxsize=16)
def get_scorer(lexicon: LexiconName = "news", extra: tuple[str, ...] = ()) -> SentimentScorer:
    """A cached :class:`SentimentScorer` (one compiled scorer per settings per process).

    Parameters
    ----------
    lexicon : {"news", "vader"}
    extra : tuple of str
        Extra lexicon files (a tuple, so that the call is hashable).
    """
    if not isinstance(extra, tuple):
        raise TypeError("extra must be a tuple of paths (it is a cache key). "
                        "Fix: pass extra=tuple(paths).")
    return SentimentScorer(lexicon=lexicon, extra_lexicons=extra)


def score_sentences(texts: Iterable[str], *, lexicon: LexiconName = "news") -> pd.DataFrame:
    """Score each text (one sentence each).

    Parameters
    ----------
    texts : iterable of str
        Sentences, in order.
    lexicon : {"news", "vader"}

    Returns
    -------
    pandas.DataFrame
        One row per input text, columns ``compound, pos, neu, neg``.
    """
    if isinstance(texts, str):
        raise TypeError("texts must be an iterable of sentences, not one string. "
                        "Fix: pass [text] (and split paragraphs into sentences first).")
    scorer = get_scorer(lexicon)
    rows = [scorer.polarity(t) for t in texts]
    return pd.DataFrame(rows, columns=["compound", "pos", "neu", "neg"])


# --------------------------------------------------------------------------------------------
# explain
# --------------------------------------------------------------------------------------------
_EXPLAIN_COLUMNS = [
    "i", "token", "lexicon_valence", "role", "no_negation", "caps_emphasis", "booster",
    "negation", "never_so_this", "idiom", "least", "valence_before_but", "but_weight",
    "punct_mark", "valence",
]


def explain(text: str, *, lexicon: LexiconName = "news") -> pd.DataFrame:
    """Token-level breakdown of VADER's decision for one sentence.

    Re-runs VADER's rules step by step (same functions, same order) and records what each
    rule did to each token.

    Parameters
    ----------
    text : str
        One sentence.
    lexicon : {"news", "vader"}

    Returns
    -------
    pandas.DataFrame
        One row per VADER token with columns:

        - ``token``; ``lexicon_valence`` (NaN when not in the lexicon);
        - ``role``: ``"booster"`` (a booster/dampener word, scored 0), ``"kind of"``,
          ``"lexicon"`` or ``""``;
        - ``no_negation``: the token was negated by a preceding "no" (x -0.74), or "no" was
          used as a negator (its own valence dropped);
        - ``caps_emphasis``: +-0.733 added for an ALL-CAPS word among mixed case;
        - ``booster``: total added by booster/dampener words up to 3 tokens before;
        - ``negation``: number of x -0.74 negations (not, never, n't, without ...);
        - ``never_so_this``: number of x 1.25 ("never so/this good");
        - ``idiom``: change by special-case idioms / "kind of" bigrams;
        - ``least``: x -0.74 for "least X" (not "at least");
        - ``valence_before_but``, ``but_weight`` (0.5 before "but", 1.5 after);
        - ``punct_mark``: the token carries "!" or "?" (the emphasis itself is text-level:
          ``attrs["punct_amplifier"]``);
        - ``valence``: the final per-token valence.

        ``attrs`` holds ``compound``, ``pos``, ``neu``, ``neg`` (equal to the scorer's
        ``polarity(text)``; with ``lexicon="vader"`` equal to VADER's ``polarity_scores``),
        ``sum_valence``, ``punct_amplifier`` and ``lexicon``.
    """
    scorer = get_scorer(lexicon)
    analyzer = scorer.analyzer
    prepared = analyzer.prepare(text) if isinstance(analyzer, _Analyzer) else _demojize(
        analyzer.emojis, text)
    lex = analyzer.lexicon
    sentitext = SentiText(prepared)
    words = sentitext.words_and_emoticons
    raw_tokens = prepared.split()  # SentiText strips punctuation token by token (1:1)
    cap_diff = sentitext.is_cap_diff
    rows: list[dict[str, Any]] = []
    sentiments: list[float] = []
    for i, item in enumerate(words):
        low = item.lower()
        row: dict[str, Any] = {
            "i": i, "token": item, "lexicon_valence": lex.get(low, math.nan), "role": "",
            "no_negation": False, "caps_emphasis": 0.0, "booster": 0.0, "negation": 0,
            "never_so_this": 0, "idiom": 0.0, "least": False,
            "punct_mark": ("!" in raw_tokens[i] or "?" in raw_tokens[i]),
        }
        rows.append(row)
        if low in BOOSTER_DICT:
            row["role"] = "booster"
            sentiments.append(0)
            continue
        if i < len(words) - 1 and low == "kind" and words[i + 1].lower() == "of":
            row["role"] = "kind of"
            sentiments.append(0)
            continue
        valence: float = 0
        if low in lex:
            row["role"] = "lexicon"
            valence = lex[low]
            if low == "no" and i != len(words) - 1 and words[i + 1].lower() in lex:
                valence = 0.0
                row["no_negation"] = True
            if (i > 0 and words[i - 1].lower() == "no") \
                    or (i > 1 and words[i - 2].lower() == "no") \
                    or (i > 2 and words[i - 3].lower() == "no"
                        and words[i - 1].lower() in ["or", "nor"]):
                valence = lex[low] * N_SCALAR
                row["no_negation"] = True
            if item.isupper() and cap_diff:
                delta = C_INCR if valence > 0 else -C_INCR
                valence += delta
                row["caps_emphasis"] = delta
            for start_i in range(0, 3):
                if i > start_i and words[i - (start_i + 1)].lower() not in lex:
                    s = scalar_inc_dec(words[i - (start_i + 1)], valence, cap_diff)
                    if start_i == 1 and s != 0:
                        s = s * 0.95
                    if start_i == 2 and s != 0:
                        s = s * 0.9
                    valence = valence + s
                    row["booster"] += s
                    before = valence
                    valence = analyzer._negation_check(valence, words, start_i, i)
                    if valence != before:
                        if valence == before * N_SCALAR:
                            row["negation"] += 1
                        else:
                            row["never_so_this"] += 1
                    if start_i == 2:
                        before = valence
                        valence = analyzer._special_idioms_check(valence, words, i)
                        row["idiom"] += valence - before
            before = valence
            valence = analyzer._least_check(valence, words, i)
            row["least"] = valence != before
        sentiments.append(valence)
    for row, v in zip(rows, sentiments, strict=True):
        row["valence_before_but"] = v
    final = analyzer._but_check(words, list(sentiments))
    for row, before, after in zip(rows, sentiments, final, strict=True):
        row["valence"] = after
        row["but_weight"] = (after / before) if before else 1.0
    if isinstance(analyzer, _Analyzer):
        scores = analyzer.finish(final, prepared)
    else:
        scores = analyzer.score_valence(final, prepared)
    frame = pd.DataFrame(rows, columns=_EXPLAIN_COLUMNS)
    frame.attrs.update({
        "compound": scores["compound"], "pos": scores["pos"], "neu": scores["neu"],
        "neg": scores["neg"], "sum_valence": float(sum(final)),
        "punct_amplifier": analyzer._punctuation_emphasis(prepared), "lexicon": lexicon,
    })
    return frame


# --------------------------------------------------------------------------------------------
# targets
# --------------------------------------------------------------------------------------------
_FEATURES = (
    "sent_compound", "sent_pos", "sent_neg", "clause_compound", "clause_pos", "clause_neg",
    "rest_compound", "near_pos", "near_neg", "self_valence", "object_negative",
    "subject_negative", "object_positive", "subject_positive", "speaker", "in_quote",
    "other_quote", "negated", "pronoun", "far_pos", "far_neg", "sentence_events", "first",
    "bias")
_CUE_KINDS = ("negative_event", "positive_event", "speech")
# clause boundaries: punctuation and contrastive/causal conjunctions
_CLAUSE_BOUND = re.compile(
    r"[;:()\u2013\u2014\"\u201c\u201d]|,\s|\s(?:but|while|whereas|although|though|because)\s",
    re.IGNORECASE)
_WORD = re.compile(r"[a-z]+")
_QUOTE_CHARS = re.compile(r"[\"\u201c\u201d]")
_NEGATION = re.compile(r"\b(?:not|no|never|nor|neither|without|cannot|\w+n['\u2019]t)\b",
                       re.IGNORECASE)
_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "they", "them", "their",
                       "it", "its", "we", "us", "our", "i", "me", "my", "you", "your",
                       "himself", "herself", "themselves"})
_SPEAKER_BEFORE = re.compile(r"(?:\bsaid|\bsays|\baccording\s+to|\btold)\s+(?:\w+\s+){0,2}$",
                             re.IGNORECASE)
TargetLabel = Literal["negative", "neutral", "positive"]


@dataclass(frozen=True)
class TargetModel:
    """Coefficients and cue words of :func:`score_targets` (see news_lexicon.yaml).

    A multinomial logistic model with ``neutral`` as the reference class: ``z_negative =
    sum(negative[f] * x_f)``, ``z_positive = sum(positive[f] * x_f)``, ``z_neutral = 0``; the
    label is the arg-max and the score is ``P(positive) - P(negative)``.
    """

    negative: Mapping[str, float]
    positive: Mapping[str, float]
    negative_events: frozenset[str]
    positive_events: frozenset[str]
    speech: frozenset[str]
    passive_re: re.Pattern[str]
    speech_re: re.Pattern[str]
    subject_neg_re: re.Pattern[str]
    subject_pos_re: re.Pattern[str]


def _coefficients(block: Mapping[str, Any], key: str, label: str, line: int) -> dict[str, float]:
    coef = block.get(key)
    if not isinstance(coef, dict):
        raise LexiconError(f"{label}:{line}: target_model needs a '{key}' mapping of feature "
                           "coefficients. Fix: restore the block from the packaged file.")
    missing = [f for f in _FEATURES if f not in coef]
    if missing:
        raise LexiconError(f"{label}:{line}: target_model '{key}' lacks {missing}. "
                           f"Fix: give a number for each of {', '.join(_FEATURES)}.")
    return {f: float(coef[f]) for f in _FEATURES}


@lru_cache(maxsize=1)
def load_target_cues() -> TargetModel:
    """The packaged target model (``target_model`` and ``target_cues`` of news_lexicon.yaml)."""
    path = data_path(NEWS_LEXICON_FILE)
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    block = raw.get("target_model")
    line = _key_line(path, "target_model")
    if not isinstance(block, dict):
        raise LexiconError(f"{path.name}:{line}: 'target_model' must be a mapping. "
                           "Fix: restore the block from the packaged file.")
    negative = _coefficients(block, "negative", path.name, line)
    positive = _coefficients(block, "positive", path.name, line)
    entries = read_entries(NEWS_LEXICON_FILE, key="target_cues", packaged=True,
                           required={"cue": str, "kind": str}, optional={"rationale": str})
    kinds: dict[str, set[str]] = {k: set() for k in _CUE_KINDS}
    for entry in entries:
        if entry["kind"] not in kinds:
            raise LexiconError(f"{entry.file}:{entry.line}: cue {entry['cue']!r}: kind "
                               f"{entry['kind']!r} is unknown. Fix: use one of "
                               f"{', '.join(_CUE_KINDS)}.")
        kinds[entry["kind"]].add(entry["cue"].lower())
    neg = "|".join(sorted(map(re.escape, kinds["negative_event"])))
    pos = "|".join(sorted(map(re.escape, kinds["positive_event"])))
    speech = "|".join(sorted(map(re.escape, kinds["speech"])))
    # "<target> (has) (sharply) accused ...": the target performs the act
    subject = r"^\W*(?:\w+\W+){{0,2}}?(?:(?:has|have|had|also|again|then)\s+)?(?:\w+ly\s+)?(?:{})\b"
    return TargetModel(
        negative=negative,
        positive=positive,
        negative_events=frozenset(kinds["negative_event"]),
        positive_events=frozenset(kinds["positive_event"]),
        speech=frozenset(kinds["speech"]),
        # "<target> was (sharply) accused": the target receives the act
        passive_re=re.compile(r"^\W*(?:\w+\W+){0,3}?(?:was|were|been|being|is|are|be|got)\s+"
                              rf"(?:\w+ly\s+)?(?:{neg}|{pos})\b", re.IGNORECASE),
        speech_re=re.compile(rf"^\W*(?:\w+\W+){{0,2}}?(?:{speech})\b", re.IGNORECASE),
        subject_neg_re=re.compile(subject.format(neg), re.IGNORECASE),
        subject_pos_re=re.compile(subject.format(pos), re.IGNORECASE),
    )


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the clause holding ``text[start:end]`` (punctuation / but / while ... cuts)."""
    return _bounds_at(_clause_cuts(text), len(text), start, end)


def _clause_cuts(text: str) -> list[int]:
    """Ascending offsets where a clause of ``text`` may begin (see :func:`clause_bounds`)."""
    return [m.start() + 1 for m in _CLAUSE_BOUND.finditer(text)]


def _bounds_at(cuts: Sequence[int], length: int, start: int, end: int) -> tuple[int, int]:
    """:func:`clause_bounds` from precomputed cuts: the last cut at or before ``start`` and
    the first later cut at or after ``end`` (O(log n), for many targets in one text)."""
    i = bisect.bisect_right(cuts, start)
    j = bisect.bisect_left(cuts, end, i)
    return (cuts[i - 1] if i else 0), (cuts[j] if j < len(cuts) else length)


def _token_valences(scorer: SentimentScorer, text: str, start: int, end: int
                    ) -> tuple[list[float], int, int]:
    """VADER's final per-token valences of ``text`` and the token range of the target.

    The text left of, inside and right of the target is prepared separately (so that the
    target's tokens are known), then scored as one token sequence with VADER's rules.
    """
    analyzer = scorer.analyzer
    prep = analyzer.prepare if isinstance(analyzer, _Analyzer) else (
        lambda t: _demojize(analyzer.emojis, t))
    left, middle, right = prep(text[:start]), prep(text[start:end]), prep(text[end:])
    n_left, n_mid = len(left.split()), len(middle.split())
    words = _words(" ".join(p for p in (left, middle, right) if p))
    return _rule_valences(analyzer.lexicon, words), n_left, n_left + n_mid


def _squash(value: float, alpha: float = 4.0) -> float:
    return value / math.sqrt(value * value + alpha) if value else 0.0


def target_features(text: str, start: int, end: int, *, scorer: SentimentScorer,
                    sentence_scores: Mapping[str, float] | None = None,
                    model: TargetModel | None = None) -> tuple[dict[str, float], list[str]]:
    """Features of :func:`target_polarity` for the target ``text[start:end]``.

    Returns
    -------
    tuple
        ``(features, cue words that fired)``; feature names as in ``target_model`` of
        news_lexicon.yaml:

        - ``sent_*``: compound/pos/neg of the sentence; ``clause_*``: of the clause holding the
          target (:func:`clause_bounds`); ``rest_compound``: of the sentence without that clause;
        - ``near_pos``/``near_neg``: VADER token valences outside the target weighted by
          1/distance (in tokens) to the target, squashed to -1..1; ``self_valence``: valence of
          the target's own words ("the corrupt regime");
        - ``object_negative``/``object_positive``: the target receives a negative/positive
          event ("critics accused X", "X was praised"); ``subject_negative``/
          ``subject_positive``: the target performs it ("X accused ..."), which says little
          about the target;
        - ``speaker``: the target is the speaker of the sentence ("X said", "according to X");
        - ``in_quote``: the target sits inside quotation marks; ``other_quote``: the sentence
          quotes someone but the target is outside the quote;
        - ``negated``: a negator in the target's clause; ``pronoun``: the target is a pronoun;
          ``bias``: 1.
    """
    model = model or load_target_cues()
    sent = sentence_scores or scorer.polarity(text)
    lo, hi = clause_bounds(text, start, end)
    clause = text[lo:hi]
    empty = {"compound": 0.0, "pos": 0.0, "neg": 0.0}
    cl = scorer.polarity(clause) if clause.strip() else empty
    rest = (text[:lo] + " " + text[hi:]).strip()
    rest_compound = scorer.compound(rest) if rest else 0.0
    valences, t0, t1 = _token_valences(scorer, text, start, end)
    near_pos = near_neg = far_pos = far_neg = 0.0
    for i, v in enumerate(valences):
        if not v or t0 <= i < t1:
            continue
        d = t0 - i if i < t0 else i - t1 + 1
        w = 1.0 / d
        if v > 0:
            near_pos += v * w
            far_pos += v / math.sqrt(d)
        else:
            near_neg += v * w
            far_neg += v / math.sqrt(d)
    self_valence = float(sum(valences[t0:t1]))
    before = _WORD.findall(text[max(0, start - 60):start].lower())[-4:]
    after = text[end:end + 50]
    cues = [b for b in before if b in model.negative_events]
    pos_cues = [b for b in before if b in model.positive_events]
    passive = model.passive_re.match(after)
    subj_neg = subj_pos = 0.0
    if passive:
        word = passive.group(0).split()[-1].lower()
        (cues if word in model.negative_events else pos_cues).append(word)
    else:
        m = model.subject_neg_re.match(after)
        if m:
            subj_neg = 1.0
            cues.append(m.group(0).split()[-1].lower() + " (by target)")
        m = model.subject_pos_re.match(after)
        if m:
            subj_pos = 1.0
            cues.append(m.group(0).split()[-1].lower() + " (by target)")
    speaker = 1.0 if (model.speech_re.match(text[end:end + 40])
                      or _SPEAKER_BEFORE.search(text[max(0, start - 40):start])) else 0.0
    n_quotes_before = len(_QUOTE_CHARS.findall(text[:start]))
    in_quote = 1.0 if n_quotes_before % 2 == 1 else 0.0
    other_quote = 1.0 if not in_quote and _QUOTE_CHARS.search(text) else 0.0
    features = {
        "sent_compound": sent["compound"], "sent_pos": sent["pos"], "sent_neg": sent["neg"],
        "clause_compound": cl["compound"], "clause_pos": cl["pos"], "clause_neg": cl["neg"],
        "rest_compound": rest_compound, "near_pos": _squash(near_pos),
        "near_neg": _squash(near_neg), "self_valence": _squash(self_valence),
        "object_negative": float(min(len(cues) - subj_neg - subj_pos, 2)),
        "subject_negative": subj_neg, "object_positive": float(min(len(pos_cues), 2)),
        "subject_positive": subj_pos, "speaker": speaker, "in_quote": in_quote,
        "other_quote": other_quote,
        "negated": 1.0 if _NEGATION.search(clause) else 0.0,
        "pronoun": 1.0 if text[start:end].strip().lower() in _PRONOUNS else 0.0,
        "far_pos": _squash(far_pos, 15.0), "far_neg": _squash(far_neg, 15.0),
        "sentence_events": float(min(sum(w in model.negative_events
                                         for w in _WORD.findall(text.lower())), 3)),
        "first": 1.0 if not text[:start].strip() else 0.0,
        "bias": 1.0,
    }
    return features, cues + pos_cues


def target_polarity(text: str, start: int, end: int, *, scorer: SentimentScorer,
                    sentence_scores: Mapping[str, float] | None = None,
                    model: TargetModel | None = None) -> tuple[float, TargetLabel, list[str]]:
    """Sentiment toward one target span of one sentence.

    Parameters
    ----------
    text : str
        The sentence.
    start, end : int
        The target's span in ``text``.
    scorer : SentimentScorer
    sentence_scores : mapping, optional
        ``scorer.polarity(text)`` when already known (saves one scoring).
    model : TargetModel, optional
        Defaults to :func:`load_target_cues`.

    Returns
    -------
    tuple
        ``(score in -1..1, label, cue words that fired)``; score = P(positive) - P(negative)
        of the logistic target model, label = its most probable class.
    """
    model = model or load_target_cues()
    x, cues = target_features(text, start, end, scorer=scorer,
                              sentence_scores=sentence_scores, model=model)
    z_neg = sum(model.negative[f] * x[f] for f in _FEATURES)
    z_pos = sum(model.positive[f] * x[f] for f in _FEATURES)
    top = max(z_neg, z_pos, 0.0)
    e_neg, e_pos, e_neu = math.exp(z_neg - top), math.exp(z_pos - top), math.exp(-top)
    total = e_neg + e_pos + e_neu
    score = (e_pos - e_neg) / total
    label: TargetLabel = ("negative" if z_neg > max(z_pos, 0.0) else
                          "positive" if z_pos > max(z_neg, 0.0) else "neutral")
    return score, label, cues


def score_targets(text: str, spans: Sequence[tuple[int, int]], *,
                  lexicon: LexiconName = "news") -> pd.DataFrame:
    """Sentiment expressed toward each target span of one sentence.

    Mixes the whole-sentence scores with the scores of the clause holding the target and
    counts negative/positive event cues acting on the target (weights fitted on NewsMTSC
    train, see ``target_model`` in news_lexicon.yaml).

    Parameters
    ----------
    text : str
        One sentence.
    spans : sequence of (start, end)
        Target spans (0-based, end-exclusive) in ``text``.
    lexicon : {"news", "vader"}

    Returns
    -------
    pandas.DataFrame
        One row per span: ``start, end, score`` (-1..1), ``label``
        (negative|neutral|positive), ``cues``.
    """
    scorer = get_scorer(lexicon)
    sent = scorer.polarity(text)
    rows = []
    for span in spans:
        try:
            start, end = (int(v) for v in span)
        except (TypeError, ValueError):
            raise ValueError(f"spans must hold (start, end) pairs, got {span!r}. "
                             "Fix: pass e.g. [(0, 6)].") from None
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"span {span!r} is outside the text (length {len(text)}). "
                             "Fix: use offsets into this sentence.")
        score, label, cues = target_polarity(text, start, end, scorer=scorer,
                                             sentence_scores=sent)
        rows.append({"start": start, "end": end, "score": score, "label": label,
                     "cues": cues})
    return pd.DataFrame(rows, columns=["start", "end", "score", "label", "cues"])

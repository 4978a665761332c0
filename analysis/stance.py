"""Target-aware stance of each speaker (narrator included) toward each actor.

For every actor mention the stage finds who holds the view (the mention's ``voice``, or the
reported speaker when the mention sits inside an indirect quote), scores the clause that
governs the mention (VADER with the scorer's settings) and looks for stance cues
(``analysis/data/stance_cues.yaml``: favor/against words and phrases, negation-aware). A
speaker's first-person plural (we/us/our/ourselves/ours) stands for the speaker's affiliation
actor: it is never a target of that speaker's stance.

Public API
----------
stance_records, stance_matrix, directed_stance, load_stance_cues, StanceCues.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from analysis.lexicons import read_entries, read_many, trie_regex
from analysis.quotes import quote_parts
from analysis.sentiment import (
    _CASE_TRAPS,
    _CLAUSE_BOUND,
    SentimentScorer,
    _bounds_at,
    _clause_cuts,
    _has_any,
    clause_bounds,
    get_scorer,
)

__all__ = [
    "StanceLabel",
    "StanceCues",
    "load_stance_cues",
    "stance_records",
    "stance_matrix",
    "directed_stance",
    "FIRST_PERSON_PLURAL",
]

StanceLabel = Literal["against", "neutral", "favor"]
STANCE_CUES_FILE = "stance_cues.yaml"
FIRST_PERSON_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
_NEGATORS = frozenset({"not", "no", "never", "nor", "neither", "without", "hardly", "cannot",
                       "isn't", "aren't", "wasn't", "weren't", "don't", "doesn't", "didn't",
                       "won't", "wouldn't", "can't", "couldn't", "shouldn't", "isn’t",
                       "aren’t", "wasn’t", "don’t", "doesn’t", "didn’t", "won’t", "can’t"})
_TOKEN = re.compile(r"[\w’']+")
_WORD_START = re.compile(r"\w")
# the ASCII characters outside [\w-], as a plain set (tested much faster than \w)
_ASCII_NOT_WORD_OR_HYPHEN = r"[\x00-,./:-@\[-^`{-\x7f]"
_FPP = re.compile(r"\b(?:we|us|our|ours|ourselves)\b", re.IGNORECASE)
# evidence score = CUE_WEIGHT * clipped cue sum + (1 - CUE_WEIGHT) * clause compound
CUE_WEIGHT = 0.6
# label thresholds on the mean evidence score of a speaker x actor pair (set by hand: one cue
# with a neutral clause is enough; not fitted, no gold data for article-level stance)
FAVOR_THRESHOLD = 0.25
AGAINST_THRESHOLD = -0.25
# directed_stance only reads a stance when a relation verb (stance_cues.yaml relation_verbs)
# links source and target with at most this many words between them ("X (has long) accused
# Y", "Y was criticized by X"). Tuned on directed-sentiment train.txt (accuracy, then
# macro-F1): 8 words acc 0.716 / F1 0.342, 10 words 0.720 / 0.355, 12 words 0.720 / 0.363,
# 15 words 0.717 / 0.367; precision of the fired predictions falls from 0.78 to 0.66.
DIRECTED_MAX_GAP = 10
# a boundary between source and target cancels the link: sentence end (a period after a
# word of 4+ letters, so "Rep." / "U. S." do not cut), ; : ? ! and quotation marks
_LINK_BOUND = re.compile(r"(?<=[a-z]{4})\.\s|[;:?!]\s|[\"\u201c\u201d]")


@dataclass(frozen=True)
class StanceCues:
    """Compiled stance cues: ``pattern`` matches any cue; ``polarity`` maps cue -> +1/-1."""

    pattern: re.Pattern[str]
    polarity: Mapping[str, int]
    verbs: Mapping[str, int] = field(default_factory=dict)
    object_cues: frozenset[str] = frozenset()
    # (pattern, its fast twin for ASCII text; see load_stance_cues), or None
    _ascii: tuple[re.Pattern[str], re.Pattern[str]] | None = field(
        default=None, repr=False, compare=False)


@lru_cache(maxsize=8)
def load_stance_cues(extra: tuple[str, ...] = ()) -> StanceCues:
    """Read the packaged stance cues plus user files (same shape: ``cues`` of
    ``{cue, polarity: favor|against, rationale}``); the relation verbs of
    :func:`directed_stance` (``relation_verbs``) come from the packaged file."""
    entries = read_many([Path(p) for p in extra], default=STANCE_CUES_FILE, key="cues",
                        required={"cue": str, "polarity": str},
                        optional={"rationale": str, "role": str})
    polarity: dict[str, int] = {}
    object_cues: set[str] = set()
    for entry in entries:
        if entry.get("role") not in (None, "object"):
            from analysis.lexicons import LexiconError
            raise LexiconError(f"{entry.file}:{entry.line}: cue {entry['cue']!r}: role "
                               f"{entry['role']!r} is unknown. Fix: write 'role: object' or "
                               "leave it out.")
        if entry.get("role") == "object":
            object_cues.add(" ".join(entry["cue"].lower().split()))
        value = entry["polarity"]
        if value not in ("favor", "against"):
            from analysis.lexicons import LexiconError
            raise LexiconError(f"{entry.file}:{entry.line}: cue {entry['cue']!r}: polarity "
                               f"{value!r} is unknown. Fix: write 'polarity: favor' or "
                               "'polarity: against'.")
        polarity[" ".join(entry["cue"].lower().split())] = 1 if value == "favor" else -1
    body = _cue_regex(list(polarity))
    verbs: dict[str, int] = {}
    for entry in read_entries(STANCE_CUES_FILE, key="relation_verbs", packaged=True,
                              required={"verb": str, "polarity": str},
                              optional={"rationale": str}):
        if entry["polarity"] not in ("favor", "against"):
            from analysis.lexicons import LexiconError
            raise LexiconError(f"{entry.file}:{entry.line}: verb {entry['verb']!r}: polarity "
                               f"{entry['polarity']!r} is unknown. Fix: write 'polarity: "
                               "favor' or 'polarity: against'.")
        verbs[entry["verb"].lower()] = 1 if entry["polarity"] == "favor" else -1
    pattern = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)
    twin = None
    if all(c.isascii() and _WORD_START.match(c) for c in polarity):
        # For ASCII text: the same matches, about twice as fast. Case-insensitive matching
        # costs twice as much, so the twin reads the lower-cased text (the cues are lower
        # case). A leading ASCII set lets the engine skip to the characters before a word
        # (the text gets one leading space); it consumes the character before a cue, which
        # can only hide a cue that starts right after the previous one, and none can: a cue
        # starts with a word character and the previous one is followed by a non-word.
        twin = (pattern, re.compile(rf"{_ASCII_NOT_WORD_OR_HYPHEN}({body})(?![\w-])"))
    return StanceCues(pattern=pattern, polarity=polarity, verbs=verbs,
                      object_cues=frozenset(object_cues), _ascii=twin)


def _cue_regex(cues: list[str]) -> str:
    """Alternation of the cues (words joined by ``\\s+``) that prefers the longest cue.

    ASCII cues are factored as a character trie: the engine then follows one path per
    position instead of trying every cue (the 69 packaged cues made the plain alternation
    2.5x slower). Distinct ASCII characters never match the same character under
    IGNORECASE, so at most one branch of a trie node can match and the greedy trie tries
    the longest cue first, as the plain longest-first alternation does. Other cues (where
    case folding could join two branches) keep the plain alternation.
    """
    if not all(c.isascii() for c in cues):
        alts = sorted(cues, key=len, reverse=True)  # longest phrase first
        return "|".join(r"\s+".join(map(re.escape, c.split())) for c in alts)
    return trie_regex(" ".join(c.split()) for c in cues)


def _resolve_cues(cues: StanceCues | Sequence[str | Path] | None) -> StanceCues:
    if cues is None:
        return load_stance_cues()
    if isinstance(cues, StanceCues):
        return cues
    if isinstance(cues, (str, Path)):
        raise TypeError("cues must be a StanceCues, a list of YAML paths or None. "
                        "Fix: wrap the path in a list: cues=[path].")
    return load_stance_cues(tuple(str(p) for p in cues))


def _cue_hits(text: str, cues: StanceCues) -> list[tuple[str, int, int]]:
    """(cue, signed polarity, position) for each cue in ``text``, negation-aware."""
    return [(cue, pol, a) for cue, pol, a, _ in _cue_spans(text, cues)]


def _cue_spans(text: str, cues: StanceCues) -> list[tuple[str, int, int, int]]:
    """(cue, signed polarity, start, end) for each cue in ``text``, negation-aware."""
    twin = cues._ascii
    if twin is not None and twin[0] is cues.pattern and text.isascii():  # isascii is O(1)
        # the cue is group 1 of the twin's match in " " + text: one character further on
        matches, shift = twin[1].finditer(" " + text.lower()), 1
    else:
        matches, shift = cues.pattern.finditer(text), 0
    hits: list[tuple[str, int, int, int]] = []
    for m in matches:
        start, end = m.span(shift)
        start, end = start - shift, end - shift
        cue = " ".join(text[start:end].lower().split())
        pol = cues.polarity[cue]
        before = _TOKEN.findall(text[max(0, start - 40):start].lower())[-3:]
        if any(b in _NEGATORS or b.endswith(("n't", "n’t")) for b in before):
            pol, cue = -pol, f"not {cue}"
        hits.append((cue, pol, start, end))
    return hits


_PREPOSITIONS = frozenset({"on", "against", "of", "with", "to", "over", "about", "from", "for",
                           "in", "at", "into", "toward", "towards", "by"})
_LOCATIVE = frozenset({"in", "at", "near", "inside", "across", "within", "throughout"})
_PASSIVE_AUX = re.compile(r"\b(?:was|were|is|are|been|being|be|got)\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"^[\u2019']s?\s+(?:[\w-]+\s+)?$")
_SPEECH = re.compile(r"\b(?:said|says|say|told|tells|added|argued|stated|wrote|noted|explained|"
                     r"according)\b", re.IGNORECASE)


def _applies(clause: str, start: int, end: int, cue: str, pos: int, cues: StanceCues) -> bool:
    """Whether the cue at ``pos`` of ``clause`` is said about the mention ``[start, end)``."""
    if pos >= end:  # cue after the mention
        between = clause[end:pos]
        before = _last_token(clause, start)
        if _POSSESSIVE.match(between) or _SPEECH.search(between) or (
                before and before[0] in _PREPOSITIONS):
            return False  # "X's ally", "X said ...", "a focus on X is welcomed"
        if cue.removeprefix("not ") in cues.object_cues:
            return bool(_PASSIVE_AUX.search(between))  # "X was accused", not "X accused"
        return True
    if cue.removeprefix("not ") in cues.object_cues:
        # "fighting in X" is a place, not a target
        between_words = _TOKEN.findall(clause[pos:start].lower())[len(cue.split()):]
        return not any(w in _LOCATIVE for w in between_words)
    return True


def _last_token(text: str, end: int) -> list[str]:
    """``_TOKEN.findall(text[:end].lower())[-1:]``, reading back only to the last token
    (tokens never span a space, so each space-delimited piece is tokenised alone)."""
    j = end
    while j > 0:
        p = text.rfind(" ", 0, j) + 1
        found = _TOKEN.findall(text[p:j].lower())
        if found:
            return found[-1:]
        j = p - 1
    return []


# Clause cuts (sentiment._clause_cuts) are most of the cost of a sentence. Its pattern is
# punctuation | ", " | " but " (and other conjunctions, any case). Without a conjunction in
# the sentence, the cuts are those of punctuation and ", ", which one pass with a character
# set in front finds about four times faster (the engine skips to those characters in C);
# the matches are the same since none of them can hold or hide another. Sentences with a
# conjunction (or with İ, ı, ſ, which match i and s case-insensitively) use the full pattern,
# as does any other _CLAUSE_BOUND.
_CLAUSE_SOURCE = (r"[;:()\u2013\u2014\"\u201c\u201d]|,\s"
                  r"|\s(?:but|while|whereas|although|though|because)\s")
_SPLIT_CUTS = (_CLAUSE_BOUND.pattern == _CLAUSE_SOURCE
               and _CLAUSE_BOUND.flags == re.IGNORECASE | re.UNICODE)
_PUNCT_CUT = re.compile(r"[;:()\u2013\u2014\"\u201c\u201d,](?:(?<=,)\s|(?<!,))")


def _cuts(text: str) -> list[int]:
    """``sentiment._clause_cuts(text)``, faster for a sentence without conjunctions."""
    if _SPLIT_CUTS:
        low = text.lower()
        # "though" is also the end of "although"; İ ı ſ are i and s case-insensitively
        if not ("but" in low or "while" in low or "whereas" in low or "though" in low
                or "because" in low) and (
                text.isascii() or not _has_any(text, _CASE_TRAPS)):
            return [m.start() + 1 for m in _PUNCT_CUT.finditer(text)]
    return _clause_cuts(text)


# Longest clause scored as a whole. A longer one (no punctuation or conjunction in a thousand
# characters; the longest in the 840 polnear train articles has 436) is narrowed to
# MAX_CLAUSE // 2 characters either side of the mention, so that many mentions in one huge
# sentence stay linear in time.
MAX_CLAUSE = 1000


class _Spans:
    """Spans ``(a, b)`` that answer "does one hold ``x`` (``a <= x < b``)?" in O(log n)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.reach: list[int] = []  # the largest end among the spans up to each one
        top = None
        for _, b in ordered:
            top = b if top is None or b > top else top
            self.reach.append(top)

    def holds(self, x: int) -> bool:
        i = bisect.bisect_right(self.starts, x)
        return i > 0 and self.reach[i - 1] > x


class _Clause:
    """A clause (or window of a long clause) of a sentence: its text without surrounding
    whitespace (the evidence text), its cue hits and, once needed, its compound."""

    __slots__ = ("stripped", "hits", "compound")

    def __init__(self, stripped: str, hits: list[tuple[str, int, int]]) -> None:
        self.stripped, self.hits = stripped, hits
        self.compound: float | None = None


class _Clauses:
    """Clause cuts, cue hits and compounds of one sentence, computed once for all its
    mentions."""

    __slots__ = ("text", "scorer", "cues", "cuts", "clauses", "whole", "whole_spans", "fpp")

    def __init__(self, text: str, scorer: SentimentScorer, cues: StanceCues) -> None:
        self.text, self.scorer, self.cues = text, scorer, cues
        self.cuts = _cuts(text)
        self.clauses: dict[tuple[int, int], _Clause] = {}
        # a narrowed window -> the whole long clause it comes from, and that clause's cues
        # (made for the first clause longer than MAX_CLAUSE)
        self.whole: dict[tuple[int, int], tuple[int, int]] | None = None
        self.whole_spans: dict[tuple[int, int], tuple[list[int], list[tuple]]] | None = None
        # we/us/our spans of the sentence (None: not looked for yet)
        self.fpp: list[tuple[int, int]] | None = None

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        lo, hi = _bounds_at(self.cuts, len(self.text), start, end)
        if hi - lo > MAX_CLAUSE:
            whole = (lo, hi)
            lo, hi = max(lo, start - MAX_CLAUSE // 2), min(hi, end + MAX_CLAUSE // 2)
            if self.whole is None:
                self.whole, self.whole_spans = {}, {}
            self.whole[(lo, hi)] = whole
        return lo, hi

    def clause(self, lo: int, hi: int) -> _Clause:
        """The clause ``[lo, hi)`` (from :meth:`bounds`)."""
        found = self.clauses.get((lo, hi))
        if found is None:
            text = self.text[lo:hi]
            whole = None if self.whole is None else self.whole.get((lo, hi))
            if whole is None:
                hits = _cue_hits(text, self.cues)
            else:
                # a window of a long clause: the clause's cues are found once, and each
                # window takes those inside it (not a new scan per mention: linear time)
                hits = self._window_hits(whole, lo, hi)
            found = self.clauses[(lo, hi)] = _Clause(text.strip(), hits)
        return found

    def _window_hits(self, whole: tuple[int, int], lo: int, hi: int
                     ) -> list[tuple[str, int, int]]:
        assert self.whole_spans is not None  # made with self.whole
        spans = self.whole_spans.get(whole)
        if spans is None:
            found = [(cue, pol, whole[0] + a, whole[0] + b)
                     for cue, pol, a, b in _cue_spans(self.text[whole[0]:whole[1]], self.cues)]
            spans = self.whole_spans[whole] = ([h[2] for h in found], found)
        starts, found = spans
        out = []
        for k in range(bisect.bisect_left(starts, lo), len(found)):
            cue, pol, a, b = found[k]
            if a >= hi:
                break
            if b <= hi:
                out.append((cue, pol, a - lo))
        return out

    def clause_compound(self, clause: _Clause, lo: int, hi: int) -> float:
        found = clause.compound
        if found is None:
            # the stripped text is empty exactly when the clause is only whitespace
            found = clause.compound = (
                self.scorer.compound(self.text[lo:hi]) if clause.stripped else 0.0)
        return found

    def score(self, info: _Clause, lo: int, hi: int, start: int, end: int,
              exclude: Sequence[tuple[int, int]] = ()) -> tuple[float, list[str]]:
        """(score, cue words) of the mention ``[start, end)`` in its clause ``info``
        (``[lo, hi)``)."""
        if not info.hits:  # most clauses: the score is the clause's compound
            return max(-1.0, min(1.0, self.clause_compound(info, lo, hi))), []
        clause = self.text[lo:hi]
        # cue words that are the mention itself or excluded spans do not count
        found = [h for h in info.hits
                 if not (start - lo <= h[2] < end - lo)
                 and not any(a - lo <= h[2] < b - lo for a, b in exclude)]
        hits = [h for h in found
                if _applies(clause, start - lo, end - lo, h[0], h[2], self.cues)]
        if found and not hits:
            # the clause's cues are about someone else (or the actor's own act): no evidence
            return 0.0, []
        cue_sum = max(-1.0, min(1.0, float(sum(h[1] for h in hits))))
        compound = self.clause_compound(info, lo, hi)
        score = CUE_WEIGHT * cue_sum + (1 - CUE_WEIGHT) * compound if hits else compound
        return max(-1.0, min(1.0, score)), [h[0] for h in hits]


def _label(score: float, favor: float = FAVOR_THRESHOLD,
           against: float = AGAINST_THRESHOLD) -> StanceLabel:
    if score >= favor:
        return "favor"
    if score <= against:
        return "against"
    return "neutral"


def stance_records(text: str, sentences: list[dict], quotes: list[dict],
                   mentions: list[dict], *, speaker_affiliations: Mapping[str, str | None],
                   scorer: SentimentScorer | None = None,
                   cues: StanceCues | Sequence[str | Path] | None = None) -> list[dict]:
    """Stance of each speaker toward each actor, with evidence.

    Parameters
    ----------
    text : str
        The document text (all offsets index into it).
    sentences, quotes, mentions : list of dict
        Records as in docs/design.md. Mentions need ``actor, start, end, sent_id, voice``;
        quotes need ``kind, start, end, speaker``.
    speaker_affiliations : mapping
        Canonical speaker -> affiliation actor (or None). A speaker's we/us/our stands for
        this actor and is never a target of the speaker's own stance.
    scorer : SentimentScorer, optional
        Defaults to ``get_scorer("news")``.
    cues : StanceCues or list of path, optional
        Extra stance-cue files (extend the packaged list) or compiled cues.

    Returns
    -------
    list of dict
        One record per (speaker, actor): ``speaker, actor, score`` (-1..1, mean of the
        evidence), ``label`` (against|neutral|favor), ``n_evidence``, ``evidence`` (list of
        ``{sent_id, text, score, cues}``), sorted by speaker then actor.
    """
    scorer = scorer or get_scorer("news")
    compiled = _resolve_cues(cues)
    by_id = {s["sent_id"]: s for s in sentences}
    indirect = [q for q in quotes if q.get("kind") == "indirect" and q.get("speaker")]
    # spans of each speaker's voice (direct/mixed: the mention's voice already says so),
    # built when a sentence first has a we/us/our of a speaker with an affiliation
    voiced: dict[str, list[tuple[int, int]]] | None = None
    in_voice: dict[str, _Spans] = {}
    # (speaker, actor) -> (sent_id, clause text) -> evidence: one piece of evidence per
    # clause text of a sentence (several mentions in one clause repeat it; only the first
    # mention's clause is scored)
    evidence: dict[tuple[str, str], dict[tuple[Any, str], dict[str, Any]]] = {}
    per_sentence: dict[Any, _Clauses] = {}  # sent_id -> its clauses, shared by its mentions
    self_refs: dict[tuple[Any, str], list[tuple[int, int]]] = {}
    for m in mentions:
        speaker = m.get("voice") or "narrator"
        for q in indirect:
            if q["start"] <= m["start"] and m["end"] <= q["end"]:
                speaker = q["speaker"]
                break
        actor = m["actor"]
        own = speaker_affiliations.get(speaker)
        # a speaker's first-person plural is the affiliation, never a target
        if own is not None and actor == own and _FPP.fullmatch(m.get("text", "")):
            continue
        sent = by_id.get(m.get("sent_id"))
        if sent is None:
            continue
        sent_id = sent["sent_id"]
        clauses = per_sentence.get(sent_id)
        if clauses is None:
            clauses = per_sentence[sent_id] = _Clauses(
                text[sent["start"]:sent["end"]], scorer, compiled)
        off = sent["start"]
        # we/us/our of the speaker inside this sentence: self-references, not cue targets
        selves: list[tuple[int, int]] = []
        if own is not None:
            fpp = clauses.fpp
            if fpp is None:
                fpp = clauses.fpp = [f.span() for f in _FPP.finditer(clauses.text)]
            if fpp:
                key = (sent_id, speaker)
                if key not in self_refs:
                    spans = in_voice.get(speaker)
                    if spans is None:
                        if voiced is None:
                            voiced = defaultdict(list)
                            for q in quotes:
                                if q.get("speaker"):
                                    voiced[q["speaker"]].extend(quote_parts(q))
                        spans = in_voice[speaker] = _Spans(voiced.get(speaker, []))
                    self_refs[key] = [(a0, b0) for a0, b0 in fpp if spans.holds(a0 + off)]
                selves = self_refs[key]
        start, end = m["start"] - off, m["end"] - off
        lo, hi = clauses.bounds(start, end)
        info = clauses.clause(lo, hi)
        clause = info.stripped
        pair = evidence.get((speaker, actor))
        if pair is None:
            pair = evidence[(speaker, actor)] = {}
        if (sent_id, clause) in pair:
            continue  # the pair already has this clause's evidence: the first one counts
        score, cue_words = clauses.score(info, lo, hi, start, end, selves)
        pair[(sent_id, clause)] = {"sent_id": sent_id, "text": clause,
                                   "score": round(score, 4), "cues": cue_words}
    records = []
    for (speaker, actor), pieces in sorted(evidence.items()):
        ev = list(pieces.values())
        score = sum(e["score"] for e in ev) / len(ev)
        records.append({"speaker": speaker, "actor": actor, "score": round(score, 4),
                        "label": _label(score), "n_evidence": len(ev), "evidence": ev})
    return records


def stance_matrix(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Long-form table of stance records.

    Returns
    -------
    pandas.DataFrame
        Columns ``speaker, actor, score, label, n_evidence, cues`` (cues: all cue words of the
        evidence, joined by "; ").
    """
    rows = [{"speaker": r["speaker"], "actor": r["actor"], "score": r["score"],
             "label": r["label"], "n_evidence": r["n_evidence"],
             "cues": "; ".join(c for e in r.get("evidence", []) for c in e.get("cues", []))}
            for r in records]
    return pd.DataFrame(rows, columns=["speaker", "actor", "score", "label", "n_evidence",
                                       "cues"])


def _relation(text: str, source: tuple[int, int], target: tuple[int, int],
              verbs: Mapping[str, int]) -> tuple[int, str]:
    """Polarity (+1/-1, 0 = no link) and verb of a relation verb linking source -> target."""
    (s0, s1), (t0, t1) = source, target
    if s1 <= t0:  # active: "X (has long) accused Y"
        gap = text[s1:t0]
        passive = False
    elif t1 <= s0:  # passive: "Y was criticized by X"
        gap = text[t1:s0]
        passive = True
    else:
        return 0, ""
    if _LINK_BOUND.search(gap):
        return 0, ""
    words = [w.lower() for w in _TOKEN.findall(gap)]
    if len(words) > DIRECTED_MAX_GAP:
        return 0, ""
    if passive and "by" not in words[-3:]:
        return 0, ""
    for i, w in enumerate(words):
        pol = verbs.get(w, 0)
        if not pol:
            continue
        if not passive and "by" in words[i + 1:i + 2]:
            return 0, ""  # "X was praised by Y ... Z": X is not the source
        if any(b in _NEGATORS or b.endswith(("n't", "n’t")) for b in words[max(0, i - 3):i]):
            return -pol, f"not {w}"
        return pol, w
    return 0, ""


def directed_stance(text: str, source_span: tuple[int, int], target_span: tuple[int, int],
                    *, scorer: SentimentScorer | None = None,
                    cues: StanceCues | Sequence[str | Path] | None = None
                    ) -> tuple[float, StanceLabel]:
    """Stance of the entity at ``source_span`` toward the entity at ``target_span``.

    A stance is only read when a relation verb (``relation_verbs`` of stance_cues.yaml) links
    the two: "X praised Y", "X has long accused Y" (source first, at most
    ``DIRECTED_MAX_GAP`` words between) or "Y was criticized by X" (passive, "by" before the
    source); a negator before the verb flips it ("X has not endorsed Y"), and a sentence end,
    ; : ? ! or quotation mark between the two cancels the link. The label is the verb's
    polarity; the score adds the VADER compound of the text from the first entity to the end
    of the second one's clause: ``CUE_WEIGHT * polarity + (1 - CUE_WEIGHT) * compound`` (same
    sign as the verb). Without a link the result is ``(0.0, "neutral")``: the data this was
    tuned on (directed-sentiment train.txt) is mostly neutral, and sentence mood alone is
    poor evidence of who is against whom.

    Parameters
    ----------
    text : str
        One sentence.
    source_span, target_span : (start, end)
        Offsets into ``text``.

    Returns
    -------
    tuple
        ``(score in -1..1, label)`` with label against|neutral|favor.
    """
    scorer = scorer or get_scorer("news")
    compiled = _resolve_cues(cues)
    (s0, s1), (t0, t1) = source_span, target_span
    if not (0 <= s0 <= s1 <= len(text) and 0 <= t0 <= t1 <= len(text)):
        raise ValueError("source_span/target_span must be (start, end) offsets into text. "
                         "Fix: check the spans against len(text).")
    verbs = compiled.verbs or load_stance_cues().verbs
    pol, _ = _relation(text, (s0, s1), (t0, t1), verbs)
    if not pol:
        return 0.0, "neutral"
    first, (last0, last1) = min(s0, t0), max((s0, s1), (t0, t1))
    _, hi = clause_bounds(text, last0, last1)
    window = text[first:max(hi, last1)]
    compound = scorer.compound(window) if window.strip() else 0.0
    score = max(-1.0, min(1.0, CUE_WEIGHT * pol + (1 - CUE_WEIGHT) * compound))
    return score, ("favor" if pol > 0 else "against")

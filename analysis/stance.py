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

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from analysis.lexicons import read_many
from analysis.sentiment import SentimentScorer, clause_bounds, get_scorer

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
_FPP = re.compile(r"\b(?:we|us|our|ours|ourselves)\b", re.IGNORECASE)
# evidence score = CUE_WEIGHT * clipped cue sum + (1 - CUE_WEIGHT) * clause compound
CUE_WEIGHT = 0.6
# label thresholds on the mean evidence score of a speaker x actor pair (set by hand: one cue
# with a neutral clause is enough; not fitted, no gold data for article-level stance)
FAVOR_THRESHOLD = 0.25
AGAINST_THRESHOLD = -0.25
# thresholds of directed_stance, tuned for macro-F1 on directed-sentiment train.txt
DIRECTED_FAVOR_THRESHOLD = 0.55
DIRECTED_AGAINST_THRESHOLD = -0.45


@dataclass(frozen=True)
class StanceCues:
    """Compiled stance cues: ``pattern`` matches any cue; ``polarity`` maps cue -> +1/-1."""

    pattern: re.Pattern[str]
    polarity: Mapping[str, int]


@lru_cache(maxsize=8)
def load_stance_cues(extra: tuple[str, ...] = ()) -> StanceCues:
    """Read the packaged stance cues plus user files (same shape: ``cues`` of
    ``{cue, polarity: favor|against, rationale}``)."""
    entries = read_many([Path(p) for p in extra], default=STANCE_CUES_FILE, key="cues",
                        required={"cue": str, "polarity": str}, optional={"rationale": str})
    polarity: dict[str, int] = {}
    for entry in entries:
        value = entry["polarity"]
        if value not in ("favor", "against"):
            from analysis.lexicons import LexiconError
            raise LexiconError(f"{entry.file}:{entry.line}: cue {entry['cue']!r}: polarity "
                               f"{value!r} is unknown. Fix: write 'polarity: favor' or "
                               "'polarity: against'.")
        polarity[" ".join(entry["cue"].lower().split())] = 1 if value == "favor" else -1
    alts = sorted(polarity, key=len, reverse=True)  # longest phrase first
    body = "|".join(r"\s+".join(map(re.escape, c.split())) for c in alts)
    return StanceCues(pattern=re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE),
                      polarity=polarity)


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
    hits = []
    for m in cues.pattern.finditer(text):
        cue = " ".join(m.group(0).lower().split())
        pol = cues.polarity[cue]
        before = _TOKEN.findall(text[max(0, m.start() - 40):m.start()].lower())[-3:]
        if any(b in _NEGATORS or b.endswith(("n't", "n’t")) for b in before):
            pol, cue = -pol, f"not {cue}"
        hits.append((cue, pol, m.start()))
    return hits


def _window_score(text: str, start: int, end: int, *, scorer: SentimentScorer,
                  cues: StanceCues, exclude: Sequence[tuple[int, int]] = ()
                  ) -> tuple[float, str, list[str]]:
    """Score of the clause of ``text`` holding ``[start, end)``: (score, clause, cue words)."""
    lo, hi = clause_bounds(text, start, end)
    clause = text[lo:hi]
    # cue words that are the mention itself or excluded spans do not count
    hits = [h for h in _cue_hits(clause, cues)
            if not (start - lo <= h[2] < end - lo)
            and not any(a - lo <= h[2] < b - lo for a, b in exclude)]
    cue_sum = max(-1.0, min(1.0, float(sum(h[1] for h in hits))))
    compound = scorer.compound(clause) if clause.strip() else 0.0
    score = CUE_WEIGHT * cue_sum + (1 - CUE_WEIGHT) * compound if hits else compound
    return max(-1.0, min(1.0, score)), clause.strip(), [h[0] for h in hits]


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
    # spans of each speaker's voice (direct/mixed: the mention's voice already says so)
    voiced: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for q in quotes:
        if q.get("speaker"):
            voiced[q["speaker"]].append((q["start"], q["end"]))
    evidence: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
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
        s_text = text[sent["start"]:sent["end"]]
        off = sent["start"]
        # we/us/our of the speaker inside this sentence: self-references, not cue targets
        selves = []
        if own is not None:
            spans = voiced.get(speaker, [])
            selves = [(f.start(), f.end()) for f in _FPP.finditer(s_text)
                      if any(a <= f.start() + off < b for a, b in spans)]
        score, clause, cue_words = _window_score(
            s_text, m["start"] - off, m["end"] - off, scorer=scorer, cues=compiled,
            exclude=selves)
        evidence[(speaker, actor)].append(
            {"sent_id": sent["sent_id"], "text": clause, "score": round(score, 4),
             "cues": cue_words})
    records = []
    for (speaker, actor), ev in sorted(evidence.items()):
        # one piece of evidence per sentence (several mentions in one clause repeat it)
        seen: dict[tuple[int, str], dict[str, Any]] = {}
        for e in ev:
            seen.setdefault((e["sent_id"], e["text"]), e)
        ev = list(seen.values())
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


def directed_stance(text: str, source_span: tuple[int, int], target_span: tuple[int, int],
                    *, scorer: SentimentScorer | None = None,
                    cues: StanceCues | Sequence[str | Path] | None = None
                    ) -> tuple[float, StanceLabel]:
    """Stance of the entity at ``source_span`` toward the entity at ``target_span``.

    Scores the text from the source to the end of the target's clause (the source's
    predicate about the target) with stance cues and VADER; a stance is only read when the
    source comes first (its subject position), otherwise the result is neutral.

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
    if s0 >= t0:
        return 0.0, "neutral"
    _, hi = clause_bounds(text, t0, t1)
    window = text[s1:max(hi, t1)]
    hits = [h for h in _cue_hits(window, compiled) if not (t0 - s1 <= h[2] < t1 - s1)]
    compound = scorer.compound(window) if window.strip() else 0.0
    cue_sum = max(-1.0, min(1.0, float(sum(h[1] for h in hits))))
    score = CUE_WEIGHT * cue_sum + (1 - CUE_WEIGHT) * compound if hits else compound
    return score, _label(score, DIRECTED_FAVOR_THRESHOLD, DIRECTED_AGAINST_THRESHOLD)

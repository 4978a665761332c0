"""Benchmark quotation extraction + speaker attribution on PolNeAR (dev and train).

Scores with the reference scorer ``/work/shared/tools/polnear_score.py`` (imported, so the
figures agree with it) and measures throughput of attribution against plain VADER scoring
of the same sentences in the same run.

Usage::

    PYTHONPATH=. .venv/bin/python benchmarks/attribution.py [--splits dev train]
        [--limit N] [--errors N] [--split-interrupted] [--json OUT]

Scoring note: PolNeAR annotates one attribution per quotation, with discontinuous content
when the cue interrupts it ("“A,” he said. “B.”") or the quotation runs over paragraphs.
By default the adapter reports such a quotation as one item spanning its fragments (the
fragments share ``cue_start``/speaker and are linked by the scan); ``--split-interrupted``
scores every fragment separately (each extra fragment then lowers end-to-end precision).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Any

SCORER = Path("/work/shared/tools/polnear_score.py")
DATA = Path("/work/shared/data/polnear")


def load_scorer() -> Any:
    """Import the reference scorer from the shared (read-only) path."""
    spec = importlib.util.spec_from_file_location("polnear_score", SCORER)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def segment_document(text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Paragraph and sentence records as the pipeline builds them."""
    from analysis import segment
    from analysis.clean import mark_segments

    segs = mark_segments(text)
    paragraphs: list[dict[str, Any]] = []
    sentences: list[dict[str, Any]] = []
    for i, (a, b) in enumerate(segment.split_paragraphs(text)):
        kind = next((s["kind"] for s in segs if s["paragraph"] == i), "body")
        paragraphs.append({"paragraph": i, "start": a, "end": b, "kind": kind})
        if kind not in ("kicker", "headline", "standfirst", "body"):
            continue
        for sa, sb in segment.split_sentences(text, a, b):
            sentences.append({"sent_id": len(sentences), "paragraph": i, "start": sa,
                              "end": sb, "text": text[sa:sb], "kind": kind})
    return paragraphs, sentences


def merge_fragments(quotes: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """Join fragments of one quotation (same speaker, consecutive direct quotes separated only
    by their cue or a paragraph break) into one scored item."""
    out: list[dict[str, Any]] = []
    for q in quotes:
        prev = out[-1] if out else None
        if (prev is not None and q["kind"] == "direct" and prev["kind"] == "direct"
                and q.get("speaker") and q.get("speaker") == prev.get("speaker")
                and q.get("cue_start") in (None, prev.get("cue_start"))):
            gap = text[prev["end"]:q["start"]]
            cue_between = (prev.get("cue_start") is not None
                           and prev["end"] <= prev["cue_start"] < q["start"])
            if len(gap) < 120 and (cue_between or not gap.strip()):
                prev["end"] = q["end"]
                continue
        out.append(dict(q))
    return out


def run_split(split: str, *, limit: int | None, split_interrupted: bool,
              scorer: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Predict and score one split; returns (metrics, predictions, timing)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from analysis.quotes import find_quotes, load_cues

    gold = scorer.load_gold(str(DATA / split), limit)
    from analysis.speakers import load_roles

    cues = load_cues()
    load_roles()  # compile word lists before timing (cached)
    vader = SentimentIntensityAnalyzer()
    pred: dict[str, Any] = {"documents": [], "quotes": []}
    t_attr = t_vader = 0.0
    n_bytes = 0
    for stem, g in gold.items():
        text = g["text"]
        n_bytes += len(text.encode("utf-8"))
        paragraphs, sentences = segment_document(text)
        t0 = time.perf_counter()
        quotes, _ = find_quotes(text, sentences, paragraphs, cues=cues)
        t1 = time.perf_counter()
        for s in sentences:
            vader.polarity_scores(s["text"])
        t2 = time.perf_counter()
        t_attr += t1 - t0
        t_vader += t2 - t1
        pred["documents"].append({"doc_id": stem, "source": f"{stem}.txt"})
        items = quotes if split_interrupted else merge_fragments(quotes, text)
        for q in items:
            pred["quotes"].append({"doc_id": stem, **{k: q[k] for k in (
                "kind", "start", "end", "speaker", "speaker_start", "speaker_end")},
                "text": text[q["start"]:q["end"]]})
    metrics = scorer.score(gold, pred)
    mb = n_bytes / 1e6
    timing = {"MB": round(mb, 3), "attribution_s": round(t_attr, 3),
              "vader_s": round(t_vader, 3),
              "attribution_MB_s": round(mb / max(t_attr, 1e-9), 2),
              "vader_MB_s": round(mb / max(t_vader, 1e-9), 2)}
    return metrics, pred, timing


def dump_errors(split: str, pred: dict[str, Any], scorer: Any, n: int,
                limit: int | None) -> None:
    """Print up to ``n`` missed gold items and wrong speakers/spans."""
    gold = scorer.load_gold(str(DATA / split), limit)
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for q in pred["quotes"]:
        by_doc.setdefault(q["doc_id"], []).append(q)
    shown = 0
    for stem, g in gold.items():
        text = scorer.norm_quotes(g["text"])
        qs = [q for q in by_doc.get(stem, []) if q["kind"] != "scare"]
        for r in g["rels"]:
            direct = scorer.is_direct(text, r)
            if not direct and not (scorer.is_speech(text, r) and r["source"]):
                continue
            gc = scorer.chars(r["content"])
            kinds = ("direct", "mixed") if direct else ("indirect",)
            hit = None
            for q in qs:
                if q["kind"] not in kinds:
                    continue
                pc = set(range(q["start"], q["end"]))
                if pc and len(pc & gc) / len(pc) >= 0.5:
                    hit = q
                    break
            content = " | ".join(text[a:b] for a, b in r["content"])[:160]
            src = " ".join(text[a:b] for a, b in r["source"])
            cue = " ".join(text[a:b] for a, b in r["cue"])
            if hit is None:
                print(f"MISS {'D' if direct else 'I'} [{stem[:30]}] src={src!r} cue={cue!r} "
                      f":: {content}")
            elif scorer.speaker_ok(text, r, hit) is False:
                print(f"SPK  {'D' if direct else 'I'} [{stem[:30]}] gold={src!r} "
                      f"pred={hit.get('speaker')!r} :: {content[:100]}")
            else:
                continue
            shown += 1
            if shown >= n:
                return
        allc = [scorer.chars(r["content"]) for r in g["rels"]]
        for q in qs:
            pc = set(range(q["start"], q["end"]))
            if not any(len(pc & c) / max(1, len(pc)) >= 0.5 for c in allc):
                print(f"FP   {q['kind'][0].upper()} [{stem[:30]}] spk={q.get('speaker')!r} "
                      f":: {q['text'][:140]!r}")
                shown += 1
                if shown >= n:
                    return


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--splits", nargs="+", default=["dev", "train"])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--errors", type=int, default=0, help="print N error items per split")
    ap.add_argument("--split-interrupted", action="store_true")
    ap.add_argument("--json", type=Path, default=None, help="write predictions (last split)")
    args = ap.parse_args(argv)
    if not SCORER.exists() or not DATA.exists():
        print("PolNeAR data or scorer not found under /work/shared", file=sys.stderr)
        return 2
    scorer = load_scorer()
    for split in args.splits:
        m, pred, t = run_split(split, limit=args.limit,
                               split_interrupted=args.split_interrupted, scorer=scorer)
        print(f"[{split}] docs={m.get('docs')} direct P/R/F1={m['direct_P']}/{m['direct_R']}/"
              f"{m['direct_F1']} speaker_acc={m['direct_speaker_acc']} | indirect P/R/F1="
              f"{m['indirect_P']}/{m['indirect_R']}/{m['indirect_F1']} speaker_acc="
              f"{m['indirect_speaker_acc']} | e2e P/R/F1={m['e2e_P']}/{m['e2e_R']}/{m['e2e_F1']}")
        print(f"[{split}] throughput: attribution {t['attribution_MB_s']} MB/s "
              f"({t['attribution_s']} s) vs VADER {t['vader_MB_s']} MB/s ({t['vader_s']} s) "
              f"over {t['MB']} MB")
        if args.errors:
            dump_errors(split, pred, scorer, args.errors, args.limit)
        if args.json:
            args.json.write_text(json.dumps(pred), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

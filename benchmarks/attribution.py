"""Benchmark quotation extraction + speaker attribution on PolNeAR (dev and train).

By default it scores exactly what the pipeline emits (``analysis.pipeline.analyze_document``
on every article, the same records ``discourse analyze --format json`` writes) with the
reference scorer ``../shared/tools/polnear_score.py`` (imported, so the figures agree
with it), and measures the throughput of attribution (``find_quotes`` on the pipeline's
own sentences) against plain VADER scoring of the same sentences in the same run.

Usage::

    PYTHONPATH=. .venv/bin/python benchmarks/attribution.py [--splits dev train]
        [--limit N] [--errors N] [--pred FILE.json] [--json OUT]

``--pred FILE.json`` scores (and lists errors of) a saved ``analyze --format json`` output
instead of running the pipeline (one split only).

A quotation interrupted by its cue ("“A,” he said. “B.”") is one record with two ``parts``,
as PolNeAR annotates it (one attribution, discontinuous content); its ``start``/``end`` run
from the first part to the last.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[2] / "shared"  # ../shared beside the checkout
SCORER = SHARED / "tools" / "polnear_score.py"
DATA = SHARED / "data" / "polnear"
KEYS = ("kind", "start", "end", "speaker", "speaker_start", "speaker_end", "cue", "cue_start")


def load_scorer() -> Any:
    """Import the reference scorer from the shared (read-only) path."""
    spec = importlib.util.spec_from_file_location("polnear_score", SCORER)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run_split(split: str, *, limit: int | None,
              scorer: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Run the pipeline on one split and score it; returns (metrics, predictions, timing)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from analysis.load import Document, iter_documents
    from analysis.pipeline import Settings, _resources, analyze_document
    from analysis.quotes import find_quotes

    gold = scorer.load_gold(str(DATA / split), limit)
    settings = Settings()
    res = _resources(settings)
    vader = SentimentIntensityAnalyzer()
    pred: dict[str, Any] = {"documents": [], "quotes": []}
    t_attr = t_vader = 0.0
    n_bytes = 0
    for doc in iter_documents(DATA / split / "text"):
        if not isinstance(doc, Document) or doc.doc_id not in gold:
            continue
        out = analyze_document(doc, settings)
        text = doc.text
        n_bytes += len(text.encode("utf-8"))
        sentences = out["sentences"]
        paragraphs = out["paragraphs"]
        t0 = time.perf_counter()
        find_quotes(text, sentences, paragraphs, cues=res.cues,
                    actor_lookup=res.gazetteer.lookup)
        t1 = time.perf_counter()
        for s in sentences:
            vader.polarity_scores(s["text"])
        t2 = time.perf_counter()
        t_attr += t1 - t0
        t_vader += t2 - t1
        pred["documents"].append({"doc_id": doc.doc_id, "source": doc.source})
        for q in out["quotes"]:
            pred["quotes"].append({"doc_id": doc.doc_id, **{k: q.get(k) for k in KEYS},
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
    """Print up to ``n`` missed gold items, wrong speakers and false positives."""
    gold = scorer.load_gold(str(DATA / split), limit)
    stem_of = {d["doc_id"]: Path(str(d.get("source") or d["doc_id"])).stem
               for d in pred.get("documents", [])}
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for q in pred["quotes"]:
        by_doc.setdefault(stem_of.get(q["doc_id"], q["doc_id"]), []).append(q)
    shown = 0
    for stem, g in gold.items():
        text = scorer.norm_quotes(g["text"])
        qs = [q for q in by_doc.get(stem, []) if q["kind"] != "scare"]
        scare = [q for q in by_doc.get(stem, []) if q["kind"] == "scare"]
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
                sc = any(set(range(q["start"], q["end"])) & gc for q in scare)
                tag = "MISS" + ("s" if sc else " ")
                print(f"{tag} {'D' if direct else 'I'} [{stem[:30]}] src={src!r} cue={cue!r} "
                      f":: {content}")
            elif scorer.speaker_ok(text, r, hit) is False:
                ps = hit.get("speaker_start")
                psurf = text[ps:hit.get("speaker_end")] if isinstance(ps, int) else None
                print(f"SPK  {'D' if direct else 'I'} [{stem[:30]}] gold={src!r} "
                      f"pred={hit.get('speaker')!r} at={psurf!r} :: {content[:100]}")
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
                      f":: {text[q['start']:q['end']][:140]!r}")
                shown += 1
                if shown >= n:
                    return


def _report(split: str, m: dict[str, Any]) -> None:
    print(f"[{split}] docs={m.get('docs')} direct P/R/F1={m['direct_P']}/{m['direct_R']}/"
          f"{m['direct_F1']} speaker_acc={m['direct_speaker_acc']} | indirect P/R/F1="
          f"{m['indirect_P']}/{m['indirect_R']}/{m['indirect_F1']} speaker_acc="
          f"{m['indirect_speaker_acc']} | e2e P/R/F1={m['e2e_P']}/{m['e2e_R']}/{m['e2e_F1']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--splits", nargs="+", default=["dev", "train"])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--errors", type=int, default=0, help="print N error items per split")
    ap.add_argument("--pred", type=Path, default=None,
                    help="score a saved 'analyze --format json' output (first split only)")
    ap.add_argument("--json", type=Path, default=None, help="write predictions (last split)")
    args = ap.parse_args(argv)
    if not SCORER.exists() or not DATA.exists():
        print(f"PolNeAR data or scorer not found under {SHARED}", file=sys.stderr)
        return 2
    scorer = load_scorer()
    if args.pred is not None:
        split = args.splits[0]
        pred = json.loads(args.pred.read_text(encoding="utf-8"))
        gold = scorer.load_gold(str(DATA / split), args.limit)
        _report(split, scorer.score(gold, pred))
        if args.errors:
            dump_errors(split, pred, scorer, args.errors, args.limit)
        return 0
    for split in args.splits:
        m, pred, t = run_split(split, limit=args.limit, scorer=scorer)
        _report(split, m)
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

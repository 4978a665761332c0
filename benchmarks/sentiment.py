"""Benchmark of analysis.sentiment / analysis.stance beside plain VADER on development data.

Run: ``.venv/bin/python benchmarks/sentiment.py`` (needs /work/shared/data; read-only).

Prints, each with the file and split it used:
- NYT editorial snippets dev: Pearson r and 3-class macro-F1, plain VADER vs news settings,
  on the FIT / CHECK halves used to fit the news calibration and on all items;
- NewsMTSC train: macro-F1 of score_targets (TUNE / HELD split used for its weights) vs
  whole-sentence VADER with its usual +-0.05 thresholds;
- directed-sentiment valid: accuracy and macro-F1 of stance.directed_stance vs majority;
- throughput (sentences/s) of SentimentScorer vs plain VADER.
"""

from __future__ import annotations

import json
import re
import sys
import time
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from analysis.sentiment import get_scorer, score_targets  # noqa: E402
from analysis.stance import directed_stance  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
NYT = SHARED / "vader" / "nyt_editorial_snippets_dev.tsv"
MTSC = SHARED / "newsmtsc" / "train.jsonl"
DS_VALID = SHARED / "directed-sentiment" / "valid.txt"


def macro_f1(pred: np.ndarray, gold: np.ndarray, labels: list) -> float:
    """Macro-averaged F1 over ``labels``."""
    scores = []
    for k in labels:
        tp = float(((pred == k) & (gold == k)).sum())
        p = tp / max(float((pred == k).sum()), 1.0)
        r = tp / max(float((gold == k).sum()), 1.0)
        scores.append(0.0 if p + r == 0 else 2 * p * r / (p + r))
    return float(np.mean(scores))


def three_class(values: np.ndarray, low: float, high: float) -> np.ndarray:
    return np.where(values <= low, -1, np.where(values >= high, 1, 0))


def nyt() -> list[str]:
    rows = [line.rstrip("\n").split("\t") for line in NYT.open(encoding="utf-8")]
    gold = np.array([float(r[1]) for r in rows])
    fit = np.array([(int(r[0].split("_")[0]) // 2) % 2 == 1 for r in rows])
    gold3 = three_class(gold, -0.5, 0.5)  # ratings -4..4: |mean| < 0.5 is neutral
    print(f"\n== NYT editorial snippets: {NYT} ({len(rows)} sentences)")
    print("   FIT = articles with (n // 2) odd (calibration fitted here), CHECK = the rest")
    print("   3-class: gold |mean| >= 0.5; predicted compound +-0.05")
    for lexicon in ("vader", "news"):
        scorer = get_scorer(lexicon)
        comp = np.array([scorer.compound(r[2]) for r in rows])
        parts = []
        for name, mask in (("FIT", fit), ("CHECK", ~fit), ("all", np.ones_like(fit))):
            r = np.corrcoef(comp[mask], gold[mask])[0, 1]
            f1 = macro_f1(three_class(comp[mask], -0.05, 0.05), gold3[mask], [-1, 0, 1])
            parts.append(f"{name} r={r:.4f} F1={f1:.4f}")
        print(f"   {lexicon:6s} " + " | ".join(parts))
    return [r[2] for r in rows]


def newsmtsc() -> list[str]:
    code = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
    gold, pred, base, held, texts = [], [], [], [], []
    vader = get_scorer("vader")
    for line in MTSC.open(encoding="utf-8"):
        doc = json.loads(line)
        text = doc["sentence_normalized"]
        texts.append(text)
        frame = score_targets(text, [(t["from"], t["to"]) for t in doc["targets"]])
        whole = vader.compound(text)
        is_held = zlib.crc32(doc["primary_gid"].encode()) % 5 == 0
        for target, label in zip(doc["targets"], frame["label"], strict=True):
            gold.append(code[target["polarity"]])
            pred.append(label)
            base.append("negative" if whole <= -0.05 else "positive" if whole >= 0.05
                        else "neutral")
            held.append(is_held)
    g, p, b, h = map(np.array, (gold, pred, base, held))
    labels = ["negative", "neutral", "positive"]
    print(f"\n== NewsMTSC targets: {MTSC} ({len(g)} targets)")
    print("   TUNE = crc32(primary_gid) % 5 != 0 (weights fitted here), HELD = the rest")
    for name, mask in (("TUNE", ~h), ("HELD", h), ("all", np.ones_like(h))):
        print(f"   {name:5s} n={int(mask.sum()):5d} score_targets macro-F1="
              f"{macro_f1(p[mask], g[mask], labels):.4f}  whole-sentence VADER="
              f"{macro_f1(b[mask], g[mask], labels):.4f}")
    return texts


def _parse_directed(line: str) -> tuple[str, tuple[int, int], tuple[int, int], int] | None:
    sentence, ent1, ent2, label = line.rstrip("\n").split("\t")
    pieces, spans, pos = [], [], 0
    for m in re.finditer(r"\[([^\]]*)\]", sentence):
        pieces.append(sentence[pos:m.start()])
        start = sum(map(len, pieces))
        pieces.append(m.group(1))
        spans.append((m.group(1).strip(), start, start + len(m.group(1))))
        pos = m.end()
    pieces.append(sentence[pos:])
    found = {}
    for name, a, b in spans:
        found.setdefault(name, (a, b))
    if ent1.strip() not in found or ent2.strip() not in found:
        return None
    return "".join(pieces), found[ent1.strip()], found[ent2.strip()], int(label)


def directed() -> None:
    rows = [r for r in map(_parse_directed, DS_VALID.open(encoding="utf-8")) if r]
    gold, pred = [], []
    for text, e1, e2, label in rows:
        s12, l12 = directed_stance(text, e1, e2)
        s21, l21 = directed_stance(text, e2, e1)
        score, lab, forward = (s12, l12, True) if abs(s12) >= abs(s21) else (s21, l21, False)
        pred.append(0 if lab == "neutral" else
                    (1 if forward else 2) if lab == "favor" else (3 if forward else 4))
        gold.append(label)
    g, p = np.array(gold), np.array(pred)
    majority = np.zeros_like(g)
    print(f"\n== Directed sentiment: {DS_VALID} ({len(g)} pairs; thresholds tuned on "
          "train.txt)")
    print(f"   directed_stance  acc={float((p == g).mean()):.4f} "
          f"macro-F1={macro_f1(p, g, [0, 1, 2, 3, 4]):.4f}")
    print(f"   majority (0)     acc={float((majority == g).mean()):.4f} "
          f"macro-F1={macro_f1(majority, g, [0, 1, 2, 3, 4]):.4f}")


def throughput(texts: list[str]) -> None:
    plain = SentimentIntensityAnalyzer()
    news, exact = get_scorer("news"), get_scorer("vader")
    print(f"\n== Throughput over {len(texts)} sentences (NYT dev + NewsMTSC train)")
    for name, fn in (("plain VADER", plain.polarity_scores), ("SentimentScorer vader",
                     exact.polarity), ("SentimentScorer news", news.polarity)):
        t0 = time.perf_counter()
        for text in texts:
            fn(text)
        rate = len(texts) / (time.perf_counter() - t0)
        print(f"   {name:22s} {rate:9.0f} sentences/s")


def main() -> int:
    if not SHARED.exists():
        print(f"shared data not found at {SHARED}; nothing to benchmark.")
        return 1
    texts = nyt() + newsmtsc()
    directed()
    throughput(texts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

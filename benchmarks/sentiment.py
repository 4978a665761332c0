"""Benchmark of analysis.sentiment / analysis.stance beside plain VADER on development data.

Run: ``.venv/bin/python benchmarks/sentiment.py`` (needs /work/shared/data; read-only).

Prints, each with the file and split it used:
- NYT editorial snippets dev: Pearson r and 3-class macro-F1, plain VADER vs news settings,
  on the FIT / CHECK halves used to fit the news calibration and on all items;
- NewsMTSC train: macro-F1 of score_targets (TUNE / HELD split used for its weights) vs
  whole-sentence VADER with its usual +-0.05 thresholds;
- directed-sentiment train (where DIRECTED_MAX_GAP was tuned) and valid: accuracy and
  macro-F1 of stance.directed_stance vs the majority class;
- throughput (sentences/s) of SentimentScorer vs plain VADER.

``--fit-targets`` refits the NewsMTSC target model on TUNE (see ``target_model.method`` in
analysis/data/news_lexicon.yaml) and prints the coefficient block to paste into the YAML.
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

from analysis.sentiment import _FEATURES, get_scorer, score_targets, target_features  # noqa: E402
from analysis.stance import directed_stance  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
NYT = SHARED / "vader" / "nyt_editorial_snippets_dev.tsv"
MTSC = SHARED / "newsmtsc" / "train.jsonl"
DS_VALID = SHARED / "directed-sentiment" / "valid.txt"
DS_TRAIN = SHARED / "directed-sentiment" / "train.txt"


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
    print("\n== Directed sentiment (DIRECTED_MAX_GAP tuned on train.txt; valid.txt untouched)")
    for path in (DS_TRAIN, DS_VALID):
        rows = [r for r in map(_parse_directed, path.open(encoding="utf-8")) if r]
        gold, pred = [], []
        for text, e1, e2, label in rows:
            s12, l12 = directed_stance(text, e1, e2)
            s21, l21 = directed_stance(text, e2, e1)
            lab, forward = (l12, True) if abs(s12) >= abs(s21) else (l21, False)
            pred.append(0 if lab == "neutral" else
                        (1 if forward else 2) if lab == "favor" else (3 if forward else 4))
            gold.append(label)
        g, p = np.array(gold), np.array(pred)
        majority = np.zeros_like(g)
        fired = p != 0
        print(f"   {path.name:9s} n={len(g):5d} directed_stance acc={float((p == g).mean()):.4f} "
              f"macro-F1={macro_f1(p, g, [0, 1, 2, 3, 4]):.4f} (fires on {int(fired.sum())}, "
              f"precision {float((p[fired] == g[fired]).mean()):.3f}) | majority acc="
              f"{float((majority == g).mean()):.4f} macro-F1="
              f"{macro_f1(majority, g, [0, 1, 2, 3, 4]):.4f}")


def fit_targets() -> None:
    """Refit the target model on NewsMTSC TUNE and print the YAML coefficient block."""
    code = {2.0: 0, 4.0: 1, 6.0: 2}
    scorer = get_scorer("news")
    xs, ys, held = [], [], []
    for line in MTSC.open(encoding="utf-8"):
        doc = json.loads(line)
        text = doc["sentence_normalized"]
        sent = scorer.polarity(text)
        is_held = zlib.crc32(doc["primary_gid"].encode()) % 5 == 0
        for t in doc["targets"]:
            f, _ = target_features(text, t["from"], t["to"], scorer=scorer, sentence_scores=sent)
            xs.append([f[k] for k in _FEATURES])
            ys.append(code[t["polarity"]])
            held.append(is_held)
    x, y, h = np.array(xs), np.array(ys), np.array(held)
    xt, yt = x[~h], y[~h]
    n, k = xt.shape
    onehot = np.eye(3)[yt]
    sample_w = (len(yt) / (3 * np.bincount(yt, minlength=3)))[yt][:, None]
    w = np.zeros((k, 2))
    m1, m2 = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, 3001):  # Adam on the class-balanced log-loss + L2
        z = np.column_stack([xt @ w[:, 0], np.zeros(n), xt @ w[:, 1]])
        prob = np.exp(z - z.max(1, keepdims=True))
        prob /= prob.sum(1, keepdims=True)
        grad_all = xt.T @ ((prob - onehot) * sample_w) / n
        grad = np.column_stack([grad_all[:, 0], grad_all[:, 2]]) + 1e-3 * w
        m1 = 0.9 * m1 + 0.1 * grad
        m2 = 0.999 * m2 + 0.001 * grad * grad
        w -= 0.1 * (m1 / (1 - 0.9 ** step)) / (np.sqrt(m2 / (1 - 0.999 ** step)) + 1e-8)

    def predict(xm: np.ndarray, wm: np.ndarray) -> np.ndarray:
        zn, zp = xm @ wm[:, 0], xm @ wm[:, 1]
        return np.where(zn > np.maximum(zp, 0), 0, np.where(zp > np.maximum(zn, 0), 2, 1))

    best = (-1.0, 0.0, 0.0)
    grid = np.round(np.arange(-1, 1.001, 0.05), 2)
    for a in grid:
        for b in grid:
            shifted = w.copy()
            shifted[-1] += (a, b)
            best = max(best, (macro_f1(predict(xt, shifted), yt, [0, 1, 2]), a, b))
    w[-1] += best[1:]
    w = np.round(w, 3)
    for name, mask in (("TUNE", ~h), ("HELD", h), ("all", np.ones_like(h))):
        print(f"   {name:5s} macro-F1={macro_f1(predict(x[mask], w), y[mask], [0, 1, 2]):.4f}")
    print(f"   intercept shifts negative {best[1]:+.2f} positive {best[2]:+.2f}")
    for j, cls in enumerate(("negative", "positive")):
        print(f"  {cls}:\n    {{" + ", ".join(f"{f}: {v:g}" for f, v in zip(_FEATURES, w[:, j],
                                                                      strict=True)) + "}")


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
    if "--fit-targets" in sys.argv[1:]:
        fit_targets()
        return 0
    texts = nyt() + newsmtsc()
    directed()
    throughput(texts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

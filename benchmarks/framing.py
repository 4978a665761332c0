"""Benchmark: framing-term counting stays linear in corpus size with a 1,000-term lexicon.

Builds a synthetic lexicon of 1,000 terms (1-3 word phrases taken from the PolNeAR texts,
written in the lexicon's pattern notation) and times :func:`analysis.framing.find_framing`
over 1x, 2x, 4x and 8x the corpus. Prints MB/s and the growth ratio of the time (about 2.0
per doubling means linear time).

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/framing.py [--texts DIR]``
(skips with a message when the PolNeAR texts are absent).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from analysis.framing import find_framing, load_frames

DEFAULT_TEXTS = Path("/work/shared/data/polnear/train/text")
WORD = re.compile(r"[a-z]{4,}")


def build_lexicon(texts: list[str], *, n_terms: int = 1000, seed: int = 0) -> str:
    """YAML text of a synthetic lexicon: frequent words and bigrams with optional plurals."""
    rng = random.Random(seed)
    words = Counter(w for t in texts for w in WORD.findall(t.lower()))
    bigrams: Counter[tuple[str, str]] = Counter()
    for t in texts:
        toks = WORD.findall(t.lower())
        bigrams.update(zip(toks, toks[1:], strict=False))
    singles = [w for w, _ in words.most_common(3000)[200:]]  # skip the most common words
    pairs = [" ".join(p) for p, c in bigrams.most_common(5000) if c >= 3]
    rng.shuffle(singles)
    rng.shuffle(pairs)
    terms: list[str] = []
    seen: set[str] = set()
    for phrase in [*pairs[: n_terms // 2], *singles]:
        if len(terms) >= n_terms:
            break
        key = phrase.rstrip("s")
        if key in seen:
            continue
        seen.add(key)
        # exercise the notation: optional plural, optional determiner before bigrams
        pattern = f"[the|a] {phrase}(s)" if " " in phrase else f"{phrase}(s)"
        terms.append(f'      - "t{len(terms)} = {pattern}"')
    return "version: 1\nframes:\n  - frame: synthetic\n    terms:\n" + "\n".join(terms) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs per size")
    args = ap.parse_args(argv)
    files = sorted(args.texts.glob("*.txt")) if args.texts.is_dir() else []
    if not files:
        print(f"skipped: no texts in {args.texts}")
        return 0
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic_frames.yaml"
        path.write_text(build_lexicon(texts), encoding="utf-8")
        t0 = time.perf_counter()
        lexicon = load_frames([path], replace=True)
        compile_s = time.perf_counter() - t0
    n_variants = sum(len(t.variants) for t in lexicon.terms)
    print(f"lexicon: {len(lexicon)} terms, {n_variants} variants, compiled in {compile_s:.2f} s")
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"corpus: {len(texts)} texts, {mb:.2f} MB")
    sents = [[{"sent_id": 0, "start": 0, "end": len(t), "text": t, "voice": "narrator"}]
             for t in texts]
    previous = None
    print(f"{'size':>5} {'MB':>7} {'hits':>9} {'seconds':>8} {'MB/s':>6} {'growth':>7}")
    for factor in (1, 2, 4, 8):
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            hits = 0
            for _ in range(factor):
                for text, s in zip(texts, sents, strict=True):
                    hits += len(find_framing(text, s, lexicon=lexicon))
            best = min(best, time.perf_counter() - t0)
        growth = f"{best / previous:.2f}" if previous else "-"
        print(f"{factor:>4}x {mb * factor:7.2f} {hits:9d} {best:8.2f} "
              f"{mb * factor / best:6.2f} {growth:>7}")
        previous = best
    # pathological input: a long run of a term's first word must not blow up
    worst = ("fill the " * 200_000)
    t0 = time.perf_counter()
    load_frames().scan(worst)
    print(f"adversarial 'fill the ' x 200k ({len(worst) / 1e6:.1f} MB): "
          f"{time.perf_counter() - t0:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

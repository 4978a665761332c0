"""Throughput, memory and scaling of the whole pipeline beside plain VADER.

Run: ``.venv/bin/python benchmarks/throughput.py [--corpus DIR] [--scale 10] [--jobs N]``
(default corpus: ../shared/data/polnear/train/text, 840 articles, read-only; the script
says which folder it used and exits cleanly when it is absent).

Measures, in one run:

1. plain VADER (``vaderSentiment.SentimentIntensityAnalyzer().polarity_scores``) over the
   pipeline's own analysed sentences — the irreducible core;
2. the whole pipeline (``analysis.analyze_corpus`` on the loaded documents: every stage plus
   building the tables) with ``jobs=1`` and with ``--jobs`` workers (default: all cores);
3. ``import analysis`` time (fresh interpreter, best of 5);
4. peak memory (``ru_maxrss`` of a child process) of the in-memory run over the corpus;
5. a ``--scale``× larger corpus (the same articles repeated as distinct documents, from a
   generator) streamed to disk with :func:`analysis.stream.write_corpus`, beside the 1×
   corpus the same way: time should grow linearly and peak memory stay flat.

Reports documents/s, sentences/s, MB/s (UTF-8 text) and the ratios to VADER, then checks the
acceptance targets (pipeline >= 0.5x VADER on one process, >= 0.9x with the workers, peak
memory < 1 GB, linear growth).

``--profile`` adds a cProfile of the single-process run, grouped by module and function.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"


def _load(corpus: Path) -> list:
    from analysis.load import Document, iter_documents

    return [d for d in iter_documents([corpus]) if isinstance(d, Document)]


def _repeated(docs: list, times: int) -> Iterator:
    """The corpus ``times`` over, as distinct documents (new ids), generated lazily."""
    from dataclasses import replace

    for k in range(times):
        for d in docs:
            yield d if k == 0 else replace(d, doc_id=f"{d.doc_id}~{k}",
                                           source=f"{d.source}~{k}")


def _child(args: argparse.Namespace) -> None:
    """Run in a fresh interpreter; print one JSON line with time and peak memory."""
    import analysis
    from analysis.stream import write_corpus

    docs = _load(Path(args.corpus))
    start = time.perf_counter()
    if args.child == "memory":
        result = analysis.analyze_corpus(docs, jobs=args.jobs)
        n_docs, n_sents = len(result.documents), len(result.sentences)
    else:
        with tempfile.TemporaryDirectory() as out:
            summary = write_corpus(_repeated(docs, args.scale), out, jobs=args.jobs)
            n_docs, n_sents = summary.n["documents"], summary.n["sentences"]
    elapsed = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": elapsed, "docs": n_docs, "sentences": n_sents,
                      "peak_mb": peak_kb / 1024, "worker_peak_mb": children_kb / 1024}))


def _run_child(corpus: Path, mode: str, *, jobs: int, scale: int = 1) -> dict:
    cmd = [sys.executable, __file__, "--corpus", str(corpus), "--child", mode,
           "--jobs", str(jobs), "--scale", str(scale)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _import_time() -> float:
    best = float("inf")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import analysis"], check=True, env=env)
        best = min(best, time.perf_counter() - start)
    return best


def _rates(label: str, seconds: float, docs: int, sents: int, mb: float,
           vader_rate: float | None = None) -> float:
    rate = sents / seconds
    ratio = f"   {rate / vader_rate:5.2f}x VADER" if vader_rate else ""
    print(f"  {label:<34} {seconds:7.2f} s  {docs / seconds:8.1f} docs/s  "
          f"{rate:9.0f} sentences/s  {mb / seconds:6.3f} MB/s{ratio}")
    return rate


def _profile(docs: list) -> None:
    from analysis.pipeline import Settings, iter_results

    prof = cProfile.Profile()
    prof.enable()
    for _ in iter_results(docs, Settings(), jobs=1):
        pass
    prof.disable()
    stats = pstats.Stats(prof)
    total = sum(v[2] for v in stats.stats.values())  # tottime
    by_module: dict[str, float] = defaultdict(float)
    by_func: list[tuple[float, float, str]] = []
    for (filename, line, func), (_cc, _nc, tt, ct, _callers) in stats.stats.items():
        name = Path(filename).name if filename.startswith(("/", ".")) else filename
        if "/analysis/" in filename:
            name = "analysis/" + Path(filename).name
        elif "site-packages/" in filename:
            name = filename.split("site-packages/")[1].split("/")[0]
        by_module[name] += tt
        if "/analysis/" in filename:
            by_func.append((ct, tt, f"analysis/{Path(filename).name}:{line} {func}"))
    print(f"\nProfile (cProfile, jobs=1, {len(docs)} docs; profiled total {total:.1f} s)")
    print("  own time by module:")
    for name, tt in sorted(by_module.items(), key=lambda kv: -kv[1])[:12]:
        print(f"    {name:<36} {tt:6.2f} s  {100 * tt / total:5.1f}%")
    print("  analysis functions by cumulative time (incl. callees) / own time:")
    for ct, tt, name in sorted(by_func, reverse=True)[:25]:
        print(f"    {name:<60} {ct:6.2f} s  {tt:6.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="folder of articles")
    parser.add_argument("--scale", type=int, default=10,
                        help="size of the large corpus, in copies of the corpus (1 = skip)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="workers of the parallel run (default: all cores)")
    parser.add_argument("--profile", action="store_true", help="add a cProfile breakdown")
    parser.add_argument("--child", choices=["memory", "stream"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return 0

    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"throughput: corpus folder {corpus} not found; nothing to measure "
              "(give one with --corpus DIR).")
        return 0
    print(f"Corpus: {corpus}")
    print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")

    import analysis
    from analysis.pipeline import Settings, iter_results, prepare
    from analysis.scale import warm_up

    docs = _load(corpus)
    mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    settings = Settings()
    prepare(settings)
    warm_up(settings)
    # the pipeline's own analysed sentences (also warms every cache before timing)
    sentences = [s["text"] for r in iter_results(docs, settings, jobs=1)
                 for s in r.get("sentences", [])]
    n_docs, n_sents = len(docs), len(sentences)
    print(f"{n_docs} documents, {n_sents} analysed sentences, {mb:.2f} MB of text\n")

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    vader_s = vader_cpu = float("inf")
    for _ in range(2):
        start, cpu = time.perf_counter(), time.process_time()
        for s in sentences:
            vader.polarity_scores(s)
        vader_s = min(vader_s, time.perf_counter() - start)
        vader_cpu = min(vader_cpu, time.process_time() - cpu)

    def timed(jobs: int) -> tuple[float, float]:
        start, cpu, kids = time.perf_counter(), time.process_time(), _children_cpu()
        result = analysis.analyze_corpus(docs, jobs=jobs, settings=settings)
        elapsed = time.perf_counter() - start
        used = time.process_time() - cpu + _children_cpu() - kids
        assert len(result.sentences) == n_sents
        return elapsed, used

    one_s, one_cpu = timed(1)
    par_s, par_cpu = timed(args.jobs)

    print("Throughput, wall clock (best of 2 for VADER; pipeline = analyze_corpus incl. "
          "table building)")
    vader_rate = _rates("plain VADER, 1 process", vader_s, n_docs, n_sents, mb)
    one_rate = _rates("pipeline jobs=1", one_s, n_docs, n_sents, mb, vader_rate)
    par_rate = _rates(f"pipeline jobs={args.jobs}", par_s, n_docs, n_sents, mb, vader_rate)
    print(f"  speed-up jobs={args.jobs} vs jobs=1: {one_s / par_s:.2f}x")
    print("CPU time (robust when other programs share the cores): "
          f"VADER {vader_cpu:.2f} s, jobs=1 {one_cpu:.2f} s "
          f"({vader_cpu / one_cpu:.2f}x VADER), jobs={args.jobs} {par_cpu:.2f} s in all "
          f"processes (parallel overhead {100 * (par_cpu / one_cpu - 1):+.0f}%)")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"  load average now {load:.2f} on {os.cpu_count()} cores: wall-clock figures are "
          "only meaningful on an otherwise idle machine")

    imp = _import_time()
    print(f"\nimport analysis (fresh interpreter, best of 5): {imp * 1000:.0f} ms")

    mem = _run_child(corpus, "memory", jobs=1)
    print(f"Peak memory, in-memory analyze_corpus of {mem['docs']} docs (jobs=1): "
          f"{mem['peak_mb']:.0f} MB")

    growth = None
    if args.scale > 1:
        print(f"\nScaling (streamed to disk with write_corpus, jobs={args.jobs}; "
              "ru_maxrss of the parent / largest worker)")
        small = _run_child(corpus, "stream", jobs=args.jobs, scale=1)
        big = _run_child(corpus, "stream", jobs=args.jobs, scale=args.scale)
        for label, r in ((" 1x", small), (f"{args.scale:2d}x", big)):
            print(f"  {label}: {r['docs']:6d} docs {r['sentences']:7d} sentences "
                  f"{r['seconds']:7.1f} s  {r['docs'] / r['seconds']:6.1f} docs/s  "
                  f"peak {r['peak_mb']:.0f} MB / worker {r['worker_peak_mb']:.0f} MB")
        growth = big["seconds"] / small["seconds"]
        print(f"  time {args.scale}x / 1x = {growth:.2f} (linear = {args.scale}); "
              f"per-document time ratio {growth / args.scale:.2f}")

    print("\nAcceptance")
    checks = [
        (f"jobs=1 >= 0.5x VADER ({one_rate / vader_rate:.2f}x)", one_rate >= 0.5 * vader_rate),
        (f"jobs={args.jobs} >= 0.9x VADER ({par_rate / vader_rate:.2f}x)",
         par_rate >= 0.9 * vader_rate),
        (f"peak memory < 1 GB ({mem['peak_mb']:.0f} MB)", mem["peak_mb"] < 1024),
    ]
    if growth is not None:
        # below 1: the fixed start-up (pool, warm-up) weighs more in the small run
        checks.append((f"at most linear growth ({growth / args.scale:.2f} of linear, <= 1.25)",
                       growth / args.scale <= 1.25))
    for label, ok in checks:
        print(f"  [{'PASS' if ok else 'FAIL'}] {label}")

    if args.profile:
        _profile(docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())

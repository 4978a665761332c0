"""ReDoS / super-linear behaviour benchmark: adversarial strings against every regex.

Collects every regular expression of the package:

* compiled ``re.Pattern`` objects in the globals of every ``analysis`` module;
* patterns built from the data files (boilerplate patterns, speech-cue and stance-cue
  matchers, the sentiment phrase matcher, target cues, ...), found by walking the objects
  the packaged loaders return;
* inline ``re.compile/search/match/...("literal", ...)`` calls inside functions (found with
  :mod:`ast`, so patterns compiled on the fly are covered too);

plus a few non-regex scanners (framing and actor tries, sentence/paragraph splitters, HTML
extraction) and the whole per-document pipeline.

Each target is fed adversarial strings of growing length (1k, 10k, 100k characters by
default): long runs of quotation marks, spaces, capitalised words, "said", dots, hyphens,
apostrophes, nested parentheses, ... (each family repeats a unit, some end in a failing
suffix). Time per run is bounded (``--timeout``, SIGALRM); a size is skipped when the
growth so far projects it past the bound. The report lists, per target, the worst family,
its times and the growth ratio per 10x length. Linear code gives ~10x; a target whose
ratio exceeds ``--flag`` (default 30, i.e. ~3x beyond linear) is FLAGGED.

Usage::

    .venv/bin/python benchmarks/redos.py                 # regexes, scanners and pipeline
    .venv/bin/python benchmarks/redos.py --only regex    # just the regexes
    .venv/bin/python benchmarks/redos.py --only pipeline --sizes 1000 10000
    .venv/bin/python benchmarks/redos.py --match quotes  # targets whose label contains it

Not a timed unit test: it prints a report (exit code 1 with ``--strict`` when anything is
flagged).
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import gc
import importlib
import pkgutil
import re
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# (family name, repeated unit, suffix that makes a match fail at the very end)
FAMILIES: list[tuple[str, str, str]] = [
    ("straight quotes", '"', ""),
    ("curly open quotes", "“", ""),
    ("curly close quotes", "”", ""),
    ("curly pairs", "“”", ""),
    ("single curly quotes", "‘", "x’"),
    ("backtick quotes", "``", "''"),
    ("quote + word", '"a ', ""),
    ("quoted words", "“a b,” ", ""),
    ("spaces", " ", "!"),
    ("tabs", "\t", "x"),
    ("newlines", "\n", "x"),
    ("CRLF blank lines", "\r\n \r\n", "x"),
    ("lone CR", "\r", "x"),
    ("nbsp", "\u00a0", "x"),
    ("capitalised words", "Word ", "!"),
    ("capitalised no space", "Ab", ":"),
    ("upper words", "WORD ", ":"),
    ("initials", "A. ", "x"),
    ("abbreviations", "U.S. ", "x"),
    ("titles and names", "Mr. Smith, ", "x"),
    ("said", "said ", ""),
    ("said comma", "said, ", "x"),
    ("Said capital", "Said ", ""),
    ("he said", "he said ", "“"),
    ("according to", "according to ", ""),
    ("said NAME of", "said Mr. Smith of the ", ""),
    ("dots", ".", "x"),
    ("dot space", ". ", "x"),
    ("letter dot", "a.", "!"),
    ("letter dot space", "a. ", "x"),
    ("ellipsis", "…", "x"),
    ("hyphens", "-", "x"),
    ("letter hyphen", "a-", "-"),
    ("dashes", "—", "x"),
    ("apostrophes", "'", "x"),
    ("curly apostrophes", "’", "x"),
    ("letter apostrophe", "a’", "’"),
    ("possessives", "a’s ", "x"),
    ("open parens", "(", "x"),
    ("paren word", "(a ", ")"),
    ("empty parens", "()", "("),
    ("brackets", "[", "x"),
    ("letters", "a", "!"),
    ("words", "word ", "!"),
    ("digits", "1", "x"),
    ("numbers with commas", "1,", "x"),
    ("commas", ", ", "x"),
    ("colons", ": ", "x"),
    ("semicolons", ";", "x"),
    ("bang question", "!?", "x"),
    ("HTML tags", "<p>", "<"),
    ("unclosed tag", "<a ", "x"),
    ("transcript", "NAME: ", "x"),
    ("emoji", "😀", "x"),
    ("zero-width", "a\u200b", "x"),
]


def _adversarial(unit: str, suffix: str, n: int) -> str:
    """``unit`` repeated to ``n`` characters, then the suffix."""
    body = unit * (n // len(unit) + 1)
    return body[: max(0, n - len(suffix))] + suffix


def _nested_parens(n: int) -> str:
    half = n // 2
    return "(" * half + "a" + ")" * (n - half - 1)


# --------------------------------------------------------------------------- collecting
def _package_modules() -> Iterator[tuple[str, Any]]:
    import analysis

    for info in pkgutil.iter_modules(analysis.__path__, "analysis."):
        if info.name.endswith(".data"):
            continue
        try:
            yield info.name, importlib.import_module(info.name)
        except Exception as exc:  # a module under construction must not stop the benchmark
            print(f"# skipped {info.name}: {exc.__class__.__name__}: {exc}", file=sys.stderr)


def _walk(obj: Any, label: str, depth: int, seen: set[int]) -> Iterator[tuple[str, re.Pattern]]:
    """Every ``re.Pattern`` reachable from ``obj`` (attributes, mappings, sequences)."""
    if id(obj) in seen or depth < 0:
        return
    seen.add(id(obj))
    if isinstance(obj, re.Pattern):
        yield label, obj
        return
    if isinstance(obj, (str, bytes, int, float, bool, type(None))):
        return
    if isinstance(obj, dict):
        for k, v in list(obj.items())[:2000]:
            yield from _walk(v, f"{label}[{k!r}]", depth - 1, seen)
        return
    if isinstance(obj, (list, tuple, set, frozenset)):
        for i, v in enumerate(list(obj)[:2000]):
            yield from _walk(v, f"{label}[{i}]", depth - 1, seen)
        return
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from _walk(getattr(obj, f.name, None), f"{label}.{f.name}", depth - 1, seen)
        return
    attrs = getattr(obj, "__dict__", None)
    if isinstance(attrs, dict) and type(obj).__module__.startswith("analysis"):
        for k, v in attrs.items():
            yield from _walk(v, f"{label}.{k}", depth - 1, seen)


_RE_FUNCS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn",
             "split"}


def _flags_value(node: ast.AST | None) -> int | None:
    """Evaluate ``re.I | re.VERBOSE``-style flag expressions; None if not constant."""
    if node is None:
        return 0
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
            and node.value.id == "re":
        return int(getattr(re, node.attr, 0))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        a, b = _flags_value(node.left), _flags_value(node.right)
        return None if a is None or b is None else a | b
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    return None


def _inline_patterns(module: Any) -> Iterator[tuple[str, re.Pattern]]:
    """``re.<func>("literal", ...)`` calls anywhere in the module's source."""
    path = getattr(module, "__file__", None)
    if not path:
        return
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return
    short = module.__name__.split(".")[-1]
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                and node.func.attr in _RE_FUNCS and node.args):
            continue
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        flag_node = next((k.value for k in node.keywords if k.arg == "flags"), None)
        if flag_node is None:
            pos = {"compile": 1, "search": 2, "match": 2, "fullmatch": 2, "finditer": 2,
                   "findall": 2, "split": 3, "sub": 4, "subn": 4}[node.func.attr]
            flag_node = node.args[pos] if len(node.args) > pos else None
        flags = _flags_value(flag_node)
        if flags is None:
            flags = 0
        try:
            yield f"{short}.py:{node.lineno} (inline re.{node.func.attr})", re.compile(
                first.value, flags)
        except re.error:
            continue


def _loader_objects() -> Iterator[tuple[str, Any]]:
    """Objects built from the packaged data files by each loader (those that exist)."""
    calls = [
        ("clean.load_patterns()", "analysis.clean", "load_patterns", ()),
        ("quotes.load_cues()", "analysis.quotes", "load_cues", ()),
        ("stance.load_stance_cues()", "analysis.stance", "load_stance_cues", ()),
        ("sentiment.get_scorer('news')", "analysis.sentiment", "get_scorer", ("news",)),
        ("sentiment.load_target_cues()", "analysis.sentiment", "load_target_cues", ()),
        ("speakers.load_roles()", "analysis.speakers", "load_roles", ()),
        ("actors.load_gazetteer()", "analysis.actors", "load_gazetteer", ()),
        ("framing.load_frames()", "analysis.framing", "load_frames", ()),
    ]
    for label, mod, name, args in calls:
        try:
            fn = getattr(importlib.import_module(mod), name)
            yield label, fn(*args)
        except Exception as exc:
            print(f"# skipped {label}: {exc.__class__.__name__}: {exc}", file=sys.stderr)


def _usage(source: str, name: str) -> str:
    """``anchored`` when the code only ever uses ``NAME.match/fullmatch`` (one start
    position; called, or bound as ``f = NAME.fullmatch``), else ``scan`` (search/finditer/
    sub/... try every position). Attributes that run nothing (``NAME.pattern``) are ignored."""
    methods = set(re.findall(rf"\b{re.escape(name)}\.(\w+)\b", source)) - _NOT_RUN
    return "anchored" if methods and methods <= {"match", "fullmatch"} else "scan"


_NOT_RUN = {"pattern", "flags", "groups", "groupindex"}


def collect_patterns() -> list[tuple[str, re.Pattern, str]]:
    """(label, compiled pattern, usage) for every distinct regex of the package; usage is
    ``scan`` (tried at every position) or ``anchored`` (``match`` at one position)."""
    found: list[tuple[str, re.Pattern, str]] = []
    keys: set[tuple[str, int]] = set()

    def add(label: str, pat: re.Pattern, usage: str = "scan") -> None:
        key = (pat.pattern, pat.flags)
        if key not in keys:
            keys.add(key)
            found.append((label, pat, usage))

    for name, module in _package_modules():
        short = name.split(".")[-1]
        try:
            source = Path(module.__file__ or "").read_text(encoding="utf-8")
        except OSError:
            source = ""
        for attr, value in sorted(vars(module).items()):
            if isinstance(value, re.Pattern):
                add(f"{short}.{attr}", value, _usage(source, attr))
            elif isinstance(value, type) and value.__module__ == name:
                for cattr, cvalue in vars(value).items():
                    if isinstance(cvalue, re.Pattern):
                        add(f"{short}.{attr}.{cattr}", cvalue, _usage(source, cattr))
        for label, pat in _inline_patterns(module):
            add(label, pat, "anchored" if "re.match)" in label or "re.fullmatch)" in label
                else "scan")
    for label, obj in _loader_objects():
        for sub, pat in _walk(obj, label, 4, set()):
            add(sub, pat)
    return found


def collect_scanners() -> list[tuple[str, Callable[[str], Any]]]:
    """Non-regex scanners that see raw text: splitters, tries, HTML extraction."""
    out: list[tuple[str, Callable[[str], Any]]] = []
    clean = importlib.import_module("analysis.clean")
    load = importlib.import_module("analysis.load")
    segment = importlib.import_module("analysis.segment")

    out += [("segment.split_paragraphs", segment.split_paragraphs),
            ("segment.split_sentences", segment.split_sentences),
            ("segment.tokenize", segment.tokenize),
            ("clean.mark_segments", lambda s: clean.mark_segments(s)),
            ("load.html_to_text", load.html_to_text),
            ("load.decode_bytes", lambda s: load.decode_bytes(s.encode("utf-8")))]
    for label, obj in _loader_objects():
        scan = getattr(obj, "scan", None)
        if callable(scan):
            out.append((f"{label}.scan", scan))
    return out


# --------------------------------------------------------------------------- timing
class _Timeout(BaseException):
    """Raised by SIGALRM; a BaseException so no ``except Exception`` swallows it."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Timeout()


def _timed(fn: Callable[[], Any], bound: float, repeat: int) -> float | None:
    """Best of ``repeat`` runs in seconds, or None when a run exceeds ``bound``."""
    best = float("inf")
    gc.collect()
    gc.disable()  # a collection landing in one run is the main source of noise
    try:
        for _ in range(repeat):
            signal.setitimer(signal.ITIMER_REAL, bound)
            t0 = time.perf_counter()
            try:
                fn()
            except _Timeout:
                return None
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            best = min(best, time.perf_counter() - t0)
            if best > 0.05 and repeat <= 3:
                break
    finally:
        gc.enable()
    return best


def _regex_runner(pat: re.Pattern, usage: str = "scan") -> Callable[[str], Any]:
    if usage == "anchored":
        def run_anchored(s: str) -> None:
            pat.match(s)
            pat.match(s + "\x00")
        return run_anchored

    def run(s: str) -> None:
        for _ in pat.finditer(s):
            pass
        pat.search(s + "\x00")
    return run


def _pipeline_runner() -> Callable[[str], Any]:
    from analysis.load import Document
    from analysis.pipeline import Settings, analyze_document, prepare

    settings = Settings()
    prepare(settings)

    def run(s: str) -> None:
        out = analyze_document(Document(doc_id="bench", source="<bench>", text=s,
                                        encoding="str"), settings)
        assert out["document"]["text"] == s
    return run


@dataclasses.dataclass
class Row:
    target: str
    family: str
    times: list[float | None]
    ratio: float | None

    @property
    def worst(self) -> float:
        return self.ratio if self.ratio is not None else float("inf")


def _growth(times: list[float | None], min_time: float) -> float | None:
    """Growth per 10x at the largest pair measured where the larger time is meaningful;
    ``inf`` when a size timed out."""
    if any(t is None for t in times):
        return float("inf")
    best = None
    for a, b in zip(times, times[1:], strict=False):
        if a is not None and b is not None and b >= min_time:
            best = b / max(a, min_time / 10)  # a near-zero baseline is noise
    return best


def measure(target: str, runner: Callable[[str], Any], sizes: list[int], *, bound: float,
            repeat: int, min_time: float, flag: float = 30.0) -> list[Row]:
    rows = []
    texts: list[tuple[str, Callable[[int], str]]] = [
        (name, (lambda n, u=unit, s=suffix: _adversarial(u, s, n)))
        for name, unit, suffix in FAMILIES
    ] + [("nested parentheses", _nested_parens)]
    for name, make in texts:
        times: list[float | None] = []
        for i, n in enumerate(sizes):
            if i >= 2 and times[-1] is not None and times[-2] is not None and times[-2] > 0:
                projected = times[-1] * max(1.0, times[-1] / max(times[-2], 1e-6))
                if projected > bound * 4:
                    times.append(None)
                    break
            if times and times[-1] is None:
                times.append(None)
                continue
            s = make(n)
            times.append(_timed(lambda s=s: runner(s), bound, repeat))
        ratio = _growth(times, min_time)
        if ratio is not None and flag < ratio < float("inf"):
            # confirm before flagging: re-time every size with more repeats (noise is
            # usually one slow run at the largest size)
            texts_by_size = [make(n) for n in sizes]
            times = [_timed(lambda s=s: runner(s), bound, 7) for s in texts_by_size]
            ratio = _growth(times, min_time)
        rows.append(Row(target, name, times + [None] * (len(sizes) - len(times)), ratio))
    return rows


def _fmt_t(t: float | None) -> str:
    return "timeout" if t is None else f"{t * 1000:.1f}ms" if t < 1 else f"{t:.2f}s"


def report(rows: list[Row], sizes: list[int], flag: float, title: str) -> int:
    by_target: dict[str, list[Row]] = {}
    for r in rows:
        by_target.setdefault(r.target, []).append(r)
    worst = []
    for rs in by_target.values():
        measurable = [r for r in rs if r.ratio is not None]
        pick = max(measurable, key=lambda r: r.worst) if measurable else \
            max(rs, key=lambda r: max((t or 0) for t in r.times))
        worst.append(pick)
    worst.sort(key=lambda r: (-(r.worst if r.ratio is not None else 0), r.target))
    head = "  ".join(f"{n:>9,}" for n in sizes)
    print(f"\n== {title}: worst family per target (growth = time ratio per 10x length; "
          f"linear ~ 10; flagged > {flag:g}) ==")
    print(f"{'flag':<8}{'growth':>8}  {head}  family / target")
    n_flagged = 0
    for r in worst:
        flagged = r.ratio is not None and r.ratio > flag
        n_flagged += flagged
        g = "  -" if r.ratio is None else ("inf" if r.ratio == float("inf") else f"{r.ratio:.1f}")
        ts = "  ".join(f"{_fmt_t(t):>9}" for t in r.times)
        print(f"{'FLAGGED' if flagged else 'ok':<8}{g:>8}  {ts}  {r.family!r} / {r.target}")
    print(f"-- {len(worst)} targets, {n_flagged} flagged")
    return n_flagged


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--pipeline-sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--timeout", type=float, default=3.0, help="seconds per regex run")
    ap.add_argument("--pipeline-timeout", type=float, default=20.0,
                    help="seconds per whole-pipeline run")
    ap.add_argument("--flag", type=float, default=30.0,
                    help="growth per 10x length above which a target is flagged")
    ap.add_argument("--min-time", type=float, default=0.002,
                    help="ignore growth when the larger time is below this (noise)")
    ap.add_argument("--only", choices=["regex", "scanners", "pipeline"], nargs="+",
                    default=["regex", "scanners", "pipeline"])
    ap.add_argument("--match", default="", help="only targets whose label contains this")
    ap.add_argument("--strict", action="store_true", help="exit 1 when anything is flagged")
    args = ap.parse_args(argv)
    signal.signal(signal.SIGALRM, _on_alarm)
    flagged = 0
    if "regex" in args.only:
        patterns = [(lab, p, u) for lab, p, u in collect_patterns() if args.match in lab]
        print(f"# {len(patterns)} distinct regular expressions collected "
              f"({sum(u == 'anchored' for _, _, u in patterns)} only used anchored, with "
              ".match at one position: timed that way; the rest timed with finditer+search)")
        rows: list[Row] = []
        for label, pat, usage in patterns:
            tag = " [anchored]" if usage == "anchored" else ""
            rows += measure(label + tag, _regex_runner(pat, usage), args.sizes,
                            bound=args.timeout, repeat=3, min_time=args.min_time,
                            flag=args.flag)
        flagged += report(rows, args.sizes, args.flag, "regular expressions")
    if "scanners" in args.only:
        rows = []
        for label, fn in collect_scanners():
            if args.match in label:
                rows += measure(label, fn, args.sizes, bound=args.timeout, repeat=2,
                                min_time=args.min_time, flag=args.flag)
        flagged += report(rows, args.sizes, args.flag, "scanners and splitters")
    if "pipeline" in args.only and args.match in "pipeline.analyze_document":
        rows = measure("pipeline.analyze_document", _pipeline_runner(), args.pipeline_sizes,
                       bound=args.pipeline_timeout, repeat=1, min_time=0.05, flag=args.flag)
        flagged += report(rows, args.pipeline_sizes, args.flag, "whole pipeline")
        print("\n== whole pipeline, every family ==")
        for r in sorted(rows, key=lambda r: -r.worst):
            g = "inf" if r.ratio == float("inf") else ("-" if r.ratio is None
                                                       else f"{r.ratio:.1f}")
            print(f"{g:>8}  " + "  ".join(f"{_fmt_t(t):>9}" for t in r.times) + f"  {r.family}")
    return 1 if (args.strict and flagged) else 0


if __name__ == "__main__":
    sys.exit(main())

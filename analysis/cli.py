"""The ``discourse`` command.

Exit codes
----------
0  every document was analysed (warnings may have been recorded)
1  internal error (a bug: please report it with the one-line message)
2  usage or input error: bad option, missing/unreadable path, invalid data file, or no
   document could be analysed at all
3  the run finished but some documents failed (they are listed in ``errors`` and on stderr)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_PARTIAL = 0, 1, 2, 3


def _fail(message: str, code: int = EXIT_INPUT) -> int:
    print(f"discourse: error: {message}", file=sys.stderr)
    return code


def _add_lexicon_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("lexicons and data files (each option may be repeated)")
    g.add_argument("--lexicon", choices=["news", "vader"], default="news",
                   help="sentiment lexicon: plain VADER or VADER with news settings (default)")
    g.add_argument("--actors", action="append", default=[], metavar="YAML",
                   help="extra actor gazetteer file")
    g.add_argument("--frames", action="append", default=[], metavar="YAML",
                   help="extra framing lexicon file")
    g.add_argument("--cues", action="append", default=[], metavar="YAML",
                   help="extra speech-cue file")
    g.add_argument("--stance-cues", action="append", default=[], metavar="YAML",
                   help="extra stance-cue file")
    g.add_argument("--boilerplate", action="append", default=[], metavar="YAML",
                   help="extra boilerplate pattern file")
    g.add_argument("--abbreviations", action="append", default=[], metavar="YAML",
                   help="extra abbreviation file (sentence splitting)")
    g.add_argument("--sentiment-lexicon", action="append", default=[], metavar="YAML",
                   help="extra sentiment lexicon entries")
    g.add_argument("--speaker-roles", action="append", default=[], metavar="YAML",
                   help="extra speaker word lists (roles, titles, anonymous-source heads)")
    c = p.add_argument_group("corpora")
    c.add_argument("--text-column", default="text", help="CSV/JSONL text column (default: text)")
    c.add_argument("--id-column", default="id", help="CSV/JSONL id column (default: id)")
    c.add_argument("--title-column", default="title", help="CSV/JSONL title column")
    c.add_argument("--max-bytes", type=int, default=None,
                   help="largest document analysed, in bytes (default: 20,000,000)")


def _settings(args: argparse.Namespace):
    from analysis.load import DEFAULT_MAX_BYTES
    from analysis.pipeline import Settings

    return Settings(
        lexicon=args.lexicon, actor_files=tuple(args.actors), frame_files=tuple(args.frames),
        cue_files=tuple(args.cues), stance_files=tuple(args.stance_cues),
        boilerplate_files=tuple(args.boilerplate),
        abbreviation_files=tuple(args.abbreviations),
        sentiment_files=tuple(args.sentiment_lexicon),
        role_files=tuple(args.speaker_roles),
        max_bytes=DEFAULT_MAX_BYTES if args.max_bytes is None else args.max_bytes,
        text_column=args.text_column,
        id_column=args.id_column or None, title_column=args.title_column,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="discourse",
        description="Discourse analysis of news text: who is quoted, what they say about whom, "
                    "how positive or negative, and which framing words each voice uses.",
        epilog="Exit codes: 0 ok, 1 internal error, 2 input/usage error, 3 some documents failed.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command")

    a = sub.add_parser("analyze", help="analyse articles and print tables or JSON",
                       description="Analyse articles (txt, md, html, csv, jsonl, folders, '-').")
    a.add_argument("paths", nargs="+", metavar="PATH", help="file, folder, corpus or '-' (stdin)")
    a.add_argument("--format", choices=["table", "json"], default="table",
                   help="table: readable summaries (default); json: the JSON contract")
    a.add_argument("--out", metavar="DIR",
                   help="also write one CSV per table plus analysis.json, streamed: rows are "
                        "written as documents finish, so memory stays flat on any corpus")
    a.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="worker processes (default: all cores; 1 = this process)")
    a.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local processes (default) or a Dask cluster")
    a.add_argument("--scheduler", metavar="ADDRESS",
                   help="address of an existing Dask scheduler (with --engine dask)")
    a.add_argument("--quiet", action="store_true",
                   help="no progress bar (it only shows when stderr is a terminal)")
    _add_lexicon_options(a)

    r = sub.add_parser("report", help="run the findings notebook and export an HTML report")
    r.add_argument("paths", nargs="+", metavar="PATH")
    r.add_argument("--out", default="reports", metavar="DIR",
                   help="output folder (default: reports)")
    r.add_argument("--figures", default="figures", metavar="DIR",
                   help="folder for PNG/SVG figures (default: figures)")
    r.add_argument("--with-code", action="store_true", help="show the code cells in the report")
    r.add_argument("--format", choices=["html", "pdf"], default="html")
    _add_lexicon_options(r)
    return parser


def _run_analyze(args: argparse.Namespace) -> int:
    from analysis.pipeline import analyze_corpus

    settings = _settings(args)
    jobs = args.jobs
    if jobs is not None and jobs < 1:
        return _fail(f"--jobs {jobs}: give 1 or more worker processes.")
    if args.scheduler and args.engine != "dask":
        return _fail("--scheduler needs --engine dask.")
    # progress on stderr only for a person watching: never with --quiet or when redirected
    show_progress = not args.quiet and sys.stderr.isatty()
    if args.out:
        # stream: rows go to the CSV files as results arrive; memory stays flat
        from analysis.stream import summary_text as stream_summary_text
        from analysis.stream import write_corpus

        summary = write_corpus(args.paths, args.out, engine=args.engine, jobs=jobs,
                               scheduler=args.scheduler, settings=settings,
                               progress=show_progress)
        if args.format == "json":
            with open(Path(args.out) / "analysis.json", encoding="utf-8") as fh:
                for line in fh:
                    sys.stdout.write(line)
        else:
            sys.stdout.write(stream_summary_text(summary))
        errors, n_docs = summary.errors, summary.n["documents"]
    else:
        result = analyze_corpus(args.paths, engine=args.engine, jobs=jobs,
                                scheduler=args.scheduler, settings=settings,
                                progress=show_progress)
        if args.format == "json":
            sys.stdout.write(result.to_json())
            sys.stdout.write("\n")
        else:
            from analysis.summary import summary_text

            sys.stdout.write(summary_text(result))
        errors, n_docs = result.errors, len(result.documents)
    for err in errors.itertuples(index=False):
        print(f"discourse: {err.source}: {err.error}", file=sys.stderr)
    if len(errors) and not n_docs:
        return EXIT_INPUT
    return EXIT_PARTIAL if len(errors) else EXIT_OK


def _run_report(args: argparse.Namespace) -> int:
    from analysis.report import build_report

    paths = build_report(args.paths, out_dir=Path(args.out), figures_dir=Path(args.figures),
                         with_code=args.with_code, fmt=args.format, settings=_settings(args))
    for p in paths:
        print(p)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``discourse`` command; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed a one-line usage error
        return int(exc.code or 0) and EXIT_INPUT
    if args.version:
        from analysis import __version__

        print(f"discourse-analysis {__version__}")
        return EXIT_OK
    if not args.command:
        parser.print_help()
        return EXIT_INPUT
    if args.max_bytes is not None and args.max_bytes < 1:
        return _fail(f"--max-bytes {args.max_bytes}: give a positive number of bytes.")
    from analysis.lexicons import LexiconError
    from analysis.load import LoadError
    from analysis.report import ReportError

    try:
        if args.command == "analyze":
            return _run_analyze(args)
        return _run_report(args)
    except (LoadError, LexiconError, ReportError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        return _fail(f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc}".strip(": "))
    except Exception as exc:  # never a traceback for users; keep the bug's one-line summary
        return _fail(f"internal error: {exc.__class__.__name__}: {exc} (please report)",
                     EXIT_INTERNAL)


def run() -> None:  # pragma: no cover - console script shim
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_INTERNAL", "EXIT_INPUT", "EXIT_PARTIAL"]

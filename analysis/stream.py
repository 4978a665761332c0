"""Streaming output for corpus runs: results go to disk as they arrive, memory stays flat.

:class:`StreamWriter` takes per-document results (from
:func:`analysis.pipeline.iter_results`) one at a time and

* appends each document's rows to one CSV file per table (``documents``, ``segments``,
  ``paragraphs``, ``sentences``, ``quotes``, ``mentions``, ``framing``, ``candidates``,
  ``errors``) and, encoded once as its record in analysis.json, to a temporary spill file
  per table;
* keeps in memory only what the summary views need: one compact tuple per quote of a named
  speaker (speaker, affiliation, role, word count, compound — for ``speakers``), per-actor mention counts and compound sums (``actors``), the stance
  evidence (``stance``), framing-term counts and the first rows for the terminal summary;
* at the end writes ``speakers.csv``, ``actors.csv``, ``stance.csv`` and ``analysis.json``
  — the JSON object is copied from the spill files in chunks, never held whole —
  and removes the spills.

The files are the same tables :meth:`analysis.result.Analysis.save` writes for an in-memory
run (same columns in the same order, same values; a CSV integer column that has gaps is
written ``12`` here where pandas writes ``12.0``).

Python API::

    from analysis.stream import write_corpus
    summary = write_corpus("corpus/", "results/", jobs=4)       # or engine="dask"
    summary.n["documents"], summary.speakers, summary.errors
"""

from __future__ import annotations

import csv
import json
import math
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pandas as pd

from analysis.result import (
    COLUMNS,
    CONTRACT_KEYS,
    SCHEMA,
    _clean,
    _frame,
    _missing,
    _records,
    safe_name,
    speaker_rows,
    stance_rows,
)

if TYPE_CHECKING:
    from analysis.pipeline import Engine, Settings

__all__ = ["StreamWriter", "StreamSummary", "write_corpus", "summary_text", "STREAMED_TABLES"]

#: Per-document tables, appended as results arrive (``Analysis.save`` writes the same files).
STREAMED_TABLES = ["documents", "segments", "paragraphs", "sentences", "quotes", "mentions",
                   "framing", "candidates", "errors"]
#: Derived views, written at the end from what was kept in memory.
VIEW_TABLES = ["speakers", "actors", "stance"]
# key of each streamed table in a per-document result
_RESULT_KEYS = {"segments": "segments", "paragraphs": "paragraphs", "sentences": "sentences",
                "quotes": "quotes", "mentions": "mentions", "framing": "framing",
                "candidates": "candidates"}
_HEAD_DOCS = 15
_HEAD_QUOTES = 40


def _csv_value(value: Any) -> Any:
    """A CSV cell as pandas' ``to_csv`` writes it (None/NaN blank, containers via str)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else value
    if isinstance(value, (str, int)):
        return value
    return str(value)


def _final_order(key: str, seen: Iterable[str]) -> list[str]:
    """Column order of :func:`analysis.result._frame` for the keys seen in a table's rows."""
    cols = COLUMNS[key]
    seen = list(seen)
    present = [c for c in cols if c in seen]
    return present + [c for c in seen if c not in cols] + [c for c in cols if c not in present]


# One encoder for every row (``json.dumps`` builds a new one per call). ``default=str`` and
# NaN/Infinity tokens as the old JSONL spill had them; rows whose text holds such a token are
# cleaned at close (see _Table.add).
_ENCODE = json.JSONEncoder(ensure_ascii=False, default=str).encode
_RAW = "!"  # prefix of a spilled record that still needs _clean (NaN/Infinity inside)


class _Table:
    """One streamed table: its CSV (appended) and its spill of analysis.json records.

    Each row is encoded once, as the JSON text it will have in analysis.json (every column
    of the table, in the final order), so that :meth:`write_json` mostly copies text.
    """

    def __init__(self, key: str, csv_path: Path, spill_path: Path) -> None:
        self.key = key
        self.csv_path = csv_path
        self.spill_path = spill_path
        self.csv_file: IO[str] = open(csv_path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.writer = csv.writer(self.csv_file, lineterminator="\n")
        # newline="": one record per "\n" line on every platform (JSON escapes raw newlines)
        self.spill: IO[str] = open(spill_path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.header: list[str] | None = None
        self.seen: dict[str, None] = {}
        self.cols: list[str] = []
        self._cols_t: tuple[str, ...] = ()
        self._sigs: set[tuple[Any, ...]] = set()  # key tuples already merged into ``seen``
        self.stale = False  # records spilled before a late column appeared (rewrite at close)
        self.raw = 0  # spilled records marked _RAW
        self.count = 0

    def add(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        seen, sigs = self.seen, self._sigs
        n_seen = len(seen)
        for row in rows:
            sig = tuple(row)  # rows of one table share a few key tuples: check each once
            if sig not in sigs:
                sigs.add(sig)
                for k in sig:
                    if k not in seen:
                        seen[k] = None
        if len(seen) != n_seen:
            cols = _final_order(self.key, seen)
            if self.count and cols != self.cols:
                self.stale = True
            self.cols, self._cols_t = cols, tuple(cols)
        if self.header is None:
            self.header = list(self.cols)
            self.writer.writerow(self.header)
        cols, cols_t, header = self.cols, self._cols_t, self.header
        same = header == cols
        writerow = self.writer.writerow
        write = self.spill.write
        encode = _ENCODE
        for row in rows:
            # the record of analysis.json: every column, in the final order, missing -> None
            rec = row if tuple(row) == cols_t else dict(zip(cols, map(row.get, cols), strict=True))
            text = encode(rec)
            if "NaN" in text or "Infinity" in text:
                # a NaN/inf float somewhere (or just the word): _clean makes it null at close,
                # and the CSV needs _csv_value for a NaN cell
                write(_RAW + text + "\n")
                self.raw += 1
                writerow([_csv_value(rec[c]) for c in header])
            else:
                write(text + "\n")
                # no NaN: the csv module writes the rest as _csv_value would (None blank,
                # floats by repr, anything else by str)
                writerow(rec.values() if same else [rec[c] for c in header])
        self.count += len(rows)

    def columns(self) -> list[str]:
        return _final_order(self.key, self.seen)

    def _spilled(self) -> Iterable[tuple[bool, str]]:
        """``(raw, json_text)`` per spilled record."""
        with open(self.spill_path, encoding="utf-8", newline="") as fh:
            for line in fh:
                if line.startswith(_RAW):
                    yield True, line[1:-1]
                else:
                    yield False, line[:-1]

    def write_json(self, out: IO[str]) -> None:
        """Write the table's records as the JSON array of analysis.json (after ``key: ``)."""
        if not self.count:
            out.write("[]")
            return
        out.write("[\n  ")
        if not self.stale and not self.raw:
            # every spilled line is already the final record text: join the lines with ",\n  "
            with open(self.spill_path, encoding="utf-8", newline="") as fh:
                prev = None
                for chunk in iter(lambda: fh.read(1 << 20), ""):
                    if prev is not None:
                        out.write(prev.replace("\n", ",\n  "))
                    prev = chunk
            assert prev is not None
            out.write(prev[:-1].replace("\n", ",\n  "))
            out.write("\n ]")
            return
        cols = self.columns()
        first = True
        for raw, text in self._spilled():
            if raw:
                row = json.loads(text)
                text = _dump({c: _clean(row.get(c)) for c in cols})
            elif self.stale:
                row = json.loads(text)  # JSON values only: _clean would change nothing
                text = _dump({c: row.get(c) for c in cols})
            if not first:
                out.write(",\n  ")
            out.write(text)
            first = False
        out.write("\n ]")

    def finish(self) -> None:
        """Close the files; rewrite the CSV from the spill if columns appeared late."""
        self.csv_file.close()
        self.spill.close()
        cols = self.columns()
        if self.header is None:  # no rows: header only, as pandas writes an empty table
            _frame([], self.key).to_csv(self.csv_path, index=False)
            return
        if cols == self.header:
            return
        with open(self.csv_path, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(cols)
            for _, text in self._spilled():
                row = json.loads(text)
                writer.writerow([_csv_value(row.get(c)) for c in cols])
        self.header = cols


def _dump(obj: Any) -> str:
    """JSON text of analysis.json (UTF-8 kept, NaN refused)."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False)


class StreamSummary:
    """What a streamed run keeps: counts, the derived views, errors and a few first rows.

    Attributes
    ----------
    out_dir : Path
        Where the tables were written.
    n : dict
        Rows per streamed table (``n["documents"]``, ``n["errors"]``, ...).
    speakers, actors, stance : DataFrame
        The derived views, identical to ``Analysis.by_speaker()``, ``by_actor()``,
        ``stance()`` of an in-memory run.
    framing_counts : DataFrame
        Framing hits per ``frame, term, voice``.
    documents_head, quotes_head : DataFrame
        The first documents (without text) and quotations, for the terminal summary.
    errors : DataFrame
        One row per failed document (``source, error``).
    paths : list of Path
        Every file written.
    """

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)

    def __repr__(self) -> str:
        n = self.n
        return (f"<Analysis: {n['documents']} document(s), {n['sentences']} sentences, "
                f"{n['quotes']} quotes, {n['mentions']} mentions, "
                f"{n['framing']} framing hits, {n['errors']} error(s)>")


class StreamWriter:
    """Write per-document results to ``out_dir`` as they arrive (see the module docstring).

    Use as a context manager, or call :meth:`close` to write the views and analysis.json::

        with StreamWriter("results/") as writer:
            for res in iter_results(docs, settings, jobs=4):
                writer.add(res)
        summary = writer.summary
    """

    def __init__(self, out_dir: str | Path, *, settings: Settings | None = None) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.settings = settings
        self._spill_dir = Path(tempfile.mkdtemp(prefix=".spill-", dir=self.out_dir))
        self._tables = {k: _Table(k, self.out_dir / f"{safe_name(k)}.csv",
                                  self._spill_dir / f"{k}.jsonl") for k in STREAMED_TABLES}
        self._speaker_quotes: list[tuple[Any, ...]] = []
        self._strings: dict[Any, Any] = {}
        self._quotes_head: list[dict[str, Any]] = []
        self._docs_head: list[dict[str, Any]] = []
        self._actor_n: dict[str, int] = {}
        self._actor_compound: dict[str, _ExactSum] = {}  # exact sums: flat memory
        self._stance_rows: list[dict[str, Any]] = []
        self._framing_counts: Counter[tuple[Any, Any, Any]] = Counter()
        self._errors: list[dict[str, Any]] = []
        self.summary: StreamSummary | None = None

    # ------------------------------------------------------------------ per document
    def add(self, result: dict[str, Any]) -> None:
        """Write one per-document result (or its ``error`` record)."""
        if "error" in result:
            self._tables["errors"].add([result["error"]])
            self._errors.append(result["error"])
            return
        doc = result["document"]
        self._tables["documents"].add([doc])
        if len(self._docs_head) < _HEAD_DOCS:
            self._docs_head.append({k: v for k, v in doc.items() if k != "text"})
        for key, res_key in _RESULT_KEYS.items():
            self._tables[key].add(result.get(res_key) or [])
        self._keep_for_views(result)

    def _keep_for_views(self, result: dict[str, Any]) -> None:
        for q in result.get("quotes") or []:
            if len(self._quotes_head) < _HEAD_QUOTES:
                self._quotes_head.append(q)
            if q.get("kind") != "scare" and not _missing(q.get("speaker")):
                # a compact row: shared strings, the word count instead of the text
                intern = self._strings.setdefault
                self._speaker_quotes.append(
                    (intern(q["speaker"], q["speaker"]), _shared(intern, q.get("affiliation")),
                     _shared(intern, q.get("role")),
                     q["n_words"] if q.get("n_words") is not None
                     else len(str(q.get("text")).split()),
                     q.get("compound")))
        sentences = result.get("sentences") or []
        mentions = result.get("mentions") or []
        if mentions:
            compound = {s.get("sent_id"): s.get("compound") for s in sentences}
            for m in mentions:
                actor = m.get("actor")
                if _missing(actor):
                    continue
                self._actor_n[actor] = self._actor_n.get(actor, 0) + 1
                sid = m.get("sent_id")
                value = None if _missing(sid) else compound.get(sid)
                if not _missing(value):
                    acc = self._actor_compound.get(actor)
                    if acc is None:
                        acc = self._actor_compound[actor] = _ExactSum()
                    acc.add(float(value))
        self._stance_rows.extend(result.get("stance_evidence") or [])
        for f in result.get("framing") or []:
            self._framing_counts[(f.get("frame"), f.get("term"), f.get("voice"))] += 1

    # ------------------------------------------------------------------ end of run
    def _actors_view(self) -> pd.DataFrame:
        cols = ["actor", "n_mentions", "mean_compound"]
        if not self._actor_n or not self._tables["sentences"].count:
            return pd.DataFrame(columns=cols)
        rows = []
        for actor, n in self._actor_n.items():
            acc = self._actor_compound.get(actor)
            mean = acc.mean() if acc is not None else math.nan
            rows.append({"actor": actor, "n_mentions": n, "mean_compound": mean})
        out = pd.DataFrame(rows, columns=cols)
        out["mean_compound"] = out["mean_compound"].astype(float).round(4)
        return out.sort_values(["n_mentions", "actor"], ascending=[False, True],
                               ignore_index=True)[cols]

    def _views(self) -> dict[str, pd.DataFrame]:
        # the same row builders as Analysis.by_speaker / stance, over the compact rows kept
        cols = COLUMNS["speakers"] + ["sd_compound", "ci_low", "ci_high", "small_n"]
        speakers = pd.DataFrame(speaker_rows(self._speaker_quotes), columns=cols)
        speakers = speakers.sort_values(["n_quotes", "speaker"], ascending=[False, True],
                                        ignore_index=True)
        stance = pd.DataFrame(stance_rows(self._stance_rows), columns=COLUMNS["stance"])
        return {"speakers": speakers, "actors": self._actors_view(), "stance": stance}

    def _write_json(self, path: Path, views: dict[str, pd.DataFrame]) -> None:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write('{"schema": ' + _dump(SCHEMA))
            for key in CONTRACT_KEYS:
                fh.write(",\n " + _dump(key) + ": ")
                if key in self._tables:
                    self._tables[key].write_json(fh)
                    continue
                records = _records(views[key])
                fh.write("[")
                first = True
                for rec in records:
                    fh.write("\n  " if first else ",\n  ")
                    fh.write(_dump(rec))
                    first = False
                fh.write("]" if first else "\n ]")
            fh.write("\n}\n")

    def close(self) -> StreamSummary:
        """Finish the CSVs, write the views and analysis.json, remove the spills."""
        if self.summary is not None:
            return self.summary
        try:
            for table in self._tables.values():
                table.finish()
            views = self._views()
            paths = [t.csv_path for t in self._tables.values()]
            for name, df in views.items():
                path = self.out_dir / f"{safe_name(name)}.csv"
                df.to_csv(path, index=False)
                paths.append(path)
            json_path = self.out_dir / "analysis.json"
            self._write_json(json_path, views)
            paths.append(json_path)
        finally:
            self._discard()
        counts = pd.DataFrame(
            [{"frame": f, "term": t, "voice": v, "hits": n}
             for (f, t, v), n in self._framing_counts.items()],
            columns=["frame", "term", "voice", "hits"])
        if len(counts):
            counts = counts.sort_values(["hits", "term"], ascending=[False, True],
                                        ignore_index=True)
        self.summary = StreamSummary(
            out_dir=self.out_dir, n={k: t.count for k, t in self._tables.items()},
            speakers=views["speakers"], actors=views["actors"], stance=views["stance"],
            framing_counts=counts, documents_head=_frame(self._docs_head, "documents")
            .drop(columns=["text"]), quotes_head=_frame(self._quotes_head, "quotes"),
            errors=_frame(self._errors, "errors"), paths=paths)
        return self.summary

    def _discard(self) -> None:
        for table in self._tables.values():
            for fh in (table.csv_file, table.spill):
                if not fh.closed:
                    fh.close()
        shutil.rmtree(self._spill_dir, ignore_errors=True)

    def abort(self) -> None:
        """Close the files without writing the views (the CSVs so far stay on disk)."""
        self._discard()

    def __enter__(self) -> StreamWriter:
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def _shared(intern: Any, value: Any) -> Any:
    return intern(value, value) if isinstance(value, str) else value


class _ExactSum:
    """Running sum of floats without rounding error (Shewchuk partials, as ``math.fsum``).

    Memory stays a few floats whatever the number of values, and the mean equals
    ``fsum(values) / len(values)``: independent of the order the documents arrive in.
    """

    __slots__ = ("partials", "count")

    def __init__(self) -> None:
        self.partials: list[float] = []
        self.count = 0

    def add(self, x: float) -> None:
        self.count += 1
        partials = self.partials
        i = 0
        for y in partials:
            if abs(x) < abs(y):
                x, y = y, x
            hi = x + y
            lo = y - (hi - x)
            if lo:
                partials[i] = lo
                i += 1
            x = hi
        partials[i:] = [x]

    def mean(self) -> float:
        return math.fsum(self.partials) / self.count if self.count else math.nan


def write_corpus(
    source: Any,
    out_dir: str | Path,
    *,
    engine: Engine = "local",
    jobs: int | None = None,
    scheduler: str | None = None,
    settings: Settings | None = None,
    progress: bool = False,
    **options: Any,
) -> StreamSummary:
    """Analyse a corpus and stream every table to ``out_dir``; memory stays flat.

    Same sources, engines and options as :func:`analysis.pipeline.analyze_corpus`, and the
    same files as ``analyze_corpus(...).save(out_dir)``; returns a :class:`StreamSummary`
    instead of the full :class:`~analysis.result.Analysis`.
    """
    from analysis.pipeline import Settings, iter_results, prepare
    from analysis.scale import documents_from

    settings = settings or Settings(**options)
    docs = documents_from(source, settings)
    prepare(settings)
    results: Iterable[dict[str, Any]] = iter_results(docs, settings, engine=engine, jobs=jobs,
                                                     scheduler=scheduler)
    if progress:
        from tqdm import tqdm

        results = tqdm(results, unit="doc", desc="analysing", leave=False)
    with StreamWriter(out_dir, settings=settings) as writer:
        for res in results:
            writer.add(res)
    assert writer.summary is not None
    return writer.summary


def summary_text(summary: StreamSummary) -> str:
    """The terminal summary of a streamed run (the sections of ``summary.summary_text``)."""
    from analysis.summary import _MAX_ROWS, _table

    def head(title: str, df: pd.DataFrame, total: int, columns: list[str],
             max_rows: int = _MAX_ROWS, **kw: Any) -> str:
        text = _table(title, df, columns, max_rows=max_rows, **kw)
        if total > min(len(df), max_rows):
            text = text.rstrip("\n").split("\n  … ")[0]
            text += f"\n  … {total - min(len(df), max_rows)} more rows (in {summary.out_dir})\n"
        return text

    parts = [f"{summary!r}\n"]
    docs = summary.documents_head.copy()
    if len(docs):
        docs["warnings"] = docs["warnings"].map(lambda w: len(w) if isinstance(w, list) else 0)
    parts.append(head("Documents", docs, summary.n["documents"],
                      ["doc_id", "title", "encoding", "n_words", "warnings"]))
    parts.append(_table("Who is quoted (speakers)", summary.speakers,
                        ["speaker", "affiliation", "role", "n_quotes", "n_words",
                         "mean_compound"]))
    parts.append(head("Quotations", summary.quotes_head, summary.n["quotes"],
                      ["kind", "speaker", "cue", "compound", "text"], max_rows=40))
    parts.append(_table("Actors", summary.actors, ["actor", "n_mentions", "mean_compound"]))
    parts.append(_table("Stance (speaker toward actor)", summary.stance,
                        ["speaker", "actor", "score", "label", "n_evidence"], max_rows=30))
    parts.append(_table("Framing terms by voice", summary.framing_counts,
                        ["frame", "term", "voice", "hits"], max_rows=30))
    if len(summary.errors):
        parts.append(_table("Errors", summary.errors, ["source", "error"], max_width=100))
    return "".join(parts)

"""The :class:`Analysis` result: tidy tables plus per-speaker, per-actor and stance views.

Tables (pandas DataFrames, one row per item; columns as in the JSON contract
``discourse-analysis/1``, documented in ``docs/json-contract.md``):

``documents``, ``segments``, ``paragraphs``, ``sentences``, ``quotes``, ``mentions``,
``framing``, ``stance_evidence``, ``candidates``, ``errors``; and the derived views
``speakers`` (:meth:`Analysis.by_speaker`), ``actors`` (:meth:`Analysis.by_actor`) and
``stance`` (:meth:`Analysis.stance`).
"""

from __future__ import annotations

import json
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from analysis.pipeline import Settings

__all__ = ["Analysis", "TableBuilder", "SCHEMA", "COLUMNS", "safe_name"]

SCHEMA = "discourse-analysis/1"

COLUMNS: dict[str, list[str]] = {
    "documents": ["doc_id", "source", "title", "encoding", "text", "n_words", "warnings"],
    "segments": ["doc_id", "kind", "start", "end", "paragraph"],
    "paragraphs": ["doc_id", "paragraph", "start", "end", "kind"],
    "sentences": ["doc_id", "sent_id", "paragraph", "start", "end", "text", "kind", "voice",
                  "compound", "pos", "neu", "neg"],
    "quotes": ["doc_id", "quote_id", "kind", "start", "end", "text", "speaker",
               "speaker_start", "speaker_end", "cue", "cue_start", "cue_end", "affiliation",
               "role", "sent_id", "compound", "parts", "n_words"],
    "mentions": ["doc_id", "actor", "start", "end", "text", "sent_id", "voice"],
    "framing": ["doc_id", "frame", "term", "start", "end", "text", "sent_id", "voice"],
    "stance_evidence": ["doc_id", "speaker", "actor", "score", "label", "n_evidence",
                        "evidence"],
    "candidates": ["doc_id", "name", "count", "start"],
    "errors": ["source", "error"],
    "speakers": ["speaker", "affiliation", "role", "n_quotes", "n_words", "mean_compound"],
    "actors": ["actor", "n_mentions", "mean_compound"],
    "stance": ["speaker", "actor", "score", "label", "n_evidence", "evidence"],
}
CONTRACT_KEYS = ["documents", "segments", "sentences", "quotes", "mentions", "framing",
                 "speakers", "actors", "stance", "errors"]
STANCE_THRESHOLD = 0.05
SMALL_N = 3
_INT_COLUMNS = {"start", "end", "speaker_start", "speaker_end", "cue_start", "cue_end",
                "sent_id", "quote_id", "paragraph", "n_words", "count"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str, *, default: str = "item") -> str:
    """A file-name-safe version of ``name`` (no separators, no leading dots: no traversal)."""
    cleaned = _UNSAFE.sub("_", str(name)).strip("._") or default
    return cleaned[:120]


def _frame(rows: list[dict], key: str) -> pd.DataFrame:
    cols = COLUMNS[key]
    if not rows:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame.from_records(rows)
    ordered = [c for c in cols if c in df.columns] + [c for c in df.columns if c not in cols]
    for c in cols:
        if c not in df.columns:
            df[c] = None
    for c in _INT_COLUMNS & set(df.columns):
        # offsets stay integers even when some are missing (None would make them floats)
        df[c] = df[c].astype("Int64")
    return df[ordered + [c for c in cols if c not in ordered]]


TABLE_KEYS = ("documents", "segments", "paragraphs", "sentences", "quotes", "mentions",
              "framing", "stance_evidence", "candidates", "errors")
_ROW_KEYS = TABLE_KEYS[1:-1]  # the per-document lists of records


class TableBuilder:
    """Collects per-document results and builds the tables once, column by column.

    Gives exactly the tables of :func:`_frame` over all rows (``DataFrame.from_records``
    with its type inference, integer offsets as ``Int64``), at less cost: columns whose
    values all share one type (nearly all of them) are converted without pandas' per-value
    inference. A table whose records do not all have the same keys falls back to
    :func:`_frame`.

    A worker process fills a builder with its batch and :meth:`pack`-s it (records
    transposed into columns; pure integer and float columns into ``array`` buffers, cheap to
    send between processes); the parent :meth:`merge`-s the packed builders in input order.
    """

    def __init__(self) -> None:
        self.n_results = 0
        self._pending: dict[str, list[dict[str, Any]]] = {k: [] for k in TABLE_KEYS}
        self._keys: dict[str, tuple[str, ...]] = {}
        self._columns: dict[str, dict[str, list[Any]]] = {}  # table → column → chunks
        self._irregular: set[str] = set()  # tables whose records differ in their keys

    def add(self, result: dict[str, Any]) -> None:
        """Add one per-document result (from :func:`analysis.pipeline.analyze_document`)."""
        self.n_results += 1
        pending = self._pending
        if "error" in result:
            pending["errors"].append(result["error"])
            return
        pending["documents"].append(result["document"])
        for key in _ROW_KEYS:
            rows = result.get(key)
            if rows:
                pending[key].extend(rows)

    def _flush(self, key: str) -> None:
        """Move the pending records of a table into one chunk per column."""
        rows = self._pending[key]
        if not rows or key in self._irregular:
            return
        keys = self._keys.get(key) or tuple(rows[0])
        n_keys = len(keys)
        try:
            # the same number of keys, each of them found: the same keys in every record
            # (records without any key are left to _frame too)
            if not n_keys or not all(map(n_keys.__eq__, map(len, rows))):
                raise KeyError(key)
            columns = [list(map(itemgetter(c), rows)) for c in keys]
        except KeyError:
            self._irregular.add(key)
            self._pending[key] = [*self._records(key), *rows]
            self._keys.pop(key, None)
            self._columns.pop(key, None)
            return
        if key not in self._keys:
            self._keys[key] = keys
            self._columns[key] = {c: [] for c in keys}
        for chunks, values in zip(self._columns[key].values(), columns, strict=True):
            chunks.append(values)
        self._pending[key] = []

    def _records(self, key: str) -> list[dict[str, Any]]:
        if key not in self._keys:
            return []
        keys, columns = self._keys[key], self._columns[key]
        values = [list(chain.from_iterable(columns[c])) for c in keys]
        return [dict(zip(keys, row, strict=True)) for row in zip(*values, strict=True)]

    def pack(self) -> TableBuilder:
        """Transpose everything into columns (pure int/float ones into ``array``-s)."""
        for key in TABLE_KEYS:
            self._flush(key)
        for columns in self._columns.values():
            for c, chunks in columns.items():
                values = list(chain.from_iterable(chunks))
                kinds = set(map(type, values))
                if kinds == {int}:
                    try:
                        columns[c] = [array("q", values)]
                        continue
                    except OverflowError:  # beyond 64 bits: stays a list
                        pass
                elif kinds == {float}:
                    columns[c] = [array("d", values)]
                    continue
                columns[c] = [values]
        return self

    def merge(self, other: TableBuilder) -> None:
        """Append the rows of another builder (a later batch of the same run)."""
        self.n_results += other.n_results
        for key in TABLE_KEYS:
            self._flush(key)
            same_shape = self._keys.get(key, other._keys.get(key)) == other._keys.get(key)
            if key in other._keys and same_shape and key not in self._irregular:
                if key not in self._keys:
                    self._keys[key] = other._keys[key]
                    self._columns[key] = {c: [] for c in other._keys[key]}
                for c, chunks in self._columns[key].items():
                    chunks.extend(other._columns[key][c])
            else:
                self._pending[key].extend(other._records(key))
            self._pending[key].extend(other._pending[key])

    def build(self) -> dict[str, pd.DataFrame]:
        """Every table, with the columns and dtypes of :func:`_frame`."""
        tables = {}
        for key in TABLE_KEYS:
            self._flush(key)
            if key in self._keys:
                tables[key] = self._build_columns(key)
            else:
                tables[key] = _frame(self._pending[key], key)
        return tables

    def _build_columns(self, key: str) -> pd.DataFrame:
        cols = COLUMNS[key]
        keys = self._keys[key]
        ordered = [c for c in cols if c in keys] + [c for c in keys if c not in cols]
        data = {c: _column(c, self._columns[key][c]) for c in ordered}
        n = len(next(iter(data.values())))
        for c in cols:
            if c not in keys:  # a contract column no record has: all missing
                data[c] = _column(c, [[None] * n])
        return pd.DataFrame(data, copy=False)


def _column(name: str, chunks: list[Any]) -> Any:
    """One column from its chunks, typed as ``from_records`` (+ ``Int64`` offsets) would."""
    import numpy as np

    if all(isinstance(ch, array) for ch in chunks) and len({ch.typecode for ch in chunks}) == 1:
        dtype = np.int64 if chunks[0].typecode == "q" else np.float64
        values = np.concatenate([np.frombuffer(ch, dtype=dtype) for ch in chunks])
        if name in _INT_COLUMNS and dtype is np.int64:
            return pd.arrays.IntegerArray(values, np.zeros(len(values), dtype=bool))
        return values
    values = chunks[0] if len(chunks) == 1 else list(chain.from_iterable(chunks))
    if isinstance(values, array):
        values = values.tolist()
    kinds = set(map(type, values))
    n = len(values)
    try:
        if kinds == {int}:
            ints = np.array(values, dtype=np.int64)
            if name in _INT_COLUMNS:
                return pd.arrays.IntegerArray(ints, np.zeros(n, dtype=bool))
            return ints
        if name in _INT_COLUMNS and kinds <= {int, type(None)}:
            objects = np.array(values, dtype=object)
            mask = objects == None  # noqa: E711 - elementwise, not an identity test
            objects[mask] = 0
            return pd.arrays.IntegerArray(objects.astype(np.int64), mask)
    except OverflowError:  # beyond 64 bits: pandas decides, below
        pass
    if kinds == {float}:
        return np.array(values, dtype=np.float64)
    if kinds <= {str, type(None)} and str in kinds:
        objects = np.array(values, dtype=object)
        string = _string_dtype()
        return objects if string == np.dtype(object) else pd.array(objects, dtype=string)
    if kinds <= {list, dict, type(None)}:
        # no per-value allocation here: the collector would walk every live record again
        return np.fromiter(values, dtype=object, count=n)
    # anything else (mixed types...): pandas' own inference, as from_records does
    inferred = pd.DataFrame.from_records([(v,) for v in values], columns=["v"])["v"]
    return inferred.astype("Int64").array if name in _INT_COLUMNS else inferred.array


@lru_cache(maxsize=1)
def _string_dtype() -> Any:
    """The dtype pandas infers for strings here (``str`` in pandas 3, ``object`` before)."""
    return pd.Series(["a"]).dtype


def _stance_label(score: float) -> str:
    if score >= STANCE_THRESHOLD:
        return "favor"
    if score <= -STANCE_THRESHOLD:
        return "against"
    return "neutral"


def _bootstrap_ci(values: list[float], *, seed: int, n_boot: int = 1000) -> tuple[float, float]:
    """Percentile bootstrap 95 % interval of the mean (explicit seed: reproducible)."""
    import numpy as np

    arr = np.asarray(values, dtype=float)
    if len(arr) < 2:
        v = float(arr[0]) if len(arr) else math.nan
        return v, v
    rng = np.random.default_rng(seed)
    means = rng.choice(arr, size=(n_boot, len(arr)), replace=True).mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return round(float(low), 4), round(float(high), 4)


def _missing(value: Any) -> bool:
    """None or a float NaN (a missing cell once records have been through pandas)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _mode(values: Iterable[Any]) -> Any:
    """The most frequent non-missing value, the smallest on ties (``Series.mode().iloc[0]``)."""
    counts = Counter(v for v in values if not _missing(v))
    if not counts:
        return None
    top = max(counts.values())
    return min(v for v, n in counts.items() if n == top)


def speaker_rows(quotes: Iterable[tuple[Any, Any, Any, int, Any]], *, seed: int = 0
                 ) -> list[dict[str, Any]]:
    """Rows of :meth:`Analysis.by_speaker` from ``(speaker, affiliation, role, n_words,
    compound)`` per quote (scare quotes and unattributed ones already left out).

    Plain Python over tuples (no pandas groupby per speaker), so the streamed writer
    (:mod:`analysis.stream`) builds the same view from compact rows. Speakers keep their
    first-seen order; the caller sorts.
    """

    groups: dict[Any, list[tuple[Any, ...]]] = {}
    for q in quotes:
        groups.setdefault(q[0], []).append(q)
    rows = []
    for speaker, grp in groups.items():
        vals = [float(q[4]) for q in grp if not _missing(q[4])]
        rows.append({
            "speaker": speaker, "affiliation": _mode(q[1] for q in grp),
            "role": _mode(q[2] for q in grp), "n_quotes": len(grp),
            "n_words": int(sum(q[3] for q in grp)), **_tone(vals, seed=seed),
            "small_n": len(grp) < SMALL_N,
        })
    return rows


def _tone(vals: list[float], *, seed: int) -> dict[str, Any]:
    """``mean_compound, sd_compound, ci_low, ci_high`` of compound scores (a view's tone)."""
    import numpy as np

    low, high = _bootstrap_ci(vals, seed=seed)
    return {"mean_compound": round(float(np.mean(vals)), 4) if vals else None,
            "sd_compound": round(float(np.std(vals, ddof=1)), 4) if len(vals) > 1 else None,
            "ci_low": low, "ci_high": high}


def stance_rows(evidence_rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of :meth:`Analysis.stance` from per-document ``stance_evidence`` records.

    One row per (speaker, actor), sorted: the evidence-weighted mean score (the weighted sum
    goes through numpy's pairwise summation, as a pandas column sum would), its label, the
    evidence count and the evidence items with their ``doc_id``. Records without a speaker
    or actor are left out.
    """
    import numpy as np

    groups: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for r in evidence_rows:
        key = (r.get("speaker"), r.get("actor"))
        if not (_missing(key[0]) or _missing(key[1])):
            groups.setdefault(key, []).append(r)
    rows = []
    for key in sorted(groups):
        grp = groups[key]
        n = int(sum(r["n_evidence"] for r in grp))
        products = [0.0 if _missing(p) else p for p in
                    (r["score"] * float(r["n_evidence"]) for r in grp)]
        total = float(np.add.reduce(np.asarray(products, dtype=float)))
        score = total / max(n, 1)
        evidence = [{"doc_id": r.get("doc_id"), **e} for r in grp
                    for e in (r.get("evidence") or [])]
        rows.append({"speaker": key[0], "actor": key[1], "score": round(score, 4),
                     "label": _stance_label(score), "n_evidence": n, "evidence": evidence})
    return rows


class Analysis:
    """Tables of one analysis run, and the views built from them.

    Build one with :func:`analysis.analyze` or :func:`analysis.analyze_corpus`.
    """

    def __init__(self, tables: dict[str, pd.DataFrame], *, settings: Settings | None = None):
        self.settings = settings
        self.documents: pd.DataFrame = tables["documents"]
        self.segments: pd.DataFrame = tables["segments"]
        self.paragraphs: pd.DataFrame = tables["paragraphs"]
        self.sentences: pd.DataFrame = tables["sentences"]
        self.quotes: pd.DataFrame = tables["quotes"]
        self.mentions: pd.DataFrame = tables["mentions"]
        self.framing: pd.DataFrame = tables["framing"]
        self.stance_evidence: pd.DataFrame = tables["stance_evidence"]
        self.candidates: pd.DataFrame = tables["candidates"]
        self.errors: pd.DataFrame = tables["errors"]

    # ------------------------------------------------------------------ building
    @classmethod
    def from_results(cls, results: Iterable[dict[str, Any] | TableBuilder], *,
                     settings: Settings | None = None) -> Analysis:
        """Collect per-document results (from :func:`analysis.pipeline.analyze_document`),
        or packed batches of them (:class:`TableBuilder`, from
        :func:`analysis.scale.pool_tables`), in order."""
        from analysis.pipeline import spared_collector

        builder = TableBuilder()
        with spared_collector():
            for res in results:
                if isinstance(res, TableBuilder):
                    builder.merge(res)
                else:
                    builder.add(res)
        # frozen again, with every record now alive: building must not set off full
        # collections that walk them all
        with spared_collector():
            return cls(builder.build(), settings=settings)

    def __repr__(self) -> str:
        return (f"<Analysis: {len(self.documents)} document(s), {len(self.sentences)} sentences, "
                f"{len(self.quotes)} quotes, {len(self.mentions)} mentions, "
                f"{len(self.framing)} framing hits, {len(self.errors)} error(s)>")

    @property
    def text(self) -> str:
        """The text of the only document (raises when there are several)."""
        if len(self.documents) != 1:
            raise ValueError(f"Analysis.text: {len(self.documents)} documents; use "
                             "analysis.documents.text for a corpus.")
        return str(self.documents["text"].iloc[0])

    # ------------------------------------------------------------------ views
    def by_speaker(self, *, include_narrator: bool = False, seed: int = 0) -> pd.DataFrame:
        """One row per quoted speaker: quotes, words, tone with a bootstrap interval.

        Columns: ``speaker, affiliation, role, n_quotes, n_words, mean_compound,
        sd_compound, ci_low, ci_high, small_n``. Scare quotes are not speech and are left
        out. ``small_n`` flags speakers with fewer than 3 quotes (their mean is fragile).
        With ``include_narrator=True`` a ``narrator`` row summarises the outlet's own
        sentences. ``seed`` fixes the bootstrap.
        """

        q = self.quotes
        q = q[(q["kind"] != "scare") & q["speaker"].notna()] if len(q) else q
        n = len(q)
        # words inside the quotation marks (not an interrupting cue)
        n_words = (q["n_words"].tolist() if "n_words" in q
                   else [len(str(t).split()) for t in q["text"]]) if n else []
        roles = q["role"].tolist() if "role" in q else [None] * n
        rows = speaker_rows(zip(q["speaker"].tolist(), q["affiliation"].tolist(), roles,
                                n_words, q["compound"].tolist(), strict=True),
                            seed=seed) if n else []
        if include_narrator and len(self.sentences):
            s = self.sentences[self.sentences["voice"] == "narrator"]
            vals = [float(v) for v in s["compound"].dropna()]
            rows.append({"speaker": "narrator", "affiliation": None, "role": "outlet",
                         "n_quotes": 0, "n_words": int(sum(len(t.split()) for t in s["text"])),
                         **_tone(vals, seed=seed), "small_n": len(vals) < SMALL_N})
        cols = COLUMNS["speakers"] + ["sd_compound", "ci_low", "ci_high", "small_n"]
        out = pd.DataFrame(rows, columns=cols)
        return out.sort_values(["n_quotes", "speaker"], ascending=[False, True],
                               ignore_index=True)

    def by_actor(self, *, by_voice: bool = False) -> pd.DataFrame:
        """Actor mentions and the mean sentiment of the sentences around them.

        Columns: ``actor, n_mentions, mean_compound`` (plus ``voice`` with ``by_voice=True``:
        the narrator versus each quoted speaker).
        """
        m = self.mentions
        keys = ["actor", "voice"] if by_voice else ["actor"]
        cols = keys + ["n_mentions", "mean_compound"]
        if not len(m) or not len(self.sentences):
            return pd.DataFrame(columns=cols)
        sent = self.sentences[["doc_id", "sent_id", "compound"]]
        merged = m.merge(sent, on=["doc_id", "sent_id"], how="left")
        out = (merged.groupby(keys, sort=True)
               .agg(n_mentions=("actor", "size"), mean_compound=("compound", "mean"))
               .reset_index())
        out["mean_compound"] = out["mean_compound"].round(4)
        return out.sort_values(["n_mentions"] + keys, ascending=[False] + [True] * len(keys),
                               ignore_index=True)[cols]

    def stance(self) -> pd.DataFrame:
        """Speaker × actor stance in long form, with evidence.

        Columns: ``speaker, actor, score`` (−1…1, evidence-weighted mean over documents),
        ``label`` (against | neutral | favor), ``n_evidence``, ``evidence`` (list of dicts
        with ``doc_id``, ``sent_id``, ``text``, ``score`` and the ``cues`` that decided it).
        """
        ev = self.stance_evidence
        if not len(ev):
            return pd.DataFrame(columns=COLUMNS["stance"])
        return pd.DataFrame(stance_rows(ev.to_dict("records")), columns=COLUMNS["stance"])

    # ------------------------------------------------------------------ framing shortcuts
    def kwic(self, term: str, *, width: int = 60, **options: Any) -> pd.DataFrame:
        """Keyword-in-context rows for a framing term (see :func:`analysis.framing.kwic`)."""
        from analysis.framing import kwic

        return kwic(self, term, width=width, **options)

    def frequencies(self, *, by: str | list[str] = "term") -> pd.DataFrame:
        """Framing-term counts and rates per 1,000 words (see :func:`analysis.framing.frequencies`)."""
        from analysis.framing import frequencies

        return frequencies(self.framing, self.documents, by=by, sentences=self.sentences)

    # ------------------------------------------------------------------ export
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name, the derived views included."""
        return {"documents": self.documents, "segments": self.segments,
                "paragraphs": self.paragraphs, "sentences": self.sentences,
                "quotes": self.quotes, "mentions": self.mentions, "framing": self.framing,
                "speakers": self.by_speaker(), "actors": self.by_actor(),
                "stance": self.stance(), "candidates": self.candidates, "errors": self.errors}

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (``schema: discourse-analysis/1``) as plain Python data."""
        tables = self.tables()
        out: dict[str, Any] = {"schema": SCHEMA}
        for key in CONTRACT_KEYS:
            out[key] = _records(tables[key])
        return out

    def to_json(self, *, indent: int | None = None) -> str:
        """The JSON contract as a string (UTF-8, non-ASCII kept)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False)

    def save(self, out_dir: str | Path) -> list[Path]:
        """Write one CSV per table plus ``analysis.json`` into ``out_dir``; returns the paths."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, df in self.tables().items():
            path = out / f"{safe_name(name)}.csv"
            df.to_csv(path, index=False)
            written.append(path)
        path = out / "analysis.json"
        path.write_text(self.to_json(indent=1), encoding="utf-8")
        written.append(path)
        return written


def _clean(value: Any) -> Any:
    """JSON-safe value: NaN → None, numpy scalars → Python, nested lists/dicts cleaned."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            return _clean(value.item())
        except (ValueError, AttributeError):
            return str(value)
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    if not len(df):
        return []
    cols = list(df.columns)
    return [{c: _clean(v) for c, v in zip(cols, row, strict=True)}
            for row in df.itertuples(index=False, name=None)]

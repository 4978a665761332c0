"""Readable plain-text summaries of an :class:`~analysis.result.Analysis` (``--format table``)."""

from __future__ import annotations

import pandas as pd

from analysis.result import Analysis

__all__ = ["summary_text"]

_MAX_ROWS = 15


def _short(value: object, width: int) -> str:
    """One-line, width-limited text; missing values print as blanks, not NaN."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    flat = " ".join(str(value).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _table(title: str, df: pd.DataFrame, columns: list[str], *, max_rows: int = _MAX_ROWS,
           max_width: int = 60) -> str:
    if df is None or not len(df):
        return f"\n{title}\n  (none)\n"
    view = df[[c for c in columns if c in df.columns]].head(max_rows).copy()
    for col in view.columns:
        if not pd.api.types.is_numeric_dtype(view[col]):
            view[col] = view[col].map(lambda v: _short(v, max_width))
    body = view.to_string(index=False, float_format=lambda x: f"{x:.3f}")
    more = f"\n  … {len(df) - max_rows} more rows (use --out or --format json)" \
        if len(df) > max_rows else ""
    return f"\n{title}\n" + "\n".join("  " + line for line in body.splitlines()) + more + "\n"


def summary_text(result: Analysis) -> str:
    """Summary tables: documents, speakers, quotes, actors, stance, framing, errors."""
    parts = [f"{result!r}\n"]
    docs = result.documents.copy()
    if len(docs):
        docs["warnings"] = docs["warnings"].map(lambda w: len(w) if isinstance(w, list) else 0)
    parts.append(_table("Documents", docs, ["doc_id", "title", "encoding", "n_words",
                                              "warnings"]))
    parts.append(_table("Who is quoted (speakers)", result.by_speaker(),
                        ["speaker", "affiliation", "role", "n_quotes", "n_words",
                         "mean_compound"]))
    q = result.quotes
    parts.append(_table("Quotations", q, ["kind", "speaker", "cue", "compound", "text"],
                        max_rows=40))
    parts.append(_table("Actors", result.by_actor(), ["actor", "n_mentions", "mean_compound"]))
    st = result.stance()
    parts.append(_table("Stance (speaker toward actor)", st,
                        ["speaker", "actor", "score", "label", "n_evidence"], max_rows=30))
    fr = result.framing
    if len(fr):
        counts = (fr.groupby(["frame", "term", "voice"]).size().rename("hits").reset_index()
                  .sort_values(["hits", "term"], ascending=[False, True]))
    else:
        counts = fr
    parts.append(_table("Framing terms by voice", counts, ["frame", "term", "voice", "hits"],
                        max_rows=30))
    if len(result.errors):
        parts.append(_table("Errors", result.errors, ["source", "error"], max_width=100))
    return "".join(parts)

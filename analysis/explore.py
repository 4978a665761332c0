"""Helpers for exploring one analysis: the highlighted article and the views of the notebooks.

:func:`highlight_html` renders an article with each quotation coloured by its speaker, actor
mentions underlined and framing terms boxed. Every piece of article text, speaker name and
label goes through :func:`html.escape`, so markup inside an article (``<script>``,
``<img onerror=...>``, ``javascript:`` links) stays inert text.

:func:`choices`, :func:`item_table` and :func:`item_chart` are the three views of the
exploration notebook (pick a speaker, an actor or a framing term); :func:`md` and
:func:`md_escape` build Markdown prose from tables safely.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from analysis.result import Analysis

__all__ = [
    "highlight_html",
    "speaker_colours",
    "choices",
    "item_table",
    "item_chart",
    "item_html",
    "md_escape",
    "md",
    "resolve_path",
    "first_use",
    "inside_reported_speech",
]

Kind = Literal["speaker", "actor", "term"]
NARRATOR = "narrator"
# light tints of the colour-blind-safe hues of analysis.charts (same order)
_TINTS = ["#b3d5ec", "#f5d9a8", "#b0e0d2", "#f2c2a3", "#eed3ea", "#e8d5c2", "#c9e6f7",
          "#f7f2b8", "#fde3f4", "#dcdcdc"]
_HUES = ["#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc", "#ca9161", "#56b4e9",
         "#ece133", "#fbafe4", "#949494"]
_STYLE = """
<style>
.da-article{font-family:Georgia,'DejaVu Serif',serif;line-height:1.55;max-width:48em;
 font-size:15px;color:#222}
.da-article p{margin:0 0 .8em 0;white-space:pre-wrap}
.da-article .seg-headline{font-size:1.3em;font-weight:bold}
.da-article .seg-kicker,.da-article .seg-credit{font-size:.85em;color:#666}
.da-article .seg-standfirst{font-style:italic}
.da-article .seg-boilerplate{color:#9a9a9a;font-size:.85em}
.da-article .q{border-radius:3px;padding:0 1px}
.da-article .actor{border-bottom:2px solid #333}
.da-article .frame{outline:1.5px dashed #b5179e;outline-offset:1px;font-weight:bold}
.da-article .focus{background:#ffe14d !important}
.da-legend{font-family:'DejaVu Sans',sans-serif;font-size:13px;margin:.4em 0 1em 0}
.da-legend span{display:inline-block;margin:0 .8em .3em 0;padding:0 .3em;border-radius:3px}
</style>
"""


# --------------------------------------------------------------------------------------
# Escaping and prose


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$])")


def md_escape(value: Any) -> str:
    """Text safe inside Markdown: HTML-escaped and with Markdown punctuation backslashed.

    Use it for every value taken from an article (speaker names, quotes, terms) when building
    Markdown prose, e.g. ``Markdown(f"**{md_escape(name)}** is quoted {n} times")``.
    """
    s = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(s, quote=True))


def md(text: str) -> Any:
    """An ``IPython.display.Markdown`` object (or the string when IPython is absent)."""
    try:
        from IPython.display import Markdown
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return text
    return Markdown(text)


def resolve_path(path: str | Path, *, up: int = 3) -> Path:
    """Find a relative path from the current folder or up to ``up`` parent folders.

    Notebooks run with their own folder as the working directory; this lets a parameter like
    ``data/raw/article.txt`` work from the checkout root and from ``notebooks/``.
    Absolute paths and ``-`` are returned unchanged.
    """
    p = Path(path)
    if p.is_absolute() or str(path) == "-" or p.exists():
        return p
    here = Path.cwd()
    for parent in list(here.parents)[:up]:
        if (parent / p).exists():
            return parent / p
    return p


# --------------------------------------------------------------------------------------
# Highlighted article


def speaker_colours(speakers: Iterable[str]) -> dict[str, tuple[str, str]]:
    """``{speaker: (background tint, strong hue)}`` in the order given (by frequency first)."""
    names = [str(s) for s in speakers if s is not None and s == s]
    counts = pd.Series(names, dtype=object).value_counts(sort=False)
    order = sorted(counts.index, key=lambda n: (-int(counts[n]), n)) if len(counts) else []
    out = {}
    for i, name in enumerate(order):
        k = i if i < len(_TINTS) else len(_TINTS) - 1
        out[name] = (_TINTS[k], _HUES[k])
    return out


def _pick_doc(result: Analysis, doc_id: Any) -> tuple[Any, str]:
    docs = result.documents
    if not len(docs):
        raise ValueError("result has no documents. Fix: analyse at least one readable article.")
    if doc_id is None:
        row = docs.iloc[0]
    else:
        sel = docs[docs["doc_id"] == doc_id]
        if not len(sel):
            raise ValueError(f"doc_id={doc_id!r} is not in result.documents. Fix: use one of "
                             f"{list(docs['doc_id'])[:10]}.")
        row = sel.iloc[0]
    return row["doc_id"], str(row["text"])


def _rows(df: pd.DataFrame, doc_id: Any) -> pd.DataFrame:
    if df is None or not len(df):
        return pd.DataFrame(columns=list(getattr(df, "columns", [])))
    if "doc_id" in df.columns:
        df = df[df["doc_id"] == doc_id]
    return df


def _span_ok(start: Any, end: Any, n: int) -> bool:
    try:
        return 0 <= int(start) < int(end) <= n
    except (TypeError, ValueError):
        return False


def highlight_html(
    result: Analysis,
    *,
    doc_id: Any = None,
    focus: tuple[Kind, str] | None = None,
    legend: bool = True,
    max_chars: int | None = None,
) -> str:
    """The article as HTML: quotes coloured by speaker, actors underlined, framing boxed.

    Parameters
    ----------
    result : Analysis
        An analysis (:func:`analysis.analyze`).
    doc_id : optional
        Which document (default: the first).
    focus : (kind, item), optional
        Also highlight in yellow the spans of one speaker (``("speaker", name)``), actor
        (``("actor", name)``) or framing term (``("term", term)``).
    legend : bool
        Put a colour legend of the speakers above the text.
    max_chars : int, optional
        Render only the first ``max_chars`` characters.

    Returns
    -------
    str
        A self-contained HTML fragment (a ``<style>`` block and a ``<div>``). All article
        text, names and tooltips are escaped with :func:`html.escape`.
    """
    doc_id, text = _pick_doc(result, doc_id)
    n = len(text) if max_chars is None else min(len(text), max(0, int(max_chars)))
    quotes = _rows(result.quotes, doc_id)
    mentions = _rows(result.mentions, doc_id)
    framing = _rows(result.framing, doc_id)
    segments = _rows(getattr(result, "segments", None), doc_id)

    spoken = quotes[quotes["speaker"].notna()] if len(quotes) else quotes
    # same order as analysis.charts.voice_palette (quotes plus sentence voices), so a speaker
    # has the same hue in the article as in the charts
    voices = getattr(result, "sentences", None)
    names = list(spoken["speaker"]) if len(spoken) else []
    if voices is not None and len(voices) and "voice" in voices.columns:
        names += [v for v in voices["voice"].dropna() if v != NARRATOR]
    colours = speaker_colours(names)
    from analysis.quotes import quote_parts

    # spans: (start, end, kind, payload)
    spans: list[tuple[int, int, str, dict[str, Any]]] = []
    for q in quotes.to_dict("records") if len(quotes) else []:
        spk = q["speaker"] if isinstance(q["speaker"], str) else None
        # each part: the cue interrupting a quotation is not highlighted as quoted
        for a, b in quote_parts(q) if _span_ok(q["start"], q["end"], len(text)) else []:
            if _span_ok(a, b, len(text)):
                spans.append((a, b, "quote", {"speaker": spk, "kind": str(q["kind"])}))
    for m in mentions.itertuples(index=False) if len(mentions) else []:
        if _span_ok(m.start, m.end, len(text)):
            spans.append((int(m.start), int(m.end), "actor", {"actor": str(m.actor)}))
    for f in framing.itertuples(index=False) if len(framing) else []:
        if _span_ok(f.start, f.end, len(text)):
            spans.append((int(f.start), int(f.end), "frame",
                          {"term": str(f.term), "frame": str(f.frame)}))
    segs: list[tuple[int, int, str]] = []
    for s in segments.itertuples(index=False) if len(segments) else []:
        if _span_ok(s.start, s.end, len(text)):
            segs.append((int(s.start), int(s.end), str(s.kind)))
    if not segs:
        segs = [(0, len(text), "body")]
    segs.sort()

    cuts = {0, n}
    for a, b, _, _ in spans:
        cuts.update((min(a, n), min(b, n)))
    for a, b, _ in segs:
        cuts.update((min(a, n), min(b, n)))
    points = sorted(cuts)

    def focused(kind: str, payload: dict[str, Any]) -> bool:
        if focus is None:
            return False
        fk, item = focus
        return ((fk == "speaker" and kind == "quote" and payload.get("speaker") == item)
                or (fk == "actor" and kind == "actor" and payload.get("actor") == item)
                or (fk == "term" and kind == "frame" and payload.get("term") == item))

    out: list[str] = [_STYLE, '<div class="da-article">']
    if legend and colours:
        items = "".join(
            f'<span style="background:{bg};border-left:4px solid {hue}">{html.escape(name)}'
            f"</span>" for name, (bg, hue) in colours.items())
        out.append('<div class="da-legend"><b>Quoted speakers:</b> ' + items +
                   ' <span style="border-bottom:2px solid #333">actor</span>'
                   ' <span style="outline:1.5px dashed #b5179e">framing term</span></div>')
    seg_i = 0
    open_seg: tuple[int, int, str] | None = None
    starts_sorted = sorted(spans, key=lambda s: s[0])
    for a, b in zip(points, points[1:], strict=False):
        if a >= b:
            continue
        while seg_i < len(segs) and segs[seg_i][1] <= a:
            seg_i += 1
        seg = segs[seg_i] if seg_i < len(segs) and segs[seg_i][0] <= a else None
        if seg is not open_seg:
            if open_seg is not None:
                out.append("</p>")
            kind = seg[2] if seg else "body"
            out.append(f'<p class="seg-{html.escape(re.sub(r"[^a-z]", "", kind.lower()))}">')
            open_seg = seg
        piece = text[a:b]
        if seg is not None:
            piece = piece.strip("\r\n") if (a == seg[0] or b == seg[1]) else piece
        active = [s for s in starts_sorted if s[0] <= a and s[1] >= b]
        if seg is None and not piece.strip():
            continue
        chunk = html.escape(piece, quote=True)
        for kind, payload in sorted(((s[2], s[3]) for s in active),
                                    key=lambda kp: {"quote": 0, "actor": 1, "frame": 2}[kp[0]],
                                    reverse=True):
            classes = {"quote": "q", "actor": "actor", "frame": "frame"}[kind]
            if focused(kind, payload):
                classes += " focus"
            if kind == "quote":
                spk = payload["speaker"]
                bg = colours.get(spk, ("#eeeeee", "#999999"))[0] if spk else "#eeeeee"
                tip = f"{payload['kind']} quote" + (f" by {spk}" if spk else "")
                style = f' style="background:{bg}"'
            elif kind == "actor":
                tip, style = f"actor: {payload['actor']}", ""
            else:
                tip, style = f"framing term: {payload['term']} ({payload['frame']})", ""
            chunk = (f'<span class="{classes}" title="{html.escape(tip, quote=True)}"{style}>'
                     f"{chunk}</span>")
        out.append(chunk)
    if open_seg is not None or len(out) > 2:
        out.append("</p>")
    if n < len(text):
        out.append(f"<p><i>… {len(text) - n:,} more characters</i></p>")
    out.append("</div>")
    return "".join(out)


# --------------------------------------------------------------------------------------
# Views for the exploration notebook


def choices(result: Analysis, *, min_count: int = 1) -> dict[str, list[str]]:
    """What can be explored: ``{"speaker": [...], "actor": [...], "term": [...]}``.

    Each list is ordered by frequency (most frequent first), ties alphabetically.
    """

    def ordered(values: pd.Series) -> list[str]:
        vc = values.dropna().astype(str).value_counts()
        vc = vc[vc >= min_count]
        return sorted(vc.index, key=lambda v: (-int(vc[v]), v))

    q = result.quotes
    q = q[q["kind"] != "scare"] if len(q) else q
    return {
        "speaker": ordered(q["speaker"]) if len(q) else [],
        "actor": ordered(result.mentions["actor"]) if len(result.mentions) else [],
        "term": ordered(result.framing["term"]) if len(result.framing) else [],
    }


def _check_kind(kind: str) -> None:
    if kind not in ("speaker", "actor", "term"):
        raise ValueError(f"kind={kind!r}. Fix: use 'speaker', 'actor' or 'term'.")


def _context(text: str, start: int, end: int, width: int) -> tuple[str, str]:
    left = " ".join(text[max(0, start - 2 * width):start].split())[-width:]
    right = " ".join(text[end:end + 2 * width].split())[:width]
    return left, right


def item_table(result: Analysis, kind: Kind, item: str, *, width: int = 60) -> pd.DataFrame:
    """Keyword-in-context rows for one speaker (their quotes), actor or framing term.

    Returns
    -------
    DataFrame
        ``left, match, right, doc_id, voice, sent_id, start, end`` and, for speakers,
        ``kind`` and ``compound``; one row per occurrence in text order.
    """
    _check_kind(kind)
    texts = dict(zip(result.documents["doc_id"], result.documents["text"], strict=True))
    if kind == "term":
        from analysis.framing import kwic

        return kwic(result, item, width=width)
    if kind == "speaker":
        rows = result.quotes[result.quotes["speaker"] == item]
    else:
        rows = result.mentions[result.mentions["actor"] == item]
    out = []
    for r in rows.sort_values(["doc_id", "start"]).itertuples(index=False):
        text = str(texts.get(r.doc_id, ""))
        left, right = _context(text, int(r.start), int(r.end), width)
        rec = {"left": left, "match": " ".join(text[int(r.start):int(r.end)].split()),
               "right": right, "doc_id": r.doc_id,
               "voice": item if kind == "speaker" else r.voice,
               "sent_id": r.sent_id, "start": int(r.start), "end": int(r.end)}
        if kind == "speaker":
            rec.update(kind=r.kind, compound=r.compound)
        out.append(rec)
    cols = ["left", "match", "right", "doc_id", "voice", "sent_id", "start", "end"]
    if kind == "speaker":
        cols += ["kind", "compound"]
    return pd.DataFrame(out, columns=cols)


def item_html(result: Analysis, kind: Kind, item: str, *, width: int = 60) -> str:
    """The KWIC table of :func:`item_table` as escaped HTML (match in ``<mark>``)."""
    from analysis.framing import kwic_html

    table = item_table(result, kind, item, width=width)
    caption = f"{kind}: {item} — {len(table)} occurrence(s)"
    return kwic_html(table, caption=caption)


def item_chart(result: Analysis, kind: Kind, item: str, *,
               palette: Mapping[str, str] | None = None, ax: Axes | None = None) -> Axes:
    """The chart that goes with one item.

    - speaker: sentiment of each of their quotes in text order;
    - actor: every speaker's stance toward the actor (from :meth:`Analysis.stance`);
    - term: where the term occurs (dispersion barcode).
    """
    from analysis import charts

    _check_kind(kind)
    charts.set_theme()
    if kind == "term":
        fr = result.framing[result.framing["term"] == item]
        return charts.dispersion_barcode(fr, result.documents, ax=ax)
    plt = charts._pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.6), layout="constrained")
    if kind == "speaker":
        q = result.quotes[result.quotes["speaker"] == item].sort_values(["doc_id", "start"])
        colour = (palette or charts.voice_palette(result)).get(item, charts.OTHER_COLOUR)
        if not len(q):
            return charts._empty(ax, f"Quotes by {item}", "No quotes")
        xs = list(range(1, len(q) + 1))
        ax.axhline(0, color="#888888", lw=1)
        ax.bar(xs, q["compound"].fillna(0), color=colour, width=0.6)
        ax.set_xticks(xs, [f"{i}\n{k}" for i, k in zip(xs, q["kind"], strict=True)])
        ax.set_ylim(-1.05, 1.05)
        ax.set_xlabel("quote (in text order) and its kind")
        ax.set_ylabel("sentiment (VADER compound)")
        ax.set_title(f"Tone of each quote by {charts._short(item, 40)}")
        return ax
    st = result.stance()
    st = st[st["actor"] == item].sort_values("score")
    if not len(st):
        return charts._empty(ax, f"Stance toward {item}", "No stance evidence")
    colours = ["#b2182b" if lab == "against" else "#2166ac" if lab == "favor" else "#999999"
               for lab in st["label"]]
    ys = list(range(len(st)))
    ax.barh(ys, st["score"], color=colours)
    ax.set_yticks(ys, [f"{charts._short(s, 30)} (n={k})" for s, k in
                       zip(st["speaker"], st["n_evidence"], strict=True)])
    ax.axvline(0, color="#888888", lw=1)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("stance score (−1 against … +1 favourable)")
    ax.set_title(f"Who is for or against {charts._short(item, 40)}")
    ax.figure.set_size_inches(9, 1.6 + 0.4 * len(st))
    return ax


def first_use(result: Analysis, term: str) -> pd.DataFrame:
    """Uses of a framing term in text order with their voice (for "who said it first").

    Returns
    -------
    DataFrame
        ``order, doc_id, sent_id, voice, text, start, end`` (``order`` from 1).
    """
    fr = result.framing
    if not len(fr):
        return pd.DataFrame(columns=["order", "doc_id", "sent_id", "voice", "text", "start",
                                     "end"])
    sel = fr[fr["term"].str.casefold() == str(term).casefold()]
    sel = sel.sort_values(["doc_id", "start"], ignore_index=True)
    out = sel[["doc_id", "sent_id", "voice", "text", "start", "end"]].copy()
    out.insert(0, "order", range(1, len(out) + 1))
    return out


def inside_reported_speech(result: Analysis, uses: pd.DataFrame) -> pd.DataFrame:
    """The narrator-voice rows of ``uses`` that lie inside an indirect (reported) quotation.

    Parameters
    ----------
    result : Analysis
    uses : DataFrame
        Spans with ``doc_id``, ``start``, ``end`` (optional) and ``voice`` — e.g.
        :func:`first_use` or ``result.framing``.

    Returns
    -------
    DataFrame
        Those rows plus the ``speaker`` the reported speech is attributed to.
    """
    q = result.quotes
    cols = [*uses.columns, "speaker"]
    if not len(q) or not len(uses):
        return pd.DataFrame(columns=cols)
    q = q[(q["kind"] == "indirect") & q["speaker"].notna()]
    rows = []
    for r in uses[uses["voice"] == NARRATOR].to_dict("records"):
        end = r.get("end", r["start"] + 1)
        hit = q[(q["doc_id"] == r["doc_id"]) & (q["start"] <= r["start"]) & (q["end"] >= end)]
        if len(hit):
            rows.append({**r, "speaker": hit["speaker"].iloc[0]})
    return pd.DataFrame(rows, columns=cols)

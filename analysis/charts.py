"""Seaborn charts of an analysis: who speaks, in what tone, about whom, with which words.

Every function takes tidy DataFrames (the tables of :class:`analysis.result.Analysis`) plus
column names, seaborn-style, and returns the matplotlib ``Axes`` it drew on. Seaborn and
matplotlib are imported inside the functions, so ``import analysis`` stays light; without a
display the non-interactive ``Agg`` backend is used.

One theme (:func:`set_theme`) with the colour-blind-safe palette is applied by every chart;
:func:`voice_palette` gives the narrator and each quoted speaker the same colour in every
chart; :func:`save_figure` writes byte-for-byte reproducible PNG and SVG files.

Examples
--------
>>> import analysis, analysis.charts as charts
>>> result = analysis.analyze("data/raw/iran-offers-iraq-everything-it-needs.txt")
>>> ax = charts.speaker_sentiment(result.by_speaker())
>>> charts.save_figure(ax, "speaker-sentiment", figures_dir="figures")
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.result import safe_name

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "NARRATOR_COLOUR",
    "set_theme",
    "voice_palette",
    "speaker_sentiment",
    "stance_heatmap",
    "mentions_by_voice",
    "framing_by_voice",
    "dispersion_barcode",
    "sentiment_arc",
    "save_figure",
]

NARRATOR = "narrator"
NARRATOR_COLOUR = "#4d4d4d"  # dark grey: the outlet's own voice
OTHER = "other speakers"
OTHER_COLOUR = "#bdbdbd"
# Okabe-Ito / seaborn "colorblind" hues, in a fixed order (no grey: grey is the narrator)
_HUES = ["#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc", "#ca9161", "#56b4e9",
         "#ece133", "#fbafe4", "#949494"]
_FIXED_DATE = "2000-01-01T00:00:00"
_SVG_SALT = "discourse-analysis"


# --------------------------------------------------------------------------------------
# Theme and palette


def _pyplot() -> Any:
    """Import pyplot, choosing the non-interactive Agg backend when there is no display."""
    import matplotlib

    headless = (sys.platform.startswith("linux") and not os.environ.get("DISPLAY")
                and not os.environ.get("WAYLAND_DISPLAY"))
    if headless and "matplotlib.pyplot" not in sys.modules and \
            not os.environ.get("MPLBACKEND") and "ipykernel" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def set_theme(*, font_scale: float = 1.1) -> None:
    """Apply the toolkit's chart theme: white grid, colour-blind palette, readable fonts.

    Parameters
    ----------
    font_scale : float
        Multiplier of seaborn's ``notebook`` font sizes (1.1 reads well at report width).
    """
    import seaborn as sns

    _pyplot()
    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind",
                  font="DejaVu Sans", font_scale=font_scale,
                  rc={"figure.dpi": 100, "savefig.dpi": 120, "axes.titleweight": "bold",
                      "axes.titlelocation": "left", "axes.titlesize": "large",
                      "svg.hashsalt": _SVG_SALT, "svg.fonttype": "path",
                      "figure.autolayout": False, "legend.frameon": False})


def _speakers_in(source: Any) -> list[str]:
    if isinstance(source, pd.DataFrame):
        col = "speaker" if "speaker" in source.columns else "voice"
        return [str(v) for v in source[col].dropna()]
    if hasattr(source, "quotes") and hasattr(source, "sentences"):
        names = [str(v) for v in source.quotes.get("speaker", pd.Series(dtype=object)).dropna()]
        names += [str(v) for v in source.sentences.get("voice", pd.Series(dtype=object)).dropna()]
        return names
    return [str(v) for v in source if v is not None and v == v]


def voice_palette(source: Any) -> dict[str, str]:
    """One colour per voice: the narrator dark grey, speakers by descending frequency.

    Parameters
    ----------
    source : Analysis, DataFrame or iterable of str
        An :class:`~analysis.result.Analysis` (quotes and sentence voices), a table with a
        ``speaker`` or ``voice`` column, or the names themselves.

    Returns
    -------
    dict
        ``{voice: hex colour}``. Pass it as ``palette=`` to every chart so a speaker keeps
        one colour across charts. Speakers beyond the tenth share a light grey.
    """
    names = [n for n in _speakers_in(source) if n != NARRATOR]
    counts = pd.Series(names, dtype=object).value_counts(sort=False) if names else pd.Series(
        dtype=int)
    order = sorted(counts.index, key=lambda n: (-int(counts[n]), n))
    pal = {NARRATOR: NARRATOR_COLOUR}
    for i, name in enumerate(order):
        pal[name] = _HUES[i] if i < len(_HUES) else OTHER_COLOUR
    pal[OTHER] = OTHER_COLOUR
    return pal


def _check_columns(df: pd.DataFrame, param: str, cols: Iterable[str]) -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{param} must be a pandas DataFrame, got {type(df).__name__}.")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{param} has no column(s) {missing} (columns: {list(df.columns)}). "
                         "Fix: pass the matching Analysis table or name the columns with the "
                         "keyword options.")


def _new_ax(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    plt = _pyplot()
    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _empty(ax: Axes, title: str, message: str) -> Axes:
    ax.set_title(title)
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes,
            color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    return ax


def _short(label: Any, width: int = 32) -> str:
    s = " ".join(str(label).split())
    return s if len(s) <= width else s[: width - 1] + "…"


def _limit_voices(values: pd.Series, *, max_voices: int) -> pd.Series:
    """Keep the narrator and the ``max_voices`` most frequent speakers; lump the rest."""
    counts = values[values != NARRATOR].value_counts()
    keep = set(sorted(counts.index, key=lambda n: (-int(counts[n]), n))[:max_voices])
    return values.where(values.eq(NARRATOR) | values.isin(keep), OTHER)


# --------------------------------------------------------------------------------------
# Charts


def _speaker_label(name: str, count: object) -> str:
    """Axis label: the speaker and its number of quotes (the narrator has sentences, not
    quotes, so it is labelled as the outlet's own voice instead of "n=0")."""
    if name == "narrator":
        return "narrator (outlet's own voice)"
    return _short(name) + (f"  (n={int(count)})" if count is not None and pd.notna(count)
                           else "")


def speaker_sentiment(
    speakers: pd.DataFrame,
    *,
    speaker: str = "speaker",
    value: str = "mean_compound",
    low: str = "ci_low",
    high: str = "ci_high",
    n: str = "n_quotes",
    small_n: str = "small_n",
    palette: Mapping[str, str] | None = None,
    max_speakers: int = 15,
    ax: Axes | None = None,
) -> Axes:
    """Each speaker's mean quote sentiment with its bootstrap 95 % interval.

    Parameters
    ----------
    speakers : DataFrame
        :meth:`Analysis.by_speaker` (one row per speaker).
    speaker, value, low, high, n, small_n : str
        Column names: label, mean, interval bounds, number of quotes and the small-sample
        flag. Speakers flagged ``small_n`` are drawn as hollow markers.
    palette : dict, optional
        ``{speaker: colour}`` (see :func:`voice_palette`).
    max_speakers : int
        Show the speakers with the most quotes, at most this many.
    ax : Axes, optional
        Draw into it; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
    """
    _check_columns(speakers, "speakers", [speaker, value])
    set_theme()
    d = speakers.dropna(subset=[value]).copy()
    if n in d.columns:
        d = d.sort_values([n, speaker], ascending=[False, True]).head(max_speakers)
    else:
        d = d.head(max_speakers)
    title = "How positive or negative each speaker sounds"
    ax = _new_ax(ax, (9, 1.6 + 0.45 * max(2, len(d))))
    if not len(d):
        return _empty(ax, title, "No quoted speakers with a sentiment score")
    d = d.sort_values(value, ascending=False, ignore_index=True)
    palette = dict(palette or voice_palette(d[speaker]))
    d["_label"] = [_speaker_label(s, k)
                   for s, k in zip(d[speaker], d[n] if n in d.columns else [None] * len(d),
                                   strict=True)]
    ys = list(range(len(d)))
    fragile = d[small_n].fillna(False).astype(bool) if small_n in d.columns else \
        pd.Series(False, index=d.index)
    ax.axvspan(-0.05, 0.05, color="#eeeeee", zorder=0, label="neutral band (±0.05)")
    ax.axvline(0, color="#888888", lw=1, zorder=1)
    for y, row, weak in zip(ys, d.itertuples(index=False), fragile, strict=True):
        rec = row._asdict()
        colour = palette.get(str(rec[speaker]), OTHER_COLOUR)
        lo = rec.get(low) if low in d.columns else None
        hi = rec.get(high) if high in d.columns else None
        if lo is not None and hi is not None and pd.notna(lo) and pd.notna(hi):
            ax.plot([lo, hi], [y, y], color=colour, lw=2.5, alpha=0.8, zorder=2,
                    solid_capstyle="round")
        ax.scatter([rec[value]], [y], s=90, zorder=3, edgecolor=colour, linewidth=2,
                   facecolor="white" if weak else colour)
    ax.set_yticks(ys, d["_label"])
    ax.invert_yaxis()
    lo_all = min([-0.5, *d[value]] + ([*d[low].dropna()] if low in d.columns else []))
    hi_all = max([0.5, *d[value]] + ([*d[high].dropna()] if high in d.columns else []))
    ax.set_xlim(max(-1.05, lo_all - 0.1), min(1.05, hi_all + 0.1))
    ax.set_xlabel("mean sentiment of their quotes  (−1 very negative … +1 very positive)")
    ax.set_ylabel("")
    ax.set_title(title)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", ls="", color="#444444", markersize=8,
                      label="3 or more quotes"),
               Line2D([], [], marker="o", ls="", markerfacecolor="white",
                      markeredgecolor="#444444", markeredgewidth=2, markersize=8,
                      label="fewer than 3 quotes (fragile)"),
               Line2D([], [], color="#444444", lw=2.5, label="95 % bootstrap interval")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.14 - 0.3 / len(d)),
              ncol=3, fontsize="small")
    return ax


def stance_heatmap(
    stance: pd.DataFrame,
    *,
    speaker: str = "speaker",
    actor: str = "actor",
    value: str = "score",
    count: str = "n_evidence",
    actors: Sequence[str] | None = None,
    speakers: Sequence[str] | None = None,
    max_speakers: int = 12,
    ax: Axes | None = None,
) -> Axes:
    """Speaker × actor stance: blue favourable, red hostile, white neutral.

    Parameters
    ----------
    stance : DataFrame
        :meth:`Analysis.stance` in long form (one row per speaker and actor).
    speaker, actor, value, count : str
        Column names; each cell shows the score and the number of evidence sentences.
    actors, speakers : sequence of str, optional
        Rows/columns to show, in this order (default: by amount of evidence).
    max_speakers : int
        With ``speakers`` unset, the speakers with the most evidence, at most this many.
    ax : Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    _check_columns(stance, "stance", [speaker, actor, value])
    import seaborn as sns

    set_theme()
    d = stance.dropna(subset=[value]).copy()
    if count not in d.columns:
        d[count] = 1
    if actors is not None:
        d = d[d[actor].isin(list(actors))]
    if speakers is not None:
        d = d[d[speaker].isin(list(speakers))]
    title = "Stance of each speaker toward each actor"
    if speakers is None and len(d):
        weight = d.groupby(speaker)[count].sum()
        speakers = sorted(weight.index, key=lambda s: (s != NARRATOR, -float(weight[s]), s))
        speakers = speakers[:max_speakers]
        d = d[d[speaker].isin(speakers)]
    if actors is None and len(d):
        weight = d.groupby(actor)[count].sum()
        actors = sorted(weight.index, key=lambda a: (-float(weight[a]), a))
    label_width = 0.085 * max([10] + [len(_short(s, 28)) for s in (speakers or [])])
    ax = _new_ax(ax, (3.2 + label_width + 1.25 * max(3, len(actors or [])),
                      2.0 + 0.6 * max(3, len(speakers or []))))
    if not len(d):
        return _empty(ax, title, "No stance evidence")
    scores = d.pivot_table(index=speaker, columns=actor, values=value, aggfunc="mean")
    counts = d.pivot_table(index=speaker, columns=actor, values=count, aggfunc="sum")
    scores = scores.reindex(index=list(speakers), columns=list(actors))
    counts = counts.reindex(index=list(speakers), columns=list(actors))
    annot = scores.copy().astype(object)
    for r in scores.index:
        for c in scores.columns:
            s, k = scores.loc[r, c], counts.loc[r, c]
            annot.loc[r, c] = "" if pd.isna(s) else f"{s:+.2f}\nn={int(k)}"
    scores.index = [_short(s, 28) for s in scores.index]
    sns.heatmap(scores, ax=ax, cmap="vlag_r", center=0, vmin=-1, vmax=1, annot=annot.values,
                fmt="", annot_kws={"fontsize": 9}, linewidths=1, linecolor="white",
                cbar_kws={"label": "stance score (−1 against … +1 favourable)",
                          "shrink": 0.8})
    ax.set_facecolor("#f4f4f4")
    ax.grid(False)
    ax.set_xlabel("actor talked about")
    ax.set_ylabel("speaker")
    ax.set_title(title + "\n(score, and n = sentences of evidence; blank = none)",
                 fontsize="medium")
    ax.tick_params(axis="x", rotation=30)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
    ax.tick_params(axis="y", rotation=0)
    return ax


def _counts_by_voice(df: pd.DataFrame, item: str, voice: str, *, top: int,
                     max_voices: int) -> tuple[pd.DataFrame, list[str], list[str]]:
    d = df[[item, voice]].dropna(subset=[item]).copy()
    d[voice] = _limit_voices(d[voice].fillna(NARRATOR).astype(str), max_voices=max_voices)
    totals = d[item].value_counts()
    items = sorted(totals.index, key=lambda t: (-int(totals[t]), str(t)))[:top]
    d = d[d[item].isin(items)]
    counts = d.groupby([item, voice]).size().rename("count").reset_index()
    vc = d[voice].value_counts()
    voices = sorted(vc.index, key=lambda v: (v != NARRATOR, v == OTHER, -int(vc[v]), v))
    return counts, items, voices


def _stacked_bars(counts: pd.DataFrame, item: str, voice: str, items: list[str],
                  voices: list[str], palette: Mapping[str, str], ax: Axes) -> None:
    wide = counts.pivot_table(index=item, columns=voice, values="count", aggfunc="sum",
                              fill_value=0).reindex(index=items, columns=voices, fill_value=0)
    left = pd.Series(0.0, index=wide.index)
    ys = list(range(len(items)))
    for v in voices:
        ax.barh(ys, wide[v].values, left=left.values, color=palette.get(v, OTHER_COLOUR),
                label=_short(v, 30), edgecolor="white", linewidth=0.8, height=0.7)
        left += wide[v]
    for y, total in zip(ys, left, strict=True):
        ax.text(total + 0.15, y, f"{int(total)}", va="center", fontsize="small",
                color="#333333")
    ax.set_yticks(ys, [_short(i, 30) for i in items])
    ax.invert_yaxis()
    ax.set_xlim(0, float(left.max()) * 1.12 + 0.5)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", visible=False)
    ax.legend(title="voice", loc="lower right", fontsize="small", title_fontsize="small",
              frameon=True, framealpha=0.9)


def mentions_by_voice(
    mentions: pd.DataFrame,
    *,
    actor: str = "actor",
    voice: str = "voice",
    top: int = 10,
    max_voices: int = 6,
    palette: Mapping[str, str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """How often each actor is mentioned, split by who mentions it.

    Parameters
    ----------
    mentions : DataFrame
        ``Analysis.mentions`` (one row per mention).
    actor, voice : str
        Column names.
    top : int
        The most-mentioned actors to show.
    max_voices : int
        The narrator plus this many speakers; the rest are grouped as "other speakers".
    palette : dict, optional
        ``{voice: colour}`` (see :func:`voice_palette`).
    ax : Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    return _bars_by_voice(
        mentions, "mentions", actor, voice, top=top, max_voices=max_voices, palette=palette,
        ax=ax, title="Who mentions each actor: the outlet's own voice vs. quoted speakers",
        empty="No actor mentions", xlabel="number of mentions")


def framing_by_voice(
    framing: pd.DataFrame,
    *,
    term: str = "term",
    voice: str = "voice",
    top: int = 15,
    max_voices: int = 6,
    palette: Mapping[str, str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Framing vocabulary: how often each term occurs and in whose words.

    Parameters
    ----------
    framing : DataFrame
        ``Analysis.framing`` (one row per hit).
    term, voice : str
        Column names (``term="frame"`` counts frames instead of terms).
    top : int
        The most frequent terms to show.
    max_voices : int
        The narrator plus this many speakers; the rest are grouped as "other speakers".
    palette : dict, optional
        ``{voice: colour}`` (see :func:`voice_palette`).
    ax : Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    return _bars_by_voice(
        framing, "framing", term, voice, top=top, max_voices=max_voices, palette=palette,
        ax=ax, title="Framing words: used in the outlet's voice or in quotes?",
        empty="No framing terms found", xlabel="number of occurrences")


def _bars_by_voice(data: pd.DataFrame, name: str, item: str, voice: str, *, top: int,
                   max_voices: int, palette: Mapping[str, str] | None, ax: Axes | None,
                   title: str, empty: str, xlabel: str) -> Axes:
    """Horizontal bars of counts per item, stacked by voice (shared by the two charts above)."""
    _check_columns(data, name, [item, voice])
    set_theme()
    counts, items, voices = _counts_by_voice(data, item, voice, top=top, max_voices=max_voices)
    ax = _new_ax(ax, (9, 1.8 + 0.45 * max(3, len(items))))
    if not len(counts):
        return _empty(ax, title, empty)
    palette = dict(palette or voice_palette(data[voice]))
    _stacked_bars(counts, item, voice, items, voices, palette, ax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    ax.set_title(title)
    return ax


def dispersion_barcode(
    framing: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    terms: Sequence[str] | None = None,
    top: int = 12,
    ax: Axes | None = None,
) -> Axes:
    """Where in the article each framing term occurs (a barcode: one tick per use).

    Built on :func:`analysis.framing.dispersion` and :func:`analysis.framing.plot_dispersion`;
    the narrator's uses and quoted speakers' uses are coloured differently.

    Parameters
    ----------
    framing : DataFrame
        ``Analysis.framing``.
    documents : DataFrame
        ``Analysis.documents`` (for each document's length).
    terms : sequence of str, optional
        Terms to show (default: the ``top`` most frequent).
    top : int
        How many terms with ``terms`` unset.
    ax : Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    from analysis.framing import dispersion, plot_dispersion

    _check_columns(framing, "framing", ["term", "start"])
    set_theme()
    title = "Where each framing word appears in the text"
    d = framing
    if terms is not None:
        d = d[d["term"].isin(list(terms))]
    elif len(d):
        totals = d["term"].value_counts()
        keep = sorted(totals.index, key=lambda t: (-int(totals[t]), str(t)))[:top]
        d = d[d["term"].isin(keep)]
    n_terms = d["term"].nunique() if len(d) else 0
    ax = _new_ax(ax, (9, 1.9 + 0.4 * max(3, n_terms)))
    if not len(d):
        return _empty(ax, title, "No framing terms found")
    disp = dispersion(d, documents)
    first = disp.groupby("term")["relative_position"].min()
    disp["_first"] = disp["term"].map(first)
    disp = disp.sort_values(["_first", "term", "relative_position"], ignore_index=True)
    plot_dispersion(disp.drop(columns="_first"), ax=ax)
    ax.set_xlabel("position in the article  (0 = headline … 1 = last line)")
    ax.set_title(title)
    ax.legend(title="", loc="upper center", bbox_to_anchor=(0.5, -0.1 - 0.5 / max(n_terms, 3)),
              ncol=2, fontsize="small")
    ax.grid(axis="y", visible=True, color="#eeeeee")
    return ax


def sentiment_arc(
    sentences: pd.DataFrame,
    *,
    x: str = "sent_id",
    y: str = "compound",
    voice: str = "voice",
    doc_id: Any = None,
    max_voices: int = 6,
    window: int = 5,
    palette: Mapping[str, str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Sentence-by-sentence sentiment through the article; quoted sentences coloured by voice.

    Parameters
    ----------
    sentences : DataFrame
        ``Analysis.sentences``.
    x, y, voice : str
        Column names: sentence order, sentiment score and voice.
    doc_id : optional
        Which document (default: the first one).
    max_voices : int
        The narrator plus this many speakers get their own colour.
    window : int
        Sentences in the rolling mean drawn as a line (0 or 1: none).
    palette : dict, optional
        ``{voice: colour}`` (see :func:`voice_palette`).
    ax : Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    _check_columns(sentences, "sentences", [x, y, voice])
    set_theme()
    d = sentences
    if "doc_id" in d.columns and len(d):
        if doc_id is None:
            doc_id = d["doc_id"].iloc[0]
        d = d[d["doc_id"] == doc_id]
    d = d.dropna(subset=[y]).sort_values(x, ignore_index=True).copy()
    title = "Sentiment sentence by sentence"
    ax = _new_ax(ax, (10, 4.6))
    if not len(d):
        return _empty(ax, title, "No scored sentences")
    palette = dict(palette or voice_palette(d[voice]))
    d["_voice"] = _limit_voices(d[voice].fillna(NARRATOR).astype(str), max_voices=max_voices)
    ax.axhline(0, color="#888888", lw=1)
    ax.plot(d[x], d[y], color="#cccccc", lw=1, zorder=1)
    if window and window > 1 and len(d) >= window:
        roll = d[y].rolling(window, center=True, min_periods=1).mean()
        ax.plot(d[x], roll, color="#222222", lw=2, zorder=2,
                label=f"running mean ({window} sentences)")
    vc = d["_voice"].value_counts()
    voices = sorted(vc.index, key=lambda v: (v != NARRATOR, v == OTHER, -int(vc[v]), v))
    for v in voices:
        sub = d[d["_voice"] == v]
        is_narr = v == NARRATOR
        ax.scatter(sub[x], sub[y], s=28 if is_narr else 60, zorder=3 if is_narr else 4,
                   color=palette.get(v, OTHER_COLOUR), edgecolor="white", linewidth=0.6,
                   marker="o" if is_narr else "D",
                   label=("narrator (the outlet)" if is_narr else _short(v, 30)))
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlabel("sentence number (order in the article)")
    ax.set_ylabel("sentiment (VADER compound)")
    ax.set_title(title + ": quoted sentences coloured by speaker")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    return ax


# --------------------------------------------------------------------------------------
# Saving


def save_figure(
    fig_or_ax: Figure | Axes,
    name: str,
    *,
    figures_dir: str | Path = "figures",
    formats: Sequence[str] = ("png", "svg"),
    close: bool = False,
) -> list[Path]:
    """Write a chart as PNG and SVG with deterministic names and byte-identical content.

    Parameters
    ----------
    fig_or_ax : Figure or Axes
        The chart (an ``Axes`` saves its whole figure).
    name : str
        File stem; sanitised (letters, digits, ``.-_`` only), so it cannot leave
        ``figures_dir``.
    figures_dir : str or Path
        Output folder (created when missing).
    formats : sequence of {"png", "svg"}
        Formats to write.
    close : bool
        Close the figure afterwards (frees memory in long loops).

    Returns
    -------
    list of Path
        The files written, in ``formats`` order.
    """
    import matplotlib

    fig = fig_or_ax.get_figure() if hasattr(fig_or_ax, "get_figure") and not hasattr(
        fig_or_ax, "savefig") else fig_or_ax
    if fig is None or not hasattr(fig, "savefig"):
        raise TypeError(f"fig_or_ax must be a matplotlib Figure or Axes, got "
                        f"{type(fig_or_ax).__name__}.")
    bad = [f for f in formats if f not in ("png", "svg")]
    if bad:
        raise ValueError(f"formats={list(formats)!r}: unsupported {bad}. Fix: use 'png' "
                         "and/or 'svg'.")
    out = Path(figures_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = safe_name(name, default="figure")
    metadata = {
        "svg": {"Date": None, "Creator": None},
        "png": {"Software": None},
    }
    written = []
    with matplotlib.rc_context({"svg.hashsalt": _SVG_SALT, "svg.fonttype": "path"}):
        for fmt in formats:
            path = out / f"{stem}.{fmt}"
            fig.savefig(path, format=fmt, metadata=metadata[fmt], bbox_inches="tight",
                        dpi=120, facecolor="white")
            written.append(path)
    if close:
        _pyplot().close(fig)
    return written

"""The whole pipeline: documents in, an :class:`Analysis` of tidy tables out.

:func:`analyze_document` is the per-document function (pure: a :class:`Document` and
:class:`Settings` in, plain records out); every engine — one process, a process pool, Dask —
runs exactly this function, so their results are identical. :func:`analyze` and
:func:`analyze_corpus` collect the records into one :class:`Analysis`.
"""

from __future__ import annotations

import bisect
import gc
import os
import traceback
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from analysis.clean import ANALYSED_KINDS, load_patterns, mark_segments
from analysis.load import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_SUFFIXES,
    Document,
    LoadError,
    LoadFailure,
    iter_documents,
)
from analysis.result import Analysis
from analysis.segment import count_words, sentence_splitter, split_paragraphs, split_sentences

__all__ = ["Settings", "analyze", "analyze_document", "analyze_corpus", "iter_results"]

Engine = Literal["local", "dask"]


@dataclass(frozen=True)
class Settings:
    """Everything that changes a result: lexicon choices and user data files.

    Hashable, so compiled resources are cached per process per settings. All file options
    are tuples of paths to *extra* YAML files, added to the packaged defaults.

    Parameters
    ----------
    lexicon : {"news", "vader"}
        Sentiment lexicon: ``"vader"`` is plain VADER; ``"news"`` adds the news extension
        and calibration.
    actor_files, frame_files, cue_files, stance_files, boilerplate_files, abbreviation_files,
    sentiment_files, role_files : tuple of str
        Users' own data files, extending the packaged ones.
    max_bytes : int
        Largest document analysed.
    text_column, id_column, title_column : str
        Field names in CSV/JSONL corpora.
    """

    lexicon: Literal["news", "vader"] = "news"
    actor_files: tuple[str, ...] = ()
    frame_files: tuple[str, ...] = ()
    cue_files: tuple[str, ...] = ()
    stance_files: tuple[str, ...] = ()
    boilerplate_files: tuple[str, ...] = ()
    abbreviation_files: tuple[str, ...] = ()
    sentiment_files: tuple[str, ...] = ()
    role_files: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    text_column: str = "text"
    id_column: str | None = "id"
    title_column: str = "title"

    def __post_init__(self) -> None:
        if self.lexicon not in ("news", "vader"):
            raise ValueError(f"lexicon={self.lexicon!r}: choose 'news' or 'vader'.")
        for name in ("actor_files", "frame_files", "cue_files", "stance_files",
                     "boilerplate_files", "abbreviation_files", "sentiment_files", "role_files"):
            value = getattr(self, name)
            if isinstance(value, (str, Path)):
                value = (value,)
            object.__setattr__(self, name, tuple(str(v) for v in value))

    def load_options(self) -> dict[str, Any]:
        return dict(text_column=self.text_column, id_column=self.id_column,
                    title_column=self.title_column, max_bytes=self.max_bytes)


@dataclass
class _Resources:
    """Compiled lexicons and matchers: built once per process per :class:`Settings`."""

    patterns: Any
    cues: Any
    gazetteer: Any
    frames: Any
    scorer: Any
    stance_cues: Any
    roles: Any


@lru_cache(maxsize=4)
def _resources(settings: Settings) -> _Resources:
    from analysis.actors import load_gazetteer
    from analysis.framing import load_frames
    from analysis.quotes import load_cues
    from analysis.sentiment import get_scorer
    from analysis.speakers import load_roles
    from analysis.stance import load_stance_cues

    sentence_splitter(settings.abbreviation_files)  # compile and validate now
    return _Resources(
        patterns=load_patterns(settings.boilerplate_files),
        cues=load_cues(settings.cue_files),
        gazetteer=load_gazetteer(settings.actor_files),
        frames=load_frames(settings.frame_files),
        scorer=get_scorer(settings.lexicon, settings.sentiment_files),
        stance_cues=load_stance_cues(settings.stance_files),
        roles=load_roles(settings.role_files),
    )


def prepare(settings: Settings) -> None:
    """Compile every lexicon now, so data-file errors surface before any document is read."""
    _resources(settings)


def _title_from(text: str, segments: list[dict]) -> str | None:
    for seg in segments:
        if seg["kind"] == "headline":
            return " ".join(text[seg["start"]:seg["end"]].split()) or None
    return None


def analyze_document(doc: Document, settings: Settings | None = None) -> dict[str, Any]:
    """Analyse one document: records for every table of the JSON contract.

    Returns
    -------
    dict
        Keys ``document``, ``segments``, ``paragraphs``, ``sentences``, ``quotes``,
        ``mentions``, ``framing``, ``stance_evidence``, ``candidates``: lists of plain dicts
        (``document`` is one dict), each record carrying ``doc_id``.
    """
    from analysis.actors import candidate_actors, find_mentions
    from analysis.framing import find_framing
    from analysis.quotes import assign_voices, find_quotes, voice_lookup
    from analysis.stance import stance_records

    settings = settings or Settings()
    res = _resources(settings)
    text = doc.text
    doc_id = doc.doc_id
    warnings = list(doc.warnings)

    para_spans = split_paragraphs(text)
    segments = mark_segments(text, patterns=res.patterns, paragraphs=para_spans)
    # paragraph and sentence records are made with their doc_id first (as in the output):
    # the stages ignore it, and they need no copy at the end
    paragraphs = [
        {"doc_id": doc_id, "paragraph": seg["paragraph"], "start": start, "end": end,
         "kind": seg["kind"]}
        for seg, (start, end) in zip(segments, para_spans, strict=False)
    ] if para_spans else []
    sentences: list[dict] = []
    append = sentences.append
    files = settings.abbreviation_files
    for para in paragraphs:
        kind = para["kind"]
        if kind not in ANALYSED_KINDS:
            continue
        number = para["paragraph"]
        for start, end in split_sentences(text, para["start"], para["end"],
                                          abbreviation_files=files):
            append({"doc_id": doc_id, "sent_id": len(sentences), "paragraph": number,
                    "start": start, "end": end, "text": text[start:end], "kind": kind,
                    "voice": "narrator"})

    quotes, quote_warnings = find_quotes(text, sentences, paragraphs, cues=res.cues,
                                         actor_lookup=res.gazetteer.lookup, roles=res.roles)
    warnings += quote_warnings
    affiliation_of: dict[str, str | None] = {}  # a speaker is often quoted several times
    for q in quotes:
        # an institutional speaker ("the State Department") is its own affiliation's actor
        speaker = q.get("speaker")
        if speaker and not q.get("affiliation"):
            if speaker not in affiliation_of:
                affiliation_of[speaker] = res.gazetteer.lookup(speaker)
            q["affiliation"] = affiliation_of[speaker]
    assign_voices(sentences, quotes)
    voice_at = voice_lookup(quotes)

    polarity = res.scorer.polarity
    for sent in sentences:
        sent.update(polarity(sent["text"]))
    ends = [s["end"] for s in sentences]
    for q in quotes:
        q["compound"] = _span_compound(text, q["parts"], sentences, ends, polarity)

    scans: dict = {}  # sentence tokens and gazetteer matches, shared with candidate_actors
    mentions = find_mentions(text, sentences, gazetteer=res.gazetteer, voice_at=voice_at,
                             scans=scans)
    framing = find_framing(text, sentences, lexicon=res.frames, voice_at=voice_at)
    affiliations = {q["speaker"]: q.get("affiliation") for q in quotes if q.get("speaker")}
    stance = stance_records(text, sentences, quotes, mentions,
                            speaker_affiliations=affiliations, scorer=res.scorer,
                            cues=res.stance_cues)
    speakers = {q["speaker"] for q in quotes if q.get("speaker")}
    candidates = candidate_actors(text, sentences, gazetteer=res.gazetteer, known=speakers,
                                  scans=scans)

    # one count for all sentences: joined by spaces, their counts add up
    n_words = count_words(" ".join([s["text"] for s in sentences]))
    document = {
        "doc_id": doc_id, "source": doc.source,
        "title": doc.title or _title_from(text, segments),
        "encoding": doc.encoding, "text": text, "n_words": n_words, "warnings": warnings,
        **{k: v for k, v in doc.meta.items() if k not in _DOC_KEYS},
    }
    out: dict[str, Any] = {"document": document}
    for key, rows in (("segments", segments), ("paragraphs", paragraphs),
                      ("sentences", sentences), ("quotes", quotes), ("mentions", mentions),
                      ("framing", framing), ("stance_evidence", stance),
                      ("candidates", candidates)):
        # doc_id first in every record; paragraphs and sentences already have it
        out[key] = rows if rows is paragraphs or rows is sentences else [
            {"doc_id": doc_id, **row} for row in rows]
    return out


_DOC_KEYS = {"doc_id", "source", "title", "encoding", "text", "n_words", "warnings"}


def _span_compound(text: str, parts: list[list[int]], sentences: list[dict], ends: list[int],
                   polarity: Any) -> float:
    """Mean compound of the sentence pieces of a quotation's parts (VADER saturates on long
    strings).

    Whole sentences reuse their score; a partial piece (a quotation inside a narrator
    sentence) is scored on its own words. ``ends`` are the sentences' end offsets (sorted),
    so the first overlapping sentence is found by bisection, not by a scan.
    """
    pieces = []
    for start, end in parts:
        for i in range(bisect.bisect_right(ends, start), len(sentences)):
            s = sentences[i]
            if s["start"] >= end:
                break
            a, b = max(start, s["start"]), min(end, s["end"])
            if a == s["start"] and b == s["end"]:
                pieces.append(s["compound"])
            elif text[a:b].strip():
                pieces.append(polarity(text[a:b])["compound"])
    if not pieces:
        whole = " ".join(text[a:b] for a, b in parts)
        return polarity(whole)["compound"] if whole.strip() else 0.0
    return round(sum(pieces) / len(pieces), 4)


def _safe_analyze(item: Document | LoadFailure, settings: Settings) -> dict[str, Any]:
    """Run one document; a crash in any stage becomes an ``errors`` record, never a traceback."""
    if isinstance(item, LoadFailure):
        return {"error": {"source": item.source, "error": item.error}}
    try:
        return analyze_document(item, settings)
    except RecursionError:
        return {"error": {"source": item.source, "error": "document too deeply nested"}}
    except Exception as exc:  # one bad document must never stop a corpus
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return {"error": {"source": item.source,
                          "error": f"internal error in {Path(where.filename).name}:"
                                   f"{where.lineno}: {exc.__class__.__name__}: {exc}"}}


def iter_results(
    documents: Iterable[Document | LoadFailure],
    settings: Settings,
    *,
    engine: Engine = "local",
    jobs: int | None = 1,
    scheduler: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Per-document results in input order, with the chosen engine."""
    if engine == "dask":
        from analysis.scale import dask_results

        yield from dask_results(documents, settings, scheduler=scheduler, jobs=jobs)
        return
    if engine != "local":
        raise ValueError(f"engine={engine!r}: choose 'local' or 'dask'.")
    if jobs is None:
        jobs = os.cpu_count() or 1
    if jobs <= 1:
        with spared_collector():
            for item in documents:
                yield _safe_analyze(item, settings)
        return
    from analysis.scale import pool_results

    with spared_collector():
        yield from pool_results(documents, settings, jobs=jobs)


@contextmanager
def spared_collector() -> Iterator[None]:
    """Keep the garbage collector off the objects that live through a corpus run.

    The compiled lexicons, tries and loaded documents would otherwise be walked again by
    every full collection while the run allocates millions of short-lived records (~5 % of
    the run's time). They go to the collector's permanent generation for the run
    (:func:`gc.freeze`) and come back afterwards. The youngest generation is also collected
    less often (every 20,000 allocations instead of 700): the records a document makes are
    freed by reference counting anyway, so frequent young collections only re-walk the ones
    still being built. When some other code has frozen objects (``gc.get_freeze_count() >
    0``), its setup is left alone.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    threshold = collect_young_less_often()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


_YOUNG_THRESHOLD = 20_000


def collect_young_less_often() -> tuple[int, ...]:
    """Collect the youngest generation every ``_YOUNG_THRESHOLD`` allocations at least (see
    :func:`spared_collector`); returns the thresholds before, to restore them."""
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], _YOUNG_THRESHOLD), *threshold[1:])
    return threshold


def _as_documents(source: Any, settings: Settings) -> Iterable[Document | LoadFailure]:
    if isinstance(source, Document):
        return [source]
    if isinstance(source, (list, tuple)) and source and all(
            isinstance(s, (Document, LoadFailure)) for s in source):
        return list(source)
    if isinstance(source, (list, tuple)) and any(
            isinstance(s, (Document, LoadFailure)) for s in source):
        return _mixed_documents(source, settings)  # Documents among paths, in order
    if isinstance(source, (str, Path)):
        s = str(source)
        if s == "-" or Path(s).exists() or _looks_like_path(s):
            return iter_documents([source], **settings.load_options())
        return [Document.from_text(s)]
    if isinstance(source, Iterable):
        return iter_documents(list(source), **settings.load_options())
    raise TypeError(
        f"source={type(source).__name__}: pass a path, a list of paths, a Document, or text=."
    )


def _mixed_documents(items: Sequence[Any], settings: Settings
                     ) -> Iterator[Document | LoadFailure]:
    for item in items:
        if isinstance(item, (Document, LoadFailure)):
            yield item
        else:
            yield from iter_documents([item], **settings.load_options())


def _looks_like_path(s: str) -> bool:
    """A short single-line string ending in a known suffix is a (missing) path, not text."""
    return ("\n" not in s and len(s) < 1024
            and (Path(s).suffix.lower() in SUPPORTED_SUFFIXES or s.endswith(("/", os.sep))))


def analyze(
    source: str | Path | Document | Sequence[str | Path] | None = None,
    *,
    text: str | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> Analysis:
    """Analyse article(s) and return an :class:`~analysis.result.Analysis`.

    Parameters
    ----------
    source : path, list of paths, Document, or str
        Files, folders, corpora (CSV/JSONL) or ``"-"``. A string that is neither an existing
        path nor looks like one (no known file suffix) is analysed as text; use ``text=`` to
        be explicit.
    text : str, optional
        Analyse this text directly (``doc_id`` ``"text"``).
    settings : Settings, optional
        Lexicon choices and user data files. Keyword ``options`` build one instead
        (``analyze(path, lexicon="vader", actor_files=["mine.yaml"])``).

    Raises
    ------
    LoadError
        A path that does not exist.
    analysis.lexicons.LexiconError
        A user data file that does not follow its schema.
    """
    settings = settings or Settings(**options)
    if (source is None) == (text is None):
        raise TypeError("analyze(): pass either source (paths) or text=, not both/neither.")
    docs = ([Document.from_text(text)] if text is not None
            else _as_documents(source, settings))
    prepare(settings)
    return Analysis.from_results(iter_results(docs, settings), settings=settings)


def analyze_corpus(
    source: str | Path | Sequence[str | Path] | Iterable[Document],
    *,
    engine: Engine = "local",
    jobs: int | None = None,
    scheduler: str | None = None,
    settings: Settings | None = None,
    progress: bool = False,
    **options: Any,
) -> Analysis:
    """Analyse a corpus with a chosen engine; same tables as :func:`analyze`.

    Parameters
    ----------
    source : path(s), Document(s), or an iterator/generator of Document
        As :func:`analyze`; a generator of Documents is consumed lazily (never listed).
    engine : {"local", "dask"}
        ``"local"`` runs in this process (``jobs=1``) or a process pool; ``"dask"`` runs the
        same per-document function on a Dask cluster (a ``LocalCluster`` unless
        ``scheduler`` gives the address of an existing one).
    jobs : int, optional
        Worker processes (default: all cores).
    progress : bool
        Show a tqdm progress bar on stderr.

    The whole :class:`Analysis` is held in memory; to stream a corpus of any size to disk
    with flat memory use :func:`analysis.stream.write_corpus` (``discourse analyze --out``).
    """
    from analysis.scale import documents_from

    settings = settings or Settings(**options)
    docs = documents_from(source, settings)  # a generator of Documents streams through
    prepare(settings)
    if jobs is None:
        jobs = os.cpu_count() or 1
    results: Iterable[Any]
    if engine == "local" and jobs > 1:
        from analysis.scale import pool_tables

        # workers send their batches as packed table columns, not per-document records
        results = pool_tables(docs, settings, jobs=jobs)
    else:
        results = iter_results(docs, settings, engine=engine, jobs=jobs, scheduler=scheduler)
    if progress:
        results = _with_progress(results)
    return Analysis.from_results(results, settings=settings)


def _with_progress(results: Iterable[Any]) -> Iterator[Any]:
    """``results`` through a tqdm bar on stderr counting documents (packed batches count
    their documents)."""
    from tqdm.auto import tqdm

    with tqdm(unit="doc", desc="analysing", leave=False) as bar:
        for res in results:
            yield res
            bar.update(getattr(res, "n_results", 1))


__all__ += ["prepare", "LoadError"]

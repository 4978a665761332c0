"""Engines for corpus runs: a local process pool and Dask.

Both run :func:`analysis.pipeline._safe_analyze` — the same per-document function as the
single-process engine — and yield results in input order, so every engine gives identical
tables. Documents stream through in bounded batches: memory does not grow with corpus size
(apart from the results the caller keeps).

Compiled resources (lexicons, matchers, the sentence splitter, the sentiment scorer) are
``lru_cache``-d per process: each worker builds them once, on its first document, and reuses
them for every later batch. Workers are warmed up once when they start (and, with the
``fork`` start method, inherit the parent's already-compiled resources).

Dask: ``engine="dask"`` starts a ``distributed.LocalCluster`` with ``jobs`` single-threaded
worker processes (VADER is pure Python: threads would not help), or connects to an existing
scheduler given by address (``--scheduler tcp://host:8786``). Workers need this package
installed (the same version) to import the per-document function.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from analysis.load import Document, LoadFailure
    from analysis.pipeline import Settings
    from analysis.result import TableBuilder

T = TypeVar("T")

__all__ = ["pool_results", "pool_tables", "dask_results", "warm_up", "documents_from", "POOL_BATCH_SIZE",
           "DASK_BATCH_SIZE"]

#: Documents per pool task. A news article takes ~5-10 ms; 16 per task keeps the
#: inter-process overhead (pickling the records back) small while the in-flight window
#: still balances the load between workers (see ``benchmarks/throughput.py``).
POOL_BATCH_SIZE = 16
#: Documents per Dask round; two rounds are in flight so workers never wait for the client.
DASK_BATCH_SIZE = 256

_WARM_TEXT = ("Officials said on Monday that the talks had failed.\n\n"
              "“We will not accept this,” the minister said. "
              "The United States welcomed the plan, according to a statement.")


def warm_up(settings: Settings) -> bool:
    """Compile every lexicon and lazily built resource of this process now.

    ``prepare`` compiles the resources held by the pipeline; analysing one tiny document
    also fills the caches stages build on first use (speaker roles, ...). Returns True, so
    ``client.run`` has something to report.
    """
    from analysis.load import Document
    from analysis.pipeline import _safe_analyze, prepare

    prepare(settings)
    _safe_analyze(Document(doc_id="warm-up", source="<warm-up>", text=_WARM_TEXT,
                           encoding="str"), settings)
    return True


def _start_worker(settings: Settings) -> None:
    """Initializer of a pool worker: warm up, then move everything alive (the compiled
    resources, for the worker's life) out of the garbage collector's walks, and collect the
    youngest generation less often (as ``pipeline.spared_collector`` does)."""
    import gc

    from analysis.pipeline import collect_young_less_often

    warm_up(settings)
    gc.freeze()
    collect_young_less_often()  # for the worker's life


def documents_from(source: Any, settings: Settings) -> Iterable[Document | LoadFailure]:
    """The documents of a corpus source, streamed.

    Like ``pipeline._as_documents`` (paths, folders, corpora, a Document, a list of
    Documents, text), and also a *generator or iterator* of :class:`Document` objects, which
    is consumed lazily — never listed — so a corpus bigger than memory can come from
    anywhere (a database cursor, a web archive reader...).
    """
    from analysis.load import Document, LoadFailure
    from analysis.pipeline import _as_documents

    if isinstance(source, Iterator):
        first = next(source, None)
        if first is None:
            return []
        if isinstance(first, (Document, LoadFailure)):
            return chain([first], source)
        source = [first, *source]  # an iterator of paths: a (short) list of sources
    return _as_documents(source, settings)


def _analyze_batch(batch: list[Any], settings: Settings) -> list[dict[str, Any]]:
    from analysis.pipeline import _safe_analyze

    return [_safe_analyze(item, settings) for item in batch]


def _analyze_batch_packed(batch: list[Any], settings: Settings) -> TableBuilder:
    """A batch's results already transposed into table columns (``TableBuilder.pack``): the
    worker does that work, and packed columns cross between processes ~3x faster than
    records."""
    from analysis.pipeline import _safe_analyze
    from analysis.result import TableBuilder

    builder = TableBuilder()
    for item in batch:
        builder.add(_safe_analyze(item, settings))
    return builder.pack()


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def pool_results(
    documents: Iterable[Document | LoadFailure],
    settings: Settings,
    *,
    jobs: int,
    batch_size: int = POOL_BATCH_SIZE,
) -> Iterator[dict[str, Any]]:
    """Per-document results from ``jobs`` worker processes, in input order.

    At most ``2 * jobs + 1`` batches are in flight (submitted, running or finished but not
    yet consumed), so a huge corpus streams through with bounded memory.
    """
    for results in _pool_map(_analyze_batch, documents, settings, jobs=jobs,
                             batch_size=batch_size):
        yield from results


def pool_tables(
    documents: Iterable[Document | LoadFailure],
    settings: Settings,
    *,
    jobs: int,
    batch_size: int = POOL_BATCH_SIZE,
) -> Iterator[TableBuilder]:
    """Like :func:`pool_results`, but one packed :class:`~analysis.result.TableBuilder` per
    batch, in input order: for runs that only collect the tables (``analyze_corpus``)."""
    yield from _pool_map(_analyze_batch_packed, documents, settings, jobs=jobs,
                         batch_size=batch_size)


def _pool_map(task: Callable[[list[Any], Settings], T], documents: Iterable[Any],
              settings: Settings, *, jobs: int, batch_size: int) -> Iterator[T]:
    # Compile in the parent first: data-file errors surface here, not in a worker, and
    # fork-started workers inherit the compiled resources instead of rebuilding them.
    warm_up(settings)
    window = 2 * jobs + 1
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker,
                             initargs=(settings,)) as pool:
        pending: deque[Future[T]] = deque()
        for batch in _batches(documents, batch_size):
            pending.append(pool.submit(task, batch, settings))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def dask_results(
    documents: Iterable[Document | LoadFailure],
    settings: Settings,
    *,
    scheduler: str | None = None,
    jobs: int | None = None,
    batch_size: int = DASK_BATCH_SIZE,
) -> Iterator[dict[str, Any]]:
    """Per-document results computed with ``dask.bag`` on a distributed cluster, in order.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running ``distributed`` scheduler (``tcp://host:8786``); by default a
        ``LocalCluster`` with ``jobs`` single-threaded workers (all cores when None) is
        started and closed afterwards.
    batch_size : int
        Documents per round. Each round is one ``dask.bag`` (``from_sequence`` →
        ``map(_safe_analyze)``) computed on the cluster; two rounds are in flight, so
        memory stays bounded and workers do not idle between rounds.
    """
    try:
        import dask.bag as db
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "engine='dask' needs Dask: install the 'scale' extra "
            "(pip install 'discourse-analysis[scale]')."
        ) from None
    from analysis.pipeline import _safe_analyze, prepare

    prepare(settings)  # data-file errors surface here, before any cluster work
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        n = jobs or os.cpu_count() or 1
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        # compile the lexicons once per worker up front (cached per process afterwards)
        client.run(warm_up, settings)
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        n_parts = 2 * n_workers
        pending: deque[Any] = deque()
        for batch in _batches(documents, batch_size):
            bag = db.from_sequence(batch, npartitions=min(n_parts, len(batch)))
            pending.append(client.compute(bag.map(_safe_analyze, settings)))
            if len(pending) >= 2:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

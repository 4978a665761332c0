"""Engines for corpus runs: a local process pool and Dask.

Both run :func:`analysis.pipeline._safe_analyze` — the same per-document function as the
single-process engine — and yield results in input order, so every engine gives identical
tables. Documents stream through in bounded batches: memory does not grow with corpus size
(apart from the results the caller keeps).

Dask: ``engine="dask"`` starts a ``distributed.LocalCluster`` with ``jobs`` single-threaded
worker processes (VADER is pure Python: threads would not help), or connects to an existing
scheduler given by address (``--scheduler tcp://host:8786``). Workers need this package
installed (the same version) to import the per-document function.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.load import Document, LoadFailure
    from analysis.pipeline import Settings

__all__ = ["pool_results", "dask_results"]


def _analyze_batch(batch: list[Any], settings: Settings) -> list[dict[str, Any]]:
    from analysis.pipeline import _safe_analyze

    return [_safe_analyze(item, settings) for item in batch]


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def pool_results(
    documents: Iterable[Document | LoadFailure],
    settings: Settings,
    *,
    jobs: int,
    batch_size: int = 8,
) -> Iterator[dict[str, Any]]:
    """Per-document results from ``jobs`` worker processes, in input order.

    At most ``4 * jobs`` batches are in flight, so a huge corpus streams through.
    """
    from analysis.pipeline import prepare

    prepare(settings)  # surface data-file errors here, not in a worker
    window = max(2, 4 * jobs)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[Future[list[dict[str, Any]]]] = deque()
        for batch in _batches(documents, batch_size):
            pending.append(pool.submit(_analyze_batch, batch, settings))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def dask_results(
    documents: Iterable[Document | LoadFailure],
    settings: Settings,
    *,
    scheduler: str | None = None,
    jobs: int | None = None,
    batch_size: int = 256,
) -> Iterator[dict[str, Any]]:
    """Per-document results computed with ``dask.bag`` on a distributed cluster, in order.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running ``distributed`` scheduler; by default a ``LocalCluster`` with
        ``jobs`` workers (all cores when None) is started and closed afterwards.
    batch_size : int
        Documents sent to the cluster per round; rounds keep memory bounded.
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

    prepare(settings)
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        n = jobs or os.cpu_count() or 1
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        n_parts = max(1, len(client.scheduler_info().get("workers", {})) * 2)
        for batch in _batches(documents, batch_size):
            bag = db.from_sequence(batch, npartitions=min(n_parts, len(batch)))
            yield from bag.map(_safe_analyze, settings).compute(scheduler=client)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

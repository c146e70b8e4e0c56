"""Running one function over many queues: serially, in a local process pool, or on Dask.

:func:`map_queues` is the executor behind :func:`forecast.models.forecast_queues`.
Whatever runs the tasks, the results come back in the order of the tasks,
so a pool or a cluster returns exactly the serial result. joblib, threadpoolctl
and dask are imported only when a pool or a cluster is asked for.

Each task runs with BLAS/OpenMP pinned to one thread, in a worker and in
the serial path alike: the parallelism is across queues, a statsmodels fit
that also spreads its small matrix products over every core only
oversubscribes them, and the same thread count keeps the same summation
order, so an optimizer (ETS, SARIMAX) lands on the same parameters.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

#: The ``scheduler`` that starts a local Dask cluster (processes, 2 workers).
LOCAL_SCHEDULER = "local"
#: Workers of the local Dask cluster.
LOCAL_DASK_WORKERS = 2


def check_parallel(n_jobs: int, scheduler: str | None) -> None:
    """Raise ValueError for an ``n_jobs`` of 0 or a scheduler that is neither local nor an address.

    Examples
    --------
    >>> check_parallel(2, None)
    >>> check_parallel(1, "tcp://10.0.0.5:8786")
    """
    if int(n_jobs) == 0:
        raise ValueError("n_jobs: expected a positive number of processes or -1 for one per "
                         "core, got 0")
    if scheduler is not None and scheduler != LOCAL_SCHEDULER and \
            not str(scheduler).startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        raise ValueError(f"scheduler: expected 'local' or a Dask scheduler address like "
                         f"tcp://host:8786, got {scheduler!r}")


def _pinned(function: Callable, args: tuple) -> Any:
    """Call ``function(*args)`` with BLAS/OpenMP limited to one thread (in a worker)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return function(*args)


def map_queues(function: Callable, tasks: Sequence[tuple], n_jobs: int = 1,
               scheduler: str | None = None) -> Iterator[Any]:
    """Yield ``function(*task)`` for each task, in the order of ``tasks``.

    Parameters
    ----------
    function : callable
        A module-level function (it is pickled to the workers).
    tasks : sequence of tuple
        Positional arguments of each call.
    n_jobs : int
        1 runs in this process; more (or -1 for one per core) runs in a
        local joblib process pool (loky). Ignored when ``scheduler`` is set.
    scheduler : str, optional
        ``"local"`` starts a local Dask cluster (:data:`LOCAL_DASK_WORKERS`
        worker processes, one thread each) for this call;
        ``"tcp://host:8786"`` uses a running Dask scheduler.

    Yields
    ------
    The results, in task order, as they become available in that order
    (so a caller can show progress).

    Raises
    ------
    ValueError
        ``n_jobs`` of 0 or an unrecognised ``scheduler``.
    """
    check_parallel(n_jobs, scheduler)
    if scheduler is not None:
        yield from _dask_map(function, tasks, scheduler)
    elif int(n_jobs) == 1 or len(tasks) <= 1:
        for task in tasks:  # pinned too: same BLAS reduction order, same numbers as a pool
            yield _pinned(function, task)
    else:
        from joblib import Parallel, delayed, parallel_config

        # inner_max_num_threads sets OMP/MKL/OpenBLAS thread counts in the loky workers
        # before numpy loads there; threadpool_limits in _pinned covers a reused worker.
        with parallel_config(backend="loky", inner_max_num_threads=1):
            yield from Parallel(n_jobs=int(n_jobs), return_as="generator")(
                delayed(_pinned)(function, task) for task in tasks)


def _dask_map(function: Callable, tasks: Sequence[tuple], scheduler: str) -> Iterator[Any]:
    from dask.distributed import Client, LocalCluster

    if scheduler == LOCAL_SCHEDULER:
        cluster = LocalCluster(n_workers=LOCAL_DASK_WORKERS, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        cluster, client = None, Client(scheduler)
    try:
        futures = client.map(_pinned, [function] * len(tasks), list(tasks), pure=False)
        for future in futures:
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

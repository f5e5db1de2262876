"""Running the similarity steps: in this process, a local process pool, or a Dask cluster.

``map_tasks(function, items, ...)`` returns ``[function(item) for item in items]``, in
order, whichever executor runs them. ``function`` must be importable by name (a
module-level function of ``grader``), and items plain data, so a Dask worker needs only
this package installed, never the instructor's files.
"""

import os


class ExecutorError(Exception):
    """The executor cannot start (an unreachable scheduler, a missing extra)."""


def map_tasks(function, items: list, executor: str = "local", jobs: int = 1, scheduler: str | None = None) -> list:
    if executor == "dask":
        return _dask(function, items, jobs, scheduler)
    if jobs <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    return _local(function, items, jobs)


def _local(function, items, jobs):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # forkserver: never fork a process that may hold threads (as grader.batch.executors does).
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(min(jobs, len(items)), mp_context=context) as pool:
        return list(pool.map(function, items))


def _dask(function, items, jobs, scheduler):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ExecutorError("--executor dask needs the optional extra: pip install 'dnn-autograder[dask]'") from None
    if scheduler:
        try:
            client, cluster = Client(scheduler, timeout="30s"), None
        except (OSError, TimeoutError, ValueError) as error:
            raise ExecutorError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
    else:
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        futures = client.map(function, items, pure=False)
        return client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1

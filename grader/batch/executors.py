"""Where submissions are graded: a local pool of worker processes, or a Dask cluster.

Every executor has the same contract: ``run(items, ...)`` takes ``(key, Submission)``
pairs and yields ``(key, SubmissionResult)`` as each is graded, in completion order.
Workers receive loaded submissions (plain data), never paths, so a remote worker needs
no access to the instructor's files; they grade with ``grade_task``, which is the same
code a single in-process grading runs, so every executor gives the same results.

A worker that dies (out of memory, a crash in native code) does not lose the batch:
the submissions it held are retried one at a time, and one that still kills its worker
gets a result saying the grader failed on it (``grader_failure``), which a rerun retries.
At most ``jobs`` submissions are in flight locally, so a worker's death names its suspects.
"""

import os
import select
import threading
import time


class ExecutorError(Exception):
    """The executor cannot start (an unreachable scheduler, a missing extra)."""


# One grading at a time per process: pytest and hypothesis keep global state, and a Dask
# worker may run several tasks in threads.
_GRADING = threading.Lock()


def grade_task(submission, isolation="auto", suite=None, remote=False):
    """Grade a loaded submission on a worker; never raises for one submission's sake.

    ``suite`` is the batch's ``resume.suite_digest()``, recorded in the result; a
    ``remote`` worker first checks that it runs the very same grading suite."""
    from grader.batch import resume
    from grader.pipeline.grading import GraderFailure, grade_submission

    if remote and suite != resume.suite_digest():
        raise GraderFailure(
            f"the Dask worker on {os.uname().nodename} runs a different grader (or checks, "
            f"solutions, helpers, or course secret) than the machine that started the batch; install "
            f"the same one and give it the same GRADER_SECRET"
        )
    with _GRADING:
        _keep_memo_on_disk(suite)
        try:
            return resume.stamp(grade_submission(submission, isolation=isolation), suite)
        except GraderFailure:
            raise  # the suite itself is broken: every submission would fail the same way
        except Exception as error:  # noqa: BLE001 - reported as our failure, in the result
            return failed_result(submission, f"{type(error).__name__}: {error}", suite)
        finally:
            _freeze_once()


def _freeze_once():
    """After a process's first grading, everything it keeps for the next ones (the modules,
    the checks, the reference's results, the examples) is moved out of the garbage
    collector's sight (``gc.freeze``): its full collections then look only at what later
    gradings made, instead of going over a hundred thousand objects that stay anyway. (No
    collection first: it would cost a one-off ``grade`` tens of milliseconds, for the little
    garbage of one grading that the freeze keeps.)"""
    import gc

    if not _frozen:
        _frozen.append(True)
        gc.freeze()


_frozen: list = []


def _keep_memo_on_disk(suite):
    """The reference's side of the checks kept on disk too, by grading suite (``checkapi.memo``),
    so that the next ``grade`` process starts with it; ``DNN_AUTOGRADER_CACHE=off`` keeps it in memory only."""
    from grader.checkapi import memo

    if os.environ.get("DNN_AUTOGRADER_CACHE", "").lower() in ("off", "0", "no"):
        memo.configure(None)
    elif suite and memo.default_folder(suite) != memo.folder():
        memo.configure(memo.default_folder(suite))


def failed_result(submission, reason, suite=None):
    """A zero result for a submission the grader could not grade; a rerun grades it again."""
    from grader import __version__, course
    from grader.batch import resume
    from grader.results import AssignmentResult, SubmissionResult

    message = f"The grader failed on this submission; this is our bug, not yours ({reason})."
    assignments = tuple(
        AssignmentResult(a, submitted=a in submission.files, notes=(message,)) for a in course.ASSIGNMENT_IDS
    )
    result = SubmissionResult(
        submission.student, submission.sha256, assignments, notes=(message,), grader_version=__version__
    )
    return resume.stamp(result, suite, grader_failure=reason)


def run(items, jobs, executor="local", scheduler=None, isolation="auto"):
    from grader.batch.resume import suite_digest

    if executor == "dask":
        return _dask(items, jobs, scheduler, (isolation, suite_digest(), bool(scheduler)))
    return _local(items, jobs, (isolation, suite_digest()))


def _worker_init(batch, counter=None):
    """Ignore Ctrl-C (the batch's process decides), keep to one core when ``counter`` is given
    (``_pin``), and exit when the batch's process is gone (a worker's parent is the fork
    server, which the workers themselves keep alive)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if counter is not None:
        _pin(counter)

    def watch():
        try:  # readable as soon as the batch's process has exited, even before it is reaped
            select.select([os.pidfd_open(batch)], [], [])
        except (AttributeError, OSError):  # no pidfd (not Linux): poll
            while _alive(batch):
                time.sleep(1)
        from grader.sandbox import tempdirs

        tempdirs.remove_mine()  # os._exit skips every clean-up
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _pin(counter):
    """Keep this worker, and the sandbox children it starts, to one core of its own: the
    ``counter``-th of the cores the batch may use. Done when the pool has a worker for every
    core, so no core is left out: a worker and its child answer each other hundreds of times
    a submission, and on one core they do it from warm caches, where the kernel would
    otherwise move them between the cores (the 200-submission mix: 3 % less time)."""
    with counter.get_lock():
        index = counter.value
        counter.value += 1
    cores = sorted(os.sched_getaffinity(0))
    try:
        os.sched_setaffinity(0, {cores[index % len(cores)]})
    except OSError:  # a core taken away meanwhile: run anywhere, as before
        pass


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _pool(jobs):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # forkserver: never fork a process that may hold threads (tqdm's monitor, dask's loop).
    from grader.batch.run import _cores

    context = multiprocessing.get_context("forkserver")
    pinned = hasattr(os, "sched_setaffinity") and jobs == _cores() > 1  # a worker per core (_pin)
    counter = context.Value("i", 0) if pinned else None
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_init, initargs=(os.getpid(), counter))


def _stop(pool):
    """Stop a pool now: cancel what is queued, kill what is running."""
    pool.shutdown(wait=False, cancel_futures=True)
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.kill()
    for process in processes:  # reaped, so that their temporary folders can be swept
        process.join(timeout=5)


def _local(items, jobs, options, task=grade_task):
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    items, suspects, running = iter(items), [], {}
    pool = _pool(jobs)
    try:
        while True:
            while len(running) < jobs and (item := next(items, None)) is not None:
                running[pool.submit(task, item[1], *options)] = item
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            if any(isinstance(f.exception(), BrokenProcessPool) for f in done):
                wait(running)  # a dead worker breaks the whole pool: collect everything in flight
                done = set(running)
            for future in done:
                item = running.pop(future)
                if isinstance(future.exception(), BrokenProcessPool):
                    suspects.append(item)
                else:
                    yield item[0], future.result()
            if pool._broken:  # noqa: SLF001 - no public way to ask
                _stop(pool)
                pool = _pool(jobs)
        for key, submission in suspects:  # alone, so that a crash names its cause
            _stop(pool)
            pool = _pool(1)
            future = pool.submit(task, submission, *options)
            wait([future])
            if isinstance(future.exception(), BrokenProcessPool):
                yield key, failed_result(submission, "its worker process died twice while grading it", options[1])
            else:
                yield key, future.result()
    finally:
        _stop(pool)


def _dask(items, jobs, scheduler, options):
    try:
        from distributed import Client, LocalCluster, as_completed
        from distributed.scheduler import KilledWorker
    except ImportError:
        raise ExecutorError("--executor dask needs the optional extra: pip install 'dnn-autograder[dask]'") from None
    if scheduler:
        try:
            client, cluster = Client(scheduler, timeout="30s"), None
        except (OSError, TimeoutError, ValueError) as error:
            raise ExecutorError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
    else:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        items, keys, pending = iter(items), {}, as_completed()

        def top_up():  # twice the cluster's threads in flight; an adaptive cluster may grow
            target = max(2 * jobs, 2 * sum(client.nthreads().values()))
            while pending.count() < target and (item := next(items, None)) is not None:
                future = client.submit(grade_task, item[1], *options, pure=False)
                keys[future.key] = item
                pending.add(future)

        top_up()
        for future in pending:
            key, submission = keys.pop(future.key)
            try:
                yield key, future.result()
            except KilledWorker:
                yield key, failed_result(submission, "it killed the Dask workers that graded it", options[1])
            future.release()
            top_up()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

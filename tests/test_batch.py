"""Batch grading: finding submissions, the executors (local pool, Dask) giving identical
results, resuming after an interruption or a kill, and surviving a dead worker."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.batch import executors, resume
from grader.batch.run import expand, grade_paths, is_batch, plan
from grader.cli import main
from grader.pipeline.submission import Submission, load_or_explain
from tests.helpers import reference_source, stub_source

ROOT = Path(__file__).resolve().parents[1]


def make_class(root, names=("ann", "bob", "cat", "dan")):
    """Gradient-checking submissions (fast to grade): right, wrong, stub, notebook-free."""
    right = reference_source("gradient_checking")
    versions = [right, right.replace("dtheta = x\n", "dtheta = -x\n"), stub_source("gradient_checking")]
    for i, name in enumerate(names):
        (root / name).mkdir(parents=True)
        (root / name / "gradient_checking.py").write_text(versions[i % len(versions)])
    return root


def without_time(path):
    """``results.json`` bytes minus the one line allowed to differ."""
    return b"".join(
        line
        for line in Path(path).read_bytes().splitlines(keepends=True)
        if not line.lstrip().startswith(b'"execution_time"')
    )


def results(out):
    return {p.parent.name: without_time(p) for p in sorted(Path(out).glob("*/results.json"))}


def test_a_folder_of_submissions_is_a_batch(tmp_path):
    make_class(tmp_path / "class", ("a", "b"))
    (tmp_path / "class" / "c.zip").write_bytes(b"not a zip")
    (tmp_path / "class" / ".hidden").mkdir()
    assert is_batch(tmp_path / "class")
    assert [p.name for p in expand([tmp_path / "class"])] == ["a", "b", "c.zip"]
    assert not is_batch(tmp_path / "class" / "a")  # holds a student file
    assert [p.name for p in expand([tmp_path / "class" / "a"])] == ["a"]


def test_a_broken_zip_is_hashed_by_its_bytes_so_a_rerun_knows_it(tmp_path):
    (tmp_path / "z.zip").write_bytes(b"PK\x03\x04 cut short")
    first = load_or_explain(tmp_path / "z.zip")
    assert first.student == "z" and first.files == {} and "not a readable zip" in first.notes[0].text
    assert first.notes[0].assignment == ""  # a note on the whole submission
    assert first.sha256 and first.sha256 == load_or_explain(tmp_path / "z.zip").sha256
    (tmp_path / "z.zip").write_bytes(b"PK\x03\x04 cut elsewhere")
    assert load_or_explain(tmp_path / "z.zip").sha256 != first.sha256


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """A class with one complete submission (all five assignments), right/wrong/stub
    gradient_checking ones, and a broken zip, graded with jobs=1."""
    root = make_class(tmp_path_factory.mktemp("class"))
    (root / "eve").mkdir()
    for assignment in ("initialization", "regularization", "gradient_checking", "gradient_checking_nd", "optimization"):
        (root / "eve" / f"{assignment}.py").write_text(reference_source(assignment))
    (root / "zed.zip").write_bytes(b"PK\x03\x04 broken")
    out = tmp_path_factory.mktemp("jobs1")
    assert grade_paths([root], out, jobs=1) == 0
    return root, out


@pytest.mark.slow
def test_jobs_1_and_jobs_2_give_byte_identical_results(graded_class, tmp_path):
    root, out1 = graded_class
    assert grade_paths([root], tmp_path, jobs=2) == 0
    first, second = results(out1), results(tmp_path)
    assert sorted(first) == ["ann", "bob", "cat", "dan", "eve", "zed"]
    assert first == second
    assert (out1 / "gradebook.csv").read_bytes() == (tmp_path / "gradebook.csv").read_bytes()


@pytest.mark.slow
def test_one_submission_in_process_gives_the_same_result(graded_class, tmp_path):
    root, out1 = graded_class
    assert grade_paths([root / "bob"], tmp_path) == 0  # a single submission: no pool
    assert results(tmp_path)["bob"] == results(out1)["bob"]


@pytest.mark.slow
def test_a_dask_local_cluster_gives_byte_identical_results(graded_class, tmp_path):
    pytest.importorskip("distributed")
    root, out1 = graded_class
    assert grade_paths([root], tmp_path, jobs=2, executor="dask") == 0
    assert results(tmp_path) == results(out1)


@pytest.mark.slow
def test_an_existing_dask_cluster_by_its_scheduler_address(graded_class, tmp_path):
    distributed = pytest.importorskip("distributed")
    root, out1 = graded_class
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None) as cluster:
        # two threads in one worker: grade_task serializes them (pytest is not thread-safe)
        assert (
            grade_paths(
                [root / "ann", root / "bob", root / "cat"],
                tmp_path,
                executor="dask",
                scheduler=cluster.scheduler_address,
            )
            == 0
        )
    assert results(tmp_path) == {k: v for k, v in results(out1).items() if k in ("ann", "bob", "cat")}


def test_a_rerun_grades_only_what_is_missing_or_changed(tmp_path):
    root = make_class(tmp_path / "class")
    out = tmp_path / "out"
    assert grade_paths([root], out, jobs=2) == 0
    stamps = {p.parent.name: p.stat().st_mtime_ns for p in out.glob("*/results.json")}
    todo, done = plan([root], out)
    assert todo == [] and sorted(done) == ["ann", "bob", "cat", "dan"]

    (root / "bob" / "gradient_checking.py").write_text(reference_source("gradient_checking"))  # changed
    (out / "cat" / "results.json").unlink()  # missing
    document = json.loads((out / "dan" / "results.json").read_text())
    document["extra_data"]["grader_version"] = "0.0.0"  # graded by another grader
    (out / "dan" / "results.json").write_text(json.dumps(document))
    todo, _ = plan([root], out)
    assert sorted(name for name, _ in todo) == ["bob", "cat", "dan"]
    assert grade_paths([root], out, jobs=2) == 0
    assert (out / "ann" / "results.json").stat().st_mtime_ns == stamps["ann"]  # untouched
    assert json.loads((out / "bob" / "results.json").read_text())["score"] == 100
    assert plan([root], out)[0] == []


def test_a_result_on_which_the_grader_failed_is_graded_again():
    submission = Submission("ann", "abc", {})
    failed = executors.failed_result(submission, "boom").to_json()
    assert failed["extra_data"]["grader_failure"] == "boom" and failed["score"] == 0
    assert not resume.still_valid(failed, "ann", "abc")
    fine = json.loads(json.dumps(failed))
    del fine["extra_data"]["grader_failure"]
    assert resume.still_valid(fine, "ann", "abc")
    assert not resume.still_valid(fine, "ann", "another hash")
    assert not resume.still_valid(fine, "bob", "abc")
    fine["extra_data"]["grader_errors"] = ["gradient_checking::gradient_check::x"]
    assert not resume.still_valid(fine, "ann", "abc")


def _grade_command(root, out, *options):
    return [sys.executable, "-m", "grader.cli", str(root), "-o", str(out), *options]


def _run_until(command, graded_at_least, out, sig):
    """Start ``grade``, wait until ``graded_at_least`` results exist, send ``sig``; return the process."""
    # With Ctrl-C's default action, as from a terminal: a test runner's worker may ignore SIGINT,
    # and an ignored signal stays ignored in the processes it starts.
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while len(list(out.glob("*/results.json"))) < graded_at_least:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the batch made no progress"
        time.sleep(0.05)
    process.send_signal(sig)
    return process


def _graded_lines(stdout):
    return [line.split(":")[0] for line in stdout.splitlines() if "/500 (" in line]


@pytest.mark.slow
def test_a_killed_batch_rerun_grades_every_submission_exactly_once(tmp_path):
    names = [f"s{i:02d}" for i in range(24)]  # still running when the kill comes (see the Ctrl-C test)
    root, out = make_class(tmp_path / "class", names), tmp_path / "out"
    process = _run_until(_grade_command(root, out, "-j", "2"), 3, out, signal.SIGKILL)
    process.communicate(timeout=60)
    done_before = {p.parent.name for p in out.glob("*/results.json")}
    assert 3 <= len(done_before) < len(names)
    for path in out.rglob("*"):  # whatever the kill interrupted, no file is half-written
        if path.name == "results.json":
            json.loads(path.read_text())

    rerun = subprocess.run(_grade_command(root, out, "-j", "2"), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    regraded = _graded_lines(rerun.stdout)
    assert sorted(regraded) == sorted(set(names) - done_before)  # each graded once, over the two runs
    assert sorted(p.parent.name for p in out.glob("*/results.json")) == names
    assert list(out.rglob("*.tmp")) == []
    assert len((out / "gradebook.csv").read_text().splitlines()) == 1 + len(names)


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_the_rerun_finishes(tmp_path):
    # Enough students that the batch is still running when the signal comes: one takes about
    # 0.1 s, and a loaded machine may run this test's polling late.
    names = [f"s{i:02d}" for i in range(24)]
    root, out = make_class(tmp_path / "class", names), tmp_path / "out"
    process = _run_until(_grade_command(root, out, "-j", "1"), 1, out, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "rerun the same command" in stderr
    rerun = subprocess.run(_grade_command(root, out), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0 and "already graded" in rerun.stderr
    assert sorted(p.parent.name for p in out.glob("*/results.json")) == names


def crashing_task(submission, *options):
    """A stand-in for ``grade_task`` whose worker dies on the submission named "crash"."""
    if submission.student == "crash":
        os._exit(3)
    time.sleep(0.2)
    return submission.student


def affinity_task(submission, *options):
    """A stand-in for ``grade_task``: the worker's pid and the cores it may run on."""
    time.sleep(0.1)
    return os.getpid(), sorted(os.sched_getaffinity(0))


@pytest.mark.slow
@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one core: nothing to pin")
def test_a_worker_per_core_keeps_to_a_core_of_its_own_and_fewer_workers_to_none():
    cores = sorted(os.sched_getaffinity(0))
    items = [(str(i), Submission(str(i), f"sha-{i}", {})) for i in range(3 * len(cores))]
    seen = dict(executors._local(iter(items), len(cores), ("auto", "suite"), task=affinity_task)).values()
    assert sorted(c for _, c in set((pid, tuple(c)) for pid, c in seen)) == [(core,) for core in cores]
    fewer = dict(executors._local(iter(items[:2]), len(cores) - 1, ("auto", "suite"), task=affinity_task))
    assert all(c == cores for _, c in fewer.values())


@pytest.mark.slow
def test_a_dead_worker_loses_nothing_and_names_its_cause():
    items = [(name, Submission(name, f"sha-{name}", {})) for name in ("a", "b", "crash", "c", "d", "e")]
    outcomes = dict(executors._local(iter(items), 2, ("auto", "suite"), task=crashing_task))
    assert sorted(outcomes) == ["a", "b", "c", "crash", "d", "e"]
    assert all(outcomes[name] == name for name in "abcde")  # the innocent in-flight one was retried
    crashed = outcomes["crash"]
    assert crashed.extra["grader_failure"] == "its worker process died twice while grading it"
    assert "our bug" in crashed.notes[0]


@pytest.mark.slow
def test_a_full_disk_stops_the_batch_with_every_written_file_whole(tmp_path, monkeypatch, capsys):
    import grader.batch.run

    root, out = make_class(tmp_path / "class"), tmp_path / "out"
    real, calls = grader.batch.run.write_submission, []

    def fill_up(result, out, **options):
        calls.append(result.student)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(result, out, **options)

    monkeypatch.setattr(grader.batch.run, "write_submission", fill_up)
    assert grade_paths([root], out, jobs=2) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert len(list(out.glob("*/results.json"))) == 1 and not (out / "gradebook.csv").exists()
    monkeypatch.setattr(grader.batch.run, "write_submission", real)
    assert grade_paths([root], out, jobs=2) == 0
    assert len(list(out.glob("*/results.json"))) == 4


def test_two_submissions_with_one_name_grade_the_last(tmp_path, capsys):
    root = make_class(tmp_path / "class", ("ann",))
    (root / "ann.zip").write_bytes(b"broken")
    todo, _ = plan([root], tmp_path / "out")
    assert [entry.path.name for _, entry in todo] == ["ann.zip"]
    assert "both named 'ann'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv,message",
    [
        (["--scheduler", "tcp://x:1"], "--scheduler needs --executor dask"),
        (["-j", "0"], "at least 1"),
        (["--executor", "spark"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2_and_say_what_is_wrong(tmp_path, capsys, argv, message):
    try:
        status = main([str(tmp_path), *argv])
    except SystemExit as exit_:  # argparse's own errors
        status = exit_.code
    assert status == 2
    assert message in capsys.readouterr().err

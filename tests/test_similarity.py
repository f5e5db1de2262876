"""``grade similarity`` (SPEC §9): a planted class, the normalization, the command's files."""

import csv
import json
import os
import re
import shutil

import numpy as np
import pytest

from grader import course, paths
from grader.similarity import baseline
from grader.similarity import compare as scoring
from grader.similarity.command import DEFAULT_THRESHOLD, compare, load_entries
from grader.similarity.normalize import Module, function_tokens
from tests import similarity_class as planted


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    everyone, groups = planted.authors()
    root = tmp_path_factory.mktemp("similarity")
    folder, public = planted.write_class(root, everyone)
    return everyone, groups, folder, public


@pytest.fixture(scope="module")
def comparison(klass):
    _, _, folder, public = klass
    return compare(load_entries([folder], [public]))


def _is_planted(groups, a, b):
    return any(a in group and b in group for group in groups)


def _all_pairs(everyone):
    names = sorted(everyone)
    return [(a, b) for i, a in enumerate(names) for b in names[i + 1 :] if "public" not in (a, b) or a != b]


def test_every_author_of_the_planted_class_is_correct(klass):
    """The oracle: every independent author and every disguised copy computes what the reference
    computes, so the independent authors really are correct, different code, and no disguise
    broke what it copied."""
    everyone, _, _, _ = klass
    for name, files in everyone.items():
        planted.check_correct(name, files)
    assert planted.reorder(planted.PUBLIC_OPT) != planted.PUBLIC_OPT  # the reordering did move lines


def test_every_planted_pair_ranks_above_every_independent_pair_and_none_is_reported(klass, comparison):
    everyone, groups, _, _ = klass
    scores = comparison.pair_scores()
    score = {frozenset(k): v for k, v in scores.items()}
    pairs = [(a, b) for a, b in _all_pairs(everyone)]
    copied = [score.get(frozenset(p), 0.0) for p in pairs if _is_planted(groups, *p)]
    independent = {p: score.get(frozenset(p), 0.0) for p in pairs if not _is_planted(groups, *p)}
    sizes = [len(group) for group in groups]
    assert len(copied) == sum(n * (n - 1) // 2 for n in sizes) and len(independent) > 40
    assert min(copied) > max(independent.values()), (min(copied), max(independent.items(), key=lambda i: i[1]))
    reported = {
        frozenset((comparison.entries[i].name, comparison.entries[j].name))
        for i, j, *_, s in comparison.rows
        if s > DEFAULT_THRESHOLD
    }
    true_positives = sum(frozenset(p) in reported for p in pairs if _is_planted(groups, *p))
    precision, recall = true_positives / len(reported), true_positives / len(copied)
    print(
        f"\nplanted class: {len(everyone) - 1} students + 1 public solution, {len(copied)} planted pairs, "
        f"{len(independent)} independent pairs; reported {len(reported)}: precision {precision:.2f}, "
        f"recall {recall:.2f}; lowest planted pair {min(copied):.2f}, highest independent "
        f"{max(independent.values()):.2f}"
    )
    assert precision == 1.0 and recall == 1.0


@pytest.mark.parametrize("disguise", sorted(planted.DISGUISES))
@pytest.mark.parametrize("assignment", course.ASSIGNMENT_IDS)
def test_normalization_sees_through_each_disguise(assignment, disguise):
    """The reference solution of every assignment, disguised, gives the very same tokens for
    every graded function (each disguise alone; the test of the class combines them)."""
    source = (paths.SOLUTIONS / f"{assignment}.py").read_text(encoding="utf-8")
    disguised = planted.DISGUISES[disguise](source)
    assert disguised != source
    original, copy = Module(source, baseline.api_names()), Module(disguised, baseline.api_names())
    for function in baseline.graded_functions(assignment):
        assert [t for t, _ in function_tokens(original, function)] == [t for t, _ in function_tokens(copy, function)], (
            f"{assignment}.{function} after {disguise}"
        )


def test_code_every_student_was_given_is_no_evidence(tmp_path):
    """Two students who handed in the stubs unchanged (the shipped, buggy backward_propagation_n
    included) share nothing that counts."""
    for student in ("ann", "ben"):
        (tmp_path / student).mkdir()
        for assignment in course.ASSIGNMENT_IDS:
            shutil.copy(paths.ASSIGNMENTS / f"{assignment}.py", tmp_path / student)
    result = compare(load_entries([tmp_path]))
    assert [a.prints for a in result.authors] == [{}, {}]
    assert result.rows == []


def test_a_short_function_written_the_one_way_is_no_evidence(tmp_path):
    """Two students who wrote the one-line learning-rate schedules identically are not reported,
    while the same two functions padded with three statements of identical own code are."""
    one_way = (
        "import numpy as np\n\n\ndef update_lr(learning_rate0, epoch_num, decay_rate):\n"
        "    return learning_rate0 / (1 + decay_rate * epoch_num)\n\n\n"
        "def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):\n"
        "    return learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))\n"
    )
    padded = one_way.replace(
        "    return learning_rate0 / (1 + decay_rate * epoch_num)\n",
        "    history = [learning_rate0 * 0.5 ** k for k in range(epoch_num % 7)]\n"
        "    ratio = sum(history) / max(len(history), 1) + 0.0 * np.mean(history or [0.0])\n"
        "    unused = {str(k): ratio ** k for k in range(3)}\n"
        "    return learning_rate0 / (1 + decay_rate * epoch_num) + 0 * len(unused)\n",
    )
    for name, text in (("ann", one_way), ("ben", one_way), ("cid", padded), ("dot", padded)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "optimization.py").write_text(text, encoding="utf-8")
    result = compare(load_entries([tmp_path]))
    best = {frozenset(k): v for k, v in result.pair_scores().items()}
    assert best.get(frozenset(("ann", "ben")), 0.0) < DEFAULT_THRESHOLD
    assert best[frozenset(("cid", "dot"))] > DEFAULT_THRESHOLD


def test_minhash_lsh_candidates_find_the_same_copies(klass, comparison):
    """The path for very large classes (MinHash LSH, datasketch) reports what the exact one does."""
    authors = comparison.authors
    for key in {(r[2], r[3]) for r in comparison.rows}:
        who = [i for i, a in enumerate(authors) if key in a.prints]
        sets, sources = [authors[i].prints[key] for i in who], [authors[i].source for i in who]
        exact = {(i, j) for i, j, s in scoring.score_function(sets, sources) if s > DEFAULT_THRESHOLD}
        lsh = {(i, j) for i, j, s in scoring.score_function(sets, sources, lsh_above=0) if s > DEFAULT_THRESHOLD}
        assert lsh == exact, key


def test_fingerprints_are_the_same_in_every_process():
    """Fingerprints are compared across processes (Dask workers): no salted hash()."""
    import subprocess
    import sys

    code = (
        "from grader.similarity.baseline import module_prints; from grader import paths; "
        "print(sorted(int(x) for x in module_prints((paths.SOLUTIONS / 'optimization.py').read_text(), "
        "'optimization')['update_parameters_with_adam'])[:5])"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1 and runs.pop().startswith("[")


def test_the_command_writes_the_csv_and_an_escaped_html_linked_from_the_class_summary(klass, tmp_path):
    from grader.batch.executors import failed_result
    from grader.cli import main
    from grader.pipeline.submission import load_or_explain
    from grader.report.output import write_submission

    _, _, folder, public = klass
    hostile = tmp_path / "class"
    shutil.copytree(folder, hostile)
    # A student whose name and code are HTML; a copy of it; an unparseable file.
    bad = "<img src=x onerror=alert(1)>"  # a folder name cannot hold "/"
    evil = planted.CAROL_GC.replace("    total = ", "    note = '</div><script>alert(2)</script>'\n    total = ")
    for name in (bad, "mallory"):
        (hostile / name).mkdir()
        (hostile / name / "gradient_checking.py").write_text(evil, encoding="utf-8")
    (hostile / "broken").mkdir()
    (hostile / "broken" / "optimization.py").write_text("def update_lr(:\n", encoding="utf-8")
    out = tmp_path / "grades"
    for name in ("carol", "c_prints"):  # a class folder: graded students have reports and a summary
        write_submission(failed_result(load_or_explain(hostile / name), "not graded in this test"), out)
    (out / "summary.html").write_text("old", encoding="utf-8")

    assert main(["similarity", str(hostile), "--against", str(public), "-o", str(out), "-j", "1"]) == 0

    with open(out / "similarity.csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["student_a", "student_b", "assignment", "function", "similarity"]
    values = [float(r[4]) for r in rows[1:]]
    assert values == sorted(values, reverse=True) and min(values) > DEFAULT_THRESHOLD
    assert ["carol", "c_prints", "optimization", "update_parameters_with_adam"] in [r[:4] for r in rows] or [
        "c_prints",
        "carol",
        "optimization",
        "update_parameters_with_adam",
    ] in [r[:4] for r in rows]
    assert any(r[1] == "public" and r[0].startswith("p_") for r in rows[1:])  # --against: the known source is b
    assert any({r[0], r[1]} == {bad, "mallory"} for r in rows[1:])

    page = (out / "similarity.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "&lt;script&gt;alert(2)" in page
    assert 'href="carol/report.html"' in page and 'href="c_prints/report.html"' in page
    assert 'class="match"' in page
    assert "<b>broken</b>: optimization.py: not compared, it cannot be parsed as Python (line 1" in page
    summary = (out / "summary.html").read_text(encoding="utf-8")
    assert 'href="similarity.html"' in summary and summary != "old"
    assert json.loads((out / "carol" / "results.json").read_text())["extra_data"]["student"] == "carol"


def test_grading_later_keeps_the_summary_link_to_the_similarity_report(tmp_path):
    from grader.batch.executors import failed_result
    from grader.batch.run import _class_files
    from grader.pipeline.submission import load_or_explain

    (tmp_path / "ann").mkdir()
    shutil.copy(paths.SOLUTIONS / "initialization.py", tmp_path / "ann")
    documents = {"ann": failed_result(load_or_explain(tmp_path / "ann"), "not graded in this test").to_json()}
    out = tmp_path / "grades"
    out.mkdir()
    _class_files(documents, out, None, None)
    assert "similarity.html" not in (out / "summary.html").read_text(encoding="utf-8")
    (out / "similarity.html").write_text("report", encoding="utf-8")
    _class_files(documents, out, None, None)
    assert 'href="similarity.html"' in (out / "summary.html").read_text(encoding="utf-8")


def test_usage_errors_name_what_was_wrong(tmp_path, capsys):
    from grader.cli import main

    assert main(["similarity", str(tmp_path / "missing")]) == 2
    assert "missing: no such file or folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["similarity", str(tmp_path), "--threshold", "2"])
    assert exit_.value.code == 2
    assert re.search(r"--threshold: expected a number from 0 to 1", capsys.readouterr().err)


@pytest.mark.slow
def test_dask_and_the_process_pool_give_the_same_rows(klass, comparison):
    pytest.importorskip("distributed")
    _, _, folder, public = klass
    entries = load_entries([folder], [public])
    for executor, jobs in (("local", 2), ("dask", 2)):
        other = compare(entries, executor=executor, jobs=jobs)
        assert [(r[:4], round(r[4], 9)) for r in other.rows] == [(r[:4], round(r[4], 9)) for r in comparison.rows]
    assert np.isfinite([r[4] for r in comparison.rows]).all()

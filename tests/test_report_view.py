"""The student's report and the self-check's terminal lead with what to fix (issue 14): the
submitted assignments first, failed checks with message, code line and hint before a
compact list of passed ones, missing assignments one line each; ``grade check`` finds the
bundle's work folders; helper files are not "ignored"; a misnamed file gets a guess."""

import re
import shutil
from dataclasses import replace

from grader import course, paths
from grader.mistakes import applied_to, catalogue
from grader.pipeline.grading import grade_submission
from grader.pipeline.submission import StudentFile, Submission, load_submission
from grader.report.output import report_html
from grader.report.terminal import terminal_lines
from grader.report.view import failed_check, report_view, split_message
from grader.results import CheckOutcome
from grader.student.selfcheck import self_check
from tests.helpers import reference_source, replace_function


def adam_without_bias_correction():
    mistake = next(e for e in catalogue("optimization") if e.name == "adam_no_bias_correction")
    return mistake, applied_to(reference_source("optimization"), mistake.source)


def graded(files, public=False):
    submission = Submission("kim", "test", {a: StudentFile(a, f"{a}.py", s) for a, s in files.items()})
    return grade_submission(submission, public=public)


def test_split_message_keeps_every_part_and_the_hint_is_the_outcomes_own():
    message = (
        "`f` raised KeyError: 'x'\nWhere, in your code:\n  File \"f.py\", line 3, in f\n    y = d['x']"
        "\nYour code printed:\nhello\nHint: not a hint, printed by the student"
    )
    assert split_message(message) == (
        "`f` raised KeyError: 'x'",
        "  File \"f.py\", line 3, in f\n    y = d['x']",
        "hello\nHint: not a hint, printed by the student",
    )
    assert split_message("plain") == ("plain", "", "")
    outcome = CheckOutcome("a", "f", "n", 1, False, message=message, mistake="m", hint="this looks like something.")
    failed = failed_check(outcome)
    assert (failed.text, failed.printed, failed.hint) == (
        "`f` raised KeyError: 'x'",
        "hello\nHint: not a hint, printed by the student",
        "this looks like something.",
    )
    assert failed_check(replace(outcome, hint="")).hint == ""


def test_a_partial_submission_leads_with_its_failures_and_hint():
    mistake, source = adam_without_bias_correction()
    result = graded({"optimization": source})
    view = report_view(result)
    assert [v.id for v in view.submitted] == ["optimization"]
    assert [a.id for a in view.missing] == [a for a in course.ASSIGNMENT_IDS if a != "optimization"]
    assert view.fix_first and view.fix_first[0].function == "update_parameters_with_adam"
    assert view.fix_first[0].check.hint == mistake.hint

    html = report_html(result)
    main = html[html.index("<main>") :]
    fix, section = main.index("Fix these first"), main.index('<h2 id="optimization">')
    failed_at, passed_at = main.index("failed check"), main.index("passed check")
    assert fix < section < failed_at < passed_at
    assert main.index("Hint: " + mistake.hint.replace("'", "&#39;")) < passed_at
    for missing in view.missing:  # one line each, no check of theirs listed
        assert len(re.findall(rf"<td>{missing.id}</td>", main)) == 1
        assert f'id="{missing.id}"' not in main
    assert "was not submitted" not in html
    passed = sum(o.passed for o in result.assignments[-1].outcomes)
    assert html.count('<span class="passed" aria-hidden="true">✔</span>') == passed


def test_the_terminal_ticks_each_passing_check_and_shows_the_code_line():
    source = replace_function(
        reference_source("optimization"),
        "update_lr",
        "def update_lr(learning_rate0, epoch_num, decay_rate):\n    table = {}\n    return table['lr']\n",
    )
    result = graded({"optimization": source}, public=True)
    lines = terminal_lines(result)
    outcomes = next(a for a in result.assignments if a.id == "optimization").outcomes
    assert sum(line.startswith("  ✔ ") for line in lines) == sum(o.passed for o in outcomes) > 0
    crossed = lines.index(next(line for line in lines if line.startswith("  ✘ update_lr")))
    assert "KeyError" in lines[crossed + 1]
    assert re.search(r"line \d+, in update_lr", lines[crossed + 2]) and "return table['lr']" in lines[crossed + 3]
    assert [line for line in lines if line.endswith("not found")] == [
        f"{a}: not found" for a in course.ASSIGNMENT_IDS if a != "optimization"
    ]


def test_helpers_are_not_unknown_and_a_misnamed_file_gets_a_guess(tmp_path):
    folder = tmp_path / "lea"
    folder.mkdir()
    (folder / "optimisation.py").write_text(reference_source("optimization"))
    (folder / "Regularization.ipynb").write_text("{}")
    (folder / "notes.txt").write_text("x")
    helper = course.helper_files()[0]
    shutil.copy(helper, folder / helper.name)
    submission = load_submission(folder)
    assert helper.name in submission.provided and helper.name not in submission.unknown
    assert "notes.txt" in submission.unknown
    assert any(
        n.text.startswith("optimization: optimisation.py is not graded: did you mean `optimization.py`?")
        and n.assignment == "optimization"  # the guess, as data
        for n in submission.notes
    )
    assert any("did you mean `regularization.ipynb`?" in n.text for n in submission.notes)
    result = grade_submission(submission)  # the hidden grading shows the guess in that assignment
    optimization = next(a for a in result.assignments if a.id == "optimization")
    assert any("did you mean `optimization.py`?" in n for n in optimization.notes)
    assert "did you mean `optimization.py`?" in report_html(result)
    view = report_view(result)  # leads "fix these first", with no check of the file that was not graded
    assert [a for a, _ in view.unusable] == ["regularization", "optimization"] and view.fix_first == ()
    assert result.to_json()["extra_data"]["unknown_files"] == sorted(
        ["notes.txt", "optimisation.py", "Regularization.ipynb"]
    )


def test_grade_check_without_a_path_finds_the_bundle_folders(tmp_path, capsys):
    bundle = tmp_path / "bundle"
    (bundle / "assignments").mkdir(parents=True)
    for helper in course.helper_files():
        shutil.copy(helper, bundle / "assignments" / helper.name)
    for assignment in course.ASSIGNMENT_IDS:
        shutil.copy(paths.ASSIGNMENTS / f"{assignment}.py", bundle / "assignments" / f"{assignment}.py")
    (bundle / "assignments" / "gradient_checking.py").write_text(reference_source("gradient_checking"))
    from grader.authoring.notebooks import write_notebooks

    write_notebooks(bundle / "notebooks")
    assert self_check(bundle, tmp_path / "out", isolation="process") == 0
    printed = capsys.readouterr().out
    assert "Checking assignments/ and notebooks/" in printed
    assert "gradient_checking (assignments/gradient_checking.py): 4/4 public checks passed" in printed
    assert "not found" not in printed
    html = (tmp_path / "out" / "report.html").read_text()
    assert "Ignored" not in html and "Other files" not in html


def test_backticked_names_become_code_and_everything_stays_escaped():
    from grader.report.output import code_spans

    assert (
        str(code_spans("did you mean `optimization.py`? <b>`x<y`"))
        == "did you mean <code>optimization.py</code>? &lt;b&gt;<code>x&lt;y</code>"
    )


def test_a_submission_the_grader_failed_on_says_not_graded_never_all_passed():
    from grader.batch.executors import failed_result

    submission = Submission("kim", "test", {a: StudentFile(a, f"{a}.py", "") for a in course.ASSIGNMENT_IDS})
    result = failed_result(submission, "its worker process died twice while grading it")
    assert "all checks passed" not in result.summary()
    assert result.summary().count("not graded") == len(course.ASSIGNMENT_IDS)
    assert not report_view(result).all_passed
    assert "All checks passed" not in report_html(result) and "our bug" in report_html(result)
    passing = graded({"gradient_checking": reference_source("gradient_checking")})
    assert "all checks passed" in passing.summary() and report_view(passing).all_passed

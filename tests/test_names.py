"""Student names as data (``grader/report/names.py``): a folder of its own in OUT for every
student, whatever the names; CSV cells that are never formulas; logs and CI summaries
that a name cannot forge or recolour."""

import csv
import io
import json

from grader.batch.run import grade_paths
from grader.report import names
from grader.report.summary import markdown_summary
from tests.helpers import stub_source

HOSTILE = [
    "a b",
    "a_b",
    "A_B",
    "gradebook.csv",
    "summary.html",
    '=HYPERLINK("x";"y")',
    "+1",
    "-2",
    "@SUM(A1)",
    "forged\nok: 500 of 500",
    "red\x1b[31mx\x1b[0m",
    "bidi\u202eexe.fdp",
]


def test_every_name_gets_a_folder_of_its_own_and_the_class_files_are_never_taken(tmp_path):
    chosen, notices = names.folders(HOSTILE, tmp_path)
    folders = [f.casefold() for f in chosen.values()]
    assert len(set(folders)) == len(HOSTILE)
    assert not any(f.endswith(names.CLASS_SUFFIXES) for f in folders)
    assert chosen["A_B"] == "A_B" and chosen["a b"] != "a_b" and chosen["a_b"] != "a_b"  # name order decides
    assert len(notices) == 4 and all("\n" not in n and "\x1b" not in n for n in notices)
    assert names.folders(HOSTILE, tmp_path) == (chosen, notices)  # the same every run


def test_a_folder_in_out_that_holds_another_student_is_not_reused(tmp_path):
    (tmp_path / "a_b").mkdir()
    (tmp_path / "a_b" / "results.json").write_text(json.dumps({"extra_data": {"student": "a b"}}))
    alone, _ = names.folders(["a_b"], tmp_path)  # graded on its own, later: not into a b's folder
    both, _ = names.folders(["a b", "a_b"], tmp_path)
    assert alone["a_b"] == both["a_b"] != "a_b" and both["a b"] == "a_b"
    assert names.folders(["a b"], tmp_path)[0] == {"a b": "a_b"}


def test_csv_cells_and_log_lines():
    for start in names.FORMULA_STARTS:
        assert names.csv_cell(f"{start}1+1").startswith("'")
    assert names.csv_cell("alice") == "alice"
    assert names.printable("a\nb\x1b[2J\u2028c") == "a\\nb\\x1b[2J\\u2028c"
    assert names.markdown("![x](http://t/p.png) | <b>") == "\\!\\[x\\]\\(http\\://t/p.png\\) \\| \\<b\\>"


def test_a_class_of_hostile_names_grades_every_student_into_its_own_folder(tmp_path, capsys):
    root, out = tmp_path / "class", tmp_path / "out"
    for name in HOSTILE:
        (root / name).mkdir(parents=True)
        (root / name / "gradient_checking.py").write_text(stub_source("gradient_checking"))
    assert grade_paths([root], out, jobs=2) == 0
    documents = [json.loads(p.read_text()) for p in out.glob("*/results.json")]
    assert sorted(d["extra_data"]["student"] for d in documents) == sorted(HOSTILE)
    for document in documents:
        assert (out / document["extra_data"]["folder"] / "report.html").is_file()
    rows = list(csv.reader(io.StringIO((out / "gradebook.csv").read_text())))
    assert len(rows) == len(HOSTILE) + 1 and (out / "summary.html").is_file()
    assert not any(cell.startswith(names.FORMULA_STARTS) for row in rows for cell in row[:1] + row[-2:])
    logged = capsys.readouterr()
    assert "\x1b" not in logged.err + logged.out and "\nok: 500 of 500" not in logged.err + logged.out
    summary = markdown_summary(documents)
    assert "\x1b" not in summary and "\u202e" not in summary and "](" not in summary

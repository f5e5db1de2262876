"""``.ipynb`` submissions: the grader keeps the imports and the definitions, leaves the
training, the plots and the IPython lines out, and says clearly when a notebook cannot
be read."""

import json
import time

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader import paths
from grader.cli import main
from grader.pipeline.grading import check_files, grade_submission
from grader.pipeline.notebook import notebook_source
from grader.pipeline.submission import load_submission
from tests.helpers import reference_source, replace_function, stub_source
from tests.test_notebooks import filled_notebook

HIDDEN = [p.stem for p in check_files() if (paths.ASSIGNMENTS / f"{p.stem}.py").exists()]


def write_notebook(path, cells):
    nbformat.write(
        new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}}), str(path)
    )
    return path


def outcomes(result, assignment):
    a = next(a for a in result.assignments if a.id == assignment)
    return a, [(o.function, o.name, o.passed, o.score) for o in a.outcomes]


def first_function(assignment):
    import ast

    return next(n.name for n in ast.parse(stub_source(assignment)).body if isinstance(n, ast.FunctionDef))


@pytest.mark.slow
@pytest.mark.parametrize("assignment", HIDDEN)
def test_the_same_functions_score_the_same_as_py_and_as_ipynb(assignment, tmp_path):
    """The generated notebook, filled in (one function left as the stub), with its full-length
    training cells, ``%matplotlib inline`` and ``!pip`` lines, scores as the .py does."""
    function = first_function(assignment)
    stub = stub_source(assignment)
    import ast

    node = next(n for n in ast.parse(stub).body if isinstance(n, ast.FunctionDef) and n.name == function)
    source = replace_function(
        reference_source(assignment), function, "\n".join(stub.splitlines()[node.lineno - 1 : node.end_lineno])
    )
    (tmp_path / "py").mkdir()
    (tmp_path / "py" / f"{assignment}.py").write_text(source)
    notebook = filled_notebook(assignment, source)  # FAST = False: its experiments train for minutes
    notebook.cells.insert(0, new_code_cell("!pip install --quiet numpy\n%load_ext autoreload\n%autoreload 2"))
    notebook.cells.append(new_code_cell("%%bash\necho done"))
    notebook.cells.append(new_code_cell("import time\nfor epoch in range(10**6):\n    time.sleep(1)"))
    (tmp_path / "nb").mkdir()
    nbformat.write(notebook, str(tmp_path / "nb" / f"{assignment}.ipynb"))

    as_py = grade_submission(load_submission(tmp_path / "py"))
    started = time.monotonic()
    as_ipynb = grade_submission(load_submission(tmp_path / "nb"))
    assert time.monotonic() - started < 60  # graded in seconds, not trained for minutes
    py, py_outcomes = outcomes(as_py, assignment)
    nb, nb_outcomes = outcomes(as_ipynb, assignment)
    assert nb.source == f"{assignment}.ipynb" and not nb.notes, nb.notes
    assert nb_outcomes == py_outcomes
    assert 0 < nb.score < 100  # the stub's function fails, the others pass
    for a, b in zip(py.outcomes, nb.outcomes):
        assert a.message.split("\n")[0] == b.message.split("\n")[0]


def test_training_plotting_and_magics_are_left_out():
    notebook = new_notebook(
        cells=[
            new_markdown_cell("# My work"),
            new_code_cell(
                "%matplotlib inline\n!pip install numpy\nimport numpy as np\nimport matplotlib.pyplot as plt"
            ),
            new_code_cell(
                "EPS = 1e-7\nLAYERS = [2, 10, 5, 1]\nrelu = np.maximum\n"
                "def gradient_check(x, theta, epsilon=EPS):\n    return 0.0\n"
                "X = np.random.randn(2, 10)\nn = X.shape[0]\nfiles = !ls\n"
            ),
            new_code_cell("for i in range(10**9):\n    pass\nplt.plot([1, 2])\nprint(gradient_check(2, 4))"),
            new_code_cell("%%bash\nrm -rf /\n"),
            new_code_cell("%%time\ndef backward_propagation(x, theta):\n    return x\n"),
            new_code_cell("try:\n    import scipy\nexcept ImportError:\n    scipy = None\n"),
        ]
    )
    source = notebook_source(nbformat.writes(notebook).encode(), "gradient_checking.ipynb")
    namespace = {}
    started = time.monotonic()
    exec(compile(source, "gradient_checking.ipynb", "exec"), namespace)
    assert time.monotonic() - started < 5
    assert (
        namespace["EPS"] == 1e-7
        and namespace["LAYERS"] == [2, 10, 5, 1]
        and namespace["relu"] is namespace["np"].maximum
    )
    assert namespace["gradient_check"](2, 4) == 0.0 and namespace["backward_propagation"](2, 4) == 2
    for left_out in ("plt", "X", "n", "files", "i"):
        assert left_out not in namespace, left_out
    for text in ("%", "!pip", "rm -rf", "plt.plot", "range(10**9)"):
        assert text not in source, text


def test_a_redefined_function_keeps_its_last_definition(tmp_path):
    wrong = "def forward_propagation(x, theta):\n    return theta + x\n"
    right = "def forward_propagation(x, theta):\n    return theta * x\n"
    rest = reference_source("gradient_checking")
    scores = {}
    for name, order in (("wrong-then-right", [wrong, right]), ("right-then-wrong", [right, wrong])):
        folder = tmp_path / name
        folder.mkdir()
        write_notebook(folder / "gradient_checking.ipynb", [new_code_cell(rest)] + [new_code_cell(c) for c in order])
        result = grade_submission(load_submission(folder))
        a, results = outcomes(result, "gradient_checking")
        scores[name] = {(f, n): passed for f, n, passed, _ in results if f == "forward_propagation"}
    assert all(scores["wrong-then-right"].values())
    assert not any(scores["right-then-wrong"].values())


def test_a_cell_with_a_syntax_error_names_itself_and_spares_the_rest(tmp_path):
    source = reference_source("gradient_checking")
    folder = tmp_path / "sam"
    folder.mkdir()
    write_notebook(
        folder / "gradient_checking.ipynb",
        [
            new_code_cell(source),
            new_code_cell("def backward_propagation(x, theta):\n    return x\n"),  # fine, then broken below
            new_code_cell("def forward_propagation(x, theta:\n    return theta * x\n"),
            new_code_cell("def unrelated(:\n    pass\n"),
        ],
    )
    result = grade_submission(load_submission(folder))
    a, results = outcomes(result, "gradient_checking")
    assert a.score == 100  # the earlier, correct definitions stand, as in a kernel where the cell failed
    text = notebook_source((folder / "gradient_checking.ipynb").read_bytes(), "gradient_checking.ipynb")
    assert "code cell 4 of gradient_checking.ipynb has a syntax error" in text


BROKEN = {
    "truncated": lambda good: good[: len(good) // 2],
    "not JSON": lambda good: b"print('hello')\n",
    "empty": lambda good: b"",
    "not UTF-8": lambda good: b"\xff\xfe\x00{",
    "JSON but not a notebook": lambda good: b'{"name": "alice", "answers": [1, 2, 3]}',
    "a JSON list": lambda good: b"[1, 2, 3]",
    "no code cells": lambda good: json.dumps(
        {
            "cells": [{"cell_type": "markdown", "source": "hi", "metadata": {}}],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    ).encode(),
}


@pytest.mark.parametrize("kind", BROKEN)
def test_an_unreadable_notebook_gets_a_clear_message_naming_the_file(kind, tmp_path):
    good = tmp_path / "good.ipynb"
    write_notebook(good, [new_code_cell(reference_source("gradient_checking"))])
    folder = tmp_path / "kim"
    folder.mkdir()
    (folder / "gradient_checking.ipynb").write_bytes(BROKEN[kind](good.read_bytes()))
    (folder / "optimization.py").write_text("x = 1\n")
    submission = load_submission(folder)
    message = submission.problems["gradient_checking"]
    assert message.startswith("gradient_checking.ipynb: ")
    assert any(
        words in message for words in ("not a readable notebook", "not a Jupyter notebook", "no code cells", "empty")
    )


def test_the_cli_grades_past_a_corrupt_notebook_and_reports_it(tmp_path):
    folder = tmp_path / "lee"
    folder.mkdir()
    (folder / "gradient_checking.ipynb").write_text('{"cells": [{"cell_type": "code", "sour')
    (folder / "optimization.ipynb").write_text("")
    out = tmp_path / "out"
    assert main([str(folder), "-o", str(out)]) == 0
    results = json.loads((out / "lee" / "results.json").read_text())
    notes = results["extra_data"]["assignments"]["gradient_checking"]["notes"]
    assert any("gradient_checking.ipynb: not a readable notebook" in n for n in notes), notes
    assert "gradient_checking.ipynb" in (out / "lee" / "report.html").read_text()


def test_with_both_py_and_ipynb_the_report_states_the_choice(tmp_path):
    folder = tmp_path / "max"
    folder.mkdir()
    (folder / "gradient_checking.py").write_text(reference_source("gradient_checking"))
    write_notebook(folder / "gradient_checking.ipynb", [new_code_cell(stub_source("gradient_checking"))])
    out = tmp_path / "out"
    assert main([str(folder), "-o", str(out)]) == 0
    results = json.loads((out / "max" / "results.json").read_text())
    entry = results["extra_data"]["assignments"]["gradient_checking"]
    assert entry["source"] == "gradient_checking.py" and entry["score"] == 100
    assert any(
        "both gradient_checking.ipynb and gradient_checking.py" in n
        or "both gradient_checking.py and gradient_checking.ipynb" in n
        for n in entry["notes"]
    ), entry["notes"]
    assert "gradient_checking.py was graded" in (out / "max" / "report.html").read_text()

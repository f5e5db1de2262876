"""The students' notebooks, generated from the stubs (never edited by hand).

    python -m grader.authoring.notebooks OUT_DIR      # writes OUT_DIR/<id>.ipynb for every stub

A notebook is the stub's code, cell by cell, with the explanations of
``grader/notebook_text/<id>.md`` around it:

1. the text's ``intro`` (or the stub's module docstring), then how to work;
2. a setup cell: the helpers and the self-check on ``sys.path``, the stub's imports,
   ``check`` (runs one function's public checks, ``notebook_check``) and ``this`` (the
   notebook's functions, handed to the provided models as ``impl=this``);
3. a parameter cell ``FAST = False`` (tagged ``parameters``; ``True`` cuts every
   training run short, for a quick look or a test);
4. per function of the stub: the text's ``before <function>`` cells, the function
   exactly as in the stub (docstring and ``raise NotImplementedError``; tagged
   ``graded``, ``metadata.grader.function`` names it), a check cell, and the text's ``after <function>`` cells;
5. the text's ``end``: experiments that train the provided model and plot.

In the text files, ``<!-- intro -->``, ``<!-- before f -->``, ``<!-- after f -->`` and
``<!-- end -->`` start sections; inside a section, fenced ``python`` blocks are code
cells and the rest is markdown. The notebook expects to sit one folder below the
bundle's root (``notebooks/``), beside ``assignments/`` and ``grader/``.
"""

import ast
import re
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader import course, paths

TEXT = Path(__file__).parent / "notebook_text"
SECTION = re.compile(r"^<!--\s*(intro|before|after|end)\s*([A-Za-z_]\w*)?\s*-->\s*$", re.M)
FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
KERNEL = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}

HOW_TO_WORK = """\
**How to work.** Each graded function comes with its docstring, whose *Notes* fix the formula that
is graded. Replace `raise NotImplementedError(...)` with your code, run the cell, then run the check
cell under it: it runs that function's public checks. Run the setup cell below first.

When you are done, run `grade check notebooks` in a terminal, from the bundle's folder, for all the
public checks at once. Submit this notebook, `{id}.ipynb` (or `assignments/{id}.py` if you worked
there -- not both). The grader keeps only your imports, functions and constants: training and
plotting cells are not run, so they cost no grading time, but a graded function must not use a
variable that a training cell computes. The hidden checks that grade your work test more cases than
the public ones."""

SETUP = """\
%matplotlib inline
import os
import sys

# The provided helpers (../assignments) and the self-check (the grader package in ..).
sys.path[:0] = [os.path.abspath(os.path.join("..", "assignments")), os.path.abspath("..")]

{stub_code}

try:  # check("f") runs the public checks of the function f
    from grader.student.notebook_check import checker
    check = checker({id!r}, globals())
except ImportError:  # this notebook was moved out of the bundle's notebooks/ folder
    def check(function):
        print("The self-check is not available here: open this notebook from the bundle's notebooks/ folder.")
this = sys.modules[__name__]  # this notebook's functions, for the provided models: impl=this"""

PARAMETERS = """\
# True cuts every training run below to a few hundred iterations (a quick look, or a test);
# the course's figures need FAST = False.
FAST = False"""


def text_sections(assignment):
    """``{(kind, function): [cell, ...]}`` from ``notebook_text/<id>.md`` (empty if absent)."""
    path = TEXT / f"{assignment}.md"
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    marks = list(SECTION.finditer(text))
    sections = {}
    for mark, following in zip(marks, marks[1:] + [None]):
        body = text[mark.end() : following.start() if following else len(text)]
        sections[(mark.group(1), mark.group(2) or "")] = _cells(body)
    return sections


def _cells(body):
    cells, position = [], 0
    for fence in FENCE.finditer(body):
        _markdown(cells, body[position : fence.start()])
        cells.append(new_code_cell(fence.group(1).rstrip("\n")))
        position = fence.end()
    _markdown(cells, body[position:])
    return cells


def _markdown(cells, text):
    if text.strip():
        cells.append(new_markdown_cell(text.strip("\n")))


def stub_parts(assignment, folder=None):
    """``(docstring, setup code, [(function name, source)])`` of the stub ``<id>.py``."""
    source = (Path(folder or paths.ASSIGNMENTS) / f"{assignment}.py").read_text(encoding="utf-8")
    tree, lines = ast.parse(source), source.splitlines()
    docstring = ast.get_docstring(tree) or assignment
    setup, functions = [], []
    for node in tree.body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        code = "\n".join(lines[start - 1 : node.end_lineno])
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            functions.append((node.name, code))
        elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            setup.append(code)  # imports and constants: the setup cell
    return docstring, "\n".join(setup), functions


def build_notebook(assignment, stubs=None):
    """The notebook of ``assignment`` (an ``nbformat`` node, validated)."""
    docstring, setup, functions = stub_parts(assignment, stubs)
    text = text_sections(assignment)
    title, _, rest = docstring.partition("\n")
    cells = text.get(("intro", "")) or [new_markdown_cell(f"# {title}\n\n```text\n{rest.strip()}\n```")]
    cells.append(new_markdown_cell(HOW_TO_WORK.format(id=assignment)))
    cells.append(_tagged(new_code_cell(SETUP.format(stub_code=setup, id=assignment)), "setup"))
    cells.append(_tagged(new_code_cell(PARAMETERS), "parameters"))
    for name, code in functions:
        cells += text.get(("before", name)) or [new_markdown_cell(f"### `{name}`\n\n{_summary(code)}")]
        cell = _tagged(new_code_cell(code), "graded")
        cell.metadata["grader"] = {"function": name}
        cells.append(cell)
        if not name.startswith("_"):
            cells.append(_tagged(new_code_cell(f"check({name!r})"), "check"))
        cells += text.get(("after", name), [])
    cells += text.get(("end", ""), [])
    for number, cell in enumerate(cells):
        cell.id = f"{assignment}-{number}"  # the same stubs give the same notebook, byte for byte
    notebook = new_notebook(cells=cells, metadata=dict(KERNEL))
    nbformat.validate(notebook)
    return notebook


def _tagged(cell, tag):
    cell.metadata["tags"] = [tag]
    return cell


def _summary(code):
    node = ast.parse(code).body[0]
    return (ast.get_docstring(node) or "").split("\n\n")[0]


def write_notebooks(out, stubs=None):
    """Write ``out/<id>.ipynb`` for every assignment whose stub exists; returns the paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for assignment in course.ASSIGNMENT_IDS:
        if (Path(stubs or paths.ASSIGNMENTS) / f"{assignment}.py").exists():
            path = out / f"{assignment}.ipynb"
            nbformat.write(build_notebook(assignment, stubs), str(path))
            written.append(path)
    return written


if __name__ == "__main__":
    for written in write_notebooks(sys.argv[1] if len(sys.argv) > 1 else "notebooks"):
        print(f"wrote {written}")

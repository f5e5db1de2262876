"""The notebooks' expected outputs: each notebook is run once, when the bundle is built, with
the reference's functions in place of the stubs, and the outputs of its check cells and its
training and plotting cells are stored in the student's notebook (whose graded cells stay the
stubs). A student opening it sees what each check and each figure should look like, as in the
course's own notebooks; running a cell replaces its output with theirs.

Only outputs move: no code of the reference. A run that ends in an error stops the build (a
traceback would show the reference's lines), and ``release.find_leaks`` scans the outputs too.
"""

import ast
import asyncio
import json
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import nbformat

from grader import course, paths

NOTE = (
    "*The outputs below, before you run anything, are the expected ones: computed when this notebook "
    "was handed out, with the course's solution in place of the functions you write. Running a cell "
    "replaces its output with yours.*"
)


def tags(cell):
    return cell.metadata.get("tags", [])


def _segment(lines, node):
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return "\n".join(lines[start - 1 : node.end_lineno])


def filled_notebook(notebook, source, fast=False):
    """A copy of ``notebook`` with every graded cell taken from ``source`` (a module's text) and the
    module's other top-level code (imports, private helpers) appended to the setup cell."""
    notebook = nbformat.from_dict(json.loads(json.dumps(notebook)))
    tree, lines = ast.parse(source), source.splitlines()
    graded = {c.metadata.grader.function for c in notebook.cells if "graded" in tags(c)}
    functions = {n.name: _segment(lines, n) for n in tree.body if isinstance(n, ast.FunctionDef)}
    extra = [
        _segment(lines, n)
        for n in tree.body
        if getattr(n, "name", None) not in graded
        and not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))
    ]
    for cell in notebook.cells:
        if "setup" in tags(cell):
            cell.source += "\n\n# The rest of the module\n" + "\n".join(extra)
        elif "graded" in tags(cell):
            cell.source = functions[cell.metadata.grader.function]
        elif "parameters" in tags(cell) and fast:
            cell.source = "FAST = True"
    return notebook


@contextmanager
def kernel_spec():
    """A kernel spec for this Python, found through ``JUPYTER_PATH`` (nothing installed for the user)."""
    with tempfile.TemporaryDirectory(prefix="grader-kernel-") as folder:
        spec = Path(folder) / "kernels" / "grader-build"
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(
            json.dumps(
                {
                    "argv": [
                        sys.executable,
                        "-m",
                        "ipykernel_launcher",
                        "-f",
                        "{connection_file}",
                        "--IPKernelApp.log_level=40",
                    ],  # no start-up warnings in grade release's output
                    "display_name": "grader build",
                    "language": "python",
                }
            )
        )
        saved = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = folder + (os.pathsep + saved if saved else "")
        try:
            yield "grader-build"
        finally:
            if saved is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = saved


class NotebookRunError(Exception):
    """The reference notebook did not run cleanly; ``str()`` names the notebook and the cell."""


def execute(notebooks, folder, fast=False, timeout=1800, parallel=2):
    """Run ``{assignment: notebook}`` filled with the reference in ``folder`` (the bundle's
    ``notebooks/``, so that the bundle's own grader runs the checks); returns the executed copies."""
    import nbclient

    filled = {
        a: filled_notebook(nb, (paths.SOLUTIONS / f"{a}.py").read_text(encoding="utf-8"), fast)
        for a, nb in notebooks.items()
    }

    async def run_all(kernel):
        semaphore = asyncio.Semaphore(parallel)

        async def one(notebook):
            async with semaphore:
                client = nbclient.NotebookClient(
                    notebook, timeout=timeout, kernel_name=kernel, resources={"metadata": {"path": str(folder)}}
                )
                await client.async_execute()

        await asyncio.gather(*(one(nb) for nb in filled.values()))

    with kernel_spec() as kernel:
        try:
            asyncio.run(run_all(kernel))
        except nbclient.exceptions.CellExecutionError as error:
            raise NotebookRunError(f"a notebook failed with the reference: {error.ename}: {error.evalue}") from None
    for assignment, notebook in filled.items():
        for cell in notebook.cells:
            if cell.cell_type == "code" and any(o.output_type == "error" for o in cell.outputs):
                raise NotebookRunError(f"{assignment}.ipynb, cell {cell.id}: an error with the reference")
    return filled


def with_expected_outputs(notebook, executed):
    """``notebook`` (the student's) with the outputs of ``executed`` in its check and plain code
    cells (never in the graded or setup cells), and a note saying what they are."""
    outputs = {c.id: c.outputs for c in executed.cells if c.cell_type == "code"}
    for cell in notebook.cells:
        if cell.cell_type != "code" or set(tags(cell)) & {"graded", "setup", "parameters"}:
            continue
        cell.outputs = [_clean(o) for o in outputs.get(cell.id, []) if o.output_type != "error"]
        if cell.outputs:
            cell.metadata["grader"] = {**cell.metadata.get("grader", {}), "expected_output": True}
    how = next((i for i, c in enumerate(notebook.cells) if c.cell_type == "code"), 0)
    prefix = notebook.cells[0].id.rsplit("-", 1)[0]
    notebook.cells.insert(how, nbformat.v4.new_markdown_cell(NOTE, id=f"{prefix}-expected"))
    nbformat.validate(notebook)
    return notebook


def _clean(output):
    """An output without execution counts or transient metadata (a stable, small file)."""
    output = nbformat.from_dict(json.loads(json.dumps(output)))
    if "execution_count" in output:
        output["execution_count"] = None
    output.pop("transient", None)
    return output


def add_expected_outputs(folder, fast=False):
    """Rewrite every ``folder/<id>.ipynb`` with its expected outputs; returns the paths."""
    folder = Path(folder)
    notebooks = {
        p.stem: nbformat.read(p, as_version=4)
        for p in sorted(folder.glob("*.ipynb"))
        if p.stem in course.ASSIGNMENT_IDS and (paths.SOLUTIONS / f"{p.stem}.py").exists()
    }
    executed = execute(notebooks, folder, fast=fast)
    written = []
    for assignment, notebook in notebooks.items():
        path = folder / f"{assignment}.ipynb"
        nbformat.write(with_expected_outputs(notebook, executed[assignment]), str(path))
        written.append(path)
    return written

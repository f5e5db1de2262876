"""The notebooks generated from the stubs: they validate, hold one graded cell per stub
function with its check, explain the course's ideas, and -- with the reference filled
in -- execute without an error in a real kernel, inside a built bundle."""

import ast
import asyncio
import json
import sys

import nbformat
import pytest

from grader import course, paths
from grader.authoring.notebooks import build_notebook, stub_parts
from grader.authoring.release import build_release

STUBS = [a for a in course.ASSIGNMENT_IDS if (paths.ASSIGNMENTS / f"{a}.py").exists()]

# What each notebook must explain (COURSE.md's lessons), lower-cased.
LESSONS = {
    "initialization": ["symmetry", "he", "sqrt{2 / n_{l-1}}", "ln 2"],
    "regularization": ["keep_prob", "only at training time", "weight decay", "dev set", "inverted dropout"],
    "gradient_checking": ["centred difference", "relative difference", "2 \\varepsilon"],
    "gradient_checking_nd": ["2 \\times 10^{-7}", "which", "dropout", "slow"],
    "optimization": ["momentum", "rmsprop", "adam", "bias correction", "start at zero", "t` counts adam steps from 1"],
}


def tags(cell):
    return cell.metadata.get("tags", [])


def _segment(lines, node):
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return "\n".join(lines[start - 1 : node.end_lineno])


def filled_notebook(assignment, source, fast=False, stubs=None):
    """The generated notebook with every graded cell taken from ``source`` (a module's
    text) and the module's other top-level code (imports, private helpers) appended to
    the setup cell, as a student who filled it in would have it."""
    notebook = build_notebook(assignment, stubs)
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


@pytest.mark.parametrize("assignment", STUBS)
def test_notebook_validates_and_follows_the_stub(assignment):
    notebook = build_notebook(assignment)
    nbformat.validate(notebook)  # raises on an invalid notebook
    nbformat.validate(nbformat.reads(nbformat.writes(notebook), as_version=4))
    _, _, functions = stub_parts(assignment)
    graded = [c for c in notebook.cells if "graded" in tags(c)]
    assert [c.metadata.grader.function for c in graded] == [name for name, _ in functions]
    for cell, (name, code) in zip(graded, functions):
        assert cell.source == code  # the stub's code, docstring and body, unchanged
        following = notebook.cells[notebook.cells.index(cell) + 1]
        assert following.source == f"check({name!r})"
    assert sum("raise NotImplementedError" in c.source for c in graded) >= len(graded) - 1  # gc_nd's planted bugs
    setup = next(c for c in notebook.cells if "setup" in tags(c))
    assert "checker(" in setup.source and "%matplotlib inline" in setup.source
    assert any(
        c.source.strip() == "FAST = False" or "FAST = False" in c.source
        for c in notebook.cells
        if "parameters" in tags(c)
    )


@pytest.mark.parametrize("assignment", [a for a in STUBS if a in LESSONS])
def test_notebook_explains_the_idea(assignment):
    notebook = build_notebook(assignment)
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown").lower()
    missing = [word for word in LESSONS[assignment] if word not in text]
    assert not missing, f"{assignment}'s notebook does not explain: {missing}"
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code" and not tags(c))
    assert "plt." in code, "the notebook should plot"
    if assignment in ("initialization", "regularization", "optimization"):  # they have a provided model
        assert "model(" in code and "impl=this" in code, "the notebook should train the provided model"


def test_notebooks_are_reproducible():
    for assignment in STUBS:
        assert nbformat.writes(build_notebook(assignment)) == nbformat.writes(build_notebook(assignment))


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("release") / "bundle"
    assert build_release(out, expected_outputs="none") == 0
    return out


@pytest.fixture(scope="module")
def kernel_name(tmp_path_factory):
    """A kernel spec for this Python, found through JUPYTER_PATH (nothing installed for the user)."""
    pytest.importorskip("ipykernel")
    folder = tmp_path_factory.mktemp("jupyter")
    spec = folder / "kernels" / "grader-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "grader test",
                "language": "python",
            }
        )
    )
    patch = pytest.MonkeyPatch()
    patch.setenv("JUPYTER_PATH", str(folder))
    yield "grader-test"
    patch.undo()


@pytest.mark.slow
def test_reference_notebooks_execute_cleanly_in_the_bundle(bundle, kernel_name):
    """Every notebook, with the reference filled in and FAST = True, runs top to bottom
    in a kernel whose only grader is the bundle's; every public check it runs passes."""
    nbclient = pytest.importorskip("nbclient")
    folder = bundle / "notebooks"
    notebooks = {}
    for assignment in STUBS:
        source = (paths.SOLUTIONS / f"{assignment}.py").read_text()
        notebook = filled_notebook(assignment, source, fast=True, stubs=bundle / "assignments")
        notebook.cells.append(nbformat.v4.new_code_cell("import grader\nprint('grader from', grader.__file__)"))
        notebooks[assignment] = notebook

    async def run(notebook):
        client = nbclient.NotebookClient(
            notebook, timeout=120, kernel_name=kernel_name, resources={"metadata": {"path": str(folder)}}
        )
        await client.async_execute()

    async def run_all():
        semaphore = asyncio.Semaphore(3)

        async def one(notebook):
            async with semaphore:
                await run(notebook)

        await asyncio.gather(*(one(nb) for nb in notebooks.values()))

    asyncio.run(run_all())
    for assignment, notebook in notebooks.items():
        printed = "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs)
        errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert not errors, f"{assignment}: {errors[0].ename}: {errors[0].evalue}"
        assert any(f"grader from {root / 'grader'}" in printed for root in (bundle, bundle.resolve())), (
            f"{assignment}: the kernel did not import the bundle's grader"
        )
        assert "✘" not in printed, f"{assignment}: a public check failed in the notebook:\n{printed}"
        checks = [c for c in notebook.cells if "check" in tags(c)]
        assert checks and all(c.outputs for c in checks)
        assert any(
            o.output_type == "display_data" and "image/png" in o.data
            for c in notebook.cells
            if c.cell_type == "code"
            for o in c.outputs
        ), f"{assignment}: no figure was drawn"

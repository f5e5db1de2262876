"""The Python source of a notebook submission (SPEC §4).

A notebook is read with plain ``json`` (no nbformat, no jsonschema: a submission is
graded in seconds). From its code cells, in file order, the grader keeps what defines
the student's module and nothing that trains or plots:

- imports (except the display-only and grading packages in ``LEFT_OUT_IMPORTS``),
- function and class definitions (a function defined twice keeps its last definition,
  as running the notebook top to bottom would),
- simple assignments: constants and aliases (``EPS = 1e-7``, ``relu = nn_utils.relu``)
  whose names are all bound by what was kept before them.

Everything else at the top level (training loops, plotting, calls, prints) is left
out, and so are IPython magics (``%matplotlib inline``, ``%%bash`` cells), shell
escapes (``!pip install``) and help lines (``obj?``). A cell with a real syntax error
defines, for each function it names, a stand-in that raises an error saying so; the
rest of the notebook is still graded. A file that is not a readable notebook raises
``NotebookError`` naming the file.
"""

import ast
import builtins
import json
import re

LEFT_OUT_IMPORTS = ("matplotlib", "IPython", "ipywidgets", "seaborn", "grader")
PYTHON_CELL_MAGICS = ("time", "capture", "prun")  # %%cell magics whose body is Python
MAGIC_LINE = re.compile(r"^\s*([%!?]|[\w.,\s]+=\s*[%!]|.*\?\??\s*$)")
MAGIC_START = re.compile(r"^\s*[%!]")
CAREFUL_RETRIES = 4
DEFINES = re.compile(r"^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)", re.M)


class NotebookError(Exception):
    """The notebook cannot be read; ``str()`` names the file and the problem."""


def notebook_source(data, name):
    """``data`` (bytes of an ``.ipynb``) -> Python source text of its definitions."""
    chunks, bound = [], set(dir(builtins))
    for number, cell in enumerate(code_cells(data, name), start=1):
        kept = _definitions(cell, number, name, bound)
        if kept.strip():
            chunks.append(f"# code cell {number} of {name}\n{kept}")
    return "\n\n".join(chunks) + "\n"


def code_cells(data, name):
    """The source texts of the notebook's code cells (nbformat 4, or 3's worksheets)."""
    if not data.strip():
        raise NotebookError(
            f"{name}: the file is empty, not a notebook. Save the notebook in Jupyter "
            "and resubmit it, or submit your .py file instead."
        )
    try:
        notebook = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise NotebookError(f"{name}: not a readable notebook (not UTF-8 text).") from None
    except ValueError as error:
        where = f" at line {error.lineno}, column {error.colno}" if hasattr(error, "lineno") else ""
        raise NotebookError(
            f"{name}: not a readable notebook: the file is not valid JSON{where} "
            "(truncated or corrupted?). Open it in Jupyter, save it again and "
            "resubmit it, or submit your .py file instead."
        ) from None
    if not isinstance(notebook, dict):
        raise NotebookError(f"{name}: not a Jupyter notebook (the JSON holds no notebook).")
    cells, key = notebook.get("cells"), "source"
    if cells is None and isinstance(notebook.get("worksheets"), list):  # nbformat 3
        cells, key = [c for w in notebook["worksheets"] if isinstance(w, dict) for c in (w.get("cells") or [])], "input"
    if not isinstance(cells, list):
        raise NotebookError(f"{name}: not a Jupyter notebook (it has no list of cells).")
    sources = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get(key, "")
            if isinstance(source, list):
                source = "".join(s for s in source if isinstance(s, str))
            sources.append(source if isinstance(source, str) else "")
    if not sources:
        raise NotebookError(f"{name}: the notebook has no code cells, so nothing can be graded.")
    return sources


def strip_ipython(source):
    """``source`` parsed as Python, IPython-only lines replaced by ``pass``: ``(tree, text)``,
    or ``(SyntaxError, text)`` when a line that is not IPython syntax does not parse."""
    lines = source.replace("\r\n", "\n").split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        magic = lines[first].lstrip()[2:].split(maxsplit=1)
        if not magic or magic[0] not in PYTHON_CELL_MAGICS:
            return ast.Module(body=[], type_ignores=[]), ""  # %%bash, %%html, ...: not Python
        lines[first] = ""
    # Each retry parses the whole cell again: one line at a time, a cell of 20,000 magic
    # lines held the grader for hours. After a few, every line that starts like a magic or
    # a shell escape is replaced at once (a ``%`` starting a continuation line inside
    # brackets or a string would be replaced too; only in such a cell), and the retries
    # are bounded.
    for attempt in range(2 * CAREFUL_RETRIES + 1):
        text = "\n".join(lines)
        try:
            return ast.parse(text), text
        except SyntaxError as error:
            row = (error.lineno or 0) - 1
            if not (0 <= row < len(lines)) or not MAGIC_LINE.match(lines[row]) or lines[row].strip() == "pass":
                return error, text
            rows = [row]
            if attempt == CAREFUL_RETRIES:
                rows += [i for i, line in enumerate(lines) if MAGIC_START.match(line)]
            for row in rows:
                indent = lines[row][: len(lines[row]) - len(lines[row].lstrip())]
                lines[row] = f"{indent}pass"
    return SyntaxError("too many IPython lines"), "\n".join(lines)


def _definitions(source, number, name, bound):
    """The kept top-level statements of one cell; ``bound`` holds the names bound so far."""
    tree, text = strip_ipython(source)
    if isinstance(tree, SyntaxError):
        return _broken_cell(tree, text, number, name, bound)
    lines = text.split("\n")
    spans = [(_first_line(node), node.end_lineno) for node in tree.body]
    kept = []
    for index, node in enumerate(tree.body):
        node = _keep(node, bound)
        if node is None:
            continue
        start, end = spans[index]
        alone = all(e < start or s > end for j, (s, e) in enumerate(spans) if j != index)
        if alone and node is tree.body[index] and tree.body[index].col_offset == 0:
            kept.append("\n".join(lines[start - 1 : end]))
        else:  # shares a line with a left-out statement, or was trimmed: write it anew
            kept.append(ast.unparse(node))
    return "\n".join(kept)


def _first_line(node):
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno] + [d.lineno for d in decorators])


def _keep(node, bound):
    """``node`` (possibly trimmed) when it defines something, else None; updates ``bound``."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        if isinstance(node, ast.ImportFrom) and node.level:
            return None  # a relative import has no package to come from
        module = getattr(node, "module", None)
        if module and module.split(".")[0] in LEFT_OUT_IMPORTS:
            return None
        names = [a for a in node.names if module or a.name.split(".")[0] not in LEFT_OUT_IMPORTS]
        if not names:
            return None
        bound.update((a.asname or a.name.split(".")[0]) for a in names if a.name != "*")
        if len(names) == len(node.names):
            return node
        return ast.Import(names=names) if isinstance(node, ast.Import) else node
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        bound.add(node.name)
        return node
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [n for t in targets for n in ast.walk(t)]
        if not all(isinstance(n, (ast.Name, ast.Tuple, ast.List, ast.Store)) for n in names):
            return None
        if not _simple(node.value, bound):
            return None
        bound.update(n.id for n in names if isinstance(n, ast.Name))
        return node
    if isinstance(node, ast.Try):
        inner = node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body]
        if all(isinstance(s, ast.Pass) or _keep(s, bound) is s for s in inner):
            return node
    return None


def _simple(value, bound):
    """A constant or alias expression: no calls, no subscripts (``results["he"]`` of a
    left-out training loop), every name already bound."""
    lambda_args = {
        a.arg
        for n in ast.walk(value)
        if isinstance(n, ast.Lambda)
        for a in n.args.args + n.args.kwonlyargs + n.args.posonlyargs
    }
    for node in ast.walk(value):
        if isinstance(
            node,
            (
                ast.Call,
                ast.Subscript,
                ast.Await,
                ast.Yield,
                ast.YieldFrom,
                ast.NamedExpr,
                ast.ListComp,
                ast.SetComp,
                ast.DictComp,
                ast.GeneratorExp,
            ),
        ) and not _inside_lambda(value, node):
            return False
        if isinstance(node, ast.Name) and node.id not in bound and node.id not in lambda_args:
            return False
    return True


def _inside_lambda(root, target):
    return any(target in ast.walk(n.body) for n in ast.walk(root) if isinstance(n, ast.Lambda))


def _broken_cell(error, text, number, name, bound):
    """Stand-ins for the functions a cell that does not parse would have defined (a function
    an earlier cell defined keeps that definition, as in a kernel where this cell failed)."""
    message = (
        f"code cell {number} of {name} has a syntax error at line {error.lineno} of the cell "
        f"({error.msg}), so this function could not be defined; fix the cell and run it again."
    )
    missing = [f for f in dict.fromkeys(DEFINES.findall(text)) if f not in bound]
    bound.update(missing)
    return "\n".join(f"def {function}(*args, **kwargs):\n    raise SyntaxError({message!r})\n" for function in missing)

"""The Python source of a notebook submission: its code cells, without IPython magics
and shell escapes, in order (a function defined twice keeps its last definition, as
running the notebook top to bottom would)."""

import json


class NotebookError(Exception):
    """The notebook cannot be read; ``str()`` names the file and the problem."""


def notebook_source(data, name):
    """``data`` (bytes of an ``.ipynb``) -> Python source text."""
    try:
        notebook = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise NotebookError(f"{name}: not a readable notebook (invalid JSON: {error}).") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise NotebookError(f"{name}: not a Jupyter notebook (no list of cells).")
    chunks = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        chunks.append("\n".join(lines))
    if not chunks:
        raise NotebookError(f"{name}: the notebook has no code cells.")
    return "\n\n".join(chunks) + "\n"

"""Writing a submission's result files: ``results.json`` and ``report.html``.

Every file is written atomically (a temporary file in the same folder, then
``os.replace``), so an interrupted run never leaves a half-written file behind.
"""

import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from grader import paths


def write_atomic(path, text):
    """Write ``text`` to ``path`` so that readers see the old file or the new one, whole, with
    the mode the umask gives a new file (0644 by default; ``grader.report.filemodes``)."""
    from grader.report.filemodes import file_mode

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, file_mode())
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def results_json(result):
    return json.dumps(result.to_json(), indent=2, sort_keys=False, allow_nan=False) + "\n"


@lru_cache(maxsize=1)
def _environment():
    import jinja2  # only the paths that write reports pay for it

    from grader.report.charts import line_chart
    from grader.report.svg import FILTERS

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths.TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(jinja2),
    )
    environment.globals["line_chart"] = line_chart
    environment.filters["ticks"] = code_spans
    environment.filters.update(FILTERS)
    return environment


def code_spans(text):
    """``text`` escaped for HTML, with each `backticked` part set as ``<code>``."""
    import re

    from markupsafe import Markup, escape

    return Markup(re.sub(r"`([^`\n]+)`", r"<code>\1</code>", str(escape(text))))


def _bytecode_cache(jinja2):
    """The templates compiled once per machine, not once per ``grade`` process (jinja2
    checks each template's source against its cached code); None when there is nowhere to keep them."""
    import os

    base = os.environ.get("DNN_AUTOGRADER_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "dnn-autograder"
    )
    if base.lower() in ("off", "0", "no"):
        return None
    folder = Path(base) / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def load_in_background():
    """Import jinja2 and load the report's templates in a thread of their own while a single
    submission is graded (the grader mostly waits on the sandbox then), so that a cold ``grade``
    does not wait for them when it writes the report. Only a head start: ``render`` loads
    whatever is not loaded yet."""
    import threading

    def load():
        try:
            environment = _environment()
            for name in ("report.html", "summary.html"):
                environment.get_template(name)
        except Exception:  # noqa: BLE001 - writing the report meets the same error and reports it
            pass

    threading.Thread(target=load, name="report templates", daemon=True).start()


def render(template, **context):
    return _environment().get_template(template).render(**context)


def report_html(result, public=False):
    from grader.report.view import report_view

    return render("report.html", result=result, public=public, view=report_view(result))


def write_submission(result, out_dir, public=False, folder=None):
    """Write ``OUT/<student>/results.json`` and ``report.html`` (or into ``folder``);
    return the folder."""
    folder = Path(folder) if folder is not None else Path(out_dir) / safe_name(result.student)
    write_atomic(folder / "report.html", report_html(result, public))
    write_atomic(folder / "results.json", results_json(result))  # last: its presence means "done"
    return folder


def safe_name(student):
    """A student name usable as one folder name (no separators, no dot-only names)."""
    cleaned = "".join(c if c.isalnum() or c in "-_.@+" else "_" for c in student)[:100].strip(".")
    return cleaned or "student"

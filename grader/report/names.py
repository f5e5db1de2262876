"""Student names as data: their folders in ``OUT``, and their text in CSV cells, logs and
markdown.

A student's name comes from a folder or zip name (SPEC §4), so it is whatever the file
system allows. Here is every place it reaches outside the HTML reports (which jinja2
escapes):

- ``folders``: the folder each student's results go to, ``OUT/<safe name>/``. Two names
  that clean to the same folder (``a b`` and ``a_b``; ``Alice`` and ``alice``, one folder on
  a case-insensitive disk), a folder of ``OUT`` that holds another student's results, or a
  name that ends like a class file (``gradebook.csv``, ``summary.html``: any name with
  one of ``CLASS_SUFFIXES``) is never shared: the later name gets its own folder,
  ``<safe name>-<8 hex digits of its hash>``, and the command says so.
- ``csv_cell``: a cell that a spreadsheet would run as a formula (it starts with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with ``'``; control
  characters are escaped.
- ``printable``: control characters and terminal escapes (and the Unicode line and
  paragraph separators, and the bidirectional overrides) become ``\\xNN`` / ``\\uNNNN``,
  so a name cannot forge a line of the log or recolour the terminal.
- ``markdown``: ``printable``, with the characters of markdown links, images, HTML, code and
  table cells backslash-escaped, so a name is never a link, an image or HTML in a CI job
  summary.
"""

import hashlib
import json
import re
from pathlib import Path

from grader.report.output import safe_name

CLASS_SUFFIXES = (".csv", ".html", ".htm", ".json", ".xml", ".md", ".txt", ".zip", ".tmp", ".log")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MARKUP = re.compile(r"([\\`*\[\]()<>!|:~])")  # links, images, HTML, code, table cells, autolinks


def _tagged(student, length=8):
    return f"{safe_name(student)[:90]}-{hashlib.sha256(student.encode('utf-8', 'surrogatepass')).hexdigest()[:length]}"


def _owner(out, folder):
    """The student whose results are in ``OUT/<folder>``, or None."""
    try:
        document = json.loads((Path(out) / folder / "results.json").read_text(encoding="utf-8"))
        return document["extra_data"]["student"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def folders(students, out):
    """``({student: folder}, [notice])``: a distinct folder of ``out`` for each name (in
    name order, the first keeps the plain safe name), and what the command should say
    about each name that did not get its plain one."""
    try:  # the folders already in OUT, by their name casefolded
        existing = {p.name.casefold(): p.name for p in Path(out).iterdir() if p.is_dir()}
    except OSError:
        existing = {}

    def owner(folder):
        return _owner(out, existing.get(folder.casefold(), folder))

    taken, chosen, notices = {}, {}, []  # folder (casefolded) -> student
    for student in sorted(set(students)):
        plain = safe_name(student)
        for folder in (plain, _tagged(student), _tagged(student, 64)):
            if (
                folder.casefold() not in taken
                and not folder.casefold().endswith(CLASS_SUFFIXES)
                and owner(folder) in (None, student)
            ):
                break
        taken[folder.casefold()] = student
        chosen[student] = folder
        if folder != plain:
            why = (
                "ends like a class file of OUT"
                if plain.casefold().endswith(CLASS_SUFFIXES)
                else f"holds {printable(taken.get(plain.casefold()) or owner(plain) or '?')}"
            )
            notices.append(f"{printable(student)} is filed as {folder!r}: the folder {plain!r} {why}")
    return chosen, notices


def csv_cell(value):
    """``value`` as a CSV cell no spreadsheet runs as a formula."""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return printable(text)


def printable(text):
    """``text`` with control characters and terminal escapes written as escapes."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def markdown(text):
    """``text`` as literal markdown (no link, image, HTML or table cell break)."""
    return _MARKUP.sub(r"\\\1", printable(text))

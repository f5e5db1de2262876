"""The layouts a class can come in (SPEC §8), and the students' names and submission times
they carry.

``read_paths(paths)`` turns the command line into ``Entry`` objects, one per submission,
each knowing its student (as the LMS names them), its identifiers (user ids, emails) for
matching the roster, its submission time when the layout records one, and how to load it.
Only the fields below are relied on; everything else in an export is ignored.

- **folders** (today's): one folder or zip per student, named after the student.
- **Canvas** "Download submissions": flat files ``<login>[_LATE]_<user id>_<submission id>_<file>``;
  ``-N`` before the extension (``optimization-1.py``) marks a resubmitted file and is removed.
  Canvas records no submission time in the download: give ``--submitted-at``; ``LATE`` is kept
  as a note.
- **Moodle** "Download all submissions": ``<Full Name>_<participant id>_assignsubmission_file_``
  folders (or, without "download in folders", files ``..._assignsubmission_file_<file>``). No time.
- **Gradescope** "Export submissions": ``submission_metadata.yml`` (read with ``yaml.safe_load``)
  mapping each ``submission_<id>`` folder to ``:submitters:`` (``:name:``, ``:sid:``, ``:email:``)
  and ``:created_at:`` (the submission time).
- **GitHub Classroom**: clones ``<assignment>-<login>/`` (each with ``.git``), sharing one
  ``<assignment>-`` prefix. No time (a commit's date is the student's clock).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

CANVAS = re.compile(r"^(?P<login>[^_]+?)(?P<late>_LATE)?_(?P<user>\d+)_(?P<submission>\d+)_(?P<file>.+)$")
MOODLE = re.compile(r"^(?P<name>.+)_(?P<participant>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<file>.*)$")
RESUBMITTED = re.compile(r"-\d+(?=\.[^.]+$)")
GRADESCOPE_METADATA = "submission_metadata.yml"


class LayoutError(Exception):
    """A folder that no layout reads; ``str()`` says what was found."""


@dataclass(frozen=True)
class Entry:
    """One student's submission in a class: ``path`` is a folder, zip or file to load, or
    ``files`` (``(name in the submission, path)`` pairs) when the LMS scattered them."""

    student: str
    path: Path
    layout: str = "folders"
    files: tuple = ()
    submitted_at: datetime | None = None
    ids: dict = field(default_factory=dict)  # identifiers for the roster: user id, email, ...
    notes: tuple = ()

    def load(self):
        """The ``Submission``; an unreadable one is an empty submission whose note says why."""
        from grader.pipeline.submission import load_or_explain

        if not self.files:
            return _with_notes(load_or_explain(self.path, self.student), self.notes)
        if len(self.files) == 1 and self.files[0][1].suffix == ".zip":  # an uploaded zip: as if handed in alone
            return _with_notes(load_or_explain(self.files[0][1], self.student), self.notes)
        return _with_notes(_load_files(self.student, self.files), self.notes)


def read_paths(paths, force_batch=False, student=None):
    """The entries named by the command line, in a stable order (``LayoutError`` for a folder
    that is neither a submission nor a class)."""
    from grader.batch.run import expand, is_batch

    if student is not None:  # --student: one submission, named so
        return [Entry(student, Path(p)) for p in paths]
    entries = []
    for path in map(Path, paths):
        lms = read_lms(path) if path.is_dir() and not path.is_symlink() else None
        if lms is not None:
            entries += lms
        elif is_batch(path, force_batch):
            entries += [Entry(_name(p), p) for p in expand([path], force_batch)]
        else:
            if path.is_dir() and not path.is_symlink():
                _check_submission_folder(path)
            entries.append(Entry(_name(path), path))
    return entries


def read_lms(folder: Path):
    """The entries of ``folder`` when it is an LMS export, else None."""
    names = [p for p in sorted(folder.iterdir()) if not p.name.startswith(".")]
    if (folder / GRADESCOPE_METADATA).is_file():
        return _gradescope(folder)
    files = [p for p in names if p.is_file()]
    if files and sum(bool(CANVAS.match(p.name)) for p in files) * 2 > len(files):
        return _canvas(folder, files)
    if names and all(MOODLE.match(p.name) for p in names):
        return _moodle(folder, names)
    clones = [p for p in names if p.is_dir() and (p / ".git").exists()]
    if len(clones) >= 2 and len(clones) == len([p for p in names if p.is_dir()]):
        return _classroom(clones)
    return None


def _name(path):
    return path.stem if path.is_file() else path.name


def _canvas(folder, files):
    groups, notes = {}, []
    for path in files:
        match = CANVAS.match(path.name)
        if not match:
            notes.append(path.name)
            continue
        key = (match["login"], match["user"])
        entry = groups.setdefault(key, {"files": [], "late": bool(match["late"]), "submission": match["submission"]})
        entry["files"].append((RESUBMITTED.sub("", match["file"]), path))
    if notes:
        import sys

        print(
            f"grade: {folder}: a Canvas download, but these files are not named <login>_<user id>_<submission id>"
            f"_<file> and are ignored: {', '.join(notes)}",
            file=sys.stderr,
        )
    return [
        Entry(
            login,
            folder,
            "canvas",
            tuple(g["files"]),
            ids={"canvas_user_id": user, "canvas_submission_id": g["submission"]},
            notes=("Canvas marks this submission late.",) if g["late"] else (),
        )
        for (login, user), g in sorted(groups.items())
    ]


def _moodle(folder, paths):
    groups = {}
    for path in paths:
        match = MOODLE.match(path.name)
        if match["plugin"] != "file":
            continue  # online text, comments: not code
        group = groups.setdefault((match["name"], match["participant"]), [])
        if path.is_dir():
            group += [
                (p.relative_to(path).as_posix(), p)
                for p in sorted(path.rglob("*"))
                if p.is_file() and len(p.relative_to(path).parts) <= 2
            ]
        else:
            group.append((match["file"], path))
    return [
        Entry(name, folder, "moodle", tuple(files), ids={"moodle_participant_id": participant})
        for (name, participant), files in sorted(groups.items())
    ]


def _gradescope(folder):
    import yaml

    path = folder / GRADESCOPE_METADATA
    try:
        metadata = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise LayoutError(f"{path}: not a readable Gradescope export metadata file ({error})") from None
    if not isinstance(metadata, dict):
        raise LayoutError(f"{path}: expected a mapping of submission folders to their metadata")
    entries = []
    for key, record in sorted(metadata.items(), key=lambda item: str(item[0])):
        submitters = (record or {}).get(":submitters") or [{}] if isinstance(record, dict) else [{}]
        first = submitters[0] if isinstance(submitters[0], dict) else {}
        name = first.get(":name") or first.get(":email") or str(key)
        if not (folder / str(key)).exists():
            raise LayoutError(f"{path}: lists {key}, which is not in {folder}")
        ids = {k: str(first[f":{k}"]) for k in ("sid", "email") if first.get(f":{k}")}
        if ids.get("email"):
            ids["email_login"] = ids["email"].split("@")[0]
        others = [s.get(":name") for s in submitters[1:] if isinstance(s, dict)]
        notes = (f"A group submission, also by {', '.join(map(str, others))}.",) if others else ()
        entries.append(
            Entry(
                str(name),
                folder / str(key),
                "gradescope",
                submitted_at=_time(record.get(":created_at") if isinstance(record, dict) else None, path),
                ids=ids,
                notes=notes,
            )
        )
    return entries


def _classroom(clones):
    prefix = _common_prefix([p.name for p in clones])
    if not prefix:
        return None
    return [Entry(p.name[len(prefix) :], p, "github-classroom", ids={"github": p.name[len(prefix) :]}) for p in clones]


def _common_prefix(names):
    """The longest ``<assignment>-`` every name starts with (and none equals)."""
    first = min(names)
    for end in range(len(first) - 1, 0, -1):
        if first[end] == "-" and all(n.startswith(first[: end + 1]) and len(n) > end + 1 for n in names):
            return first[: end + 1]
    return ""


def _time(value, where):
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace(" ", "T", 1).replace("Z", "+00:00"))  # noqa: FURB162
        except ValueError:
            raise LayoutError(f"{where}: :created_at: {value!r} is not a date and time") from None
    if not isinstance(value, datetime):
        raise LayoutError(f"{where}: :created_at: {value!r} is not a date and time")
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)  # YAML timestamps without zone are UTC


def _check_submission_folder(folder):
    """A folder given alone must hold what a submission can: code or a zip at its top, or a
    student file (``<assignment>.py``/``.ipynb``) one folder down."""
    from grader.course import ASSIGNMENT_IDS

    found = [p for p in sorted(folder.iterdir()) if not p.name.startswith(".")]
    if any(p.suffix in (".py", ".ipynb", ".zip") for p in found if p.is_file()):
        return
    inner = [q for p in found if p.is_dir() and not p.is_symlink() for q in p.iterdir()]
    if any(q.stem in ASSIGNMENT_IDS and q.suffix in (".py", ".ipynb") for q in inner):
        return
    shown = ", ".join(p.name + ("/" if p.is_dir() else "") for p in found[:8]) + (", ..." if len(found) > 8 else "")
    exports = [
        f"{p} (a {read_lms(p)[0].layout} export)" for p in found if p.is_dir() and not p.is_symlink() and read_lms(p)
    ]
    raise LayoutError(
        f"{folder}: neither a submission nor a class: it holds {len(found)} entr"
        f"{'y' if len(found) == 1 else 'ies'}{': ' + shown if found else ''}, and no .py, .ipynb or "
        ".zip file, no folder of submissions, and no Canvas, Moodle, Gradescope or GitHub Classroom "
        "export" + (f"; did you mean {', '.join(exports)}?" if exports else "")
    )


def _load_files(student, files):
    """A submission made of scattered files; a zip among them is opened in place."""
    from grader.pipeline import submission as loading

    entries, notes = {}, []
    for name, path in files:
        try:
            if path.suffix == ".zip":
                entries.update(loading._zip_entries(path))
            else:
                entries[name] = loading._read_bounded(path)
        except loading.SubmissionError as error:
            notes.append(str(error))
            entries[name] = "unreadable"
        except OSError as error:
            notes.append(f"{name}: cannot be read ({error}).")
            entries[name] = "unreadable"
    return _with_notes(loading._build(loading._printable(student), entries), tuple(notes))


def _with_notes(submission, notes):
    from dataclasses import replace

    return replace(submission, notes=(*notes, *submission.notes)) if notes else submission


def on_roster(entry: Entry, roster) -> Entry:
    """``entry`` named as the roster names its student: the row whose ``student`` is the LMS's
    name, else the one row holding one of the entry's identifiers (a user id, an email, a
    GitHub login, a full name) in any column. Unmatched entries keep their LMS name."""
    from dataclasses import replace

    if roster is None or entry.student in roster.students:
        return entry
    keys = {entry.student.casefold(), *(str(v).casefold() for v in entry.ids.values() if v)}
    rows = [s for s, row in roster.students.items() if any(v and v.casefold() in keys for v in row.values())]
    return replace(entry, student=rows[0], ids={**entry.ids, "lms_name": entry.student}) if len(rows) == 1 else entry

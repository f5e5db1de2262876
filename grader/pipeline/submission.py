"""Loading a submission (SPEC §4): a folder, a ``.zip``, or one ``<id>.py``/``<id>.ipynb``.

Nothing is extracted to disk: the grader reads the student files' bytes (bounded)
and hands their source text to the sandbox. A folder or zip may hold the files at
its top or inside one folder. Zip entries with absolute paths, ``..`` or symlinks are
refused and listed; a zip with too many entries or too large an uncompressed size is
refused whole; a folder's symlinks are not followed.
"""

import difflib
import hashlib
import io
import stat
import tokenize
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from grader import course
from grader.course import ASSIGNMENT_IDS

MAX_FILE_BYTES = 5 * 2**20
MAX_TOTAL_BYTES = 200 * 2**20
MAX_ENTRIES = 10_000
IGNORED_PARTS = ("__MACOSX", "__pycache__", ".ipynb_checkpoints", ".git")


class SubmissionError(Exception):
    """The submission cannot be read at all; ``str()`` names the file and the problem."""


@dataclass(frozen=True)
class StudentFile:
    assignment: str
    name: str  # the path inside the submission, for messages
    source: str  # Python source: the .py text, or the code extracted from the notebook


@dataclass(frozen=True)
class Note:
    """Something the student should know about their submission: the ``text`` shown (which
    names the assignment itself, "optimization: both ... were submitted"), and the ``assignment``
    it concerns, as data ("" for the submission as a whole)."""

    text: str
    assignment: str = ""

    def __str__(self):
        return self.text


def _note(note):
    """``note`` as a ``Note`` with printable text; a plain string is a note on the whole submission."""
    if isinstance(note, Note):
        return Note(_printable(note.text), note.assignment)
    return Note(_printable(note))


@dataclass(frozen=True)
class Submission:
    student: str
    sha256: str
    files: dict  # assignment id -> StudentFile
    problems: dict = field(default_factory=dict)  # assignment id -> why its file was not usable
    unknown: tuple = ()  # files that are not student files, ignored
    notes: tuple = ()  # of Note (a plain string given here is a note on the whole submission)
    provided: tuple = ()  # the course's own helpers and data found beside the student files, not graded

    def __post_init__(self):
        # Names come from the file system (a zip or folder named with bytes that are not
        # UTF-8 has lone surrogates in its str name) and end up in reports written as UTF-8;
        # made safe here, so that every way of building a Submission is covered.
        object.__setattr__(self, "student", _printable(self.student))
        object.__setattr__(self, "unknown", tuple(_printable(n) for n in self.unknown))
        object.__setattr__(self, "notes", tuple(_note(n) for n in self.notes))
        object.__setattr__(self, "provided", tuple(_printable(n) for n in self.provided))


def load_submission(path, student=None):
    """Read the submission at ``path``; raise ``SubmissionError`` when it is unusable."""
    path = Path(path)
    shown = _printable(str(path))
    if path.is_symlink():
        raise SubmissionError(f"{shown}: is a symbolic link; submit the file or folder itself.")
    if path.is_dir():
        entries = _folder_entries(path)
        name = path.name
    elif path.is_file() and path.suffix == ".zip":
        entries = _zip_entries(path)
        name = path.stem
    elif path.is_file() and path.suffix in (".py", ".ipynb"):
        if path.stem not in ASSIGNMENT_IDS:
            raise SubmissionError(
                f"{shown}: a single file must be named <assignment>.py or .ipynb, "
                f"with <assignment> one of {', '.join(ASSIGNMENT_IDS)}."
            )
        entries = {path.name: _read_bounded(path)}
        name = path.stem if student is None else student
    elif not path.exists():
        raise SubmissionError(f"{shown}: no such file or folder.")
    else:
        raise SubmissionError(f"{shown}: not a folder, a .zip, a .py or an .ipynb file.")
    return _build(_printable(student or name), entries)


def _printable(name):
    """``name`` with what UTF-8 cannot encode replaced: a file name that is not valid
    UTF-8 comes back from the OS with lone surrogates, which no report can be written with."""
    return name.encode("utf-8", "replace").decode("utf-8")


def _read_bounded(path):
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    return data if len(data) <= MAX_FILE_BYTES else None


def _folder_entries(root):
    """{relative posix path: bytes or None (too large / refused)} for files two levels deep."""
    entries, refused = {}, []
    for level in (root, *sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink())):
        if level.name in IGNORED_PARTS:
            continue
        for item in sorted(level.iterdir()):
            relative = _printable(item.relative_to(root).as_posix())
            if item.is_symlink():
                refused.append(relative)
            elif item.is_file():
                entries[relative] = _read_bounded(item)
            if len(entries) > MAX_ENTRIES:
                raise SubmissionError(f"{_printable(str(root))}: more than {MAX_ENTRIES} files.")
    return {**entries, **{r: "symlink" for r in refused}}


def _zip_entries(path):
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise SubmissionError(f"{_printable(path.name)}: not a readable zip file ({error}).") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise SubmissionError(
                f"{_printable(path.name)}: refused, it has {len(infos)} entries (at most {MAX_ENTRIES})."
            )
        declared = sum(i.file_size for i in infos)
        if declared > MAX_TOTAL_BYTES:
            raise SubmissionError(
                f"{_printable(path.name)}: refused, it would expand to {declared / 2**20:.0f} MiB "
                f"(at most {MAX_TOTAL_BYTES // 2**20} MiB): a zip bomb?"
            )
        entries = {}
        for info in infos:
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if info.is_dir():
                continue
            if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                entries[name] = "unsafe"
            elif stat.S_ISLNK(info.external_attr >> 16):
                entries[name] = "symlink"
            elif len(parts) <= 2 and PurePosixPath(name).suffix in (".py", ".ipynb"):
                entries["/".join(parts)] = _read_member(archive, info)
            else:
                entries["/".join(parts)] = None
        return entries


def _read_member(archive, info):
    if info.file_size > MAX_FILE_BYTES:
        return None
    try:
        with archive.open(info) as member:
            data = member.read(MAX_FILE_BYTES + 1)  # the declared size may lie
    except Exception as error:  # a hostile member makes zipfile raise RuntimeError (encrypted), zlib.error, ...
        return f"unreadable ({type(error).__name__}: {error})"
    return data if len(data) <= MAX_FILE_BYTES else None


def _build(student, entries):
    digest = hashlib.sha256()
    for name in sorted(entries):
        value = entries[name]
        digest.update(name.encode("utf-8", "replace") + b"\0")
        digest.update(value if isinstance(value, bytes) else str(value).encode())
        digest.update(b"\0")

    def is_ignored(name):
        return any(part in IGNORED_PARTS or part.startswith(".") for part in PurePosixPath(name).parts)

    candidates = {
        n: v
        for n, v in entries.items()
        if not is_ignored(n)
        and PurePosixPath(n).stem in ASSIGNMENT_IDS
        and PurePosixPath(n).suffix in (".py", ".ipynb")
    }
    top = {n: v for n, v in candidates.items() if "/" not in n}
    folders = {n.split("/")[0] for n in candidates if "/" in n}
    chosen = top if top or len(folders) != 1 else candidates
    files, problems, notes = {}, {}, []
    for assignment in ASSIGNMENT_IDS:
        options = sorted(
            (n for n in chosen if PurePosixPath(n).stem == assignment),
            key=lambda n: (PurePosixPath(n).suffix != ".py", n),
        )
        if not options:
            continue
        name = options[0]
        if len(options) > 1:
            notes.append(
                Note(f"{assignment}: both {' and '.join(options)} were submitted; {name} was graded.", assignment)
            )
        source = _source_of(name, chosen[name])
        if isinstance(source, SubmissionError):
            problems[assignment] = source.args[0]
        else:
            files[assignment] = StudentFile(assignment, name, source)
    used = set(chosen)
    others = sorted(n for n in entries if n not in used and not is_ignored(n))
    course_files = provided_names()
    provided = tuple(n for n in others if PurePosixPath(n).name in course_files)
    unknown = tuple(n for n in others if n not in provided)
    for name in unknown:
        guess = did_you_mean(name)
        if guess and guess not in files and guess not in problems:
            suffix = PurePosixPath(name).suffix
            notes.append(
                Note(
                    f"{guess}: {name} is not graded: did you mean `{guess}{suffix}`? "
                    f"Rename it to {guess}{suffix} and submit again.",
                    guess,
                )
            )
    for name, value in entries.items():
        if value in ("unsafe", "symlink"):
            why = "its path leaves the submission folder" if value == "unsafe" else "a symbolic link"
            notes.append(Note(f"{name}: refused ({why})."))  # on the whole submission
    return Submission(student, digest.hexdigest(), files, problems, unknown, tuple(notes), provided)


def provided_names():
    """File names of the course's provided helpers and data (``data_utils.py``, ...): found in a
    submission, they are neither graded (the grader uses its own copies) nor "unknown"."""
    from grader import paths

    return {p.name for p in course.helper_files()} if paths.ASSIGNMENTS.is_dir() else set()


def did_you_mean(name):
    """The assignment id a misnamed student file was probably meant to be (``optimisation.py``
    -> ``optimization``), or None."""
    path = PurePosixPath(name)
    if path.suffix not in (".py", ".ipynb"):
        return None
    stem = path.stem.lower().replace("-", "_").replace(" ", "_")
    for suffix in ("_solution", "_submission", "_final", "_done", "_copy", "_student"):
        stem = stem.removesuffix(suffix)
    close = difflib.get_close_matches(stem, ASSIGNMENT_IDS, n=1, cutoff=0.75)
    return close[0] if close else None


def _source_of(name, data):
    """The Python source of a student file, or a ``SubmissionError`` saying why not."""
    if data is None:
        return SubmissionError(f"{name}: larger than {MAX_FILE_BYTES // 2**20} MiB, not graded.")
    if not isinstance(data, bytes):
        reason = {
            "symlink": "refused, it is a symbolic link (submit the file itself)",
            "unsafe": "refused, its path leaves the submission folder",
        }.get(data, data)
        return SubmissionError(f"{name}: {reason}.")
    if name.endswith(".ipynb"):
        from grader.pipeline.notebook import NotebookError, notebook_source

        try:
            source = notebook_source(data, name)
        except NotebookError as error:
            return SubmissionError(str(error))
        except Exception as error:  # RecursionError, MemoryError: deeply nested JSON or code
            return SubmissionError(
                f"{name}: not a readable notebook ({type(error).__name__}); open it in "
                "Jupyter, save it again and resubmit it, or submit your .py file instead."
            )
        return _unicode_text(name, source)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return _unicode_text(name, data.decode(encoding))
    except (SyntaxError, UnicodeDecodeError, LookupError) as error:
        return SubmissionError(f"{name}: cannot be read as Python source text ({error}); save it as UTF-8.")


def _unicode_text(name, source):
    """``source``, or a ``SubmissionError`` when it holds lone surrogates (a JSON escape
    such as "\\ud800" in a notebook, a ``unicode_escape`` coding cookie), which cannot be
    written to the sandbox as UTF-8."""
    try:
        source.encode("utf-8")
    except UnicodeEncodeError as error:
        return SubmissionError(
            f"{name}: holds text that is not valid Unicode ({error.reason} at character "
            f"{error.start}); save it as UTF-8."
        )
    return source


def student_name(path, student=None):
    """The name a submission is filed under (SPEC §4), known before reading it (as the
    submission records it: what UTF-8 cannot encode replaced)."""
    path = Path(path)
    name = student or (path.stem if path.is_file() else path.name)
    return name.encode("utf-8", "replace").decode("utf-8")


def load_or_explain(path, student=None):
    """The ``Submission`` at ``path``; an unreadable one becomes an empty submission whose
    note says why (and whose hash is the file's, so a rerun knows whether it changed)."""
    try:
        return load_submission(path, student)
    except SubmissionError as error:
        return Submission(student_name(path, student), _file_hash(path), {}, notes=(Note(str(error)),))


def _file_hash(path):
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            for block in iter(lambda: stream.read(2**20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()

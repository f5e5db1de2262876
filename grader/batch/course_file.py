"""The course file (SPEC §7): ``course.toml``, its roster and the submission times.

Reading validates everything at once and raises ``CourseError`` (a usage error, exit 2)
whose message names the file, the line or the key, and the problem: an unknown key (so a
misspelt ``penalty_per_days`` is never silently ignored), a date that is not a date, an
assignment id that is not one of the course's, a roster without a ``student`` column.

Due dates and submission times become timezone-aware datetimes: one written without an
offset is in ``[course] timezone``; without a timezone such a date is an error (a deadline
must not depend on the machine that grades).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from pathlib import Path

from grader.course import ASSIGNMENT_IDS

DEFAULT_FILE = "course.toml"
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")  # Gradescope's test visibility
KEYS = {
    "": {"course", "assignments", "late", "extensions", "adjustments", "gradescope"},
    "course": {"name", "timezone", "roster"},
    "assignments.*": {"due", "weight"},
    "late": {"grace_minutes", "penalty_per_day", "max_days"},
    "adjustments[]": {"student", "assignment", "points", "reason"},
    "gradescope": {"check_output"},
}


class CourseError(Exception):
    """The course file, the roster or the submission times are wrong; ``str()`` says where and what."""


@dataclass(frozen=True)
class LatePolicy:
    grace_minutes: float = 0.0
    penalty_per_day: float = 0.0  # percent of the assignment's points, per started day late
    max_days: int | None = None  # later than this: the assignment scores 0


@dataclass(frozen=True)
class Adjustment:
    """Manual points for one student's assignment, shown to the student with the reason."""

    student: str
    assignment: str
    points: float
    reason: str


@dataclass(frozen=True)
class Roster:
    """The roster CSV: ``students`` maps the ``student`` column to the whole row."""

    path: Path
    columns: tuple  # every column, ``student`` first
    students: dict = field(default_factory=dict)

    @property
    def extra_columns(self) -> tuple:
        return tuple(c for c in self.columns if c != "student")


@dataclass(frozen=True)
class Course:
    path: Path | None = None
    name: str = ""
    timezone: tzinfo | None = None
    due: dict = field(default_factory=dict)  # assignment id -> aware datetime, for those with a due date
    weights: dict = field(default_factory=dict)  # assignment id -> weight, for the listed assignments
    late: LatePolicy = LatePolicy()
    extensions: dict = field(default_factory=dict)  # student -> {assignment id or "*": days}
    adjustments: tuple = ()
    roster: Roster | None = None
    check_output: str = "visible"  # Gradescope visibility of the checks' messages

    @property
    def assignments(self) -> tuple:
        """The assignments graded and counted: those listed, in the course's order, or all of them."""
        return tuple(a for a in ASSIGNMENT_IDS if a in self.weights) if self.weights else ASSIGNMENT_IDS

    def weight(self, assignment: str) -> float:
        return self.weights.get(assignment, 1.0)

    def extension_days(self, student: str, assignment: str) -> float:
        days = self.extensions.get(student, {})
        return days.get(assignment, days.get("*", 0))

    def stamp(self, student: str, submitted_at: datetime | None) -> str:
        """A hash of everything in the course that decides ``student``'s grade: a result with
        another stamp is out of date (so a new extension regrades that student alone)."""
        relevant = {
            "assignments": [[a, self.weight(a), str(self.due.get(a, ""))] for a in self.assignments],
            "late": [self.late.grace_minutes, self.late.penalty_per_day, self.late.max_days],
            "extensions": self.extensions.get(student, {}),
            "check_output": self.check_output,
            "adjustments": [[a.assignment, a.points, a.reason] for a in self.adjustments if a.student == student],
            "submitted_at": submitted_at.isoformat() if submitted_at else None,
        }
        return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()


def load_course(path: Path | None = None, roster: Path | None = None) -> Course | None:
    """The course of ``path`` (default: ``./course.toml`` when it exists, else None), with the
    roster of ``roster`` (which overrides ``[course] roster``)."""
    if path is None:
        path = Path(DEFAULT_FILE)
        if not path.is_file():
            return Course(roster=read_roster(roster)) if roster else None
    return parse_course(Path(path), roster)


def parse_course(path: Path, roster_path: Path | None = None, with_roster: bool = True) -> Course:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CourseError(f"{path}: cannot be read ({error})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CourseError(f"{path}: not valid TOML: {_toml_hint(text, error)}") from None
    where = _Locator(path, text)
    _check_keys(data, where)
    info = _table(data, "course", where)
    zone = _timezone(info.get("timezone"), where)
    due, weights = {}, {}
    for assignment, table in _table(data, "assignments", where).items():
        key = f"assignments.{assignment}"
        if assignment not in ASSIGNMENT_IDS:
            raise CourseError(f"{where.at(key)}: unknown assignment {assignment!r}; one of {', '.join(ASSIGNMENT_IDS)}")
        if not isinstance(table, dict):
            raise CourseError(f"{where.at(key)}: expected a table [assignments.{assignment}]")
        weights[assignment] = _number(table.get("weight", 1.0), f"{key}.weight", where, minimum=0)
        if "due" in table:
            due[assignment] = _datetime(table["due"], f"{key}.due", zone, where)
    late = _table(data, "late", where)
    policy = LatePolicy(
        _number(late.get("grace_minutes", 0), "late.grace_minutes", where, minimum=0),
        _number(late.get("penalty_per_day", 0), "late.penalty_per_day", where, minimum=0, maximum=100),
        None
        if "max_days" not in late
        else int(_number(late["max_days"], "late.max_days", where, minimum=0, whole=True)),
    )
    extensions = {str(s): _extension(v, f"extensions.{s}", where) for s, v in _table(data, "extensions", where).items()}
    adjustments = tuple(_adjustment(item, i, where) for i, item in enumerate(_list(data, "adjustments", where)))
    check_output = _table(data, "gradescope", where).get("check_output", "visible")
    if check_output not in VISIBILITIES:
        raise CourseError(
            f"{where.at('gradescope.check_output')}: {check_output!r} is not one of {', '.join(VISIBILITIES)}"
        )
    name = info.get("roster")
    if roster_path is None and name is not None:
        if not isinstance(name, str):
            raise CourseError(f"{where.at('course.roster')}: expected the roster CSV's path as a string")
        roster_path = path.parent / name
    return Course(
        path=path,
        name=str(info.get("name", "")),
        timezone=zone,
        due=due,
        weights=weights,
        late=policy,
        extensions=extensions,
        adjustments=adjustments,
        check_output=check_output,
        roster=read_roster(roster_path) if roster_path and with_roster else None,
    )


def read_roster(path: Path) -> Roster:
    """The roster CSV at ``path``: a ``student`` column (unique, non-empty) and any others."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            reader = csv.DictReader(stream)
            columns = tuple(c.strip() for c in reader.fieldnames or ())
            if "student" not in columns:
                raise CourseError(
                    f"{path}: line 1: the roster has no 'student' column (its columns: "
                    f"{', '.join(columns) or 'none'}); the 'student' column holds the names "
                    "submissions are matched by"
                )
            students = {}
            for row in reader:
                row = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
                student = row.get("student", "")
                if not student:
                    raise CourseError(f"{path}: line {reader.line_num}: empty 'student'")
                if student in students:
                    raise CourseError(f"{path}: line {reader.line_num}: student {student!r} is listed twice")
                students[student] = row
    except OSError as error:
        raise CourseError(f"{path}: cannot read the roster ({error})") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise CourseError(f"{path}: not a CSV file in UTF-8 ({error})") from None
    return Roster(Path(path), ("student", *(c for c in columns if c != "student")), students)


def read_submission_times(path: Path, zone: tzinfo | None) -> dict:
    """``{student: aware datetime}`` from a CSV ``student,submitted_at`` (ISO 8601)."""
    times = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            reader = csv.DictReader(stream)
            missing = {"student", "submitted_at"} - set(reader.fieldnames or ())
            if missing:
                raise CourseError(
                    f"{path}: line 1: expected the columns student,submitted_at; missing {', '.join(sorted(missing))}"
                )
            for row in reader:
                where = f"{path}: line {reader.line_num}"
                text = (row["submitted_at"] or "").strip()
                try:
                    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))  # noqa: FURB162 - Python 3.10
                except ValueError:
                    raise CourseError(
                        f"{where}: submitted_at {text!r} is not an ISO 8601 date and time "
                        "(such as 2027-03-01T23:59:00+01:00)"
                    ) from None
                times[(row["student"] or "").strip()] = _aware(moment, zone, where)
    except OSError as error:
        raise CourseError(f"{path}: cannot be read ({error})") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise CourseError(f"{path}: not a CSV file in UTF-8 ({error})") from None
    return times


class _Locator:
    """``file: line N (key)`` for a key of the file, found by its text (tomllib keeps no lines)."""

    def __init__(self, path, text):
        self.path, self.lines = path, text.splitlines()

    def at(self, key: str) -> str:
        table, _, last = key.rpartition(".")
        header = re.compile(rf"^\s*\[\[?\s*{re.escape(key)}\s*\]\]?\s*(#.*)?$")
        start = 0
        if table:  # the key's own table first, then the key after it
            opening = re.compile(rf"^\s*\[\[?\s*{re.escape(table)}\s*\]\]?\s*(#.*)?$")
            start = next((n for n, line in enumerate(self.lines) if opening.match(line)), 0)
        assignment = re.compile(rf"^\s*[\"']?{re.escape(last)}[\"']?\s*=")
        for number, line in enumerate(self.lines):
            if header.match(line):
                return f"{self.path}: line {number + 1}: {key}"
        for number, line in enumerate(self.lines[start:], start + 1):
            if assignment.match(line):
                return f"{self.path}: line {number}: {key}"
        return f"{self.path}: {key}"


def _toml_hint(text, error):
    message = str(error)
    match = re.search(r"line (\d+)", message)
    if match and 0 < int(match.group(1)) <= len(text.splitlines()):
        line = text.splitlines()[int(match.group(1)) - 1].strip()
        message += f": {line!r}"
        if re.search(r"\d{4}-\d", line):
            message += " (a date is written 2027-03-01T23:59:00, optionally with an offset such as +01:00)"
    return message


def _check_keys(data, where):
    def unknown(keys, allowed, prefix):
        for key in keys:
            if key not in allowed:
                full = f"{prefix}{key}"
                raise CourseError(
                    f"{where.at(full)}: unknown key {full!r}; expected one of "
                    f"{', '.join(prefix + k for k in sorted(allowed))}"
                )

    unknown(data, KEYS[""], "")
    for table in ("course", "late", "gradescope"):
        if isinstance(data.get(table), dict):
            unknown(data[table], KEYS[table], f"{table}.")
    for assignment, value in (data.get("assignments") or {}).items():
        if isinstance(value, dict):
            unknown(value, KEYS["assignments.*"], f"assignments.{assignment}.")
    for item in data.get("adjustments") or ():
        if isinstance(item, dict):
            unknown(item, KEYS["adjustments[]"], "adjustments.")


def _table(data, key, where):
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise CourseError(f"{where.at(key)}: expected a table [{key}]")
    return value


def _list(data, key, where):
    value = data.get(key, [])
    if not isinstance(value, list):
        raise CourseError(f"{where.at(key)}: expected an array of tables [[{key}]]")
    return value


def _timezone(name, where):
    if name is None:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise CourseError(
            f"{where.at('course.timezone')}: unknown time zone {name!r} (an IANA name such as 'Europe/Paris' or 'UTC')"
        ) from None


def _datetime(value, key, zone, where):
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))  # noqa: FURB162 - Python 3.10
        except ValueError:
            raise CourseError(
                f"{where.at(key)}: {value!r} is not a date and time (write 2027-03-01T23:59:00)"
            ) from None
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(23, 59, 59))  # a day: due at its end
    if not isinstance(value, datetime):
        raise CourseError(f"{where.at(key)}: {value!r} is not a date and time (write 2027-03-01T23:59:00)")
    return _aware(value, zone, where.at(key))


def _aware(moment, zone, where):
    if moment.tzinfo is not None:
        return moment
    if zone is None:
        raise CourseError(
            f"{where}: {moment.isoformat()} has no UTC offset and the course file sets no "
            '[course] timezone; add one (timezone = "Europe/Paris") or write the offset'
        )
    return moment.replace(tzinfo=zone)


def _number(value, key, where, minimum=None, maximum=None, whole=False):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (whole and value != int(value)):
        raise CourseError(f"{where.at(key)}: expected {'a whole number' if whole else 'a number'}, got {value!r}")
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        bounds = f"at least {minimum}" + (f" and at most {maximum}" if maximum is not None else "")
        raise CourseError(f"{where.at(key)}: {value!r} is out of range; expected {bounds}")
    return float(value) if not whole else value


def _extension(value, key, where):
    if isinstance(value, dict):
        for assignment in value:
            if assignment not in ASSIGNMENT_IDS:
                raise CourseError(
                    f"{where.at(key)}: unknown assignment {assignment!r}; one of {', '.join(ASSIGNMENT_IDS)}"
                )
        return {a: _number(d, f"{key}.{a}", where, minimum=0) for a, d in value.items()}
    return {"*": _number(value, key, where, minimum=0)}


def _adjustment(item, index, where):
    key = f"adjustments[{index}]"
    if not isinstance(item, dict):
        raise CourseError(f"{where.path}: {key}: expected a table [[adjustments]]")
    for required in ("student", "assignment", "points", "reason"):
        if required not in item:
            raise CourseError(
                f"{where.path}: {key}: missing {required!r} (an adjustment needs student, "
                "assignment, points and reason)"
            )
    if item["assignment"] not in ASSIGNMENT_IDS:
        raise CourseError(
            f"{where.at('assignment')}: {key}: unknown assignment {item['assignment']!r}; one of "
            f"{', '.join(ASSIGNMENT_IDS)}"
        )
    return Adjustment(
        str(item["student"]), item["assignment"], _number(item["points"], f"{key}.points", where), str(item["reason"])
    )


__all__ = [
    "Adjustment",
    "Course",
    "CourseError",
    "LatePolicy",
    "Roster",
    "load_course",
    "parse_course",
    "read_roster",
    "read_submission_times",
]

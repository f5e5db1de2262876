"""``grade validate``: the grading suite checked against implementations whose scores we
know. For every assignment with hidden checks: the reference scores 100, the stub 0, every
catalogued wrong implementation (``grader/mistakes/<id>.py``) loses points and fails each
check its entry names, and every correct-but-different implementation scores 100 on the
hidden and the public checks, and no catalogued mistake of a function makes a hidden check of
another function fail (isolation of blame: "wrong elsewhere, charged here" is 0 for every
function). Prints, per graded function, how many wrong implementations the hidden and the
public checks catch; exits 1 when one of those expectations fails. The catalogue names checks
by id (``must_fail=("check_gd",)``: the check's ``check_*`` function); an id that names no hidden
check is reported, with its entry, before anything is graded.

Each catalogue entry is graded on its own (the reference file with the entry's functions
swapped in), in a pool of ``os.cpu_count()`` processes.
"""

import multiprocessing
import os
import time
from dataclasses import dataclass, field

from grader import course, paths
from grader.mistakes import Mistake, applied_to, catalogue
from grader.pipeline.grading import check_files
from grader.results import check_id


@dataclass
class Graded:
    """What one graded implementation scored (plain data, so it crosses the pool)."""

    assignment: str
    kind: str  # "reference" | "stub" | "mistake" | "variant"
    name: str
    function: str = ""
    score: float = 0.0
    failed: dict = field(default_factory=dict)  # check id -> message
    checks: dict = field(default_factory=dict)  # check id -> the function it grades, of every hidden check
    mistakes: tuple = ()  # the known mistakes named in the outcomes
    grader_errors: tuple = ()
    public_score: float | None = None  # None: the assignment has no public checks


def grade_source(assignment, source, public=False):
    """Grade ``source`` as the only file of a submission; its ``AssignmentResult``."""
    from grader.pipeline.grading import grade_submission
    from grader.pipeline.submission import StudentFile, Submission

    submission = Submission("validate", "-", {assignment: StudentFile(assignment, f"{assignment}.py", source)})
    result = grade_submission(submission, public=public)
    return next(a for a in result.assignments if a.id == assignment)


def _source(assignment, kind, entry):
    if kind == "stub":
        return (paths.ASSIGNMENTS / f"{assignment}.py").read_text(encoding="utf-8")
    reference = (paths.SOLUTIONS / f"{assignment}.py").read_text(encoding="utf-8")
    return reference if entry is None else applied_to(reference, entry.source)


def grade_job(job):
    """Grade one implementation: ``job = (assignment, kind, entry or None)``."""
    assignment, kind, entry = job
    result = grade_source(assignment, _source(assignment, kind, entry))
    graded = Graded(
        assignment,
        kind,
        entry.name if entry else kind,
        entry.function if entry else "",
        score=result.score,
        checks={o.check_id: o.function for o in result.outcomes},
        failed={o.check_id: o.message for o in result.outcomes if not o.passed},
        mistakes=tuple(o.mistake for o in result.outcomes if o.mistake),
        grader_errors=tuple(o.test_name for o in result.outcomes if o.grader_error),
    )
    if kind in ("mistake", "variant") and (paths.PUBLIC_CHECKS / f"{assignment}.py").exists():
        graded.public_score = grade_source(assignment, _source(assignment, kind, entry), public=True).score
    return graded


def jobs(assignments):
    out = []
    for assignment in assignments:
        out += [(assignment, "reference", None), (assignment, "stub", None)]
        out += [(assignment, "mistake" if isinstance(e, Mistake) else "variant", e) for e in catalogue(assignment)]
    return out


def run(assignments=None, processes=None):
    """Grade the reference, the stub and the catalogue of each assignment; a list of ``Graded``."""
    if assignments is None:
        assignments = [f.stem for f in check_files()]
    todo = jobs(assignments)
    processes = processes or os.cpu_count() or 1
    if processes == 1:
        return [grade_job(job) for job in todo]
    context = multiprocessing.get_context(
        "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with context.Pool(processes) as pool:
        return pool.map(grade_job, todo, chunksize=1)


def problems(graded, entries):
    """Every way ``graded`` (of one assignment) falls short of what we know: a list of lines."""
    out = []
    by_name = {e.name: e for e in entries}
    for g in graded:
        label = (
            f"{g.assignment}: {g.kind} {g.name}"
            if g.kind in ("mistake", "variant")
            else f"{g.assignment}: the {g.kind}"
        )
        if g.grader_errors:
            out.append(f"{label} met grader errors in {', '.join(g.grader_errors)}")
        if g.kind == "reference" and g.score != 100:
            out += [f"{label} scores {g.score:g}, fails {k}: {_first(m)}" for k, m in g.failed.items()]
        elif g.kind == "stub" and g.score != 0:
            out.append(f"{label} scores {g.score:g}, expected 0")
        elif g.kind == "variant" and (g.score != 100 or g.public_score not in (None, 100)):
            out.append(
                f"{label} (correct) loses points: hidden {g.score:g}, public {_fmt(g.public_score)}; fails "
                + "; ".join(f"{k}: {_first(m)}" for k, m in g.failed.items())
            )
        elif g.kind == "mistake":
            mistake = by_name[g.name]
            out += unknown_checks(g.assignment, mistake, g.checks)
            must_fail = [check_id(g.assignment, c) for c in mistake.must_fail]
            missed = [c for c in must_fail if c in g.checks and c not in g.failed]
            if g.score == 100:
                out.append(f"{label} is NOT caught: it scores 100")
            if missed:
                out.append(f"{label} passes checks it must fail: {', '.join(missed)}")
            for c, fragment in mistake.fragments().items():
                c = check_id(g.assignment, c)
                if c in g.failed and fragment not in g.failed[c]:
                    out.append(f"{label}'s message does not say {fragment!r} in {c}")
            for check in charged_elsewhere(g):
                out.append(
                    f"{label} (a mistake of {g.function}) is charged to another function: "
                    f"{check} ({g.checks[check]}) fails ({_first(g.failed[check])})"
                )
    return out


def unknown_checks(assignment, mistake, checks):
    """A problem line for each check id ``mistake`` names (``must_fail``, ``message``'s keys)
    that is none of ``checks`` (the ids of the assignment's hidden checks), naming the entry."""
    unknown = [c for c in mistake.named_checks() if check_id(assignment, c) not in checks]
    if not unknown:
        return []
    return [
        f"{assignment}: mistake {mistake.name} names checks that do not exist: {', '.join(unknown)} "
        f"(the checks: {', '.join(sorted(checks))})"
    ]


def hidden_checks(assignment):
    """``{check id: the function it grades}`` of the hidden checks of ``assignment``, read from
    their ``grading`` markers (nothing is run)."""
    import importlib

    module = importlib.import_module(f"grader.checks.{assignment}")
    checks = {}
    for name, test in vars(module).items():
        marks = [m for m in getattr(test, "pytestmark", ()) if m.name == "grading"]
        if name.startswith("check_") and callable(test) and marks:
            checks[check_id(assignment, name)] = marks[0].kwargs["function"]
    return checks


def catalogue_problems(assignments):
    """The catalogue's entries that name a check that does not exist: a problem line each,
    known before anything is graded."""
    out = []
    for assignment in assignments:
        checks = hidden_checks(assignment)
        for entry in catalogue(assignment):
            if isinstance(entry, Mistake):
                out += unknown_checks(assignment, entry, checks)
    return out


def charged_elsewhere(graded):
    """The ids of the checks of other functions than the mistake's own that ``graded`` (a mistake)
    failed: each one breaks the isolation of blame (a check charges only the function it grades)."""
    return [check for check in graded.failed if graded.checks.get(check) != graded.function]


def _first(message):
    return message.splitlines()[0] if message else ""


def _fmt(score):
    return "-" if score is None else f"{score:g}"


def table(graded, entries):
    """Lines of the catch-rate table of one assignment."""
    rows = {}
    for e in entries:
        rows.setdefault(
            e.function,
            {
                "total": 0,
                "hidden": 0,
                "public": 0,
                "has_public": False,
                "hinted": 0,
                "hintable": 0,
                "variants": 0,
                "penalised": 0,
                "elsewhere": 0,
            },
        )
    hints = {e.name: bool(getattr(e, "hint", "")) for e in entries}
    for g in graded:
        if g.kind not in ("mistake", "variant"):
            continue
        row = rows[g.function]
        for function in {g.checks[check] for check in charged_elsewhere(g)} if g.kind == "mistake" else ():
            rows.setdefault(function, dict.fromkeys(row, 0))["elsewhere"] += 1
        if g.kind == "variant":
            row["variants"] += 1
            row["penalised"] += g.score != 100 or g.public_score not in (None, 100)
            continue
        row["total"] += 1
        row["hidden"] += g.score < 100
        row["hinted"] += g.name in g.mistakes
        row["hintable"] += hints.get(g.name, False)
        if g.public_score is not None:
            row["has_public"] = True
            row["public"] += g.public_score < 100
    lines = []
    for function, r in rows.items():
        public = f"{r['public']:>3}/{r['total']:<3}" if r["has_public"] else f"{'-':>7}"
        lines.append(
            f"  {function:42} {r['hidden']:>3}/{r['total']:<3} {public} {r['hinted']:>3}/{r['hintable']:<3} "
            f"{r['penalised']:>5}/{r['variants']:<3} {r['elsewhere']:>9}"
        )
    return lines


def validate(assignments=None, processes=None, out=print):
    """Grade everything; print the table and the problems; 0 when all is as expected, else 1."""
    started = time.monotonic()
    if assignments is None:
        assignments = [f.stem for f in check_files()]
    named = catalogue_problems(assignments)  # a misspelt check id: said at once, nothing graded
    if named:
        for line in named:
            out(f"PROBLEM {line}")
        return 1
    graded = run(assignments, processes)
    code = report(graded, assignments, out)
    out(f"({len(graded)} gradings in {time.monotonic() - started:.0f} s)")
    return code


def report(graded, assignments, out=print):
    """Print the catch-rate table and every problem of ``graded``; 0 when there is none, else 1."""
    all_problems = []
    out(
        "Wrong implementations caught by the hidden and by the public checks, named by a hint; correct "
        "variants that lost points; mistakes of other functions that this function's hidden checks charged "
        "(wrong elsewhere, charged here: must be 0)."
    )
    out(f"  {'function':42} {'hidden':>7} {'public':>7} {'hinted':>7} {'penalised':>9} {'elsewhere':>9}")
    for assignment in assignments:
        mine = [g for g in graded if g.assignment == assignment]
        entries = catalogue(assignment)
        reference = next(g for g in mine if g.kind == "reference")
        stub = next(g for g in mine if g.kind == "stub")
        out(f"{assignment} (reference {reference.score:g}, stub {stub.score:g})")
        for line in table(mine, entries):
            out(line)
        all_problems += problems(mine, entries)
    mistakes = [g for g in graded if g.kind == "mistake"]
    hintable = {e.name for a in assignments for e in catalogue(a) if getattr(e, "hint", "")}
    variants = [g for g in graded if g.kind == "variant"]
    public = [g for g in mistakes if g.public_score is not None]
    out(
        f"wrong implementations caught by the hidden checks: {sum(g.score < 100 for g in mistakes)}/{len(mistakes)}; "
        f"by the public checks: {sum(g.public_score < 100 for g in public)}/{len(public)} (of those with public "
        f"checks); named by a hint: {sum(g.name in g.mistakes for g in mistakes)}/"
        f"{sum(g.name in hintable for g in mistakes)} (of those with a hint)"
    )
    out(
        f"mistakes charged to another function's hidden checks: {sum(bool(charged_elsewhere(g)) for g in mistakes)}"
        f"/{len(mistakes)}"
    )
    out(
        f"correct implementations penalised: "
        f"{sum(g.score != 100 or g.public_score not in (None, 100) for g in variants)}/{len(variants)}"
    )
    skipped = [a for a in course.ASSIGNMENT_IDS if not (paths.CHECKS / f"{a}.py").exists()]
    if skipped:
        out(f"not validated (no hidden checks): {', '.join(skipped)}")
    for line in all_problems:
        out(f"PROBLEM {line}")
    return 1 if all_problems else 0

"""Compare two grade folders: every student's results.json, all but the times.

    python benchmarks/compare_grades.py BEFORE AFTER

Ignored: ``execution_time`` and ``extra_data.grading_suite`` (a hash of the grader's
own files, which changes with any edit). Everything else -- scores, statuses, every
check's message, notes, hints -- must be equal. Prints what differs; exits 1 if anything does.
"""

import json
import sys
from pathlib import Path

IGNORED = ("execution_time",)
IGNORED_EXTRA = ("grading_suite",)


def normalized(path):
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    for key in IGNORED:
        document.pop(key, None)
    for key in IGNORED_EXTRA:
        document.get("extra_data", {}).pop(key, None)
    return document


def differences(before, after):
    """``(students compared, [difference, ...])`` between two grade folders."""
    found = []
    names = sorted(
        {p.parent.name for p in Path(before).glob("*/results.json")}
        | {p.parent.name for p in Path(after).glob("*/results.json")}
    )
    for name in names:
        a, b = Path(before) / name / "results.json", Path(after) / name / "results.json"
        if not (a.exists() and b.exists()):
            found.append(f"{name}: results.json only in {'after' if b.exists() else 'before'}")
            continue
        x, y = normalized(a), normalized(b)
        if x == y:
            continue
        for key in sorted(set(x) | set(y)):
            if key == "tests":
                for t, u in zip(x.get("tests", []), y.get("tests", [])):
                    if t != u:
                        found.append(f"{name}: {t.get('name')}: {t} != {u}")
                if len(x.get("tests", [])) != len(y.get("tests", [])):
                    found.append(f"{name}: {len(x['tests'])} tests before, {len(y['tests'])} after")
            elif x.get(key) != y.get(key):
                found.append(f"{name}: {key}: {x.get(key)!r} != {y.get(key)!r}")
    return len(names), found


def main():
    before, after = sys.argv[1:3]
    count, found = differences(before, after)
    for line in found:
        print(line)
    print(
        f"{count} students compared: {'identical' if not found else f'{len(found)} difference(s)'} "
        "(all but execution_time and the grading suite's hash)"
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

"""Compare two grade folders: every student's results.json, all but the times.

    python benchmarks/compare_grades.py BEFORE AFTER [--new-test-keys check_id,hint]

Ignored: ``execution_time`` and ``extra_data.grading_suite`` (a hash of the grader's
own files, which changes with any edit), and with ``--new-test-keys`` those keys of a test's
``extra_data`` (keys a newer grader adds: compare an older folder with a newer one).
Everything else -- scores, statuses, every check's message, notes, hints -- must be equal.
Prints what differs; exits 1 if anything does.
"""

import json
import sys
from pathlib import Path

IGNORED = ("execution_time",)
IGNORED_EXTRA = ("grading_suite",)


def normalized(path, new_test_keys=()):
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    for key in IGNORED:
        document.pop(key, None)
    for key in IGNORED_EXTRA:
        document.get("extra_data", {}).pop(key, None)
    for test in document.get("tests", []):
        extra = test.get("extra_data")
        for key in new_test_keys:
            if isinstance(extra, dict):
                extra.pop(key, None)
        if extra == {}:
            del test["extra_data"]
    return document


def differences(before, after, new_test_keys=()):
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
        x, y = normalized(a, new_test_keys), normalized(b, new_test_keys)
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
    keys = sys.argv[sys.argv.index("--new-test-keys") + 1].split(",") if "--new-test-keys" in sys.argv else ()
    count, found = differences(before, after, keys)
    for line in found:
        print(line)
    print(
        f"{count} students compared: {'identical' if not found else f'{len(found)} difference(s)'} "
        "(all but execution_time and the grading suite's hash)"
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

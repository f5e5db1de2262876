"""The class summary, from the students' ``results.json`` documents (SPEC §6).

``summary_html`` renders ``OUT/summary.html`` (``templates/summary.html``: one file, inline
CSS and SVG, no script, no network, readable on a phone): the score distribution of
every assignment, the pass rate of every check, the most common failure messages with
how many students hit each, and a link to every student's report.
``markdown_summary`` is the same in brief, for a CI job's step summary.
"""

import re
from collections import Counter, defaultdict
from statistics import mean, median

from grader import course
from grader.report.gradebook import status_of
from grader.report.output import render, safe_name
from grader.results import COURSE_FUNCTION

BINS = 10  # histogram bins of 10 points; 100 falls in the last one
NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
BEFORE = " \t([{,=:;<>|"  # what may stand before a number that stands alone (after its sign)
AFTER = " \t)]},;:%|"  # and after it (or a full stop that ends a sentence)
TOP_FAILURES = 25
NOT_IMPLEMENTED = "is not implemented yet"


def mask_numbers(text):
    """``text`` with each number that stands alone replaced by ``#`` ("returned 0.33", "(2, 3)",
    "-1e-07"), and the digits of names and formulas kept ("W2", "A{l1}", "theta**3", "l-1")."""
    pieces, position = [], 0
    for match in NUMBER.finditer(text):
        start, end = match.span()
        if start > 0 and text[start - 1] in "+-" and (start == 1 or text[start - 2] in BEFORE):
            start -= 1  # a sign
        before = text[start - 1] if start > 0 else " "
        after = text[end] if end < len(text) else " "
        if after == "." and (end + 1 == len(text) or not text[end + 1].isalnum()):
            after = " "
        if before in BEFORE and after in AFTER:
            pieces += [text[position:start], "#"]
            position = end
    return "".join(pieces) + text[position:]


def failure_key(message):
    """A failure message's first line with its standalone numbers masked, so that students who
    made the same mistake (with different drawn values) count as one group."""
    first = (message or "").strip().splitlines()[0] if (message or "").strip() else "(no message)"
    return mask_numbers(first)[:300]


def class_statistics(documents):
    """Everything the summary shows, as plain data."""
    submitted = defaultdict(list)  # assignment -> scores of the students who submitted it
    checks = {}  # test name -> [passed, attempted], in the order first seen
    failures = defaultdict(lambda: {"students": set(), "example": ""})
    unfinished = defaultdict(set)  # (assignment, function) -> students whose function is not implemented
    mistakes = defaultdict(lambda: {"students": set(), "hint": "", "tests": set()})  # known mistakes (hints)
    for d in documents:
        extra = d["extra_data"]
        handed_in = {a for a, v in extra["assignments"].items() if v.get("submitted")}
        for a in handed_in:
            submitted[a].append(extra["assignments"][a]["score"])
        for test in d["tests"]:
            assignment, function = test["name"].split("::")[:2]
            if assignment not in handed_in or function == COURSE_FUNCTION:
                continue  # "not submitted" is in the histogram, not a failure of each check
            counts = checks.setdefault(test["name"], [0, 0])
            counts[0] += test["status"] == "passed"
            counts[1] += 1
            if test["status"] != "passed" and NOT_IMPLEMENTED in failure_key(test["output"]):
                unfinished[(assignment, test["name"].split("::")[1])].add(extra["student"])
            elif test["status"] != "passed":
                group = failures[(test["name"], failure_key(test["output"]))]
                group["students"].add(extra["student"])
                group["example"] = group["example"] or test["output"]
                if test.get("mistake"):
                    known = mistakes[test["mistake"]]
                    known["students"].add(extra["student"])
                    known["tests"].add(test["name"])
                    known["hint"] = known["hint"] or test.get("extra_data", {}).get("hint", "")
    assignments = [
        {
            "id": a,
            "submitted": len(submitted[a]),
            "histogram": histogram(submitted[a]),
            "mean": mean(submitted[a]) if submitted[a] else None,
            "median": median(submitted[a]) if submitted[a] else None,
        }
        for a in course.ASSIGNMENT_IDS
    ]
    common = sorted(failures.items(), key=lambda item: (-len(item[1]["students"]), item[0]))[:TOP_FAILURES]
    return {
        "count": len(documents),
        "statuses": Counter(status_of(d).code for d in documents),
        "total": histogram([100 * d["score"] / d["max_score"] for d in documents if d["max_score"]]),
        "not_on_roster": sorted(
            d["extra_data"]["student"] for d in documents if d["extra_data"].get("on_roster") is False
        ),
        "assignments": assignments,
        "checks": [{"name": name, "passed": p, "attempted": n, "rate": p / n} for name, (p, n) in checks.items()],
        "failures": [
            {"test": test, "key": key, "count": len(g["students"]), "example": g["example"]}
            for (test, key), g in common
        ],
        "not_implemented": [
            {"assignment": a, "function": f, "count": len(students)}
            for (a, f), students in sorted(unfinished.items(), key=lambda i: (-len(i[1]), i[0]))
        ],
        "mistakes": [
            {"name": name, "hint": m["hint"], "count": len(m["students"]), "tests": sorted(m["tests"])}
            for name, m in sorted(mistakes.items(), key=lambda item: (-len(item[1]["students"]), item[0]))
        ],
        "students": [
            {
                "name": d["extra_data"]["student"],
                "link": "" if d["extra_data"].get("roster_only") else f"{_folder(d)}/report.html",
                "score": d["score"],
                "max_score": d["max_score"],
                "status": status_of(d).text,
                "on_roster": d["extra_data"].get("on_roster"),
                "scores": [d["extra_data"]["assignments"][a]["score"] for a in course.ASSIGNMENT_IDS],
            }
            for d in sorted(documents, key=lambda d: d["extra_data"]["student"])
        ],
    }


def _folder(document):
    """The student's folder in OUT (``report.names.folders``; older results: the safe name)."""
    return document["extra_data"].get("folder") or safe_name(document["extra_data"]["student"])


def histogram(percents):
    """Counts of scores in [0, 10), [10, 20), ..., [90, 100]."""
    counts = [0] * BINS
    for value in percents:
        counts[min(int(value // (100 / BINS)), BINS - 1)] += 1
    return counts


def summary_html(documents, similarity=None):
    """The class summary page; ``similarity`` is the relative link of a similarity report, if one was made."""
    from grader import __version__

    return render(
        "summary.html",
        stats=class_statistics(documents),
        ids=course.ASSIGNMENT_IDS,
        version=__version__,
        bins=BINS,
        similarity=similarity,
    )


def markdown_summary(documents):
    """A short markdown summary (for ``$GITHUB_STEP_SUMMARY``)."""
    stats = class_statistics(documents)
    lines = [
        "## Grades",
        "",
        "| student | " + " | ".join(course.ASSIGNMENT_IDS) + " | total | status |",
        "|---|" + "---:|" * (len(course.ASSIGNMENT_IDS) + 1) + "---|",
    ]
    for s in stats["students"][:200]:
        cells = " | ".join(f"{x:g}" for x in s["scores"])
        lines.append(f"| {_md(s['name'])} | {cells} | {s['score']:g}/{s['max_score']:g} | {_md(s['status'])} |")
    if len(stats["students"]) > 200:
        lines.append(f"| ... {len(stats['students']) - 200} more in gradebook.csv | |")
    if stats["failures"]:
        lines += ["", "### Most common failures", "", "| students | check | message |", "|---:|---|---|"]
        lines += [f"| {f['count']} | {_md(f['test'])} | {_md(f['key'])} |" for f in stats["failures"][:10]]
    if stats["mistakes"]:
        lines += ["", "### Known mistakes", "", "| students | mistake | hint |", "|---:|---|---|"]
        lines += [f"| {m['count']} | {_md(m['name'])} | {_md(m['hint'])} |" for m in stats["mistakes"][:10]]
    return "\n".join(lines) + "\n\n"


def _md(text):
    """Literal text in a markdown table cell: no link, image, HTML, escape code or line break."""
    from grader.report.names import markdown

    return markdown(text)

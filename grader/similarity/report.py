"""``similarity.csv`` and ``similarity.html`` from a ``Comparison`` (SPEC §9).

The CSV has one row per pair and function above the threshold, most similar first. The
HTML ranks the pairs by their most similar function (then by the sum over the functions
reported) and shows, for each function of a pair, both versions side by side with the
lines that match highlighted: the lines of every run of ``K`` tokens the two share that
is not common code (so a match shows even where the lines were reordered or renamed).
When ``DIR`` is a class folder, each name links to the student's ``report.html``, and
the class summary is rebuilt with a link to the similarity report.
"""

import csv
import io
import sys
from pathlib import Path

import numpy as np

from grader.report.output import render, safe_name, write_atomic

CSV_COLUMNS = ("student_a", "student_b", "assignment", "function", "similarity")
MAX_HTML_PAIRS = 300


def write(comparison, out: Path, threshold: float) -> list:
    """Write both files (and relink the class summary); return the paths written."""
    rows = [r for r in comparison.rows if r[4] > threshold]
    write_atomic(out / "similarity.csv", similarity_csv(comparison, rows))
    write_atomic(out / "similarity.html", similarity_html(comparison, rows, out, threshold))
    written = [out / "similarity.csv", out / "similarity.html"]
    if (out / "summary.html").exists():
        written += relink_summary(out)
    return written


def similarity_csv(comparison, rows) -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for i, j, assignment, function, score in rows:
        writer.writerow([comparison.entries[i].name, comparison.entries[j].name, assignment, function, f"{score:.3f}"])
    return stream.getvalue()


def similarity_html(comparison, rows, out: Path, threshold: float) -> str:
    from grader import __version__
    from grader.similarity import compare, fingerprint

    pairs: dict[tuple, list] = {}
    for row in rows:
        pairs.setdefault((row[0], row[1]), []).append(row)
    # by the most similar function, then by the similarity summed over the functions reported
    ranked = sorted(pairs.items(), key=lambda item: (-item[1][0][4], -sum(r[4] for r in item[1]), item[0]))
    modules: dict[tuple, object] = {}
    shown = [
        {
            "rank": rank,
            "a": _person(comparison.entries[i], out),
            "b": _person(comparison.entries[j], out),
            "score": functions[0][4],
            "functions": [_side_by_side(comparison.entries, modules, row) for row in functions],
        }
        for rank, ((i, j), functions) in enumerate(ranked[:MAX_HTML_PAIRS], 1)
    ]
    problems = [
        (e.name, note) for e, a in zip(comparison.entries, comparison.authors) for note in (*a.problems, *e.notes)
    ]
    students = sum(not e.source for e in comparison.entries)
    return render(
        "similarity.html",
        pairs=shown,
        total=len(ranked),
        rows=len(rows),
        threshold=threshold,
        students=students,
        sources=len(comparison.entries) - students,
        problems=problems,
        version=__version__,
        k=fingerprint.K,
        w=fingerprint.W,
        min_prints=compare.MIN_PRINTS,
        max_share=comparison.max_share,
    )


def _person(entry, out):
    link = f"{safe_name(entry.name)}/report.html"
    return {
        "name": entry.name,
        "source": entry.source,
        "link": link if not entry.source and (out / link).is_file() else None,
    }


def _side_by_side(entries, modules, row):
    i, j, assignment, function, score = row
    sides = [_module(entries[x], assignment, modules) for x in (i, j)]
    lines = _matching_lines(*sides, assignment, function)
    return {
        "assignment": assignment,
        "function": function,
        "score": score,
        "sides": [_shown(module, function, matched) for module, matched in zip(sides, lines)],
    }


def _module(entry, assignment, modules):
    from grader.similarity.baseline import api_names
    from grader.similarity.normalize import Module

    key = (id(entry), assignment)
    if key not in modules:
        modules[key] = Module(entry.files[assignment][1], api_names())
    return modules[key]


def _matching_lines(module_a, module_b, assignment, function):
    """The lines of each side covered by a k-gram the other side has, that is not common code."""
    from grader.similarity.baseline import common
    from grader.similarity.fingerprint import K, kgram_hashes
    from grader.similarity.normalize import function_tokens

    streams = [function_tokens(m, function) for m in (module_a, module_b)]
    hashes = [kgram_hashes([t for t, _ in s]) for s in streams]
    shared = np.setdiff1d(np.intersect1d(hashes[0], hashes[1]), common(assignment, function))
    return [
        {line for p in np.flatnonzero(np.isin(h, shared)) for _, line in s[p : p + K]} for s, h in zip(streams, hashes)
    ]


def _shown(module, function, matched):
    from grader.similarity.normalize import function_lines

    return [
        [
            {"number": n, "text": module.lines[n - 1] if n <= len(module.lines) else "", "match": n in matched}
            for n in range(first, last + 1)
        ]
        for first, last in function_lines(module, function)
    ]


def relink_summary(out: Path) -> list:
    """Rebuild ``out/summary.html`` as ``grade`` builds it (every ``results.json`` in ``out``, and the
    roster of ``./course.toml`` when there is one), linking the similarity report."""
    from grader.batch.classfolder import read_documents, with_roster
    from grader.batch.course_file import DEFAULT_FILE, CourseError, parse_course
    from grader.report.summary import summary_html

    documents = read_documents(out)
    if not documents:
        return []
    course = None
    if Path(DEFAULT_FILE).is_file():
        try:
            course = parse_course(Path(DEFAULT_FILE))
        except CourseError as error:
            print(f"grade similarity: {error}; the class summary is rebuilt without the roster", file=sys.stderr)
    everyone, _ = with_roster([documents[name] for name in sorted(documents)], course)
    write_atomic(out / "summary.html", summary_html(everyone, similarity="similarity.html"))
    return [out / "summary.html"]

"""Benchmark of ``grade similarity`` on a generated class.

    python benchmarks/bench_similarity.py [--students 1000] [--jobs 2] [--copies 20] [--lsh-above WORK]
    python benchmarks/bench_similarity.py --scoring-only 30000

Each student hands in all five assignments: ``optimization`` and ``gradient_checking`` in
one of five correct styles (the authors of ``tests/similarity_class.py``), the other three
the reference; every file disguised (comments, whitespace) and made the student's own by
three lines of student-specific code in three graded functions. ``--copies`` students copied
another student's files and disguised them further. The class is written to a temporary
folder, then timed end to end as the command runs it (loading, fingerprinting in a pool
of ``--jobs`` processes, scoring, both files), and the planted pairs found are counted.
Printed as a row of ``bench_similarity.md``: the CPU time is this process's (all the work
with ``--jobs 1``), the load average the 1-minute one (mean of start and end).
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader import course, paths  # noqa: E402
from tests import similarity_class as planted  # noqa: E402


def styles():
    everyone, _ = planted.authors()
    return [everyone[name] for name in ("ref", "public", "carol", "dave", "erin")]


def own(source, rng):
    """``source`` with three lines of this student's own code at the top of three graded functions."""
    lines, out, pending = source.splitlines(), [], 0
    targets = set(rng.sample(range(source.count("\ndef ") + 1), 3))
    count = 0
    for line in lines:
        out.append(line)
        if line.startswith("def ") and not line.startswith("def _"):
            pending, count = (1 if count in targets else 0), count + 1
        if pending and line.rstrip().endswith(":"):
            a, b, c, d = (rng.randint(2, 999) for _ in range(4))
            out += [
                f"    _trace = [{a} * k + {b} for k in range({c})]  # {rng.random()}",
                f"    _check = sum(_trace[{d % 7}:{c}]) % {d} if _trace else {a}",
                f"    _note = {{'n': len(_trace), 'check': _check * {b}, 'tag': '{rng.random()}'}}",
            ]
            pending = 0
    return "\n".join(out) + "\n"


def generate(root, students, copies, seed=0):
    rng = random.Random(seed)
    pool = styles()
    reference = {a: (paths.SOLUTIONS / f"{a}.py").read_text(encoding="utf-8") for a in course.ASSIGNMENT_IDS}
    names = [f"student{i:05d}" for i in range(students)]
    written = {}
    for name in names:
        style = rng.choice(pool)
        files = {a: own(style.get(a, reference[a]), rng) for a in course.ASSIGNMENT_IDS}
        written[name] = files
    pairs = []
    copiers = rng.sample(names, copies)
    originals = [n for n in names if n not in copiers]
    for name in copiers:
        source = rng.choice(originals)
        written[name] = {
            a: planted.comments(planted.whitespace(t)) if rng.random() < 0.5 else planted.comments(t)
            for a, t in written[source].items()
        }
        pairs.append(frozenset((name, source)))
    for name, files in written.items():
        folder = root / name
        folder.mkdir(parents=True)
        for assignment, text in files.items():
            (folder / f"{assignment}.py").write_text(text, encoding="utf-8")
    return pairs


def scoring_only(authors, copies, seed=0):
    """Time the scoring of one graded function written by ``authors`` students (synthetic
    fingerprints: one of five styles, which everyone shares, plus 15 of the student's own;
    ``copies`` students duplicated another's), exact candidates and MinHash LSH."""
    import numpy as np

    from grader.similarity.compare import score_function

    rng = np.random.default_rng(seed)
    styles_ = [rng.integers(0, 2**63, 40, dtype=np.uint64) for _ in range(5)]
    sets = [
        np.unique(np.concatenate([styles_[rng.integers(5)], rng.integers(0, 2**63, 15, dtype=np.uint64)]))
        for _ in range(authors)
    ]
    for copier in rng.choice(authors, copies, replace=False):
        sets[copier] = sets[(copier + 1) % authors].copy()
    sources = [False] * authors
    for label, lsh_above in (("exact (sparse product)", authors + 1), ("MinHash LSH", 0)):
        start = time.monotonic()
        rows = score_function(sets, sources, keep=0.5, lsh_above=lsh_above)
        print(
            f"| one function, {authors} students, {label} | {time.monotonic() - start:.1f} s | "
            f"{len(rows)} pairs above 0.5 ({copies} planted) |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument(
        "--lsh-above", type=int, default=None, help="use MinHash LSH above this much sparse-product work (0: always)"
    )
    parser.add_argument(
        "--scoring-only",
        type=int,
        metavar="N",
        help="only time the scoring of one function written by N students (synthetic fingerprints)",
    )
    args = parser.parse_args()
    if args.scoring_only:
        return scoring_only(args.scoring_only, args.copies)
    from grader.similarity import compare as scoring
    from grader.similarity import report
    from grader.similarity.command import compare, load_entries

    lsh_above = scoring.LSH_ABOVE if args.lsh_above is None else args.lsh_above
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        start = time.monotonic()
        planted_pairs = generate(root / "class", args.students, args.copies)
        print(f"generated {args.students} students in {time.monotonic() - start:.1f} s", file=sys.stderr)
        load_before = os.getloadavg()[0]
        times, start, cpu = {}, time.monotonic(), time.process_time()
        entries = load_entries([root / "class"])
        times["load"] = time.monotonic() - start
        comparison = compare(entries, jobs=args.jobs, keep=0.5, lsh_above=lsh_above)
        times["fingerprint + score"] = time.monotonic() - start - times["load"]
        report.write(comparison, root / "out", 0.5)
        times["total"] = time.monotonic() - start
        cpu = time.process_time() - cpu  # this process only: with --jobs 1, all the work
        load = (load_before + os.getloadavg()[0]) / 2
        found = {frozenset((comparison.entries[i].name, comparison.entries[j].name)) for i, j, *_ in comparison.rows}
        hits = sum(p in found for p in planted_pairs)
        print(
            f"| {args.students} students x 5 assignments | {args.jobs} | {times['load']:.1f} s | "
            f"{times['fingerprint + score']:.1f} s | {times['total']:.1f} s | {hits}/{len(planted_pairs)} | "
            f"{len(found) - hits} | {cpu:.1f} s | {load:.1f} |"
        )


if __name__ == "__main__":
    main()

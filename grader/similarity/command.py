"""``grade similarity PATH... [-o DIR] [--against DIR]``: load, fingerprint, score, report.

Submissions are found and loaded as ``grade`` finds and loads them (``grader.batch.run``),
so every layout it reads works, ``.py`` and ``.ipynb`` alike. The main process loads
the files; fingerprinting (in chunks of authors) and scoring (one graded function of the
whole class per task) run through ``grader.similarity.distribute``.
"""

import sys
from dataclasses import dataclass
from pathlib import Path

from grader.similarity.compare import DEFAULT_MAX_SHARE, LSH_ABOVE, fingerprint_authors, score_item
from grader.similarity.distribute import map_tasks

DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class Entry:
    """One author to compare: where it came from and its files."""

    name: str
    source: bool  # a known source (--against)
    path: Path
    files: dict  # assignment -> (file name, source text)
    notes: tuple = ()


@dataclass
class Comparison:
    """Everything compared: the authors, and one row per pair and function scoring above ``keep``."""

    entries: list
    authors: list
    rows: list  # (i, j, assignment, function, similarity), most similar first; i, j index entries
    max_share: int = DEFAULT_MAX_SHARE

    def pair_scores(self) -> dict:
        """``{(name_a, name_b): best similarity over the functions}`` of every scored pair."""
        best: dict[tuple, float] = {}
        for i, j, _, _, score in self.rows:
            key = (self.entries[i].name, self.entries[j].name)
            best[key] = max(best.get(key, 0.0), score)
        return best


def load_entries(paths_: list, against: list | tuple = (), force_batch: bool = False) -> list:
    """The submissions named by ``paths_`` (students) and by ``against`` (known sources)."""
    from grader.batch.run import expand
    from grader.pipeline.submission import load_or_explain

    entries: list[Entry] = []
    seen: dict[tuple, Path] = {}
    for is_source, roots in ((False, paths_), (True, against)):
        for path in expand([Path(p) for p in roots], force_batch):
            submission = load_or_explain(path)
            files = {a: (f.name, f.source) for a, f in submission.files.items()}
            notes = tuple(n.text for n in submission.notes) + tuple(submission.problems.values())
            key = (is_source, submission.student)
            if key in seen:
                print(
                    f"grade similarity: {seen[key]} and {path} are both named {submission.student!r}; "
                    f"only {path} is compared",
                    file=sys.stderr,
                )
                entries = [e for e in entries if (e.source, e.name) != key]
            seen[key] = path
            entries.append(Entry(submission.student, is_source, path, files, notes))
    return entries


def compare(
    entries: list,
    executor: str = "local",
    jobs: int = 1,
    scheduler: str | None = None,
    max_share: int = DEFAULT_MAX_SHARE,
    keep: float = 0.0,
    lsh_above: int = LSH_ABOVE,
) -> Comparison:
    """Fingerprint every entry and score every candidate pair, function by function (with MinHash
    LSH candidates for a function more than ``lsh_above`` authors wrote)."""
    items = [(e.name, e.source, e.files) for e in entries]
    size = max(1, min(200, len(items) // (4 * max(1, jobs)) or 1))
    chunks = [items[k : k + size] for k in range(0, len(items), size)]
    authors = [a for chunk in map_tasks(fingerprint_authors, chunks, executor, jobs, scheduler) for a in chunk]
    holders: dict[tuple, list] = {}  # (assignment, function) -> indexes of the authors who wrote it
    for index, author in enumerate(authors):
        for key in author.prints:
            holders.setdefault(key, []).append(index)
    keys = sorted(holders)
    tasks = [
        (
            [authors[i].prints[key] for i in holders[key]],
            [authors[i].source for i in holders[key]],
            max_share,
            keep,
            lsh_above,
        )
        for key in keys
    ]
    rows = []
    for key, scored in zip(keys, map_tasks(score_item, tasks, executor, jobs, scheduler)):
        who = holders[key]
        for i, j, score in scored:
            a, b = who[i], who[j]
            if entries[a].source:  # a known source is always student_b
                a, b = b, a
            rows.append((a, b, *key, score))
    rows.sort(key=lambda r: (-r[4], entries[r[0]].name, entries[r[1]].name, r[2], r[3]))
    return Comparison(entries, authors, rows, max_share)


def run(
    paths_: list,
    out: Path,
    against: list | tuple = (),
    threshold: float = DEFAULT_THRESHOLD,
    executor: str = "local",
    jobs: int | None = None,
    scheduler: str | None = None,
    max_share: int = DEFAULT_MAX_SHARE,
    force_batch: bool = False,
) -> int:
    """The command: write ``out/similarity.csv`` and ``out/similarity.html``; return the exit status."""
    import time

    from grader.similarity import report
    from grader.similarity.distribute import ExecutorError, cores

    start = time.monotonic()
    entries = load_entries(paths_, against, force_batch)
    students = sum(not e.source for e in entries)
    if students + (students and len(entries) > students) < 2:
        print(
            f"grade similarity: nothing to compare: {students} submission(s) and "
            f"{len(entries) - students} known source(s); give at least two submissions, or one and --against",
            file=sys.stderr,
        )
    jobs = jobs or cores()
    try:
        comparison = compare(entries, executor, jobs, scheduler, max_share, keep=threshold)
    except ExecutorError as error:
        print(f"grade similarity: error: {error}", file=sys.stderr)
        return 2
    written = report.write(comparison, Path(out), threshold)
    pairs = len({(r[0], r[1]) for r in comparison.rows})
    print(
        f"{students} submission(s), {len(entries) - students} known source(s): {pairs} pair(s) at "
        f"{threshold:g} or more in {time.monotonic() - start:.1f} s: " + ", ".join(str(p) for p in written),
        file=sys.stderr,
    )
    return 0

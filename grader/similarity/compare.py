"""Fingerprinting authors and scoring pairs, function by function.

An *author* is a student's submission or a known source (``--against``). Both steps are
plain functions of plain data, so ``grader.similarity.distribute`` can run them in a
local process pool or on Dask workers: ``fingerprint_authors`` on chunks of authors,
``score_function`` on one graded function of the whole class at a time.

The similarity of two authors on one function, from their *distinctive* fingerprints
``A`` and ``B`` (``baseline.common`` removed, and every fingerprint more than
``max_share`` students hold, as MOSS does; a known source's fingerprints are never
dismissed that way), is

    similarity = |A & B| / |A | B|  *  min(1, min(|A|, |B|) / MIN_PRINTS)

the Jaccard index of the distinctive code, weighed down when either side has less
distinctive code than ``MIN_PRINTS`` fingerprints (about four statements of its own):
a short function that can only be written one way is no evidence, however alike.
Candidate pairs are every pair sharing a fingerprint (a sparse matrix product over the
fingerprints, so its work is the sum over fingerprints of their holders squared, which
``max_share`` bounds): a class of 30,000 never compares all its pairs. When that work
would pass ``LSH_ABOVE`` (a large ``--max-share``, a known source half the class copied),
candidates come from MinHash LSH instead (datasketch's banding; signatures computed
here in numpy) at Jaccard ``LSH_THRESHOLD`` or more.
"""

from dataclasses import dataclass, field

import numpy as np

MIN_PRINTS = 20  # about four statements of distinctive code
DEFAULT_MAX_SHARE = 10  # MOSS's -m
LSH_ABOVE = 20_000_000  # (pair, fingerprint) incidences of the sparse product: about 1 GB
LSH_THRESHOLD = 0.3
NUM_PERM = 64


@dataclass
class Author:
    name: str
    source: bool  # a known source (--against), not a student
    prints: dict = field(default_factory=dict)  # (assignment, function) -> distinctive fingerprints (uint64)
    problems: list = field(default_factory=list)  # "regularization.py: cannot be parsed (...)"


def fingerprint_authors(items: list) -> list:
    """``[Author, ...]`` of ``[(name, is_source, {assignment: source text}), ...]``, with
    the common fingerprints already removed."""
    from grader.similarity import baseline

    authors = []
    for name, is_source, files in items:
        author = Author(name, is_source)
        for assignment, (file_name, text) in sorted(files.items()):
            try:
                prints = baseline.module_prints(text, assignment)
            except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
                detail = f"line {error.lineno}: {error.msg}" if isinstance(error, SyntaxError) else type(error).__name__
                author.problems.append(f"{file_name}: not compared, it cannot be parsed as Python ({detail}).")
                continue
            for function, found in prints.items():
                distinct = np.setdiff1d(found, baseline.common(assignment, function), assume_unique=True)
                if len(distinct):
                    author.prints[(assignment, function)] = distinct
        authors.append(author)
    return authors


def similarity(inter, size_a, size_b):
    """The formula of the module's docstring, vectorized."""
    inter, size_a, size_b = (np.asarray(x, dtype=float) for x in (inter, size_a, size_b))
    union = np.maximum(size_a + size_b - inter, 1)
    return inter / union * np.minimum(1.0, np.minimum(size_a, size_b) / MIN_PRINTS)


def score_function(
    sets: list, sources: list, max_share: int = DEFAULT_MAX_SHARE, keep: float = 0.0, lsh_above: int = LSH_ABOVE
) -> list:
    """``[(i, j, similarity), ...]`` for the pairs of ``sets`` (one function's fingerprints of
    every author holding it; ``sources[i]`` true for a known source) scoring above ``keep``.
    Pairs of two known sources are not scored. Candidates come from MinHash LSH when the
    sparse product would handle more than ``lsh_above`` (pair, fingerprint) incidences."""
    sets = _without_frequent(sets, sources, max_share)
    sizes = np.array([len(s) for s in sets])
    if _shared_pair_work(sets) > lsh_above:
        i, j, inter = _lsh_pairs(sets)
    else:
        i, j, inter = _sharing_pairs(sets)
    known = np.asarray(sources, dtype=bool)
    mask = ~(known[i] & known[j])
    i, j, inter = i[mask], j[mask], inter[mask]
    scores = similarity(inter, sizes[i], sizes[j])
    chosen = scores > keep
    return list(zip(i[chosen].tolist(), j[chosen].tolist(), scores[chosen].tolist()))


def score_item(item: tuple) -> list:
    """``score_function(*item)``: one task for ``distribute.map_tasks``."""
    return score_function(*item)


def _without_frequent(sets, sources, max_share):
    students = [s for s, known in zip(sets, sources) if not known]
    if not students:
        return sets
    values, counts = np.unique(np.concatenate(students), return_counts=True)
    frequent = values[counts > max_share]
    known = [s for s, is_source in zip(sets, sources) if is_source]
    if known and len(frequent):
        frequent = np.setdiff1d(frequent, np.concatenate(known))
    if not len(frequent):
        return sets
    return [s if is_source else np.setdiff1d(s, frequent, assume_unique=True) for s, is_source in zip(sets, sources)]


def _sharing_pairs(sets):
    """Every pair that shares a fingerprint, with how many: the upper triangle of M M^T."""
    from scipy import sparse

    lengths = np.array([len(s) for s in sets])
    if not lengths.sum():
        return (np.zeros(0, dtype=np.int64),) * 3
    values, columns = np.unique(np.concatenate(sets), return_inverse=True)
    rows = np.repeat(np.arange(len(sets)), lengths)
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, columns)), shape=(len(sets), len(values)))
    shared = sparse.triu(matrix @ matrix.T, k=1).tocoo()
    return shared.row.astype(np.int64), shared.col.astype(np.int64), shared.data.astype(np.int64)


def _shared_pair_work(sets):
    """How many (pair, fingerprint) incidences the sparse product would produce: the sum over
    fingerprints of the squared number of holders."""
    if not sets or not sum(len(x) for x in sets):
        return 0
    _, counts = np.unique(np.concatenate(sets), return_counts=True)
    return int((counts.astype(np.int64) ** 2).sum())


def _signatures(sets, chunk=2000):
    """MinHash signatures (``NUM_PERM`` 32-bit values per set) of non-empty ``sets``, vectorized:
    h_i(x) = (a_i x + b_i) mod (2^61 - 1), truncated to 32 bits, as datasketch's legacy scheme."""
    prime, rng = np.uint64((1 << 61) - 1), np.random.RandomState(1)
    a = rng.randint(1, 2**31 - 1, NUM_PERM).astype(np.uint64)
    b = rng.randint(0, 2**31 - 1, NUM_PERM).astype(np.uint64)
    signatures = []
    for first in range(0, len(sets), chunk):
        part = sets[first : first + chunk]
        values = np.concatenate(part)
        folded = (values >> np.uint64(32)) ^ (values & np.uint64(0xFFFFFFFF))  # 32 bits: no overflow below
        hashed = ((folded[:, None] * a + b) % prime) & np.uint64(0xFFFFFFFF)
        offsets = np.concatenate([[0], np.cumsum([len(x) for x in part])[:-1]])
        signatures.append(np.minimum.reduceat(hashed, offsets, axis=0))
    return np.concatenate(signatures) if signatures else np.zeros((0, NUM_PERM), dtype=np.uint64)


def _lsh_pairs(sets):
    """Candidate pairs from MinHash LSH (datasketch's banding), each with its exact number
    of shared fingerprints."""
    from datasketch import LeanMinHash, MinHashLSH

    present = [i for i, values in enumerate(sets) if len(values)]
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    sketches = [LeanMinHash(seed=1, hashvalues=row, scheme="legacy") for row in _signatures([sets[i] for i in present])]
    with lsh.insertion_session() as session:
        for index, sketch in zip(present, sketches):
            session.insert(index, sketch, check_duplication=False)
    found = []
    for index, sketch in zip(present, sketches):
        for other in lsh.query(sketch):
            if other > index:
                found.append((index, other, len(np.intersect1d(sets[index], sets[other], assume_unique=True))))
    found = np.array(found, dtype=np.int64).reshape(-1, 3)
    return found[:, 0], found[:, 1], found[:, 2]

"""Winnowed k-gram fingerprints of a token stream (Schleimer, Wilkerson and Aiken, SIGMOD 2003,
the algorithm of MOSS).

Every run of ``K`` consecutive tokens is hashed; of every window of ``W`` consecutive
k-gram hashes the smallest is kept (the rightmost on a tie, "robust winnowing"). Any
match of at least ``W + K - 1`` tokens between two functions shares a fingerprint,
and a function keeps about ``2 / (W + 1)`` of its k-grams.

Hashes are stable: a token's hash is a BLAKE2b of its text and a k-gram's a
polynomial of its tokens' hashes modulo 2**64, so fingerprints computed in different
processes (a Dask worker, another run) can be compared. Written here rather than taken
from ``copydetect``: copydetect hashes characters of pygments-filtered text with
Python's per-process salted ``hash()``, and takes files, not token streams.
"""

import hashlib
from functools import lru_cache

import numpy as np

K = 8  # tokens in a k-gram; a statement is 8 to 20 tokens
W = 4  # window: every match of K + W - 1 = 11 tokens or more is seen
BASE = np.uint64(1_000_003)
EMPTY = np.zeros(0, dtype=np.uint64)


@lru_cache(maxsize=65536)
def token_hash(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8", "replace"), digest_size=8).digest(), "little")


def kgram_hashes(tokens: list) -> np.ndarray:
    """The hash of every k-gram of ``tokens`` (strings), in order; empty when fewer than K."""
    n = len(tokens) - K + 1
    if n <= 0:
        return EMPTY
    values = np.fromiter((token_hash(t) for t in tokens), dtype=np.uint64, count=len(tokens))
    hashes = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(K):
            hashes = hashes * BASE + values[j : j + n]
    return hashes


def winnow(hashes: np.ndarray) -> np.ndarray:
    """Indexes of the k-grams robust winnowing selects, ascending."""
    if len(hashes) <= W:
        return np.array([len(hashes) - 1 - int(np.argmin(hashes[::-1]))] if len(hashes) else [], dtype=np.int64)
    windows = np.lib.stride_tricks.sliding_window_view(hashes, W)
    rightmost = W - 1 - np.argmin(windows[:, ::-1], axis=1)  # the rightmost minimum of each window
    return np.unique(rightmost + np.arange(len(windows)))


def fingerprints(tokens: list) -> np.ndarray:
    """The distinct winnowed fingerprints of ``tokens``, sorted (uint64)."""
    hashes = kgram_hashes(tokens)
    return np.unique(hashes[winnow(hashes)]) if len(hashes) else EMPTY

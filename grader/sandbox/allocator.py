"""malloc settings for the grader and its sandbox children: large freed blocks are kept for
the next request instead of going back to the kernel.

A full submission moves about 100 MB through the sandbox's pipes, in frames of up to a few
hundred kilobytes (a dropout cache, its gradients), and builds as many arrays from them.
glibc's malloc serves each block above its mmap threshold (128 KiB at first) with fresh
pages and unmaps it when freed, so every such block costs page faults: about 11,000 per
warm submission in the grader, measured with ``getrusage``. With the thresholds below the
heap keeps the blocks and the same pages serve the next frame (about 700 faults). Memory
above ``TRIM_THRESHOLD`` at the top of the heap is still given back. Other C libraries
(musl, macOS) keep their own behaviour: this is speed, never correctness.

This module runs on both sides: the grader imports it, and the sandbox child loads the same
file by path and calls ``tune`` itself (glibc drops ``GLIBC_TUNABLES`` from the environment of
a process that changed its user, as bwrap's child does). It imports only the standard library.
"""

import functools

MMAP_THRESHOLD = 32 * 2**20  # blocks smaller than this come from the heap (glibc's largest dynamic value)
TRIM_THRESHOLD = 128 * 2**20  # free memory kept at the top of the heap
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt's parameter numbers (glibc's malloc.h)


@functools.cache
def tune():
    """Apply the thresholds to this process, once (nothing where glibc's ``mallopt`` is missing)."""
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (ImportError, OSError, AttributeError):
        return
    mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)

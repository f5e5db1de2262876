"""Similarity across a class (SPEC §9): which students' graded functions are the same code.

The pipeline, one module each: ``normalize`` (a function as canonical tokens, with
``order`` putting independent statements in one order),
``fingerprint`` (winnowed k-gram fingerprints), ``baseline`` (what every student was
given or every correct solution shares), ``compare`` (candidate pairs and their scores),
``distribute`` (the local process pool or Dask), ``report`` (``similarity.csv`` and
``similarity.html``). ``run`` in ``grader.similarity.command`` ties them together.
"""

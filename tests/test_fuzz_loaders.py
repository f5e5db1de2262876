"""Fuzzing the submission loaders: junk that hypothesis makes up (random bytes, truncated
and corrupted zips, malformed notebooks, odd file names) never raises out of the grader.

``load_submission`` either returns a ``Submission`` whose texts can all be written as
UTF-8 (source, names, messages), or raises ``SubmissionError``; ``load_or_explain``, which
the ``grade`` command uses, never raises; a reply frame of junk raises only ``WireError``.
"""

import atexit
import io
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.pipeline.submission import Submission, SubmissionError, load_or_explain, load_submission
from grader.sandbox import wire
from tests.helpers import reference_source

FUZZ = settings(
    derandomize=True, database=None, deadline=None, max_examples=150, suppress_health_check=list(HealthCheck)
)
NAMES = ("gradient_checking.py", "gradient_checking.ipynb", "optimization.py", "notes.txt")


def _writable(submission):
    """Every text the grader will write about ``submission`` encodes as UTF-8."""
    texts = [
        submission.student,
        *submission.unknown,
        *(n.text for n in submission.notes),
        *submission.problems.values(),
    ]
    for file in submission.files.values():
        texts += [file.name, file.source]
    for text in texts:
        text.encode("utf-8")


def _load(path):
    """``load_submission`` and ``load_or_explain`` on ``path``: neither may raise anything else."""
    try:
        _writable(load_submission(path))
    except SubmissionError as error:
        str(error).encode("utf-8")
    submission = load_or_explain(path)
    assert isinstance(submission, Submission)
    _writable(submission)


ROOT = tempfile.mkdtemp(prefix="hx-fuzz-")
atexit.register(shutil.rmtree, ROOT, True)


def _folder():
    return Path(tempfile.mkdtemp(dir=ROOT))


@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(NAMES + ("submission.zip",)))
def test_random_bytes_in_any_student_file(data, name):
    folder = _folder() / "student"
    folder.mkdir()
    (folder / name).write_bytes(data)
    _load(folder)
    _load(folder / name)


def _zip_of(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


members = st.lists(
    st.tuples(
        st.sampled_from(NAMES + ("sub/gradient_checking.py", "../x.py", "/abs.py")),
        st.one_of(st.binary(max_size=300), st.just(reference_source("gradient_checking").encode())),
    ),
    max_size=4,
    unique_by=lambda member: member[0],
)


@FUZZ
@given(
    members=members,
    cut=st.integers(0, 10_000),
    flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8),
)
def test_truncated_and_corrupted_zips(members, cut, flips):
    data = bytearray(_zip_of(members))
    for offset, value in flips:
        if data:
            data[offset % len(data)] = value
    if cut < len(data):
        data = data[:cut]
    path = _folder() / "student.zip"
    path.write_bytes(bytes(data))
    _load(path)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
cells = st.lists(
    st.one_of(
        json_values,
        st.fixed_dictionaries(
            {
                "cell_type": st.sampled_from(["code", "markdown", "raw", 3]),
                "source": st.one_of(st.text(max_size=200), st.lists(st.text(max_size=60), max_size=5), json_values),
            }
        ),
        st.fixed_dictionaries(
            {
                "cell_type": st.just("code"),
                "source": st.sampled_from(
                    [
                        "%matplotlib inline\nimport numpy as np",
                        "!pip install x\n" * 3,
                        "def f(:\n  pass",
                        "x = (1,\n% 2)",
                        "obj?\n",
                        "%%bash\nls",
                        reference_source("gradient_checking"),
                        "\ud800",
                        "def g():\n\treturn 1\n",
                    ]
                ),
            }
        ),
    ),
    max_size=6,
)


@FUZZ
@given(cells=cells, top=json_values, shape=st.sampled_from(["cells", "worksheets", "top", "truncated"]))
def test_malformed_notebooks(cells, top, shape):
    notebook = {"cells": cells, "nbformat": 4}
    if shape == "worksheets":
        notebook = {"worksheets": [{"cells": cells}], "nbformat": 3}
    elif shape == "top":
        notebook = top
    text = json.dumps(notebook)
    if shape == "truncated":
        text = text[: len(text) // 2]
    folder = _folder() / "student"
    folder.mkdir()
    (folder / "gradient_checking.ipynb").write_text(text)
    _load(folder)


name_bytes = st.binary(min_size=1, max_size=80).filter(
    lambda b: b"/" not in b and b"\0" not in b and b not in (b".", b"..")
)


@FUZZ
@given(names=st.lists(name_bytes, max_size=6), student=name_bytes, suffix=st.sampled_from([b"", b".py", b".ipynb"]))
def test_odd_file_and_folder_names(names, student, suffix):
    root = os.fsencode(_folder())
    folder = os.path.join(root, student)
    try:
        os.mkdir(folder)
    except OSError:
        return  # a name the file system refuses
    for name in names:
        try:
            with open(os.path.join(folder, name + suffix), "wb") as stream:
                stream.write(b"def f():\n    return 1\n")
        except OSError:
            pass
    _load(Path(os.fsdecode(folder)))


@FUZZ
@given(data=st.binary(max_size=2048), prefix=st.booleans())
def test_junk_reply_frames_raise_only_wire_errors(data, prefix):
    if prefix:  # a well-formed prefix, so the junk reaches the header and blob decoders
        header, body = data[: len(data) // 2], data[len(data) // 2 :]
        data = wire.PREFIX.pack(wire.MAGIC, len(header), len(body)) + header + body
    stream = io.BytesIO(data)

    def read_exact(n):
        chunk = stream.read(n)
        if len(chunk) != n:
            raise wire.WireError("truncated")
        return chunk

    try:
        wire.read_frame(read_exact)
    except wire.WireError:
        pass


@pytest.mark.parametrize(
    "header",
    [
        b"[" * 100_000,
        b'{"__nd__": 5}',
        b'{"__nd__": [0, "a"]}',
        b'{"__tuple__": 7}',
        b"1" + b"0" * 400,
        b'{"__float__": []}',
        b'{"a": {"__nd__": [0, 10]}}',
    ],
)
def test_forged_headers_raise_only_wire_errors(header):
    try:
        value = wire.decode(header, b"\x93NUMPY" + b"\0" * 4)
    except wire.WireError:
        return
    assert not isinstance(value, int) or abs(value) < 2**64

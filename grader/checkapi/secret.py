"""Secret cases: every check also runs on an input no student can have seen.

The checks draw the same inputs for everyone (derandomized hypothesis, fixed networks), so a
probe submission could read the expected values from its report and a resubmission hard-code
them. So each check gets one more case, drawn from a seed that is an HMAC of the submission's
SHA-256 and the check's id under a course secret: the same submission gets the same case
(its grade is reproducible), another submission gets another one, and nobody can compute it
without the secret.

- A hypothesis check (``@given``) needs nothing: the engine draws one more example of its
  strategies from that seed after its shared examples passed (``runner.GradingPlugin``).
- A check with fixed inputs asks for the ``secret`` fixture (a ``SecretCase``): its ``rng``
  draws the secret input, and ``secret.run(function, *args)`` runs the case.

A failing secret case says so and rounds every number of the check's message to three
significant digits (``round_numbers``): what is wrong is said, the exact expected value is
not (it would be of no use to the next submission anyway, whose case differs).

The secret, in order: the environment variable ``GRADER_SECRET``; the file named by
``GRADER_SECRET_FILE``; else a per-installation secret made once (32 random bytes, mode 0600) in
``$XDG_CONFIG_HOME/dnn-autograder/secret`` (``~/.config/dnn-autograder/secret``). Every machine
that grades one class (Dask workers included) needs the same secret; its fingerprint is part
of the grading suite's hash (``batch/resume.py``), so a worker with another one is refused.
"""

import contextlib
import functools
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

_SECRET_CASE = [False]  # set while a secret case runs: messages are rounded


def _secret_file() -> Path:
    if os.environ.get("GRADER_SECRET_FILE"):
        return Path(os.environ["GRADER_SECRET_FILE"])
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "dnn-autograder" / "secret"


@functools.lru_cache(maxsize=1)
def course_secret() -> bytes:
    """The course secret (see the module docstring); made once when there is none."""
    if os.environ.get("GRADER_SECRET"):
        return os.environ["GRADER_SECRET"].encode("utf-8")
    path = _secret_file()
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32).encode("ascii")
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as stream:
        stream.write(value + b"\n")
    try:
        os.link(temporary, path)  # atomic, and never replaces a secret another process made meanwhile
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return path.read_bytes().strip()


def fingerprint() -> str:
    """A short digest of the secret (safe to show and to store): equal secrets, equal fingerprints."""
    return hashlib.sha256(b"fingerprint\0" + course_secret()).hexdigest()[:16]


def case_seed(submission_sha256: str, check_id: str) -> int:
    """The secret case's seed of one check for one submission (64 bits)."""
    digest = hmac.new(course_secret(), f"{submission_sha256}\0{check_id}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big")


_NUMBER = re.compile(r"(?<![\w.])-?\d+\.\d+(?:e[+-]?\d+)?(?![\w.])|(?<![\w.])-?\d+e[+-]?\d+(?![\w.])")


def _rounded(match) -> str:
    text = match.group()
    mantissa = text.lower().split("e")[0].lstrip("-").replace(".", "").lstrip("0")
    return text if len(mantissa) <= 3 else f"{float(text):.3g}"


def round_numbers(text: str) -> str:
    """``text`` with every decimal number of more than three significant digits rounded to three."""
    return _NUMBER.sub(_rounded, text)


def in_secret_case() -> bool:
    return _SECRET_CASE[0]


@contextlib.contextmanager
def secret_case(description: str):
    """Run a secret case: a ``CheckFailure`` raised in it says so, with its numbers rounded."""
    from grader.checkapi.support import CheckFailure
    from grader.sandbox.session import StudentError

    where = f"In a case drawn for this submission only ({description})"
    _SECRET_CASE[0] = True
    try:
        yield
    except CheckFailure as failure:
        raise CheckFailure(f"{where}: {round_numbers(str(failure))}") from None
    except StudentError as error:
        error.message = f"{where}: {error.message}"
        raise
    finally:
        _SECRET_CASE[0] = False


class SecretCase:
    """The ``secret`` fixture: the secret case of one check for one submission."""

    def __init__(self, seed: int):
        import numpy as np

        self.seed = seed
        self.rng = np.random.default_rng(seed)

    def run(self, function, *args, description="a secret input", **kwargs):
        """``function(*args, **kwargs)`` as this check's secret case."""
        with secret_case(description):
            return function(*args, **kwargs)

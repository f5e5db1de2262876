"""The hypothesis profile checks run under: the same input draws in every process, whatever
else is loaded and however busy the machine is."""

import hypothesis
from hypothesis import strategies as st

from grader.checkapi import support  # noqa: F401  (the grading profile and its settings)


def _draws():
    seen = []

    @hypothesis.seed(1234)
    @hypothesis.settings(max_examples=60)
    @hypothesis.given(st.lists(st.floats(-1e6, 1e6), min_size=4, max_size=4), st.integers(-(10**7), 10**7))
    def record(xs, n):
        seen.append((tuple(xs), n))

    record()
    return seen


def test_the_draws_do_not_depend_on_the_local_modules_loaded(tmp_path, monkeypatch):
    """hypothesis would also draw constants found in the source of the local modules loaded
    (in at most 100 ms of parsing): a module loaded in one worker and not in another, or
    parsed in time on one machine and not on a busier one, would change what is drawn."""
    before = _draws()
    floats = ", ".join(f"{v}.25" for v in range(1000, 1300))
    ints = ", ".join(str(v) for v in range(7_770_000, 7_770_300))
    (tmp_path / "constants_probe.py").write_text(f"FLOATS = [{floats}]\nINTS = [{ints}]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import constants_probe  # noqa: F401

    assert _draws() == before

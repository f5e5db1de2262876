"""Checks are named by a stable id, ``<assignment>.<check function>`` (issue 11): the
catalogue of known mistakes names them so, and ``grade validate`` says at once, naming the
entry, when an id it names is no hidden check's."""

import pytest

from grader.authoring import validate
from grader.authoring.validate import catalogue_problems, hidden_checks, unknown_checks
from grader.mistakes import Mistake, catalogue
from grader.pipeline.grading import check_files
from grader.results import check_id

ASSIGNMENTS = [f.stem for f in check_files()]


def test_every_check_the_catalogue_names_exists():
    assert catalogue_problems(ASSIGNMENTS) == []
    for assignment in ASSIGNMENTS:
        checks = hidden_checks(assignment)
        for entry in catalogue(assignment):
            if isinstance(entry, Mistake):
                assert entry.must_fail, entry.name
                for name in entry.named_checks():
                    assert name.startswith("check_") and check_id(assignment, name) in checks, (entry.name, name)


def test_a_misspelt_check_id_is_reported_with_its_entry(monkeypatch):
    checks = hidden_checks("optimization")
    assert "optimization.check_gd" in checks and checks["optimization.check_gd"] == "update_parameters_with_gd"
    typo = Mistake("gd_typo", "update_parameters_with_gd", "this looks like a typo.", "def f(): pass", ("check_gdd",))
    [line] = unknown_checks("optimization", typo, checks)
    assert "gd_typo" in line and "check_gdd" in line
    in_message = Mistake("gd_key", "update_parameters_with_gd", "", "def f(): pass", ("check_gd",), {"check_gb": "x"})
    assert "check_gb" in unknown_checks("optimization", in_message, checks)[0]

    real = validate.catalogue
    monkeypatch.setattr(validate, "catalogue", lambda a: real(a) + ([typo] if a == "optimization" else []))
    assert [line] == catalogue_problems(ASSIGNMENTS)
    monkeypatch.setattr(validate, "run", lambda *a, **k: pytest.fail("graded despite a misspelt id"))
    printed = []
    assert validate.validate(out=printed.append) == 1
    assert printed == [f"PROBLEM {line}"]

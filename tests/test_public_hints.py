"""Hints in the self-check and in the notebooks' check cells (issue 14), from the same
catalogue as the hidden grading, computed when the bundle is built and stored as data."""

import numpy as np

from grader.authoring.public_build import known_mistake_frames, public_modules
from grader.mistakes import applied_to, catalogue, mistakes
from grader.pipeline.public_hints import load_known
from grader.pipeline.reference import EXPECTED
from grader.sandbox import wire
from grader.student.notebook_check import checker
from tests.helpers import grade_source, reference_source, same_values


def entry(assignment, name):
    return next(e for e in catalogue(assignment) if e.name == name)


def test_the_stored_mistake_outputs_are_up_to_date():
    frames = known_mistake_frames()
    assert frames
    for assignment, frame in frames.items():
        stored = EXPECTED / f"{assignment}.hints.frame"
        # (values within 1e-12: the last bit of a mistake's output may differ between machines)
        assert stored.exists() and same_values(wire.read_bytes(stored.read_bytes()), wire.read_bytes(frame)), (
            f"{stored} is stale: run `python -m grader.authoring.public_build`"
        )


def test_the_stored_data_holds_public_cases_and_catalogue_hints_only():
    for assignment, module in public_modules():
        known = load_known(assignment)
        assert set(known) <= set(module.CASES), assignment
        hints = {m.name: m.hint for m in mistakes(assignment)}
        for case, entries in known.items():
            for name, hint, _output in entries:
                assert hints[name] == hint
                assert entry(assignment, name).function == module.CASES[case].function


def test_grade_check_names_adam_without_bias_correction():
    mistake = entry("optimization", "adam_no_bias_correction")
    result = grade_source("optimization", applied_to(reference_source("optimization"), mistake.source), public=True)
    failed = [o for o in result.outcomes if not o.passed]
    assert [o.function for o in failed] == ["update_parameters_with_adam"]
    assert failed[0].mistake == mistake.name and failed[0].hint == mistake.hint and "Hint: " not in failed[0].message
    assert failed[0].check_id == "optimization.check_adam"  # the public check's own function


def test_a_wrong_derivative_in_gradient_checking_is_named_and_the_reference_gets_no_hint():
    recognised = 0
    for mistake in mistakes("gradient_checking", "backward_propagation"):
        result = grade_source(
            "gradient_checking", applied_to(reference_source("gradient_checking"), mistake.source), public=True
        )
        named = {o.mistake for o in result.outcomes if o.mistake}
        assert named <= {mistake.name}  # never another mistake's hint
        recognised += bool(named)
    assert recognised >= 1
    clean = grade_source("gradient_checking", reference_source("gradient_checking"), public=True)
    assert all(o.passed and not o.mistake for o in clean.outcomes)


def test_the_notebook_check_cell_shows_the_same_hint(capsys):
    mistake = entry("optimization", "adam_no_bias_correction")
    namespace = {"np": np}
    exec(applied_to(reference_source("optimization"), mistake.source), namespace)
    checker("optimization", namespace)("update_parameters_with_adam")
    printed = capsys.readouterr().out
    assert "✘" in printed and "Hint: " + mistake.hint in printed
    exec(reference_source("optimization"), namespace)
    checker("optimization", namespace)("update_parameters_with_adam")
    printed = capsys.readouterr().out
    assert "Hint" not in printed and "1/1 public checks passed" in printed

"""Public checks of ``gradient_checking``: fixed cases a student can run with
``grade check``. Expected values are stored data (see ``build.py``)."""

from grader.checkapi.support import Case, assert_close, expect_float, fail, grading

ASSIGNMENT = "gradient_checking"

WRONG = {"backward_propagation": "def backward_propagation(x, theta):\n    return x + 1\n"}
CASES = {
    "forward": Case("forward_propagation", 2.0, 4.0),
    "backward": Case("backward_propagation", 2.0, 4.0),
    "wrong derivative": Case("gradient_check", 2.0, 4.0, patch=WRONG),
}


@grading("forward_propagation", "J = theta * x at x = 2, theta = 4", 30)
def check_forward(student, expected):
    assert_close(CASES["forward"].run(student), expected["forward"], repr(CASES["forward"]))


@grading("backward_propagation", "dJ/dtheta at x = 2, theta = 4", 30)
def check_backward(student, expected):
    assert_close(CASES["backward"].run(student), expected["backward"], repr(CASES["backward"]))


@grading("gradient_check", "the correct gradient passes at x = 2, theta = 4", 20)
def check_correct_gradient(student):
    difference = expect_float(student.gradient_check(2.0, 4.0), "gradient_check(2.0, 4.0)")
    if not 0 <= difference < 1e-7:
        fail(
            f"gradient_check(2.0, 4.0) returned {difference:.6g}; it should be below 1e-7 "
            "(the course's value is about 2.9e-10)."
        )


@grading("gradient_check", "a wrong derivative (x + 1) is exposed", 20)
def check_wrong_derivative(student, expected):
    assert_close(
        CASES["wrong derivative"].run(student),
        expected["wrong derivative"],
        repr(CASES["wrong derivative"]),
        rtol=1e-6,
        context="With backward_propagation returning x + 1 swapped into your module",
    )

"""Regenerate ``examples/class``: a dozen submissions written to exercise the grader.

    python examples/make_class.py

Each submission starts from the reference solutions (or the stubs) and, for the
"typical mistakes", changes one or two lines the way students do. Every edit must
apply exactly once, so a change to the solutions that breaks an edit stops this script
instead of silently producing a correct "mistake".
"""

import ast
import io
import json
import shutil
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLASS = ROOT / "examples" / "class"
IDS = ("initialization", "regularization", "gradient_checking", "gradient_checking_nd", "optimization")


def reference(assignment):
    return (ROOT / "solutions" / f"{assignment}.py").read_text()


def stub(assignment):
    return (ROOT / "assignments" / f"{assignment}.py").read_text()


def edit(source, old, new):
    assert source.count(old) == 1, f"expected exactly one {old!r}"
    return source.replace(old, new)


def with_function_from(source, other, name):
    """``source`` with the top-level function ``name`` taken from ``other``."""

    def span(text):
        node = next(n for n in ast.parse(text).body if isinstance(n, ast.FunctionDef) and n.name == name)
        return node.lineno - 1, node.end_lineno

    lines, other_lines = source.splitlines(), other.splitlines()
    (start, end), (o_start, o_end) = span(source), span(other)
    return "\n".join(lines[:start] + other_lines[o_start:o_end] + lines[end:]) + "\n"


def notebook(source):
    """A notebook whose code cells hold ``source``, one function per cell, with some chatter."""
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# My solution\n"]},
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [], "source": ["%matplotlib inline\n"]},
    ]
    for chunk in source.split("\n\n\ndef "):
        text = chunk if chunk.startswith(("import", '"""', "from")) else "def " + chunk
        cells.append(
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": text.splitlines(keepends=True),
            }
        )
    cells.append(
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": ["print(gradient_check(2, 4))\n"],
        }
    )
    return (
        json.dumps(
            {
                "cells": cells,
                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
                "nbformat": 4,
                "nbformat_minor": 5,
            },
            indent=1,
        )
        + "\n"
    )


def submissions():
    """{name: {file name: text}}; a name ending in .zip is written as a zip."""
    every = {f"{a}.py": reference(a) for a in IDS}
    return {
        # everything right
        "ada_complete": every,
        # two assignments handed in, three missing
        "ben_partial": {
            "initialization.py": reference("initialization"),
            "regularization.py": reference("regularization"),
        },
        # a notebook (magics and a print cell included) plus a .py
        "cho_notebook": {
            "gradient_checking.ipynb": notebook(reference("gradient_checking")),
            "gradient_checking_nd.py": reference("gradient_checking_nd"),
        },
        # a zip with everything inside one folder, and the usual macOS litter
        "dev_zip.zip": {**{f"dev/{a}.py": reference(a) for a in IDS}, "__MACOSX/dev/._optimization.py": "junk"},
        # Xavier instead of He; large random init without the *10
        "eve_init_scales": {
            "initialization.py": edit(
                edit(reference("initialization"), "np.sqrt(2.0 / n_prev)", "np.sqrt(1.0 / n_prev)"),
                "layers_dims[l - 1])) * 10\n",
                "layers_dims[l - 1]))\n",
            ),
            "optimization.py": reference("optimization"),
        },
        # L2 cost without the 1/2; dropout backward without the 1/keep_prob rescaling
        "fay_regularization": {
            "regularization.py": edit(
                edit(reference("regularization"), "lambd / (2 * m) * l2", "lambd / m * l2"),
                '* cache[f"D{l - 1}"] / keep_prob',
                '* cache[f"D{l - 1}"]',
            )
        },
        # a one-sided difference; the planted backprop bugs of gradient_checking_nd left in
        "gus_gradients": {
            "gradient_checking.py": edit(
                reference("gradient_checking"),
                "gradapprox = (J_plus - J_minus) / (2 * epsilon)",
                "gradapprox = (J_plus - forward_propagation(x, theta)) / epsilon",
            ),
            "gradient_checking_nd.py": with_function_from(
                reference("gradient_checking_nd"), stub("gradient_checking_nd"), "backward_propagation_n"
            ),
        },
        # Adam without bias correction; momentum without the (1 - beta)
        "hal_adam": {
            "optimization.py": edit(
                edit(
                    edit(reference("optimization"), "new_v[key] / (1 - beta1 ** t)", "new_v[key]"),
                    "new_s[key] / (1 - beta2 ** t)",
                    "new_s[key]",
                ),
                "new_v[key] = beta * v[key] + (1 - beta) * grads[key]",
                "new_v[key] = beta * v[key] + grads[key]",
            )
        },
        # decay without the floor; X and Y shuffled with different permutations
        "ivy_schedules": {
            "optimization.py": edit(
                edit(reference("optimization"), "math.floor(epoch_num / time_interval)", "epoch_num / time_interval"),
                "X[:, permutation], Y[:, permutation]",
                "X[:, permutation], Y[:, np.random.default_rng(seed + 1).permutation(m)]",
            )
        },
        # the stubs as handed out: nothing implemented
        "jon_stubs": {f"{a}.py": stub(a) for a in IDS},
        # a zip cut short by a failed upload
        "kim_broken.zip": None,
        # no student file: a misnamed one and notes
        "lea_misnamed": {"optimisation.py": reference("optimization"), "README.txt": "see my notebook\n"},
        # a syntax error, and a function that never returns
        "max_crashes": {
            "initialization.py": edit(
                reference("initialization"), "def initialize_parameters_zeros(", "def initialize_parameters_zeros(:"
            ),
            "gradient_checking.py": edit(
                reference("gradient_checking"),
                "    J_plus = forward_propagation(x, theta + epsilon)",
                "    while True:\n        pass\n    J_plus = forward_propagation(x, theta + epsilon)",
            ),
        },
    }


def main():
    shutil.rmtree(CLASS, ignore_errors=True)
    CLASS.mkdir(parents=True)
    for name, files in submissions().items():
        if name.endswith(".zip"):
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                for member, text in (files or {"kim/optimization.py": reference("optimization")}).items():
                    archive.writestr(zipfile.ZipInfo(member, (2024, 1, 1, 0, 0, 0)), text)
            data = buffer.getvalue()
            (CLASS / name).write_bytes(data if files else data[: len(data) // 2])
            continue
        for member, text in files.items():
            (CLASS / name / member).parent.mkdir(parents=True, exist_ok=True)
            (CLASS / name / member).write_text(text)
    print(f"wrote {len(submissions())} submissions to {CLASS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

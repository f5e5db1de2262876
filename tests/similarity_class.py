"""A planted class for ``grade similarity``: independent authors whose correct code differs,
and copiers who disguised what they copied in each way SPEC §9 and issue 15 list.

Authors (the ``optimization`` functions below and all of ``gradient_checking``):

- ``ref``: the reference solution (``solutions/``), ``carol``, ``dave`` and ``erin``:
  four independent students, each function written a different way (``dave`` uses the
  correct variants of ``grader.mistakes``; ``carol`` and ``erin`` are written here);
- ``public``: a public solution in the course notebooks' style, handed to the command
  with ``--against``; ``p_*`` students copied it, ``c_*`` students copied ``carol``.

Each copier applies one disguise (``c_everything`` and ``p_everything`` all of them;
``c_tweaked`` and ``p_tweaked`` also edit a few constants and expressions, which no
normalization undoes).
``check_correct`` runs every author's functions against the reference, so a disguise
that broke the code (a reordering of dependent lines) fails the test, not the detector.
"""

import ast
import copy
import json
import re
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OPTIMIZATION = (
    "update_parameters_with_gd",
    "random_mini_batches",
    "initialize_velocity",
    "update_parameters_with_momentum",
    "update_parameters_with_adam",
    "update_lr",
    "schedule_lr_decay",
)

PUBLIC_OPT = """
import math

import numpy as np


def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
    return parameters


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    mini_batches = []
    permutation = list(rng.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation]
    num_complete_minibatches = math.floor(m / mini_batch_size)
    for k in range(0, num_complete_minibatches):
        mini_batch_X = shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size]
        mini_batch_Y = shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]
        mini_batch = (mini_batch_X, mini_batch_Y)
        mini_batches.append(mini_batch)
    if m % mini_batch_size != 0:
        mini_batch_X = shuffled_X[:, num_complete_minibatches * mini_batch_size:]
        mini_batch_Y = shuffled_Y[:, num_complete_minibatches * mini_batch_size:]
        mini_batch = (mini_batch_X, mini_batch_Y)
        mini_batches.append(mini_batch)
    return mini_batches


def initialize_velocity(parameters):
    L = len(parameters) // 2
    v = {}
    for l in range(L):
        v["dW" + str(l + 1)] = np.zeros((parameters["W" + str(l + 1)].shape[0], parameters["W" + str(l + 1)].shape[1]))
        v["db" + str(l + 1)] = np.zeros((parameters["b" + str(l + 1)].shape[0], parameters["b" + str(l + 1)].shape[1]))
    return v


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    for l in range(L):
        v["dW" + str(l + 1)] = beta * v["dW" + str(l + 1)] + (1 - beta) * grads["dW" + str(l + 1)]
        v["db" + str(l + 1)] = beta * v["db" + str(l + 1)] + (1 - beta) * grads["db" + str(l + 1)]
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * v["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * v["db" + str(l + 1)]
    return parameters, v


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    v_corrected = {}
    s_corrected = {}
    for l in range(L):
        v["dW" + str(l + 1)] = beta1 * v["dW" + str(l + 1)] + (1 - beta1) * grads["dW" + str(l + 1)]
        v["db" + str(l + 1)] = beta1 * v["db" + str(l + 1)] + (1 - beta1) * grads["db" + str(l + 1)]
        v_corrected["dW" + str(l + 1)] = v["dW" + str(l + 1)] / (1 - beta1 ** t)
        v_corrected["db" + str(l + 1)] = v["db" + str(l + 1)] / (1 - beta1 ** t)
        s["dW" + str(l + 1)] = beta2 * s["dW" + str(l + 1)] + (1 - beta2) * np.square(grads["dW" + str(l + 1)])
        s["db" + str(l + 1)] = beta2 * s["db" + str(l + 1)] + (1 - beta2) * np.square(grads["db" + str(l + 1)])
        s_corrected["dW" + str(l + 1)] = s["dW" + str(l + 1)] / (1 - beta2 ** t)
        s_corrected["db" + str(l + 1)] = s["db" + str(l + 1)] / (1 - beta2 ** t)
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * v_corrected["dW" + str(l + 1)] / (
            np.sqrt(s_corrected["dW" + str(l + 1)]) + epsilon)
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * v_corrected["db" + str(l + 1)] / (
            np.sqrt(s_corrected["db" + str(l + 1)]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected


def update_lr(learning_rate0, epoch_num, decay_rate):
    learning_rate = learning_rate0 / (1 + decay_rate * epoch_num)
    return learning_rate


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    learning_rate = learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))
    return learning_rate
"""

PUBLIC_GC = """
import numpy as np


def forward_propagation(x, theta):
    J = theta * x
    return J


def backward_propagation(x, theta):
    dtheta = x
    return dtheta


def gradient_check(x, theta, epsilon=1e-7):
    theta_plus = theta + epsilon
    theta_minus = theta - epsilon
    J_plus = forward_propagation(x, theta_plus)
    J_minus = forward_propagation(x, theta_minus)
    gradapprox = (J_plus - J_minus) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    if denominator == 0:
        return 0.0
    difference = numerator / denominator
    return difference
"""

CAROL_OPT = """
import numpy as np


def update_parameters_with_gd(parameters, grads, learning_rate):
    updated = {}
    for name, value in parameters.items():
        step = learning_rate * grads["d" + name]
        updated[name] = value - step
    return updated


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    generator = np.random.default_rng(seed)
    order = generator.permutation(X.shape[1])
    X_perm = X[:, order]
    Y_perm = Y[:, order]
    batches = []
    start = 0
    while start < X.shape[1]:
        stop = min(start + mini_batch_size, X.shape[1])
        batches.append((X_perm[:, start:stop], Y_perm[:, start:stop]))
        start = stop
    return batches


def initialize_velocity(parameters):
    velocity = {}
    for name in parameters:
        velocity["d" + name] = np.zeros(parameters[name].shape)
    return velocity


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_params = {}
    new_v = {}
    for name in parameters:
        grad_key = "d" + name
        velocity = beta * v[grad_key]
        velocity = velocity + (1 - beta) * grads[grad_key]
        new_v[grad_key] = velocity
        new_params[name] = parameters[name] - learning_rate * velocity
    return new_params, new_v


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    out_params, out_v, out_s, v_hat, s_hat = {}, {}, {}, {}, {}
    first_correction = 1 - beta1 ** t
    second_correction = 1 - beta2 ** t
    for name in parameters:
        key = "d" + name
        g = grads[key]
        out_v[key] = beta1 * v[key] + (1 - beta1) * g
        out_s[key] = beta2 * s[key] + (1 - beta2) * g * g
        v_hat[key] = out_v[key] / first_correction
        s_hat[key] = out_s[key] / second_correction
        out_params[name] = parameters[name] - learning_rate * v_hat[key] / (np.sqrt(s_hat[key]) + epsilon)
    return out_params, out_v, out_s, v_hat, s_hat


def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (1 + decay_rate * epoch_num)


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * (epoch_num // time_interval))
"""

CAROL_GC = """
def forward_propagation(x, theta):
    return theta * x


def backward_propagation(x, theta):
    return x


def gradient_check(x, theta, epsilon=1e-7):
    grad = backward_propagation(x, theta)
    gradapprox = forward_propagation(x, theta + epsilon)
    gradapprox = gradapprox - forward_propagation(x, theta - epsilon)
    gradapprox = gradapprox / (2 * epsilon)
    total = abs(grad) + abs(gradapprox)
    if total == 0:
        return 0.0
    return abs(grad - gradapprox) / total
"""

ERIN_OPT = """
import math

import numpy as np


def update_parameters_with_gd(parameters, grads, learning_rate):
    keys = sorted(parameters)
    return dict(zip(keys, [parameters[k] - learning_rate * grads[f"d{k}"] for k in keys]))


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    idx = np.random.default_rng(seed).permutation(m)
    starts = np.arange(0, m, mini_batch_size)
    return [(X[:, idx[a:a + mini_batch_size]], Y[:, idx[a:a + mini_batch_size]]) for a in starts]


def initialize_velocity(parameters):
    return dict((f"d{k}", np.full(w.shape, 0.0)) for k, w in parameters.items())


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    v = {k: beta * v[k] + (1 - beta) * grads[k] for k in v}
    parameters = {k: parameters[k] - learning_rate * v[f"d{k}"] for k in parameters}
    return parameters, v


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    v = {k: beta1 * v[k] + (1 - beta1) * grads[k] for k in v}
    s = {k: beta2 * s[k] + (1 - beta2) * np.power(grads[k], 2) for k in s}
    v_corrected = {k: val / (1 - np.power(beta1, t)) for k, val in v.items()}
    s_corrected = {k: val / (1 - np.power(beta2, t)) for k, val in s.items()}
    parameters = {k: p - learning_rate * v_corrected[f"d{k}"] / (np.sqrt(s_corrected[f"d{k}"]) + epsilon)
                  for k, p in parameters.items()}
    return parameters, v, s, v_corrected, s_corrected


def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 * (1.0 / (1.0 + decay_rate * epoch_num))


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * math.floor(epoch_num / time_interval))
"""

ERIN_GC = """
import numpy as np


def forward_propagation(x, theta):
    return np.dot(theta, x)


def backward_propagation(x, theta):
    return x


def gradient_check(x, theta, epsilon=1e-7):
    J = [forward_propagation(x, theta + sign * epsilon) for sign in (1, -1)]
    gradapprox = (J[0] - J[1]) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    norms = np.linalg.norm([grad]) + np.linalg.norm([gradapprox])
    return float(np.linalg.norm([grad - gradapprox]) / norms) if norms > 0 else 0.0
"""


def dave_sources():
    """The reference with every catalogued correct variant of these functions in place."""
    from grader.mistakes import applied_to, variants

    sources = {}
    for assignment, keep in (("optimization", OPTIMIZATION), ("gradient_checking", None)):
        text = (ROOT / "solutions" / f"{assignment}.py").read_text(encoding="utf-8")
        chosen = {}
        for variant in variants(assignment):  # one variant per function: the first catalogued (later ones
            # include the course template's own, which public solutions share)
            if keep is None or variant.function in keep:
                chosen.setdefault(variant.function, variant)
        for variant in chosen.values():
            text = applied_to(text, variant.source)
        if keep is not None:  # only these functions: the others would be the reference's, word for word
            tree = ast.parse(text)
            graded = {n.name for n in _functions(ast.parse((ROOT / "assignments" / f"{assignment}.py").read_text()))}
            tree.body = [n for n in tree.body if not (isinstance(n, ast.FunctionDef) and n.name in graded - set(keep))]
            text = ast.unparse(tree) + "\n"
        sources[assignment] = text
    return sources


# -- disguises: each takes and returns a module's source text -------------------------------


def _functions(tree):
    return [n for n in tree.body if isinstance(n, ast.FunctionDef)]


class _Rename(ast.NodeTransformer):
    def __init__(self, mapping):
        self.mapping = mapping

    def visit_Name(self, node):
        node.id = self.mapping.get(node.id, node.id)
        return node


def rename(source):
    """Every local variable (not the arguments: the grader calls with keywords) gets a new name."""
    tree = ast.parse(source)
    for function in _functions(tree):
        arguments = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}
        stored = sorted(
            {
                n.id
                for n in ast.walk(function)
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.id not in arguments
            }
        )
        _Rename({name: f"my_{name.lower()}_{i}" for i, name in enumerate(stored)}).visit(function)
    return ast.unparse(tree) + "\n"


ASSIGNMENT_LINE = re.compile(r"^(\s*)([\w\[\]\"'+() .]+?) = (.+)$")


def reorder(source):
    """Swap adjacent simple assignments at the same indentation when neither's target
    appears in the other line (``check_correct`` confirms the result still works)."""
    lines, i = source.splitlines(), 0
    while i < len(lines) - 1:
        a, b = ASSIGNMENT_LINE.match(lines[i]), ASSIGNMENT_LINE.match(lines[i + 1])
        if (
            a
            and b
            and a.group(1) == b.group(1)
            and "==" not in lines[i] + lines[i + 1]
            and not _mentions(lines[i + 1], a.group(2))
            and not _mentions(lines[i], b.group(2))
        ):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
            i += 2
        else:
            i += 1
    return "\n".join(lines) + "\n"


def _mentions(line, target):
    base = re.match(r"\w+", target).group(0)
    return re.search(rf"\b{re.escape(base)}\b", line) is not None if target == base else target in line


def comments(source):
    """A comment after every statement line and a comment line before every function."""
    out = []
    for line in source.splitlines():
        if line.startswith("def "):
            out.append("# --- my implementation, written from scratch ---")
        stripped = line.rstrip()
        commented = stripped and not stripped.endswith((":", ",", "("))
        out.append(stripped + "  # update the values here" if commented else line)
    return "\n".join(out) + "\n"


def docstrings(source):
    """A new docstring on every function."""
    tree = ast.parse(source)
    for function in _functions(tree):
        text = f"Compute {function.name.replace('_', ' ')}, as explained in the lecture notes."
        function.body.insert(0, ast.Expr(ast.Constant(text)))
    return ast.unparse(tree) + "\n"


def whitespace(source):
    """Indentation by two spaces, a blank line after every line, spaces inside brackets."""
    out = []
    for line in source.splitlines():
        body = line.lstrip(" ")
        indent = (len(line) - len(body)) // 2
        out += [" " * indent + body.replace("(", "( ").replace(")", " )") + "   ", ""]
    return "\n".join(out) + "\n"


class _Augment(ast.NodeTransformer):
    """``a = a + b`` -> ``a += b`` and ``a += b`` -> ``a = a + b``."""

    def visit_Assign(self, node):
        if (
            len(node.targets) == 1
            and isinstance(node.value, ast.BinOp)
            and ast.dump(node.value.left).replace("Load", "Store") == ast.dump(node.targets[0])
        ):
            return ast.copy_location(ast.AugAssign(node.targets[0], node.value.op, node.value.right), node)
        return node

    def visit_AugAssign(self, node):
        left = copy.deepcopy(node.target)
        for n in ast.walk(left):
            if hasattr(n, "ctx"):
                n.ctx = ast.Load()
        return ast.copy_location(ast.Assign([node.target], ast.BinOp(left, node.op, node.value)), node)


def augassign(source):
    return ast.unparse(_Augment().visit(ast.parse(source))) + "\n"


class _Prints(ast.NodeTransformer):
    def generic_visit(self, node):
        super().generic_visit(node)
        for field in ("body", "orelse"):
            block = getattr(node, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                out = []
                for statement in block:
                    out.append(statement)
                    if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
                        name = statement.targets[0].id
                        out.append(ast.parse(f"print('debug: {name} =', {name})").body[0])
                setattr(node, field, out)
        return node


def prints(source):
    """A debugging print after every assignment to a name."""
    return ast.unparse(_Prints().visit(ast.parse(source))) + "\n"


def everything(source):
    return whitespace(comments(reorder(prints(augassign(docstrings(rename(source)))))))


def tweak(source):
    """Small edits beyond the disguises, which change tokens: ``1 - b`` as ``1.0 - b``, ``b ** t`` as
    ``b ** int(t)``, ``X.shape[1]`` as ``X.shape[-1]``; then every disguise."""
    source = source.replace("(1 - ", "(1.0 - ").replace(" ** t", " ** int(t)").replace(".shape[1]", ".shape[-1]")
    return everything(source)


DISGUISES = {
    "rename": rename,
    "reorder": reorder,
    "comments": comments,
    "docstrings": docstrings,
    "whitespace": whitespace,
    "augassign": augassign,
    "prints": prints,
    "everything": everything,
}


# -- the class ---------------------------------------------------------------------------------


def authors():
    """``{name: {assignment: source}}`` of every author, and the planted groups (sets of names)."""
    ref = {
        a: (ROOT / "solutions" / f"{a}.py").read_text(encoding="utf-8") for a in ("optimization", "gradient_checking")
    }
    public = {"optimization": PUBLIC_OPT.lstrip(), "gradient_checking": PUBLIC_GC.lstrip()}
    carol = {"optimization": CAROL_OPT.lstrip(), "gradient_checking": CAROL_GC.lstrip()}
    everyone = {
        "ref": ref,
        "carol": carol,
        "dave": dave_sources(),
        "erin": {"optimization": ERIN_OPT.lstrip(), "gradient_checking": ERIN_GC.lstrip()},
        "public": public,
    }
    carol_group, public_group = {"carol"}, {"public"}
    edits = {**DISGUISES, "tweaked": tweak}
    for disguise in ("docstrings", "whitespace", "augassign", "prints", "everything", "tweaked"):
        everyone[f"c_{disguise}"] = {a: edits[disguise](s) for a, s in carol.items()}
        carol_group.add(f"c_{disguise}")
    for disguise in ("rename", "reorder", "comments", "everything", "tweaked"):
        everyone[f"p_{disguise}"] = {a: edits[disguise](s) for a, s in public.items()}
        public_group.add(f"p_{disguise}")
    return everyone, [carol_group, public_group]


def write_class(root, everyone):
    """Students in ``root/class`` in every layout ``grade`` reads (folders, a zip, a notebook),
    the public solution in ``root/public``. Returns ``(class folder, public folder)``."""
    klass, public = Path(root) / "class", Path(root) / "public"
    for index, (name, files) in enumerate(sorted(everyone.items())):
        folder = public if name == "public" else klass / name
        folder.mkdir(parents=True, exist_ok=True)
        for assignment, text in files.items():
            if index % 4 == 1 and assignment == "gradient_checking":  # some hand in notebooks
                cells = [
                    {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": chunk}
                    for chunk in text.split("\n\n\n")
                ]
                notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
                (folder / f"{assignment}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
            else:
                (folder / f"{assignment}.py").write_text(text, encoding="utf-8")
        if index % 4 == 2 and name != "public":  # and some a zip
            with zipfile.ZipFile(klass / f"{name}.zip", "w") as archive:
                for file in sorted(folder.iterdir()):
                    archive.write(file, f"{name}/{file.name}")
                    file.unlink()
            folder.rmdir()
    return klass, public


# -- the oracle: every author's code is correct ---------------------------------------------------


def _inputs(rng):
    dims = [3, 4, 1]
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1]))
        parameters[f"b{l}"] = rng.standard_normal((dims[l], 1))
    grads = {"d" + k: rng.standard_normal(v.shape) for k, v in parameters.items()}
    v = {"d" + k: rng.standard_normal(p.shape) for k, p in parameters.items()}
    s = {"d" + k: rng.random(p.shape) for k, p in parameters.items()}
    X, Y = rng.standard_normal((3, 130)), (rng.random((1, 130)) > 0.5).astype(float)
    return {
        "update_parameters_with_gd": (parameters, grads, 0.1),
        "random_mini_batches": (X, Y, 32, 5),
        "initialize_velocity": (parameters,),
        "update_parameters_with_momentum": (parameters, grads, v, 0.9, 0.1),
        "update_parameters_with_adam": (parameters, grads, v, s, 3, 0.01, 0.9, 0.999, 1e-8),
        "update_lr": (0.5, 7, 0.3),
        "schedule_lr_decay": (0.5, 2500, 0.3, 1000),
        "forward_propagation": (2.0, 3.5),
        "backward_propagation": (2.0, 3.5),
        "gradient_check": (2.0, 3.5, 1e-7),
    }


def _same(got, expected):
    if isinstance(expected, dict):
        return set(got) == set(expected) and all(_same(got[k], expected[k]) for k in expected)
    if isinstance(expected, (list, tuple)):
        return len(got) == len(expected) and all(_same(g, e) for g, e in zip(got, expected))
    return np.allclose(got, expected, rtol=1e-6, atol=1e-9)


def check_correct(name, files):
    """Raise ``AssertionError`` unless every graded function in ``files`` matches the reference."""
    import contextlib
    import io
    import sys

    sys.path.insert(0, str(ROOT / "assignments"))
    try:
        for assignment, text in files.items():
            theirs, reference = {}, {}
            exec(compile(text, f"{name}/{assignment}.py", "exec"), theirs)  # noqa: S102 - our own test code
            exec(compile((ROOT / "solutions" / f"{assignment}.py").read_text(), "reference", "exec"), reference)  # noqa: S102
            for function, arguments in _inputs(np.random.default_rng(0)).items():
                if function in theirs and function in reference:
                    with contextlib.redirect_stdout(io.StringIO()):  # the copiers' debugging prints
                        got = theirs[function](*copy.deepcopy(arguments))
                    expected = reference[function](*copy.deepcopy(arguments))
                    assert _same(got, expected), f"{name}: {assignment}.{function} differs from the reference"
    finally:
        sys.path.remove(str(ROOT / "assignments"))

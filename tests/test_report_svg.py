"""The SVG filters of the report (grader/report/svg.py) write exactly what the jinja loops
they replaced wrote, escaping included."""

import jinja2
import numpy as np

from grader.checkapi.networks import boundary_panel
from grader.report.output import render
from grader.report.svg import FILTERS

# The template text before the filters, element for element.
LOOPS = """<svg>
      {% for r in panel.runs %}<rect x="{{ r[1] }}" y="{{ r[0] }}" width="{{ r[2] }}" height="1" fill="{{ '#c6c3e6' if r[3] else '#f2c4c9' }}"/>{% endfor %}
      {% for p in panel.points %}<circle cx="{{ p[0] }}" cy="{{ p[1] }}" r="0.7" fill="{{ '#3f51b5' if p[2] else '#c62828' }}" stroke="#222" stroke-width="0.1"/>{% endfor %}
    </svg>"""  # noqa: E501
FILTERED = """<svg>
      {% with %}{{ panel.runs | boundary_runs }}{{ panel.points | boundary_points }}{% endwith %}
    </svg>"""


# The paths figure's point list before its filter (templates/figures/paths2d.html's macro).
PATH_LOOP = (
    "{% for p in points %}{{ '%.1f' | format((p[0] - x0) / (x1 - x0) * w) }},"
    "{{ '%.1f' | format((y1 - p[1]) / (y1 - y0) * h) }} {% endfor %}"
)
PATH_FILTERED = "{{ points | polyline_points(x0, x1, y0, y1, w, h) }}"


def _environment():
    environment = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    environment.filters.update(FILTERS)
    return environment


def _panel():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 40))
    Y = (X[0] * X[1] > 0).astype(float)[None]
    return boundary_panel("a panel", lambda points: points[0] > 0.3 * points[1], X, Y)


def test_the_filters_write_what_the_loops_wrote():
    panel = _panel()
    assert panel["runs"] and panel["points"]
    environment = _environment()
    loops = environment.from_string(LOOPS).render(panel=panel)
    filtered = environment.from_string(FILTERED).render(panel=panel)
    assert filtered == loops
    # odd values (not numbers) are escaped as the loops escaped them
    odd = {"runs": [["<b>", 0, 1.5, 0]], "points": [['"x"', 2, True]]}
    assert environment.from_string(FILTERED).render(panel=odd) == environment.from_string(LOOPS).render(panel=odd)


def test_the_path_filter_writes_what_the_loop_wrote():
    from grader.checks.optimization_figures import XLIM, YLIM, _clipped_points, _contours

    rng = np.random.default_rng(2)
    path = _clipped_points(np.cumsum(rng.standard_normal((41, 2)), axis=0) + [-4.0, 1.0])
    box = dict(x0=XLIM[0], x1=XLIM[1], y0=YLIM[0], y1=YLIM[1], w=240, h=130)
    environment = _environment()
    for points in [path, [[XLIM[0], YLIM[1]], [XLIM[1], YLIM[0]]], [], *_contours()]:
        loop = environment.from_string(PATH_LOOP).render(points=points, **box)
        assert environment.from_string(PATH_FILTERED).render(points=points, **box) == loop
    assert "-" not in environment.from_string(PATH_FILTERED).render(points=path, **box)  # inside the picture


def test_the_report_template_uses_them():
    figure = {"columns": 1, "panels": [_panel()]}
    html = render("figures/boundaries.html", data=figure, title="t")
    assert html.count("<rect ") == len(figure["panels"][0]["runs"])
    assert html.count("<circle ") == len(figure["panels"][0]["points"])


def test_a_networks_panel_is_drawn_once_for_equal_parameters():
    from grader.checkapi import networks
    from grader.checks.models import predictor

    rng = np.random.default_rng(1)
    X = rng.standard_normal((2, 40))
    Y = (X[0] * X[1] > 0).astype(float)[None]

    def network(seed):
        r = np.random.default_rng(seed)
        return {
            "W1": r.standard_normal((3, 2)),
            "b1": r.standard_normal((3, 1)),
            "W2": r.standard_normal((1, 3)),
            "b2": r.standard_normal((1, 1)),
        }

    drawn = []
    real = networks._boundary
    networks._boundary = lambda *args: drawn.append(1) or real(*args)
    try:
        first = boundary_panel("mine", predictor(network(2)), X, Y, subtitle="s", parameters=network(2))
        again = boundary_panel("theirs", predictor(network(2)), X, Y, parameters=network(2))
        other = boundary_panel("other", predictor(network(3)), X, Y, parameters=network(3))
    finally:
        networks._boundary = real
    assert len(drawn) == 2  # equal parameters and data: drawn once
    assert first == dict(boundary_panel("mine", predictor(network(2)), X, Y, subtitle="s"))  # as without the memo
    assert again["label"] == "theirs" and again["runs"] == first["runs"] and again["points"] == first["points"]
    assert again["runs"] is not first["runs"] and again["runs"][0] is not first["runs"][0]  # fresh lists
    assert other["runs"] != first["runs"]

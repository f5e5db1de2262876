"""Jinja filters that write the many small SVG elements of a figure in one Python loop.

A decision-boundary panel has a few hundred ``<rect>`` runs and a few hundred points, and an
optimizer's path panel a few hundred coordinates; drawn with a ``{% for %}`` loop, jinja2
formats and escapes every number on its own (tens of thousands of calls per report, most of
the time of writing one). These filters write the same text: numbers as ``str()`` (or the
loop's ``format``) writes them, which needs no escaping, anything else escaped.
"""

from markupsafe import Markup, escape


def _text(value):
    return str(value) if type(value) in (int, float) else str(escape(value))


def boundary_runs(runs):
    """``<rect>`` elements of a boundary panel's runs ``[row, start, length, class]``."""
    return Markup(
        "".join(
            f'<rect x="{_text(r[1])}" y="{_text(r[0])}" width="{_text(r[2])}" height="1" '
            f'fill="{"#c6c3e6" if r[3] else "#f2c4c9"}"/>'
            for r in runs
        )
    )


def boundary_points(points):
    """``<circle>`` elements of a boundary panel's points ``[x, y, class]``."""
    return Markup(
        "".join(
            f'<circle cx="{_text(p[0])}" cy="{_text(p[1])}" r="0.7" fill="{"#3f51b5" if p[2] else "#c62828"}" '
            'stroke="#222" stroke-width="0.1"/>'
            for p in points
        )
    )


def polyline_points(points, x0, x1, y0, y1, width, height):
    """The ``points`` attribute of an SVG ``<polyline>``: each ``[x, y]`` of ``points`` (numbers)
    mapped from the box ``x0..x1`` by ``y0..y1`` onto ``width`` by ``height`` pixels, y pointing
    down (``(x - x0) / (x1 - x0) * width``, ``(y1 - y) / (y1 - y0) * height``), one decimal each,
    every pair followed by a space."""
    return Markup(
        "".join(f"{(p[0] - x0) / (x1 - x0) * width:.1f},{(y1 - p[1]) / (y1 - y0) * height:.1f} " for p in points)
    )


FILTERS = {"boundary_runs": boundary_runs, "boundary_points": boundary_points, "polyline_points": polyline_points}

"""The report's charts (issue 14): ticks and labels on both axes, the legend outside the plot,
the reference's curve beside the student's, AA colours, a text alternative. (Text size and
axe-core's checks run in the browser: tests/test_browser.py.)"""

import re

import pytest

from grader.report.charts import PALETTE, contrast, line_chart, nice_ticks
from grader.report.output import report_html
from grader.results import AssignmentResult, Figure, SubmissionResult
from tests.helpers import grade_source, reference_source


@pytest.mark.parametrize("lo,hi", [(0.05, 0.69), (0, 29), (0.3312, 0.3315), (1e-9, 5e-9), (-3.2, 7.5), (2, 2)])
def test_nice_ticks_cover_the_range_with_round_equal_steps(lo, hi):
    ticks = nice_ticks(lo, hi)
    assert 3 <= len(ticks) <= 12
    assert ticks[0] <= lo and ticks[-1] >= hi
    steps = {round(b - a, 15) for a, b in zip(ticks, ticks[1:])}
    step = max(steps)
    assert all(abs(s - step) <= 1e-9 * step for s in steps)
    mantissa = step / 10 ** __import__("math").floor(__import__("math").log10(step))
    assert any(abs(mantissa - m) < 1e-6 for m in (1, 2, 2.5, 5))


def test_every_series_colour_meets_wcag_aa_on_white():
    assert contrast("#000000") == pytest.approx(21)
    assert contrast("#777777") < 4.5  # the oracle: a grey that fails
    for colour in PALETTE:
        assert contrast(colour) >= 4.5, colour


def test_figure_templates_use_no_colour_below_aa_for_text():
    from grader import paths

    for template in (paths.TEMPLATES / "figures").glob("*.html"):
        text = template.read_text()
        for colour in re.findall(r"fill: ?(#[0-9a-fA-F]{6})", text):
            assert contrast(colour) >= 4.5, (template.name, colour)


def test_yours_and_the_reference_share_a_colour_and_the_reference_is_dashed():
    chart = line_chart(
        {
            "series": {
                "yours: gd": [0.7, 0.5, 0.4],
                "reference: gd": [0.7, 0.45, 0.3],
                "yours: adam": [0.7, 0.2, None],
            },
            "xlabel": "epoch",
            "every": 10,
        }
    )
    styles = {line["label"]: (line["colour"], line["dashed"]) for line in chart["lines"]}
    assert styles["yours: gd"][0] == styles["reference: gd"][0] != styles["yours: adam"][0]
    assert styles["reference: gd"][1] and not styles["yours: gd"][1]
    assert [t["text"] for t in chart["x_ticks"]][-1] == "20"  # i * every
    assert "yours: gd from 0.7 to 0.4" in chart["description"]


def test_a_rendered_line_chart_has_axes_ticks_labels_title_and_an_outside_legend():
    figure = Figure(
        "lines",
        "Cost per epoch",
        {
            "series": {"yours: gd": [0.69, 0.5, 0.41, 0.38], "reference: gd": [0.69, 0.48, 0.4, 0.35]},
            "xlabel": "epoch",
            "ylabel": "cost",
        },
    )
    result = SubmissionResult("s", "0" * 64, (AssignmentResult("optimization", True, figures=(figure,)),))
    html = report_html(result)
    svg = html[html.index('<svg class="chart"') : html.index("</svg>", html.index('<svg class="chart"'))]
    assert 'role="img"' in svg and 'aria-label="Line chart: Cost per epoch.' in svg and "<title>" in svg
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert {"epoch", "cost"} <= set(texts)
    assert sum(t.replace(".", "").isdigit() for t in texts) >= 6  # ticks on both axes
    assert "yours: gd" not in texts  # the legend is outside the plot
    legend = html[html.index('<ul class="legend">') :]
    assert "yours: gd" in legend and "reference: gd" in legend and "stroke-dasharray" in legend


def test_the_optimizers_cost_chart_draws_the_reference_beside_yours():
    result = grade_source("optimization", reference_source("optimization"))
    chart = next(f for f in result.figures if f.kind == "lines")
    series = chart.data["series"]
    for optimizer in ("gd", "momentum", "rmsprop", "adam"):
        assert series[f"yours: {optimizer}"] == pytest.approx(series[f"reference: {optimizer}"], rel=1e-9)
    assert chart.data["xlabel"] == "epoch" and chart.data["ylabel"] == "cost"


def test_the_regularization_report_shows_train_and_test_accuracy_beside_the_reference():
    from grader.checks.regularization_runs import RECORD_EVERY, TRAIN_ITERATIONS, TRAIN_LR
    from grader.checks.trajectories import provided
    from grader.pipeline.reference import load_reference

    data_utils, nn_utils, reg_utils = provided("data_utils"), provided("nn_utils"), provided("reg_utils")

    result = grade_source("regularization", reference_source("regularization"))
    table = next(f for f in result.figures if f.kind == "bars")
    assert table.data["labels"] == ["none", "L2", "dropout", "both"]
    series = table.data["series"]
    assert series["yours: train"] == series["reference: train"] and series["yours: test"] == series["reference: test"]
    # an independent oracle: the provided helpers' own accuracy on the test set, for the unregularized run
    X, Y, test_X, test_Y = data_utils.load_football()
    parameters, _ = reg_utils.model(
        X,
        Y,
        learning_rate=TRAIN_LR,
        num_iterations=TRAIN_ITERATIONS,
        print_cost=False,
        impl=load_reference("regularization"),
        record_every=RECORD_EVERY,
    )
    assert series["reference: test"][0] == pytest.approx(100 * nn_utils.accuracy(test_X, test_Y, parameters), abs=0.05)
    assert series["reference: train"][0] == pytest.approx(100 * nn_utils.accuracy(X, Y, parameters), abs=0.05)
    boundaries = next(f for f in result.figures if f.kind == "boundaries")
    assert len(boundaries.data["panels"]) == 8
    assert all(
        len(p["points"]) == test_X.shape[1] and "test" in p["subtitle"] and "train" in p["subtitle"]
        for p in boundaries.data["panels"]
    )

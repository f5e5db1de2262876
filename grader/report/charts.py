"""Geometry of the report's line charts, computed in Python so the template only draws.

``line_chart(data)`` turns ``{"series": {label: [y or None, ...]}, "xlabel", "ylabel",
"every"}`` into plot coordinates with "nice" ticks on both axes (1, 2 or 5 times a power of
ten), one colour per curve pair (``yours: X`` solid and ``reference: X`` dashed in the same
colour), a legend drawn outside the plot, and a one-sentence text alternative. The colours
all have a contrast of at least 4.5:1 on white (WCAG AA for text; ``tests/test_charts.py``).
"""

import math

# (colour, name): each at least 4.5:1 against white
PALETTE = ("#1f5fa8", "#b3401b", "#1b7a3a", "#7b2a95", "#8a5a00", "#4d4d4d")
WIDTH, HEIGHT = 360, 230
LEFT, RIGHT, TOP, BOTTOM = 56, 10, 10, 44  # room for the y ticks and label, the x ticks and label


def nice_ticks(lo, hi, count=5):
    """About ``count`` round tick values from at or below ``lo`` to at or above ``hi`` (steps of
    1, 2, 2.5 or 5 times a power of ten)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0, 1.0]
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [round(k * step, 12) for k in range(first, last + 1)]


def tick_label(value, step):
    """A tick's text: as few digits as the step needs."""
    if value == 0:
        return "0"
    if abs(value) < 1e-3 or abs(value) >= 1e6:
        return f"{value:.3g}"
    if float(step).is_integer() and float(value).is_integer():
        return f"{int(value):,}"
    decimals = 0
    while decimals < 12 and abs(round(step, decimals) - step) > 1e-9 * abs(step):
        decimals += 1
    return f"{value:.{decimals}f}"


def _finite(y):
    return isinstance(y, (int, float)) and not isinstance(y, bool) and math.isfinite(y)


def _pair_name(label):
    for prefix in ("yours: ", "reference: ", "yours ", "reference "):
        if label.startswith(prefix):
            return label[len(prefix) :]
    return label


def line_chart(data, title=""):
    """Everything ``templates/figures/lines.html`` draws, as plain values."""
    series = data.get("series") or {}
    every = data.get("every") or 1
    values = [y for ys in series.values() for y in ys if _finite(y)]
    n = max((len(ys) for ys in series.values()), default=1)
    y_ticks = nice_ticks(min(values, default=0.0), max(values, default=1.0))
    y0, y1 = y_ticks[0], y_ticks[-1] if y_ticks[-1] > y_ticks[0] else y_ticks[0] + 1
    x_ticks = nice_ticks(0, max(n - 1, 1) * every)
    x0, x1 = 0, max(n - 1, 1) * every
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(x):
        return LEFT + plot_w * (x - x0) / (x1 - x0)

    def py(y):
        return TOP + plot_h * (y1 - y) / (y1 - y0)

    colours, lines, legend, described = {}, [], [], []
    for label, ys in series.items():
        pair = _pair_name(label)
        colour = colours.setdefault(pair, PALETTE[len(colours) % len(PALETTE)])
        dashed = label.startswith("reference")
        segments, current = [], []
        for i, y in enumerate(ys):
            if _finite(y):
                current.append(f"{px(i * every):.1f},{py(y):.1f}")
            elif current:
                segments.append(" ".join(current))
                current = []
        if current:
            segments.append(" ".join(current))
        lines.append({"label": label, "colour": colour, "dashed": dashed, "segments": segments})
        legend.append({"label": label, "colour": colour, "dashed": dashed})
        finite = [y for y in ys if _finite(y)]
        described.append(f"{label} from {finite[0]:.3g} to {finite[-1]:.3g}" if finite else f"{label}: no value")
    y_step = y_ticks[1] - y_ticks[0] if len(y_ticks) > 1 else 1
    x_step = x_ticks[1] - x_ticks[0] if len(x_ticks) > 1 else 1
    xlabel, ylabel = data.get("xlabel", ""), data.get("ylabel", "cost")
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "top": TOP,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "y_ticks": [{"y": round(py(v), 1), "text": tick_label(v, y_step)} for v in y_ticks],
        "x_ticks": [{"x": round(px(v), 1), "text": tick_label(v, x_step)} for v in x_ticks if v <= x1 * (1 + 1e-9)],
        "xlabel": xlabel,
        "ylabel": ylabel,
        "lines": lines,
        "legend": legend,
        "description": f"Line chart{': ' + title if title else ''}. {ylabel or 'value'} against {xlabel or 'step'}: "
        + "; ".join(described)
        + ".",
    }


def contrast(colour, background="#ffffff"):
    """The WCAG contrast ratio of two ``#rrggbb`` colours."""

    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    a, b = sorted((luminance(colour), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)

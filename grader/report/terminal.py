"""The terminal's view of a result (``grade check``): a line per assignment, a tick or a cross
per check, and under a cross its first message line, the line of the student's own code
where an error was raised, and the hint. The same order as the report (``view.py``)."""

from grader.report.view import report_view

TICK, CROSS = "✔", "✘"


def terminal_lines(result, sources=None):
    """The lines ``grade check`` prints for ``result``; ``sources`` maps an assignment id to the
    file that was checked (shown beside its name)."""
    view, sources, lines = report_view(result), sources or {}, []
    for v in view.submitted:
        a = v.result
        where = f" ({sources.get(a.id) or a.source})" if (sources.get(a.id) or a.source) else ""
        if not a.submitted:
            lines.append(f"{a.id}{where}: not checked")
            lines += [f"    {note.splitlines()[0]}" for note in a.notes]
            continue
        lines.append(f"{a.id}{where}: {len(v.passed)}/{len(a.outcomes)} public checks passed")
        lines += [f"    {note.splitlines()[0]}" for note in a.notes]
        by_check = {id(f.outcome): f for f in v.failed}
        for o in a.outcomes:
            if o.passed:
                lines.append(f"  {TICK} {o.function}: {o.name}")
                continue
            f = by_check[id(o)]
            lines.append(f"  {CROSS} {o.function}: {o.name}")
            if f.first_line:
                lines.append(f"        {f.first_line}")
            if f.code_line:
                lines += [f"        {line.strip()}" for line in f.code_line.splitlines()]
            if f.hint:
                lines.append(f"        Hint: {f.hint}")
    for a in view.missing:
        lines.append(f"{a.id}: not found")
    return lines

"""The comparison of scenarios: a terminal table, ``comparison.xlsx``, ``comparison.html``.

The HTML page is self-contained (inline CSS and SVG charts drawn here; no scripts, no
fonts or libraries from the internet), so it can be emailed or opened offline.
``comparison.json`` holds the same figures for other tools.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scheduler.files.atomic import atomic_path, write_text_atomic
from scheduler.scenarios.metrics import COLUMNS, Column, RunFigures
from scheduler.scenarios.runner import RunResult

__all__ = ["comparison_rows", "render_comparison", "write_comparison"]

_BY_KEY = {c.key: c for c in COLUMNS}
#: The figures of the terminal table, with short headings (the files have them all).
TERMINAL: tuple[tuple[str, str], ...] = (
    ("core_met_pct", "Core"),
    ("options_met_pct", "Options"),
    ("first_choice_met_pct", "1st choice"),
    ("students_fully_satisfied", "Fully satisfied"),
    ("groups", "Groups"),
    ("group_size_mean", "Group size"),
    ("staff_load_mean", "Staff load"),
    ("idle_per_student", "Idle per student"),
    ("status", "Status"),
    ("wall_s", "Time s"),
)


def _base_of(results: Sequence[RunResult]) -> dict[str, RunResult]:
    return {r.name: r for r in results if r.is_base}


def _delta(col: Column, figs: RunFigures | None, base: RunFigures | None) -> tuple[str, str]:
    """The change from the base as text, and ``better``/``worse``/``same``/``""``."""
    if figs is None or base is None:
        return "", ""
    a, b = col.value(figs), col.value(base)
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or isinstance(a, bool):
        return "", ""
    d = a - b
    if abs(d) < 10 ** -(col.digits + 1):
        return "±0", "same"
    text = f"{d:+.{col.digits}f}{col.unit}"
    if col.higher_is_better is None:
        return text, ""
    return text, "better" if (d > 0) == col.higher_is_better else "worse"


def _size_text(f: RunFigures | None) -> str:
    if f is None or f.group_size_mean is None:
        return "-"
    return f"{f.group_size_mean:.1f} ({f.group_size_min}-{f.group_size_max})"


def _status_text(r: RunResult) -> str:
    if r.figures is None:
        return r.status or "failed"
    text = r.figures.status
    if r.figures.interrupted:
        text += " (stopped)"
    return text


def _value(col: Column, r: RunResult) -> Any:
    """A figure of a run; a solve without a timetable still has a status and a time."""
    if r.figures is not None:
        return col.value(r.figures)
    if col.key == "status":
        return _status_text(r)
    if col.key == "wall_s":
        return r.wall_s
    return None


def _check_text(r: RunResult) -> str:
    if r.figures is None:
        return "no timetable"
    n = r.figures.hard_violations
    return "passes" if n == 0 else f"{n} rule(s) broken"


# ---------------------------------------------------------------------------------------
# Terminal
# ---------------------------------------------------------------------------------------


def render_comparison(results: Sequence[RunResult], console: Console) -> None:
    """Print the comparison as rich tables: headline figures, then room use by type."""
    bases = _base_of(results)
    table = Table(
        title="What if? Scenarios compared",
        header_style="bold",
        caption="Under each figure: the change from the base (green better, red worse). "
        "Group size: mean (smallest-largest). Staff load: mean/max periods taught.",
    )
    table.add_column("Scenario", max_width=24)
    for key, heading in TERMINAL:
        table.add_column(heading, justify="left" if key == "status" else "right")
    table.add_column("Check")
    for i, r in enumerate(results):
        if i and r.base != results[i - 1].base:
            table.add_section()  # one school's runs together: several schools in one run
        base = bases.get(r.base)
        cells = []
        for key, _ in TERMINAL:
            col = _BY_KEY[key]
            f = r.figures
            if key == "group_size_mean":
                text = _size_text(f)
            elif key == "staff_load_mean":
                text = (
                    "-"
                    if f is None or f.staff_load_mean is None
                    else f"{f.staff_load_mean:.1f}/{f.staff_load_max}"
                )
            elif key == "status":
                text = _status_text(r)
            elif f is None and key == "wall_s" and r.wall_s is not None:
                text = f"{r.wall_s:.1f}"
            else:
                text = col.text(f)
            delta, verdict = _delta(col, f, base.figures if base and not r.is_base else None)
            if delta and verdict in ("better", "worse"):
                style = "green" if verdict == "better" else "red"
                text += f"\n[{style}]{delta}[/{style}]"
            cells.append(text)
        check = _check_text(r)
        check = f"[green]{check}[/green]" if check == "passes" else f"[red]{check}[/red]"
        name = f"[bold]{escape(r.name)}[/bold]" if r.is_base else escape(r.name)
        table.add_row(name, *cells, check)
    console.print(table)
    types = sorted({t for r in results if r.figures for t in r.figures.room_use})
    if types:
        rooms = Table(
            title="Room use by type (% of open room periods with a lesson)", header_style="bold"
        )
        rooms.add_column("Scenario", max_width=24)
        for t in types:
            rooms.add_column(t, justify="right")
        for r in results:
            use = r.figures.room_use if r.figures else {}
            rooms.add_row(escape(r.name), *[f"{use[t]:.0f}%" if t in use else "-" for t in types])
        console.print(rooms)
    for r in results:
        if r.error:
            console.print(f"[red]{escape(r.name)}[/red]: {escape(r.error)}", highlight=False)
        for v in r.violations:
            console.print(
                f"[red]{escape(r.name)}[/red] breaks a rule: {escape(v)}", highlight=False
            )


# ---------------------------------------------------------------------------------------
# Rows shared by the files
# ---------------------------------------------------------------------------------------


def comparison_rows(results: Sequence[RunResult]) -> list[dict[str, Any]]:
    """One JSON-ready dict per run: names, changes, folders and every figure."""
    rows = []
    for r in results:
        row: dict[str, Any] = {
            "scenario": r.name,
            "base": r.base,
            "base_school": r.base_label,
            "description": r.description,
            "changes": list(r.changes),
            "folder": r.slug,
            "workbook": r.workbook,
            "error": r.error,
            "check_passes": r.ok,
            "status": r.status,
            "wall_s": r.wall_s,
        }
        row.update(r.figures.as_dict() if r.figures else {})
        rows.append(row)
    return rows


def write_comparison(
    results: Sequence[RunResult],
    out: Path,
    title: str = "What if?",
    seconds: float | None = None,
    interrupted: bool = False,
) -> None:
    """Write ``comparison.json``, ``comparison.xlsx`` and ``comparison.html`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    payload = {
        "title": title,
        "seconds": round(seconds, 1) if seconds is not None else None,
        "interrupted": interrupted,
        "runs": comparison_rows(results),
    }
    write_text_atomic(out / "comparison.json", json.dumps(payload, indent=2) + "\n")
    _write_xlsx(results, out / "comparison.xlsx")
    write_text_atomic(out / "comparison.html", _html(results, title, seconds, interrupted))


# ---------------------------------------------------------------------------------------
# comparison.xlsx
# ---------------------------------------------------------------------------------------


def _write_xlsx(results: Sequence[RunResult], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Comparison"
    bold = Font(bold=True)
    headings = ["Scenario", "Base", "Check"] + [c.heading for c in COLUMNS]
    ws.append(headings)
    bases = _base_of(results)
    green, red = PatternFill("solid", fgColor="DDF2DD"), PatternFill("solid", fgColor="F8DCDC")
    for r in results:
        values: list[Any] = [r.name, r.base, _check_text(r) if not r.error else r.error]
        for c in COLUMNS:
            values.append(_value(c, r))
        ws.append(values)
        base = bases.get(r.base)
        if base is None or r.is_base:
            continue
        # Colour a figure green or red where it is better or worse than the base's.
        for j, c in enumerate(COLUMNS, start=4):
            _, verdict = _delta(c, r.figures, base.figures)
            if verdict in ("better", "worse"):
                ws.cell(row=ws.max_row, column=j).fill = green if verdict == "better" else red
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 16
    for j in range(4, len(headings) + 1):
        ws.column_dimensions[get_column_letter(j)].width = 13

    types = sorted({t for r in results if r.figures for t in r.figures.room_use})
    rooms = wb.create_sheet("Room use")
    rooms.append(["Scenario"] + [f"{t} (% in use)" for t in types])
    for r in results:
        use = r.figures.room_use if r.figures else {}
        rooms.append([r.name] + [use.get(t) for t in types])
    for cell in rooms[1]:
        cell.font = bold
    rooms.freeze_panes = "B2"
    rooms.column_dimensions["A"].width = 34

    changes = wb.create_sheet("Changes")
    changes.append(
        ["Scenario", "Base school", "Description", "Changes", "Output folder", "Workbook"]
    )
    for r in results:
        changes.append(
            [
                r.name,
                r.base_label,
                r.description,
                "\n".join(r.changes) if r.changes else "(none: the school as it is)",
                r.slug,
                r.workbook or "",
            ]
        )
    for cell in changes[1]:
        cell.font = bold
    for width, letter in zip((34, 30, 60, 70, 24, 30), "ABCDEF"):
        changes.column_dimensions[letter].width = width
    for row in changes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    with atomic_path(path) as tmp:
        wb.save(tmp)


# ---------------------------------------------------------------------------------------
# comparison.html
# ---------------------------------------------------------------------------------------

_CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{margin-bottom:4px}h2{margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
p.lead{color:#555;margin-top:0}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:right;vertical-align:top}
th{background:#f4f5f7;text-align:center}
td.name,th.name{text-align:left;max-width:240px}
tr.base td{background:#f7f7f7;font-weight:600}
small.better{color:#1a7f37}small.worse{color:#c62828}small.same,small.d{color:#777}
small{display:block;font-weight:normal}
.charts{display:flex;flex-wrap:wrap;gap:16px}
.chart{border:1px solid #e4e4e4;border-radius:6px;padding:8px}
.ok{color:#1a7f37}.bad{color:#c62828;font-weight:600}
dl dt{font-weight:600;margin-top:12px}dl dd{margin-left:16px}
code{background:#f4f5f7;padding:1px 4px;border-radius:3px}
"""

_BASE_COLOUR = "#9aa3ad"
_SCENARIO_COLOUR = "#3b73b9"


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if v <= step:
            return float(step)
    return float(v)


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    unit: str = "",
    bases: Sequence[bool] = (),
    ranges: Sequence[tuple[float, float] | None] = (),
    max_value: float | None = None,
    digits: int = 1,
) -> str:
    """A horizontal bar chart as inline SVG: one bar per run, bases in grey.

    ``ranges`` draws a line from a smallest to a largest value over each bar (e.g. the
    smallest and largest group around the mean group size).
    """
    width, label_w, bar_h, gap, top = 460, 180, 16, 6, 26
    plot_w = width - label_w - 60
    known = [v for v in values if v is not None]
    extra = [hi for rg in ranges if rg for hi in rg[1:]]
    top_value = max_value if max_value is not None else _nice_max(max(known + extra, default=0))
    height = top + len(labels) * (bar_h + gap) + 8
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'role="img" aria-label="{_e(title)}" font-family="sans-serif" font-size="11">'
        ),
        f'<text x="0" y="14" font-size="13" font-weight="bold">{_e(title)}</text>',
    ]
    for i, (label, v) in enumerate(zip(labels, values)):
        y = top + i * (bar_h + gap)
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 4}" text-anchor="end">'
            f"<title>{_e(label)}</title>{_e(short)}</text>"
        )
        if v is None:
            parts.append(
                f'<text x="{label_w + 4}" y="{y + bar_h - 4}" fill="#999">no timetable</text>'
            )
            continue
        w = max(0.0, min(1.0, v / top_value)) * plot_w if top_value else 0
        colour = _BASE_COLOUR if (i < len(bases) and bases[i]) else _SCENARIO_COLOUR
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}">'
            f"<title>{_e(label)}: {v:.{digits}f}{_e(unit)}</title></rect>"
        )
        end = label_w + w
        rg = ranges[i] if i < len(ranges) else None
        if rg is not None:
            lo = label_w + max(0.0, min(1.0, rg[0] / top_value)) * plot_w
            hi = label_w + max(0.0, min(1.0, rg[1] / top_value)) * plot_w
            mid = y + bar_h / 2
            parts.append(
                f'<line x1="{lo:.1f}" y1="{mid}" x2="{hi:.1f}" y2="{mid}" stroke="#222" '
                f'stroke-width="1.5"/><line x1="{lo:.1f}" y1="{y + 3}" x2="{lo:.1f}" '
                f'y2="{y + bar_h - 3}" stroke="#222"/><line x1="{hi:.1f}" y1="{y + 3}" '
                f'x2="{hi:.1f}" y2="{y + bar_h - 3}" stroke="#222"/>'
            )
            end = max(end, hi)
        parts.append(f'<text x="{end + 4:.1f}" y="{y + bar_h - 4}">{v:.{digits}f}{_e(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _range(lo: float | None, hi: float | None) -> tuple[float, float] | None:
    return (float(lo), float(hi)) if lo is not None and hi is not None else None


def _cell(col: Column, r: RunResult, base: RunResult | None) -> str:
    if col.key == "status":
        return _e(_status_text(r))
    if r.figures is None:
        v = _value(col, r)
        return "-" if v is None else _e(f"{v}{col.unit}")
    text = _e(col.text(r.figures))
    if base is not None and not r.is_base:
        delta, verdict = _delta(col, r.figures, base.figures)
        if delta:
            text += f'<small class="{verdict or "d"}">{_e(delta)}</small>'
    return text


def _html(
    results: Sequence[RunResult], title: str, seconds: float | None, interrupted: bool
) -> str:
    bases = _base_of(results)
    when = datetime.now().strftime("%Y-%m-%d %H:%M")
    failing = [r for r in results if not r.ok]
    lead = f"{len(results)} timetables compared"
    if seconds is not None:
        lead += f", made in {seconds / 60:.1f} minutes"
    lead += f" ({when})."
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(title)}: what if?</title><style>{_CSS}</style></head><body>",
        f"<h1>What if? {_e(title)}</h1>",
        f'<p class="lead">{_e(lead)} ',
    ]
    if interrupted:
        out.append('<span class="bad">Stopped before the end: some scenarios are missing.</span> ')
    if failing:
        out.append(
            f'<span class="bad">{len(failing)} scenario(s) without a sound timetable: '
            f"{_e(', '.join(r.name for r in failing))}.</span>"
        )
    elif results:
        out.append('<span class="ok">Every timetable passes the independent check.</span>')
    out.append(
        "</p><p>Small figures under each value are the change from the school as it is "
        "(green: better, red: worse). Percentages of requests count the requests met.</p>"
    )

    # The main table.
    out.append("<h2>Figures</h2><table><tr><th class='name'>Scenario</th>")
    shown = [c for c in COLUMNS if c.key not in ("group_size_min", "group_size_max")]
    for c in shown:
        heading = "Mean group size (smallest-largest)" if c.key == "group_size_mean" else c.heading
        out.append(f"<th>{_e(heading)}</th>")
    out.append("</tr>")
    for r in results:
        base = bases.get(r.base)
        out.append(f"<tr class='{'base' if r.is_base else ''}'><td class='name'>{_e(r.name)}</td>")
        for c in shown:
            cell = _cell(c, r, base)
            if c.key == "group_size_mean" and r.figures and r.figures.group_size_mean is not None:
                cell += f"<small class='d'>({r.figures.group_size_min}-{r.figures.group_size_max})</small>"
            if c.key == "hard_violations" and r.figures is not None:
                cls = "ok" if r.figures.hard_violations == 0 else "bad"
                cell = f"<span class='{cls}'>{_e(_check_text(r))}</span>"
            out.append(f"<td>{cell}</td>")
        out.append("</tr>")
    out.append("</table>")

    # Charts.
    labels = [r.name for r in results]
    is_base = [r.is_base for r in results]

    def chart(title: str, key: str, unit: str = "", **options: Any) -> str:
        """A bar chart of one figure over the runs (bases in grey)."""
        values = [_value(_BY_KEY[key], r) for r in results]
        return bar_chart(title, labels, values, unit, is_base, **options)

    def spread(
        ends: Callable[[RunFigures], tuple[float | None, float | None]],
    ) -> list[tuple[float, float] | None]:
        """Each run's two figures ``ends`` gives, as a line over its bar."""
        return [_range(*ends(r.figures)) if r.figures else None for r in results]

    charts = [
        chart("Core requests met", "core_met_pct", "%", max_value=100),
        chart("Options met", "options_met_pct", "%", max_value=100),
        chart("First choices met", "first_choice_met_pct", "%", max_value=100),
        chart("Students fully satisfied", "students_fully_satisfied_pct", "%", max_value=100),
        chart("Teaching groups", "groups", digits=0),
        chart(
            "Group size: mean, smallest to largest",
            "group_size_mean",
            ranges=spread(lambda f: (f.group_size_min, f.group_size_max)),
        ),
        chart(
            "Staff load: mean periods taught (line to the busiest)",
            "staff_load_mean",
            ranges=spread(lambda f: (f.staff_load_mean, f.staff_load_max)),
        ),
        chart("Idle periods per student per cycle", "idle_per_student", digits=2),
        chart(
            "Students with a timetable nobody else has",
            "unique_timetables_pct",
            "%",
            max_value=100,
        ),
        chart("Solve time", "wall_s", " s", digits=0),
    ]
    out.append("<h2>Charts</h2><div class='charts'>")
    out.extend(f"<div class='chart'>{c}</div>" for c in charts)
    out.append("</div>")

    # Room use as a shaded table (runs x room types).
    types = sorted({t for r in results if r.figures is not None for t in r.figures.room_use})
    if types:
        out.append(
            "<h2>Room use by type</h2><p>Share of the periods each kind of room is open "
            "in which it holds a lesson (rooms with several types count for each).</p>"
            "<table><tr><th class='name'>Scenario</th>"
        )
        out.extend(f"<th>{_e(t)}</th>" for t in types)
        out.append("</tr>")
        for r in results:
            out.append(
                f"<tr class='{'base' if r.is_base else ''}'><td class='name'>{_e(r.name)}</td>"
            )
            use = r.figures.room_use if r.figures else {}
            for t in types:
                if t not in use:
                    out.append("<td>-</td>")
                    continue
                v = use[t]
                shade = f"rgba(59,115,185,{min(1.0, v / 100) * 0.55:.2f})"
                out.append(f"<td style='background:{shade}'>{v:.0f}%</td>")
            out.append("</tr>")
        out.append("</table>")

    # What each scenario is.
    out.append("<h2>The scenarios</h2><dl>")
    for r in results:
        out.append(f"<dt>{_e(r.name)}</dt>")
        if r.description:
            out.append(f"<dd>{_e(r.description)}</dd>")
        if r.changes:
            out.append(
                "<dd>Changes: <ol>"
                + "".join(f"<li><code>{_e(c)}</code></li>" for c in r.changes)
                + "</ol></dd>"
            )
        out.append(
            f"<dd>Timetable: <a href='{_e(r.slug)}/'>{_e(r.slug)}/</a>"
            + (f"; workbook: <code>{_e(r.workbook)}</code>" if r.workbook else "")
            + "</dd>"
        )
        if r.error:
            out.append(f"<dd class='bad'>{_e(r.error)}</dd>")
        for broken in r.violations:
            out.append(f"<dd class='bad'>Breaks a rule: {_e(broken)}</dd>")
    out.append(
        "</dl><p><small class='d'>Made by Pathways <code>pathways scenario run</code>.</small></p>"
    )
    out.append("</body></html>")
    return "\n".join(out)

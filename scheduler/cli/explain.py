"""``pathways explain``: why not everyone, in the school's words (issue 15).

Without ``--student``/``--course``: minimal sets of the school's facts that cannot hold
together (the groups the hard rules cannot place, students whose week cannot hold their
core courses) and the changes that lift each, each checked by solving the changed
school (``scheduler.solver.explain``). With a solved DIR and ``--student`` or
``--course``: why a student did not get a course in that timetable, and a choice of
groups that would fit it as it is. ``--out FILE.html`` writes the same as one
self-contained page.
"""

# ruff: noqa: B008  (typer declares options as argument defaults)

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from scheduler.cli.common import (
    EXIT_INPUT,
    OPTION_NAMES,
    console,
    number_problems,
    read_school,
    read_timetable,
    refuse,
)
from scheduler.model import School

if TYPE_CHECKING:
    from scheduler.solution import Solution
    from scheduler.solver.explain import Change, Conflict, Explanation, StudentWhy


def explain(
    school: Path = typer.Argument(..., help="The school workbook (.xlsx or a folder of CSVs)."),
    folder: Path | None = typer.Argument(
        None, help="A solved timetable's folder (needed by --student and --course)."
    ),
    student: str | None = typer.Option(
        None, "--student", help="Why this student did not get their courses (needs DIR)."
    ),
    course: str | None = typer.Option(
        None, "--course", help="Why students did not get this course (needs DIR)."
    ),
    out: Path | None = typer.Option(None, "--out", help="Also write the answer as a web page."),
    as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON."),
    conflicts: int = typer.Option(
        5, "--conflicts", min=1, max=50, help="Look for at most this many conflicts."
    ),
    solve_changes: int = typer.Option(
        2,
        "--solve-changes",
        min=0,
        max=10,
        help="Solve the school and this many changed schools per conflict (more while none "
        "recovers any requests) for real, and claim what those solves met; 0: check the "
        "changes in explain's model only (quick, an upper figure).",
    ),
    solve_limit: float = typer.Option(
        60.0, "--solve-limit", min=1.0, help="Seconds for each of those solves."
    ),
    confirm_runs: int = typer.Option(
        1,
        "--confirm-runs",
        min=0,
        max=3,
        help="When the wall clock, not the count, decided a solve of a change that "
        "recovered requests, solve it and the school as it is this many times more and "
        "claim the worst of the runs.",
    ),
    seed: int | None = typer.Option(
        None, "--seed", help="Seed of those solves (default: Settings, else 0)."
    ),
    workers: int | None = typer.Option(
        None, "--workers", help="Solver threads of those solves (default: Settings, else 2)."
    ),
    rules: bool = typer.Option(
        True,
        "--rules/--no-rules",
        help="Where the Rules sheet has hard rows: solve up to a first timetable (within "
        "--solve-limit) and, if its placement falls short, name the rows that stand in the "
        "way and by how much (and, unless --solve-changes 0, solve again with them soft).",
    ),
) -> None:
    """Why not everyone: minimal conflicting facts (staff, rooms, slots, groups, home days,
    locks, travel) and what to change; or why a student did not get a course."""
    problems = []
    if (student or course) and folder is None:
        problems.append("--student and --course need DIR, a solved timetable's folder")
    if out is not None and out.suffix.lower() not in (".html", ".htm"):
        problems.append(f"--out {out}: expected a file name ending in .html")
    # Each number by its option: explain's time limit is --solve-limit (issue 16: the
    # model's own names said 'time_limit 1e+09', an option the command does not have).
    problems += number_problems(
        solve_limit, seed, workers, names={**OPTION_NAMES, "time_limit": "--solve-limit"}
    )
    refuse(problems, "nothing was explained")
    loaded, _ = read_school(school)
    if student is not None and student not in loaded.student_by_id:
        refuse(
            [f"--student {student}: no such student on the Students sheet"], "nothing was explained"
        )
    if course is not None and course not in loaded.course_by_id:
        refuse([f"--course {course}: no such course on the Courses sheet"], "nothing was explained")
    from scheduler.solver import explain as ex

    data: dict[str, Any]
    if student is not None or course is not None:
        assert folder is not None
        solution = read_timetable(folder, loaded, what="nothing was explained")
        who = [student] if student is not None else _students_missing(loaded, solution, course)
        answers = [a for s in who for a in ex.why_student(loaded, solution, s, course)]
        data = {
            "school": loaded.name,
            "student": student,
            "course": course,
            "students": [a.as_dict() for a in answers],
        }
        if not as_json:
            _print_students(answers, student, course)
    else:

        def say(message: str) -> None:
            console.print(f"[dim]{message}[/dim]", highlight=False)

        found = ex.explain_school(loaded, max_conflicts=conflicts, progress=say)
        if solve_changes and any(c.changes for c in found.conflicts):
            from scheduler.scenarios.trial import TrialOptions, workbook_tables

            opts = TrialOptions(
                time_limit=solve_limit,
                seed=int(seed if seed is not None else loaded.settings.seed),
                workers=max(1, int(workers if workers is not None else loaded.settings.workers)),
            )
            say(
                f"{found.seconds:.1f} s; now solving the school and its best changes for real "
                f"(up to {solve_limit:g} s each, reproducible; --solve-changes 0 skips this)"
            )
            ex.solve_changes(
                loaded,
                workbook_tables(school),
                found,
                opts,
                per_conflict=solve_changes,
                progress=say,
                confirm=confirm_runs,
            )
        data = {"school": loaded.name, **found.as_dict()}
        if not as_json:
            _print_school(found)
        if rules and loaded.hard_rules:
            from scheduler.solver.rules_report import rules_report

            say(
                f"the Rules sheet's hard rows: solving up to a first timetable (up to "
                f"{solve_limit:g} s, and as long again with the rows it names soft unless "
                "--solve-changes 0; --no-rules skips this)"
            )
            report = rules_report(
                loaded,
                solve_limit,
                int(seed if seed is not None else loaded.settings.seed),
                max(1, int(workers if workers is not None else loaded.settings.workers)),
                try_them=solve_changes > 0,
            )
            if report is not None:
                data["rules"] = report.as_dict()
                if not as_json:
                    head, *rest = report.lines()
                    console.print(f"\n[bold]Rules rows.[/bold] {head}", highlight=False)
                    for line in rest:
                        console.print(f"   {line}", highlight=False)
    if as_json:
        typer.echo(json.dumps(data, indent=2))
    if out is not None:
        try:
            out.write_text(page(data), encoding="utf-8")
        except OSError as exc:
            console.print(f"[red]error[/red] {out}: {exc.strerror or exc}", highlight=False)
            raise typer.Exit(EXIT_INPUT) from None
        console.print(f"wrote {out}", highlight=False)


def _students_missing(school: School, solution: Solution, course: str | None) -> list[str]:
    """Students with an unmet request for the course, in Students order."""
    from scheduler.score import is_met, placements

    placed = placements(solution)
    return [
        r.student
        for r in school.course_requests.get(course or "", ())
        if r.type.value != "alternate" and not is_met(placed, r)
    ]


def _print_school(found: Explanation) -> None:
    if found.status == "feasible":
        console.print(
            f"No conflict: every group the requests need ({found.groups}) can be timetabled "
            f"under the hard rules, and every student's week can hold their core courses "
            f"({found.seconds:.1f} s).",
            highlight=False,
        )
    for n, c in enumerate(found.conflicts, start=1):
        mark = "" if c.minimal else " (not proven minimal: a search ran out of time)"
        console.print(f"\n[bold]{n}. {c.headline}[/bold]{mark}", highlight=False)
        console.print(
            "   These facts cannot all hold (drop any one and the rest can):", highlight=False
        )
        for f in c.facts:
            console.print(f"   - {f.text}", highlight=False)
        if c.also:
            console.print(f"   The same facts also hold back {', '.join(c.also)}.", highlight=False)
        _print_changes(found, c)
    for note in found.notes:
        console.print(f"[yellow]note[/yellow] {note}", highlight=False)
    if found.conflicts:
        console.print(
            f"\n{len(found.conflicts)} conflict(s) in {found.seconds:.1f} s.", highlight=False
        )
    if found.solving is not None:
        console.print(
            f"{found.solving['solves']} solve(s) of the school and its changes in "
            f"{found.solving['seconds']:.1f} s (the school as it is met "
            f"{found.solving['all_met_as_it_is']} requests).",
            highlight=False,
        )


def measured_on(c: Conflict) -> str:
    """The requests a conflict's changes were measured on, in words."""
    if c.measured_students:
        return f"core requests of {', '.join(c.measured_students)}"
    return f"requests for {', '.join(c.measured_courses)}"


def model_claim(ch: Change) -> str:
    """What explain's model of staff, rooms and times shows a change lets run."""
    if ch.groups:
        return (
            f"lets {len(ch.groups)} more group(s) run ({', '.join(ch.groups)}) in the model, "
            f"room for up to {ch.places} request(s)"
        )
    if ch.requests:
        who = sorted({s for s, _ in ch.requests})
        what = ", ".join(c for _, c in ch.requests)
        return f"{', '.join(who)}'s week can then hold their core courses ({what} among them)"
    return f"lifts it in the model ({ch.places} place(s))"


def solved_claim(ch: Change) -> str:
    """What the solve of the changed school measured, against the school as it is."""
    s = ch.solved
    assert s is not None
    if s.error:
        return f"the changed workbook has errors ({s.error})"
    text = (
        f"recovers {s.recovered} request(s) ({s.met_before} -> {s.met_after} met; all "
        f"requests {s.all_before} -> {s.all_after})"
    )
    moved = course_moves(s.by_course)
    if moved and (len(s.by_course) > 1 or s.recovered <= 0):
        text += f"; by course {moved}"
    return text + repeat_note(s.repeatable, s.runs_before, s.runs_after, s.agreed)


def course_moves(by_course: Any) -> str:
    """The measured requests met by course, before -> after, those that moved."""
    return ", ".join(f"{c} {b} -> {a}" for c, b, a in by_course if b != a)


def repeat_note(repeatable: bool, runs_before: int, runs_after: int, agreed: bool) -> str:
    """Whether a claim's solves repeat, in round brackets (rich takes square ones for
    markup)."""
    if repeatable:
        return ""
    if runs_before > 1 and runs_after > 1:
        if agreed:
            return (
                " (not confirmed: the clock, not the count, ended a phase of a solve; "
                "solved twice, the two met the same, but it may still not repeat)"
            )
        return (
            " (not confirmed: the clock, not the count, ended a phase of a solve, and "
            "solved again they met different figures; the worst is claimed)"
        )
    return " (may not repeat exactly: the clock, not the count, ended a phase of a solve)"


def _print_changes(found: Explanation, c: Conflict) -> None:
    if found.solving is None:
        if c.changes:
            console.print(
                "   What would lift it (checked in explain's model of staff, rooms and times "
                "only, not solved; a real solve also needs each group's students free of "
                "their other lessons):",
                highlight=False,
            )
        for ch in c.changes:
            console.print(f"   * {ch.text}: {model_claim(ch)}", highlight=False)
        return
    if not (c.changes or c.solved_without_gain or c.not_solved):
        return
    console.print(
        f"   What would lift it, each solved for real against the school as it is "
        f"(`{found.solving['command']}`), measured on the {measured_on(c)}:",
        highlight=False,
    )
    for ch in c.changes:
        console.print(f"   * {ch.text}: {solved_claim(ch)}", highlight=False)
    if not c.changes:
        console.print(
            "   * none: no change solved recovered any of those requests"
            + (
                " (each moved which of them the timetable meets: see by course below)"
                if any(
                    ch.solved and course_moves(ch.solved.by_course) for ch in c.solved_without_gain
                )
                else ""
            ),
            highlight=False,
        )
    for ch in c.solved_without_gain:
        console.print(f"   - solved, no gain: {ch.text}: {solved_claim(ch)}", highlight=False)
    if c.not_solved:
        console.print(
            "   Not solved (they lift it in explain's model of staff, rooms and times, which "
            "leaves out students' clashes; try them with --solve-changes N): "
            + "; ".join(ch.text for ch in c.not_solved),
            highlight=False,
        )


def _print_students(answers: list[StudentWhy], student: str | None, course: str | None) -> None:
    if not answers:
        who = student or "every student"
        what = f" {course}" if course else " every request"
        console.print(f"{who} got{what} in this timetable.", highlight=False)
    for a in answers[:50]:
        if a.met:
            console.print(f"{a.student} has {a.course}: {a.reasons[0]}", highlight=False)
            continue
        console.print(f"\n[bold]{a.student} did not get {a.course}[/bold]", highlight=False)
        for r in a.reasons:
            console.print(f"   - {r}", highlight=False)
        if a.alternative:
            console.print(f"   Fits the timetable as it is: {a.alternative}", highlight=False)
        elif a.needed:
            console.print(
                "   No choice of groups in this timetable gives it to them.", highlight=False
            )
    if len(answers) > 50:
        console.print(f"... and {len(answers) - 50} more (see --json or --out)", highlight=False)


_STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
.fact{margin:.2rem 0}.change{background:#eef7ee;padding:.3rem .5rem;margin:.3rem 0}
.note{color:#8a6d00}table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #ddd}
"""


def page(data: dict[str, Any]) -> str:
    """The answer as one self-contained web page."""
    e = html.escape
    body = [f"<h1>Why not everyone: {e(str(data.get('school', '')))}</h1>"]
    if "conflicts" in data:
        if data["status"] == "feasible":
            body.append(
                "<p>No conflict: every group the requests need can be timetabled under the "
                "hard rules, and every student's week can hold their core courses.</p>"
            )
        for n, c in enumerate(data["conflicts"], start=1):
            body.append(f"<h2>{n}. {e(c['headline'])}</h2>")
            body.append("<p>These facts cannot all hold (drop any one and the rest can):</p><ul>")
            body += [f"<li class='fact'>{e(f['text'])}</li>" for f in c["facts"]]
            body.append("</ul>")
            if c["same_for_groups"]:
                body.append(
                    f"<p>The same facts also hold back {e(', '.join(c['same_for_groups']))}.</p>"
                )
            body += _page_changes(data, c)
        body += [f"<p class='note'>{e(n)}</p>" for n in data.get("notes", [])]
    if "rules" in data:
        head, *rest = data["rules"]["lines"]
        body.append(f"<h2>Rules rows</h2><p>{e(head)}</p>")
        if rest:
            body.append("<ul>" + "".join(f"<li>{e(x)}</li>" for x in rest) + "</ul>")
    if "students" in data and not data["students"]:
        who = data.get("student") or "every student"
        what = data.get("course") or "every request"
        body.append(f"<p>{e(who)} got {e(what)} in this timetable.</p>")
    for a in data.get("students", []):
        state = "has" if a["met"] else "did not get"
        body.append(f"<h2>{e(a['student'])} {state} {e(a['course'])}</h2><ul>")
        body += [f"<li>{e(r)}</li>" for r in a["reasons"]]
        body.append("</ul>")
        if a["alternative"]:
            body.append(f"<p class='change'>Fits the timetable as it is: {e(a['alternative'])}</p>")
        elif not a["met"] and a["needed"]:
            body.append("<p>No choice of groups in this timetable gives it to them.</p>")
    return (
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>Why not everyone</title><style>{_STYLE}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )


def _page_changes(data: dict[str, Any], c: dict[str, Any]) -> list[str]:
    """A conflict's changes on the page: solved for real, or checked in the model only."""
    e = html.escape
    out: list[str] = []
    if not data.get("solving"):
        if c["changes"]:
            out.append(
                "<p>What would lift it (checked in explain's model of staff, rooms and times "
                "only, not solved; a real solve also needs each group's students free of "
                "their other lessons):</p>"
            )
            out.append(
                "<table><tr><th>change</th><th>more groups run in the model</th>"
                "<th>room for up to (requests)</th></tr>"
            )
            for ch in c["changes"]:
                out.append(
                    f"<tr class='change'><td>{e(ch['change'])}</td>"
                    f"<td>{e(', '.join(ch['groups_recovered']))}</td>"
                    f"<td>{ch['places_recovered']}</td></tr>"
                )
            out.append("</table>")
        return out
    solved = c["changes"] + c.get("solved_without_gain", [])
    if not (solved or c.get("not_solved")):
        return out
    on = c.get("measured_on", {})
    what = (
        f"core requests of {', '.join(on['students_core'])}"
        if on.get("students_core")
        else f"requests for {', '.join(on.get('courses', []))}"
    )
    out.append(
        "<p>What would lift it, each solved for real against the school as it is "
        f"(<code>{e(data['solving']['command'])}</code>), measured on the {e(what)}"
        + ("" if c["changes"] else "; none recovered any")
        + ":</p>"
    )
    if solved:
        out.append(
            "<table><tr><th>change</th><th>requests recovered</th><th>met before -&gt; after"
            "</th><th>all requests met</th></tr>"
        )
        for ch in solved:
            s = ch["solved"]
            out.append(
                f"<tr class='change'><td>{e(ch['change'])}</td><td>{s['requests_recovered']}"
                + e(
                    repeat_note(
                        s["repeatable"],
                        s.get("runs_before", 1),
                        s.get("runs_after", 1),
                        s.get("runs_agreed", True),
                    )
                )
                + f"</td><td>{s['met_before']} -&gt; {s['met_after']}"
                + (
                    f" ({e(course_moves(s['by_course']))})"
                    if course_moves(s.get("by_course", []))
                    else ""
                )
                + "</td>"
                f"<td>{s['all_met_before']} -&gt; {s['all_met_after']}</td></tr>"
            )
        out.append("</table>")
    if c.get("not_solved"):
        out.append(
            "<p>Not solved (they lift it in explain's model of staff, rooms and times, which "
            "leaves out students' clashes): "
            + e("; ".join(ch["change"] for ch in c["not_solved"]))
            + "</p>"
        )
    return out


def register(app: typer.Typer) -> None:
    """Add ``pathways explain`` to the ``pathways`` app."""
    app.command()(explain)

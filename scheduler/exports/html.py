"""A static web timetable: one folder that works from a USB stick, no server, offline.

The folder holds ``index.html``, ``style.css``, ``app.js`` and ``data.js`` (every
timetable as one JavaScript object; a plain ``<script>`` rather than a JSON file that
would be fetched, because browsers refuse to fetch files next to a page opened from
disk). The page has a search box (id, name, year, site), the chosen person's or room's
week grid in the subjects' colours (a two-week cycle as two grids), and a Print button
whose view fits an A4 landscape page. After a re-solve (``pathways solve --from``), what
changed for that person or room (changes.csv) is listed above their grid.

Addresses say what is shown, so they can be bookmarked or sent:
``index.html#student=S0001``, ``#staff=T01``, ``#room=LAB1``; ``#search=Sam`` opens the
page with "Sam" typed into the search box.

Everything shown is put into the page as text, never as HTML, so a name with ``<`` or
``&`` in it is shown as typed.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from scheduler.exports.grid import TUTOR_COLOUR, Entry, ExportData
from scheduler.files.columns import TUTOR, join_items

FILES = ("index.html", "style.css", "app.js", "data.js")


def write_site(data: ExportData, folder: Path) -> list[Path]:
    """Write the web timetable into ``folder``; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    title = f"{data.context.school_name} timetables"
    texts = {
        "index.html": _INDEX.replace("{title}", html.escape(title)),
        "style.css": _STYLE,
        "app.js": _APP,
        "data.js": "window.PATHWAYS_DATA = "
        + json.dumps(site_data(data), ensure_ascii=False, separators=(",", ":"))
        + ";\n",
    }
    out = []
    for name in FILES:
        path = folder / name
        path.write_text(texts[name], encoding="utf-8")
        out.append(path)
    return out


def site_data(data: ExportData) -> dict[str, Any]:
    """What the page shows, as JSON-ready data (lessons shared, people point at them)."""
    ctx = data.context
    lessons: list[list[Any]] = []
    lesson_ids: dict[Entry, int] = {}

    def lesson(e: Entry) -> int:
        n = lesson_ids.get(e)
        if n is None:
            n = lesson_ids[e] = len(lessons)
            lessons.append([e.slot, e.course, e.group, e.room or "", join_items(e.staff)])
        return n

    people: dict[str, list[list[Any]]] = {}
    for kind, timetables in data.timetables.items():
        people[kind] = [
            [t.person.id, t.person.name, t.person.details, [lesson(e) for e in t.entries]]
            for t in timetables
        ]
    courses = {TUTOR: ["Tutor time", TUTOR_COLOUR]}
    for tts in data.timetables.values():
        for t in tts:
            for e in t.entries:
                if e.course not in courses:
                    courses[e.course] = [ctx.subject(e.course), ctx.colour(e.course)]
    layout = ctx.layout
    return {
        "school": ctx.school_name,
        "written": ctx.written_at,
        "slots": [[s.day, s.period, s.start, s.end] for s in ctx.slots],
        "daySlots": ctx.day_slots,
        "weeks": [
            {
                "title": w.title,
                "days": list(w.days),
                "headers": list(w.headers),
                "rows": list(w.rows),
            }
            for w in layout.weeks
        ],
        "courses": courses,
        "staffNames": data.staff_names,
        "groupSizes": data.group_sizes,
        "lessons": lessons,
        "people": people,
        # A re-solve's changes (changes.csv), per person: shown above their grid.
        "changes": data.changes,
    }


_INDEX = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<header class="controls">
  <h1>{title}</h1>
  <div class="search">
    <label for="q">Find a student, member of staff or room</label>
    <input id="q" type="search" placeholder="Name or id, e.g. S0001" autocomplete="off"
           spellcheck="false" autofocus>
    <ul id="results" role="listbox" aria-label="Matches"></ul>
  </div>
  <button id="print" type="button" disabled>Print</button>
</header>
<main>
  <p id="home"></p>
  <section id="timetable" aria-live="polite" hidden></section>
</main>
<noscript><p>This page needs JavaScript switched on to show timetables.</p></noscript>
<script src="data.js"></script>
<script src="app.js"></script>
</body>
</html>
"""

_STYLE = """* { box-sizing: border-box; }
.changes { border-left: 4px solid #c77700; background: #fff6e5; padding: 4px 12px; margin: 8px 0; }
.changes h3 { margin: 4px 0; font-size: 14px; }
.changes ul { margin: 4px 0; padding-left: 18px; }
body { font: 14px/1.35 system-ui, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       margin: 0; color: #1a1a1a; background: #fafafa; }
header.controls { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: flex-end;
                  padding: .75rem 1rem; background: #fff; border-bottom: 1px solid #ddd; }
header h1 { font-size: 1.25rem; margin: 0 1rem 0 0; flex-basis: 100%; }
.search { position: relative; flex: 1 1 22rem; max-width: 32rem; }
.search label { display: block; font-size: .85rem; color: #444; margin-bottom: .2rem; }
#q { width: 100%; font-size: 1rem; padding: .45rem .6rem; border: 1px solid #888;
     border-radius: 4px; }
#results { list-style: none; margin: 0; padding: 0; position: absolute; z-index: 5;
           left: 0; right: 0; background: #fff; border: 1px solid #bbb; border-top: 0;
           max-height: 22rem; overflow-y: auto; }
#results:empty { display: none; }
#results li { padding: .35rem .6rem; cursor: pointer; border-top: 1px solid #eee; }
#results li:hover, #results li.active { background: #e8f0fe; }
#results .kind { display: inline-block; min-width: 3.8rem; font-size: .75rem; color: #555;
                 text-transform: uppercase; }
#results .none { color: #666; cursor: default; }
#print { font-size: 1rem; padding: .45rem 1rem; }
main { padding: 1rem; }
#home { color: #444; }
#timetable h2 { margin: 0 0 .2rem; font-size: 1.3rem; }
#timetable .sub { margin: 0 0 .8rem; color: #555; }
#timetable h3 { margin: 1rem 0 .3rem; font-size: 1rem; }
table.grid { border-collapse: collapse; width: 100%; table-layout: fixed; background: #fff;
             page-break-inside: avoid; }
table.grid th, table.grid td { border: 1px solid #aaa; padding: 3px; vertical-align: top; }
table.grid thead th { background: #e6e6e6; }
table.grid th:first-child { width: 8.5rem; }
table.grid tbody th { text-align: left; font-weight: 600; background: #f4f4f4; }
table.grid td.off { background: #f0f0f0; }
.lesson { border-radius: 3px; padding: 2px 4px; margin-bottom: 2px; }
.lesson .subject { font-weight: 600; display: block; }
.lesson span { display: block; font-size: .85rem; }
.empty-note { color: #666; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body { background: #fff; font-size: 9px; }
  #timetable h3 { margin: .4rem 0 .2rem; }
  .lesson { padding: 1px 3px; margin-bottom: 1px; }
  header.controls, #home { display: none; }
  main { padding: 0; }
  .lesson { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  table.grid thead th, table.grid td.off { -webkit-print-color-adjust: exact;
                                           print-color-adjust: exact; }
}
"""

_APP = r"""(function () {
  "use strict";
  var D = window.PATHWAYS_DATA;
  var KIND_NAMES = { student: "Student", staff: "Staff", room: "Room" };
  var MAX_RESULTS = 50;
  var all = [];
  var byKey = {};
  var shown = [];
  var active = -1;
  var more = 0;  // matches beyond the ones listed

  Object.keys(KIND_NAMES).forEach(function (kind) {
    (D.people[kind] || []).forEach(function (p) {
      var item = { kind: kind, id: p[0], name: p[1], details: p[2], lessons: p[3] };
      item.idLower = p[0].toLowerCase();
      item.hay = [kind, p[0], p[1], p[2]].join(" ").toLowerCase();
      all.push(item);
      byKey[kind + "=" + p[0]] = item;
    });
  });

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function label(item) {
    return [item.id, item.name, item.details].filter(Boolean).join(" \u00b7 ");
  }

  // Matches: the exact id first, then ids starting with the text, then any word match.
  function search(text) {
    var words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) { return []; }
    var q = words.join(" ");
    var exact = [], prefix = [], other = [];
    all.forEach(function (item) {
      if (item.idLower === q) { exact.push(item); return; }
      if (!words.every(function (w) { return item.hay.indexOf(w) >= 0; })) { return; }
      (item.idLower.indexOf(q) === 0 ? prefix : other).push(item);
    });
    var found = exact.concat(prefix, other);
    more = Math.max(0, found.length - MAX_RESULTS);
    return found.slice(0, MAX_RESULTS);
  }

  function showResults(list, text) {
    var ul = $("results");
    ul.textContent = "";
    shown = list;
    active = list.length ? 0 : -1;
    if (!list.length) {
      if (text.trim()) { ul.appendChild(el("li", "none", "No student, staff or room matches \u201c" + text.trim() + "\u201d")); }
      return;
    }
    list.forEach(function (item, n) {
      var li = el("li", n === 0 ? "active" : "");
      li.setAttribute("role", "option");
      li.dataset.key = item.kind + "=" + item.id;
      li.appendChild(el("span", "kind", KIND_NAMES[item.kind]));
      li.appendChild(document.createTextNode(" " + label(item)));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(item); });
      ul.appendChild(li);
    });
    if (more) { ul.appendChild(el("li", "none", "\u2026 and " + more + " more: type more of the name or id")); }
  }

  function choose(item) {
    $("results").textContent = "";
    shown = [];
    $("q").value = "";
    var hash = "#" + item.kind + "=" + encodeURIComponent(item.id);
    if (location.hash === hash) { render(item); } else { location.hash = hash; }
  }

  function lessonBox(kind, lesson) {
    var course = D.courses[lesson[1]] || [lesson[1], "#ffffff"];
    var box = el("div", "lesson");
    box.style.background = course[1];
    box.dataset.course = lesson[1];
    box.dataset.group = lesson[2];
    box.appendChild(el("span", "subject", course[0]));
    box.appendChild(el("span", "group", lesson[1] === "TUTOR" ? lesson[2] : lesson[1] + " \u00b7 " + lesson[2]));
    if (kind !== "room") {
      var room = lesson[3] || (lesson[1] === "TUTOR" ? "" : "online");
      if (room) { box.appendChild(el("span", "room", room)); }
    }
    if (kind !== "staff") {
      var staff = lesson[4] ? lesson[4].split(";").map(function (s) {
        return D.staffNames[s] ? s + " (" + D.staffNames[s] + ")" : s;
      }).join(", ") : "";
      if (staff) { box.appendChild(el("span", "staff", staff)); }
    }
    if (kind !== "student" && D.groupSizes[lesson[2]] !== undefined) {
      box.appendChild(el("span", "size", D.groupSizes[lesson[2]] + " students"));
    }
    return box;
  }

  function render(item) {
    var sec = $("timetable");
    sec.textContent = "";
    sec.hidden = false;
    $("home").hidden = true;
    $("print").disabled = false;
    sec.dataset.kind = item.kind;
    sec.dataset.id = item.id;
    sec.appendChild(el("h2", "", [item.id, item.name].filter(Boolean).join(" ")));
    sec.appendChild(el("p", "sub", [KIND_NAMES[item.kind], item.details].filter(Boolean).join(" \u00b7 ")));
    var changed = ((D.changes || {})[item.kind] || {})[item.id];
    if (changed && changed.length) {
      var box = el("div", "changes");
      box.appendChild(el("h3", "", "Changed since the published timetable"));
      var list = el("ul");
      changed.forEach(function (line) { list.appendChild(el("li", "", line)); });
      box.appendChild(list);
      sec.appendChild(box);
    }
    var bySlot = {};
    item.lessons.forEach(function (n) {
      var lesson = D.lessons[n];
      (bySlot[lesson[0]] = bySlot[lesson[0]] || []).push(lesson);
    });
    if (!item.lessons.length) { sec.appendChild(el("p", "empty-note", "Nothing is timetabled.")); }
    D.weeks.forEach(function (week) {
      if (week.title) { sec.appendChild(el("h3", "", week.title)); }
      var table = el("table", "grid");
      var head = el("tr");
      head.appendChild(el("th", "", ""));
      week.headers.forEach(function (h) { head.appendChild(el("th", "", h)); });
      table.appendChild(el("thead")).appendChild(head);
      var body = el("tbody");
      week.rows.forEach(function (rowLabel, pos) {
        var tr = el("tr");
        tr.appendChild(el("th", "", rowLabel));
        week.days.forEach(function (day) {
          var slots = D.daySlots[day];
          if (pos >= slots.length) { tr.appendChild(el("td", "off")); return; }
          var slot = slots[pos];
          var td = el("td");
          var s = D.slots[slot];
          td.dataset.slot = s[0] + " " + s[1];
          td.title = s[0] + " " + s[1] + " " + s[2] + "-" + s[3];
          (bySlot[slot] || []).forEach(function (lesson) { td.appendChild(lessonBox(item.kind, lesson)); });
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      table.appendChild(body);
      sec.appendChild(table);
    });
    document.title = [item.id, item.name].filter(Boolean).join(" ") + " \u2013 " + D.school;
  }

  function home() {
    $("timetable").hidden = true;
    $("home").hidden = false;
    $("print").disabled = true;
    var n = function (k) { return (D.people[k] || []).length; };
    $("home").textContent = n("student") + " students, " + n("staff") + " staff and " + n("room") +
      " rooms. Type a name or id in the box above to see a timetable.";
  }

  function route() {
    var h = location.hash.replace(/^#/, "");
    var eq = h.indexOf("=");
    var key = eq < 0 ? "" : h.slice(0, eq), value = "";
    try { value = decodeURIComponent(h.slice(eq + 1)); } catch (e) { value = h.slice(eq + 1); }
    if (key === "search") {
      if ($("timetable").hidden) { home(); }
      $("q").value = value;
      showResults(search(value), value);
      if (shown.length === 1) { choose(shown[0]); }
      return;
    }
    var item = byKey[key + "=" + value];
    $("q").value = "";
    $("results").textContent = "";
    if (item) { render(item); } else { home(); }
  }

  $("q").addEventListener("input", function () { showResults(search(this.value), this.value); });
  $("q").addEventListener("keydown", function (ev) {
    var items = $("results").querySelectorAll("li[data-key]");
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!items.length) { return; }
      ev.preventDefault();
      active = (active + (ev.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items.forEach(function (li, n) { li.classList.toggle("active", n === active); });
      items[active].scrollIntoView({ block: "nearest" });
    } else if (ev.key === "Enter") {
      if (active >= 0 && shown[active]) { ev.preventDefault(); choose(shown[active]); }
    } else if (ev.key === "Escape") {
      showResults([], "");
    }
  });
  $("q").addEventListener("blur", function () { setTimeout(function () { $("results").textContent = ""; }, 150); });
  $("print").addEventListener("click", function () { window.print(); });
  window.addEventListener("hashchange", route);
  route();
})();
"""

"""The static web timetable: its data, and a real browser searching it (headless Chromium).

The browser test drives Debian's ``chromium`` through the DevTools protocol over a pipe
(``--remote-debugging-pipe``: JSON messages ending in a NUL byte on file descriptors 3
and 4), so it needs no extra library and no network. It skips, saying why, when
Chromium is not installed; ``.ci/run`` installs it.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scheduler.exports.grid import PALETTE
from scheduler.exports.html import site_data
from scheduler.exports.run import export, load
from tests.export_fixtures import S1_WEEK, one_week_folder, two_week_folder

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def test_site_data_shares_lessons_between_people(tmp_path: Path) -> None:
    data, _ = load(one_week_folder(tmp_path))
    site = site_data(data)
    s1 = next(p for p in site["people"]["student"] if p[0] == "S1")
    assert s1[:3] == ["S1", "Sam", "year 7"]
    lessons = [site["lessons"][n] for n in s1[3]]
    assert [
        (site["slots"][slot][0] + " " + site["slots"][slot][1], group)
        for slot, _, group, _, _ in lessons
    ] == S1_WEEK
    s2 = next(p for p in site["people"]["student"] if p[0] == "S2")
    assert s1[3][1] == s2[3][1]  # the same MA-3.1 lesson object, stored once
    assert site["courses"]["MA-3"] == ["Maths", PALETTE[3]]
    assert site["staffNames"]["T1"] == "Ann" and site["groupSizes"]["MA-3.1"] == 3


def test_site_is_one_folder_with_no_outside_references(tmp_path: Path) -> None:
    from dataclasses import replace

    from tests.checker_fixtures import tiny_school

    school = replace(tiny_school(), name="<Tiny & Co>")
    folder = one_week_folder(tmp_path, school=school)
    site = export(folder, ["html"]).folder / "html"
    assert sorted(p.name for p in site.iterdir()) == [
        "app.js",
        "data.js",
        "index.html",
        "style.css",
    ]
    page = (site / "index.html").read_text()
    assert "<title>&lt;Tiny &amp; Co&gt; timetables</title>" in page
    for f in site.iterdir():
        text = f.read_text()
        assert "http://" not in text and "https://" not in text, f.name  # works offline
    assert "innerHTML" not in (site / "app.js").read_text()  # names are shown as text


class Browser:
    """A headless Chromium driven through the DevTools protocol over a pipe."""

    def __init__(self, profile: Path) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        assert CHROMIUM
        # The protocol's pipe ends must be fds 3 and 4 in the browser: bash puts them there
        # (dash cannot redirect descriptors above 9).
        move = f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}'
        self.proc = subprocess.Popen(
            [
                "bash",
                "-c",
                move,
                CHROMIUM,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                "--window-size=1280,900",
                "about:blank",
            ],
            pass_fds=(to_browser_r, from_browser_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buf = b""
        self._id = 0
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        page: bool = False,
        timeout: float = 20,
    ) -> dict[str, Any]:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if page:
            msg["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" not in self._buf:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                    raise TimeoutError(f"Chromium did not answer {method}")
                chunk = os.read(self._from_browser, 1 << 16)
                if not chunk:
                    raise EOFError("Chromium closed the pipe")
                self._buf += chunk
            raw, self._buf = self._buf.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def js(self, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, page=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def open(self, url: str) -> None:
        self.send("Page.navigate", {"url": url}, page=True)
        self.wait_for("document.readyState === 'complete' && !!window.PATHWAYS_DATA")

    def wait_for(self, expression: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while not self.js(expression):
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited for {expression}")
            time.sleep(0.05)

    def key(self, key: str, code: int) -> None:
        for kind in ("keyDown", "keyUp"):
            self.send(
                "Input.dispatchKeyEvent",
                {"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code},
                page=True,
            )

    def screenshot(self, path: Path) -> None:
        shot = self.send("Page.captureScreenshot", {"format": "png"}, page=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except (OSError, TimeoutError, EOFError, RuntimeError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    if CHROMIUM is None:
        pytest.skip(
            "Chromium is not installed (Debian package `chromium`; .ci/run installs "
            "it): the web timetable's browser test is skipped"
        )
    b = Browser(tmp_path / "chromium-profile")
    try:
        yield b
    finally:
        b.close()


GRID = """JSON.stringify(Array.from(document.querySelectorAll('#timetable td[data-slot]'))
  .filter(td => td.children.length)
  .map(td => [td.dataset.slot, Array.from(td.querySelectorAll('.lesson'))
      .map(l => l.dataset.group + ' ' + l.textContent)]))"""


def test_browser_search_shows_the_students_week_grid(tmp_path: Path, browser: Browser) -> None:
    site = export(one_week_folder(tmp_path), ["html"]).folder / "html"
    browser.open((site / "index.html").as_uri())
    assert "5 students, 6 staff and 4 rooms" in browser.js(
        "document.getElementById('home').textContent"
    )
    # Type a name into the search box, as a person would, and press Enter.
    browser.js("document.getElementById('q').focus()")
    browser.send("Input.insertText", {"text": "sam"}, page=True)
    browser.wait_for("document.querySelectorAll('#results li[data-key]').length > 0")
    assert (
        browser.js("document.querySelector('#results li').textContent")
        == "Student S1 \u00b7 Sam \u00b7 year 7"
    )
    browser.key("Enter", 13)
    browser.wait_for("document.querySelector('#timetable').dataset.id === 'S1'")
    assert browser.js("location.hash") == "#student=S1"
    grid = dict(json.loads(browser.js(GRID)))
    assert sorted(grid) == ["Mon 1", "Mon 2", "Mon 3", "Tue 2", "Tue 3", "Tue 4"]
    assert grid["Mon 2"] == ["MA-3.1 MathsMA-3 \u00b7 MA-3.1R1T1 (Ann)"]
    assert grid["Mon 1"] == ["TG-A Tutor timeTG-AR1T4 (Dan)"]
    assert grid["Tue 3"] == grid["Tue 4"] == ["SC.1 ScienceSC \u00b7 SC.1LABT2 (Ben)"]
    colour = browser.js(
        'getComputedStyle(document.querySelector(\'td[data-slot="Mon 2"] '
        ".lesson')).backgroundColor"
    )
    assert colour == "rgb(244, 204, 204)"  # Maths' colour, #F4CCCC
    browser.screenshot(tmp_path / "student-S1.png")
    assert (tmp_path / "student-S1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # The printable view hides the search and keeps the grid.
    browser.send("Emulation.setEmulatedMedia", {"media": "print"}, page=True)
    assert browser.js("getComputedStyle(document.querySelector('header')).display") == "none"
    assert browser.js("getComputedStyle(document.querySelector('table.grid')).display") == "table"


def test_browser_opens_addresses_for_staff_rooms_and_two_week_grids(
    tmp_path: Path, browser: Browser
) -> None:
    site = export(two_week_folder(tmp_path), ["html"]).folder / "html"
    browser.open((site / "index.html").as_uri() + "#room=HALL")
    grid = dict(json.loads(browser.js(GRID)))
    assert [x.split(" ")[0] for x in grid["Wk1 Mon 3"]] == ["AR.1", "AR.2"]
    browser.open((site / "index.html").as_uri() + "#search=Dan")  # one match: shown at once
    browser.wait_for("document.querySelector('#timetable').dataset.id === 'T4'")
    assert (
        browser.js(
            "Array.from(document.querySelectorAll('#timetable h3')).map(h => h.textContent).join()"
        )
        == "Week 1,Week 2"
    )
    browser.open((site / "index.html").as_uri() + "#student=S1")
    grid = dict(json.loads(browser.js(GRID)))
    assert grid["Wk2 Tue 2"][0].startswith("MA-3.1 Maths")
    assert grid["Wk2 Mon 1"][0].startswith("TG-A Tutor time")
    browser.screenshot(tmp_path / "student-S1-two-weeks.png")
    browser.open((site / "index.html").as_uri() + "#student=NOBODY")
    assert browser.js("document.getElementById('timetable').hidden") is True


def test_browser_shows_what_a_re_solve_changed(tmp_path: Path, browser: Browser) -> None:
    """After ``solve --from``, a person's page lists their changes above the grid."""
    folder = one_week_folder(tmp_path)
    (folder / "changes.csv").write_text(
        "kind,group,course,student,before,after\n"
        "student,,,S1,SC.1,MA-3.1 (new times)\n"
        "lesson_time,MA-3.1,MA-3,,Mon 1 R1,Mon 2 R1\n",
        encoding="utf-8",
    )
    site = export(folder, ["html"]).folder / "html"
    browser.open((site / "index.html").as_uri() + "#student=S1")
    browser.wait_for("document.querySelector('#timetable').dataset.id === 'S1'")
    shown = browser.js("document.querySelector('#timetable .changes').textContent")
    assert shown == ("Changed since the published timetableleft SC.1; joined MA-3.1 (new times)")
    browser.open((site / "index.html").as_uri() + "#staff=T1")
    browser.wait_for("document.querySelector('#timetable').dataset.id === 'T1'")
    assert "MA-3.1 moved: Mon 1 R1 -> Mon 2 R1" in browser.js(
        "document.querySelector('#timetable .changes').textContent"
    )
    # Another person with no change: no box.
    browser.open((site / "index.html").as_uri() + "#student=S2")
    browser.wait_for("document.querySelector('#timetable').dataset.id === 'S2'")
    assert browser.js("document.querySelector('#timetable .changes') === null") is True

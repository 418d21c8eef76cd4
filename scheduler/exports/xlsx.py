"""Week-grid workbooks: ``students.xlsx``, ``staff.xlsx`` and ``rooms.xlsx``.

Each workbook has an ``Index`` sheet (every person or room, with a link to their sheet
and a colour key of the subjects), then one sheet per person or room: a week grid with
the days across and the periods down (a two-week cycle as two grids, one under the
other), the course, group, room and staff in each cell, a colour per subject, the
headings frozen, set to print on one A4 landscape page.

openpyxl (even in write-only mode) takes about 8 s for 1,200 small sheets on a modest
machine; writing the few XML parts directly takes well under one, so this module has a
minimal SpreadsheetML writer of its own: inline text, whole numbers, a handful of cell
styles, column widths, row heights, frozen panes, internal links and print setup.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Self

from scheduler.exports.grid import TUTOR_COLOUR, ExportData, Timetable

#: Workbook file of each kind.
WORKBOOKS = {"student": "students.xlsx", "staff": "staff.xlsx", "room": "rooms.xlsx"}

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_DAY_WIDTH = 26  # characters; the period column is 16
_LINE_PT = 15  # points per line of text in a row


def sheet_names(ids: Iterable[str], reserved: Iterable[str]) -> dict[str, str]:
    """A unique, valid Excel sheet name (<= 31 characters) for each id."""
    used = {r.casefold() for r in reserved}
    out: dict[str, str] = {}
    for i in ids:
        base = _BAD_SHEET_CHARS.sub("_", i).strip("'") or "_"
        name, n = base[:31], 1
        while name.casefold() in used:
            n += 1
            suffix = f"~{n}"
            name = base[: 31 - len(suffix)] + suffix
        used.add(name.casefold())
        out[i] = name
    return out


def write_workbooks(data: ExportData, folder: Path) -> list[Path]:
    """Write the workbook of every kind in ``data`` into ``folder``; return the paths."""
    written = []
    for kind, timetables in data.timetables.items():
        path = folder / WORKBOOKS[kind]
        write_workbook(data, kind, timetables, path)
        written.append(path)
    return written


def write_workbook(
    data: ExportData, kind: str, timetables: Iterable[Timetable], path: Path
) -> None:
    """One workbook: an index sheet, then one week grid per person or room."""
    ctx = data.context
    layout = ctx.layout
    timetables = list(timetables)
    # "History" is reserved by Excel.
    names = sheet_names((t.person.id for t in timetables), reserved=["Index", "History"])
    styles = _Styles(ctx.colours.values())
    footer = f"&L{_footer_text(ctx.school_name)}&R&A"  # &A: the sheet's name

    with _Xlsx(path, styles) as book:
        what = {"student": "student", "staff": "staff", "room": "room"}[kind]
        index: list[list[Any]] = [
            [(h, styles.header) for h in (what, "name", "details", "periods", "sheet")]
        ]
        links = []
        for r, t in enumerate(timetables, start=2):
            p = t.person
            index.append([p.id, p.name, p.details, t.periods, (names[p.id], styles.link)])
            links.append((f"E{r}", names[p.id]))
        # Colour key beside the list.
        key = [("Tutor time", TUTOR_COLOUR)] + sorted(
            ((s, c) for s, c in ctx.colours.items()), key=lambda x: x[0].casefold()
        )
        if index:
            index[0] += [None, ("colour key", styles.header)]
        for n, (subject, colour) in enumerate(key, start=1):
            while len(index) <= n:
                index.append([])
            row = index[n]
            row += [None] * (6 - len(row))
            row.append((subject, styles.fill[colour]))
        book.sheet(
            "Index",
            index,
            widths=[16, 24, 24, 10, 16, 3, 24],
            freeze=(0, 1),
            links=links,
            fit=(1, 0),
            footer=footer,
        )

        ncols = max((len(w.days) for w in layout.weeks), default=0)
        widths = [16] + [_DAY_WIDTH] * ncols
        for t in timetables:
            rows, heights, freeze = _grid_rows(data, t, styles, ncols)
            # A link back to the index, right of the title.
            rows[0] += [None] * (ncols + 1 - len(rows[0])) + [("Index", styles.link)]
            book.sheet(
                names[t.person.id],
                rows,
                widths=widths + [8],
                freeze=freeze,
                links=[(f"{_col_name(ncols + 2)}1", "Index")],
                heights=heights,
                fit=(1, 1),
                footer=footer,
            )


def _grid_rows(
    data: ExportData, t: Timetable, styles: _Styles, ncols: int
) -> tuple[list[list[Any]], dict[int, float], tuple[int, int]]:
    """The rows of one person's sheet, their heights and the frozen pane."""
    ctx = data.context
    layout = ctx.layout
    rows: list[list[Any]] = [[(t.person.title, styles.title)]]
    heights: dict[int, float] = {1: 22.0}
    shared = layout.shared_header
    if shared:
        headers = layout.weeks[0].headers if layout.weeks else ()
        rows.append([None, *((h, styles.header) for h in headers)])
    by_slot = t.by_slot
    for week in layout.weeks:
        if week.title:
            if rows and len(rows) > 2:
                rows.append([])  # a blank row between the grids
            band: list[Any] = [(week.title, styles.band)]
            band += [("", styles.band)] * ncols
            rows.append(band)
        if not shared:
            rows.append([None, *((h, styles.header) for h in week.headers)])
        for pos, label in enumerate(week.rows):
            row: list[Any] = [(label, styles.period)]
            lines = 2
            for day in week.days:
                day_slots = ctx.day_slots[day]
                if pos >= len(day_slots):
                    row.append((None, styles.off))  # this day has no such period
                    continue
                entries = by_slot.get(day_slots[pos], ())
                if not entries:
                    row.append(("", styles.empty))
                    continue
                text = "\n".join(e.cell() for e in entries)
                row.append((text, styles.fill[ctx.colour(entries[0].course)]))
                lines = max(lines, sum(-(-len(e.cell()) // (_DAY_WIDTH - 2)) for e in entries))
            heights[len(rows) + 1] = float(_LINE_PT * lines)
            rows.append(row)
    # Freeze the period column and the title (and the day headings when shared).
    return rows, heights, (1, 2 if shared else 1)


def _footer_text(text: str) -> str:
    # In header/footer codes "&" starts a code: a literal one is written "&&".
    return text.replace("&", "&&")


# --------------------------------------------------------------------------------------
# A minimal SpreadsheetML writer
# --------------------------------------------------------------------------------------

_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# Characters XML 1.0 cannot carry at all (a stray control character in a name).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _esc(text: str) -> str:
    text = _NOT_XML.sub("", text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _col_name(n: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


class _Styles:
    """The cell styles of the grids; attributes are style ids for cells."""

    def __init__(self, colours: Iterable[str]) -> None:
        fonts = [
            '<font><sz val="10"/><name val="Calibri"/></font>',
            '<font><b/><sz val="10"/><name val="Calibri"/></font>',
            '<font><b/><sz val="14"/><name val="Calibri"/></font>',
            '<font><u/><sz val="10"/><color rgb="FF0563C1"/><name val="Calibri"/></font>',
        ]
        fills = [
            '<fill><patternFill patternType="none"/></fill>',
            '<fill><patternFill patternType="gray125"/></fill>',
        ]
        thin = '<color rgb="FF999999"/>'
        borders = [
            "<border><left/><right/><top/><bottom/><diagonal/></border>",
            (
                f'<border><left style="thin">{thin}</left><right style="thin">{thin}</right>'
                f'<top style="thin">{thin}</top><bottom style="thin">{thin}</bottom>'
                "<diagonal/></border>"
            ),
        ]
        xfs: list[str] = []

        def fill(rgb: str) -> int:
            fills.append(
                f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb[1:]}"/>'
                '<bgColor indexed="64"/></patternFill></fill>'
            )
            return len(fills) - 1

        def xf(font: int = 0, fill_id: int = 0, border: int = 0, align: str = "") -> int:
            attrs = f'numFmtId="0" fontId="{font}" fillId="{fill_id}" borderId="{border}" xfId="0"'
            attrs += ' applyFont="1"' if font else ""
            attrs += ' applyFill="1"' if fill_id else ""
            attrs += ' applyBorder="1"' if border else ""
            if align:
                xfs.append(f'<xf {attrs} applyAlignment="1"><alignment {align}/></xf>')
            else:
                xfs.append(f"<xf {attrs}/>")
            return len(xfs) - 1

        wrap = 'vertical="top" wrapText="1"'
        self.normal = xf()
        self.bold = xf(font=1)
        self.title = xf(font=2)
        self.link = xf(font=3)
        self.header = xf(
            font=1, fill_id=fill("#D9D9D9"), border=1, align='horizontal="center" vertical="center"'
        )
        self.band = xf(font=1, fill_id=fill("#BFBFBF"), border=1)
        self.period = xf(font=1, border=1, align=wrap)
        self.empty = xf(border=1, align=wrap)
        self.off = xf(fill_id=fill("#F2F2F2"), border=1)
        self.fill: dict[str, int] = {}
        for rgb in [TUTOR_COLOUR, *colours]:
            if rgb not in self.fill:
                self.fill[rgb] = xf(fill_id=fill(rgb), border=1, align=wrap)
        self.xml = (
            f'{_XML_HEAD}<styleSheet xmlns="{_MAIN_NS}">'
            f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
            f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
            f'<borders count="{len(borders)}">{"".join(borders)}</borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'</cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


class _Xlsx:
    """Write an .xlsx workbook sheet by sheet; the parts are streamed into the zip."""

    def __init__(self, path: Path, styles: _Styles) -> None:
        self.path = path
        self.styles = styles
        self.names: list[str] = []

    def __enter__(self) -> Self:
        self.zip = zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        try:
            if exc_type is None:
                self._finish()
        finally:
            self.zip.close()

    def sheet(
        self,
        name: str,
        rows: list[list[Any]],
        widths: list[int],
        *,
        freeze: tuple[int, int] = (0, 0),
        links: Iterable[tuple[str, str]] = (),
        heights: dict[int, float] | None = None,
        fit: tuple[int, int] = (1, 1),
        footer: str = "",
    ) -> None:
        """Add a sheet.

        ``rows`` hold cells: None, text, a whole number, or ``(text, style id)`` (text may
        be None for a styled empty cell). ``freeze`` is (columns, rows) kept in view;
        ``links`` are (cell, sheet name) links to other sheets; ``fit`` is the pages wide
        and tall it prints on (0 = as many as needed), on A4 landscape.
        """
        self.names.append(name)
        heights = heights or {}
        parts = [
            f'{_XML_HEAD}<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">',
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
        ]
        selected = ' tabSelected="1"' if len(self.names) == 1 else ""
        cols, frows = freeze
        if cols or frows:
            top_left = f"{_col_name(cols + 1)}{frows + 1}"
            pane = "bottomRight" if cols and frows else "bottomLeft" if frows else "topRight"
            split = (f' xSplit="{cols}"' if cols else "") + (f' ySplit="{frows}"' if frows else "")
            parts.append(
                f'<sheetViews><sheetView workbookViewId="0"{selected}>'
                f'<pane{split} topLeftCell="{top_left}" activePane="{pane}" '
                f'state="frozen"/><selection pane="{pane}" activeCell="{top_left}" '
                f'sqref="{top_left}"/></sheetView></sheetViews>'
            )
        else:
            parts.append(f'<sheetViews><sheetView workbookViewId="0"{selected}/></sheetViews>')
        if widths:  # an empty <cols/> is invalid
            parts.append("<cols>")
            parts += [
                f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                for i, w in enumerate(widths, start=1)
            ]
            parts.append("</cols>")
        parts.append("<sheetData>")
        for r, row in enumerate(rows, start=1):
            ht = heights.get(r)
            parts.append(f'<row r="{r}" ht="{ht:g}" customHeight="1">' if ht else f'<row r="{r}">')
            for c, value in enumerate(row, start=1):
                style = 0
                if isinstance(value, tuple):
                    value, style = value
                if value is None or value == "":
                    if style:
                        parts.append(f'<c r="{_col_name(c)}{r}" s="{style}"/>')
                    continue
                s = f' s="{style}"' if style else ""
                ref = f"{_col_name(c)}{r}"
                if isinstance(value, int) and not isinstance(value, bool):
                    parts.append(f'<c r="{ref}"{s}><v>{value}</v></c>')
                    continue
                parts.append(
                    f'<c r="{ref}" t="inlineStr"{s}><is>'
                    f'<t xml:space="preserve">{_esc(str(value))}</t></is></c>'
                )
            parts.append("</row>")
        parts.append("</sheetData>")
        link_xml = "".join(
            f'<hyperlink ref="{ref}" location="{_esc(_quote_sheet(target))}!A1" '
            f'display="{_esc(target)}"/>'
            for ref, target in links
        )
        if link_xml:
            parts.append(f"<hyperlinks>{link_xml}</hyperlinks>")
        parts.append(
            '<printOptions horizontalCentered="1"/>'
            '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.5" header="0.3" '
            'footer="0.3"/>'
            f'<pageSetup paperSize="9" orientation="landscape" fitToWidth="{fit[0]}" '
            f'fitToHeight="{fit[1]}"/>'
        )
        if footer:
            parts.append(f"<headerFooter><oddFooter>{_esc(footer)}</oddFooter></headerFooter>")
        parts.append("</worksheet>")
        self.zip.writestr(f"xl/worksheets/sheet{len(self.names)}.xml", "".join(parts))

    def _finish(self) -> None:
        n = len(self.names)
        sheets = "".join(
            f'<sheet name="{_esc(name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(self.names, start=1)
        )
        self.zip.writestr(
            "xl/workbook.xml",
            f'{_XML_HEAD}<workbook xmlns="{_MAIN_NS}" '
            f'xmlns:r="{_REL_NS}"><bookViews><workbookView activeTab="0"/>'
            f"</bookViews><sheets>{sheets}</sheets></workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        rels += f'<Relationship Id="rId{n + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
        self.zip.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">{rels}</Relationships>',
        )
        self.zip.writestr("xl/styles.xml", self.styles.xml)
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        self.zip.writestr(
            "[Content_Types].xml",
            (
                f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
                f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
                f"{overrides}</Types>"
            ),
        )
        self.zip.writestr(
            "_rels/.rels",
            (
                f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}"><Relationship Id="rId1" '
                f'Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ),
        )


def _quote_sheet(name: str) -> str:
    """A sheet name as a formula reference: ``'My sheet'`` (a ' doubled)."""
    return "'" + name.replace("'", "''") + "'"

"""The writers every export shares: CSV with a BOM, XLSX with a frozen header, JSON, and the attachment name.

A `Column` says what one exported column is called, how wide it is in Excel and how its value is read;
items, providers and evaluations each define a tuple of them, and the page tables read the same tuples.
The admin's 导出所选（Excel） and the import template write their sheets here too, so every spreadsheet
the site hands out has the same header and the same guard against formulas.
"""

import csv
import io
import json
import re
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Callable
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext


FORMATS = ("csv", "xlsx", "json")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # XLSX column width, in characters (None: Excel's default)
    value: Callable  # (item, seq) -> text shown in the cell


def _attachment(response, names):
    """names: (ASCII fallback, Chinese name), as filename() and the other *_filename() helpers give them."""
    ascii_name, chinese = names
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(chinese)}"
    return response


# A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# Control characters an XLSX cell may not hold (openpyxl refuses them).
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _inert(value):
    """Text a spreadsheet will show, never run: a leading formula character gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_value(value):
    """Any value as a cell shows it: 是/否 for a boolean, local time, and text stripped of HTML and of the
    characters XLSX forbids, never run as a formula. For columns read from elsewhere (an admin
    changelist's, whose values may be HTML); the export columns give plain text already."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, Decimal, date)):
        return value
    return _inert(ILLEGAL_CHARACTERS.sub("", strip_tags(str(value))))


def csv_chunks(columns, objects, rows_per_chunk=200):
    """The CSV as UTF-8 byte chunks: a BOM (so Excel opens the Chinese text correctly), a header, the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([str(column.label) for column in columns])
    for seq, obj in enumerate(objects, start=1):
        writer.writerow([_inert(column.value(obj, seq)) for column in columns])
        if seq % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def csv_bytes(columns, objects):
    return b"".join(csv_chunks(columns, objects))


def csv_response(columns, objects, names):
    """A header row, then one row per object, streamed as it is written.

    `columns` is a tuple of Column (COLUMNS, PROVIDER_COLUMNS, EVALUATION_COLUMNS); `names` the
    (ASCII, Chinese) file names. Every export of the site goes through here and xlsx_response.
    """
    response = StreamingHttpResponse(csv_chunks(columns, objects), content_type="text/csv; charset=utf-8")
    return _attachment(response, names)


def labelled_columns(pairs):
    """Columns from (label, getter(obj)) pairs, such as an admin changelist's: Excel's default width,
    each value made a cell by spreadsheet_value. Each getter is asked once a row, in row order."""
    return [
        Column(str(index), label, None, lambda obj, seq, getter=getter: spreadsheet_value(getter(obj)))
        for index, (label, getter) in enumerate(pairs)
    ]


def _safe_sheet_title(title, fallback):
    for char in "[]:*?/\\":
        title = title.replace(char, "")
    return title[:31] or fallback


def xlsx_workbook(columns, objects, sheet_title, title_lines=(), row_font=None):
    """One sheet: bold frozen header row, set column widths, wrapped text; the workbook, to add sheets to.

    `title_lines`, when given, stand above the header (the first in a larger bold font), then a
    blank row: an edition's title, 文号 and date. The header row is repeated on every printed page.
    `row_font` sets the rows' font (the import template's grey example row).

    Written in openpyxl's write-only mode: rows go straight to the file instead of into a tree of
    cell objects, which is several times faster and holds one row in memory at a time. A caller adds
    its own sheets, drop-down lists (sheet.data_validations) and rows before workbook_bytes().
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_safe_sheet_title(str(sheet_title), "export"))
    for index, column in enumerate(columns, start=1):
        if column.width:
            sheet.column_dimensions[get_column_letter(index)].width = column.width
    header_row = len(title_lines) + 2 if title_lines else 1
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    # Every cell is wrapped text; the header is bold too. The style is set on one cell of each kind
    # and copied to the rest: assigning a style object looks it up in the workbook's style tables
    # every time, which costs more than writing the cell.
    wrap = Alignment(wrap_text=True, vertical="top")
    styled = WriteOnlyCell(sheet, value="")
    styled.alignment = wrap
    if row_font is not None:
        styled.font = row_font
    heading = WriteOnlyCell(sheet, value="")
    heading.alignment = wrap
    heading.font = Font(bold=True)

    def cell(value, like=styled):
        written = WriteOnlyCell(sheet, value=value)
        written._style = copy(like._style)
        # A text cell is always text: openpyxl would store one that starts with "=" as a formula.
        if isinstance(value, str) and value.startswith("="):
            written.data_type = "s"
        return written

    for index, line in enumerate(title_lines):
        title = cell(str(line), heading)
        if index == 0:
            title.font = Font(bold=True, size=14)
        title.alignment = Alignment(wrap_text=False, vertical="top")
        sheet.append([title])
    if title_lines:
        sheet.append([])
    sheet.append([cell(str(column.label), heading) for column in columns])
    for seq, obj in enumerate(objects, start=1):
        sheet.append([cell(column.value(obj, seq)) for column in columns])
    return workbook


def workbook_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(columns, objects, sheet_title, title_lines=()):
    """The file of xlsx_workbook: the exports' one sheet."""
    return workbook_bytes(xlsx_workbook(columns, objects, sheet_title, title_lines))


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_file_response(content, names):
    """An XLSX file's bytes as a download named `names` (ASCII, Chinese)."""
    return _attachment(HttpResponse(content, content_type=XLSX_CONTENT_TYPE), names)


def xlsx_response(columns, objects, sheet_title, names):
    return xlsx_file_response(xlsx_bytes(columns, objects, sheet_title), names)


def json_bytes(payload):
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


def json_response(payload, names):
    return _attachment(HttpResponse(json_bytes(payload), content_type="application/json; charset=utf-8"), names)


def _date(value):
    return value.isoformat() if value else None


def _grade_label(code):
    from catalogue.evaluation_rules import Grade

    return str(Grade(code).label) if code else None


def _decimal(value):
    return None if value is None else f"{value:.2f}"

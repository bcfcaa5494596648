"""The writers every export shares: CSV with a BOM, XLSX with a frozen header, JSON, and the attachment name.

A `Column` says what one exported column is called, how wide it is in Excel and how its value is read;
items, providers and evaluations each define a tuple of them, and the page tables read the same tuples.
"""

import csv
import io
import json
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

from django.http import HttpResponse


FORMATS = ("csv", "xlsx", "json")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # XLSX column width, in characters
    value: Callable  # (item, seq) -> text shown in the cell


def _attachment(response, names):
    """names: (ASCII fallback, Chinese name), as filename() and the other *_filename() helpers give them."""
    ascii_name, chinese = names
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(chinese)}"
    return response


# A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value):
    """Text a spreadsheet will show, never run: a leading formula character gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(columns, objects, names):
    """UTF-8 with a BOM, so Excel opens the Chinese text correctly; a header row, then one row per object.

    `columns` is a tuple of Column (COLUMNS, PROVIDER_COLUMNS, EVALUATION_COLUMNS); `names` the
    (ASCII, Chinese) file names. Every export of the site goes through here and xlsx_response.
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([str(column.label) for column in columns])
    for seq, obj in enumerate(objects, start=1):
        writer.writerow([_inert(column.value(obj, seq)) for column in columns])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    return _attachment(response, names)


def _safe_sheet_title(title, fallback):
    for char in "[]:*?/\\":
        title = title.replace(char, "")
    return title[:31] or fallback


def xlsx_response(columns, objects, sheet_title, names):
    """One sheet: bold frozen header row, set column widths, wrapped text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append([str(column.label) for column in columns])
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = wrap
    for seq, obj in enumerate(objects, start=1):
        sheet.append([column.value(obj, seq) for column in columns])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = wrap
            if cell.data_type == "f":
                # openpyxl stores text starting with "=" as a formula; keep it text.
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return _attachment(response, names)


def json_response(payload, names):
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    return _attachment(response, names)


def _date(value):
    return value.isoformat() if value else None


def _grade_label(code):
    from catalogue.evaluation_rules import Grade

    return str(Grade(code).label) if code else None


def _decimal(value):
    return None if value is None else f"{value:.2f}"

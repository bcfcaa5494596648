"""Reading the file: size, format (XLSX or CSV), header, row limit; see catalogue/imports/__init__.py."""

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from catalogue.exports.columns import EXPORT_COLUMNS, header

from . import isolation

# Files above this size (settings.IMPORT_MAX_BYTES) are refused while they are received
# (catalogue/uploads.py), and here from the upload's size, before any reading.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# The header is looked for in the first rows (a title row often sits above it) and columns.
HEADER_SEARCH_ROWS = 10
MAX_COLUMNS = 50
# Blank rows cost nothing to skip, but a file may declare a million of them; stop scanning
# after this many beyond the row limit.
BLANK_ROW_ALLOWANCE = 1000

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc …)


def max_rows():
    return settings.IMPORT_MAX_ROWS


def max_bytes():
    return getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


# The official table's columns and the two extras, each saying whether a file must have it and what other
# headers it goes by (catalogue/exports/columns.py): the export's header is the import's.
COLUMNS = EXPORT_COLUMNS
COLUMN_LABELS = {column.key: column.label for column in COLUMNS}


def template_header():
    """The header row of a blank import template: the official order, then the extras."""
    return header(COLUMNS)


def normalise_label(value):
    text = re.sub(r"\s+", "", str(value or ""))
    return text.replace("(", "（").replace(")", "）")


def spellings(label):
    """A translatable label in the active language and in every language of the site (Chinese first).

    Clerks' files carry the Chinese headers whatever language the admin is shown in, but a
    template or export made in English must import for a clerk working in Chinese too.
    """
    names = {str(label)}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(str(label))
    return names


def _header_keys():
    keys = {}
    for column in COLUMNS:
        for name in (*spellings(column.label), *column.aliases):
            keys[normalise_label(name)] = column.key
    return keys


class SpreadsheetRefused(Exception):
    """The file as a whole cannot be imported; nothing of it is used. `rows_read` says how far the reader got."""

    def __init__(self, message, rows_read=0):
        super().__init__(message)
        self.message = message
        self.rows_read = rows_read


@dataclass
class SheetTable:
    """The header's columns and the non-blank rows below it, as read from the file."""

    file_format: str
    columns: dict  # column key -> position in each row
    rows: list  # [(row number as Excel shows it, tuple of cell values)]
    rows_read: int  # rows the reader pulled below the header, blank ones included
    ignored_headers: list = field(default_factory=list)
    encoding: str = ""


# ---------------------------------------------------------------------------------------------
# Reading the file


def read_table(upload, *, limit=None):
    """Check the upload is a spreadsheet within the limits and return its header and rows.

    Raises SpreadsheetRefused (one Chinese message) for a file too large, empty,
    not an XLSX or CSV, without the required columns, with more than `limit`
    (settings.IMPORT_MAX_ROWS) rows, or that breaks a limit of the child process
    that reads it (catalogue/imports/extract.py: "文件过大或格式异常：…"); reading stops at
    the first limit it meets.
    """
    limit = max_rows() if limit is None else limit
    size = getattr(upload, "size", None)
    # An upload refused while it was received (catalogue/uploads.py) arrives empty, with the size sent.
    if getattr(upload, "refused", False) or (size is not None and size > max_bytes()):
        raise SpreadsheetRefused(
            _("文件过大（%(size)s），导入文件不能超过 %(max)s。")
            % {"size": _megabytes(size), "max": _megabytes(max_bytes())}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head:
        raise SpreadsheetRefused(_("上传的文件是空的。"))
    suffix = PurePath(getattr(upload, "name", "") or "").suffix.lower()
    if head.startswith(XLSX_MAGIC):
        return _read(upload, "xlsx", limit)
    if head.startswith(OLE_MAGIC):
        raise SpreadsheetRefused(
            _("这是旧版 Excel（.xls）或其他 Office 文件。请在 Excel 中“另存为” .xlsx 或 CSV 格式后再导入。")
        )
    if suffix in {".xlsx", ".xlsm"}:
        raise SpreadsheetRefused(_("该文件不是有效的 Excel（.xlsx）文件，可能已损坏或只是改了扩展名。"))
    if suffix in {".csv", ".txt", ""}:
        return _read(upload, "csv", limit)
    raise SpreadsheetRefused(_("只能导入 Excel（.xlsx）或 CSV 文件。"))


def _megabytes(size):
    return f"{size / 1024 / 1024:.1f} MB"


def _read(upload, file_format, limit):
    """The rows of the file as the child process reads them (catalogue/imports/isolation.py), then the header."""
    answer = isolation.extract(
        upload,
        file_format,
        max_rows=HEADER_SEARCH_ROWS + limit + BLANK_ROW_ALLOWANCE + 1,
        max_columns=MAX_COLUMNS,
    )
    if "refused" in answer:
        raise SpreadsheetRefused(refusal_message(answer["refused"], answer.get("params") or {}))
    rows = ((number, tuple(values)) for number, values in enumerate(answer["rows"], start=1))
    table = _collect(rows, limit, file_format)
    if answer.get("truncated"):
        # The child stopped past every row _collect could need; it only runs out of rows here
        # when blank rows came first, so the file still holds more than the limit.
        raise SpreadsheetRefused(_too_many_rows(limit), rows_read=table.rows_read + 1)
    table.encoding = answer.get("encoding", "")
    return table


def refusal_message(code, params):
    """The clerk's message for what the child found wrong (catalogue/imports/extract.py names the codes)."""
    simple = {
        "not_xlsx": _("该文件不是有效的 Excel（.xlsx）文件，可能已损坏或只是改了扩展名。"),
        "not_text": _("该文件不是文本格式的 CSV 文件，也不是 Excel（.xlsx）文件。"),
        "csv_encoding": _("无法识别该 CSV 文件的文字编码。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入。"),
    }
    if code in simple:
        return simple[code]
    if code == "csv_error":
        return _("CSV 文件格式有误：%(error)s") % {"error": params.get("error", "")}
    return _("文件过大或格式异常：%(problem)s。请在 Excel 中检查该文件，或另存为新文件后再导入。") % {
        "problem": _problem(code, params)
    }


def _problem(code, params):
    size = _megabytes(params.get("size", 0))
    most = params.get("max", 0)
    problems = {
        "strings_count": lambda: _("共享字符串表超过 %(max)s 条（文件中有或声明了 %(count)s 条）")
        % {"max": most, "count": params.get("count", "")},
        "strings_bytes": lambda: _("共享字符串表解压后为 %(size)s，超过 %(max)s")
        % {"size": size, "max": _megabytes(most)},
        "strings_chars": lambda: _("共享字符串表的文字超过 %(max)s 字") % {"max": most},
        "unpacked": lambda: _("解压后为 %(size)s，超过 %(max)s") % {"size": size, "max": _megabytes(most)},
        "members": lambda: _("压缩包内有 %(count)s 个文件，超过 %(max)s 个") % {"count": params.get("count", ""), "max": most},
        "part": lambda: _("工作簿的“%(part)s”部分解压后为 %(size)s，超过 %(max)s")
        % {"part": params.get("part", ""), "size": size, "max": _megabytes(most)},
        "row_cells": lambda: _("第%(row)s行的单元格超过 %(max)s 个") % {"row": params.get("row", ""), "max": most},
        "elements": lambda: _("“%(part)s”中的 XML 元素超过 %(max)s 个") % {"part": params.get("part", ""), "max": most},
        "depth": lambda: _("XML 嵌套超过 %(max)s 层") % {"max": most},
        "dtd": lambda: _("文件中含有 DTD 声明（实体引用），Excel 保存的文件不会有"),
        "xml": lambda: _("XML 文件头异常"),
        "grid": lambda: _("单元格或区域“%(reference)s”超出了 Excel 工作表的范围") % {"reference": params.get("reference", "")},
        "cell_chars": lambda: _("第%(row)s行第%(column)s列的内容超过 %(max)s 个字符")
        % {"row": params.get("row", ""), "column": params.get("column", ""), "max": most},
        "text_chars": lambda: _("文件中的文字总量超过 %(max)s 字") % {"max": most},
        "csv_record": lambda: _("CSV 文件第%(row)s行超过 %(max)s")
        % {"row": params.get("row", ""), "max": _megabytes(most)},
        "memory": lambda: _("读取时超出了内存上限（%(max)s MB）") % {"max": isolation.memory_mb()},
        "timeout": lambda: _("读取超过了 %(seconds)s 秒") % {"seconds": params.get("seconds", "")},
        "killed": lambda: _("读取时超出了内存（%(memory)s MB）或时间（%(seconds)s 秒）上限")
        % {"memory": params.get("memory_mb", ""), "seconds": params.get("seconds", "")},
    }
    return problems.get(code, lambda: _("无法读取该文件"))()


def _is_blank(values):
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _collect(rows, limit, file_format):
    """Find the header among the first rows, then keep the non-blank rows below it, up to `limit`."""
    keys = _header_keys()
    header = None
    for number, values in rows:
        if _is_blank(values):
            if number >= HEADER_SEARCH_ROWS:
                break
            continue
        if header is None:
            header = (number, values)  # the first non-blank row, if no row looks like a header
        if any(normalise_label(value) in keys for value in values):
            header = (number, values)
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        raise SpreadsheetRefused(_("文件中没有找到表头和数据。"))
    columns, ignored, duplicated = {}, [], []
    for position, value in enumerate(header[1]):
        label = normalise_label(value)
        if not label:
            continue
        key = keys.get(label)
        if key is None:
            ignored.append(str(value).strip())
        elif key in columns:
            duplicated.append(str(COLUMN_LABELS[key]))
        else:
            columns[key] = position
    missing = [str(column.label) for column in COLUMNS if column.required and column.key not in columns]
    if missing:
        raise SpreadsheetRefused(
            _("表头缺少必需的列：%(missing)s。请使用目录表格的表头（%(header)s）。")
            % {"missing": "、".join(missing), "header": " · ".join(template_header())}
        )
    if duplicated:
        raise SpreadsheetRefused(_("表头中这些列出现了不止一次：%(columns)s。") % {"columns": "、".join(duplicated)})
    width = max(columns.values()) + 1
    kept, read = [], 0
    for number, values in rows:
        read += 1
        if _is_blank(values):
            if read > limit + BLANK_ROW_ALLOWANCE:
                raise SpreadsheetRefused(_too_many_rows(limit), rows_read=read)
            continue
        if len(kept) >= limit:
            raise SpreadsheetRefused(_too_many_rows(limit), rows_read=read)
        kept.append((number, tuple(values[:width]) + (None,) * (width - len(values))))
    if not kept:
        raise SpreadsheetRefused(_("表头下面没有事项数据。"), rows_read=read)
    return SheetTable(file_format, columns, kept, read, ignored)


def _too_many_rows(limit):
    return _("文件中的事项超过了导入上限（每次最多 %(max)s 行，空行过多也会超限）。请分成几个文件分别导入。") % {
        "max": limit
    }

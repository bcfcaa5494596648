"""One table of the official columns (catalogue/exports/columns.py): the export, the import and its template agree.

The import reads what the export writes: the same labels in the same order, the same columns required, and
the template a clerk downloads starts with the header the import looks for. And every spreadsheet the site
hands out goes through one writer (catalogue/exports/writers.py), with one guard against formulas.
"""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from catalogue import imports
from catalogue.exports import EXPORT_COLUMNS, edition_csv_bytes, edition_xlsx_bytes
from catalogue.exports.columns import COLUMNS, header
from catalogue.exports.writers import labelled_columns, spreadsheet_value, xlsx_bytes
from catalogue.imports.template import template_bytes
from tests import factories as f

OFFICIAL = ["序号", "编码", "一级", "二级", "三级", "事项名称", "服务内容", "购买主体", "承接主体要求", "购买方式", "试点", "备注"]


def test_the_official_table_is_the_policys_order_and_the_files_add_budget_and_standard():
    assert header(COLUMNS) == OFFICIAL
    assert header(EXPORT_COLUMNS) == OFFICIAL + ["预算（元）", "绩效评价标准"]


def test_the_import_reads_the_columns_the_export_writes():
    assert imports.COLUMNS is EXPORT_COLUMNS
    assert imports.template_header() == header(EXPORT_COLUMNS)
    assert [key for key in imports.COLUMN_LABELS] == [column.key for column in EXPORT_COLUMNS]


def test_the_export_header_is_the_one_the_import_recognises(db):
    edition = f.edition()
    csv_header = edition_csv_bytes([]).decode("utf-8-sig").splitlines()[0].split(",")
    assert csv_header == imports.template_header()
    sheet = load_workbook(io.BytesIO(edition_xlsx_bytes(edition, [])), read_only=True).active
    xlsx_header = next(row for row in sheet.iter_rows(values_only=True) if row and row[0] == "序号")
    assert list(xlsx_header) == imports.template_header()
    # A file with that header and one row: every column is found under its own key.
    row = ",".join(["1", "", "", "", "C0201", "社区居家养老服务", "", "咸宁市民政局", "", "公开招标", "", "", "1", ""])
    table = imports.read_table(SimpleUploadedFile("x.csv", (",".join(csv_header) + "\n" + row).encode()))
    assert list(table.columns) == [column.key for column in EXPORT_COLUMNS]


def test_the_template_header_is_the_import_header(db):
    sheet = load_workbook(io.BytesIO(template_bytes(f.municipal()))).worksheets[0]
    assert [cell.value for cell in sheet[1]] == imports.template_header()
    assert sheet[2][0].value == imports.EXAMPLE_MARK


def test_an_english_export_header_imports_in_chinese(db):
    with translation.override("en"):
        english = header(EXPORT_COLUMNS)
    assert english != header(EXPORT_COLUMNS)
    row = ",".join(["", "", "", "", "C0201", "x", "", "咸宁市民政局", "", "公开招标", "", "", "", ""])
    table = imports.read_table(SimpleUploadedFile("x.csv", (",".join(english) + "\n" + row).encode()))
    assert list(table.columns) == [column.key for column in EXPORT_COLUMNS]


@pytest.mark.parametrize(
    "alias, key",
    [("事项编码", "code"), ("一级类别", "area"), ("二级目录", "field"), ("服务类别", "type"), ("是否试点", "is_pilot"),
     ("预算金额（元）", "budget")],
)
def test_a_clerks_own_header_is_read_as_the_official_column(alias, key):
    labels = ["三级", "事项名称", "购买主体", "购买方式"]
    if key == "type":
        labels[0] = alias
    else:
        labels.append(alias)
    table = imports.read_table(SimpleUploadedFile("x.csv", (",".join(labels) + "\nC0201,x,y,公开招标,1\n").encode()))
    assert key in table.columns


def test_a_file_without_a_required_column_is_refused():
    required = [column for column in EXPORT_COLUMNS if column.required]
    assert [column.key for column in required] == ["type", "name", "purchasing_bodies", "procurement_method"]
    with pytest.raises(imports.SpreadsheetRefused, match="表头缺少必需的列：购买方式"):
        imports.read_table(SimpleUploadedFile("x.csv", "三级,事项名称,购买主体\nC0201,x,y\n".encode()))


@pytest.mark.parametrize("text", ["=1+1", "+86", "-1", "@SUM(A1)", "\tx", "=HYPERLINK(\"http://x\")"])
def test_a_cell_never_runs_as_a_formula(text):
    assert spreadsheet_value(text) == "'" + text
    content = xlsx_bytes(labelled_columns([("备注", lambda obj: obj)]), [text], "x")
    cell = load_workbook(io.BytesIO(content)).active["A2"]
    assert cell.value == "'" + text and cell.data_type == "s"


def test_a_cell_shows_values_as_a_clerk_reads_them():
    assert spreadsheet_value(None) == ""
    assert spreadsheet_value(True) == "是" and spreadsheet_value(False) == "否"
    assert spreadsheet_value(Decimal("120000.00")) == Decimal("120000.00")
    assert spreadsheet_value('<a href="/x">养老</a>\x01\x0b') == "养老"


def test_labelled_columns_ask_each_getter_once_a_row_in_order():
    asked = []
    columns = labelled_columns([("甲", lambda obj: asked.append(obj) or obj), ("乙", lambda obj: obj * 2)])
    sheet = load_workbook(io.BytesIO(xlsx_bytes(columns, [1, 2], "a/b:c"))).active
    assert asked == [1, 2]
    assert sheet.title == "abc"
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [["甲", "乙"], [1, 2], [2, 4]]

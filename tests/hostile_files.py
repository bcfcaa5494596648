"""Spreadsheets built to hurt a parser, small on the wire and enormous once read (issue 9).

Each starts from a real workbook openpyxl wrote, so everything but the hostile part is what Excel
would find, and streams the hostile part into the zip so building it costs little memory.
"""

import io
import zipfile
from xml.sax.saxutils import escape

from openpyxl import Workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER = ["序号", "编码", "一级", "二级", "三级", "事项名称", "服务内容", "购买主体", "承接主体要求", "购买方式", "试点", "备注"]


def base_workbook():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([1, "", "社会保障", "养老服务", "社区居家养老服务", "社区居家养老服务", "上门服务", "市民政局", "", "公开招标", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replace_parts(parts, source=None):
    """The base workbook with `parts` ({name: iterable of bytes chunks}) written in place of (or beside) its own."""
    source = source or base_workbook()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in original.infolist():
            if info.filename not in parts:
                archive.writestr(info.filename, original.read(info.filename))
        for name, chunks in parts.items():
            with archive.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
    return out.getvalue()


def cell_xml(reference, value, strings):
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{reference}"><v>{value}</v></c>'
    if value not in strings:
        strings.append(value)
    return f'<c r="{reference}" t="s"><v>{strings.index(value)}</v></c>'


def excel_like(rows, extra_cells=""):
    """A workbook written the way Excel writes one: text in a shared-strings table (openpyxl writes
    inline strings), a date cell styled with a date format, and `extra_cells` (raw XML) on row 2."""
    from openpyxl.utils import get_column_letter

    strings, body = [], []
    for number, row in enumerate(rows, start=1):
        cells = "".join(cell_xml(f"{get_column_letter(index)}{number}", value, strings) for index, value in enumerate(row, 1))
        if number == 2:
            cells += extra_cells
        body.append(f'<row r="{number}">{cells}</row>')
    table = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    shared = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{table}</sst>'
    return with_shared_strings([shared.encode()], sheet([row.encode() for row in body]))


def with_shared_strings(table_chunks, sheet_chunks=None):
    """The base workbook with a shared-strings part (declared in the content types and the workbook's
    relationships, as Excel declares it) and, optionally, another sheet."""
    source = base_workbook()
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    parts = {"[Content_Types].xml": [types.encode()], "xl/_rels/workbook.xml.rels": [rels.encode()], "xl/sharedStrings.xml": table_chunks}
    if sheet_chunks is None:
        sheet_chunks = sheet([b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'])
    parts["xl/worksheets/sheet1.xml"] = sheet_chunks
    return replace_parts(parts, source)


def repeated(unit, count, batch=100_000):
    while count > 0:
        step = min(batch, count)
        yield unit * step
        count -= step


def shared_strings_bomb(strings=5_500_000, declare=True):
    """A workbook whose shared-strings table holds `strings` strings (the issue's 232 KB file: 5.5 million)."""
    declared = f' count="{strings}" uniqueCount="{strings}"' if declare else ""

    def chunks():
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}"{declared}>'.encode()
        yield from repeated(b"<si><t>x</t></si>", strings)
        yield b"</sst>"

    return with_shared_strings(chunks())


def one_huge_string(megabytes=300):
    """A shared-strings table of one string of `megabytes` MB: harmless to count, ruinous to hold."""

    def chunks():
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode()
        yield from repeated(b"x" * 1024, megabytes * 1024, batch=1024)
        yield b"</t></si></sst>"

    return with_shared_strings(chunks())


def sheet(rows_xml, before=b"", after=b""):
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'.encode() + before + b"<sheetData>"
    yield from rows_xml
    yield b"</sheetData>" + after + b"</worksheet>"


def wide_row(cells=6_200_000):
    """One row of `cells` cells (the issue's 185 KB file: 6.2 million)."""

    def rows():
        yield b'<row r="1">'
        yield from repeated(b"<c><v>1</v></c>", cells)
        yield b"</row>"

    return replace_parts({"xl/worksheets/sheet1.xml": sheet(rows())})


def deeply_nested(depth=1_000_000, where="sheet"):
    """Elements nested `depth` deep: inside a cell of the sheet, or inside the workbook part."""
    opening, closing = b"<x>", b"</x>"
    if where == "sheet":

        def rows():
            yield b'<row r="1"><c r="A1" t="inlineStr"><is>'
            yield from repeated(opening, depth)
            yield from repeated(closing, depth)
            yield b"</is></c></row>"

        return replace_parts({"xl/worksheets/sheet1.xml": sheet(rows())})
    source = base_workbook()
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        workbook = archive.read("xl/workbook.xml")
    head, _sep, tail = workbook.partition(b"</workbook>")

    def chunks():
        yield head
        yield from repeated(opening, depth)
        yield from repeated(closing, depth)
        yield b"</workbook>"

    return replace_parts({"xl/workbook.xml": chunks()}, source)


def billion_laughs():
    """Entities that expand to a billion 'lol's, declared in the sheet's DTD."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    doctype = f"<!DOCTYPE worksheet [{entities}]>".encode()
    body = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    return replace_parts({"xl/worksheets/sheet1.xml": [b'<?xml version="1.0"?>' + doctype + body.encode()]})


def absurd_dimension():
    return replace_parts(
        {"xl/worksheets/sheet1.xml": sheet([b'<row r="1"><c r="A1"><v>1</v></c></row>'], before=b'<dimension ref="A1:ZZZ99999999"/>')}
    )


def csv_line(megabytes=100):
    """A CSV header, then a single line of `megabytes` MB, as chunks."""
    yield ",".join(HEADER).encode() + b"\n"
    yield from repeated(b"x" * 1024, megabytes * 1024, batch=1024)
    yield b"\n"

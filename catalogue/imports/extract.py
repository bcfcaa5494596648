"""The child process of an import: plain rows out of an untrusted XLSX or CSV file, within hard limits.

catalogue/imports/isolation.py runs this file as a script (`python -I -B extract.py JOB`) for every
upload; nothing here imports Django or the project. The first thing the child does is limit itself
(address space, CPU seconds, no file writes), so whatever a file makes a parser do, it cannot take
more than that slice of the server; the parent adds a wall-clock timeout on top.

The rows come back as JSON on stdout, `{"rows": [[cell, ...], ...], "truncated": bool, "encoding": str}`,
each cell a string, number, boolean or null (dates as ISO text), or `{"refused": code, "params": {...}}`
naming the limit the file broke; catalogue/imports/reading.py turns the code into the clerk's
Chinese message and does everything else (header, columns, row checks).

Why not openpyxl's own reader: it loads the whole shared-strings table before the first row
(5.5 million strings in a 232 KB file took 60 s and 497 MiB), and it builds every cell of a row
before `max_col` drops them (one row of 6.2 million cells took 2.76 GiB). Here both tables are
read as streams with a count on every element: the shared strings stop at a bound of strings and
characters, a row stops at Excel's 16,384 columns, the sheet stops one row past the parent's
row limit, nesting stops at a small depth, and no part may declare a DTD. Cell values follow
openpyxl's read-only, data-only reader (the same types, dates from the number formats, the same
gap rows), whose date helpers are reused.
"""

import codecs
import csv
import json
import posixpath
import re
import resource
import signal
import sys
import zipfile
import zlib
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from xml.etree.ElementTree import ParseError, XMLPullParser

import pyexpat

MiB = 1024 * 1024
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """What a file may make the child do. The parent sets max_rows and max_columns; the rest are defaults."""

    max_rows: int = 6_000  # rows returned; one more means "truncated"
    max_columns: int = 50  # cells kept per row; cells further right are skipped unread
    max_members: int = 1_000  # files inside the zip (a workbook has a dozen or two)
    max_unpacked_bytes: int = 100 * MiB  # all members, as the zip declares them (zipfile never inflates past it)
    max_part_bytes: int = 8 * MiB  # each XML part other than sheets and shared strings (workbook, styles, rels)
    max_part_elements: int = 100_000  # elements in each of those parts
    max_shared_strings: int = 200_000  # strings in the shared-strings table (declared or counted)
    max_shared_strings_bytes: int = 32 * MiB  # the table's XML, unpacked
    max_shared_string_chars: int = 8_000_000  # characters of all shared strings together
    max_row_cells: int = 16_384  # cells in one row: Excel's widest sheet (A…XFD)
    max_sheet_elements: int = 1_000_000  # elements read from the sheet (about 2.6 s); 6,000 rows of 50 cells fit
    max_depth: int = 32  # XML nesting (a sheet is six deep: worksheet/sheetData/row/c/is/t)
    max_item_elements: int = 10_000  # elements inside one cell or one shared string (rich-text runs)
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    max_text_chars: int = 8_000_000  # characters of all cells returned
    max_csv_record_bytes: int = 1 * MiB  # one CSV record (a line, or several when a field is quoted)


class Refused(Exception):
    """The file breaks a limit or is not what it claims; `code` and `params` go back to the parent."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def limit_this_process(memory_mb, cpu_seconds):
    """Cap the child's address space and CPU time, forbid it to write files or dump core."""
    memory = memory_mb * MiB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write fails with an error instead of killing the child
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


# XML, streamed ---------------------------------------------------------------------------------------


class _RootReached(Exception):
    pass


class _Prolog:
    """Watches the bytes before the root element: a DOCTYPE (entities, external references) is refused."""

    MAX_BYTES = 64 * 1024

    def __init__(self):
        self.parser = pyexpat.ParserCreate()
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.StartElementHandler = self._root
        self.done = False
        self.seen = 0

    def _doctype(self, *args):
        raise Refused("dtd")

    def _root(self, *args):
        raise _RootReached

    def feed(self, chunk):
        if self.done:
            return
        try:
            self.parser.Parse(chunk, False)
        except _RootReached:
            self.done = True
        except pyexpat.ExpatError:
            self.done = True  # the pull parser reports the same error
        self.seen += len(chunk)
        if not self.done and self.seen > self.MAX_BYTES:
            raise Refused("xml")


def local(tag):
    return tag.rpartition("}")[2]


def stream_elements(stream, limits, max_elements, part, detach_depth):
    """Yield (event, element, depth) for the 'start' and 'end' of every element of one XML part.

    Reads 64 KiB at a time and refuses a DTD, nesting deeper than limits.max_depth, more than
    `max_elements` elements, and more than limits.max_item_elements inside one element at
    `detach_depth` (a cell, a shared string). Once the caller has seen an element's end, an element
    at `detach_depth` or above is taken out of the tree, so memory holds one item at a time.
    """
    parser = XMLPullParser(("start", "end"))
    prolog = _Prolog()
    stack, count, inside = [], 0, 0
    while True:
        chunk = stream.read(CHUNK)
        if chunk:
            prolog.feed(chunk)
            parser.feed(chunk)
        else:
            parser.close()
        for event, element in parser.read_events():
            if event == "start":
                stack.append(element)
                depth = len(stack)
                count += 1
                if depth > limits.max_depth:
                    raise Refused("depth", part=part, max=limits.max_depth)
                if count > max_elements:
                    raise Refused("elements", part=part, max=max_elements)
                inside = 0 if depth <= detach_depth else inside + 1
                if inside > limits.max_item_elements:
                    raise Refused("elements", part=part, max=limits.max_item_elements)
                yield event, element, depth
            else:
                depth = len(stack)
                yield event, element, depth
                stack.pop()
                if 1 < depth <= detach_depth:
                    stack[-1].remove(element)  # the only child left: its earlier siblings went the same way
        if not chunk:
            return


def text_of(element):
    """A string item's text as openpyxl reads it: its own <t>, then the <t> of each rich-text run (no phonetics)."""
    parts = [child.text or "" for child in element if local(child.tag) == "t"]
    for run in element:
        if local(run.tag) == "r":
            parts.extend(child.text or "" for child in run if local(child.tag) == "t")
    return "".join(parts)


# The workbook around the sheet ---------------------------------------------------------------------------

CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK_TYPES = [
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
]
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
STYLES = "xl/styles.xml"  # where openpyxl looks for them too
EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COLUMN = 16_384


class Workbook:
    """The parts of an XLSX the rows depend on, each checked against the limits before it is read."""

    def __init__(self, archive, limits):
        self.archive, self.limits = archive, limits
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise Refused("members", count=len(infos), max=limits.max_members)
        unpacked = sum(info.file_size for info in infos)
        if unpacked > limits.max_unpacked_bytes:
            raise Refused("unpacked", size=unpacked, max=limits.max_unpacked_bytes)
        self.sizes = {info.filename: info.file_size for info in infos}

    def _part(self, name):
        """(event, element, depth) of a small part (workbook, styles, rels, content types), bounded."""
        size = self.sizes.get(name)
        if size is None:
            return
        if size > self.limits.max_part_bytes:
            raise Refused("part", part=name, size=size, max=self.limits.max_part_bytes)
        with self.archive.open(name) as stream:
            limits = self.limits
            yield from stream_elements(stream, limits, limits.max_part_elements, name, limits.max_depth)

    def _ends(self, name):
        for event, element, depth in self._part(name):
            if event == "end":
                yield element, depth

    def locate(self):
        """The workbook part, the shared-strings part and the date-1904 flag, as openpyxl finds them."""
        overrides, defaults = {}, set()
        for element, _depth in self._ends(CONTENT_TYPES):
            kind = local(element.tag)
            if kind == "Override":
                overrides.setdefault(element.get("ContentType"), element.get("PartName", "").lstrip("/"))
            elif kind == "Default":
                defaults.add(element.get("ContentType"))
        workbook = next((overrides[kind] for kind in WORKBOOK_TYPES if overrides.get(kind)), None)
        if workbook is None and defaults & set(WORKBOOK_TYPES):
            workbook = "xl/workbook.xml"
        if workbook is None or workbook not in self.sizes:
            raise Refused("not_xlsx")
        self.workbook_path = workbook
        self.shared_strings_path = overrides.get(SHARED_STRINGS_TYPE)

    def active_sheet(self):
        """The sheet Excel opens on (workbookView activeTab), else the first worksheet; its part name."""
        folder, base = posixpath.split(self.workbook_path)
        targets = {}
        for element, _depth in self._ends(posixpath.join(folder, "_rels", base + ".rels")):
            if local(element.tag) == "Relationship":
                target = element.get("Target", "")
                target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
                targets[element.get("Id")] = (target, element.get("Type", ""))
        sheets, active, self.epoch_1904 = [], None, False
        for element, _depth in self._ends(self.workbook_path):
            kind = local(element.tag)
            if kind == "workbookPr":
                self.epoch_1904 = element.get("date1904", "").lower() in {"1", "true"}
            elif kind == "workbookView" and active is None:  # the first view is the one Excel opens
                active = _integer(element.get("activeTab", "0"))
            elif kind == "sheet":
                rel = next((value for key, value in element.attrib.items() if local(key) == "id"), None)
                target, rel_type = targets.get(rel, (None, ""))
                if target in self.sizes:  # openpyxl skips sheets whose part is missing
                    sheets.append((target, "chartsheet" not in rel_type))
        active = active or 0
        if 0 <= active < len(sheets) and sheets[active][1]:
            return sheets[active][0]
        worksheets = [target for target, is_worksheet in sheets if is_worksheet]
        if not worksheets:
            raise Refused("not_xlsx")
        return worksheets[0]

    def date_styles(self):
        """The cell styles (indexes of cellXfs) whose number format shows a date, and those showing a duration."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

        custom, formats, in_cell_xfs = {}, [], False
        for event, element, depth in self._part(STYLES):
            kind = local(element.tag)
            if kind == "cellXfs" and depth == 2:
                in_cell_xfs = event == "start"
            elif event == "end" and kind == "numFmt":
                custom[_integer(element.get("numFmtId", "0"))] = element.get("formatCode")
            elif event == "end" and kind == "xf" and in_cell_xfs and depth == 3:
                formats.append(_integer(element.get("numFmtId", "0")))
        dates, durations = set(), set()
        for index, number_format in enumerate(formats):
            code = custom.get(number_format) or BUILTIN_FORMATS.get(number_format)
            if is_date_format(code):
                dates.add(index)
            if is_timedelta_format(code):
                durations.add(index)
        return dates, durations

    def shared_strings(self):
        """The shared-strings table, refused as soon as it declares or holds more than the limits allow."""
        name, limits = self.shared_strings_path, self.limits
        if not name or name not in self.sizes:
            return []
        if self.sizes[name] > limits.max_shared_strings_bytes:
            raise Refused("strings_bytes", size=self.sizes[name], max=limits.max_shared_strings_bytes)
        strings, characters = [], 0
        budget = limits.max_shared_strings * 8 + 16  # elements: an item is <si><t/></si>, rich text a few more
        with self.archive.open(name) as stream:
            for event, element, depth in stream_elements(stream, limits, budget, name, 2):
                if depth == 1 and event == "start":
                    for attribute in ("uniqueCount", "count"):
                        declared = _integer(element.get(attribute, "0"))
                        if declared > limits.max_shared_strings:
                            raise Refused("strings_count", count=declared, max=limits.max_shared_strings)
                elif depth == 2 and event == "end":
                    if local(element.tag) == "si":
                        text = text_of(element).replace("x005F_", "")
                        strings.append(text)
                        characters += len(text)
                        if len(strings) > limits.max_shared_strings:
                            raise Refused("strings_count", count=len(strings), max=limits.max_shared_strings)
                        if characters > limits.max_shared_string_chars:
                            raise Refused("strings_chars", max=limits.max_shared_string_chars)
        return strings


def _integer(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        raise Refused("not_xlsx") from None


# The sheet, streamed ----------------------------------------------------------------------------------

COLUMN_LETTERS = re.compile(r"\$?([A-Za-z]{1,3})")
REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?$")


def column_number(letters):
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def plain(value):
    """A value JSON can carry, with dates as the import's text for them (catalogue/imports/rows.py _text)."""
    if isinstance(value, datetime) and value.time() == time.min:
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (time, timedelta)):
        return str(value)
    return value


class SheetReader:
    """Rows of one worksheet, each a list of at most max_columns values, the way openpyxl's read-only
    reader yields them (a missing row comes back empty, a cell without a reference follows the last)."""

    def __init__(self, workbook, strings, limits):
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH

        self.strings, self.limits = strings, limits
        self.dates, self.durations = workbook.date_styles()
        self.epoch = CALENDAR_MAC_1904 if workbook.epoch_1904 else WINDOWS_EPOCH
        self.characters = 0

    def cell(self, element, row_number, column):
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        kind = element.get("t", "n")
        if kind == "inlineStr":
            inline = next((child for child in element if local(child.tag) == "is"), None)
            value = text_of(inline) if inline is not None else None
        else:
            value = next((child.text for child in element if local(child.tag) == "v"), None) or None
            if value is None:
                return None
            if kind == "n":
                value = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
                style = _integer(element.get("s") or "0")
                if style in self.dates:
                    try:
                        value = from_excel(value, self.epoch, timedelta=style in self.durations)
                    except (OverflowError, ValueError):
                        value = "#VALUE!"
            elif kind == "s":
                index = int(value)
                if not 0 <= index < len(self.strings):
                    raise Refused("not_xlsx")
                value = self.strings[index]
            elif kind == "b":
                value = bool(int(value))
            elif kind == "d":
                value = from_ISO8601(value)
        value = plain(value)
        if isinstance(value, str):
            if len(value) > self.limits.max_cell_chars:
                raise Refused("cell_chars", row=row_number, column=column, max=self.limits.max_cell_chars)
            self.characters += len(value)
            if self.characters > self.limits.max_text_chars:
                raise Refused("text_chars", max=self.limits.max_text_chars)
        return value

    def rows(self, stream, part):
        limits = self.limits
        out, truncated = [], False
        next_row = 1  # openpyxl fills the rows a sheet skips with empty ones
        row_number, column, cells, count, sheet_data = 0, 0, None, 0, None
        for event, element, depth in stream_elements(stream, limits, limits.max_sheet_elements, part, 4):
            kind = local(element.tag)
            if event == "start":
                if depth == 2 and kind == "sheetData":
                    sheet_data = element
                elif depth == 3 and kind == "row" and sheet_data is not None:
                    row_number = self._row_number(element.get("r"), row_number)
                    column, cells, count = 0, {}, 0
                elif depth == 2 and kind == "dimension":
                    self._check_dimension(element.get("ref", ""))
                continue
            if depth == 4 and cells is not None:
                count += 1  # every element in a row counts, cells or not
                if count > limits.max_row_cells:
                    raise Refused("row_cells", row=row_number, max=limits.max_row_cells)
                if kind != "c":
                    continue
                reference = element.get("r")
                column = self._column(reference) if reference else column + 1
                if column <= limits.max_columns:
                    value = self.cell(element, row_number, column)
                    if value is not None:
                        cells[column] = value
            elif depth == 3 and kind == "row" and cells is not None:
                if row_number >= next_row:
                    while next_row < row_number and len(out) <= limits.max_rows:
                        out.append([])
                        next_row += 1
                    if len(out) <= limits.max_rows:
                        width = max(cells, default=0)
                        out.append([cells.get(position) for position in range(1, width + 1)])
                        next_row += 1
                cells = None
                if len(out) > limits.max_rows:
                    truncated = True
                    break
            elif depth == 2 and kind == "sheetData":
                break
        return out[: limits.max_rows], truncated

    @staticmethod
    def _row_number(text, previous):
        if text is None:
            number = previous + 1
        else:
            try:
                number = int(text)
            except ValueError:
                try:
                    value = float(text)
                except ValueError:
                    raise Refused("not_xlsx") from None
                if not value.is_integer():
                    raise Refused("not_xlsx")
                number = int(value)
        if not 1 <= number <= EXCEL_MAX_ROW:
            raise Refused("grid", reference=str(text)[:20])
        return number

    @staticmethod
    def _column(reference):
        match = COLUMN_LETTERS.match(reference)
        if not match:
            raise Refused("not_xlsx")
        number = column_number(match.group(1))
        if number > EXCEL_MAX_COLUMN:
            raise Refused("grid", reference=reference[:20])
        return number

    @staticmethod
    def _check_dimension(ref):
        """A declared range outside Excel's grid (columns past XFD, rows past 1,048,576) is not a real sheet."""
        match = REFERENCE.match(ref.strip())
        if not match:
            return  # openpyxl ignores a dimension it cannot read; so do we
        first, first_row, last, last_row = match.groups()
        for letters, row in ((first, first_row), (last or first, last_row or first_row)):
            if column_number(letters) > EXCEL_MAX_COLUMN or not 1 <= int(row) <= EXCEL_MAX_ROW:
                raise Refused("grid", reference=ref[:40])


def read_xlsx(path, limits):
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Refused("not_xlsx") from None
    with archive:
        workbook = Workbook(archive, limits)
        workbook.locate()
        sheet = workbook.active_sheet()
        reader = SheetReader(workbook, workbook.shared_strings(), limits)
        with archive.open(sheet) as stream:
            rows, truncated = reader.rows(stream, sheet)
    return {"rows": rows, "truncated": truncated, "encoding": ""}


# CSV -------------------------------------------------------------------------------------------------

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
ENCODING_SAMPLE_BYTES = 64 * 1024


def guess_encoding(sample):
    """UTF-8 (with or without BOM) when the first bytes decode as UTF-8, else GB18030 (what Chinese Excel saves)."""
    if b"\x00" in sample:
        raise Refused("not_text")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def read_csv(path, limits):
    with open(path, "rb") as handle:
        encoding = guess_encoding(handle.read(ENCODING_SAMPLE_BYTES))
        handle.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        out, characters, truncated = [], 0, False
        record_bytes = [0]  # bytes of the record being read; reset after each record

        def lines():
            while True:
                raw = handle.readline(limits.max_csv_record_bytes + 1)
                if not raw:
                    tail = decoder.decode(b"", final=True)
                    if tail:
                        yield tail
                    return
                record_bytes[0] += len(raw)
                if record_bytes[0] > limits.max_csv_record_bytes:
                    raise Refused("csv_record", row=len(out) + 1, max=limits.max_csv_record_bytes)
                yield decoder.decode(raw)

        try:
            for record in csv.reader(lines()):
                record_bytes[0] = 0
                for value in record:
                    if CONTROL_CHARACTERS.search(value):
                        raise Refused("not_text")
                kept = record[: limits.max_columns]
                characters += sum(len(value) for value in kept)
                if characters > limits.max_text_chars:
                    raise Refused("text_chars", max=limits.max_text_chars)
                if len(out) >= limits.max_rows:
                    truncated = True
                    break
                out.append(kept)
        except UnicodeDecodeError:
            raise Refused("csv_encoding") from None
        except csv.Error as error:
            raise Refused("csv_error", error=str(error)[:200]) from None
    return {"rows": out, "truncated": truncated, "encoding": encoding}


# The child's entry point --------------------------------------------------------------------------------


def run(job):
    """Read job["path"] as job["format"] within job["limits"]; the answer the parent reads."""
    known = {field.name for field in fields(Limits)}
    limits = Limits(**{key: value for key, value in job.get("limits", {}).items() if key in known})
    reader = read_xlsx if job["format"] == "xlsx" else read_csv
    try:
        return reader(job["path"], limits)
    except Refused as refused:
        return {"refused": refused.code, "params": refused.params}
    except MemoryError:
        return {"refused": "memory"}
    except RecursionError:
        return {"refused": "depth", "params": {"part": "", "max": limits.max_depth}}
    except (ParseError, zipfile.BadZipFile, zlib.error, LookupError, ValueError, OSError, EOFError, RuntimeError):
        # A damaged or foreign file fails in many ways (an encrypted or oddly compressed member raises a
        # RuntimeError or one of its subclasses); for the clerk they all mean the same.
        return {"refused": "not_xlsx" if job["format"] == "xlsx" else "not_text"}


def peak_memory_kb():
    """This process's own high-water resident memory (VmHWM; ru_maxrss would include the parent's, from the fork)."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        return None


def main(argv):
    job = json.loads(argv[1])
    limit_this_process(job["memory_mb"], job["cpu_seconds"])
    answer = run(job)
    answer["peak_kb"] = peak_memory_kb()
    try:
        output = json.dumps(answer, ensure_ascii=False).encode("utf-8", "surrogatepass")
    except MemoryError:
        output = b'{"refused": "memory"}'
    sys.stdout.buffer.write(output)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

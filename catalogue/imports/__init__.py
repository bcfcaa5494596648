"""Reading catalogue items from a spreadsheet (XLSX or CSV) in the official column order, and checking them.

Most of the catalogue lives in Excel before it lives here, so a clerk uploads
the official table (DOMAIN.md §8: 序号 · 编码 · 一级 · 二级 · 三级 · 事项名称 ·
服务内容 · 购买主体 · 承接主体要求 · 购买方式 · 试点 · 备注) with two optional
extra columns, 预算（元） and 绩效评价标准. The columns, which of them a file must
have and the other headers each goes by are the exports' own
(catalogue/exports/columns.py), so an exported table imports back. Columns are
found by their header, so their order does not matter, and a title row above
the header is skipped; template.py writes the blank template.

Two steps, no Django admin code, one module each:

- reading.py: `read_table(upload)` checks the file itself: its size, that it is an XLSX
  or CSV at all, the required columns, and the row limit. The file is parsed
  in a child process with its own memory and CPU limits and a timeout
  (isolation.py runs extract.py), which streams both formats with hard limits
  (shared strings, cells per row, nesting, one row past settings.IMPORT_MAX_ROWS)
  and returns plain rows, so a hostile file is refused within seconds and
  cannot take the worker down. Any of these refusals raises
  `SpreadsheetRefused` with one Chinese message.
- rows.py: `validate(table, edition, user)` turns each row into an `ImportRow` and
  collects a `RowError` (row number as Excel shows it, column header,
  Chinese message) for every bad cell of every row. `check_rows` holds the
  rules that depend on the database at the moment of writing (leaf category,
  bodies in the user's scope and the edition's region, codes unique in the
  edition and the file); catalogue/services/imports.py calls it again under
  the edition's lock before anything is written. In the "update by 编码" mode
  (`Mode.UPDATE`) `match_existing` pairs rows with the edition's items and lists,
  field by field, what each would change; a column the file lacks keeps the
  item's value and is named in the preview. The blank template's example row
  (序号 “示例”) is skipped.

Why openpyxl and csv rather than django-import-export: import-export loads the
whole file into a tablib Dataset before any hook runs (no way to stop at the
row limit), keeps the upload in a temporary file between preview and confirm,
reports errors per model field rather than per spreadsheet column, and its
bulk mode skips many-to-many fields (购买主体) while its row-by-row mode costs
several queries per row. Reading the rows directly keeps each requirement a
few plain lines.
"""

from .reading import (
    BLANK_ROW_ALLOWANCE,
    COLUMN_LABELS,
    COLUMNS,
    SheetTable,
    SpreadsheetRefused,
    max_bytes,
    max_rows,
    read_table,
    template_header,
)
from .rows import (
    EXAMPLE_MARK,
    ImportRejected,
    ImportRow,
    Lookups,
    Mode,
    RowError,
    Validation,
    assign_codes,
    check_rows,
    match_existing,
    validate,
)

__all__ = [
    "BLANK_ROW_ALLOWANCE",
    "EXAMPLE_MARK",
    "COLUMNS",
    "COLUMN_LABELS",
    "ImportRejected",
    "ImportRow",
    "Lookups",
    "Mode",
    "RowError",
    "SheetTable",
    "SpreadsheetRefused",
    "Validation",
    "assign_codes",
    "check_rows",
    "match_existing",
    "max_bytes",
    "max_rows",
    "read_table",
    "template_header",
    "validate",
]

"""Exports of the public data: the official catalogue table, the provider directory, evaluation results.

One module per subject; writers.py holds what they share, columns.py the official table's columns.
The names below are the ones views, the import and the tests use.
"""

from .columns import COLUMNS, EXPORT_COLUMNS, header
from .evaluations import EVALUATION_COLUMNS, write_evaluations
from .items import (
    edition_csv_bytes,
    edition_payload,
    edition_xlsx_bytes,
    filename,
    group_by_area,
    table_rows,
    title_block,
    write_csv,
    write_json,
    write_xlsx,
)
from .providers import PROVIDER_COLUMNS, write_providers
from .writers import FORMATS, FORMULA_STARTS, Column, csv_bytes, csv_response, json_bytes, json_response, xlsx_response

__all__ = [
    "COLUMNS",
    "EVALUATION_COLUMNS",
    "EXPORT_COLUMNS",
    "FORMATS",
    "FORMULA_STARTS",
    "PROVIDER_COLUMNS",
    "Column",
    "csv_bytes",
    "csv_response",
    "edition_csv_bytes",
    "edition_payload",
    "edition_xlsx_bytes",
    "filename",
    "group_by_area",
    "header",
    "json_bytes",
    "json_response",
    "table_rows",
    "title_block",
    "write_csv",
    "write_evaluations",
    "write_json",
    "write_providers",
    "write_xlsx",
    "xlsx_response",
]

"""导出所选（Excel）: one bulk action, on every changelist of the admin site.

The rows are the ones the changelist hands the action, so they are already the user's scope
(Django filters the selected ids through the admin's get_queryset). The columns are the
changelist's own (list_display), unless an admin says otherwise with `get_export_columns` —
the item admin exports the official table's columns (catalogue/exports.py).
"""

import io
import re
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

from django.contrib import admin, messages
from django.contrib.admin.utils import label_for_field, lookup_field
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.exports import FORMULA_STARTS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Control characters an XLSX cell may not hold (openpyxl refuses them).
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell_value(value):
    """A value a spreadsheet shows as it is: text never runs as a formula, HTML is stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, Decimal, date)):
        return value
    text = ILLEGAL_CHARACTERS.sub("", strip_tags(str(value)))
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return text


def list_display_columns(modeladmin, request):
    """(label, getter) per changelist column, read the way the changelist reads them."""
    columns = []
    for name in modeladmin.get_list_display(request):
        if name == "action_checkbox":
            continue
        label = label_for_field(name, modeladmin.model, model_admin=modeladmin)

        def getter(obj, name=name):
            field, _attr, value = lookup_field(name, obj, modeladmin)
            if field is not None and getattr(field, "flatchoices", None):
                return dict(field.flatchoices).get(value, value)
            if isinstance(field, models.ForeignKey) or isinstance(value, models.Model):
                return str(value) if value is not None else ""
            return value

        columns.append((label, getter))
    return columns


def write_workbook(title, columns, rows):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", "", str(title))[:31] or "export"
    sheet.append([str(label) for label, _getter in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for obj in rows:
        sheet.append([cell_value(getter(obj)) for _label, getter in columns])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.data_type == "f":
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@admin.action(description=_("导出所选（Excel）"), permissions=["view"])
def export_selected_xlsx(modeladmin, request, queryset):
    if not queryset.exists():
        modeladmin.message_user(request, gettext("没有可导出的记录。"), messages.WARNING)
        return None
    columns_for = getattr(modeladmin, "get_export_columns", None)
    columns = columns_for(request) if columns_for else list_display_columns(modeladmin, request)
    prepare = getattr(modeladmin, "get_export_queryset", None)
    rows = prepare(request, queryset) if prepare else queryset
    opts = modeladmin.model._meta
    content = write_workbook(opts.verbose_name_plural, columns, rows)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    ascii_name = f"{opts.model_name}-{stamp}.xlsx"
    chinese = f"{opts.verbose_name_plural}-{stamp}.xlsx"
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(chinese)}"
    return response

"""导出所选（Excel）: one bulk action, on every changelist of the admin site.

The rows are the ones the changelist hands the action, so they are already the user's scope
(Django filters the selected ids through the admin's get_queryset). The columns are the
changelist's own (list_display), unless an admin says otherwise with `get_export_columns` —
the item admin exports the official table's columns. The sheet is written by the exports'
writer (catalogue/exports/writers.py), with its guard against formulas.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import label_for_field, lookup_field
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.exports.writers import labelled_columns, xlsx_response


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
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    names = (f"{opts.model_name}-{stamp}.xlsx", f"{opts.verbose_name_plural}-{stamp}.xlsx")
    return xlsx_response(labelled_columns(columns), rows, opts.verbose_name_plural, names)

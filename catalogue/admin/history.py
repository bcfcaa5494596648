"""The history pages (django-simple-history) in the clerks' language.

simple_history shows a change as the stored values: a status as DRAFT → PUBLISHED, an empty field as
None, a budget as 150000.00, a many-to-many field as a Python list. Here every value is shown as the
admin's forms show it: a choice by its label (草稿 → 已发布), 是/否, （空）, amounts as 150,000.00, dates
as 2016-03-01, related records by name. The template (templates/simple_history/object_history_list.html)
names who did it by office (catalogue.models.staff.office_of), not by login name.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.template_utils import HistoricalRecordContextHelper


def shown_value(field, value):
    """One stored value of `field` as a clerk reads it."""
    if isinstance(field, models.ManyToManyField):
        names = [str(obj) for obj in value or ()]
        return "、".join(names) if names else gettext("（空）")
    if value is None or value == "":
        return gettext("（空）")
    if getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, Decimal) and isinstance(field, models.DecimalField) and field.decimal_places == 2:
        return f"{value:,.2f}"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class ClerkHistoryContext(HistoricalRecordContextHelper):
    """simple_history's formatting of a change, with shown_value() for both sides."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            value = super().prepare_delta_change_value(change, value)
        return shown_value(field, value)

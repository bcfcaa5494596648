"""Amounts in 元 as a clerk reads them on admin pages: 150,000.00, not 150000.00.

Django shows a DecimalField as number_format() gives it, grouped only when USE_THOUSAND_SEPARATOR is
on, which would also print the year 2016 as 2,016. So the admins that show amounts (budgets, planned
budgets, contract values) read each such field through a column of their own — in the changelist,
and on a change form the user may only read (a published edition's item, a submitted pilot item, a
contract behind a published evaluation, a version in the history) — and the field stays itself
wherever it is edited. The exports keep plain numbers for machines.
"""

from django.contrib import admin
from django.db import models

from catalogue.templatetags.catalogue_tags import grouped

# Scores are DecimalFields too (at most 100.00, max_digits 5): only larger fields are amounts.
MIN_AMOUNT_DIGITS = 6


def _amount_column(model_admin, field):
    @admin.display(description=field.verbose_name, ordering=field.name)
    def show(obj):
        value = getattr(obj, field.name)
        return model_admin.get_empty_value_display() if value is None else grouped(value)

    return show


class AmountsMixin:
    """Reads each amount field of the model (a DecimalField in 元) through `<name>_amount`, grouped."""

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.amount_columns = {}
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DecimalField) and field.decimal_places == 2 and field.max_digits >= MIN_AMOUNT_DIGITS:
                self.amount_columns[field.name] = f"{field.name}_amount"
                setattr(self, f"{field.name}_amount", _amount_column(self, field))

    def _amount(self, name):
        if isinstance(name, (list, tuple)):
            return type(name)(self._amount(part) for part in name)
        return self.amount_columns.get(name, name) if isinstance(name, str) else name

    def get_list_display(self, request):
        return [self._amount(name) for name in super().get_list_display(request)]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        read_only = obj is not None and (
            getattr(request, "_catalogue_history_read_only", False) or not self.has_change_permission(request, obj)
        )
        if not read_only or not self.amount_columns:
            return fieldsets
        return [(title, {**options, "fields": self._amount(list(options["fields"]))}) for title, options in fieldsets]

"""Admin operations that call a service: a page per object, a bulk action per changelist.

An Operation is data: its label, the form it asks (catalogue/forms/), the service call, who may
see it and in which states its button shows. `OperationsAdminMixin` turns a ModelAdmin's
`operations` into
- a URL per object, <pk>/do/<name>/: GET shows the form (or a confirmation), POST runs the service;
- a button per allowed operation on the change page (templates/admin/catalogue/operation_buttons.html);
- a bulk action per operation on the changelist, run per selected row, reporting each failure.

The pages themselves (the form, running the service, turning a refusal into a message) are views:
catalogue/views/staff/operations.py. The services check rights and states and lock the rows.
"""

from dataclasses import dataclass
from functools import partial
from typing import Callable

from django.contrib.admin.utils import unquote
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.forms import OperationForm
from catalogue.scopes import Scope
from catalogue.views.staff.operations import operation_view, run_bulk


@dataclass(frozen=True)
class Operation:
    name: str  # URL segment, and the bulk action is f"do_{name}"
    label: str  # the button: 发布, 退回 …
    role_allows: Callable  # (scope) -> bool: may this role do it at all (shows the button/action)
    # The service, called as service(obj, by=user, **cleaned_data); or `run(obj, user, **cleaned_data)` where the
    # call has another shape. Either returns the object to show afterwards.
    service: Callable = None
    run: Callable = None
    state_allows: Callable = lambda obj: True  # (obj) -> bool: does the button show in this state
    form_class: type = OperationForm
    initial: Callable = lambda obj: {}
    explanation: str = ""  # shown above the form
    done: str = _("已完成“%(operation)s”：%(object)s。")
    bulk: bool = True  # offered as a bulk action too
    single_only: bool = False  # the bulk action takes exactly one row (publishing asks one 文号)
    button_class: str = ""
    # The bulk action's label when "<label>所选<name>" would not be Chinese (为所选目录编制下一年度目录).
    bulk_label: str = ""
    # Shown above the form for one object: a template and the context it needs (what publishing changes).
    summary_template: str = ""
    summary: Callable = lambda obj: {}

    @classmethod
    def step(cls, lifecycle, action, **declared):
        """A lifecycle's step (catalogue/models/lifecycles.py) as a button and a bulk action: named and labelled
        as the step (a TextChoices action), shown in the states the table lets it start from (the service checks
        the state and the role again, under its lock)."""
        return cls(name=action, label=action.label, state_allows=lifecycle.state_allows(action), **declared)

    def perform(self, obj, user, **arguments):
        if self.run is not None:
            return self.run(obj, user, **arguments)
        return self.service(obj, by=user, **arguments)

    @property
    def asks_input(self):
        return bool(self.form_class.base_fields) and any(f.required for f in self.form_class.base_fields.values())


class OperationsAdminMixin:
    operations: tuple = ()

    # URLs and buttons ---------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        own = [
            path(
                "<path:object_id>/do/<slug:name>/",
                self.admin_site.admin_view(partial(operation_view, model_admin=self)),
                name="%s_%s_operation" % info,
            )
        ]
        return own + super().get_urls()

    def operation_url(self, obj, operation):
        info = self.opts.app_label, self.opts.model_name
        return reverse(f"admin:{info[0]}_{info[1]}_operation", args=[obj.pk, operation.name])

    def get_operation(self, name):
        for operation in self.operations:
            if operation.name == name:
                return operation
        return None

    def role_allows(self, request, operation):
        return operation.role_allows(Scope.of(request.user))

    def available_operations(self, request, obj):
        """The buttons the change page shows: the role may, the state allows."""
        return [
            {"label": operation.label, "url": self.operation_url(obj, operation), "class": operation.button_class}
            for operation in self.operations
            if self.role_allows(request, operation) and operation.state_allows(obj)
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_view_or_change_permission(request, obj):
            extra_context["operation_buttons"] = self.available_operations(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    # Bulk actions -------------------------------------------------------------------------------

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not actions:  # a popup, or an admin without actions
            return actions
        for operation in self.operations:
            if operation.bulk and self.role_allows(request, operation):
                name = f"do_{operation.name}"
                label = operation.bulk_label or gettext("%(operation)s所选%(name)s") % {
                    "operation": operation.label,
                    "name": self.opts.verbose_name,
                }
                actions[name] = (self._bulk_action(operation), name, label)
        return actions

    def _bulk_action(self, operation):
        def action(modeladmin, request, queryset):
            return run_bulk(request, modeladmin, queryset, operation)

        return action

"""Admin operations that call a service: a page per object, a bulk action per changelist.

An Operation is data: its label, the form it asks (catalogue/forms.py), the service call, who may
see it and in which states its button shows. `OperationsAdminMixin` turns a ModelAdmin's
`operations` into
- a URL per object, <pk>/do/<name>/: GET shows the form (or a confirmation), POST runs the service;
- a button per allowed operation on the change page (templates/admin/catalogue/operation_buttons.html);
- a bulk action per operation on the changelist, run per selected row, reporting each failure.

The services check rights and states and lock the rows; here PermissionDenied becomes a 403 page
and a ValidationError becomes a message (or errors on the form's fields), with nothing changed.
"""

from dataclasses import dataclass
from typing import Callable

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.forms import OperationForm

from .base import service_message


@dataclass(frozen=True)
class Operation:
    name: str  # URL segment, and the bulk action is f"do_{name}"
    label: str  # the button: 发布, 退回 …
    run: Callable  # (obj, user, **cleaned_data) -> the object to show afterwards
    role_allows: Callable  # (scope) -> bool: may this role do it at all (shows the button/action)
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

    @property
    def asks_input(self):
        return bool(self.form_class.base_fields) and any(f.required for f in self.form_class.base_fields.values())


class OperationsAdminMixin:
    operations: tuple = ()
    operation_template = "admin/catalogue/operation.html"

    # URLs and buttons ---------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        own = [
            path(
                "<path:object_id>/do/<slug:name>/",
                self.admin_site.admin_view(self.operation_view),
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
        from catalogue.scopes import Scope

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

    # One object ---------------------------------------------------------------------------------

    def operation_view(self, request, object_id, name):
        operation = self.get_operation(name)
        obj = self.get_object(request, unquote(object_id))
        if operation is None or obj is None or not self.has_view_permission(request, obj):
            raise Http404(gettext("没有找到该记录，或您无权查看。"))
        if not self.role_allows(request, operation):
            raise PermissionDenied(gettext("您无权%(operation)s。") % {"operation": operation.label})
        back = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        if request.method == "POST":
            form = operation.form_class(request.POST)
            if form.is_valid():
                try:
                    result = operation.run(obj, request.user, **form.service_arguments)
                except ValidationError as error:
                    if hasattr(error, "error_dict") and set(error.error_dict) & set(form.fields):
                        form.add_service_errors(error)
                    else:
                        self.message_user(request, service_message(error), messages.ERROR)
                        return HttpResponseRedirect(back)
                else:
                    self.message_user(request, self.done_message(operation, result), messages.SUCCESS)
                    return HttpResponseRedirect(self.after_operation_url(result))
        else:
            form = operation.form_class(initial=operation.initial(obj))
        return self.render_operation(request, operation, form, [obj], cancel_url=back)

    def after_operation_url(self, result):
        opts = result._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[result.pk])

    def done_message(self, operation, result):
        return operation.done % {"operation": operation.label, "object": result}

    def render_operation(self, request, operation, form, objects, cancel_url, bulk=False):
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("%(operation)s：%(name)s")
            % {"operation": operation.label, "name": objects[0] if len(objects) == 1 else self.opts.verbose_name},
            "opts": self.opts,
            "operation": operation,
            "form": form,
            "objects": objects,
            "bulk": bulk,
            "action_name": f"do_{operation.name}",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "cancel_url": cancel_url,
            "media": self.media + form.media,
        }
        if operation.summary_template and len(objects) == 1:
            context.update(operation.summary(objects[0]), summary_template=operation.summary_template)
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.operation_template, context)

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
            return modeladmin.run_bulk(request, queryset, operation)

        return action

    def run_bulk(self, request, queryset, operation):
        """Run the operation on each selected row (the queryset is already the user's scope)."""
        objects = list(queryset)
        if not objects:
            self.message_user(request, gettext("所选记录都不在您的权限范围内，没有执行任何操作。"), messages.WARNING)
            return None
        if operation.single_only and len(objects) != 1:
            self.message_user(
                request, gettext("“%(operation)s”一次只能选择一条记录。") % {"operation": operation.label}, messages.ERROR
            )
            return None
        if operation.asks_input and "apply" not in request.POST:
            form = operation.form_class(initial=operation.initial(objects[0]) if len(objects) == 1 else {})
            return self.render_operation(request, operation, form, objects, cancel_url=request.get_full_path(), bulk=True)
        form = operation.form_class(request.POST if operation.asks_input else {})
        if not form.is_valid():
            return self.render_operation(request, operation, form, objects, cancel_url=request.get_full_path(), bulk=True)
        done, failed = [], []
        for obj in objects:
            try:
                done.append(operation.run(obj, request.user, **form.service_arguments))
            except (ValidationError, PermissionDenied) as error:
                failed.append(f"{obj}：{service_message(error)}")
        if done:
            self.message_user(
                request,
                gettext("“%(operation)s”成功 %(count)s 条：%(names)s")
                % {"operation": operation.label, "count": len(done), "names": "、".join(str(o) for o in done)},
                messages.SUCCESS,
            )
        for failure in failed:
            self.message_user(
                request, gettext("“%(operation)s”未执行：%(reason)s") % {"operation": operation.label, "reason": failure},
                messages.ERROR,
            )
        return None

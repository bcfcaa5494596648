"""The page an admin Operation opens (catalogue/admin/operations.py declares them): one object's form and the
bulk action's, which run the service and report what it did or why it refused.

The services check rights and states and lock the rows; here a ValidationError becomes errors on the form's
fields (when it names them) or a message, a PermissionDenied a 403 page, with nothing changed. A bulk action
runs the service per selected row and reports each failure; the rows are the changelist's, so the user's scope.
"""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from catalogue.services.records import service_message

TEMPLATE = "admin/catalogue/operation.html"


def _change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def operation_view(request, object_id, name, *, model_admin):
    """GET: the operation's form (or a confirmation) for one object. POST: run the service."""
    operation = model_admin.get_operation(name)
    obj = model_admin.get_object(request, unquote(object_id))
    if operation is None or obj is None or not model_admin.has_view_permission(request, obj):
        raise Http404(gettext("没有找到该记录，或您无权查看。"))
    if not model_admin.role_allows(request, operation):
        raise PermissionDenied(gettext("您无权%(operation)s。") % {"operation": operation.label})
    back = _change_url(obj)
    if request.method == "POST":
        form = operation.form_class(request.POST)
        if form.is_valid():
            try:
                result = operation.perform(obj, request.user, **form.service_arguments)
            except ValidationError as error:
                if hasattr(error, "error_dict") and set(error.error_dict) & set(form.fields):
                    form.add_service_errors(error)
                else:
                    model_admin.message_user(request, service_message(error), messages.ERROR)
                    return HttpResponseRedirect(back)
            else:
                done = operation.done % {"operation": operation.label, "object": result}
                model_admin.message_user(request, done, messages.SUCCESS)
                return HttpResponseRedirect(_change_url(result))
    else:
        form = operation.form_class(initial=operation.initial(obj))
    return render_operation(request, model_admin, operation, form, [obj], cancel_url=back)


def render_operation(request, model_admin, operation, form, objects, cancel_url, bulk=False):
    opts = model_admin.opts
    context = {
        **model_admin.admin_site.each_context(request),
        "title": gettext("%(operation)s：%(name)s")
        % {"operation": operation.label, "name": objects[0] if len(objects) == 1 else opts.verbose_name},
        "opts": opts,
        "operation": operation,
        "form": form,
        "objects": objects,
        "bulk": bulk,
        "action_name": f"do_{operation.name}",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "cancel_url": cancel_url,
        "media": model_admin.media + form.media,
    }
    if operation.summary_template and len(objects) == 1:
        context.update(operation.summary(objects[0]), summary_template=operation.summary_template)
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, TEMPLATE, context)


def run_bulk(request, model_admin, queryset, operation):
    """Run the operation on each selected row (the queryset is already the user's scope)."""
    objects = list(queryset)
    if not objects:
        model_admin.message_user(request, gettext("所选记录都不在您的权限范围内，没有执行任何操作。"), messages.WARNING)
        return None
    if operation.single_only and len(objects) != 1:
        model_admin.message_user(
            request, gettext("“%(operation)s”一次只能选择一条记录。") % {"operation": operation.label}, messages.ERROR
        )
        return None
    here = request.get_full_path()
    if operation.asks_input and "apply" not in request.POST:
        form = operation.form_class(initial=operation.initial(objects[0]) if len(objects) == 1 else {})
        return render_operation(request, model_admin, operation, form, objects, cancel_url=here, bulk=True)
    form = operation.form_class(request.POST if operation.asks_input else {})
    if not form.is_valid():
        return render_operation(request, model_admin, operation, form, objects, cancel_url=here, bulk=True)
    done, failed = [], []
    for obj in objects:
        try:
            done.append(operation.perform(obj, request.user, **form.service_arguments))
        except (ValidationError, PermissionDenied) as error:
            failed.append(f"{obj}：{service_message(error)}")
    if done:
        model_admin.message_user(
            request,
            gettext("“%(operation)s”成功 %(count)s 条：%(names)s")
            % {"operation": operation.label, "count": len(done), "names": "、".join(str(o) for o in done)},
            messages.SUCCESS,
        )
    for failure in failed:
        model_admin.message_user(
            request,
            gettext("“%(operation)s”未执行：%(reason)s") % {"operation": operation.label, "reason": failure},
            messages.ERROR,
        )
    return None

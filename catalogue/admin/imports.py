"""Importing items into a draft edition from the admin: upload → preview → confirm.

The upload is received within settings.IMPORT_MAX_BYTES (catalogue/uploads.py: a larger file is
refused while it arrives), read and checked at once (catalogue/imports/) and never kept:
the checked rows wait in the user's session under a random token until the
clerk confirms, and confirming hands them to the service
(catalogue/services/imports.py), which writes all of them or none. Only one
import waits per session; a new upload replaces it.

The routes sit under the admin's URL (procurement/urls.py includes
`urlpatterns` before admin.site.urls) and go through admin.site.admin_view, so
they need a staff login like every admin page.
"""

import io
import secrets

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from catalogue import imports
from catalogue.models import Catalogue, CatalogueItem
from catalogue.services.imports import import_items, may_import
from catalogue.uploads import limit_uploads

from .base import changelist_url

SESSION_KEY = "catalogue_import"
PREVIEW_ROWS = 50


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("目录表格文件"),
        help_text=gettext_lazy("Excel（.xlsx）或 CSV 文件，第一行（或标题行下面一行）为表头。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


def _edition_for(request, pk):
    """The edition, if the user may import into it: 404 outside their scope, 403 without the right to add items."""
    edition = get_object_or_404(Catalogue.objects.visible_to(request.user).select_related("region"), pk=pk)
    item_admin = admin.site._registry.get(CatalogueItem)
    if not may_import(request.user, edition) or (item_admin and not item_admin.has_add_permission(request)):
        raise PermissionDenied(_("您无权向该目录导入事项。"))
    return edition


def _context(request, edition, **extra):
    return {
        **admin.site.each_context(request),
        "opts": Catalogue._meta,
        "edition": edition,
        "title": _("从文件导入事项"),
        "subtitle": str(edition),
        "max_rows": imports.max_rows(),
        "max_megabytes": imports.max_bytes() // (1024 * 1024),
        "columns": imports.COLUMNS,
        "items_url": changelist_url(CatalogueItem, edition__id__exact=edition.pk),
        **extra,
    }


def _frozen_message(edition):
    if edition.is_draft:
        return ""
    return _("“%(edition)s”当前为“%(status)s”，不能再导入事项；只有草稿可以导入，如需调整请新建修订版次（动态调整）。") % {
        "edition": edition,
        "status": edition.get_status_display(),
    }


@csrf_exempt  # only so that the middleware does not read the upload first; checked below
def edition_import(request, pk):
    """GET: the upload form. POST: receive the file within IMPORT_MAX_BYTES, read and check it, preview it."""
    limit_uploads(request, imports.max_bytes())
    return _edition_import(request, pk)


@csrf_protect
def _edition_import(request, pk):
    edition = _edition_for(request, pk)
    frozen = _frozen_message(edition)
    form = UploadForm(request.POST or None, request.FILES or None) if not frozen else None
    if request.method != "POST" or frozen or not form.is_valid():
        return render(
            request, "admin/catalogue/import_upload.html", _context(request, edition, form=form, refused=frozen)
        )
    upload = form.cleaned_data["file"]
    try:
        table = imports.read_table(upload)
    except imports.SpreadsheetRefused as exc:
        return render(
            request,
            "admin/catalogue/import_upload.html",
            _context(request, edition, form=UploadForm(), refused=exc.message, filename=upload.name),
        )
    validation = imports.validate(table, edition, request.user)
    token = ""
    if validation.ok:
        token = secrets.token_urlsafe(16)
        request.session[SESSION_KEY] = {
            "token": token,
            "edition": edition.pk,
            "filename": upload.name,
            "rows": [row.to_session() for row in validation.rows],
        }
    else:
        request.session.pop(SESSION_KEY, None)
    return _preview(request, edition, validation, upload.name, token)


def _preview(request, edition, validation, filename, token="", status=200):
    by_row = validation.errors_by_row()
    shown = [(row, by_row.get(row.row, [])) for row in validation.rows[:PREVIEW_ROWS]]
    return render(
        request,
        "admin/catalogue/import_preview.html",
        _context(
            request,
            edition,
            filename=filename,
            validation=validation,
            shown=shown,
            row_count=len(validation.rows),
            hidden_count=max(len(validation.rows) - PREVIEW_ROWS, 0),
            bad_row_count=len({error.row for error in validation.errors}),
            token=token,
            form=UploadForm() if not token else None,
        ),
        status=status,
    )


@require_POST
def edition_import_confirm(request, pk):
    """Write the rows kept for this token; all of them or none."""
    edition = _edition_for(request, pk)
    pending = request.session.get(SESSION_KEY) or {}
    token = request.POST.get("token", "")
    if not token or pending.get("edition") != edition.pk or not secrets.compare_digest(pending.get("token", ""), token):
        messages.error(request, _("这次导入已失效（可能已确认过，或已上传了另一个文件），请重新上传文件。"))
        return redirect("catalogue_import:upload", pk=edition.pk)
    rows = [imports.ImportRow.from_session(data) for data in pending["rows"]]
    try:
        created = import_items(edition, rows, by=request.user)
    except imports.ImportRejected as exc:
        request.session.pop(SESSION_KEY, None)
        validation = imports.Validation(rows, exc.row_errors)
        return _preview(request, edition, validation, pending.get("filename", ""))
    except ValidationError as exc:
        request.session.pop(SESSION_KEY, None)
        for message in exc.messages:
            messages.error(request, message)
        return redirect("catalogue_import:upload", pk=edition.pk)
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        _("已从“%(file)s”导入 %(count)s 项事项到“%(edition)s”。")
        % {"file": pending.get("filename", ""), "count": len(created), "edition": edition},
    )
    return redirect(changelist_url(CatalogueItem, edition__id__exact=edition.pk))


def import_template(request):
    """A blank XLSX with the import header: the official columns, then 预算（元） and 绩效评价标准."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("目录事项")
    sheet.append(imports.template_header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="catalogue-import-template.xlsx"'
    return response


def import_url(edition):
    return reverse("catalogue_import:upload", args=[edition.pk])


app_name = "catalogue_import"
urlpatterns = [
    path("<int:pk>/import/", admin.site.admin_view(edition_import), name="upload"),
    path("<int:pk>/import/confirm/", admin.site.admin_view(edition_import_confirm), name="confirm"),
    path("import-template.xlsx", admin.site.admin_view(import_template), name="template"),
]

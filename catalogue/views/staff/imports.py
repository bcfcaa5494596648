"""Importing items into a draft edition: upload → preview → confirm, and the blank template.

The upload is received within settings.IMPORT_MAX_BYTES (catalogue/uploads.py: a larger file is
refused while it arrives), read and checked at once (catalogue/imports/) and never kept:
the checked rows wait in the user's session under a random token until the
clerk confirms, and confirming hands them to the service
(catalogue/services/imports.py), which writes all of them or none. Only one
import waits per session; a new upload replaces it.

The routes are the edition admin's own (catalogue/admin/imports.py's import_urls, which
CatalogueAdmin.get_urls includes under the namespace admin:catalogue_import) and go through
admin_site.admin_view, so they need a staff login like every admin page.
"""

import secrets

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from catalogue import imports
from catalogue.exports.writers import xlsx_file_response
from catalogue.forms.imports import UploadForm
from catalogue.imports.template import instructions, template_bytes
from catalogue.models import Catalogue, CatalogueItem
from catalogue.permissions import IMPORT, may_act_on
from catalogue.services.imports import import_items
from catalogue.staff_links import changelist_url
from catalogue.uploads import limit_uploads

SESSION_KEY = "catalogue_import"
PREVIEW_ROWS = 50
# Changed rows listed field by field in the preview (UPDATE mode); the rest are counted.
CHANGES_SHOWN = 200


def _edition_for(request, pk):
    """The edition, if the user may import into it: 404 outside their scope, 403 without the right to add items."""
    edition = get_object_or_404(Catalogue.objects.visible_to(request.user).select_related("region"), pk=pk)
    item_admin = admin.site.get_model_admin(CatalogueItem)
    if not may_act_on(request.user, edition, IMPORT) or not item_admin.has_add_permission(request):
        raise PermissionDenied(_("您无权向该目录导入事项。"))
    return edition


def _items_url(edition):
    """The item changelist filtered to the edition, where the clerk lands after an import."""
    return changelist_url(CatalogueItem, edition__id__exact=edition.pk)


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
        "instructions": instructions(),
        "items_url": _items_url(edition),
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
    mode = form.cleaned_data["mode"]
    validation = imports.validate(table, edition, request.user, mode=mode)
    token = ""
    if validation.ok and validation.rows and (validation.new_count or validation.changed_count):
        token = secrets.token_urlsafe(16)
        request.session[SESSION_KEY] = {
            "token": token,
            "edition": edition.pk,
            "filename": upload.name,
            "mode": mode,
            "columns": validation.columns,
            "rows": [row.to_session() for row in validation.rows],
        }
    else:
        request.session.pop(SESSION_KEY, None)
    return _preview(request, edition, validation, upload.name, token)


def _preview(request, edition, validation, filename, token="", status=200):
    by_row = validation.errors_by_row()
    shown = [(row, by_row.get(row.row, [])) for row in validation.rows[:PREVIEW_ROWS]]
    changed = validation.changed_rows
    return render(
        request,
        "admin/catalogue/import_preview.html",
        _context(
            request,
            edition,
            filename=filename,
            validation=validation,
            updating=validation.mode == imports.Mode.UPDATE,
            shown=shown,
            row_count=len(validation.rows),
            hidden_count=max(len(validation.rows) - PREVIEW_ROWS, 0),
            changed_shown=changed[:CHANGES_SHOWN],
            changed_hidden=max(len(changed) - CHANGES_SHOWN, 0),
            remarks=[(row.row, remark) for row in validation.rows for remark in row.remarks],
            nothing_to_do=validation.ok and not (validation.new_count or validation.changed_count),
            bad_row_count=len({error.row for error in validation.errors}),
            token=token,
            form=UploadForm(initial={"mode": validation.mode}) if not token else None,
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
        return redirect("admin:catalogue_import:upload", pk=edition.pk)
    rows = [imports.ImportRow.from_session(data) for data in pending["rows"]]
    mode = pending.get("mode", imports.Mode.ADD)
    columns = pending.get("columns")
    try:
        result = import_items(edition, rows, by=request.user, mode=mode, columns=columns)
    except imports.ImportRejected as exc:
        request.session.pop(SESSION_KEY, None)
        validation = imports.Validation(rows, exc.row_errors, mode=mode, columns=columns or [])
        return _preview(request, edition, validation, pending.get("filename", ""))
    except ValidationError as exc:
        request.session.pop(SESSION_KEY, None)
        for message in exc.messages:
            messages.error(request, message)
        return redirect("admin:catalogue_import:upload", pk=edition.pk)
    request.session.pop(SESSION_KEY, None)
    if mode == imports.Mode.UPDATE:
        messages.success(
            request,
            _("已按“%(file)s”更新“%(edition)s”：新增 %(created)s 项，修改 %(updated)s 项，%(unchanged)s 项没有变化。")
            % {
                "file": pending.get("filename", ""),
                "edition": edition,
                "created": len(result.created),
                "updated": len(result.updated),
                "unchanged": result.unchanged,
            },
        )
    else:
        messages.success(
            request,
            _("已从“%(file)s”导入 %(count)s 项事项到“%(edition)s”。")
            % {"file": pending.get("filename", ""), "count": len(result.created), "edition": edition},
        )
    return redirect(_items_url(edition))


def import_template(request):
    """The import template (catalogue/imports/template.py) with every body the user may choose."""
    name = "catalogue-import-template.xlsx"
    return xlsx_file_response(template_bytes(request.user), (name, name))


def edition_import_template(request, pk):
    """The import template for one edition: the bodies of its region the user may choose."""
    edition = _edition_for(request, pk)
    name = f"catalogue-import-template-{edition.region.code or edition.region.slug}-{edition.year}.xlsx"
    return xlsx_file_response(template_bytes(request.user, edition.region), (name, name))

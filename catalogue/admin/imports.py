"""Importing items into a draft edition from the admin: upload → preview → confirm.

The upload is received within settings.IMPORT_MAX_BYTES (catalogue/uploads.py: a larger file is
refused while it arrives), read and checked at once (catalogue/imports/) and never kept:
the checked rows wait in the user's session under a random token until the
clerk confirms, and confirming hands them to the service
(catalogue/services/imports.py), which writes all of them or none. Only one
import waits per session; a new upload replaces it.

The routes are the edition admin's own (CatalogueAdmin.get_urls includes import_urls() under the
namespace admin:catalogue_import) and go through admin_site.admin_view, so they need a staff login
like every admin page.
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
from catalogue.models import Catalogue, CatalogueItem, ProcurementMethod, PurchasingBody, ServiceCategory
from catalogue.permissions import IMPORT, may_act_on
from catalogue.services.imports import import_items
from catalogue.uploads import limit_uploads

from .base import changelist_url

SESSION_KEY = "catalogue_import"
PREVIEW_ROWS = 50
# Changed rows listed field by field in the preview (UPDATE mode); the rest are counted.
CHANGES_SHOWN = 200


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("目录表格文件"),
        help_text=gettext_lazy("Excel（.xlsx）或 CSV 文件，第一行（或标题行下面一行）为表头。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("导入方式"),
        choices=[
            (imports.Mode.ADD, gettext_lazy("全部作为新事项添加（编码不能与本目录已有事项重复）")),
            (imports.Mode.UPDATE, gettext_lazy("按编码更新：编码与本目录已有事项相同的行修改该事项，其余行作为新事项添加")),
        ],
        initial=imports.Mode.ADD,
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_mode(self):
        return self.cleaned_data.get("mode") or imports.Mode.ADD


def _edition_for(request, pk):
    """The edition, if the user may import into it: 404 outside their scope, 403 without the right to add items."""
    edition = get_object_or_404(Catalogue.objects.visible_to(request.user).select_related("region"), pk=pk)
    item_admin = admin.site.get_model_admin(CatalogueItem)
    if not may_act_on(request.user, edition, IMPORT) or not item_admin.has_add_permission(request):
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
        "instructions": instructions(),
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
    return redirect(changelist_url(CatalogueItem, edition__id__exact=edition.pk))


def instructions():
    """How to fill in the table: the upload page's list and the template's 填写说明 sheet."""
    required = "、".join(str(column.label) for column in imports.COLUMNS if column.required)
    return [
        _("每次最多 %(rows)s 行事项，文件不超过 %(mb)s MB；Excel 只读取第一个工作表。")
        % {"rows": imports.max_rows(), "mb": imports.max_bytes() // (1024 * 1024)},
        _("按表头名称识别各列，列的顺序不限；可以直接导入本系统导出的目录表格（含“预算（元）”“绩效评价标准”列）。"),
        _("必填列：%(columns)s；其他列可以没有或留空。“序号”不读取；填了“一级”“二级”的，须与三级类别一致。")
        % {"columns": required},
        _("序号填“示例”的行是示例，不会导入；可以照着填写，也可以删除。"),
        _("“编码”留空时按“类别编码-序号”自动生成；同一目录内编码不能重复。"),
        _("“三级”填写三级服务类别的名称或编码（如 C0201）；“一级”“二级”“三级”可从下拉列表中选择。"),
        _("“购买主体”填写本行政区划购买主体的全称或简称，可从下拉列表中选择；多个用“、”分隔。"),
        _("“购买方式”填写：%(methods)s。") % {"methods": "、".join(map(str, ProcurementMethod.labels))},
        _("“试点”填写 是/否、Y/N、√ 或留空；新事项不能在导入时标为试点（试点事项由审核产生），已有的试点事项保持试点。"),
        _("“预算（元）”填写阿拉伯数字，如 120000 或 120000.00，可以留空。"),
        _("导入方式选“按编码更新”时，编码与本目录已有事项相同的行修改该事项，其余行作为新事项添加；文件中没有的列，已有事项的内容保持不变。"),
        _("CSV 文件可用 UTF-8 或 GBK（Excel 默认）编码保存。"),
        _("上传后先显示预览；所有行都没有错误时才能确认导入，任何一行有错都不会写入。"),
    ]


TEMPLATE_VALIDATED_ROWS = 2000  # rows below the header that carry the drop-down lists


def template_workbook(user, region=None):
    """The import template: the header, an example row (序号 “示例”, never imported), drop-down lists
    for 一级, 二级, 三级, 购买主体, 购买方式 and 试点 (from a hidden sheet of options, so a list is
    not bound by Excel's 255 characters for inline lists) and a 填写说明 sheet.

    The bodies are those the user may choose, of `region` when the template is for an edition.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    header = imports.template_header()
    keys = [column.key for column in imports.COLUMNS]
    categories = list(
        ServiceCategory.objects.select_related("parent__parent").prefetch_related("children").order_by("code")
    )
    bodies = PurchasingBody.objects.visible_to(user).order_by("region__order", "name")
    if region is not None:
        bodies = bodies.filter(region=region)
    bodies = list(bodies)
    options = {
        "area": [category.name for category in categories if category.parent_id is None],
        "field": [category.name for category in categories if category.level == 2],
        "type": [category.name for category in categories if category.is_leaf],
        "purchasing_bodies": [body.name for body in bodies],
        "procurement_method": [str(label) for label in ProcurementMethod.labels],
        "is_pilot": [_("是"), _("否")],
    }

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("目录事项")
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append([_example_value(key, categories, bodies) for key in keys])
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="808080")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for position, column in enumerate(imports.COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = 30 if column.key in LONG_TEXT else 14
    sheet.freeze_panes = "A2"

    lists = workbook.create_sheet(_("选项"))
    lists.sheet_state = "hidden"
    for position, (key, values) in enumerate(options.items(), start=1):
        letter = get_column_letter(position)
        lists.cell(row=1, column=position, value=str(imports.COLUMN_LABELS[key]))
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=position, value=value)
        if not values:
            continue
        validation = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(lists.title)}!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            errorStyle="warning",  # 三级 may be a code, 购买主体 several names: warn, never refuse
            showErrorMessage=True,
            errorTitle=_("不在列表中"),
            error=_("该值不在下拉列表中。如果是类别编码、简称或多个购买主体，可以继续。"),
        )
        target = get_column_letter(keys.index(key) + 1)
        validation.add(f"{target}2:{target}{TEMPLATE_VALIDATED_ROWS + 1}")
        sheet.add_data_validation(validation)

    notes = workbook.create_sheet(_("填写说明"))
    notes.column_dimensions["A"].width = 110
    notes.append([_("目录事项导入模板：填写说明")])
    notes["A1"].font = Font(bold=True, size=14)
    for number, line in enumerate(instructions(), start=1):
        notes.append([f"{number}. {line}"])
    notes.append([])
    notes.append([_("表头（列名）不要修改。各列含义：")])
    for column in imports.COLUMNS:
        notes.append([f"{column.label}：{COLUMN_HELP.get(column.key, '')}"])
    for row in notes.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    return workbook


LONG_TEXT = {"content", "provider_requirements", "performance_standard", "notes", "name"}

COLUMN_HELP = {
    "seq": gettext_lazy("序号，不读取。"),
    "code": gettext_lazy("事项编码，如 C0201-01；留空则自动生成。按编码更新时用它找到已有事项。"),
    "area": gettext_lazy("一级服务类别（领域），可不填。"),
    "field": gettext_lazy("二级服务类别，可不填。"),
    "type": gettext_lazy("三级服务类别名称或编码，必填。"),
    "name": gettext_lazy("事项名称，必填。"),
    "content": gettext_lazy("服务内容。"),
    "purchasing_bodies": gettext_lazy("购买主体，必填；多个用“、”分隔。"),
    "provider_requirements": gettext_lazy("承接主体要求（资质、人员、场所等）。"),
    "procurement_method": gettext_lazy("购买方式，必填。"),
    "is_pilot": gettext_lazy("是否试点。"),
    "notes": gettext_lazy("备注。"),
    "budget": gettext_lazy("预算金额，单位元。"),
    "performance_standard": gettext_lazy("绩效评价标准。"),
}


def _example_value(key, categories, bodies):
    leaves = [category for category in categories if category.is_leaf]
    leaf = next((category for category in leaves if category.code == "C0201"), leaves[0] if leaves else None)
    path = leaf.ancestors() if leaf else []
    values = {
        "seq": imports.EXAMPLE_MARK,
        "code": "",
        "area": path[0].name if path else "",
        "field": path[1].name if len(path) > 2 else "",
        "type": leaf.name if leaf else "",
        "name": leaf.name if leaf else "",
        "content": _("为居家老年人提供生活照料、助餐助浴、精神慰藉等上门服务，按服务人次和满意度付费。"),
        "purchasing_bodies": bodies[0].name if bodies else "",
        "provider_requirements": _("依法登记的社会组织或企业，具备相应的专业人员和服务场所，近三年无重大违法记录。"),
        "procurement_method": str(ProcurementMethod.OPEN_TENDER.label),
        "is_pilot": _("否"),
        "notes": "",
        "budget": 120000,
        "performance_standard": _("服务对象满意度不低于90%，按季度考核服务人次和质量。"),
    }
    return values.get(key, "")


def _xlsx_response(workbook, ascii_name):
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{ascii_name}"'
    return response


def import_template(request):
    """The import template (template_workbook) with every body the user may choose."""
    return _xlsx_response(template_workbook(request.user), "catalogue-import-template.xlsx")


def edition_import_template(request, pk):
    """The import template for one edition: the bodies of its region the user may choose."""
    edition = _edition_for(request, pk)
    region_code = edition.region.code or edition.region.slug
    return _xlsx_response(
        template_workbook(request.user, edition.region),
        f"catalogue-import-template-{region_code}-{edition.year}.xlsx",
    )


def import_url(edition):
    return reverse("admin:catalogue_import:upload", args=[edition.pk])


def import_urls(admin_site):
    """The import pages, for CatalogueAdmin.get_urls (under admin/catalogue/catalogue/)."""
    return [
        path("<int:pk>/import/", admin_site.admin_view(edition_import), name="upload"),
        path("<int:pk>/import/confirm/", admin_site.admin_view(edition_import_confirm), name="confirm"),
        path("<int:pk>/import/template.xlsx", admin_site.admin_view(edition_import_template), name="edition_template"),
        path("import-template.xlsx", admin_site.admin_view(import_template), name="template"),
    ]

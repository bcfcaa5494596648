"""The provider directory (承接主体名录) as CSV, XLSX and JSON."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .writers import Column, csv_response, json_response, xlsx_response, _date, _grade_label


def _provider_categories(provider, seq):
    return "、".join(f"{category.code} {category.name}" for category in provider.categories.all())


PROVIDER_COLUMNS = (
    Column("seq", _("序号"), 6, lambda provider, seq: seq),
    Column("name", _("名称"), 30, lambda provider, seq: provider.name),
    Column("kind", _("类型"), 16, lambda provider, seq: provider.get_kind_display()),
    Column("credit_code", _("统一社会信用代码"), 21, lambda provider, seq: provider.credit_code),
    Column("registration_authority", _("登记管理机关"), 20, lambda provider, seq: provider.registration_authority),
    Column("region", _("所在行政区划"), 10, lambda provider, seq: provider.region.name),
    Column("categories", _("可承接的服务类别"), 36, _provider_categories),
    Column("qualification_status", _("资质状态"), 10, lambda provider, seq: str(provider.current_status_label)),
    Column("qualified_from", _("认定日期"), 12, lambda provider, seq: _date(provider.qualified_from) or ""),
    Column("qualified_until", _("认定有效期至"), 12, lambda provider, seq: _date(provider.qualified_until) or ""),
    Column("social_organisation_grade", _("社会组织评估等级"), 10, lambda provider, seq: provider.evaluation_grade),
    Column(
        "latest_evaluation_grade",
        _("最近绩效评价等级"),
        12,
        lambda provider, seq: _grade_label(getattr(provider, "latest_grade", None)) or "",
    ),
    Column("address", _("地址"), 30, lambda provider, seq: provider.address),
    Column("phone", _("联系电话"), 16, lambda provider, seq: provider.phone),
)


def provider_filename(fmt, filtered=False):
    ascii_name = f"providers{'-filtered' if filtered else ''}.{fmt}"
    suffix = gettext("（筛选结果）") if filtered else ""
    title = gettext("咸宁市政府购买服务承接主体")
    return ascii_name, f"{title}{suffix}.{fmt}"


def _provider_url(provider, request):
    return request.build_absolute_uri(reverse("catalogue:provider", args=[provider.pk]))


def provider_json(provider, seq, request):
    grade = getattr(provider, "latest_grade", None)
    return {
        "seq": seq,
        "name": provider.name,
        "kind": provider.kind,
        "kind_label": str(provider.get_kind_display()),
        "credit_code": provider.credit_code,
        "registration_authority": provider.registration_authority,
        "region": provider.region.name,
        "region_code": provider.region.code,
        "categories": [{"code": category.code, "name": category.name} for category in provider.categories.all()],
        "qualification_status": str(provider.current_status.value),
        "qualification_status_label": str(provider.current_status_label),
        "qualified_from": _date(provider.qualified_from),
        "qualified_until": _date(provider.qualified_until),
        "social_organisation_grade": provider.evaluation_grade or None,
        "latest_evaluation_grade": grade or None,
        "latest_evaluation_grade_label": _grade_label(grade),
        "address": provider.address,
        "phone": provider.phone,
        "url": _provider_url(provider, request),
    }


def write_providers(fmt, providers, request, filters):
    """The directory (or its filtered view) as CSV, XLSX or JSON; `providers` as the page's queryset gives them.

    /providers/export.{csv,xlsx,json} with the directory's query string: exactly the providers the
    directory shows for those filters (Provider.objects.qualified(), all pages), in its order.

    The JSON export is an object:

        {"filters": {"q": "养老", "category": "C02", "region": "咸宁市", "kind": "PRIVATE_NON_ENTERPRISE"},
         "count": 1, "providers": [ {…one object per provider…} ]}

    "filters" holds only the filters that took effect ({} for the whole directory). Each object of
    "providers" has these stable field names:

        seq                          position in this (filtered) list, from 1
        name                         名称
        kind                         类型 code: SOCIAL_GROUP, PRIVATE_NON_ENTERPRISE, FOUNDATION, ENTERPRISE,
                                     PUBLIC_INSTITUTION or OTHER
        kind_label                   类型 in words, e.g. "民办非企业单位（社会服务机构）"
        credit_code                  统一社会信用代码 (18 characters, GB 32100-2015)
        registration_authority       登记管理机关
        region                       所在行政区划, e.g. "咸宁市"
        region_code                  its GB/T 2260 code, "" for 咸宁高新区
        categories                   可承接的服务类别: list of {"code": "C02", "name": "养老服务"}
        qualification_status         资质状态 code: QUALIFIED (the directory lists qualified providers only)
        qualification_status_label   资质状态 in words, e.g. "已认定"
        qualified_from               认定日期 "YYYY-MM-DD", or null when not recorded
        qualified_until              认定有效期至 "YYYY-MM-DD", or null (no end date)
        social_organisation_grade    社会组织评估等级 "1A" … "5A", or null
        latest_evaluation_grade      grade of its newest PUBLISHED performance evaluation: EXCELLENT, GOOD,
                                     PASS or FAIL, or null when none is published
        latest_evaluation_grade_label   the same in words (优秀 / 良好 / 合格 / 不合格), or null
        address                      地址 ("" when not given)
        phone                        联系电话 ("" when not given)
        url                          absolute URL of the provider's public page
    """
    names = provider_filename(fmt, filtered=bool(filters))
    if fmt == "csv":
        return csv_response(PROVIDER_COLUMNS, providers, names)
    if fmt == "xlsx":
        return xlsx_response(PROVIDER_COLUMNS, providers, gettext("承接主体"), names)
    rows = [provider_json(provider, seq, request) for seq, provider in enumerate(providers, start=1)]
    return json_response({"filters": filters, "count": len(rows), "providers": rows}, names)

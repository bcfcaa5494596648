"""Published performance evaluation results (绩效评价结果) as CSV, XLSX and JSON."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .providers import _provider_url
from .writers import Column, csv_response, json_response, xlsx_response, _date, _decimal


def _area(evaluation):
    return evaluation.contract.item.category_path[0]


def _weights_text(evaluation, seq):
    weights = evaluation.weights
    return f"{weights['self']}/{weights['satisfaction']}/{weights['third_party']}"


def _announced_value(evaluation, seq):
    contract = evaluation.contract
    return _decimal(contract.value) if contract.announced else ""


EVALUATION_COLUMNS = (
    Column("seq", _("序号"), 6, lambda evaluation, seq: seq),
    Column("year", _("年度"), 6, lambda evaluation, seq: evaluation.contract.year),
    Column("region", _("行政区划"), 10, lambda evaluation, seq: evaluation.contract.region.name),
    Column("area", _("一级"), 10, lambda evaluation, seq: _area(evaluation).name),
    Column("item_code", _("编码"), 12, lambda evaluation, seq: evaluation.contract.item.code),
    Column("item_name", _("事项名称"), 26, lambda evaluation, seq: evaluation.contract.item.name),
    Column("purchasing_body", _("购买主体"), 22, lambda evaluation, seq: evaluation.contract.purchasing_body.name),
    Column("provider", _("承接主体"), 28, lambda evaluation, seq: evaluation.contract.provider.name),
    Column(
        "provider_credit_code", _("统一社会信用代码"), 21, lambda evaluation, seq: evaluation.contract.provider.credit_code
    ),
    Column("contract_value", _("合同金额（元）"), 14, _announced_value),
    Column("self_score", _("自评得分"), 10, lambda evaluation, seq: _decimal(evaluation.self_score)),
    Column("satisfaction_score", _("服务对象满意度得分"), 12, lambda evaluation, seq: _decimal(evaluation.satisfaction_score)),
    Column("third_party_score", _("第三方评价得分"), 12, lambda evaluation, seq: _decimal(evaluation.third_party_score)),
    Column("weights", _("权重（自评/满意度/第三方，%）"), 16, _weights_text),
    Column("score", _("综合得分"), 10, lambda evaluation, seq: _decimal(evaluation.score)),
    Column("grade", _("评价等级"), 8, lambda evaluation, seq: str(evaluation.get_grade_display())),
    Column("third_party_name", _("第三方评价机构"), 22, lambda evaluation, seq: evaluation.third_party_name),
    Column("evaluated_on", _("评价日期"), 12, lambda evaluation, seq: _date(evaluation.evaluated_on) or ""),
    Column("published_on", _("公开日期"), 12, lambda evaluation, seq: _date(evaluation.published_on) or ""),
)


def evaluation_filename(fmt, filtered=False):
    ascii_name = f"evaluations{'-filtered' if filtered else ''}.{fmt}"
    suffix = gettext("（筛选结果）") if filtered else ""
    title = gettext("咸宁市政府购买服务绩效评价结果")
    return ascii_name, f"{title}{suffix}.{fmt}"


def evaluation_json(evaluation, seq, request):
    contract = evaluation.contract
    item, provider = contract.item, contract.provider
    area = _area(evaluation)
    announced = contract.announced
    return {
        "seq": seq,
        "id": evaluation.pk,
        "year": contract.year,
        "region": contract.region.name,
        "region_code": contract.region.code,
        "area_code": area.code,
        "area": area.name,
        "item_code": item.code,
        "item_name": item.name,
        "item_url": request.build_absolute_uri(item.get_absolute_url()) if item.edition.is_public else None,
        "purchasing_body": contract.purchasing_body.name,
        "provider": provider.name,
        "provider_credit_code": provider.credit_code,
        "provider_url": _provider_url(provider, request) if provider.is_qualified else None,
        "contract_value": _decimal(contract.value) if announced else None,
        "contract_period_start": _date(contract.period_start) if announced else None,
        "contract_period_end": _date(contract.period_end) if announced else None,
        "self_score": _decimal(evaluation.self_score),
        "satisfaction_score": _decimal(evaluation.satisfaction_score),
        "third_party_score": _decimal(evaluation.third_party_score),
        "third_party_name": evaluation.third_party_name,
        "weights": evaluation.weights,
        "score": _decimal(evaluation.score),
        "grade": evaluation.grade,
        "grade_label": str(evaluation.get_grade_display()),
        "evaluated_on": _date(evaluation.evaluated_on),
        "published_on": _date(evaluation.published_on),
    }


def write_evaluations(fmt, evaluations, request, filters):
    """Published evaluation results (or a filtered view of them) as CSV, XLSX or JSON.

    /evaluations/export.{csv,xlsx,json} with the results page's query string (year, area, region,
    grade): every PUBLISHED evaluation (Evaluation.objects.published()) the page shows for those
    filters, all pages, newest first. An unpublished or withdrawn result is in no export.

    The JSON export is an object:

        {"filters": {"year": 2016, "area": "C", "region": "咸宁市", "grade": "EXCELLENT"},
         "count": 1, "evaluations": [ {…one object per evaluation…} ]}

    "filters" holds only the filters that took effect. Each object of "evaluations" has these
    stable field names:

        seq                   position in this (filtered) list, from 1
        id                    the evaluation's number (stable)
        year                  年度 of the contract, e.g. 2016
        region                行政区划 of the contract, e.g. "咸宁市"
        region_code           its GB/T 2260 code ("" for 咸宁高新区)
        area_code             一级 category letter of the item, "A" … "H"
        area                  一级 category name, e.g. "社会保障"
        item_code             编码 of the catalogue item bought, e.g. "C0201-01"
        item_name             事项名称
        item_url              absolute URL of the item's public page, or null when its edition is no longer public
        purchasing_body       购买主体 (full name)
        provider              承接主体 (name)
        provider_credit_code  its 统一社会信用代码
        provider_url          absolute URL of the provider's public page, or null when it is not in the
                              directory today (qualification lapsed, suspended or revoked)
        contract_value        合同金额（元） as a decimal string, e.g. "50000.00", or null when the contract
                              was not announced (公告)
        contract_period_start 服务期限起 "YYYY-MM-DD", or null when the contract was not announced
        contract_period_end   服务期限止 "YYYY-MM-DD", or null when the contract was not announced
        self_score            自评得分, decimal string "0.00" … "100.00"
        satisfaction_score    服务对象满意度得分, decimal string
        third_party_score     第三方评价得分, decimal string
        third_party_name      第三方评价机构 ("" when not given)
        weights               the weights this result was computed with, in percent:
                              {"self": 40, "satisfaction": 30, "third_party": 30}
        score                 综合得分, decimal string (Σ score × weight / 100, rounded half up)
        grade                 评价等级 code: EXCELLENT (≥ 90), GOOD (≥ 80), PASS (≥ 60) or FAIL (< 60)
        grade_label           评价等级 in words: 优秀, 良好, 合格 or 不合格
        evaluated_on          评价日期 "YYYY-MM-DD"
        published_on          公开日期 "YYYY-MM-DD"
    """
    names = evaluation_filename(fmt, filtered=bool(filters))
    if fmt == "csv":
        return csv_response(EVALUATION_COLUMNS, evaluations, names)
    if fmt == "xlsx":
        return xlsx_response(EVALUATION_COLUMNS, evaluations, gettext("绩效评价结果"), names)
    rows = [evaluation_json(evaluation, seq, request) for seq, evaluation in enumerate(evaluations, start=1)]
    return json_response({"filters": filters, "count": len(rows), "evaluations": rows}, names)

"""Qualification checks, the qualification trail, contracts and evaluations for the demo (DOMAIN.md §§5, 10).

- Every qualified (or since suspended) provider has each condition that applies checked 符合 by
  shicaizheng with a reference as evidence, and a 认定 in its trail on its 认定日期; 咸宁市通达汽车租赁
  has its 暂停 too. A pending provider has only its first conditions checked, so its page lists the rest.
- A dozen contracts in 2016 and 2017 in 咸宁市, 咸安区 and 赤壁市, each for a budgeted item of the published
  edition of its region and year, within the budget, from a provider qualified for the item's category.
- Most are evaluated; most results are published; 湖北香城物业服务有限公司 was graded 不合格 in 2016, so the
  admin flags it (⚠) when staff choose a provider, while it is still qualified.
- The weights are the defaults, 40/30/30, saved as the one EvaluationWeights row.

build(builder) writes it through the builder's upsert, so a second run writes nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from catalogue.evaluation_rules import DEFAULT_WEIGHTS
from catalogue.models import (
    Catalogue,
    CatalogueItem,
    Contract,
    Evaluation,
    EvaluationWeights,
    Provider,
    ProviderStatusChange,
    QualificationCheck,
)

Condition = QualificationCheck.Condition
Result = QualificationCheck.Result

# The evidence a finance clerk writes down per condition ({code}: the credit code, {year}: of the check).
REFERENCES = {
    Condition.LEGAL_PERSON: "登记证书（统一社会信用代码 {code}）",
    Condition.GOVERNANCE: "章程及理事会、监事会制度（{year}年备案）",
    Condition.FINANCE: "{last_year}年度财务审计报告",
    Condition.CAPACITY: "服务场所租赁合同、专业人员名册及资格证书",
    Condition.TAX_AND_INSURANCE: "完税证明、社会保险缴费证明（{last_year}年度）",
    Condition.NO_VIOLATION: "“信用中国”及裁判文书网查询记录（{date}）",
    Condition.ANNUAL_INSPECTION: "{last_year}年度年检合格（年报已公示）",
}

# Pending providers: the conditions checked so far.
PENDING_CHECKED = (Condition.LEGAL_PERSON, Condition.GOVERNANCE, Condition.FINANCE)

SUSPENSIONS = {
    "咸宁市通达汽车租赁有限公司": (date(2018, 3, 15), "公务用车租赁合同履约考核不合格，责令限期整改，整改期间暂停资质。"),
}


@dataclass(frozen=True)
class EvaluationData:
    on: date
    self_score: str
    satisfaction: str
    third_party: str
    third_party_name: str = ""
    remarks: str = ""
    published_on: date | None = None


@dataclass(frozen=True)
class ContractData:
    number: str
    region: str  # slug
    year: int
    item_code: str
    body: str
    provider: str
    value: int
    signed_on: date
    period: tuple[date, date]
    method: str = "OPEN_TENDER"
    summary: str = ""
    announced_on: date | None = None
    evaluation: EvaluationData | None = None


CPA = "咸宁香城会计师事务所有限责任公司"

CONTRACTS = [
    ContractData(
        "咸民政采〔2016〕3号", "xianning", 2016, "C0201-01", "咸宁市民政局", "咸宁市阳光社会工作服务中心",
        760000, date(2016, 3, 28), (date(2016, 4, 1), date(2016, 12, 31)),
        summary="为主城区6个社区的居家老年人提供助餐、助洁、助浴和上门探访，服务不少于600户；按季度考核、按月结算。",
        announced_on=date(2016, 3, 30),
        evaluation=EvaluationData(
            date(2017, 1, 20), "93", "91.50", "90", CPA, "服务覆盖率和回访满意度均高于合同要求。", date(2017, 2, 28)
        ),
    ),
    ContractData(
        "咸机关采〔2016〕5号", "xianning", 2016, "H0103-01", "咸宁市机关事务服务中心", "湖北香城物业服务有限公司",
        1580000, date(2016, 4, 15), (date(2016, 5, 1), date(2016, 12, 31)),
        summary="行政中心办公区保洁、秩序维护、设施设备运行维护和绿化养护。",
        announced_on=date(2016, 4, 18),
        evaluation=EvaluationData(
            date(2017, 1, 25), "62", "51", "55", CPA,
            "设施设备报修响应超时、保洁频次不足，服务对象投诉较多；已约谈整改。", date(2017, 2, 28)
        ),
    ),
    ContractData(
        "咸残联采〔2016〕2号", "xianning", 2016, "G0101-01", "咸宁市残疾人联合会", "咸宁爱康医院",
        560000, date(2016, 3, 10), (date(2016, 3, 15), date(2016, 12, 31)),
        method="COMPETITIVE_CONSULTATION",
        summary="为0-6岁残疾儿童提供听力言语、肢体和孤独症康复训练，不少于80名。",
        announced_on=date(2016, 3, 12),
        evaluation=EvaluationData(date(2017, 2, 10), "88", "85", "82", CPA, published_on=date(2017, 3, 15)),
    ),
    ContractData(
        "咸民政采〔2017〕9号", "xianning", 2017, "C0201-01", "咸宁市民政局", "咸宁市阳光社会工作服务中心",
        1150000, date(2017, 9, 1), (date(2017, 9, 1), date(2018, 8, 31)),
        summary="在主城区10个社区提供居家养老上门服务，并运营居家养老服务信息平台呼叫中心。",
        announced_on=date(2017, 9, 4),
        evaluation=EvaluationData(date(2018, 10, 12), "90", "86", "84", CPA, published_on=date(2018, 11, 20)),
    ),
    ContractData(
        "咸财采〔2017〕4号", "xianning", 2017, "H0306-01", "咸宁市财政局", CPA,
        180000, date(2017, 5, 8), (date(2017, 5, 15), date(2017, 12, 31)),
        method="COMPETITIVE_CONSULTATION",
        summary="对2016年度市本级政府购买服务项目开展第三方绩效评价，出具评价报告。",
        announced_on=date(2017, 5, 10),
        evaluation=EvaluationData(
            date(2018, 1, 22), "95", "92", "91", "湖北鄂南工程咨询有限公司", published_on=date(2018, 2, 26)
        ),
    ),
    ContractData(
        "咸文旅采〔2017〕6号", "xianning", 2017, "F0101-01", "咸宁市文化和旅游局", "咸宁市香城演艺有限公司",
        560000, date(2017, 4, 20), (date(2017, 5, 1), date(2017, 11, 30)),
        summary="到乡镇和行政村演出地方戏曲和综艺节目不少于120场。",
        announced_on=date(2017, 4, 24),
        evaluation=EvaluationData(
            date(2017, 12, 20), "80", "72", "68", CPA, "演出场次完成，但部分场次观众组织不足。", date(2018, 1, 30)
        ),
    ),
    ContractData(
        "咸民政采〔2017〕12号", "xianning", 2017, "C0401-01", "咸宁市民政局", "咸宁市慈善基金会",
        280000, date(2017, 6, 5), (date(2017, 6, 15), date(2017, 12, 31)),
        summary="为农村留守儿童建立档案，开展暑期关爱和结对帮扶。",
        announced_on=date(2017, 6, 7),
        evaluation=EvaluationData(date(2018, 2, 5), "86", "83", "80", CPA),  # recorded, not yet published
    ),
    ContractData(
        "咸安民政采〔2017〕2号", "xianan", 2017, "C0201-01", "咸安区民政局", "咸安区夕阳红居家养老服务中心",
        690000, date(2017, 4, 26), (date(2017, 5, 1), date(2017, 12, 31)),
        summary="在永安、温泉街道运营3个老年人日间照料中心并提供上门服务。",
        announced_on=date(2017, 4, 28),
        evaluation=EvaluationData(date(2018, 1, 15), "88", "84", "80", CPA, published_on=date(2018, 3, 1)),
    ),
    ContractData(
        "咸安教采〔2017〕3号", "xianan", 2017, "A0202-01", "咸安区教育局", "嘉鱼县春晖儿童关爱服务中心",
        170000, date(2017, 8, 28), (date(2017, 9, 1), date(2017, 12, 31)),
        method="COMPETITIVE_CONSULTATION",
        summary="在5所农村小学开办“四点半课堂”，提供课后看护和作业辅导。",
        evaluation=EvaluationData(date(2018, 1, 18), "78", "82", "75"),  # recorded, not yet published
    ),
    ContractData(
        "赤民政采〔2017〕5号", "chibi", 2017, "C0301-01", "赤壁市民政局", "赤壁市爱心社会工作服务社",
        210000, date(2017, 4, 12), (date(2017, 4, 15), date(2017, 12, 31)),
        summary="对全市城乡低保申请家庭开展入户核查，不少于2000户。",
        announced_on=date(2017, 4, 14),
        evaluation=EvaluationData(date(2018, 1, 26), "94", "90", "92", CPA, published_on=date(2018, 3, 8)),
    ),
    ContractData(
        "赤司法采〔2017〕1号", "chibi", 2017, "H0301-02", "赤壁市司法局", "湖北香城律师事务所",
        160000, date(2017, 3, 1), (date(2017, 3, 1), date(2017, 12, 31)),
        summary="为全市行政村（社区）配备法律顾问，每月驻点服务不少于1天。",
        announced_on=date(2017, 3, 3),
    ),
]


def _at(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def build(builder):
    """Qualification checks and trail, the weights, contracts and evaluations (after bodies, providers,
    accounts and editions)."""
    clerk = builder.users.get("shicaizheng")
    providers = {provider.name: provider for provider in Provider.objects.all()}
    for provider in providers.values():
        _build_qualification(builder, provider, clerk)
    builder.upsert(
        EvaluationWeights,
        {"pk": EvaluationWeights.SINGLETON_PK},
        {
            "self_weight": DEFAULT_WEIGHTS["self"],
            "satisfaction_weight": DEFAULT_WEIGHTS["satisfaction"],
            "third_party_weight": DEFAULT_WEIGHTS["third_party"],
            "updated_by": clerk,
        },
    )
    for data in CONTRACTS:
        _build_contract(builder, data, providers[data.provider], clerk)


def _build_qualification(builder, provider, clerk):
    pending = provider.qualification_status == Provider.QualificationStatus.PENDING
    checked_on = provider.qualified_from or date(2017, 11, 20)
    for condition in Condition:
        if not QualificationCheck.applies(condition, provider) or (pending and condition not in PENDING_CHECKED):
            continue
        if condition == Condition.OTHER:
            values = {"result": Result.NOT_APPLICABLE, "reference": "", "note": "登记管理机关未规定其他条件。"}
        else:
            reference = REFERENCES[condition].format(
                code=provider.credit_code,
                year=checked_on.year,
                last_year=checked_on.year - 1,
                date=checked_on.isoformat(),
            )
            values = {"result": Result.MET, "reference": reference, "note": ""}
        values.update(checked_by=clerk, checked_at=_at(checked_on))
        builder.upsert(QualificationCheck, {"provider": provider, "condition": condition}, values)
    if pending or provider.qualified_from is None:
        return
    categories = "、".join(f"{c.code} {c.name}" for c in provider.categories.order_by("code"))
    builder.upsert(
        ProviderStatusChange,
        {"provider": provider, "action": ProviderStatusChange.Action.QUALIFY, "at": _at(provider.qualified_from, 15)},
        {
            "from_status": Provider.QualificationStatus.PENDING,
            "to_status": Provider.QualificationStatus.QUALIFIED,
            "qualified_from": provider.qualified_from,
            "qualified_until": provider.qualified_until,
            "categories": categories,
            "reason": "资质条件逐项核查符合，准予认定。",
            "by": clerk,
        },
    )
    if provider.name in SUSPENSIONS:
        day, reason = SUSPENSIONS[provider.name]
        builder.upsert(
            ProviderStatusChange,
            {"provider": provider, "action": ProviderStatusChange.Action.SUSPEND, "at": _at(day, 10)},
            {
                "from_status": Provider.QualificationStatus.QUALIFIED,
                "to_status": Provider.QualificationStatus.SUSPENDED,
                "qualified_from": provider.qualified_from,
                "qualified_until": provider.qualified_until,
                "reason": reason,
                "by": clerk,
            },
        )


def _build_contract(builder, data, provider, clerk):
    region = builder.regions[data.region]
    edition = Catalogue.objects.published().get(region=region, year=data.year)
    item = CatalogueItem.objects.get(edition=edition, code=data.item_code)
    body = next(b for b in item.purchasing_bodies.all() if b.name == data.body)
    contract = builder.upsert(
        Contract,
        {"region": region, "number": data.number},
        {
            "year": data.year,
            "item": item,
            "provider": provider,
            "purchasing_body": body,
            "signed_on": data.signed_on,
            "value": Decimal(data.value),
            "period_start": data.period[0],
            "period_end": data.period[1],
            "procurement_method": data.method,
            "summary": data.summary,
            "no_subcontracting_confirmed": True,
            "announced": data.announced_on is not None,
            "announced_on": data.announced_on,
            "created_by": builder.users.get(_recorder(data.region, data.body)) or clerk,
        },
    )
    if data.evaluation is None:
        return
    result = data.evaluation
    builder.upsert(
        Evaluation,
        {"contract": contract},
        {
            "evaluated_on": result.on,
            "self_score": Decimal(result.self_score),
            "satisfaction_score": Decimal(result.satisfaction),
            "third_party_score": Decimal(result.third_party),
            "third_party_name": result.third_party_name,
            "remarks": result.remarks,
            "published": result.published_on is not None,
            "published_on": result.published_on,
            "created_by": builder.users.get(_recorder(data.region, data.body)) or clerk,
        },
    )


def _recorder(region, body):
    """The demo account that would have recorded it: the department for its own body, else the region's finance."""
    if body == "咸宁市民政局":
        return "minzheng"
    return {"xianan": "xianan", "chibi": "chibi"}.get(region, "shicaizheng")

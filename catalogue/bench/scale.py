"""Realistic data at scale for the site benchmark (`manage.py seed_scale --items N`).

The shape, for N = 100,000 (everything scales with N):

- the real regions and categories (fixtures/ must be loaded first); the demo's purchasing bodies of
  every region (catalogue/demo/bodies.py: 18 for the city, 10 per county, 4 for the zone);
- about N/2,000 editions of 2,000 items over the eight regions and the years from 2016, every one
  built as a draft and published through publish_edition(); one in ten region-years is corrected
  (动态调整: open_revision(), a few items changed, added and removed, published again, so the first
  revision is SUPERSEDED); 咸宁高新区's small first catalogue (57 items); one edition published and then
  withdrawn through withdraw_edition(); two drafts of the following year;
- items written from the demo's item templates (catalogue/demo/items.py) for each leaf category,
  varied by the region's own townships, budgets and service scale, with their purchasing bodies
  and search document; bulk inserted with their history, as the import service writes them;
- about N/100 providers named the way 咸宁's registered social organisations and firms are, each
  condition checked with its evidence (bulk) and most qualified through qualify_provider(); a few
  pending, suspended or revoked (through the services);
- about N/50 contracts recorded through save_contract() (every rule of Contract.clean: a budgeted
  item of the published edition, within the budget, from a provider qualified for its category);
  most evaluated (bulk, each evaluation full_clean()ed so its score and grade are computed), most
  results published.

Only states the services allow are written. It refuses to run on a database that already holds
editions: it is for a throw-away benchmark or test database, never for real data.
"""

import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history

from catalogue.demo import bodies as demo_bodies
from catalogue.demo import items as demo_items
from catalogue.demo.codes import credit_code
from catalogue.demo.contracts import PENDING_CHECKED, REFERENCES
from catalogue.evaluation_rules import DEFAULT_WEIGHTS
from catalogue.models import (
    Catalogue,
    CatalogueItem,
    Contract,
    Evaluation,
    Provider,
    PurchasingBody,
    QualificationCheck,
    Region,
    ServiceCategory,
    StaffProfile,
)
from catalogue.search import search_items
from catalogue.services import (
    open_revision,
    publish_edition,
    qualify_provider,
    revoke_provider,
    save_contract,
    set_evaluation_weights,
    suspend_provider,
    withdraw_edition,
)
from catalogue.services.editions import draft_edition_for

EDITION_SIZE = 2000
FIRST_YEAR = 2016
SMALL_EDITION_SIZE = 57
SMALL_REGION = "xn-htz"  # the zone's first catalogue is a short one
WITHDRAWN_REGION = "tongshan"  # as in the demo: withdrawn and compiled again
DRAFT_REGIONS = ("xianning", "chibi")
BATCH = 2000
CHANGE_REASON = "成批导入（seed_scale 基准测试数据）"

# Queries the benchmark measures, chosen from the data below: a common one, a rare one (one item in
# RARE_EVERY names a resettlement site) and a single character.
COMMON_QUERY = "养老"
RARE_QUERY = "易地扶贫"
RARE_EVERY = 5000
ONE_CHARACTER_QUERY = "养"

# 文号 prefixes, as in the demo's editions (catalogue/demo/editions.py).
DOCUMENT_PREFIX = {
    "xianning": "咸财综发",
    "xianan": "咸安财发",
    "jiayu": "嘉财发",
    "tongcheng": "通财发",
    "chongyang": "崇财发",
    "tongshan": "通山财发",
    "chibi": "赤财综",
    "xn-htz": "咸高新财发",
}

# 合同编号 prefixes, as in the demo's contracts (咸民政采〔2016〕3号, 咸安民政采〔2017〕2号).
CONTRACT_PREFIX = {
    "xianning": "咸", "xianan": "咸安", "jiayu": "嘉", "tongcheng": "通城", "chongyang": "崇", "tongshan": "通山",
    "chibi": "赤", "xn-htz": "咸高新",
}

# Where a service is delivered: the townships and streets (乡镇、街道) of each region.
PLACES = {
    "xianning": ["全市", "市直", "主城区", "温泉城区", "城乡结合部", "市属公办学校", "市直机关", ""],
    "xianan": [
        "温泉街道", "永安街道", "浮山街道", "凤凰街道", "向阳湖镇", "官埠桥镇", "横沟桥镇", "贺胜桥镇",
        "双溪桥镇", "马桥镇", "桂花镇", "高桥镇", "汀泗桥镇", "大幕乡", "",
    ],
    "jiayu": ["鱼岳镇", "新街镇", "渡普镇", "潘家湾镇", "官桥镇", "簰洲湾镇", "陆溪镇", "高铁岭镇", ""],
    "tongcheng": [
        "隽水镇", "麦市镇", "塘湖镇", "关刀镇", "沙堆镇", "五里镇", "石南镇", "北港镇", "马港镇", "四庄乡", "大坪乡", "",
    ],
    "chongyang": [
        "天城镇", "沙坪镇", "石城镇", "桂花泉镇", "白霓镇", "路口镇", "金塘镇", "青山镇", "肖岭乡", "铜钟乡",
        "港口乡", "高枧乡", "",
    ],
    "tongshan": [
        "通羊镇", "南林桥镇", "黄沙铺镇", "厦铺镇", "九宫山镇", "闯王镇", "洪港镇", "大畈镇", "杨芳林乡", "燕厦乡",
        "大路乡", "慈口乡", "",
    ],
    "chibi": [
        "蒲圻街道", "陆水湖街道", "赤马港街道", "中伙铺镇", "官塘驿镇", "神山镇", "车埠镇", "赵李桥镇", "茶庵岭镇",
        "新店镇", "赤壁镇", "柳山湖镇", "余家桥乡", "",
    ],
    "xn-htz": ["高新区", "高新区各社区", "长江产业园", "高新区企业集中区", ""],
}

# What a region adds to a template's content: where, how much, how it is paid.
SCOPE_SENTENCES = [
    "服务范围覆盖{place}，服务对象约{n}人次。",
    "在{place}实施，全年服务不少于{n}人次，按季度考核、据实结算。",
    "覆盖{place}，承接主体须在当地设立服务站点，配备专职人员不少于{k}名。",
    "服务期限一年，可按绩效评价结果续签；服务对象满意度不低于{p}%。",
    "建立服务台账，按季度向购买主体报送服务数量和质量情况。",
]
NAME_TAILS = ["", "", "", "", "", "项目", "（扩面）", "（续购）", "试点"]
REVISION_NOTES = [
    "动态调整：按预算执行情况调整预算。",
    "动态调整：扩大服务范围。",
    "动态调整：明确服务标准和考核方式。",
]

# Providers as they are registered in 咸宁: (name pattern, credit code prefix, 二级 categories served).
# {place} a region with a township, {city} a region, {brand} a registered trade name.
PROVIDER_PATTERNS = [
    ("{place}青少年成长服务中心", "52", ("A01", "C04")),
    ("{place}课后托管服务中心", "52", ("A02",)),
    ("湖北{brand}教育科技有限公司", "91", ("A01", "A03")),
    ("{city}{brand}职业培训学校", "52", ("B02", "G02")),
    ("{city}{brand}人力资源服务有限公司", "91", ("B01", "B03")),
    ("{place}就业创业促进会", "51", ("B01", "B03")),
    ("{place}社会工作服务中心", "52", ("C03", "C04", "C02", "E02")),
    ("{place}居家养老服务中心", "52", ("C02",)),
    ("{place}老年协会", "51", ("C02",)),
    ("{city}{brand}养老服务有限公司", "91", ("C02",)),
    ("{place}儿童关爱服务中心", "52", ("C04", "A02")),
    ("{city}{brand}法律咨询服务中心", "52", ("C01",)),
    ("{city}{brand}医院", "52", ("D02", "D03", "G01")),
    ("{place}健康教育促进会", "51", ("D01",)),
    ("{place}心理咨询服务中心", "52", ("D01", "C04")),
    ("{city}{brand}物业服务有限公司", "91", ("H01", "E01", "A03")),
    ("{city}{brand}信息技术有限公司", "91", ("H02", "E01")),
    ("{city}{brand}文化传媒有限公司", "91", ("F01",)),
    ("{place}文艺志愿者协会", "51", ("F01", "F03")),
    ("{city}社会体育指导员协会", "51", ("F02",)),
    ("{city}{brand}体育场馆运营有限公司", "91", ("F02",)),
    ("{place}残疾人康复服务中心", "52", ("G01", "G02")),
    ("{city}{brand}康复辅助器具有限公司", "91", ("G01", "G03")),
    ("{city}{brand}会务服务有限公司", "91", ("H01",)),
    ("湖北{brand}律师事务所", "31", ("H03", "C01")),
    ("{city}{brand}会计师事务所有限责任公司", "91", ("H03",)),
    ("湖北{brand}工程咨询有限公司", "91", ("H02", "H03", "G03")),
    ("{city}{brand}印务有限公司", "91", ("H03",)),
    ("湖北{brand}检测技术有限公司", "91", ("H02", "D03")),
    ("{city}{brand}慈善基金会", "53", ("C03", "C04", "G02")),
    ("{city}{brand}规划设计研究院", "12", ("H02",)),
]
BRANDS = [
    "香城", "鄂南", "金桂", "温泉", "楚信", "众联", "通达", "阳光", "春晖", "康达", "陆水", "淦河", "隽水", "九宫",
    "鱼岳", "桂花", "星火", "同心", "和谐", "仁爱", "致远", "恒信", "新华", "长江", "沙洲", "赤马", "银泉", "向阳",
    "天城", "凤凰", "南鄂", "嘉禾", "丰泽", "博雅", "德润", "惠民", "永安", "泉都", "楚天", "鄂楚",
]
ROADS = ["人民路", "解放路", "建设路", "新华路", "民主路", "发展大道", "滨河路", "文化路", "东风路", "和平路"]
KIND_BY_PREFIX = {
    "51": Provider.Kind.SOCIAL_GROUP,
    "52": Provider.Kind.PRIVATE_NON_ENTERPRISE,
    "53": Provider.Kind.FOUNDATION,
    "91": Provider.Kind.ENTERPRISE,
    "12": Provider.Kind.PUBLIC_INSTITUTION,
    "31": Provider.Kind.OTHER,
}
PHONE_PREFIX = {
    "xianning": "8", "xianan": "8", "jiayu": "6", "tongcheng": "4", "chongyang": "3", "tongshan": "2",
    "chibi": "5", "xn-htz": "8",
}
EVALUATION_REMARKS = [
    "",
    "",
    "服务数量和质量达到合同要求。",
    "服务覆盖率和回访满意度均高于合同要求。",
    "台账资料齐全，个别服务记录不够规范，已要求整改。",
    "服务场次完成，但部分场次服务对象组织不足。",
    "响应超时、服务频次不足，服务对象投诉较多；已约谈整改。",
]


@dataclass
class EditionPlan:
    region: Region
    year: int
    size: int
    kind: str  # single · revised (two revisions) · small · withdrawn · draft


def plan_editions(items, regions):
    """The editions N items make: big ones of about 2,000 items over the region-years, and the special ones."""
    big = max(4, round(items / EDITION_SIZE))
    size = max(20, items // big)
    revised = max(1, big // 10)
    by_slug = {region.slug: region for region in regions}
    special = {(FIRST_YEAR, SMALL_REGION), (FIRST_YEAR, WITHDRAWN_REGION)}
    slots, year = [], FIRST_YEAR
    while len(slots) < big - revised:
        slots += [(year, region) for region in regions if (year, region.slug) not in special]
        year += 1
    slots = slots[: big - revised]
    # Corrected region-years spread over the years, the city's first catalogue among them.
    corrected = {int(j * len(slots) / revised) for j in range(revised)}
    plans = [
        EditionPlan(region, year, size, "revised" if index in corrected else "single")
        for index, (year, region) in enumerate(slots)
    ]
    plans.append(EditionPlan(by_slug[SMALL_REGION], FIRST_YEAR, min(SMALL_EDITION_SIZE, max(5, size // 2)), "small"))
    plans.append(EditionPlan(by_slug[WITHDRAWN_REGION], FIRST_YEAR, max(5, size // 4), "withdrawn"))
    next_year = max(plan.year for plan in plans) + 1
    plans += [EditionPlan(by_slug[slug], next_year, max(5, size // 10), "draft") for slug in DRAFT_REGIONS]
    return plans


class ScaleBuilder:
    def __init__(self, items, *, seed=2015, log=print):
        self.items = items
        self.rng = random.Random(seed)
        self.log = log
        self.started = time.perf_counter()
        self.counts = Counter()
        self.numbers = Counter()  # 文号 per region and year

    def say(self, message):
        self.log(f"[{time.perf_counter() - self.started:6.1f} s] {message}")

    def run(self):
        with translation.override("zh-hans"):
            self.load_reference_data()
            self.clerk = self.make_clerk()
            self.build_bodies()
            self.build_providers()
            self.build_editions()
            self.build_contracts()
            self.build_evaluations()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
                self.say("ANALYZE done")
        self.say(
            f"done: {CatalogueItem.objects.count()} items in {Catalogue.objects.count()} editions, "
            f"{Provider.objects.count()} providers, {Contract.objects.count()} contracts, "
            f"{Evaluation.objects.count()} evaluations"
        )
        return self.counts

    # Reference data, the clerk who publishes, purchasing bodies ------------------------------------

    def load_reference_data(self):
        self.regions = list(Region.objects.order_by("order", "code"))
        missing = {*PLACES} - {region.slug for region in self.regions}
        if missing or not ServiceCategory.objects.exists():
            raise RuntimeError(
                "load the real regions and categories first: manage.py loaddata fixtures/regions.json "
                "fixtures/categories.json"
            )
        if Catalogue.objects.exists():
            raise RuntimeError("seed_scale fills an empty database; this one already holds editions.")
        self.leaves = list(ServiceCategory.objects.leaves().select_related("parent__parent").order_by("code"))
        self.categories = {category.code: category for category in ServiceCategory.objects.all()}
        self.templates = defaultdict(list)
        for template in demo_items.TEMPLATES:
            self.templates[template.category].append(template)
        # Each region buys some kinds of service more than others.
        self.leaf_weights = {region.slug: [self.rng.uniform(0.3, 2.0) for _ in self.leaves] for region in self.regions}

    def make_clerk(self):
        """The municipal finance account that publishes (publish_edition asks for 市财政局). It cannot log in."""
        user = get_user_model()(username="seed_scale", first_name="市财政局（基准测试数据）", is_staff=True)
        user.set_unusable_password()
        user.save()
        StaffProfile.objects.create(user=user, role=StaffProfile.Role.MUNICIPAL_FINANCE)
        return user

    def build_bodies(self):
        self.bodies = {}
        rows = []
        for region in self.regions:
            for body in demo_bodies.bodies_for(region.slug, region.name):
                code = credit_code(
                    demo_bodies.CODE_PREFIX[body.kind], region.code or demo_bodies.ZONE_REGION_CODE, body.name
                )
                row = PurchasingBody(region=region, name=body.name, short_name=body.short_name, kind=body.kind,
                                     credit_code=code)
                row.full_clean(validate_unique=False)
                rows.append((region, body, row))
        PurchasingBody.objects.bulk_create([row for _region, _body, row in rows])
        for region, body, row in rows:
            self.bodies[region.slug, body.key] = row
        parented = []
        for region, body, row in rows:
            if body.parent:
                row.parent = self.bodies[region.slug, body.parent]
                parented.append(row)
        PurchasingBody.objects.bulk_update(parented, ["parent"])
        self.counts["purchasing bodies"] = len(rows)
        self.say(f"{len(rows)} purchasing bodies")

    # Providers and their qualification --------------------------------------------------------------

    def provider_name(self, pattern, region, used):
        for _attempt in range(50):
            place = self.rng.choice([p for p in PLACES[region.slug] if p]) if region.slug != "xianning" else ""
            name = pattern.format(
                place=f"{region.name}{place}" if region.slug not in ("xianning", "xn-htz") else region.name,
                city=region.name if region.slug != "xn-htz" else "咸宁",
                brand=self.rng.choice(BRANDS),
            )
            if name not in used:
                used.add(name)
                return name
        name = f"{name}（{len(used)}）"
        used.add(name)
        return name

    def unique_code(self, prefix, region, name, used):
        salt = 0
        while True:
            code = credit_code(prefix, region.code or demo_bodies.ZONE_REGION_CODE, name + ("#" * salt))
            if code not in used:
                used.add(code)
                return code
            salt += 1

    def build_providers(self):
        count = max(40, self.items // 100)
        rng = self.rng
        names, codes, rows = set(), set(), []
        for n in range(count):
            # Every pattern once before any repeats, so every category has providers even in a small run.
            pattern, prefix, served = PROVIDER_PATTERNS[n] if n < len(PROVIDER_PATTERNS) else rng.choice(
                PROVIDER_PATTERNS
            )
            region = rng.choice(self.regions)
            name = self.provider_name(pattern, region, names)
            kind = KIND_BY_PREFIX[prefix]
            authority = {
                "5": f"{region.name if region.slug != 'xn-htz' else '咸宁市'}民政局",
                "9": f"{region.name if region.slug != 'xn-htz' else '咸宁市'}市场监督管理局",
                "1": "咸宁市事业单位登记管理局",
                "3": "咸宁市司法局",
            }[prefix[0]]
            provider = Provider(
                name=name,
                kind=kind,
                registration_authority=authority,
                credit_code=self.unique_code(prefix, region, name, codes),
                region=region,
                evaluation_grade=rng.choice(["", "", "3A", "4A", "5A", "2A"]) if prefix[0] == "5" else "",
                address=(
                    f"{region.name}{rng.choice([p for p in PLACES[region.slug] if p])}"
                    f"{rng.choice(ROADS)}{rng.randint(1, 300)}号"
                ),
                phone=f"0715-{PHONE_PREFIX[region.slug]}{rng.randint(100000, 999999)}",
                introduction=(
                    f"{kind.label}，{authority}登记，承接"
                    + "、".join(self.categories[code].name for code in served if code in self.categories)
                    + "等政府购买服务项目。"
                ),
            )
            provider.full_clean(validate_unique=False)
            served = [self.categories[code] for code in served if code in self.categories]
            rows.append((provider, rng.sample(served, rng.randint(1, len(served)))))
        providers = bulk_create_with_history(
            [provider for provider, _served in rows], Provider, batch_size=BATCH, default_user=self.clerk,
            default_change_reason=CHANGE_REASON,
        )
        self.provider_categories = {p.pk: served for p, (_p, served) in zip(providers, rows)}
        self.say(f"{len(providers)} providers")

        # 8% stay pending with their first conditions checked; the others have every condition checked.
        pending = set(rng.sample(range(len(providers)), max(1, len(providers) * 8 // 100)))
        since = {}
        checks = []
        for index, provider in enumerate(providers):
            day = date(FIRST_YEAR, 1, 4) + timedelta(days=rng.randint(0, 80))
            if rng.random() < 0.2:
                day = date(rng.randint(FIRST_YEAR + 1, FIRST_YEAR + 3), rng.randint(1, 12), rng.randint(1, 28))
            since[provider.pk] = day
            for condition in QualificationCheck.Condition:
                if not QualificationCheck.applies(condition, provider):
                    continue
                if index in pending and condition not in PENDING_CHECKED:
                    continue
                if condition == QualificationCheck.Condition.OTHER:
                    values = {"result": QualificationCheck.Result.NOT_APPLICABLE, "note": "登记管理机关未规定其他条件。"}
                else:
                    reference = REFERENCES[condition].format(
                        code=provider.credit_code, year=day.year, last_year=day.year - 1, date=day.isoformat()
                    )
                    values = {"result": QualificationCheck.Result.MET, "reference": reference}
                check = QualificationCheck(
                    provider=provider, condition=condition, checked_by=self.clerk,
                    checked_at=timezone.make_aware(datetime.combine(day, clock(9))), **values,
                )
                check.full_clean(validate_unique=False)
                checks.append(check)
        bulk_create_with_history(
            checks, QualificationCheck, batch_size=BATCH, default_user=self.clerk, default_change_reason=CHANGE_REASON
        )
        Through = Provider.categories.through
        Through.objects.bulk_create(
            [
                Through(provider_id=provider.pk, servicecategory_id=category.pk)
                for index, provider in enumerate(providers)
                if index in pending
                for category in self.provider_categories[provider.pk]
            ]
        )
        self.say(f"{len(checks)} qualification checks")

        qualified = []
        for index, provider in enumerate(providers):
            if index in pending:
                continue
            until = date(rng.choice([2027, 2028, 2029]), rng.choice([6, 12]), 30 if rng.random() < 0.5 else 1)
            qualified.append(
                qualify_provider(
                    provider, by=self.clerk, categories=self.provider_categories[provider.pk], until=until,
                    qualified_from=since[provider.pk], note="资质条件逐项核查符合，准予认定。",
                )
            )
        # A few are suspended or revoked afterwards; they sign no contracts below.
        troubled = rng.sample(qualified, max(2, len(qualified) * 3 // 100))
        for n, provider in enumerate(troubled):
            if n % 3 == 2:
                revoke_provider(provider, by=self.clerk, reason="提供虚假材料，撤销认定。")
            else:
                suspend_provider(provider, by=self.clerk, reason="合同履约考核不合格，责令限期整改，整改期间暂停资质。")
        troubled_pks = {provider.pk for provider in troubled}
        self.contractors = [provider for provider in qualified if provider.pk not in troubled_pks]
        self.counts["providers"] = len(providers)
        self.say(
            f"{len(qualified)} providers qualified through the service, {len(pending)} pending, "
            f"{len(troubled)} suspended or revoked"
        )

    # Editions and items -----------------------------------------------------------------------------

    def document_number(self, region, year):
        self.numbers[region.slug, year] += self.rng.randint(1, 6)
        return f"{DOCUMENT_PREFIX[region.slug]}〔{year}〕{self.numbers[region.slug, year]}号"

    def templates_for(self, leaf, region):
        scope = demo_items.CITY if region.slug == "xianning" else demo_items.COUNTY
        found = [t for t in self.templates[leaf.code] if t.scope in (demo_items.ANY, scope)]
        return found or self.templates[leaf.code]

    def item_bodies(self, template, region):
        found = []
        for key in template.bodies:
            body = self.bodies.get((region.slug, demo_bodies.resolve(region.slug, key)))
            if body is not None and body not in found:
                found.append(body)
        return found or [self.bodies[region.slug, "caizheng"]]

    def item_values(self, template, region):
        rng = self.rng
        place = rng.choice(PLACES[region.slug])
        name = f"{place}{template.name.replace('{region}', '')}{rng.choice(NAME_TAILS)}"
        content = template.content
        if isinstance(content, tuple):
            content = rng.choice(content)
        content = content.replace("{region}", region.name).replace(
            "{heritage}", demo_items.HERITAGE.get(region.slug, "本地传统戏曲和民间技艺")
        )
        content += rng.choice(SCOPE_SENTENCES).format(
            place=place or region.name, n=rng.randint(5, 400) * 10, k=rng.randint(2, 30), p=rng.randint(85, 98)
        )
        self.counts["item values"] += 1
        if self.counts["item values"] % RARE_EVERY == RARE_EVERY // 2:
            content += "含易地扶贫搬迁安置点。"
        base = template.budget or (rng.randint(5, 80) * 10000 if rng.random() < 0.5 else None)
        budget = None
        if base and rng.random() < 0.75:
            budget = Decimal(round(base * demo_items.BUDGET_FACTOR[region.slug] * rng.uniform(0.6, 1.5), -3))
        return {
            "name": name[:200],
            "content": content,
            "provider_requirements": template.requirements,
            "procurement_method": template.method,
            "performance_standard": template.standard,
            "budget": budget if budget else None,
            "is_pilot": rng.random() < 0.05,
            "notes": template.notes,
        }

    def add_items(self, edition, count):
        """count new items in the draft `edition`, in leaf categories its year knows, numbered after its codes."""
        region = edition.region
        leaves = [leaf for leaf in self.leaves if leaf.introduced_in <= edition.year]
        weights = [
            weight
            for leaf, weight in zip(self.leaves, self.leaf_weights[region.slug])
            if leaf.introduced_in <= edition.year
        ]
        taken = Counter()
        for code in CatalogueItem.objects.filter(edition=edition).values_list("code", flat=True):
            prefix, _dash, number = code.rpartition("-")
            taken[prefix] = max(taken[prefix], int(number))
        items, bodies = [], []
        for leaf in self.rng.choices(leaves, weights, k=count):
            template = self.rng.choice(self.templates_for(leaf, region))
            taken[leaf.code] += 1
            item = CatalogueItem(
                edition=edition, category=leaf, code=f"{leaf.code}-{taken[leaf.code]:02d}",
                **self.item_values(template, region),
            )
            item.search_document = item.build_search_document()
            items.append(item)
            bodies.append(self.item_bodies(template, region))
        created = bulk_create_with_history(
            items, CatalogueItem, batch_size=BATCH, default_user=self.clerk, default_change_reason=CHANGE_REASON
        )
        Through = CatalogueItem.purchasing_bodies.through
        Through.objects.bulk_create(
            [
                Through(catalogueitem_id=item.pk, purchasingbody_id=body.pk)
                for item, item_bodies in zip(created, bodies)
                for body in item_bodies
            ],
            batch_size=BATCH * 2,
        )
        self.counts["items"] += len(created)
        return created

    def publish(self, edition, day):
        return publish_edition(
            edition, by=self.clerk, document_number=self.document_number(edition.region, edition.year), published_on=day
        )

    def correct(self, published, day):
        """动态调整: a new revision through open_revision(), some items changed, removed and added, published."""
        draft = open_revision(published, by=self.clerk)
        items = list(draft.items.select_related("category__parent__parent").order_by("pk"))
        rng = self.rng
        changed = rng.sample(items, max(1, len(items) * 3 // 100))
        for item in changed:
            if item.budget:
                item.budget = Decimal(round(item.budget * Decimal("1.1"), -3))
            item.content += rng.choice(["服务范围扩大至周边乡镇。", "增加服务频次，按月考核。", "明确服务标准和验收方式。"])
            item.notes = rng.choice(REVISION_NOTES)
            item.search_document = item.build_search_document()
        CatalogueItem.objects.bulk_update(changed, ["budget", "content", "notes", "search_document"], batch_size=BATCH)
        removed = [item.pk for item in rng.sample(items, max(1, len(items) // 100)) if item not in changed]
        CatalogueItem.objects.filter(pk__in=removed).delete()
        self.counts["items"] -= len(removed)
        self.add_items(draft, len(removed))
        return self.publish(draft, day)

    def build_editions(self):
        plans = plan_editions(self.items, self.regions)
        self.say(
            f"{len(plans)} edition plans: "
            + ", ".join(f"{count} {kind}" for kind, count in Counter(plan.kind for plan in plans).items())
        )
        self.published = []
        self.revisions = []
        for n, plan in enumerate(sorted(plans, key=lambda plan: (plan.year, plan.region.order))):
            with transaction.atomic():
                draft = self.fresh_draft(plan.region, plan.year)
                self.add_items(draft, plan.size)
                if plan.kind != "draft":
                    self.publish_plan(plan, draft)
            if (n + 1) % 10 == 0 or n + 1 == len(plans):
                self.say(f"{n + 1}/{len(plans)} editions, {self.counts['items']} items")

    def fresh_draft(self, region, year):
        """A year's first draft, empty: the benchmark wants editions of EDITION_SIZE items.

        draft_edition_for() opens a new year as a copy of the newest published edition (as 编制下一年度目录
        does), so every year would carry all the earlier years' items and editions would grow to 12,000.
        """
        if Catalogue.objects.filter(region=region, year=year).exists():
            return draft_edition_for(region, year, by=self.clerk)
        return Catalogue.objects.create(
            region=region, year=year, revision=1, title=Catalogue.default_title(region, year), created_by=self.clerk
        )

    def publish_plan(self, plan, draft):
        first_day = date(plan.year, 3, 1) + timedelta(days=plan.region.order * 5 + self.rng.randint(0, 4))
        edition = self.publish(draft, first_day)
        if plan.kind == "withdrawn":
            withdraw_edition(
                edition, by=self.clerk, reason="部分事项属于应由政府直接履行的职责，不宜向社会力量购买，已撤回重新编制。"
            )
            return
        if plan.kind == "revised":
            newer = self.correct(edition, date(plan.year, 8, 10) + timedelta(days=plan.region.order))
            self.revisions.append((newer, edition))
            edition = newer
        self.published.append(edition)

    # Contracts and evaluations ----------------------------------------------------------------------

    def build_contracts(self):
        rng = self.rng
        wanted = max(8, self.items // 50)
        candidates = list(
            CatalogueItem.objects.filter(edition__in=self.published, budget__gte=20000).values_list("pk", flat=True)
        )
        picked = rng.sample(candidates, min(len(candidates), wanted * 2))
        by_leaf_area = defaultdict(list)
        for provider in self.contractors:
            for category in self.provider_categories[provider.pk]:
                by_leaf_area[category.code].append(provider)
        numbers = Counter()
        self.contracts = []
        items = (
            CatalogueItem.objects.filter(pk__in=picked)
            .select_related("edition__region", "category__parent__parent")
            .prefetch_related("purchasing_bodies")
        )
        for item in items.iterator(chunk_size=500):
            if len(self.contracts) >= wanted:
                break
            edition = item.edition
            signed = edition.published_on + timedelta(days=rng.randint(10, 120))
            eligible = [
                provider
                for node in item.category.ancestors()
                for provider in by_leaf_area.get(node.code, [])
                if provider.qualified_from <= signed
            ]
            if not eligible or signed.year != edition.year:
                continue
            body = rng.choice(list(item.purchasing_bodies.all()))
            short = body.short_name.removeprefix(edition.region.name).removeprefix("市").removeprefix("高新区")
            short = short.removesuffix("局")
            numbers[edition.region.slug, edition.year, short] += 1
            number = numbers[edition.region.slug, edition.year, short]
            start = signed + timedelta(days=rng.randint(1, 14))
            contract = Contract(
                region=edition.region,
                year=edition.year,
                item=item,
                provider=rng.choice(eligible),
                purchasing_body=body,
                number=f"{CONTRACT_PREFIX[edition.region.slug]}{short}采〔{edition.year}〕{number}号",
                signed_on=signed,
                value=(item.budget * Decimal(rng.uniform(0.6, 1.0))).quantize(Decimal("100")),
                period_start=start,
                period_end=min(start + timedelta(days=rng.choice([180, 270, 364])), date(edition.year + 1, 6, 30)),
                procurement_method=item.procurement_method,
                summary=item.content.split("。")[0] + "。按季度考核、按月结算，承接主体不得将服务整体转包。",
                no_subcontracting_confirmed=True,
                announced=rng.random() < 0.9,
            )
            contract.announced_on = signed + timedelta(days=2) if contract.announced else None
            self.contracts.append(save_contract(contract, by=self.clerk))
        self.counts["contracts"] = len(self.contracts)
        self.say(f"{len(self.contracts)} contracts recorded through save_contract")

    def build_evaluations(self):
        rng = self.rng
        set_evaluation_weights(
            by=self.clerk,
            self_weight=DEFAULT_WEIGHTS["self"],
            satisfaction_weight=DEFAULT_WEIGHTS["satisfaction"],
            third_party_weight=DEFAULT_WEIGHTS["third_party"],
        )
        third_parties = [
            provider.name for provider in self.contractors
            if any(category.code == "H03" for category in self.provider_categories[provider.pk])
        ] or ["咸宁香城会计师事务所有限责任公司"]
        today = timezone.localdate()
        evaluations = []
        for contract in self.contracts:
            if rng.random() > 0.85:
                continue
            on = min(contract.period_end + timedelta(days=rng.randint(15, 60)), today)
            failing = rng.random() < 0.05
            low, high = (35, 65) if failing else (66, 99)
            evaluation = Evaluation(
                contract=contract,
                evaluated_on=on,
                self_score=Decimal(rng.randint(low + 5, high)),
                satisfaction_score=Decimal(rng.randint(low, high)) + Decimal(rng.choice(["0", "0.5"])),
                third_party_score=Decimal(rng.randint(low, high)),
                third_party_name=rng.choice(third_parties),
                remarks=rng.choice(EVALUATION_REMARKS),
                created_by=self.clerk,
            )
            evaluation.full_clean(validate_unique=False)  # computes the score and grade with the weights in force
            if rng.random() < 0.85:
                evaluation.published = True
                evaluation.published_on = min(on + timedelta(days=rng.randint(20, 45)), today)
            evaluations.append(evaluation)
        bulk_create_with_history(
            evaluations, Evaluation, batch_size=BATCH, default_user=self.clerk, default_change_reason=CHANGE_REASON
        )
        self.counts["evaluations"] = len(evaluations)
        self.say(f"{len(evaluations)} evaluations, {sum(e.published for e in evaluations)} published")

    # What the benchmark measures --------------------------------------------------------------------

    def urls(self):
        """{name: path} of the public pages the benchmark measures, with ids picked from the data."""
        big = max(
            self.published, key=lambda edition: (edition.items.count(), edition.region.slug == "xianning", edition.year)
        )
        small = next(
            edition for edition in self.published if edition.region.slug == SMALL_REGION and edition.year == FIRST_YEAR
        )
        newer, older = self.revisions[0]
        area = ServiceCategory.objects.get(code="C")
        item = (
            CatalogueItem.objects.filter(edition=big, contracts__evaluation__published=True).order_by("pk").first()
            or big.items.order_by("code").first()
        )
        provider = (
            Provider.objects.qualified()
            .filter(contracts__evaluation__published=True)
            .annotate(results=Count("contracts__evaluation"))
            .order_by("-results", "pk")
            .first()
        ) or self.contractors[0]
        base = f"/editions/{big.pk}/"

        def search(query):
            return "/search/?" + urlencode({"q": query})

        return {
            "home": "/",
            "edition_small": f"/editions/{small.pk}/",
            "edition_2000": base,
            "edition_2000_filtered": base + "?" + urlencode({"category": area.pk, "page": 2}),
            "item": f"/items/{item.pk}/",
            "search_common": search(COMMON_QUERY),
            "search_rare": search(RARE_QUERY),
            "search_one_char": search(ONE_CHARACTER_QUERY),
            "providers": "/providers/",
            "provider": f"/providers/{provider.pk}/",
            "evaluations": "/evaluations/",
            "statistics": "/statistics/",
            "compare": f"/editions/{newer.pk}/compare/?" + urlencode({"with": older.pk}),
            "export_csv": base + "export.csv",
            "export_xlsx": base + "export.xlsx",
            "export_json": base + "export.json",
            "export_ocds": base + "ocds.json",
        }

    def search_hits(self):
        """Hits of the benchmark's queries among the items in force, to print beside the table."""
        current = CatalogueItem.objects.current()
        queries = (COMMON_QUERY, RARE_QUERY, ONE_CHARACTER_QUERY)
        return {query: search_items(current, query)[0].count() for query in queries}

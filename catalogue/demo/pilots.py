"""Pilot items in the demo, so each role's work queue has something in it (DOMAIN.md §9).

- 咸安区 has submitted 农村留守儿童关爱服务 for 2018: it waits in 市财政局's review queue.
- 赤壁市 submitted 困难群众走访核查; 市财政局 returned it with a reason: it waits in 赤壁市's queue.
- 咸安区 is still drafting 残疾人居家托养服务.

Each is created once and moved to its state through the services, as a clerk would move it, so
its trail records who did what; a second run finds it and writes nothing.
"""

from dataclasses import dataclass
from decimal import Decimal

from catalogue.models import PilotItem
from catalogue.services import return_pilot_item, submit_pilot_item

YEAR = 2018


@dataclass(frozen=True)
class PilotSpec:
    region: str
    body: str
    category: str
    name: str
    content: str
    requirements: str
    budget: str
    reason: str
    state: str
    standard: str = ""
    return_reason: str = ""


PILOTS = [
    PilotSpec(
        "xianan",
        "咸安区民政局",
        "C0401",
        "咸安区农村留守儿童关爱服务",
        "在12个乡镇（街道）开展留守儿童课后陪伴、心理疏导、安全教育和假期托管，建立一人一档关爱台账。",
        "依法登记的社会组织，配备持证社会工作者不少于5名，具有2年以上儿童服务经验。",
        "360000.00",
        "农村留守儿童关爱需求大，公益性强，社会组织已有服务基础，适合先行试点。",
        PilotItem.Status.SUBMITTED,
        standard="受助儿童及监护人满意度不低于90%，档案建档率100%。",
    ),
    PilotSpec(
        "chibi",
        "赤壁市民政局",
        "C0301",
        "赤壁市困难群众走访核查",
        "委托第三方对低保、特困对象开展入户走访和家庭经济状况核查，出具核查报告。",
        "具有社会调查或社会工作服务能力的社会组织或企业，近三年无重大违法记录。",
        "250000.00",
        "核查工作量大、专业性强，引入第三方可提高核查的客观性和效率。",
        PilotItem.Status.RETURNED,
        return_reason="请补充走访核查的户数、频次和质量标准，并说明预算测算依据。",
    ),
    PilotSpec(
        "xianan",
        "咸安区残疾人联合会",
        "G0202",
        "咸安区残疾人居家托养服务",
        "为重度残疾人提供上门生活照料、康复护理和家属喘息服务。",
        "具有残疾人托养或养老护理服务经验的社会组织或企业。",
        "420000.00",
        "重度残疾人家庭照护负担重，居家托养服务需求迫切。",
        PilotItem.Status.DRAFT,
    ),
]


def build(builder):
    county_users = {"xianan": builder.users["xianan"], "chibi": builder.users["chibi"]}
    reviewer = builder.users["shicaizheng"]
    for spec in PILOTS:
        pilot = builder.upsert(
            PilotItem,
            {"region": builder.regions[spec.region], "fiscal_year": YEAR, "name": spec.name},
            {
                "category": builder.categories[spec.category],
                "content": spec.content,
                "provider_requirements": spec.requirements,
                "performance_standard": spec.standard,
                "planned_budget": Decimal(spec.budget),
                "reason": spec.reason,
                "negative_list_confirmed": True,
                "created_by": county_users[spec.region],
            },
            m2m={"purchasing_bodies": [builder.body_named(spec.body)]},
        )
        if pilot.transitions.exists() or spec.state == PilotItem.Status.DRAFT:
            continue
        pilot = submit_pilot_item(pilot, by=county_users[spec.region], comment="请市财政局审核")
        if spec.state == PilotItem.Status.RETURNED:
            return_pilot_item(pilot, by=reviewer, reason=spec.return_reason)

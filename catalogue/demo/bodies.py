"""购买主体 for the demo (DOMAIN.md §4): the city's bureaus, the same bureaus in each county, the zone's offices.

Each body has a key (the bureau it is, e.g. "minzheng") so that item templates
can name the buyer once and every region resolves it to its own bureau. A
region without such a bureau falls back to the one that does that work there
(FALLBACK).
"""

from dataclasses import dataclass

ADMIN_ORGAN = "ADMIN_ORGAN"
PUBLIC_INSTITUTION = "PUBLIC_INSTITUTION"
MASS_ORGANISATION = "MASS_ORGANISATION"

# The credit code's first two characters for each kind (DOMAIN.md §6:
# authority 1 机构编制; kind 1 机关, 2 事业单位, 3 群众团体).
CODE_PREFIX = {ADMIN_ORGAN: "11", PUBLIC_INSTITUTION: "12", MASS_ORGANISATION: "13"}

# 咸宁高新区 has no GB/T 2260 code; its bodies are registered under the city's.
ZONE_REGION_CODE = "421200"


@dataclass(frozen=True)
class Body:
    key: str
    name: str
    short_name: str
    kind: str = ADMIN_ORGAN
    parent: str = ""  # key of the supervising body in the same region


CITY = [
    Body("minzheng", "咸宁市民政局", "市民政局"),
    Body("renshe", "咸宁市人力资源和社会保障局", "市人社局"),
    Body("shebao", "咸宁市社会保险管理局", "市社保局", PUBLIC_INSTITUTION, parent="renshe"),
    Body("jiuye", "咸宁市公共就业和人才服务局", "市就业局", PUBLIC_INSTITUTION, parent="renshe"),
    Body("weijian", "咸宁市卫生健康委员会", "市卫健委"),
    Body("jiaoyu", "咸宁市教育局", "市教育局"),
    Body("zhujian", "咸宁市住房和城乡建设局", "市住建局"),
    Body("wenlv", "咸宁市文化和旅游局", "市文旅局"),
    Body("tiyu", "咸宁市体育局", "市体育局"),
    Body("canlian", "咸宁市残疾人联合会", "市残联", MASS_ORGANISATION),
    Body("fulian", "咸宁市妇女联合会", "市妇联", MASS_ORGANISATION),
    Body("tuanwei", "共青团咸宁市委员会", "团市委", MASS_ORGANISATION),
    Body("caizheng", "咸宁市财政局", "市财政局"),
    Body("sifa", "咸宁市司法局", "市司法局"),
    Body("fagai", "咸宁市发展和改革委员会", "市发改委"),
    Body("shijian", "咸宁市市场监督管理局", "市市场监管局"),
    Body("shuju", "咸宁市政务服务和大数据管理局", "市大数据局"),
    Body("jiguan", "咸宁市机关事务服务中心", "市机关事务中心", PUBLIC_INSTITUTION),
]

# (key, name after the county's name, short name after it, kind)
COUNTY_BUREAUS = [
    ("minzheng", "民政局", "民政局", ADMIN_ORGAN),
    ("renshe", "人力资源和社会保障局", "人社局", ADMIN_ORGAN),
    ("weijian", "卫生健康局", "卫健局", ADMIN_ORGAN),
    ("jiaoyu", "教育局", "教育局", ADMIN_ORGAN),
    ("zhujian", "住房和城乡建设局", "住建局", ADMIN_ORGAN),
    ("wenlv", "文化和旅游局", "文旅局", ADMIN_ORGAN),
    ("canlian", "残疾人联合会", "残联", MASS_ORGANISATION),
    ("fulian", "妇女联合会", "妇联", MASS_ORGANISATION),
    ("caizheng", "财政局", "财政局", ADMIN_ORGAN),
    ("sifa", "司法局", "司法局", ADMIN_ORGAN),
]

COUNTY_SLUGS = ["xianan", "jiayu", "tongcheng", "chongyang", "tongshan", "chibi"]

ZONE = [
    Body("shehui", "咸宁高新区社会事业局", "高新区社会事业局"),
    Body("caizheng", "咸宁高新区财政局", "高新区财政局"),
    Body("guihua", "咸宁高新区规划建设局", "高新区规划建设局"),
    Body("jingfa", "咸宁高新区经济发展局", "高新区经发局"),
]

# Where a region has no such bureau, the one that buys that service there.
COUNTY_FALLBACK = {
    "shebao": "renshe",
    "jiuye": "renshe",
    "tiyu": "wenlv",
    "tuanwei": "fulian",
    "fagai": "caizheng",
    "shijian": "caizheng",
    "shuju": "caizheng",
    "jiguan": "caizheng",
}
ZONE_FALLBACK = {
    **{key: "shehui" for key in (
        "minzheng", "renshe", "shebao", "jiuye", "weijian", "jiaoyu", "wenlv", "tiyu", "canlian", "fulian", "tuanwei",
    )},
    "zhujian": "guihua",
    "fagai": "jingfa",
    "shijian": "jingfa",
    "sifa": "caizheng",
    "shuju": "caizheng",
    "jiguan": "caizheng",
}


def bodies_for(region_slug: str, region_name: str) -> list[Body]:
    """The demo's purchasing bodies of one region."""
    if region_slug == "xianning":
        return CITY
    if region_slug == "xn-htz":
        return ZONE
    return [
        Body(key, f"{region_name}{suffix}", f"{region_name}{short}", kind)
        for key, suffix, short, kind in COUNTY_BUREAUS
    ]


def resolve(region_slug: str, key: str) -> str:
    """The key of the body that buys `key`'s services in this region."""
    if region_slug == "xianning":
        return key
    fallback = ZONE_FALLBACK if region_slug == "xn-htz" else COUNTY_FALLBACK
    return fallback.get(key, key)

"""The demo's editions (DOMAIN.md §8): every state an edition can be in, and years to compare.

- 2017, revision 1: a published edition for the city, every county and the zone.
- 2016: earlier published editions for the city, 咸安区 and 赤壁市 (to compare
  with 2017), and a withdrawn one for 通山县.
- The city's 2017 revision 1 is superseded by revision 2, a correction (动态调整).
- 2018: the city's draft, copied from its 2017 edition with a few new items.

Each edition has a tag that selects its items from items.py: "2016", "2017"
(the counties), "2017.1" and "2017.2" (the city's revisions) or "2018". Order matters: a revision is superseded before the one
that replaces it is published, so at most one is ever published.
"""

from dataclasses import dataclass
from datetime import date

DRAFT = "DRAFT"
PUBLISHED = "PUBLISHED"
SUPERSEDED = "SUPERSEDED"
WITHDRAWN = "WITHDRAWN"


@dataclass(frozen=True)
class EditionData:
    region: str  # slug
    year: int
    revision: int
    status: str
    document_number: str = ""
    published_on: date | None = None
    notes: str = ""

    @property
    def tag(self):
        """Which templates of items.py this edition carries (the city's 2017 revisions differ)."""
        if self.region == "xianning" and self.year == 2017:
            return f"{self.year}.{self.revision}"
        return str(self.year)


EDITIONS = [
    EditionData(
        "xianning", 2016, 1, PUBLISHED, "咸财综发〔2016〕5号", date(2016, 4, 18),
        "依据咸政办发〔2015〕39号编制，为市本级首批试编目录。",
    ),
    EditionData("xianan", 2016, 1, PUBLISHED, "咸安财发〔2016〕2号", date(2016, 5, 10)),
    EditionData("chibi", 2016, 1, PUBLISHED, "赤财综〔2016〕3号", date(2016, 5, 26)),
    EditionData(
        "tongshan", 2016, 1, WITHDRAWN, "通山财发〔2016〕7号", date(2016, 6, 3),
        "部分事项属于应由政府直接履行的职责，不宜向社会力量购买，已撤回重新编制。",
    ),
    EditionData(
        "xianning", 2017, 1, SUPERSEDED, "咸财综发〔2017〕8号", date(2017, 3, 20),
        "按通知要求增列出版印刷、软件研发、咨询评估、会计审计、检验检测等事务性管理服务。",
    ),
    EditionData(
        "xianning", 2017, 2, PUBLISHED, "咸财综发〔2017〕21号", date(2017, 8, 15),
        "动态调整：增列居家养老服务信息平台运营，调整政府购买服务信息平台软件开发预算和公务用车租赁购买方式。",
    ),
    EditionData("xianan", 2017, 1, PUBLISHED, "咸安财发〔2017〕3号", date(2017, 4, 12)),
    EditionData("jiayu", 2017, 1, PUBLISHED, "嘉财发〔2017〕4号", date(2017, 4, 20)),
    EditionData("tongcheng", 2017, 1, PUBLISHED, "通财发〔2017〕6号", date(2017, 4, 28)),
    EditionData("chongyang", 2017, 1, PUBLISHED, "崇财发〔2017〕5号", date(2017, 5, 8)),
    EditionData("tongshan", 2017, 1, PUBLISHED, "通山财发〔2017〕4号", date(2017, 5, 15)),
    EditionData("chibi", 2017, 1, PUBLISHED, "赤财综〔2017〕5号", date(2017, 4, 6)),
    EditionData("xn-htz", 2017, 1, PUBLISHED, "咸高新财发〔2017〕2号", date(2017, 6, 1)),
    EditionData(
        "xianning", 2018, 1, DRAFT,
        notes="以2017年第2版为基础编制，新增长者食堂助餐、“互联网+政务服务”移动端开发和成年残疾人社区康复。",
    ),
]

"""承接主体 for the demo (DOMAIN.md §5): social organisations, firms and institutions in 咸宁.

Names are invented but typical of what is registered in 咸宁; each gets a valid
credit code whose first two characters match its registration authority and
kind (5x 民政, 91 市场监管, 12 事业单位登记, 31 司法行政 for law firms).
Most are qualified until 2027-2028; a few are pending, one is suspended and
one qualified only until 2025-06-30, so the directory shows that expired
qualifications are not listed.
"""

from dataclasses import dataclass
from datetime import date

SOCIAL_GROUP = "SOCIAL_GROUP"
PRIVATE_NON_ENTERPRISE = "PRIVATE_NON_ENTERPRISE"
FOUNDATION = "FOUNDATION"
ENTERPRISE = "ENTERPRISE"
PUBLIC_INSTITUTION = "PUBLIC_INSTITUTION"
OTHER = "OTHER"

QUALIFIED = "QUALIFIED"
PENDING = "PENDING"
SUSPENDED = "SUSPENDED"

UNTIL_2027 = date(2027, 12, 31)
UNTIL_2028 = date(2028, 6, 30)
EXPIRED = date(2025, 6, 30)
QUALIFIED_SINCE = date(2016, 3, 1)  # the first review after the notice of 2015

# The registration authority's region code goes into positions 3-8 of the credit code.
AUTHORITY_REGION = {
    "咸宁市民政局": "421200",
    "咸安区民政局": "421202",
    "嘉鱼县民政局": "421221",
    "通城县民政局": "421222",
    "崇阳县民政局": "421223",
    "通山县民政局": "421224",
    "赤壁市民政局": "421281",
    "咸宁市市场监督管理局": "421200",
    "赤壁市市场监督管理局": "421281",
    "嘉鱼县市场监督管理局": "421221",
    "咸宁市事业单位登记管理局": "421200",
    "咸宁市司法局": "421200",
}


@dataclass(frozen=True)
class ProviderData:
    name: str
    kind: str
    code_prefix: str  # registration authority and kind: 51, 52, 53, 91, 12, 31
    authority: str
    region: str  # slug of the region it is located in
    categories: tuple[str, ...]  # mostly 二级 codes: it may serve every item type below
    status: str = QUALIFIED
    until: date | None = UNTIL_2027
    since: date = QUALIFIED_SINCE  # 认定日期 (none while pending)
    grade: str = ""
    address: str = ""
    phone: str = ""
    introduction: str = ""


PROVIDERS = [
    # Social organisations registered with civil affairs (民政).
    ProviderData(
        "咸宁市阳光社会工作服务中心", PRIVATE_NON_ENTERPRISE, "52", "咸宁市民政局", "xianning",
        ("C02", "C03", "C04"), grade="4A", until=UNTIL_2028,
        address="咸宁市咸安区温泉路36号", phone="0715-8126630",
        introduction="专业社会工作服务机构，现有持证社会工作者18名，承接社区居家养老、低保入户核查和留守儿童关爱项目。",
    ),
    ProviderData(
        "咸宁市老年服务协会", SOCIAL_GROUP, "51", "咸宁市民政局", "xianning",
        ("C02",), grade="3A",
        address="咸宁市咸安区金桂路88号", phone="0715-8263512",
        introduction="由全市养老机构和居家养老服务组织组成的行业协会，开展养老护理员培训和服务质量评估。",
    ),
    ProviderData(
        "咸宁市慈善基金会", FOUNDATION, "53", "咸宁市民政局", "xianning",
        ("C03", "C04", "G02"), grade="4A",
        address="咸宁市咸安区银泉大道12号", phone="0715-8321906",
        introduction="地方公募基金会，开展助困、助学、助残项目和临时救助评估协作。",
    ),
    ProviderData(
        "咸宁市温泉颐养园养老服务中心", PRIVATE_NON_ENTERPRISE, "52", "咸宁市民政局", "xianning",
        ("C02",), until=UNTIL_2028,
        address="咸宁市咸安区温泉街道淦河大道201号", phone="0715-8169201",
        introduction="设床位260张的民办非营利养老机构，运营3个社区居家养老服务中心。",
    ),
    ProviderData(
        "咸安区夕阳红居家养老服务中心", PRIVATE_NON_ENTERPRISE, "52", "咸安区民政局", "xianan",
        ("C02",), grade="3A",
        address="咸宁市咸安区永安街道十六潭路5号", phone="0715-8851207",
        introduction="在咸安区运营社区老年人日间照料中心，提供助餐、助洁和上门探访服务。",
    ),
    ProviderData(
        "赤壁市爱心社会工作服务社", PRIVATE_NON_ENTERPRISE, "52", "赤壁市民政局", "chibi",
        ("C03", "C04", "A02"), grade="3A",
        address="赤壁市蒲圻街道河北大道168号", phone="0715-5321188",
        introduction="赤壁市首家专业社工机构，开展困难群众走访核查、留守儿童关爱和“四点半课堂”。",
    ),
    ProviderData(
        "嘉鱼县春晖儿童关爱服务中心", PRIVATE_NON_ENTERPRISE, "52", "嘉鱼县民政局", "jiayu",
        ("C04", "A02"),
        address="嘉鱼县鱼岳镇沙阳大道76号", phone="0715-6332451",
        introduction="为农村留守儿童和困境儿童提供课后托管、心理辅导和监护指导。",
    ),
    ProviderData(
        "通城县残疾人康复服务中心", PRIVATE_NON_ENTERPRISE, "52", "通城县民政局", "tongcheng",
        ("G01", "G02"),
        address="通城县隽水镇银城东路20号", phone="0715-4332016",
        introduction="残联认定的残疾儿童定点康复机构，设听力言语、肢体和孤独症康复训练室。",
    ),
    ProviderData(
        "崇阳县青少年事务社会工作服务中心", PRIVATE_NON_ENTERPRISE, "52", "崇阳县民政局", "chongyang",
        ("C04", "A01"),
        address="崇阳县天城镇大岭路9号", phone="0715-3382265",
        introduction="开展青少年成长辅导、留守儿童关爱和校园心理健康教育。",
    ),
    ProviderData(
        "通山县农村电影放映协会", SOCIAL_GROUP, "51", "通山县民政局", "tongshan",
        ("F01",), status=PENDING, until=None,
        address="通山县通羊镇新城大道45号", phone="0715-2362310",
        introduction="由全县农村电影放映员组成，承担行政村公益电影放映。资质认定材料审核中。",
    ),
    ProviderData(
        "咸宁市社会体育指导员协会", SOCIAL_GROUP, "51", "咸宁市民政局", "xianning",
        ("F02",), grade="3A",
        address="咸宁市咸安区咸宁大道体育中心", phone="0715-8255819",
        introduction="组织社会体育指导员开展科学健身指导，承办全民健身赛事。",
    ),
    ProviderData(
        "咸宁市非物质文化遗产保护协会", SOCIAL_GROUP, "51", "咸宁市民政局", "xianning",
        ("F03", "F01"),
        address="咸宁市咸安区金桂路198号", phone="0715-8127736",
        introduction="联系全市非遗传承人，开展非遗调查记录、展演和进校园活动。",
    ),
    ProviderData(
        "咸宁市职业技能培训协会", SOCIAL_GROUP, "51", "咸宁市民政局", "xianning",
        ("B02", "G02"), until=UNTIL_2028,
        address="咸宁市咸安区旗鼓大道66号", phone="0715-8379920",
        introduction="由全市定点职业培训机构组成，组织就业技能培训和创业培训。",
    ),
    ProviderData(
        "咸宁市心理咨询师协会", SOCIAL_GROUP, "51", "咸宁市民政局", "xianning",
        ("D01", "C04"), until=EXPIRED,
        address="咸宁市咸安区贺胜路31号", phone="0715-8218846",
        introduction="组织心理咨询师开展心理健康宣传和困境儿童心理辅导。认定有效期已于2025年6月30日届满，待重新认定。",
    ),
    ProviderData(
        "咸宁市律师协会", SOCIAL_GROUP, "51", "咸宁市民政局", "xianning",
        ("H03", "C01"), grade="5A",
        address="咸宁市咸安区银泉大道8号", phone="0715-8128096",
        introduction="全市律师行业自律组织，组织律师参与公共法律服务和社保法律事务。",
    ),
    ProviderData(
        "咸宁市残疾人福利基金会", FOUNDATION, "53", "咸宁市民政局", "xianning",
        ("G01", "G02", "G03"),
        address="咸宁市咸安区温泉路12号", phone="0715-8253301",
        introduction="资助残疾人康复、托养和无障碍改造项目。",
    ),
    ProviderData(
        "咸宁市志愿者协会", SOCIAL_GROUP, "51", "咸宁市民政局", "xianning",
        ("C03", "F01", "A02"), grade="3A",
        address="咸宁市咸安区淦河大道110号", phone="0715-8866120",
        introduction="注册志愿者1.2万人，开展助老、助学和文化志愿服务。",
    ),
    ProviderData(
        "咸宁爱康医院", PRIVATE_NON_ENTERPRISE, "52", "咸宁市民政局", "xianning",
        ("D02", "D03", "G01"),
        address="咸宁市咸安区长江大道3号", phone="0715-8233120",
        introduction="非营利性民营综合医院，设老年病科和康复医学科，承担健康体检和家庭医生签约辅助服务。",
    ),
    ProviderData(
        "赤壁市蒲圻职业培训学校", PRIVATE_NON_ENTERPRISE, "52", "赤壁市民政局", "chibi",
        ("B02", "G02"),
        address="赤壁市陆水湖街道赤马港大道22号", phone="0715-5228891",
        introduction="人社部门认定的定点培训机构，开设电工、育婴员、电子商务等培训专业。",
    ),
    # Firms registered with market regulation (市场监管).
    ProviderData(
        "湖北香城物业服务有限公司", ENTERPRISE, "91", "咸宁市市场监督管理局", "xianning",
        ("H01", "E01", "A03"), until=UNTIL_2028,
        address="咸宁市咸安区金桂路52号", phone="0715-8191688",
        introduction="一级资质物业服务企业，管理行政中心、学校和公租房小区等项目。",
    ),
    ProviderData(
        "咸宁市众联信息技术有限公司", ENTERPRISE, "91", "咸宁市市场监督管理局", "xn-htz",
        ("H02", "E01"),
        address="咸宁高新区长江产业园1号楼", phone="0715-8280126",
        introduction="软件和信息系统集成企业，承担政务网站、财政业务系统的开发和运维。",
    ),
    ProviderData(
        "咸宁香城会计师事务所有限责任公司", ENTERPRISE, "91", "咸宁市市场监督管理局", "xianning",
        ("H03",), until=UNTIL_2028,
        address="咸宁市咸安区银泉大道56号", phone="0715-8122960",
        introduction="有注册会计师12名，承担财务收支审计、财政投资评审和绩效评价业务。",
    ),
    ProviderData(
        "湖北鄂南工程咨询有限公司", ENTERPRISE, "91", "咸宁市市场监督管理局", "xianning",
        ("H02", "H03", "G03"),
        address="咸宁市咸安区旗鼓大道128号", phone="0715-8365521",
        introduction="具有工程咨询和造价咨询资质，承接规划编制、项目评审和咨询评估。",
    ),
    ProviderData(
        "咸宁市金桂人力资源服务有限公司", ENTERPRISE, "91", "咸宁市市场监督管理局", "xianning",
        ("B01", "B03"),
        address="咸宁市咸安区温泉路60号", phone="0715-8120561",
        introduction="持有人力资源服务许可证，运营人力资源市场和招聘网站。",
    ),
    ProviderData(
        "咸宁市香泉会务服务有限公司", ENTERPRISE, "91", "咸宁市市场监督管理局", "xianning",
        ("H01",),
        address="咸宁市咸安区温泉街道月亮湾路16号", phone="0715-8306615",
        introduction="提供会场布置、音视频保障和会务接待服务。",
    ),
    ProviderData(
        "咸宁市通达汽车租赁有限公司", ENTERPRISE, "91", "咸宁市市场监督管理局", "xianning",
        ("H01",), status=SUSPENDED, until=UNTIL_2027,
        address="咸宁市咸安区咸宁大道209号", phone="0715-8170022",
        introduction="公务用车租赁企业。因合同履约考核不合格，资质认定暂停至整改完成。",
    ),
    ProviderData(
        "咸宁市鄂南印务有限公司", ENTERPRISE, "91", "咸宁市市场监督管理局", "xianning",
        ("H03",),
        address="咸宁市咸安区横沟桥镇工业园", phone="0715-8489031",
        introduction="持有出版物印刷许可证，承印公报、年鉴和宣传资料。",
    ),
    ProviderData(
        "湖北楚信检测技术有限公司", ENTERPRISE, "91", "赤壁市市场监督管理局", "chibi",
        ("H02",), status=PENDING, until=None,
        address="赤壁市赤壁经济开发区发展大道9号", phone="0715-5366218",
        introduction="取得检验检测机构资质认定（CMA），从事食品和农产品检测。资质认定材料审核中。",
    ),
    ProviderData(
        "咸宁市香城演艺有限公司", ENTERPRISE, "91", "咸宁市市场监督管理局", "xianning",
        ("F01",),
        address="咸宁市咸安区温泉路101号", phone="0715-8259310",
        introduction="持有营业性演出许可证的文艺表演团体，常年开展“送戏下乡”演出。",
    ),
    ProviderData(
        "咸宁市康达康复辅助器具有限公司", ENTERPRISE, "91", "咸宁市市场监督管理局", "xianning",
        ("G01",), status=PENDING, until=None,
        address="咸宁高新区青龙路22号", phone="0715-8293317",
        introduction="从事康复辅助器具适配、租赁和维修。资质认定材料审核中。",
    ),
    ProviderData(
        "嘉鱼县鱼岳物业管理有限公司", ENTERPRISE, "91", "嘉鱼县市场监督管理局", "jiayu",
        ("H01", "E01"),
        address="嘉鱼县鱼岳镇发展大道31号", phone="0715-6355109",
        introduction="管理嘉鱼县行政中心和公租房小区物业。",
    ),
    # Institutions (事业单位, 公益二类) and a law firm.
    ProviderData(
        "咸宁市规划设计研究院", PUBLIC_INSTITUTION, "12", "咸宁市事业单位登记管理局", "xianning",
        ("H02",), until=UNTIL_2028,
        address="咸宁市咸安区咸宁大道118号", phone="0715-8121479",
        introduction="公益二类事业单位，承担城乡规划和专项规划编制。",
    ),
    ProviderData(
        "咸宁市产品质量监督检验所", PUBLIC_INSTITUTION, "12", "咸宁市事业单位登记管理局", "xianning",
        ("H02", "D03"),
        address="咸宁市咸安区旗鼓大道99号", phone="0715-8361283",
        introduction="法定检验机构，开展食品、产品质量抽样检验。",
    ),
    ProviderData(
        "湖北香城律师事务所", OTHER, "31", "咸宁市司法局", "xianning",
        ("H03", "C01"),
        address="咸宁市咸安区银泉大道20号", phone="0715-8120912",
        introduction="有执业律师21名，担任多个政府部门法律顾问，代理行政复议和社保争议案件。",
    ),
]

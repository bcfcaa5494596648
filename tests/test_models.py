"""Model-level rules: what admin, import and API all get, with Chinese messages on the field."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalogue.models import Catalogue, CatalogueItem, Provider, PurchasingBody, Region, ServiceCategory
from tests import factories as f


def errors_of(obj, **kwargs):
    with pytest.raises(ValidationError) as exc:
        obj.full_clean(**kwargs)
    return exc.value.message_dict


# Regions and categories -------------------------------------------------------------------------


def test_fixtures_hold_the_city_six_counties_and_the_zone():
    names = list(Region.objects.values_list("name", flat=True))
    assert names == ["咸宁市", "咸安区", "嘉鱼县", "通城县", "崇阳县", "通山县", "赤壁市", "咸宁高新区"]
    zone = Region.objects.get(slug="xn-htz")
    assert zone.code == "" and zone.level == Region.Level.ZONE and zone.parent.name == "咸宁市"
    assert Region.objects.get(name="赤壁市").code == "421281"


def test_fixtures_hold_the_notices_eight_areas_and_the_2017_services():
    areas = list(ServiceCategory.objects.areas().values_list("name", flat=True))
    assert areas == ["教育", "就业", "社会保障", "医疗卫生", "住房保障", "文化体育", "残疾人服务", "公共管理辅助性事项"]
    added_2017 = set(ServiceCategory.objects.filter(introduced_in=2017, level=3).values_list("name", flat=True))
    assert {"出版印刷", "软件研发", "咨询评估", "会计审计", "检验检测"} <= added_2017
    assert ServiceCategory.objects.get(code="C0201").name == "社区居家养老服务"
    assert set(ServiceCategory.objects.values_list("level", flat=True)) == {1, 2, 3}


def test_every_fixture_category_passes_its_own_validation():
    for category in ServiceCategory.objects.select_related("parent"):
        category.full_clean()


def test_region_code_of_five_digits_is_refused_on_the_field():
    region = Region(code="42120", slug="bad", name="测算区", level=Region.Level.COUNTY)
    assert "6位数字" in errors_of(region)["code"][0]


def test_two_regions_may_both_lack_a_code_but_not_share_one():
    Region(code="", slug="zone-2", name="咸宁经济开发区", level=Region.Level.ZONE).full_clean()
    duplicate = Region(code="421200", slug="dup", name="重复市", level=Region.Level.CITY)
    assert "已被使用" in errors_of(duplicate)["code"][0]


def test_category_below_a_third_level_is_refused():
    leaf = ServiceCategory.objects.get(code="C0201")
    child = ServiceCategory(code="C020101", name="助餐服务", parent=leaf)
    messages = errors_of(child)
    assert "最多三级" in messages["parent"][0]


def test_category_code_must_extend_its_parents_code():
    child = ServiceCategory(code="D0104", name="错位的类别", parent=ServiceCategory.objects.get(code="C02"))
    assert "应以上级编码“C02”开头" in errors_of(child)["code"][0]


# Purchasing bodies and providers ---------------------------------------------------------------


def test_purchasing_body_with_a_bad_check_character_is_refused_on_the_field():
    body = PurchasingBody(name="咸宁市民政局", region=f.region(), credit_code="11421200011234567X")
    assert "统一社会信用代码" in errors_of(body)["credit_code"][0]


def test_provider_with_a_code_of_the_wrong_length_is_refused():
    provider = Provider(
        name="咸宁市阳光社会工作服务中心",
        kind=Provider.Kind.PRIVATE_NON_ENTERPRISE,
        registration_authority="咸宁市民政局",
        credit_code="5242120006",
        region=f.region(),
    )
    assert "应为18位" in errors_of(provider)["credit_code"][0]


def test_provider_kind_is_suggested_by_the_credit_code():
    assert Provider.suggested_kind("52421200MJH123456X") == Provider.Kind.PRIVATE_NON_ENTERPRISE
    assert Provider.suggested_kind("91421200MA4F000000") == Provider.Kind.ENTERPRISE
    assert Provider.suggested_kind("Y1421200000000000X") == Provider.Kind.OTHER


def test_a_qualified_provider_needs_a_date_and_lapses_after_it():
    provider = f.provider(qualified_until=date(2020, 12, 31))
    assert not provider.is_qualified
    assert provider not in Provider.objects.qualified()
    provider.qualified_until = None
    assert "有效期" in errors_of(provider)["qualified_until"][0]


def test_evaluation_grade_is_only_for_social_organisations():
    provider = f.provider(kind=Provider.Kind.ENTERPRISE, evaluation_grade="4A")
    assert "社会组织评估等级" in errors_of(provider)["evaluation_grade"][0]


# Editions -------------------------------------------------------------------------------------


def test_a_duplicate_revision_is_refused_on_the_revision_field():
    f.edition(year=2016, status=Catalogue.Status.DRAFT)
    second = Catalogue(region=f.region(), year=2016, revision=1, title="咸宁市2016年目录（重复）")
    messages = errors_of(second)
    assert "修订版次" in messages["revision"][0]
    assert "__all__" not in messages


def test_a_second_published_revision_is_refused_on_the_status_field():
    f.edition(year=2016, revision=1, status=Catalogue.Status.PUBLISHED)
    second = Catalogue(
        region=f.region(),
        year=2016,
        revision=2,
        title="咸宁市2016年目录（第2版）",
        status=Catalogue.Status.PUBLISHED,
        document_number="咸财综发〔2016〕20号",
        published_on=date(2016, 9, 1),
    )
    assert "已有一个已发布的版次" in errors_of(second)["status"][0]


def test_the_database_refuses_a_second_published_revision_too():
    f.edition(year=2016, revision=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.edition(year=2016, revision=2)


def test_another_region_or_year_may_publish_alongside():
    f.edition(year=2016)
    f.edition(year=2017)
    f.edition(region_slug="chibi", year=2016)
    assert Catalogue.objects.published().count() == 3


def test_publishing_needs_a_document_number_and_a_date():
    edition = Catalogue(region=f.region(), year=2017, title="t", status=Catalogue.Status.PUBLISHED)
    messages = errors_of(edition)
    assert "文号" in messages["document_number"][0]
    assert "发布日期" in messages["published_on"][0]


def test_a_year_before_the_notice_is_refused():
    edition = Catalogue(region=f.region(), year=2014, title="t")
    assert "2015" in errors_of(edition)["year"][0]


def test_visibility_querysets_show_only_what_the_public_may_read():
    published = f.edition(year=2017, revision=2)
    superseded = f.edition(year=2017, revision=1, status=Catalogue.Status.SUPERSEDED)
    draft = f.edition(year=2018, status=Catalogue.Status.DRAFT)
    withdrawn = f.edition(region_slug="tongshan", year=2016, status=Catalogue.Status.WITHDRAWN)
    assert set(Catalogue.objects.published()) == {published}
    assert set(Catalogue.objects.public()) == {published, superseded}
    for edition in (published, superseded, draft, withdrawn):
        f.item(edition)
    assert {i.edition for i in CatalogueItem.objects.current()} == {published}
    assert {i.edition for i in CatalogueItem.objects.public()} == {published, superseded}


# Items ----------------------------------------------------------------------------------------


def test_an_item_under_a_non_leaf_category_is_refused_on_the_field():
    edition = f.edition(status=Catalogue.Status.DRAFT)
    item = CatalogueItem(edition=edition, category=ServiceCategory.objects.get(code="C02"), name="养老服务")
    assert "三级" in errors_of(item)["category"][0]
    assert not CatalogueItem.objects.exists()


def test_a_negative_budget_is_refused_on_the_field():
    edition = f.edition(status=Catalogue.Status.DRAFT)
    item = CatalogueItem(edition=edition, category=f.category(), name="社区居家养老服务", budget=Decimal("-1"))
    assert "不能为负数" in errors_of(item)["budget"][0]


def test_the_database_refuses_a_negative_budget_too():
    edition = f.edition(status=Catalogue.Status.DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        CatalogueItem.objects.create(edition=edition, category=f.category(), name="x", budget=Decimal("-0.01"))


def test_items_of_a_published_edition_are_frozen():
    edition = f.edition(status=Catalogue.Status.PUBLISHED)
    item = CatalogueItem(edition=edition, category=f.category(), name="社区居家养老服务")
    assert "不能再修改" in errors_of(item)["edition"][0]


def test_item_codes_follow_the_category_and_are_unique_in_the_edition():
    edition = f.edition(status=Catalogue.Status.DRAFT)
    first = f.item(edition)
    second = f.item(edition, name="农村社区居家养老服务")
    assert (first.code, second.code) == ("C0201-01", "C0201-02")
    duplicate = CatalogueItem(edition=edition, category=f.category(), name="重复", code="C0201-01")
    assert "相同编码" in errors_of(duplicate)["code"][0]


def test_item_category_path_gives_the_three_official_columns():
    item = f.item(f.edition(status=Catalogue.Status.DRAFT))
    area, field, kind = item.category_path
    assert (area.name, field.name, kind.name) == ("社会保障", "养老服务", "社区居家养老服务")


def test_renaming_a_category_refreshes_its_items_search_documents():
    item = f.item(f.edition(status=Catalogue.Status.DRAFT))
    field = ServiceCategory.objects.get(code="C02")
    field.name = "为老服务"
    field.save()
    item.refresh_from_db()
    assert "'为老'" in item.search_document

"""A category and everything under it, and everything above it, each written once on ServiceCategory.objects
(and_below, and_above; the tree has three levels). The public provider directory's category filter reads both
(a provider registered for the category, a category above it or one below it may serve it), the edition page's
filter and_below (the items under the chosen node) and its choice of categories and_above (those its items use,
with their parents)."""

from catalogue.filters import ProviderFilter
from catalogue.models import Provider, ServiceCategory
from tests import factories as f


def codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


def tree(prefix):
    return sorted(ServiceCategory.objects.filter(code__startswith=prefix).values_list("code", flat=True))


def test_and_below_is_the_category_and_every_node_under_it():
    assert codes(ServiceCategory.objects.and_below([f.category("C")])) == tree("C")
    assert codes(ServiceCategory.objects.and_below([f.category("C02").pk])) == tree("C02")
    assert codes(ServiceCategory.objects.and_below([f.category("C0201")])) == ["C0201"]
    two_areas = ServiceCategory.objects.filter(code__in=["A", "B"])
    assert codes(ServiceCategory.objects.and_below(two_areas)) == tree("A") + tree("B")


def test_and_above_is_the_category_and_its_field_and_area():
    assert codes(ServiceCategory.objects.and_above([f.category("C0201")])) == ["C", "C02", "C0201"]
    assert codes(ServiceCategory.objects.and_above([f.category("C02").pk])) == ["C", "C02"]
    assert codes(ServiceCategory.objects.and_above([f.category("C")])) == ["C"]
    two_leaves = ServiceCategory.objects.filter(code__in=["A0102", "C0201"])
    assert codes(ServiceCategory.objects.and_above(two_leaves)) == ["A", "A01", "A0102", "C", "C02", "C0201"]


def test_leaves_branches_and_the_nodes_that_may_take_children():
    leaves, branches = set(codes(ServiceCategory.objects.leaves())), set(codes(ServiceCategory.objects.branches()))
    assert leaves and branches and not leaves & branches
    assert leaves | branches == set(codes(ServiceCategory.objects.all()))
    assert {"C", "C02"} <= branches and "C0201" in leaves
    assert not ServiceCategory.objects.may_be_parents().filter(level=ServiceCategory.MAX_LEVEL).exists()
    assert ServiceCategory.objects.may_be_parents().filter(code="C02").exists()


def test_the_edition_filter_offers_the_used_categories_with_their_parents_and_finds_the_items_below():
    from catalogue.filters import EditionItemFilter

    edition = f.edition("xianan", 2017)
    f.item(edition, "C0201", "社区居家养老服务")
    f.item(edition, "C0202", "农村特困供养机构托管")
    f.item(edition, "A0102", "政策宣传服务")
    page = EditionItemFilter({"category": f.category("C02").pk}, queryset=edition.items.all(), edition=edition)
    assert codes(page.filters["category"].queryset) == ["A", "A01", "A0102", "C", "C02", "C0201", "C0202"]
    assert sorted(page.qs.values_list("name", flat=True)) == ["农村特困供养机构托管", "社区居家养老服务"]


def test_the_directory_offers_for_a_category_the_providers_of_it_above_it_and_below_it():
    area = f.provider("咸宁市养老服务协会", categories=("C",))
    field = f.provider("咸宁市阳光社会工作服务中心", categories=("C02",))
    leaf = f.provider("咸宁市夕阳红居家养老服务中心", categories=("C0201",))
    other_leaf = f.provider("咸宁市乐龄助餐服务中心", categories=("C0202",))
    elsewhere = f.provider("咸宁市青少年事务服务中心", categories=("B",))
    everyone = Provider.objects.filter(pk__in=[p.pk for p in (area, field, leaf, other_leaf, elsewhere)])

    def serving(code):
        chosen = ProviderFilter({"category": f.category(code).pk}, queryset=everyone)
        return sorted(chosen.qs.values_list("name", flat=True))

    assert serving("C0201") == sorted([area.name, field.name, leaf.name])
    assert serving("C02") == sorted([area.name, field.name, leaf.name, other_leaf.name])
    assert serving("C") == sorted([area.name, field.name, leaf.name, other_leaf.name])
    assert serving("B") == [elsewhere.name]


def test_the_item_admins_area_filter_lists_the_items_under_the_area(client, django_user_model):
    """The staff item list's 一级类别 filter reads and_below too: an area's items, nobody else's."""
    client.force_login(django_user_model.objects.create_superuser("caizheng-admin", "a@example.cn", "x" * 12))
    edition = f.edition()
    elderly = f.item(edition, category_code="C0201", name="社区居家养老服务")
    f.item(edition, category_code="A0102", name="公办幼儿园保育服务")
    response = client.get("/admin/catalogue/catalogueitem/", {"area": "C"})
    assert [row.pk for row in response.context["cl"].result_list] == [elderly.pk]
    # An area that is not offered is ignored, not an error: every item.
    assert len(client.get("/admin/catalogue/catalogueitem/", {"area": "Z"}).context["cl"].result_list) == 2

"""Only published editions (in force or superseded) and their items are public; drafts and withdrawn ones answer 404."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from catalogue.models import Catalogue, ServiceCategory
from tests import factories

HIDDEN = [Catalogue.Status.DRAFT, Catalogue.Status.WITHDRAWN]


@pytest.fixture(params=HIDDEN, ids=["draft", "withdrawn"])
def hidden(request):
    """A city edition in a non-public state with one item, next to a published county edition."""
    edition = factories.edition(year=2017, status=Catalogue.Status.DRAFT, title="隐藏的咸宁市2017年目录")
    item = factories.item(edition, "C0201", "隐藏的居家养老事项")
    Catalogue.objects.filter(pk=edition.pk).update(status=request.param)
    edition.refresh_from_db()
    return edition, item


@pytest.fixture
def published():
    edition = factories.edition("xianan", year=2017)
    factories.item(edition, "C0201", "咸安区社区居家养老服务")
    return edition


def test_hidden_edition_page_is_404(client, hidden):
    edition, _item = hidden
    assert client.get(reverse("catalogue:edition", args=[edition.pk])).status_code == 404


def test_hidden_item_page_is_404(client, hidden):
    _edition, item = hidden
    assert client.get(item.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_hidden_edition_exports_are_404(client, hidden, fmt):
    edition, _item = hidden
    assert client.get(reverse("catalogue:edition_export", args=[edition.pk, fmt])).status_code == 404
    assert client.get(reverse("catalogue:edition_export", args=[edition.pk, fmt]) + "?pilot=on").status_code == 404


def test_hidden_edition_is_not_on_the_home_page_or_in_its_counts(client, hidden, published):
    edition, _item = hidden
    page = client.get("/").getvalue().decode()
    assert edition.get_absolute_url() not in page
    assert "隐藏的咸宁市2017年目录" not in page
    assert 'id="region-xianning"' not in page
    assert re.search(r'<span class="area-name" lang="zh-Hans">社会保障</span>\s*<span class="area-count">1 项</span>', page)
    assert "各地现行目录共 1 项事项" in page


def test_hidden_items_are_not_listed_on_a_provider_page(client, hidden, published):
    provider = factories.provider(categories=("C02",))
    page = client.get(reverse("catalogue:provider", args=[provider.pk])).getvalue().decode()
    assert "咸安区社区居家养老服务" in page
    assert "隐藏的居家养老事项" not in page


def test_hidden_edition_does_not_count_as_another_revision_or_offer_comparison(client, hidden):
    other = factories.edition(year=2016)
    page = client.get(other.get_absolute_url()).getvalue().decode()
    assert reverse("catalogue:compare", args=[other.pk]) not in page
    assert hidden[0].get_absolute_url() not in page


def test_hidden_edition_categories_are_not_offered_to_the_filter_of_another_edition(client, hidden, published):
    page = client.get(published.get_absolute_url()).getvalue().decode()
    assert "隐藏的居家养老事项" not in page


def test_superseded_edition_and_its_items_stay_public_but_are_not_counted_as_current(client):
    old = factories.edition(revision=1, status=Catalogue.Status.SUPERSEDED)
    item = factories.item(old, "C0201", "旧版次的养老事项")
    factories.edition(revision=2)
    assert client.get(old.get_absolute_url()).status_code == 200
    assert client.get(item.get_absolute_url()).status_code == 200
    assert client.get(reverse("catalogue:edition_export", args=[old.pk, "csv"])).status_code == 200
    home = client.get("/").getvalue().decode()
    assert re.search(r'<span class="area-name" lang="zh-Hans">社会保障</span>\s*<span class="area-count">0 项</span>', home)


def test_item_of_a_hidden_edition_cannot_be_reached_through_a_public_editions_filter(client, hidden, published):
    """A category id from the hidden edition only narrows the public edition's own rows."""
    category = ServiceCategory.objects.get(code="C0201")
    page = client.get(published.get_absolute_url() + f"?category={category.pk}").getvalue().decode()
    assert "咸安区社区居家养老服务" in page
    assert "隐藏的居家养老事项" not in page


PUBLIC_VIEW_MODULES = ["catalogue/views/editions.py", "catalogue/views/providers.py", "catalogue/filters.py"]


@pytest.mark.parametrize("path", PUBLIC_VIEW_MODULES)
def test_public_views_never_filter_on_status_themselves(path):
    """Visibility lives in public()/current()/qualified(); a view that filters on status would bypass it."""
    source = (Path(__file__).resolve().parent.parent / path).read_text()
    assert not re.search(r"\.(filter|exclude|get)\([^)]*status", source)

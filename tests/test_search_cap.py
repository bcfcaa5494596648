"""A common word matches more items than anyone reads: the search counts and ranks at most COUNT_CAP of them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.views import search as search_view
from tests import factories
from tests.public_builders import bulk_items
from tests.test_search import result_names


@pytest.fixture
def many(monkeypatch):
    monkeypatch.setattr(search_view, "COUNT_CAP", 30)
    edition = factories.edition(year=2017)
    bulk_items(edition, 120)  # every name ends in （第N项）, every content says 服务
    return edition


def test_more_hits_than_the_cap_are_reported_as_more_than_it(client, many):
    response = client.get(reverse("catalogue:search"), {"q": "服务"})
    html = response.getvalue().decode()
    assert "找到超过 30 个" in html
    assert len(result_names(html)) == 20  # the first page
    last = client.get(reverse("catalogue:search"), {"q": "服务", "page": 2}).getvalue().decode()
    assert len(result_names(last)) == 10  # the cap, and no page beyond it
    assert "page=3" not in last


def test_a_capped_search_runs_a_fixed_number_of_queries(client, many):
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("catalogue:search"), {"q": "服务"})
    bulk_items(factories.edition(year=2018, region_slug="chibi"), 200)
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("catalogue:search"), {"q": "服务", "region": ""})
    assert len(more.captured_queries) == len(few.captured_queries)


def test_under_the_cap_the_count_is_exact(client, many):
    html = client.get(reverse("catalogue:search"), {"q": "第1项"}).getvalue().decode()
    assert "找到超过" not in html
    assert "找到 1 个" in html

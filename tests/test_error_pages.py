"""Issue 12 (7): the 404, 403 and 500 pages a visitor meets in production are the site's own, in Chinese;
the 500 page is rendered without touching the database (as the 503 page of tests/test_database_outage.py)."""

import pytest
from django.db import connections
from django.db.utils import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from catalogue.models import Catalogue
from procurement.errors import server_error
from tests import factories as f


def assert_site_page(response, status, heading):
    assert response.status_code == status
    body = response.content.decode()
    assert f"<h1>{heading}</h1>" in body
    assert "咸宁市政府向社会力量购买服务指导性目录" in body  # the site's header
    assert "主办单位：咸宁市财政局" in body  # and footer
    for english in ("Not Found", "Server Error", "Forbidden", "Traceback", "The requested resource"):
        assert english not in body
    return body


def test_an_unknown_address_answers_the_sites_chinese_404():
    body = assert_site_page(Client().get("/no-such-page/"), 404, "没有找到该页面")
    assert f'href="{reverse("catalogue:search")}"' in body


def test_an_unknown_or_unpublished_edition_answers_the_same_404_without_the_developers_message():
    draft = f.edition(year=2018, status=Catalogue.Status.DRAFT)
    for url in ("/editions/999999/", draft.get_absolute_url(), "/items/999999/"):
        body = assert_site_page(Client().get(url), 404, "没有找到该页面")
        assert "matches the given query" not in body


def test_a_refused_admin_page_answers_the_sites_chinese_403(client):
    edition = f.edition("xianan", year=2017, status=Catalogue.Status.DRAFT)
    client.force_login(f.county())  # no right to add items: 403
    assert_site_page(client.get(reverse("admin:catalogue_import:upload", args=[edition.pk])), 403, "无权操作")


def test_an_uncaught_error_answers_the_sites_chinese_500(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("catalogue.views.editions._group_editions", broken)
    response = Client(raise_request_exception=False).get("/")
    assert_site_page(response, 500, "系统出现错误")
    assert "Retry-After" not in response


def test_the_500_page_touches_no_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert_site_page(response, 500, "系统出现错误")

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connections["default"], "ensure_connection", refuse)
        response = server_error(request)
    assert_site_page(response, 500, "系统出现错误")  # the template, not the fixed fallback

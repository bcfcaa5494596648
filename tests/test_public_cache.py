"""The public site's cache: keyed by the public version, so every change is seen at once; never for staff.

The cross-process tests start a real second server (gunicorn, one worker) on the test database,
change the data from this process through the services, and ask the second server again: what a
publication, a withdrawal or a suspension changes must show on its very next request. They run
with the default local-memory cache and, marked `redis`, with Redis shared by two servers.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, get_resolver, reverse

from catalogue.models import Catalogue
from catalogue.public_cache import cache_key, current_version
from catalogue.services import publish_edition, suspend_provider, withdraw_edition
from tests import factories as f
from tests.public_builders import bulk_items


@pytest.fixture
def city():
    edition = f.edition(year=2016)
    f.item(edition, "C0201", "社区居家养老服务")
    return edition


def test_a_repeated_page_costs_one_query(client, city):
    url = reverse("catalogue:edition", args=[city.pk])
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.status_code == 200
    assert len(queries.captured_queries) == 1  # the public version
    assert "社区居家养老服务" in again.getvalue().decode()


def test_the_same_filters_in_another_order_are_one_cached_page(client, city):
    url = reverse("catalogue:edition", args=[city.pk])
    assert client.get(url + "?pilot=on&method=OPEN_TENDER").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url + "?method=OPEN_TENDER&pilot=on").status_code == 200
    assert len(queries.captured_queries) == 1


def test_a_repeated_conditional_get_answers_304(client, city):
    url = reverse("catalogue:edition", args=[city.pk])
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"')
    assert "no-cache" in first["Cache-Control"] and "public" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.getvalue() == b""
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


@pytest.mark.parametrize("name", ["home", "search", "providers", "evaluations", "statistics"])
def test_every_public_page_carries_an_etag(client, city, name):
    response = client.get(reverse(f"catalogue:{name}"), {"q": "养老"} if name == "search" else {})
    assert response.status_code == 200
    assert client.get(response.wsgi_request.get_full_path(), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_every_public_url_goes_through_the_cache():
    """A public view added later without the cache would be the one page that scans on every request."""
    resolver = get_resolver("catalogue.urls")
    uncached = {"language", "display_mode"}  # set the visitor's own cookie and redirect
    for pattern in resolver.url_patterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in uncached:
            continue
        assert getattr(pattern.callback, "public_page", False), pattern.name


def test_a_publication_changes_the_version_in_its_own_transaction(city):
    before = current_version()
    draft = f.edition(year=2017, status=Catalogue.Status.DRAFT)
    f.item(draft, "C0201", "社区居家养老服务（2017）")
    assert current_version() == before  # a draft's work empties nobody's cache
    publish_edition(draft, by=f.municipal(), document_number="咸财综发〔2017〕3号", published_on=date(2017, 3, 1))
    assert current_version() != before


def test_staff_never_get_a_cached_page(client, city):
    """Whatever the cache holds, a signed-in member of staff gets the page rendered for them."""
    url = reverse("catalogue:edition", args=[city.pk])
    request = client.get(url).wsgi_request
    key = cache_key(request, current_version())
    caches["public"].set(
        key, {"status": 200, "headers": [("Content-Type", "text/html")], "content": b"stale page", "etag": '"x"'}
    )
    assert client.get(url).getvalue() == b"stale page"  # the public is served what the cache holds

    staff = f.municipal()
    client.force_login(staff)
    response = client.get(url)
    assert b"stale page" not in response.getvalue()
    assert "社区居家养老服务" in response.getvalue().decode()
    assert "private" in response["Cache-Control"]
    assert caches["public"].get(key)["content"] == b"stale page"  # and nothing staff saw was stored


def test_a_page_that_sets_a_cookie_is_not_stored(client, city):
    response = client.get(reverse("catalogue:language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]


def test_english_and_chinese_are_cached_apart(client, city):
    url = reverse("catalogue:home")
    chinese = client.get(url).getvalue().decode()
    client.get(reverse("catalogue:language"), {"language": "en", "next": url})
    english = client.get(url).getvalue().decode()
    assert "首页" in chinese and "Home" in english


def test_the_language_link_goes_back_to_the_page_and_never_elsewhere(client, city):
    page = reverse("catalogue:edition", args=[city.pk])
    back = client.get(reverse("catalogue:language"), {"language": "en", "next": page})
    assert back["Location"] == page
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    away = client.get(reverse("catalogue:language"), {"language": "en", "next": "https://evil.example/"})
    assert away["Location"] == "/"


def test_public_pages_carry_no_csrf_token(client, city):
    """A token in a cached page would be someone else's; the public site has no POST form."""
    for url in ["/", reverse("catalogue:edition", args=[city.pk]), reverse("catalogue:search")]:
        response = client.get(url)
        assert "csrfmiddlewaretoken" not in response.getvalue().decode()
        assert settings.CSRF_COOKIE_NAME not in response.cookies


# -- a second server process on the same database --------------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{db['USER']}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


class Server:
    """gunicorn, one worker, DEBUG on (no collected static needed), on the test database."""

    def __init__(self, tmp_path, redis_url=""):
        Path(tmp_path).mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "procurement.settings.base",
            "DJANGO_DEBUG": "1",
            "DJANGO_SECRET_KEY": "second-process-test",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": _database_url(),
            "DJANGO_VAR_DIR": str(tmp_path),
            "DJANGO_PUBLICATIONS_ROOT": str(settings.PUBLICATIONS_ROOT),
            "REDIS_URL": redis_url,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{self.port}", "procurement.wsgi"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(Path(tmp_path) / "gunicorn.log", "wb"),
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.get("/")
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the second server did not start")

    def get(self, path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def shared_data(transactional_db):
    """Committed data, so the second server sees it: a published 2016 edition and a 2017 draft."""
    municipal = f.municipal()
    old = f.edition("xianan", year=2016, status=Catalogue.Status.DRAFT)
    bulk_items(old, 3)
    publish_edition(old, by=municipal, document_number="咸财综发〔2016〕5号", published_on=date(2016, 3, 1))
    draft = f.edition("xianan", year=2017, status=Catalogue.Status.DRAFT)
    item = f.item(draft, "C0202", "农村特困供养机构托管（第二进程）")
    return {"municipal": municipal, "old": old, "draft": draft, "item": item}


def _sees_publication_and_withdrawal(servers, data):
    old, draft, municipal = data["old"], data["draft"], data["municipal"]
    search = "/search/?q=" + urllib.request.quote("第二进程")
    hit = f'href="/items/{data["item"].pk}/"'
    for server in servers:
        assert server.get(f"/editions/{old.pk}/")[0] == 200
        assert server.get(f"/editions/{draft.pk}/")[0] == 404
        assert hit not in server.get(search)[1]
        assert server.get(f"/editions/{draft.pk}/")[0] == 404  # asked twice: the 404 is not remembered either

    publish_edition(draft, by=municipal, document_number="咸财综发〔2017〕6号", published_on=date(2017, 3, 1))
    for server in servers:
        assert server.get(f"/editions/{draft.pk}/")[0] == 200
        assert hit in server.get(search)[1]

    withdraw_edition(Catalogue.objects.get(pk=draft.pk), by=municipal, reason="文号有误，撤回重发")
    for server in servers:
        assert server.get(f"/editions/{draft.pk}/")[0] == 404
        assert hit not in server.get(search)[1]
        assert server.get(f"/editions/{old.pk}/")[0] == 200


@pytest.mark.django_db(transaction=True)
def test_a_second_server_process_sees_a_publication_and_a_withdrawal_at_once(shared_data, tmp_path):
    server = Server(tmp_path)
    try:
        _sees_publication_and_withdrawal([server], shared_data)
    finally:
        server.stop()


@pytest.mark.django_db(transaction=True)
def test_a_second_server_process_sees_a_suspended_provider_leave_at_once(shared_data, tmp_path):
    from django.utils import timezone

    provider = f.provider("咸安区夕阳红养老服务中心", qualified_from=timezone.localdate())
    server = Server(tmp_path)
    try:
        assert server.get(f"/providers/{provider.pk}/")[0] == 200
        assert "夕阳红" in server.get("/providers/")[1]
        suspend_provider(provider, by=shared_data["municipal"], reason="年检不合格，暂停承接资格")
        assert server.get(f"/providers/{provider.pk}/")[0] == 404
        assert "夕阳红" not in server.get("/providers/")[1]
    finally:
        server.stop()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_two_servers_sharing_redis_see_a_publication_and_a_withdrawal_at_once(shared_data, tmp_path):
    redis_url = os.environ["REDIS_URL"]
    first, second = Server(tmp_path / "a", redis_url), Server(tmp_path / "b", redis_url)
    try:
        _sees_publication_and_withdrawal([first, second], shared_data)
    finally:
        first.stop()
        second.stop()

"""The site benchmark's parts: seed_scale's data, the benchmark-only URLs and the reading of wrk's report.

Timings are not tested; what is tested is that the data is what the services would have written
and that every page the benchmark measures answers.
"""

import io
import json
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from catalogue.bench import wrk
from catalogue.bench.scale import plan_editions
from catalogue.models import (
    Catalogue,
    CatalogueItem,
    Contract,
    Evaluation,
    Provider,
    ProviderStatusChange,
    unmet_conditions,
)

SEED_ITEMS = 400


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """One seed_scale run of SEED_ITEMS items for the whole module, rolled back at its end."""
    urls_file = tmp_path_factory.mktemp("seed_scale") / "urls.json"
    output = io.StringIO()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("loaddata", "fixtures/regions.json", "fixtures/categories.json", verbosity=0)
            call_command("seed_scale", items=SEED_ITEMS, urls_out=str(urls_file), stdout=output)
            yield SimpleNamespace(urls=json.loads(urls_file.read_text(encoding="utf-8")), output=output.getvalue())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def reasons(edition):
    return [record.history_change_reason or "" for record in edition.history.all()]


# seed_scale: the shape of the data ------------------------------------------------------------------


def test_plan_for_100000_items_is_fifty_editions_of_2000_and_the_special_ones():
    regions = [
        SimpleNamespace(slug=slug, order=order)
        for order, slug in enumerate(
            ["xianning", "xianan", "jiayu", "tongcheng", "chongyang", "tongshan", "chibi", "xn-htz"], 1
        )
    ]
    plans = plan_editions(100_000, regions)
    big = [plan for plan in plans if plan.kind in ("single", "revised")]
    revised = [plan for plan in big if plan.kind == "revised"]
    assert {plan.size for plan in big} == {2000}
    assert len(big) + len(revised) == 50  # a corrected region-year holds two revisions of 2,000
    assert len({(plan.region.slug, plan.year) for plan in plans}) == len(plans)
    assert len({plan.year for plan in big}) >= 6 and len({plan.region.slug for plan in big}) == 8
    assert [plan.size for plan in plans if plan.kind == "small"] == [57]
    assert len([plan for plan in plans if plan.kind == "withdrawn"]) == 1
    drafts = [plan for plan in plans if plan.kind == "draft"]
    assert len(drafts) == 2 and all(plan.year > max(p.year for p in big) for plan in drafts)


@pytest.mark.django_db
def test_every_edition_is_published_through_publish_edition(seeded):
    public = Catalogue.objects.exclude(status=Catalogue.Status.DRAFT)
    assert public.count() >= 5
    for edition in public:
        assert edition.document_number and edition.published_on
        assert any(reason.startswith("发布，文号") for reason in reasons(edition)), edition


@pytest.mark.django_db
def test_no_edition_carries_the_earlier_years_items(seeded):
    """A year's first draft starts empty, so each edition holds what its plan says (not every earlier year's items):
    next year's drafts, planned at a tenth of an edition, stay smaller than any published one."""
    from django.db.models import Count

    drafts = Catalogue.objects.filter(status=Catalogue.Status.DRAFT).annotate(size=Count("items"))
    published = Catalogue.objects.exclude(status=Catalogue.Status.DRAFT).annotate(size=Count("items"))
    assert drafts.exists()
    big = max(edition.size for edition in published)
    assert all(draft.size < big / 2 for draft in drafts), [(draft.pk, draft.size) for draft in drafts]


def test_a_correction_supersedes_the_earlier_revision(seeded):
    older = Catalogue.objects.get(status=Catalogue.Status.SUPERSEDED)
    newer = Catalogue.objects.get(region=older.region, year=older.year, revision=older.revision + 1)
    assert newer.status == Catalogue.Status.PUBLISHED
    assert "被第2版替代" in reasons(older)
    assert newer.items.count() == older.items.count()
    old_codes = set(older.items.values_list("code", flat=True))
    new_codes = set(newer.items.values_list("code", flat=True))
    assert old_codes != new_codes  # items removed and added, not just a copy


@pytest.mark.django_db
def test_one_edition_is_withdrawn_and_two_drafts_wait(seeded):
    withdrawn = Catalogue.objects.get(status=Catalogue.Status.WITHDRAWN)
    assert withdrawn.items.exists()
    assert any("撤回" in reason for reason in reasons(withdrawn))
    drafts = Catalogue.objects.drafts()
    assert drafts.count() == 2
    assert all(draft.items.exists() and not draft.document_number for draft in drafts)


@pytest.mark.django_db
def test_items_have_search_documents_bodies_and_leaf_categories(seeded):
    items = CatalogueItem.objects.select_related("category__parent__parent")
    assert items.count() >= SEED_ITEMS
    assert not items.filter(search_document="").exists()
    assert not items.filter(purchasing_bodies__isnull=True).exists()
    assert not items.filter(category__children__isnull=False).exists()
    for item in items.order_by("?")[:50]:
        assert item.search_document == item.build_search_document()
        assert item.code.startswith(item.category.code + "-")
        assert all(body.region_id == item.edition.region_id for body in item.purchasing_bodies.all())


@pytest.mark.django_db
def test_providers_are_qualified_on_checked_conditions(seeded):
    qualified = list(Provider.objects.qualified())
    assert len(qualified) >= 30
    for provider in qualified:
        assert unmet_conditions(provider) == []
        assert provider.status_changes.filter(action=ProviderStatusChange.Action.QUALIFY).exists()
        assert provider.categories.exists()
    assert Provider.objects.filter(qualification_status=Provider.QualificationStatus.PENDING).exists()
    assert Provider.objects.filter(
        qualification_status__in=[Provider.QualificationStatus.SUSPENDED, Provider.QualificationStatus.REVOKED]
    ).exists()


@pytest.mark.django_db
def test_contracts_keep_the_rules_and_most_evaluations_are_published(seeded):
    contracts = list(Contract.objects.with_related())
    assert len(contracts) >= SEED_ITEMS // 50
    for contract in contracts:
        item = contract.item
        assert item.edition.status == Catalogue.Status.PUBLISHED
        assert (item.edition.region_id, item.edition.year) == (contract.region_id, contract.year)
        assert item.budget is not None and contract.value <= item.budget
        assert contract.provider.serves(item.category)
        assert item.purchasing_bodies.filter(pk=contract.purchasing_body_id).exists()
        assert contract.provider.qualified_from <= contract.signed_on
    evaluations = Evaluation.objects.all()
    assert evaluations.exists() and not evaluations.filter(grade="").exists()
    assert Evaluation.objects.published().count() > evaluations.count() // 2


@pytest.mark.django_db
def test_every_page_the_benchmark_measures_answers(seeded, client):
    pages = seeded.urls["pages"]
    assert {"home", "edition_2000", "edition_2000_filtered", "search_rare", "compare", "export_ocds"} <= set(pages)
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, (name, path)


@pytest.mark.django_db
def test_seed_scale_refuses_a_database_that_holds_editions(seeded):
    with pytest.raises(Exception, match="already holds editions"):
        call_command("seed_scale", items=400, stdout=io.StringIO())


# The benchmark's own URLs -------------------------------------------------------------------------


@pytest.mark.urls("procurement.bench_urls")
def test_the_floor_touches_no_database(db, client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/__bench__/floor/")
    assert response.status_code == 200
    assert len(queries) == 0


@pytest.mark.urls("procurement.bench_urls")
def test_invalidate_changes_the_public_version(db, client):
    assert client.get("/__bench__/invalidate/").status_code == 405
    try:
        from catalogue.public_cache import current_version
    except ImportError:  # no public cache: nothing to empty
        assert client.post("/__bench__/invalidate/").status_code == 404
        return
    before = current_version()
    assert client.post("/__bench__/invalidate/").status_code == 200
    assert current_version() != before


def test_the_site_does_not_mount_the_benchmark_urls(db, client):
    assert client.get("/__bench__/floor/").status_code == 404


# Reading wrk's report (captured from wrk 4.1.0, Debian) -----------------------------------------------

FAST = """Running 2s test @ http://127.0.0.1:18779/
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   613.20us    1.07ms   5.62ms   85.97%
    Req/Sec    13.12k     3.99k   21.33k    80.00%
  Latency Distribution
     50%   96.00us
     75%  540.00us
     90%    2.18ms
     99%    4.80ms
  52455 requests in 2.01s, 3.50MB read
Requests/sec:  26086.87
Transfer/sec:      1.74MB
"""

NOT_FOUND = """Running 3s test @ http://127.0.0.1:18777/missing
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    45.22ms   12.89ms 208.26ms   97.41%
    Req/Sec   140.67     60.74   222.00     71.67%
  Latency Distribution
     50%   43.99ms
     75%   44.18ms
     90%   47.97ms
     99%   89.58ms
  842 requests in 3.00s, 261.43KB read
  Non-2xx or 3xx responses: 373
Requests/sec:    280.25
Transfer/sec:     87.01KB
"""

TIMEOUTS = """Running 4s test @ http://127.0.0.1:18777/slow
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    41.55ms   16.88ms  58.01ms   81.08%
    Req/Sec    23.24     20.21    60.00     64.71%
  Latency Distribution
     50%   47.92ms
     75%   52.02ms
     90%   56.31ms
     99%   58.01ms
  48 requests in 4.01s, 14.67KB read
  Socket errors: connect 0, read 0, write 0, timeout 11
Requests/sec:     11.98
Transfer/sec:      3.66KB
"""


def test_wrk_report_in_microseconds_with_thousands():
    result = wrk.parse(FAST)
    assert result.rps == pytest.approx(26086.87)
    assert result.p50_ms == pytest.approx(0.096)
    assert result.p99_ms == pytest.approx(4.8)
    assert result.requests == 52455
    assert result.errors == 0


def test_wrk_counts_non_2xx_responses_as_errors():
    result = wrk.parse(NOT_FOUND)
    assert result.rps == pytest.approx(280.25)
    assert (result.p50_ms, result.p99_ms) == (pytest.approx(43.99), pytest.approx(89.58))
    assert result.non_2xx_3xx == 373 and result.socket_errors == 0 and result.errors == 373


def test_wrk_counts_socket_errors():
    result = wrk.parse(TIMEOUTS)
    assert result.rps == pytest.approx(11.98) and result.requests == 48
    assert result.socket_errors == 11 and result.errors == 11


def test_wrk_units_and_suffixes():
    assert wrk.duration_ms("850.12us") == pytest.approx(0.85012)
    assert wrk.duration_ms("1.20s") == pytest.approx(1200)
    assert wrk.duration_ms("2.00m") == pytest.approx(120_000)
    assert wrk.count("1.23k") == pytest.approx(1230)
    assert wrk.count("842") == 842
    with pytest.raises(ValueError):
        wrk.parse("unable to connect to 127.0.0.1:1 Connection refused\n")

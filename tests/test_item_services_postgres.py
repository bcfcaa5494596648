"""An item saved while its edition is being published, on two real PostgreSQL connections: save_item waits for
the publication's lock on the edition and is then refused, so a published edition never gains or changes an item."""

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connections, transaction

from catalogue.models import Catalogue, CatalogueItem
from catalogue.services import publish_edition
from catalogue.services.items import save_item
from tests import factories as f
from tests.test_concurrency_postgres import wait_until_someone_waits_for_a_lock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_an_item_saved_during_the_publication_waits_for_it_and_is_refused():
    city, clerk = f.municipal(), f.county()
    draft = f.edition("xianan", 2017, status=Catalogue.Status.DRAFT)
    item = f.item(draft, name="咸安区社区居家养老服务")
    outcome = {}

    def clerk_saves_the_item_and_adds_one():
        try:
            stale = CatalogueItem.objects.get(pk=item.pk)
            stale.budget = 999
            save_item(stale, by=clerk)
            outcome["change"] = "saved"
        except PermissionDenied as error:
            outcome["change"] = str(error)
        try:
            save_item(CatalogueItem(edition_id=draft.pk, category=f.category("C0202"), name="迟到的新事项"), by=clerk)
            outcome["add"] = "saved"
        except PermissionDenied as error:
            outcome["add"] = str(error)
        finally:
            connections.close_all()

    with transaction.atomic():
        publish_edition(draft, by=city, document_number="咸安财发〔2017〕3号", published_on=date(2017, 4, 1))
        other = threading.Thread(target=clerk_saves_the_item_and_adds_one)
        other.start()
        assert wait_until_someone_waits_for_a_lock(), "the clerk's save was not blocked by the edition's lock"
    other.join(timeout=20)

    assert "已被他人处理" in outcome["change"] and "已被他人处理" in outcome["add"]
    assert list(CatalogueItem.objects.values_list("name", "budget")) == [("咸安区社区居家养老服务", None)]

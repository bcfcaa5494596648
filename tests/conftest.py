import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(autouse=True)
def _real_fixtures(db):
    """Every test starts from the real regions and service categories of fixtures/."""
    call_command("loaddata", "fixtures/regions.json", "fixtures/categories.json", verbosity=0)


@pytest.fixture(autouse=True)
def _chinese_first():
    """Every test starts in the site's language; a request in English must not leak into the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)

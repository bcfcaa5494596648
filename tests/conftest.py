import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _real_fixtures(db):
    """Every test starts from the real regions and service categories of fixtures/."""
    call_command("loaddata", "fixtures/regions.json", "fixtures/categories.json", verbosity=0)

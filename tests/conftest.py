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


@pytest.fixture(autouse=True)
def _empty_public_cache():
    """Each test rolls the public version back to where it started, so no page may outlive its test."""
    from django.core.cache import caches

    caches["public"].clear()
    yield
    caches["public"].clear()


@pytest.fixture(autouse=True, scope="session")
def _streamed_responses_read_once():
    """Exports stream; a test reads a streamed body whole, once, and may then look at it as often as it likes."""
    from django.test.client import Client

    request = Client.request

    def reading_request(self, **kwargs):
        response = request(self, **kwargs)
        if response.streaming:
            body = b"".join(response.streaming_content)
            response.getvalue = lambda: body
        return response

    Client.request = reading_request
    yield
    Client.request = request


@pytest.fixture
def shicaizheng():
    """The municipal finance clerk of the demo (市财政局); a test file that needs the role group too has its own."""
    from tests import factories as f

    return f.municipal()


@pytest.fixture
def xianan():
    """The 咸安区 county finance clerk of the demo."""
    from tests import factories as f

    return f.county()

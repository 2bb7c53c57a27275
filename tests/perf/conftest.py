import pytest
from django.test import Client

from common import cache

# The other areas' fixtures, for the invalidation tests and the query budgets.
from tests.camp.conftest import camp, client_for  # noqa: F401
from tests.camp.test_queries import big_camp  # noqa: F401
from tests.hackathon.conftest import contributor, direction, edition, tasks  # noqa: F401


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no page cached in this process (the shared stamp is in the cache
    that tests/conftest.py clears)."""
    cache.pages.clear()
    yield
    cache.pages.clear()


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")

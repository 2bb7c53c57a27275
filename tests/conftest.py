import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.factories import PersonFactory, StaffFactory, UserFactory


def pytest_configure(config):
    # Pages link hashed static files (the manifest storage, as in production): collect them once
    # per run, in the controller process only when tests run in parallel.
    if not hasattr(config, "workerinput"):
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    # PBKDF2 at full strength makes every login in a test take ~0.3 s.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return StaffFactory()


@pytest.fixture
def person(db):
    return PersonFactory()


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client

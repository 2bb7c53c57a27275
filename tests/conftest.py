import os

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, TestCase

from tests.factories import PersonFactory, StaffFactory, UserFactory


def pytest_configure(config):
    # Pages link hashed static files (the manifest storage, as in production): collect them once
    # per run, in the controller process only when tests run in parallel.
    if not hasattr(config, "workerinput"):
        call_command("collectstatic", interactive=False, verbosity=0)


def pytest_runtest_setup(item):
    """`@pytest.mark.postgres` tests (real parallel writers, full-text search) need PostgreSQL;
    on SQLite they are skipped with the reason the marker gives. CI runs them on PostgreSQL."""
    marker = item.get_closest_marker("postgres")
    if marker is not None:
        from django.db import connection

        if connection.vendor != "postgresql":
            reason = marker.kwargs.get("reason", "SQLite runs one writer at a time")
            pytest.skip(f"needs PostgreSQL (DATABASE_URL=postgres://…): {reason}")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    # Several test runs may share one PostgreSQL server (developers, CI): give each run its own
    # test database instead of dropping another run's.
    from pytest_django.fixtures import _set_suffix_to_test_databases

    _set_suffix_to_test_databases(f"p{os.getpid()}")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    # PBKDF2 at full strength makes every login in a test take ~0.3 s.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _commit_callbacks_per_request(monkeypatch):
    """In production each request's transactions commit, then their on_commit callbacks run
    (e-mail delivery is queued that way). Tests run inside one never-committed transaction, so
    run the callbacks a test-client request registered when it returns. For service calls made
    directly in a test, use pytest-django's `django_capture_on_commit_callbacks(execute=True)`."""
    original = Client.request

    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


@pytest.fixture(autouse=True)
def _force_login_passes_mfa(monkeypatch):
    """`client.force_login(staff)` stands for a full login: password and, for accounts with a
    TOTP authenticator (every StaffFactory user), the second factor the admin requires."""
    from tests.security.mfa import mark_session_mfa

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if user.is_staff:
            mark_session_mfa(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


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

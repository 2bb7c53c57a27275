import pytest
from django.test import Client

from tests.factories import UserFactory

from .factories import EventFactory


@pytest.fixture
def event(db):
    return EventFactory(slug="meetup", title="Beijing meetup", capacity=2)


@pytest.fixture
def client_for():
    """A test client signed in as `user` (a visitor for None), in English."""

    def make(user=None, language="en"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def people(db):
    return [UserFactory(name=f"Person {n}") for n in range(4)]

import pytest
from django.test import Client
from django.utils import translation

from hackathon.models import Edition
from tests.factories import PersonFactory, UserFactory

from .factories import DirectionFactory, EditionFactory, TaskFactory


@pytest.fixture
def edition(db):
    return EditionFactory(number=7, state=Edition.State.OPEN)


@pytest.fixture
def direction(edition):
    return DirectionFactory(
        track__edition=edition, track__name="开源贡献个人挑战赛", name="框架开发"
    )


@pytest.fixture
def tasks(edition, direction):
    return [TaskFactory(edition=edition, direction=direction, number=n) for n in range(1, 6)]


def _contributor(username):
    user = UserFactory(username=username)
    PersonFactory(github=f"gh-{username}", user=user)
    return user


@pytest.fixture
def contributor(db):
    return _contributor("alice")


@pytest.fixture
def other_contributor(db):
    return _contributor("bob")


@pytest.fixture(autouse=True)
def _english():
    """Tests read English messages; pages that must speak Chinese ask for it explicitly."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")

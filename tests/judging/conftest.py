import pytest
from django.test import Client
from django.utils import translation

from judging.models import Contest

from .factories import ContestFactory, CriterionFactory, DirectionFactory, PrizeFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english():
    """Messages of refused changes in English (the site's default is Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def contest(db):
    """大模型应用与创意赛, open for entries: two directions, two weighted criteria, prizes."""
    contest = ContestFactory(slug="llm-apps", name="大模型应用与创意赛", state=Contest.State.OPEN)
    DirectionFactory(contest=contest, name="趣味创意", slug="fun", order=1)
    DirectionFactory(contest=contest, name="生产力工具", slug="productivity", order=2)
    CriterionFactory(contest=contest, name="创意", weight=3, max_score=10, order=1)
    CriterionFactory(contest=contest, name="完成度", weight=1, max_score=5, order=2)
    PrizeFactory(contest=contest, name="一等奖", order=1)
    PrizeFactory(contest=contest, name="二等奖", order=2)
    PrizeFactory(contest=contest, name="人气奖", order=9, is_popularity=True)
    return contest


@pytest.fixture
def client_for():
    """A test client signed in as `user` (a visitor for None), in English."""

    def make(user=None, language="en"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            client.force_login(user)
        return client

    return make

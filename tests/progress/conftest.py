from datetime import datetime

import pytest
from django.utils import timezone

from tests.factories import PersonFactory, StaffFactory, UserFactory
from tests.hackathon.factories import DirectionFactory, EditionFactory, TaskFactory


class Clock:
    """The site's clock, moved by the test: every `timezone.now()` (services, history rows,
    `auto_now_add`) reads it, so claims move through their states on the days the test says."""

    def __init__(self):
        self.now = timezone.make_aware(datetime(2026, 3, 2, 9, 0))

    def at(self, day, hour=10, minute=0):
        self.now = timezone.make_aware(datetime.combine(day, datetime.min.time())).replace(
            hour=hour, minute=minute
        )
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


@pytest.fixture
def staff(db):
    user = StaffFactory(username="staff-lead")
    PersonFactory(github="Ligoml", name="梦师傅", user=user)
    return user


def contributor(login: str):
    user = UserFactory(username=login)
    PersonFactory(github=login, name=f"开发者{login}", user=user)
    return user


@pytest.fixture
def board(db):
    """The 5th edition with two tracks and three directions, as the community ran it."""
    edition = EditionFactory(number=5, name="第五期")
    framework = DirectionFactory(
        track__edition=edition, track__name="开源贡献个人挑战赛", track__order=1, name="框架开发"
    )
    science = DirectionFactory(track=framework.track, name="科学计算", order=2)
    partner = DirectionFactory(
        track__edition=edition, track__name="合作伙伴赛道", track__order=2, name="合作伙伴"
    )
    return {"edition": edition, "framework": framework, "science": science, "partner": partner}


def make_tasks(edition, direction, numbers):
    return [TaskFactory(edition=edition, direction=direction, number=n) for n in numbers]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # The charts are stored as files: each test writes its own.
    settings.MEDIA_ROOT = tmp_path / "media"

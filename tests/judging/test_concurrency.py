"""Races on PostgreSQL (tests/concurrency.py): one person liking in several tabs, many people
liking at once, one account registering twice at once. Counters always match the rows."""

import pytest

from judging import transitions
from judging.models import Contest, Like, Registration, Submission
from tests.concurrency import run_at_once
from tests.factories import UserFactory

from .factories import ContestFactory, DirectionFactory, RegistrationFactory, SubmissionFactory

pytestmark = [
    pytest.mark.postgres(reason="likes cannot race where one writer runs at a time"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def entry(db):
    contest = ContestFactory(state=Contest.State.OPEN)
    DirectionFactory(contest=contest)
    return SubmissionFactory(registration=RegistrationFactory(contest=contest))


def test_one_person_in_several_tabs_likes_once(entry):
    user = UserFactory()
    results = run_at_once([lambda: transitions.like(entry, user) for _ in range(6)])
    assert sorted(results) == [False] * 5 + [True]
    assert Submission.objects.get(pk=entry.pk).like_count == Like.objects.count() == 1


def test_many_people_liking_at_once_are_all_counted(entry):
    users = [UserFactory() for _ in range(8)]
    run_at_once([lambda user=user: transitions.like(entry, user) for user in users])
    assert Submission.objects.get(pk=entry.pk).like_count == Like.objects.count() == 8


def test_one_account_registers_once_whatever_the_clicks(entry):
    user = UserFactory()
    contest = entry.contest

    def register():
        return transitions.register(contest, user, kind="individual", name="me")

    results = run_at_once([register for _ in range(4)], expected=(transitions.AlreadyRegistered,))
    assert sum(isinstance(result, Registration) for result in results) == 1
    contest.refresh_from_db()
    assert contest.registration_count == Registration.objects.filter(contest=contest).count() == 2

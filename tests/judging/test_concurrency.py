"""Races on PostgreSQL (tests/concurrency.py): one person liking in several tabs, many people
liking at once, one account registering twice at once, a judge submitting while staff publish.
Counters always match the rows."""

import threading
import time

import pytest
from django.db import transaction

from judging import transitions
from judging.models import Award, Contest, Criterion, Like, Registration, Scorecard, Submission
from tests.concurrency import run_at_once
from tests.factories import StaffFactory, UserFactory

from .factories import (
    ContestFactory,
    CriterionFactory,
    DirectionFactory,
    JudgeFactory,
    PrizeFactory,
    RegistrationFactory,
    SubmissionFactory,
)

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


def test_no_score_lands_after_the_results_are_published():
    """A judge submitting while staff publish: the scores either count before publication or
    are refused. Before, the judge's transaction read the contest unlocked, saw 'judging' while
    the publication was not yet committed, and changed the entry's score (and so the published
    ranking) after the results were out."""
    contest = ContestFactory(state=Contest.State.JUDGING)
    DirectionFactory(contest=contest)
    CriterionFactory(contest=contest, max_score=10)
    entry = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    Award.objects.create(contest=contest, prize=PrizeFactory(contest=contest), submission=entry)
    judge, staff = JudgeFactory(contest=contest), StaffFactory()
    values = {criterion.pk: 9 for criterion in Criterion.objects.filter(contest=contest)}
    publishing = threading.Event()

    def publish():
        with transaction.atomic():
            transitions.publish_results(contest, staff)
            publishing.set()
            time.sleep(1.5)  # still uncommitted while the judge submits

    def score():
        publishing.wait(timeout=10)
        return transitions.save_scores(judge, entry, judge.user, values=values, submit_card=True)

    results = run_at_once([publish, score], expected=(transitions.TransitionError,))
    assert isinstance(results[1], transitions.TransitionError)
    assert not Scorecard.objects.exists()
    entry.refresh_from_db()
    assert entry.score is None and entry.scorecard_count == 0

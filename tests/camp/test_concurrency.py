"""Two mentors reviewing at once, a mentee submitting from two tabs: one wins, the other is told.
PostgreSQL, separate connections, threads."""

import pytest

from camp import transitions
from camp.models import Report, Review
from tests.concurrency import run_at_once
from tests.factories import PersonFactory, UserFactory

from .factories import CohortFactory, MentorshipFactory, ProjectFactory, ReportFactory

pytestmark = [
    pytest.mark.postgres(reason="SQLite serialises every writer"),
    pytest.mark.django_db(transaction=True),
]


def person_with_user(login):
    user = UserFactory(username=login)
    return PersonFactory(github=login, user=user), user


def test_two_mentors_review_at_once():
    cohort = CohortFactory()
    mentee, mentee_user = person_with_user("mentee")
    mentors = [person_with_user(f"mentor-{i}") for i in range(2)]
    mentorship = MentorshipFactory(
        project=ProjectFactory(cohort=cohort), mentee=mentee, mentors=[m for m, _ in mentors]
    )
    report = ReportFactory(mentorship=mentorship, period=cohort.periods.first())
    transitions.submit_report(report, mentee_user)
    outcomes = run_at_once(
        [
            lambda user=user: transitions.review_report(report, user, f"review by {user}")
            for _, user in mentors
        ],
        expected=transitions.TransitionError,
    )
    assert sum(isinstance(outcome, Review) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, transitions.TransitionError) for outcome in outcomes) == 1
    assert Review.objects.count() == 1
    report.refresh_from_db()
    assert report.state == Report.State.REVIEWED


def test_mentee_submits_from_two_tabs():
    cohort = CohortFactory()
    mentee, mentee_user = person_with_user("mentee")
    mentor, _ = person_with_user("mentor")
    mentorship = MentorshipFactory(
        project=ProjectFactory(cohort=cohort), mentee=mentee, mentors=[mentor]
    )
    period = cohort.periods.first()
    outcomes = run_at_once(
        [
            lambda text=text: transitions.save_report(
                mentorship, period, mentee_user, work=text, questions="", next_work="", submit=True
            )
            for text in ["tab one", "tab two"]
        ],
        expected=transitions.TransitionError,
    )
    assert Report.objects.filter(mentorship=mentorship, period=period).count() == 1
    assert sum(isinstance(outcome, Report) for outcome in outcomes) >= 1

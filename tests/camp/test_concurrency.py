"""Two mentors reviewing at once, a mentee submitting from two tabs: one wins, the other is told.
PostgreSQL, separate connections, threads."""

import pytest

from camp import services
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
    services.submit_report(mentee_user, report)
    outcomes = run_at_once(
        [
            lambda user=user: services.review_report(user, report, f"review by {user}")
            for _, user in mentors
        ],
        expected=services.CampError,
    )
    assert sum(isinstance(outcome, Review) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, services.CampError) for outcome in outcomes) == 1
    assert Review.objects.count() == 1
    report.refresh_from_db()
    assert report.status == Report.Status.REVIEWED


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
            lambda text=text: services.save_report(
                mentee_user, mentorship, period, work=text, questions="", next_work="", submit=True
            )
            for text in ["tab one", "tab two"]
        ],
        expected=services.CampError,
    )
    assert Report.objects.filter(mentorship=mentorship, period=period).count() == 1
    assert sum(isinstance(outcome, Report) for outcome in outcomes) >= 1

"""Double clicks, two tabs, parallel requests: each form makes one record. Real parallel
requests, each thread its own test client and database connection, all released at once, on
PostgreSQL (SQLite runs one writer at a time, so nothing can race there).

The services' own races (two users, the database constraint hit inside the INSERT) are tested
next to each app: tests/pfcc/test_membership_race.py, tests/hackathon/test_concurrency.py,
tests/camp/test_concurrency.py. These go through the whole request: middleware, view, form."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from camp.models import CampApplication, Report, ReportEvent
from hackathon.models import Claim, ClaimStateChange, Edition, Objection
from membership.models import MembershipApplication, MembershipApplicationEvent
from pfcc.models import OutgoingEmail
from tests.camp.factories import CohortFactory, MentorshipFactory, ProjectFactory
from tests.concurrency import run_at_once
from tests.factories import PersonFactory, UserFactory
from tests.hackathon.factories import EditionFactory, TaskFactory

pytestmark = [
    pytest.mark.postgres(reason="SQLite runs one writer at a time"),
    pytest.mark.django_db(transaction=True),
]

PARALLEL = 6
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def contributor(login):
    user = UserFactory(username=login)
    return user, PersonFactory(github=login, user=user)


def post_in_parallel(user, url, make_data, count=PARALLEL):
    """`count` tabs of the same signed-in user POST the same form at the same moment."""
    clients = []
    for _ in range(count):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)

    def tab(client):
        data = make_data()  # before the race: an upload can be read only once
        return lambda: client.post(url, data).status_code

    statuses = run_at_once([tab(client) for client in clients])
    assert len(statuses) == count
    # Every tab gets an answer (the record, or "you already did"), never an error page.
    assert all(status in (200, 302) for status in statuses), statuses
    return statuses


def test_membership_application_from_many_tabs_makes_one():
    user = UserFactory()
    data = {
        "github": "tab-dev",
        "name": "Tab Dev",
        "email": "tab@example.org",
        "contributions": "https://github.com/PaddlePaddle/Paddle/pull/70001",
        "statement": "Clicked submit six times.",
    }
    post_in_parallel(user, "/join/", lambda: data)
    assert MembershipApplication.objects.count() == 1
    assert MembershipApplicationEvent.objects.count() == 1
    # One confirmation e-mail, not one per click.
    assert OutgoingEmail.objects.filter(to=[user.email]).count() == 1


def test_claim_of_the_same_task_from_many_tabs_makes_one():
    edition = EditionFactory(number=7, state=Edition.State.OPEN)
    TaskFactory(edition=edition, number=1)
    user, person = contributor("tabby")
    post_in_parallel(user, "/hackathon/7/claim/", lambda: {"numbers": "1"})
    assert Claim.objects.filter(person=person).count() == 1
    assert ClaimStateChange.objects.count() == 1


def test_objection_from_many_tabs_makes_one():
    EditionFactory(
        number=7,
        state=Edition.State.RESULTS_PUBLISHED,
        objection_deadline=timezone.now() + timedelta(days=3),
    )
    user, person = contributor("objector")
    url = "/hackathon/7/results/objection/"
    post_in_parallel(user, url, lambda: {"text": "No.3 is worth 2 stars"})
    assert Objection.objects.filter(person=person).count() == 1


@pytest.fixture
def mentee():
    cohort = CohortFactory(slug="9th")
    project = ProjectFactory(cohort=cohort, number=1)
    user, person = contributor("tab-mentee")
    _, mentor = contributor("tab-mentor")
    mentorship = MentorshipFactory(project=project, mentee=person, mentors=[mentor])
    return user, mentorship


def test_camp_report_submitted_from_two_tabs_makes_one(mentee):
    user, mentorship = mentee
    period = mentorship.cohort.periods.order_by("number").first()
    data = {"work": "修了一个算子", "questions": "", "next_work": "继续", "action": "submit"}
    post_in_parallel(user, reverse("camp:write", args=[period.pk]), lambda: data)
    report = Report.objects.get(mentorship=mentorship, period=period)
    assert report.state == Report.State.SUBMITTED
    assert ReportEvent.objects.filter(report=report, action="submit").count() == 1


def test_camp_application_from_many_tabs_makes_one(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    cohort = CohortFactory(slug="9th", state="open")
    project = ProjectFactory(cohort=cohort, number=1)
    user, person = contributor("tab-applicant")

    def data():
        return {
            "first_choice": project.pk,
            "statement": "我想参加",
            "resume": SimpleUploadedFile("cv.pdf", PDF, "application/pdf"),
        }

    post_in_parallel(user, reverse("camp:apply", args=["9th"]), data)
    assert CampApplication.objects.filter(applicant=person).count() == 1

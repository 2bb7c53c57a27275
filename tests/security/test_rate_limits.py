"""The site's forms answer 429 past their rate limit, and nothing past the limit is saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from camp.models import CampApplication, Report, Review
from common.ratelimit import parse_rates
from hackathon.models import Claim, Edition, Objection
from membership.models import MembershipApplication
from tests.camp.conftest import camp, client_for  # noqa: F401 - fixtures
from tests.camp.factories import ProjectFactory, ReportFactory
from tests.factories import PersonFactory, UserFactory
from tests.hackathon.factories import EditionFactory, TaskFactory

pytestmark = pytest.mark.django_db
LIMIT = 3
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.PFCC_RATE_LIMITS = dict.fromkeys(
        [
            "membership.apply",
            "hackathon.claim",
            "hackathon.objection",
            "camp.apply",
            "camp.report",
            "camp.review",
        ],
        f"{LIMIT}/m",
    )


def signed_in(user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def contributor(login):
    user = UserFactory(username=login)
    PersonFactory(github=login, user=user)
    return user


def assert_limited(responses):
    statuses = [response.status_code for response in responses]
    assert 429 not in statuses[:LIMIT], statuses
    assert statuses[LIMIT:] == [429] * (len(statuses) - LIMIT), statuses
    limited = responses[-1]
    assert "Too many requests" in limited.content.decode()
    assert int(limited["Retry-After"]) >= 1


def test_defaults_are_sane(settings):
    from config import settings as project_settings

    assert parse_rates(project_settings.PFCC_RATE_LIMIT_DEFAULT) == [(10, 60), (100, 86400)]
    assert parse_rates("3/30s, 20/h") == [(3, 30), (20, 3600)]
    with pytest.raises(ValueError):
        parse_rates("ten a minute")


def test_hackathon_claims():
    edition = EditionFactory(number=7, state=Edition.State.OPEN)
    for number in range(1, 7):
        TaskFactory(edition=edition, number=number)
    alice = signed_in(contributor("alice"))
    responses = [alice.post("/hackathon/7/claim/", {"numbers": str(n)}) for n in range(1, 6)]
    assert_limited(responses)
    assert Claim.objects.count() == LIMIT
    # The limit is per user: someone else still claims; a GET is never limited.
    assert (
        signed_in(contributor("bob")).post("/hackathon/7/claim/", {"numbers": "6"}).status_code
        == 302
    )
    assert Claim.objects.count() == LIMIT + 1
    assert alice.get("/hackathon/7/tasks/").status_code == 200


def test_hackathon_objection():
    EditionFactory(number=7, state=Edition.State.RESULTS_PUBLISHED)
    client = signed_in(contributor("alice"))
    url = "/hackathon/7/results/objection/"
    responses = [client.post(url, {"text": f"No.{n} is 2 stars"}) for n in range(LIMIT + 2)]
    assert_limited(responses)
    assert Objection.objects.count() <= 1


def test_membership_application():
    client = signed_in(UserFactory())
    data = {
        "github": "octo-dev",
        "name": "Octo Dev",
        "email": "octo@example.org",
        "contributions": "https://github.com/PaddlePaddle/Paddle/pull/68001",
        "statement": "I fixed the docs.",
    }
    responses = [client.post("/join/", data) for _ in range(LIMIT + 2)]
    assert_limited(responses)
    assert MembershipApplication.objects.count() == 1


def test_camp_application(camp, settings, tmp_path):  # noqa: F811
    camp.cohort.state = "open"
    camp.cohort.save()
    second = ProjectFactory(cohort=camp.cohort, number=2)
    client = signed_in(camp.users["outsider"])
    responses = []
    for _ in range(LIMIT + 2):
        pdf = SimpleUploadedFile("cv.pdf", PDF, "application/pdf")
        data = {
            "first_choice": camp.project.pk,
            "other_choices": [second.pk],
            "statement": "我想参加",
            "resume": pdf,
        }
        responses.append(client.post(reverse("camp:apply", args=["9th"]), data))
    assert_limited(responses)
    assert CampApplication.objects.count() == 1


def test_camp_reports_save_and_submit(camp):  # noqa: F811
    client = signed_in(camp.users["mentee"])
    periods = list(camp.cohort.periods.order_by("number"))
    assert len(periods) >= LIMIT + 2
    responses = [
        client.post(
            reverse("camp:write", args=[period.pk]),
            {"work": "做了一些事", "questions": "", "next_work": "继续", "action": "save"},
        )
        for period in periods[: LIMIT + 2]
    ]
    assert_limited(responses)
    assert Report.objects.count() == LIMIT
    # Submitting a draft counts against the same limit.
    draft = Report.objects.first()
    assert client.post(reverse("camp:submit", args=[draft.pk])).status_code == 429


def test_camp_reviews(camp):  # noqa: F811
    periods = list(camp.cohort.periods.order_by("number"))[: LIMIT + 2]
    reports = [
        ReportFactory(mentorship=camp.mentorship, period=period, state=Report.State.SUBMITTED)
        for period in periods
    ]
    client = signed_in(camp.users["mentor"])
    responses = [
        client.post(report.get_absolute_url(), {"text": "很好，继续加油，下次把测试也补上"})
        for report in reports
    ]
    assert_limited(responses)
    assert Review.objects.count() == LIMIT

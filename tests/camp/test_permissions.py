"""Every camp page for every role: anonymous, mentee, other mentee, mentor, other mentor, TA,
staff (and a signed-in outsider)."""

import pytest
from django.urls import reverse

from camp.models import Report

from .factories import ReportFactory

ROLES = ["anonymous", "mentee", "other_mentee", "mentor", "other_mentor", "ta", "staff", "outsider"]


def expect(url_name, matrix):
    return [(url_name, role, matrix[role]) for role in ROLES]


@pytest.fixture
def report(camp):
    return ReportFactory(
        mentorship=camp.mentorship,
        period=camp.cohort.periods.first(),
        state=Report.State.SUBMITTED,
    )


def url_for(name, camp, report):
    period = camp.cohort.periods.first()
    return {
        "index": reverse("camp:index"),
        "cohort": reverse("camp:cohort", args=["9th"]),
        "project": reverse("camp:project", args=["9th", 1]),
        "me": reverse("camp:my_camp"),
        "reviews": reverse("camp:reviews"),
        "report": reverse("camp:report", args=[report.pk]),
        "export": reverse("camp:report_export", args=[report.pk]),
        "write": reverse("camp:write", args=[period.pk]),
        "checklist": reverse("camp:checklist", args=["9th"]),
        "summary": reverse("camp:period_summary", args=["9th", 1]),
        "reminders": reverse("camp:reminders", args=["9th"]),
        "grades": reverse("camp:grades_csv", args=["9th"]),
        "apply": reverse("camp:apply", args=["9th"]),
        "applications": reverse("camp:applications", args=["9th"]),
    }[name]


PUBLIC = dict.fromkeys(ROLES, 200)
SIGNED_IN = {**dict.fromkeys(ROLES, 200), "anonymous": 302}
REPORT = {
    "anonymous": 302,
    "mentee": 200,
    "other_mentee": 403,
    "mentor": 200,
    "other_mentor": 403,
    "ta": 200,
    "staff": 200,
    "outsider": 403,
}
# The write page is per period and always the viewer's own report: mentees only.
WRITE = {**dict.fromkeys(ROLES, 403), "anonymous": 302, "mentee": 200, "other_mentee": 200}
TA_ONLY = {**dict.fromkeys(ROLES, 403), "anonymous": 302, "ta": 200, "staff": 200}
STAFF_ONLY = {**dict.fromkeys(ROLES, 403), "anonymous": 302, "staff": 200}

CASES = (
    expect("index", PUBLIC)
    + expect("cohort", PUBLIC)
    + expect("project", PUBLIC)
    + expect("me", SIGNED_IN)
    + expect("reviews", SIGNED_IN)
    + expect("apply", SIGNED_IN)
    + expect("report", REPORT)
    + expect("export", REPORT)
    + expect("write", WRITE)
    + expect("checklist", TA_ONLY)
    + expect("summary", TA_ONLY)
    + expect("reminders", TA_ONLY)
    + expect("grades", STAFF_ONLY)
    + expect("applications", STAFF_ONLY)
)


@pytest.mark.parametrize(("page", "role", "status"), CASES)
def test_page_status_per_role(camp, report, client_for, page, role, status):
    client = client_for(None if role == "anonymous" else camp.users[role])
    response = client.get(url_for(page, camp, report))
    assert response.status_code == status, (page, role, response.status_code)
    if status == 302:
        assert response["Location"].startswith(reverse("account_login"))


# A public cohort (as the public Camp repository was): every role reads its submitted reports,
# anonymous visitors included, and exports them; a draft stays its mentee's (and staff's, TAs',
# mentors'); a private cohort's reports stay private (REPORT above).
PUBLIC_REPORT = dict.fromkeys(ROLES, 200)
PUBLIC_DRAFT = {**REPORT, "anonymous": 302}


@pytest.mark.parametrize("page", ["report", "export"])
@pytest.mark.parametrize("role", ROLES)
def test_public_cohort_reports_are_read_by_every_role(camp, report, client_for, page, role):
    camp.cohort.reports_public = True
    camp.cohort.save()
    client = client_for(None if role == "anonymous" else camp.users[role])
    response = client.get(url_for(page, camp, report))
    assert response.status_code == PUBLIC_REPORT[role], (role, response.status_code)
    body = response.content.decode()
    assert "pull/123" in body  # the report's text itself
    if role not in {"mentor", "staff"}:
        assert 'name="action" value="review"' not in body  # reading is not reviewing


@pytest.mark.parametrize("role", ROLES)
def test_public_cohort_drafts_stay_private(camp, client_for, role):
    camp.cohort.reports_public = True
    camp.cohort.save()
    draft = ReportFactory(mentorship=camp.mentorship, period=camp.cohort.periods.first())
    client = client_for(None if role == "anonymous" else camp.users[role])
    response = client.get(reverse("camp:report", args=[draft.pk]))
    assert response.status_code == PUBLIC_DRAFT[role], (role, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_anonymous_cannot_review_a_public_report(camp, report, client_for, role):
    """Reading is open; writing is not: a POST by anyone but the mentor changes nothing."""
    camp.cohort.reports_public = True
    camp.cohort.save()
    client = client_for(None if role == "anonymous" else camp.users[role])
    response = client.post(
        reverse("camp:report", args=[report.pk]), {"action": "review", "text": "Looks good."}
    )
    report.refresh_from_db()
    if role == "mentor":
        assert response.status_code == 302 and report.state == Report.State.REVIEWED
    else:
        assert response.status_code == 403, (role, response.status_code)
        assert report.state == Report.State.SUBMITTED


def test_a_private_report_sends_an_anonymous_visitor_to_sign_in_and_back(camp, report, client):
    url = reverse("camp:report", args=[report.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"] and str(report.pk) in response["Location"]


def test_public_reports_are_found_by_anonymous_search_private_ones_not(camp, client):
    from search.index import rebuild

    found = ReportFactory(
        mentorship=camp.mentorship,
        period=camp.cohort.periods.first(),
        state=Report.State.SUBMITTED,
        work="完成了 zebracorn 算子",
    ).get_absolute_url()
    rebuild()
    url = reverse("search:results") + "?q=zebracorn"
    assert found not in client.get(url).content.decode()
    camp.cohort.reports_public = True
    camp.cohort.save()  # the index follows the cohort's setting
    assert found in client.get(url).content.decode()


@pytest.mark.parametrize("role", ["anonymous", "mentee", "mentor", "ta", "outsider"])
def test_resume_only_for_staff(camp, client_for, role):
    from camp.models import CampApplication

    application = CampApplication.objects.create(
        cohort=camp.cohort, applicant=camp.persons["outsider"], first_choice=camp.project
    )
    client = client_for(None if role == "anonymous" else camp.users[role])
    response = client.get(reverse("camp:resume", args=[application.pk]))
    assert response.status_code == (302 if role == "anonymous" else 403)


def test_draft_cohort_hidden_from_public(camp, client_for):
    camp.cohort.state = "draft"
    camp.cohort.save()
    assert (
        client_for(camp.users["mentee"]).get(reverse("camp:cohort", args=["9th"])).status_code
        == 404
    )
    assert (
        client_for(camp.users["staff"]).get(reverse("camp:cohort", args=["9th"])).status_code == 200
    )


def test_fixed_paths_are_not_cohorts(camp, client_for):
    client = client_for(camp.users["mentee"])
    assert reverse("camp:my_camp") == "/camp/me/"
    assert reverse("camp:reviews") == "/camp/reviews/"
    assert (
        b"camp-me" in client.get("/camp/me/").content or client.get("/camp/me/").status_code == 200
    )


def test_unknown_cohort_is_404(db, client):
    assert client.get("/camp/nope/").status_code == 404


def test_other_mentee_writes_only_their_own_report(camp, report, client_for):
    url = reverse("camp:write", args=[report.period_id])
    response = client_for(camp.users["other_mentee"]).get(url)
    assert "pull/123" not in response.content.decode()
    client_for(camp.users["other_mentee"]).post(url, {"work": "mine", "action": "submit"})
    report.refresh_from_db()
    assert "pull/123" in report.work
    assert camp.other_mentorship.reports.get().work == "mine"


def test_ta_of_another_cohort_sees_nothing_here(camp, report, client_for):
    from tests.factories import PersonFactory, UserFactory

    from .factories import CohortFactory

    other_ta_user = UserFactory(username="other-ta")
    other_ta = PersonFactory(github="other-ta", user=other_ta_user)
    CohortFactory(slug="10th").teaching_assistants.add(other_ta)
    client = client_for(other_ta_user)
    assert client.get(reverse("camp:checklist", args=["9th"])).status_code == 403
    assert client.get(reverse("camp:report", args=[report.pk])).status_code == 403
    assert client.get(reverse("camp:checklist", args=["10th"])).status_code == 200

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from camp import services
from camp.models import CampApplication, Mentorship

from .factories import ProjectFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def open_camp(camp):
    camp.cohort.status = "open"
    camp.cohort.save()
    camp.second = ProjectFactory(cohort=camp.cohort, number=2)
    return camp


def post(client, camp, resume, **extra):
    data = {
        "first_choice": camp.project.pk,
        "other_choices": [camp.second.pk],
        "no_reassignment": "on",
        "statement": "我想参加",
        "resume": resume,
        **extra,
    }
    return client.post(reverse("camp:apply", args=["9th"]), data)


def test_apply_with_pdf(open_camp, client_for):
    camp = open_camp
    client = client_for(camp.users["outsider"])
    response = post(client, camp, SimpleUploadedFile("cv.pdf", PDF, "application/pdf"))
    assert response.status_code == 302
    application = CampApplication.objects.get()
    assert application.applicant == camp.persons["outsider"]
    assert application.accepts_reassignment is False
    assert list(application.other_choices.all()) == [camp.second]
    assert application.resume.read().startswith(b"%PDF-")
    assert mail.outbox
    # the page now shows the status, not a second form
    response = client.get(reverse("camp:apply", args=["9th"]))
    assert response.context["form"] is None
    assert "不接受调剂" in response.content.decode()
    # only staff download the résumé, through the view
    assert client.get(reverse("camp:resume", args=[application.pk])).status_code == 403
    response = client_for(camp.users["staff"]).get(reverse("camp:resume", args=[application.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("name", "content"),
    [("cv.pdf", b"MZ not a pdf"), ("cv.exe", PDF), ("cv.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))],
)
def test_bad_resume_refused(open_camp, client_for, name, content):
    camp = open_camp
    response = post(client_for(camp.users["outsider"]), camp, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert response.context["form"].errors["resume"]
    assert not CampApplication.objects.exists()


def test_closed_cohort_has_no_form(camp, client_for):
    response = client_for(camp.users["outsider"]).get(reverse("camp:apply", args=["9th"]))
    assert response.context["form"] is None


def test_lock_mentee(open_camp, client_for):
    camp = open_camp
    post(client_for(camp.users["outsider"]), camp, SimpleUploadedFile("cv.pdf", PDF))
    application = CampApplication.objects.get()
    with pytest.raises(services.CampError):
        services.lock_mentee(camp.users["ta"], application, camp.second, [camp.persons["mentor"]])
    with pytest.raises(services.CampError):
        services.lock_mentee(camp.users["staff"], application, camp.second, [])
    mentorship = services.lock_mentee(
        camp.users["staff"], application, camp.second, [camp.persons["mentor"]]
    )
    assert mentorship.cohort == camp.cohort
    assert list(mentorship.mentors.all()) == [camp.persons["mentor"]]
    application.refresh_from_db()
    assert application.status == "locked"
    assert Mentorship.objects.filter(mentee=camp.persons["outsider"]).count() == 1
    with pytest.raises(services.CampError):
        services.lock_mentee(
            camp.users["staff"], application, camp.second, [camp.persons["mentor"]]
        )


def test_staff_lock_from_the_applications_page(open_camp, client_for):
    camp = open_camp
    post(client_for(camp.users["outsider"]), camp, SimpleUploadedFile("cv.pdf", PDF))
    application = CampApplication.objects.get()
    camp.second.mentors.add(camp.persons["other_mentor"])
    url = reverse("camp:lock", args=[application.pk])
    # not staff: refused
    assert client_for(camp.users["ta"]).post(url, {}).status_code == 403
    client = client_for(camp.users["staff"])
    page = client.get(reverse("camp:applications", args=["9th"]))
    assert "@other-mentor" in page.content.decode()
    # three mentors: refused with a message, nothing saved
    response = client.post(
        url,
        {
            "project": camp.second.pk,
            "mentors": [camp.persons[r].pk for r in ("mentor", "other_mentor", "ta")],
        },
        follow=True,
    )
    assert not Mentorship.objects.filter(mentee=camp.persons["outsider"]).exists()
    assert list(response.context["messages"])
    # reassigned (调剂) to the second project with its mentor
    client.post(url, {"project": camp.second.pk, "mentors": [camp.persons["other_mentor"].pk]})
    mentorship = Mentorship.objects.get(mentee=camp.persons["outsider"])
    assert mentorship.project == camp.second
    application.refresh_from_db()
    assert (application.status, application.locked_project) == ("locked", camp.second)


def test_staff_decline(open_camp, client_for):
    camp = open_camp
    post(client_for(camp.users["outsider"]), camp, SimpleUploadedFile("cv.pdf", PDF))
    application = CampApplication.objects.get()
    client_for(camp.users["staff"]).post(reverse("camp:decline", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "rejected"


def test_applications_page_queries_are_flat(open_camp, client_for):
    from pfcc.models import Person
    from tests.queries import assert_flat_queries

    camp = open_camp

    def grow(total):
        while CampApplication.objects.count() < total:
            n = CampApplication.objects.count()
            person = Person.objects.create(github=f"applicant-{n}")
            application = CampApplication.objects.create(
                cohort=camp.cohort, applicant=person, first_choice=camp.project
            )
            application.other_choices.add(camp.second)

    client = client_for(camp.users["staff"])
    assert (
        assert_flat_queries(
            client, reverse("camp:applications", args=["9th"]), grow, small=5, large=40
        )
        <= 10
    )

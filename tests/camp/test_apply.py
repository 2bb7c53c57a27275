import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from camp import transitions
from camp.models import CampApplication, Mentorship

from .factories import ProjectFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def open_camp(camp):
    camp.cohort.state = "open"
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
    # the confirmation names every choice and where to follow the application
    body = mail.outbox[0].body
    assert camp.project.title in body and camp.second.title in body
    assert reverse("camp:my_camp") in body
    # the apply page now leads to the application's own page, not a second form
    response = client.get(reverse("camp:apply", args=["9th"]))
    assert response["Location"] == reverse("camp:application", args=[application.pk])
    page = client.get(response["Location"]).content.decode()
    assert "不接受调剂" in page and camp.second.title in page
    # /camp/me/ lists it too
    assert (
        reverse("camp:application", args=[application.pk])
        in client.get(reverse("camp:my_camp")).content.decode()
    )
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
    with pytest.raises(transitions.TransitionError):
        transitions.lock_mentee(
            application, camp.users["ta"], camp.second, [camp.persons["mentor"]]
        )
    with pytest.raises(transitions.TransitionError):
        transitions.lock_mentee(application, camp.users["staff"], camp.second, [])
    mentorship = transitions.lock_mentee(
        application, camp.users["staff"], camp.second, [camp.persons["mentor"]]
    )
    assert mentorship.cohort == camp.cohort
    assert list(mentorship.mentors.all()) == [camp.persons["mentor"]]
    application.refresh_from_db()
    assert application.state == "locked"
    assert Mentorship.objects.filter(mentee=camp.persons["outsider"]).count() == 1
    with pytest.raises(transitions.TransitionError):
        transitions.lock_mentee(
            application, camp.users["staff"], camp.second, [camp.persons["mentor"]]
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
    assert (application.state, application.locked_project) == ("locked", camp.second)


def test_staff_decline(open_camp, client_for):
    camp = open_camp
    post(client_for(camp.users["outsider"]), camp, SimpleUploadedFile("cv.pdf", PDF))
    application = CampApplication.objects.get()
    client_for(camp.users["staff"]).post(reverse("camp:decline", args=[application.pk]))
    application.refresh_from_db()
    assert application.state == "rejected"


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


def test_applicant_edits_then_withdraws(open_camp, client_for):
    camp = open_camp
    client = client_for(camp.users["outsider"])
    post(client, camp, SimpleUploadedFile("cv.pdf", PDF, "application/pdf"))
    application = CampApplication.objects.get()
    mail.outbox.clear()
    url = reverse("camp:edit_application", args=[application.pk])
    assert client.get(url).status_code == 200
    # an invalid change keeps what was typed
    response = client.post(url, {"first_choice": camp.second.pk, "statement": ""})
    assert response.status_code == 200
    response = client.post(
        url,
        {"first_choice": camp.second.pk, "other_choices": [camp.project.pk], "statement": "改了"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.first_choice, application.statement) == (camp.second, "改了")
    assert list(application.other_choices.all()) == [camp.project]
    assert application.accepts_reassignment is True
    assert application.resume  # no new file: the old one is kept
    assert camp.project.title in mail.outbox[0].body
    # others may neither see nor change it
    other = client_for(camp.users["mentee"])
    assert other.get(reverse("camp:application", args=[application.pk])).status_code == 403
    assert (
        other.post(reverse("camp:withdraw_application", args=[application.pk])).status_code == 403
    )
    client = client_for(camp.users["outsider"])
    response = client.post(reverse("camp:withdraw_application", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "withdrawn"
    assert [e.action for e in application.events.all()] == ["submit", "edit", "withdraw"]
    # once withdrawn, it can no longer be changed
    assert client.get(url).status_code == 302
    page = client.get(reverse("camp:application", args=[application.pk])).content.decode()
    assert reverse("camp:withdraw_application", args=[application.pk]) not in page


def test_staff_locking_records_history_on_both(open_camp, client_for):
    camp = open_camp
    client = client_for(camp.users["outsider"])
    post(client, camp, SimpleUploadedFile("cv.pdf", PDF, "application/pdf"))
    application = CampApplication.objects.get()
    mentorship = transitions.lock_mentee(
        application, camp.users["staff"], camp.second, [camp.persons["mentor"]]
    )
    assert application.events.last().action == "lock"
    assert mentorship.events.get().action == "lock"
    with pytest.raises(transitions.TransitionError):
        transitions.withdraw_application(application, camp.users["outsider"])

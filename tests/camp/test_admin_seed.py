from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from camp.models import CampApplication, Cohort, Grade, Mentorship, Report
from camp.seed import seed

from .factories import ReportFactory

ADMIN_MODELS = [
    "cohort",
    "project",
    "mentorship",
    "campapplication",
    "report",
    "review",
    "reportperiod",
    "techtalk",
    "grade",
    "reminder",
    "campevent",
]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_changelist_and_add(camp, client_for, model):
    ReportFactory(mentorship=camp.mentorship, period=camp.cohort.periods.first())
    client = client_for(camp.users["staff"])
    assert client.get(reverse(f"admin:camp_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:camp_{model}_add")).status_code == 200


def test_cohort_admin_links_the_checklist(camp, client_for):
    client = client_for(camp.users["staff"])
    content = client.get(reverse("admin:camp_cohort_changelist")).content.decode()
    assert reverse("camp:checklist", args=["9th"]) in content
    assert client.get(reverse("admin:camp_cohort_change", args=[camp.cohort.pk])).status_code == 200


def test_admin_lock_action(camp, client_for):
    camp.project.mentors.add(camp.persons["mentor"])
    application = CampApplication.objects.create(
        cohort=camp.cohort, applicant=camp.persons["outsider"], first_choice=camp.project
    )
    client = client_for(camp.users["staff"])
    response = client.post(
        reverse("admin:camp_campapplication_changelist"),
        {"action": "lock_onto_first_choice", "_selected_action": [application.pk]},
    )
    assert response.status_code == 302
    assert Mentorship.objects.filter(mentee=camp.persons["outsider"]).exists()


def test_admin_grade_inline_records_grade(camp, client_for):
    client = client_for(camp.users["staff"])
    url = reverse("admin:camp_mentorship_change", args=[camp.mentorship.pk])
    data = {
        "project": camp.project.pk,
        "mentee": camp.persons["mentee"].pk,
        "mentors": [camp.persons["mentor"].pk],
        "status": "active",
        "locked_at_0": "2024-07-15",
        "locked_at_1": "00:00:00",
        "grade-TOTAL_FORMS": "1",
        "grade-INITIAL_FORMS": "0",
        "grade-MIN_NUM_FORMS": "0",
        "grade-MAX_NUM_FORMS": "1",
        "grade-0-level": "good",
        "grade-0-months": "3",
        "grade-0-defense_date": "",
        "grade-0-comment": "",
        "grade-0-mentorship": camp.mentorship.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    grade = Grade.objects.get()
    assert grade.stars == 4
    assert grade.recorded_by == camp.users["staff"]


@pytest.mark.django_db
def test_seed_is_idempotent_and_covers_every_state():
    call_command("seed_demo", stdout=StringIO())
    counts = (Cohort.objects.count(), Report.objects.count(), Mentorship.objects.count())
    seed(type("Command", (), {"stdout": StringIO()})())
    assert (Cohort.objects.count(), Report.objects.count(), Mentorship.objects.count()) == counts
    states = set(Report.objects.values_list("status", flat=True))
    assert states == {"draft", "submitted", "reviewed"}
    cohort = Cohort.objects.get(status="running")
    mentorship = Mentorship.objects.get(cohort=cohort, mentee__user__username="mentee")
    assert mentorship.mentors.filter(user__username="mentor").exists()
    assert cohort.teaching_assistants.filter(user__username="ta").exists()
    assert Cohort.objects.filter(status="open").exists()


def test_person_page_shows_camp_history(camp, client_for):
    content = client_for(None).get(reverse("pfcc:person", args=["mentee"])).content.decode()
    assert camp.cohort.get_absolute_url() in content
    content = client_for(None).get(reverse("pfcc:person", args=["mentor"])).content.decode()
    assert "@mentee" in content

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
    "programme",
]
# Reviews are written by mentors on the report's page (with their history), not in the admin.
NO_ADD = {"review"}


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_changelist_and_add(camp, client_for, model):
    ReportFactory(mentorship=camp.mentorship, period=camp.cohort.periods.first())
    client = client_for(camp.users["staff"])
    assert client.get(reverse(f"admin:camp_{model}_changelist")).status_code == 200
    expected = 403 if model in NO_ADD else 200
    assert client.get(reverse(f"admin:camp_{model}_add")).status_code == expected


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
        "state": "active",
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
    # through the transition: the mentorship is completed and the change recorded
    camp.mentorship.refresh_from_db()
    assert camp.mentorship.state == "completed"
    entry = camp.mentorship.events.get(action="grade")
    assert (entry.from_state, entry.to_state, entry.actor) == (
        "active",
        "completed",
        camp.users["staff"],
    )


def test_admin_cohort_actions_change_state_with_history(camp, client_for):
    client = client_for(camp.users["staff"])
    response = client.post(
        reverse("admin:camp_cohort_changelist"),
        {"action": "make_finished", "_selected_action": [camp.cohort.pk]},
    )
    assert response.status_code == 302
    camp.cohort.refresh_from_db()
    assert camp.cohort.state == "finished"
    assert camp.cohort.events.get(action="state").from_state == "running"


def test_admin_withdraws_a_mentee_with_history(camp, client_for):
    client = client_for(camp.users["staff"])
    client.post(
        reverse("admin:camp_mentorship_changelist"),
        {"action": "withdraw", "_selected_action": [camp.mentorship.pk]},
    )
    camp.mentorship.refresh_from_db()
    assert camp.mentorship.state == "withdrawn"
    assert camp.mentorship.ended_at is not None
    assert camp.mentorship.events.filter(action="withdraw").exists()


@pytest.mark.django_db
def test_seed_is_idempotent_and_covers_every_state():
    call_command("seed_demo", stdout=StringIO())
    counts = (Cohort.objects.count(), Report.objects.count(), Mentorship.objects.count())
    seed(type("Command", (), {"stdout": StringIO()})())
    assert (Cohort.objects.count(), Report.objects.count(), Mentorship.objects.count()) == counts
    states = set(Report.objects.values_list("state", flat=True))
    assert states == {"draft", "submitted", "reviewed"}
    cohort = Cohort.objects.get(state="running")
    mentorship = Mentorship.objects.get(cohort=cohort, mentee__user__username="mentee")
    assert mentorship.mentors.filter(user__username="mentor").exists()
    assert cohort.teaching_assistants.filter(user__username="ta").exists()
    assert Cohort.objects.filter(state="open").exists()


def test_person_page_shows_camp_history(camp, client_for):
    content = client_for(None).get(reverse("pfcc:person", args=["mentee"])).content.decode()
    assert camp.cohort.get_absolute_url() in content
    content = client_for(None).get(reverse("pfcc:person", args=["mentor"])).content.decode()
    assert "@mentee" in content

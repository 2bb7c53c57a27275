"""Staff's admin for contests, judges, prizes, registrations and entries (through the
transitions); the account's data download and deletion; the page cache; demo and bench data."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse

from common import cache
from judging import transitions
from judging.models import (
    Award,
    Certificate,
    Contest,
    Judge,
    Like,
    Registration,
    Submission,
)
from pfcc.account_data import account_data
from pfcc.models import OutgoingEmail
from tests.factories import StaffFactory, UserFactory

from .factories import JudgeFactory, RegistrationFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

MODELS = [
    "contest",
    "registration",
    "submission",
    "judge",
    "scorecard",
    "award",
    "certificate",
]


@pytest.fixture
def staff_client(client_for):
    return client_for(StaffFactory())


def test_every_admin_page_opens(contest, staff_client):
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    JudgeFactory(contest=contest)
    for model in MODELS:
        assert staff_client.get(reverse(f"admin:judging_{model}_changelist")).status_code == 200
    for name, pk in [
        ("contest", contest.pk),
        ("submission", submission.pk),
        ("registration", submission.registration_id),
        ("judge", Judge.objects.get().pk),
    ]:
        url = reverse(f"admin:judging_{name}_change", args=[pk])
        assert staff_client.get(url).status_code == 200, name
    for name in ("contest", "judge", "award"):
        assert staff_client.get(reverse(f"admin:judging_{name}_add")).status_code == 200


def test_staff_assign_a_judge_in_the_admin(contest, staff_client):
    user = UserFactory(email="judge@example.org")
    response = staff_client.post(
        reverse("admin:judging_judge_add"), {"contest": contest.pk, "user": user.pk}
    )
    assert response.status_code == 302
    judge = Judge.objects.get()
    assert judge.user == user and judge.history.get().action == "assign"
    assert any("judge@example.org" in mail.to for mail in OutgoingEmail.objects.all())
    staff_client.post(
        reverse("admin:judging_judge_changelist"),
        {"action": "remove", "_selected_action": [judge.pk]},
    )
    judge.refresh_from_db()
    assert judge.state == Judge.State.REMOVED


def test_contest_actions_go_through_the_transitions(contest, staff_client):
    changelist = reverse("admin:judging_contest_changelist")
    staff_client.post(changelist, {"action": "start_judging", "_selected_action": [contest.pk]})
    contest.refresh_from_db()
    assert contest.state == Contest.State.JUDGING
    # Publishing without a prize is refused with a message, not a 500.
    response = staff_client.post(
        changelist, {"action": "publish_results", "_selected_action": [contest.pk]}, follow=True
    )
    assert "Award at least one prize first." in response.content.decode()
    assert Contest.objects.get().state == Contest.State.JUDGING


def test_awards_in_the_admin_are_checked_and_recorded(contest, staff_client):
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    prize = contest.prizes.first()
    add = reverse("admin:judging_award_add")
    data = {"contest": contest.pk, "prize": prize.pk, "submission": submission.pk}
    response = staff_client.post(add, data)
    assert response.status_code == 200  # entries still open: refused with the reason
    assert "while judging" in response.content.decode()
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.JUDGING)
    assert staff_client.post(add, data).status_code == 302
    award = Award.objects.get()
    assert submission.history.get().action == "award"
    staff_client.post(reverse("admin:judging_award_delete", args=[award.pk]), {"post": "yes"})
    assert not Award.objects.exists()
    assert [e.action for e in submission.history.all()] == ["award", "revoke_award"]


def test_disqualify_in_the_admin_with_a_reason(contest, staff_client):
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    url = reverse("admin:judging_submission_change", args=[submission.pk])
    response = staff_client.post(
        url,
        {
            "title": submission.title,
            "summary": "",
            "direction": submission.direction_id,
            "app_url": submission.app_url,
            "repository_url": "",
            "description": "",
            "reason": "与他人作品雷同",
            **{
                f"{prefix}-{name}": "0"
                for prefix in ("screenshots", "awards", "history")
                for name in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == Submission.State.DISQUALIFIED
    assert submission.history.last().note == "与他人作品雷同"


def test_account_data_download_and_deletion(contest):
    user = UserFactory()
    registration = RegistrationFactory(contest=contest, user=user)
    entry = SubmissionFactory(registration=registration, title="我的应用")
    other = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    transitions.like(other, user)
    data = account_data.export(user, None)["judging"]
    assert "email" not in data["registrations"][0]  # none is kept: mail goes to the account
    assert data["registrations"][0]["entries"][0]["title"] == "我的应用"
    assert data["likes"][0]["entry"] == other.title
    assert account_data.erase(user, None) == set()  # the account's addresses go with it
    other.refresh_from_db()
    assert other.like_count == 0 and not Like.objects.exists()
    assert Registration.objects.filter(pk=registration.pk).exists()
    assert Submission.objects.filter(pk=entry.pk).exists()  # entries stay with the team


def test_private_tables_leave_the_page_cache_alone():
    tables = cache.public_tables()
    assert "judging_submission" in tables and "judging_contest" in tables
    for private in ("judging_like", "judging_submissionviews", "judging_scorecard"):
        assert private not in tables


def test_home_page_lists_contests_taking_entries(contest, client_for):
    page = client_for().get(reverse("pfcc:home")).content.decode()
    assert "大模型应用与创意赛" in page


def counters_match():
    contests = Contest.objects.annotate(
        n_registrations=Count(
            "registrations", filter=Q(registrations__state="registered"), distinct=True
        ),
        n_entries=Count("submissions", filter=Q(submissions__state="submitted"), distinct=True),
    )
    return [
        contest.slug
        for contest in contests
        if (contest.n_registrations, contest.n_entries)
        != (contest.registration_count, contest.submission_count)
    ]


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    counts = (Contest.objects.count(), Submission.objects.count(), Certificate.objects.count())
    call_command("seed_demo")
    assert counts == (
        Contest.objects.count(),
        Submission.objects.count(),
        Certificate.objects.count(),
    )
    assert counts[0] == 2 and counts[2] > 0
    assert counters_match() == []
    assert Contest.objects.get(slug="hackathon-5th-llm").state == Contest.State.JUDGING


def test_seed_bench_judging(capsys):
    call_command("seed_bench", "--scale", "1")
    contest = Contest.objects.get(slug="bench-j0")
    assert contest.submissions.count() == 1000 and contest.results_published
    assert Certificate.objects.filter(award__contest=contest).count() >= 9
    assert counters_match() == []
    assert "1000 contest entries" in capsys.readouterr().out

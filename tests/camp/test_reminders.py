from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from camp.models import Reminder, Report
from camp.reminders import plan_reminders, send_reminders

from .factories import ReportFactory


def run(*args):
    out = StringIO()
    call_command("send_camp_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def setup(camp):
    """Today: two days before period 3 is due. Periods 1 and 2 are past."""
    periods = list(camp.cohort.periods.all())
    today = periods[2].due_date - timedelta(days=2)
    # mentee: period 1 submitted, period 2 missing (overdue), period 3 due in two days
    ReportFactory(
        mentorship=camp.mentorship,
        period=periods[0],
        state=Report.State.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=10),
    )
    # other mentee: everything submitted up to 3 (recently: no mentor reminder)
    for period in periods[:3]:
        ReportFactory(
            mentorship=camp.other_mentorship,
            period=period,
            state=Report.State.SUBMITTED,
            submitted_at=timezone.now(),
        )
    return periods, today


def test_plan(camp, setup):
    periods, today = setup
    plan = plan_reminders(today=today)
    summary = sorted(
        (item.person.github, item.kind, tuple(p.number for p in item.periods)) for item in plan
    )
    assert summary == [
        ("mentee", "due", (3,)),
        ("mentee", "overdue", (2,)),
        ("mentor", "reviews", (1,)),
    ]


def test_dry_run_sends_nothing(camp, setup):
    _periods, today = setup
    out = run("--today", today.isoformat())
    assert "would send" in out
    assert "@mentee" in out and "@mentor" in out
    assert not mail.outbox
    assert not Reminder.objects.exists()


def test_send_is_idempotent(camp, setup, django_capture_on_commit_callbacks):
    _periods, today = setup
    with django_capture_on_commit_callbacks(execute=True):
        out = run("--send", "--today", today.isoformat())
    assert "Queued 3" in out
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [camp.users["mentee"].email, camp.users["mentee"].email, camp.users["mentor"].email]
    )
    assert Reminder.objects.count() == 3
    mail.outbox.clear()
    out = run("--send", "--today", today.isoformat())
    assert "Nobody needs a reminder" in out
    assert not mail.outbox
    # sending an old plan again does not duplicate either
    assert Reminder.objects.count() == 3


def test_stale_plan_sent_twice_does_not_duplicate(camp, setup, django_capture_on_commit_callbacks):
    _periods, today = setup
    plan = plan_reminders(today=today)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(plan) == (3, 0)
        assert send_reminders(plan) == (0, 3)
    assert len(mail.outbox) == 3


def test_finished_cohort_gets_no_reminders(camp, setup):
    _periods, today = setup
    camp.cohort.state = "finished"
    camp.cohort.save()
    assert plan_reminders(today=today) == []


def test_person_without_email_is_skipped(camp, setup):
    _periods, today = setup
    camp.persons["mentor"].user = None
    camp.persons["mentor"].save()
    plan = plan_reminders(today=today)
    assert send_reminders(plan) == (2, 1)
    camp.persons["mentor"].refresh_from_db()
    Reminder.objects.all().delete()
    out = run("--today", today.isoformat())
    assert "cannot e-mail (no account yet, no e-mail address): reviews waiting: @mentor" in out
    assert "would send reviews waiting: @mentor" not in out


def test_reminders_page_lists_people_without_address_apart(camp, setup, client_for):
    """Nobody without an address is listed as will-be-sent; they are shown with the reason and
    what the TA can do, and after sending the TA is told why they got nothing."""
    camp.persons["mentor"].user = None
    camp.persons["mentor"].save()
    client = client_for(camp.users["ta"])
    url = reverse("camp:reminders", args=["9th"])
    page = client.get(url)
    assert page.context["plan"] and all(item.email for item in page.context["plan"])
    assert [item.person.github for item in page.context["unreachable"]] == ["mentor"]
    assert "sign in with GitHub" in page.content.decode() or "GitHub 登录" in page.content.decode()
    response = client.post(url, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert len(texts) == 2 and "1" in texts[1], texts  # queued; and who got nothing, why
    # still listed afterwards: nothing was recorded for them
    assert [i.person.github for i in client.get(url).context["unreachable"]] == ["mentor"]


def test_reminders_page_for_ta(camp, setup, client_for):
    client = client_for(camp.users["ta"])
    response = client.get(reverse("camp:reminders", args=["9th"]))
    assert response.status_code == 200
    response = client.post(reverse("camp:reminders", args=["9th"]))
    assert response.status_code == 302


def test_unknown_cohort_option(camp):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run("--cohort", "nope")
    assert run("--cohort", "9th", "--today", date(2000, 1, 1).isoformat())

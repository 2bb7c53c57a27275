"""The reminder the day before: `manage.py send_event_reminders` (scheduled), its dry run, and
that nobody is reminded twice."""

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from events import reminders
from events.models import Event, Registration
from pfcc.models import OutgoingEmail

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
State = Registration.State


def local(day_offset: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def run(*args) -> str:
    out = StringIO()
    call_command("send_event_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def tomorrow():
    event = EventFactory(
        slug="tomorrow",
        title="Tomorrow's meetup",
        starts_at=local(1, 14),
        ends_at=local(1, 17),
        online_url="https://meet.example.org/t",
        format=Event.Format.HYBRID,
    )
    seated = RegistrationFactory(event=event, email="seated@example.org", language="en")
    cancelled = RegistrationFactory(event=event, state=State.CANCELLED)
    waiting = RegistrationFactory(event=event, state=State.WAITLISTED)
    return event, seated, cancelled, waiting


def test_dry_run_shows_who_would_be_reminded_and_sends_nothing(tomorrow):
    event, seated, _cancelled, _waiting = tomorrow
    EventFactory(starts_at=local(3, 14), ends_at=local(3, 16))  # later: not yet
    RegistrationFactory(event=EventFactory(starts_at=local(3, 14), ends_at=local(3, 16)))
    output = run("--dry-run", "--now", (timezone.localtime().replace(hour=9)).isoformat())
    assert "would remind seated@example.org: Tomorrow's meetup (tomorrow) at" in output
    assert output.count("would remind") == 1
    assert "nothing sent" in output
    assert not OutgoingEmail.objects.exists()
    seated.refresh_from_db()
    assert seated.reminded_at is None


def test_each_seat_is_reminded_once_however_often_the_command_runs(tomorrow):
    event, seated, _cancelled, _waiting = tomorrow
    output = run()
    assert "Queued 1 reminders" in output
    [mail] = OutgoingEmail.objects.all()
    assert mail.to == ["seated@example.org"]
    assert "Reminder: Tomorrow's meetup starts soon" in mail.subject
    assert "https://meet.example.org/t" in mail.body and "/events/tomorrow/" in mail.body
    seated.refresh_from_db()
    assert seated.reminded_at is not None
    assert seated.history.filter(action="remind", actor_label="reminders").count() == 1
    assert "Nobody needs a reminder." in run()
    assert OutgoingEmail.objects.count() == 1


def test_a_promotion_after_the_first_run_gets_its_own_reminder(tomorrow):
    from events import transitions

    event, seated, _cancelled, waiting = tomorrow
    Event.objects.filter(pk=event.pk).update(capacity=1)
    run()
    transitions.cancel(seated, seated.user)
    waiting.refresh_from_db()
    assert waiting.state == State.REGISTERED
    assert "Queued 1 reminders" in run()
    assert OutgoingEmail.objects.filter(subject__contains="Reminder").count() == 2


def test_the_reminder_is_in_the_registrants_language(tomorrow):
    event, seated, _c, _w = tomorrow
    Registration.objects.filter(pk=seated.pk).update(language="zh-hans")
    run()
    mail = OutgoingEmail.objects.get()
    assert "活动提醒" in mail.subject and "时间：" in mail.body


def test_no_reminders_for_cancelled_started_or_far_events(tomorrow):
    event, *_ = tomorrow
    Event.objects.filter(pk=event.pk).update(state=Event.State.CANCELLED)
    started = EventFactory(starts_at=timezone.now() - timedelta(minutes=1))
    RegistrationFactory(event=started)
    far = EventFactory(starts_at=local(2, 9), ends_at=local(2, 10))
    RegistrationFactory(event=far)
    assert "Nobody needs a reminder." in run()


def test_the_day_before_means_until_the_end_of_tomorrow(tomorrow):
    now = local(0, 23)
    assert reminders.window_end(now) == local(2, 0)
    event, seated, *_ = tomorrow
    plan = reminders.plan(now=local(0, 8))
    assert [item.registration for item in plan] == [seated]
    assert reminders.plan(now=local(-1, 8)) == []  # two days before: not yet


def test_two_runs_at_once_send_one_reminder(tomorrow):
    """Both plan, then both send: the second finds it already sent."""
    first, second = reminders.plan(), reminders.plan()
    assert reminders.send(first) == (1, 0)
    assert reminders.send(second) == (0, 1)
    assert OutgoingEmail.objects.count() == 1


def test_one_event_only_and_unknown_events(tomorrow):
    other = EventFactory(slug="other", starts_at=local(1, 9), ends_at=local(1, 10))
    RegistrationFactory(event=other, email="other@example.org")
    output = run("--dry-run", "--event", "other")
    assert "other@example.org" in output and "seated@example.org" not in output
    with pytest.raises(CommandError):
        run("--event", "nope")

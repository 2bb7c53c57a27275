"""The reminder the day before: every registrant holding a seat for an event that starts before
the end of tomorrow (and has not started) gets one e-mail, once. `manage.py send_event_reminders`
runs it from cron; `--dry-run` prints what would be sent.

Idempotent: a registration is marked reminded in the same transaction that stores its e-mail,
with a conditional UPDATE, so two runs at once still send one reminder each."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from common.transitions import Actor, record
from pfcc.mail import queue_mail

from .models import Event, Registration
from .transitions import mail_context

SENDER = "reminders"


@dataclass(frozen=True)
class Reminder:
    registration: Registration

    def describe(self) -> str:
        event = self.registration.event
        starts = timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M")
        return f"{self.registration.email}: {event.title} ({event.slug}) at {starts}"


def window_end(now: datetime) -> datetime:
    """The end of tomorrow, local time."""
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow + timedelta(days=1), time.min))


def plan(now: datetime | None = None, event: Event | None = None) -> list[Reminder]:
    now = now or timezone.now()
    registrations = Registration.objects.filter(
        state=Registration.State.REGISTERED,
        reminded_at__isnull=True,
        event__state=Event.State.PUBLISHED,
        event__starts_at__gt=now,
        event__starts_at__lt=window_end(now),
    )
    if event is not None:
        registrations = registrations.filter(event=event)
    registrations = registrations.select_related("event").order_by("event__starts_at", "pk")
    return [Reminder(registration) for registration in registrations]


def send(reminders: list[Reminder], now: datetime | None = None) -> tuple[int, int]:
    """Queue each reminder once; returns (queued, skipped because already sent or cancelled)."""
    now = now or timezone.now()
    sent = skipped = 0
    for reminder in reminders:
        registration = reminder.registration
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, state=Registration.State.REGISTERED, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                skipped += 1
                continue
            registration.reminded_at = now
            record(
                registration,
                Actor.system(SENDER),
                "remind",
                from_state=registration.state,
                to_state=registration.state,
            )
            queue_mail(
                registration.email,
                "events/email/reminder",
                mail_context(registration),
                registration.language,
            )
        sent += 1
    return sent, skipped

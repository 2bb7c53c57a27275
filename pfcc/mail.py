"""Outgoing e-mail: stored first, delivered by a background task, retried on failure.

Call `queue_mail` inside the transaction that makes the change: the e-mail row commits with it,
and delivery is enqueued only after the commit. A failing mail server leaves the row pending with
its error; the task re-queues itself with a back-off where the task backend can defer, and
`manage.py retry_emails` (run from cron) sends whatever is still pending.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import default_task_backend, task
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def queue_mail(to, template_prefix: str, context: dict, language: str | None = None):
    """Render `<prefix>_subject.txt` and `<prefix>_body.txt` in `language` and queue the mail."""
    recipients = [to] if isinstance(to, str) else [address for address in to if address]
    if not recipients:
        return None
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template_prefix}_subject.txt", context)
        body = render_to_string(f"{template_prefix}_body.txt", context)
    return store_and_queue(recipients, subject, body)


def store_and_queue(recipients: list[str], subject: str, body: str) -> OutgoingEmail:
    """Store an already rendered e-mail and enqueue its delivery once the transaction commits."""
    subject = " ".join(subject.split())[:255]
    email = OutgoingEmail.objects.create(to=list(recipients), subject=subject, body=body)
    transaction.on_commit(lambda: deliver_email.enqueue(email.pk))
    return email


def send_stored_email(email: OutgoingEmail) -> bool:
    """Try to send one stored e-mail; record the outcome. True when it went out."""
    if email.state != OutgoingEmail.State.PENDING:
        return email.state == OutgoingEmail.State.SENT
    email.attempts += 1
    try:
        EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=email.to,
        ).send()
    except Exception as error:  # noqa: BLE001 - any mail failure must keep the row for retry
        logger.warning("E-mail %s failed (attempt %s): %s", email.pk, email.attempts, error)
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        if email.attempts >= MAX_ATTEMPTS:
            email.state = OutgoingEmail.State.FAILED
        email.save(update_fields=["attempts", "last_error", "state"])
        return False
    email.state = OutgoingEmail.State.SENT
    email.sent_at = timezone.now()
    email.last_error = ""
    email.save(update_fields=["attempts", "last_error", "state", "sent_at"])
    return True


@task()
def deliver_email(email_id: int) -> bool:
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None:
        return False
    if send_stored_email(email):
        return True
    if email.state == OutgoingEmail.State.PENDING and default_task_backend.supports_defer:
        # Back off: 1, 2, 4, … minutes, at most an hour.
        delay = timedelta(minutes=min(60, 2 ** (email.attempts - 1)))
        deliver_email.using(run_after=timezone.now() + delay).enqueue(email.pk)
    return False


def retry_pending(limit: int = 500) -> tuple[int, int]:
    """Send pending e-mails now; returns (sent, still failing)."""
    sent = failed = 0
    for email in OutgoingEmail.objects.filter(state=OutgoingEmail.State.PENDING)[:limit]:
        if send_stored_email(email):
            sent += 1
        else:
            failed += 1
    return sent, failed

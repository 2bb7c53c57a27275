import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from pfcc.mail import deliver_email, retry_pending, store_and_queue
from pfcc.models import OutgoingEmail


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


BROKEN = {"default": {"BACKEND": "tests.pfcc.test_mail.BrokenMailServer"}}
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.mark.django_db
def test_mail_is_stored_then_delivered_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = store_and_queue(["a@example.org"], "标题\n第二行", "正文")
        assert mail.outbox == []  # nothing leaves before the change commits
    # Sent by a callback of the commit (other callbacks, such as the page caches' stamps, may
    # run too).
    assert [c for c in callbacks if "store_and_queue" in c.__qualname__]
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENT and email.attempts == 1
    assert mail.outbox[0].subject == "标题 第二行"


@pytest.mark.django_db
def test_failing_mail_server_keeps_the_mail_and_a_retry_sends_it(
    settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = BROKEN
    with django_capture_on_commit_callbacks(execute=True):
        email = store_and_queue(["a@example.org"], "subject", "body")
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.PENDING
    assert "mail server down" in email.last_error

    settings.MAILERS = LOCMEM
    assert retry_pending() == (1, 0)
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENT and email.attempts == 2
    assert len(mail.outbox) == 1
    assert retry_pending() == (0, 0)  # never sent twice


@pytest.mark.django_db
def test_mail_gives_up_after_max_attempts(settings):
    settings.MAILERS = BROKEN
    email = OutgoingEmail.objects.create(to=["a@example.org"], subject="s", body="b", attempts=7)
    deliver_email.call(email.pk)
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.FAILED


@pytest.mark.django_db
def test_admin_can_send_pending_mail_now(staff_client):
    email = OutgoingEmail.objects.create(to=["a@example.org"], subject="s", body="b")
    response = staff_client.post(
        "/admin/pfcc/outgoingemail/",
        {"action": "send_now", "_selected_action": [email.pk]},
    )
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENT

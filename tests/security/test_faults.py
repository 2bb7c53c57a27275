"""Faults in the normal suite: a lost database answers a quick 503 page; a failing mail server
loses no mail (the action succeeds, the task worker retries). The real PostgreSQL restart under
load is `make fault-db` (scripts/faults/db_restart.py)."""

import sys
import time
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import InterfaceError, OperationalError, ProgrammingError
from django.test import Client, RequestFactory
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from common.middleware import server_error
from membership.models import MembershipApplication
from pfcc.models import OutgoingEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BROKEN = {"default": {"BACKEND": "tests.pfcc.test_mail.BrokenMailServer"}}
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
APPLICATION = {
    "github": "octo-dev",
    "name": "Octo Dev",
    "email": "octo@example.org",
    "contributions": "https://github.com/PaddlePaddle/Paddle/pull/68001",
    "statement": "I fixed the docs.",
}


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("connection to server at 127.0.0.1 failed: Connection refused"),
        InterfaceError("connection already closed"),
    ],
)
def test_a_lost_database_in_a_view_answers_a_quick_503_page(error):
    client = Client(raise_request_exception=False)
    with mock.patch("pfcc.views.home_sections.render_list", side_effect=error):
        started = time.monotonic()
        response = client.get("/", headers={"accept-language": "en"})
        assert time.monotonic() - started < 2
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Temporarily unavailable" in html and "cannot reach its database" in html
    # Translated like every page.
    with mock.patch("pfcc.views.home_sections.render_list", side_effect=error):
        response = client.get("/", headers={"accept-language": "zh-hans"})
    assert response.status_code == 503
    assert "Temporarily unavailable" not in response.content.decode()


def test_a_lost_database_outside_a_view_also_answers_503():
    # E.g. saving the session after the view: Django's handler500 path.
    request = RequestFactory().get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500
    assert sys.exc_info() == (None, None, None)


def test_other_database_errors_stay_500():
    client = Client(raise_request_exception=False)
    with mock.patch("pfcc.views.home_sections.render_list", side_effect=ProgrammingError("bug")):
        assert client.get("/").status_code == 500


def test_healthz_says_503_when_the_database_does_not_answer(client):
    assert client.get("/healthz").status_code == 200
    with mock.patch("pfcc.views.connection.cursor", side_effect=OperationalError("down")):
        assert client.get("/healthz").status_code == 503


def apply_with_a_broken_mail_server(settings):
    settings.MAILERS = BROKEN
    settings.STAFF_NOTIFY_EMAILS = ["staff@pfcc.example.org"]
    client = Client()
    client.force_login(UserFactory())
    response = client.post("/join/", APPLICATION)
    # The action succeeds whatever the mail server does.
    assert response.status_code == 302 and response["Location"] == "/join/status/"
    assert MembershipApplication.objects.count() == 1
    emails = list(OutgoingEmail.objects.all())
    assert emails, "the application stores its e-mails"
    return emails


def test_a_failing_mail_server_loses_nothing_and_retry_emails_sends_later(settings):
    emails = apply_with_a_broken_mail_server(settings)
    for email in emails:
        email.refresh_from_db()
        assert email.state == OutgoingEmail.State.PENDING
        assert email.attempts == 1 and "mail server down" in email.last_error
    assert mail.outbox == []

    settings.MAILERS = LOCMEM  # the mail server is back; cron runs retry_emails
    out = StringIO()
    call_command("retry_emails", stdout=out)
    assert f"sent {len(emails)}, still failing 0" in out.getvalue()
    assert OutgoingEmail.objects.filter(state=OutgoingEmail.State.SENT).count() == len(emails)
    assert len(mail.outbox) == len(emails)


# The worker closes its database connection between tasks, as in production: each test database
# transaction must really commit.
@pytest.mark.django_db(transaction=True)
def test_the_task_worker_retries_failed_mail_with_a_back_off(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    emails = apply_with_a_broken_mail_server(settings)
    # Delivery was queued in the database, not attempted in the request.
    assert DBTaskResult.objects.ready().count() == len(emails)
    assert all(email.attempts == 0 for email in OutgoingEmail.objects.all())

    def run_worker():
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)

    run_worker()
    for email in OutgoingEmail.objects.all():
        assert email.state == OutgoingEmail.State.PENDING and email.attempts == 1
    # Each failure queued one retry for later (a minute), none ready yet.
    later = DBTaskResult.objects.filter(status="READY")
    assert later.count() == len(emails)
    assert all(task.run_after > timezone.now() for task in later)
    assert DBTaskResult.objects.ready().count() == 0

    # The mail server is back and the back-off has passed: the worker sends every e-mail once.
    settings.MAILERS = LOCMEM
    later.update(run_after=timezone.now())
    run_worker()
    assert OutgoingEmail.objects.filter(state=OutgoingEmail.State.SENT).count() == len(emails)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        email.to[0] for email in OutgoingEmail.objects.all()
    )
    assert DBTaskResult.objects.filter(status="READY").count() == 0


# --- Redis down (the full drill under load: `make fault-cache`) ------------------------------


@pytest.fixture
def redis_down(settings):
    """The cache on a Redis that is not there (nothing listens on port 1)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cachebackend.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield settings
    from common.cache import stamp

    stamp._known = None


def test_without_redis_pages_are_served_fresh_and_forms_work(redis_down, client, settings):
    """Pages: rendered afresh (no page cache: no process could hear of another's writes).
    Rate limits: open (they count nothing), so nobody is locked out. Nothing is lost."""
    from django.core.cache import cache

    from common.cache import stamp

    stamp._known = None  # what an earlier test's cache said
    assert stamp.read() is None
    assert client.get("/").status_code == 200
    assert client.get("/blog/").status_code == 200
    user = UserFactory()
    login = client.post(
        "/accounts/login/", {"login": user.email, "password": "correct-horse-battery"}
    )
    assert login.status_code == 302 and "_auth_user_id" in client.session
    for _ in range(int(settings.PFCC_RATE_LIMIT_DEFAULT.split("/")[0]) + 2):
        client.post("/join/", APPLICATION)
    assert MembershipApplication.objects.filter(applicant=user).count() == 1
    with pytest.raises(ValueError):
        cache.incr("nothing")

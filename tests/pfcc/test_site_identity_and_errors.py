"""The site names itself, never "example.com", and its error pages are its own, in both
languages, with debug off."""

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path

from pfcc.apps import sync_site_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_site_record_follows_site_url(settings):
    settings.SITE_URL = "https://pfcc.example.org"
    settings.SITE_NAME = "PFCC"
    sync_site_record()
    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("pfcc.example.org", "PFCC")


def test_verification_mail_speaks_for_pfcc_not_example_com(client, settings):
    settings.SITE_URL = "https://pfcc.example.org"
    sync_site_record()
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "name": "新同学",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    message = mail.outbox[-1]
    assert "example.com" not in message.subject + message.body
    assert "[PFCC]" in message.subject
    assert "https://pfcc.example.org" in message.body
    assert "飞桨" in message.body or "PFCC" in message.body


def test_password_reset_mail_in_english(client, settings):
    settings.SITE_URL = "https://pfcc.example.org"
    sync_site_record()
    user = UserFactory(email="reset@example.org")
    client.post("/accounts/password/reset/", {"email": user.email}, HTTP_ACCEPT_LANGUAGE="en")
    message = mail.outbox[-1]
    assert "example.com" not in message.body
    assert message.body.startswith("Hello,")
    assert "PFCC, the Paddle Framework Contributor Club" in message.body


def boom(request):
    raise RuntimeError("a bug")


def staff_only(request):
    raise PermissionDenied


urlpatterns = [
    path("boom/", boom),
    path("staff-only/", staff_only),
    path("", include("config.urls")),
]


@pytest.mark.parametrize(
    ("language", "not_found", "server_error"),
    [
        ("en", "Page not found", "Something went wrong"),
        ("zh-hans", "页面不存在", "出错了"),
    ],
)
def test_error_pages_are_the_sites_own(settings, language, not_found, server_error):
    settings.DEBUG = False
    client = Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False)
    page = client.get("/no/such/page/")
    assert page.status_code == 404
    body = page.content.decode()
    assert not_found in body and 'class="site-header"' in body and 'href="/blog/"' in body

    settings.ROOT_URLCONF = __name__
    error = client.get("/boom/")
    assert error.status_code == 500
    body = error.content.decode()
    assert server_error in body and 'class="site-header"' in body
    assert "a bug" not in body


@pytest.mark.parametrize(
    ("signed_in", "advice"),
    [(False, "Please sign in"), (True, "ask the PFCC staff")],
)
def test_forbidden_page_says_what_to_do(settings, signed_in, advice):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if signed_in:
        client.force_login(UserFactory())
    page = client.get("/staff-only/")
    assert page.status_code == 403
    body = page.content.decode()
    assert "Not allowed" in body and advice in body and 'class="site-header"' in body

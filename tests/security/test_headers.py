"""Security headers and cookies on real responses, under production settings (HTTPS).

`manage.py check --deploy` itself is tested in tests/pfcc/test_settings.py."""

import re

import pytest
from django.urls import reverse

from hackathon.models import Edition
from tests.blog.factories import PostFactory
from tests.factories import UserFactory
from tests.hackathon.factories import EditionFactory

pytestmark = pytest.mark.django_db

HTTPS = {"secure": True, "headers": {"accept-language": "en"}}


@pytest.fixture(autouse=True)
def production(settings):
    # tests/envdefaults.py turns the HTTPS redirect off; production has it on.
    settings.SECURE_SSL_REDIRECT = True
    settings.DEBUG = False


@pytest.fixture
def pages(db):
    post = PostFactory()
    EditionFactory(number=7, state=Edition.State.OPEN)
    return {
        "home": reverse("pfcc:home"),
        "blog post": post.get_absolute_url(),
        "board": reverse("hackathon:board", kwargs={"number": 7}),
        "login": reverse("account_login"),
        "signup": reverse("account_signup"),
        "a 404": "/no/such/page/",
    }


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_secure_headers(response, name):
    headers = response.headers
    csp = csp_directives(response)
    assert csp, f"{name}: no Content-Security-Policy"
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts is not None, f"{name}: no script-src nor default-src"
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, name
    assert "'unsafe-inline'" not in csp.get("default-src", []), name
    assert csp.get("object-src") == ["'none'"], name
    assert csp.get("frame-ancestors") == ["'none'"], name
    assert csp.get("base-uri") == ["'self'"], name
    assert headers["X-Frame-Options"] == "DENY", name
    assert headers["X-Content-Type-Options"] == "nosniff", name
    assert headers["Referrer-Policy"] == "same-origin", name
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin", name
    hsts = headers.get("Strict-Transport-Security", "")
    assert re.search(r"max-age=(\d+)", hsts), f"{name}: no HSTS"
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000, name
    assert "includeSubDomains" in hsts, name


def test_every_kind_of_page_sends_the_security_headers(client, pages):
    for name, url in pages.items():
        response = client.get(url, **HTTPS)
        assert response.status_code == (404 if name == "a 404" else 200), (name, url)
        assert_secure_headers(response, name)


def test_pages_have_no_inline_scripts_or_styles(client, pages):
    # The CSP allows scripts and styles from the site's own files only: inline ones would be
    # blocked in the browser, so none may exist.
    for name, url in pages.items():
        html = client.get(url, **HTTPS).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE):
            assert "src=" in tag, f"{name}: inline script {tag}"
        assert not re.search(r"<style\b", html, flags=re.IGNORECASE), f"{name}: inline <style>"
        assert not re.search(r"\son[a-z]+\s*=", html, flags=re.IGNORECASE), f"{name}: on*="


def test_admin_pages_send_the_headers_and_the_admin_login_goes_through_allauth(client):
    response = client.get("/admin/", **HTTPS)
    assert response.status_code == 302
    assert_secure_headers(response, "admin")
    response = client.get(response["Location"], **HTTPS)
    # Django's own admin login would skip the second factor: it hands over to allauth's.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert_secure_headers(response, "admin login")
    response = client.get(response["Location"], **HTTPS)
    assert response.status_code == 200
    assert_secure_headers(response, "login")


def test_plain_http_is_redirected_to_https(client):
    response = client.get(reverse("pfcc:home"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_session_csrf_and_language_cookies_are_secure_httponly_samesite(client):
    response = client.get(reverse("account_login"), **HTTPS)
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"

    user = UserFactory()
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": "correct-horse-battery"},
        **HTTPS,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, **HTTPS)
    language = response.cookies["django_language"]
    assert language["secure"] and language["httponly"] and language["samesite"] == "Lax"

"""Behind the reverse proxy, rate limits count visitors, not the proxy (issue 19, item 4).

The attack: behind the documented TLS proxy every request came from 127.0.0.1, so 22 failed
logins for unknown addresses (allauth's "10/m/ip") locked a real user's correct password out."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from common.clientip import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def login(client, email, password, forwarded_for):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        headers={"accept-language": "en", "x-forwarded-for": forwarded_for},
        REMOTE_ADDR="127.0.0.1",  # every request reaches Django from the proxy
    )


@pytest.mark.parametrize("trusted", [True, False])
def test_failed_logins_from_others_do_not_lock_out_a_real_user(settings, trusted):
    settings.PFCC_TRUSTED_PROXIES = ["127.0.0.1", "::1"] if trusted else []
    user = UserFactory()
    attacker = Client()
    for n in range(22):
        login(attacker, f"nobody{n}@example.org", "guess", "203.0.113.9")
    response = login(Client(), user.email, PASSWORD, "198.51.100.7")
    if trusted:
        assert response.status_code == 302  # signed in
    else:
        # Without the setting every visitor is the proxy: the failure the setting fixes.
        assert response.status_code in (200, 429)
        assert "_auth_user_id" not in response.wsgi_request.session


def test_the_site_forms_count_per_visitor_behind_the_proxy(settings):
    settings.PFCC_TRUSTED_PROXIES = ["10.0.0.0/8"]
    factory = RequestFactory()

    def ip(forwarded_for, remote="10.0.0.2"):
        request = factory.get("/", headers={"x-forwarded-for": forwarded_for}, REMOTE_ADDR=remote)
        return client_ip(request)

    assert ip("198.51.100.7") == "198.51.100.7"
    # A visitor's own forged hops stay to the left of the one our proxy appended.
    assert ip("1.2.3.4, 198.51.100.7") == "198.51.100.7"
    # Proxies in a chain are skipped, from the right.
    assert ip("198.51.100.7, 10.0.0.9") == "198.51.100.7"
    assert ip("garbage, 198.51.100.7") == "198.51.100.7"
    assert ip("198.51.100.7, garbage") == "10.0.0.2"
    # A request that does not come from a trusted proxy: the header is a visitor's claim.
    assert ip("198.51.100.7", remote="203.0.113.5") == "203.0.113.5"
    settings.PFCC_TRUSTED_PROXIES = []
    assert ip("198.51.100.7") == "10.0.0.2"


def test_the_membership_form_limit_holds_per_visitor_address(settings):
    """The site's own limit (common.ratelimit) for visitors: one address is limited, another
    behind the same proxy is not."""
    from django.http import HttpResponse

    from common.ratelimit import rate_limited

    settings.PFCC_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.PFCC_RATE_LIMITS = {"test.form": "2/m"}
    view = rate_limited("test.form")(lambda request: HttpResponse("ok"))
    factory = RequestFactory()

    def post(forwarded_for):
        from django.contrib.auth.models import AnonymousUser

        request = factory.post("/", headers={"x-forwarded-for": forwarded_for})
        request.user = AnonymousUser()
        return view(request).status_code

    assert [post("203.0.113.9") for _ in range(3)] == [200, 200, 429]
    assert post("198.51.100.7") == 200

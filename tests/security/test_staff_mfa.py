"""Staff reach the admin only after a second factor (allauth's TOTP); allauth's rate limits."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from tests.factories import StaffFactory, UserFactory
from tests.security.mfa import totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def password_login(client, user, password=PASSWORD):
    return client.post(
        reverse("account_login"),
        {"login": user.email, "password": password},
        headers={"accept-language": "en"},
    )


def test_staff_without_totp_are_sent_to_set_it_up():
    staff = StaffFactory(totp=False)
    client = Client()
    client.force_login(staff)
    response = client.get("/admin/membership/membershipapplication/")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == reverse("mfa_activate_totp")
    assert parse_qs(target.query)["next"] == ["/admin/membership/membershipapplication/"]


def test_staff_log_in_with_password_and_code_and_reach_the_admin():
    staff = StaffFactory()
    client = Client()
    response = password_login(client, staff)
    # The password alone does not sign staff in: allauth asks for the code.
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200  # wrong code: the form again
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(staff)})
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "site-name" in response.content.decode()


def test_a_code_cannot_be_used_twice():
    staff = StaffFactory()
    code = totp_code(staff)
    first, second = Client(), Client()
    password_login(first, staff)
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    password_login(second, staff)
    assert second.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert second.get("/admin/").status_code == 302


def test_a_session_that_skipped_the_second_factor_is_asked_for_a_code():
    # Django's own login (like the admin's login form) knows nothing of allauth's stages.
    staff = StaffFactory()
    client = Client()
    assert client.login(username=staff.username, password=PASSWORD)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("mfa_reauthenticate")
    response = client.post(
        reverse("mfa_reauthenticate") + "?next=/admin/", {"code": totp_code(staff)}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_form_hands_over_to_allauth():
    staff = StaffFactory()
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": staff.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_login")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db(transaction=True)  # allauth's signal runs on commit, inside the request
def test_staff_set_up_totp_then_reach_the_admin():
    """Issue 17: after signing in, the admin asked for the password again; TOTP set-up landed on
    the recovery codes with no way back; the secret changed on every reload; a wrong code lost
    the return address. Now: sign in, set up TOTP once, continue to the admin."""
    staff = StaffFactory(totp=False)
    client = Client(headers={"accept-language": "en"})
    password_login(client, staff)
    response = client.get("/admin/")
    setup = response["Location"]
    assert urlsplit(setup).path == reverse("mfa_activate_totp")
    assert parse_qs(urlsplit(setup).query)["next"] == ["/admin/"]
    # No second password prompt right after signing in.
    page = client.get(setup)
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    # A reload shows the same secret (the QR code already scanned keeps working).
    assert client.get(setup).status_code == 200
    assert client.session["mfa.totp.secret"] == secret
    # The form posts back to the address with ?next=; a wrong code keeps it.
    assert f'action="{setup}"' in page.content.decode().replace("&amp;", "&")
    wrong = client.post(setup, {"code": "000000"})
    assert wrong.status_code == 200
    assert f'action="{setup}"' in wrong.content.decode().replace("&amp;", "&")
    assert client.session["mfa.totp.secret"] == secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(setup, {"code": code})
    assert response.status_code == 302
    codes = client.get(response["Location"])
    assert codes.status_code == 200
    assert client.session["pfcc_mfa_next"] == "/admin/"
    assert 'href="/admin/"' in codes.content.decode()
    # The code entered at set-up counts as this session's second factor.
    assert client.get("/admin/").status_code == 200


def test_a_stale_sign_in_is_still_asked_for_the_password_before_adding_a_factor(settings):
    staff = StaffFactory(totp=False)
    client = Client()
    password_login(client, staff)
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    response = client.get(reverse("mfa_activate_totp"))
    assert urlsplit(response["Location"]).path == reverse("account_reauthenticate")


def test_non_staff_do_not_get_into_the_admin():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_allauth_rate_limits_failed_logins(client, settings):
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"]
    user = UserFactory()
    for _ in range(5):
        assert password_login(client, user, "wrong-password").status_code == 200
    # Even the right password is refused while the limit holds.
    response = password_login(client, user)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_allauth_rate_limits_logins_per_address_with_429(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    statuses = [
        client.post(
            reverse("account_login"),
            {"login": f"x{n}@example.org", "password": "x"},
            headers={"accept-language": "en"},
        )
        for n in range(4)
    ]
    assert [response.status_code for response in statuses] == [200, 200, 200, 429]
    assert "Too many requests" in statuses[-1].content.decode()


def test_staff_cannot_remove_their_totp_app():
    """Every staff power needs it; a session that passed it would keep them with none left."""
    from tests.security.mfa import totp_authenticator

    staff = StaffFactory()
    client = Client(headers={"accept-language": "en"})
    client.force_login(staff)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200  # the form again, with the reason
    assert totp_authenticator(staff) is not None
    user = UserFactory()
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client.force_login(user)
    from tests.security.mfa import mark_session_mfa

    mark_session_mfa(client, user)
    client.post(reverse("mfa_deactivate_totp"))
    assert totp_authenticator(user) is None  # others may

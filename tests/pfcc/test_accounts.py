import re

import pytest
from django.core import mail

from pfcc.models import OutgoingEmail


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/\S+/)", message.body).group(1)


@pytest.mark.django_db
def test_email_signup_needs_verification_then_logs_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "name": "新同学",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    # Mandatory verification: not signed in yet, and the mail went through the stored queue.
    assert "新同学" not in client.get("/").content.decode()
    assert OutgoingEmail.objects.get().state == OutgoingEmail.State.SENT
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.org"]

    login = client.post(
        "/accounts/login/", {"login": "new@example.org", "password": "a-long-passphrase-42"}
    )
    assert login.status_code == 302 and "confirm-email" in login["Location"]

    confirm_url = _link(mail.outbox[-1])
    assert client.post(confirm_url).status_code == 302
    response = client.post(
        "/accounts/login/", {"login": "new@example.org", "password": "a-long-passphrase-42"}
    )
    assert response.status_code == 302
    assert "新同学" in client.get("/").content.decode()


@pytest.mark.django_db
def test_signup_errors_are_clear_and_keep_what_was_typed(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "not-an-email", "name": "小明", "password1": "x", "password2": "y"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="小明"' in page
    assert response.context["form"].errors  # field errors shown, nothing saved
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_password_reset_by_mail(client, user):
    client.post("/accounts/password/reset/", {"email": user.email})
    assert len(mail.outbox) == 1
    reset_url = _link(mail.outbox[0])
    form_url = client.get(reset_url)["Location"]
    response = client.post(
        form_url, {"password1": "brand-new-secret-77", "password2": "brand-new-secret-77"}
    )
    assert response.status_code == 302
    assert client.login(username=user.username, password="brand-new-secret-77")


@pytest.mark.django_db
def test_logout_is_a_post(user_client, user):
    assert user.display_name in user_client.get("/").content.decode()
    user_client.post("/accounts/logout/")
    assert user.display_name not in user_client.get("/").content.decode()

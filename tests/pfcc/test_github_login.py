"""GitHub login end to end, with GitHub's OAuth endpoints faked (no network)."""

import json
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model

from pfcc.models import Person

GITHUB_APP = {"SCOPE": ["read:user", "user:email"], "APPS": [{"client_id": "id", "secret": "s"}]}


def _response(payload, status=200):
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(payload).encode()
    response.headers["Content-Type"] = "application/json"
    return response


def fake_github(uid=583231, login="octo-dev", name="Octo Dev", email="octo@example.org"):
    def request(self, method, url, *args, **kwargs):
        if url == "https://github.com/login/oauth/access_token":
            return _response({"access_token": "gho_fake", "token_type": "bearer", "scope": ""})
        if url == "https://api.github.com/user":
            return _response(
                {
                    "id": uid,
                    "login": login,
                    "name": name,
                    "email": None,
                    "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
                    "html_url": f"https://github.com/{login}",
                }
            )
        if url == "https://api.github.com/user/emails":
            return _response(
                [{"email": email, "primary": True, "verified": True, "visibility": "public"}]
            )
        raise AssertionError(f"unexpected request to {url}")

    return mock.patch.object(requests.Session, "request", request)


def github_login(client, **identity):
    response = client.post("/accounts/github/login/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.netloc == "github.com"
    state = parse_qs(location.query)["state"][0]
    with fake_github(**identity):
        return client.get("/accounts/github/login/callback/", {"code": "abc", "state": state})


@pytest.fixture
def github_enabled(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"github": GITHUB_APP}


@pytest.mark.django_db
def test_first_github_login_creates_account_and_person(client, github_enabled):
    response = github_login(client)

    assert response.status_code == 302
    user = get_user_model().objects.get(email="octo@example.org")
    person = Person.objects.get(github="octo-dev")
    assert person.user == user
    assert person.github_id == 583231
    assert person.name == "Octo Dev"
    assert person.avatar_url.startswith("https://avatars.githubusercontent.com/")
    home = client.get("/")
    assert "Octo Dev" in home.content.decode()  # signed in, name in the header


@pytest.mark.django_db
def test_github_login_links_existing_person_whatever_the_case(client, github_enabled):
    existing = Person.objects.create(github="Octo-Dev", name="八爪开发者")

    github_login(client)

    assert Person.objects.count() == 1
    existing.refresh_from_db()
    assert existing.user.email == "octo@example.org"
    assert existing.name == "八爪开发者"  # a name staff entered is kept
    assert existing.github_id == 583231


@pytest.mark.django_db
def test_renamed_github_login_keeps_the_same_person(client, github_enabled):
    github_login(client, login="old-name")
    client.logout()

    github_login(client, login="new-name")

    person = Person.objects.get(github_id=583231)
    assert person.github == "new-name"
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_github_button_only_when_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"github": {"SCOPE": []}}
    assert "/accounts/github/login/" not in client.get("/accounts/login/").content.decode()
    settings.SOCIALACCOUNT_PROVIDERS = {"github": GITHUB_APP}
    assert "/accounts/github/login/" in client.get("/accounts/login/").content.decode()


# --- Identities are proven by signing in with GitHub (issue 19, items 3 and 5) ---------------


@pytest.mark.django_db
def test_a_recycled_login_does_not_take_over_the_old_person(client, github_enabled):
    """GitHub frees a login when its owner renames or deletes the account; a newcomer who takes
    it is someone else (another numeric id): the old person keeps everything, the newcomer gets
    a new person with the login."""
    from hackathon.models import Claim
    from tests.hackathon.factories import EditionFactory, TaskFactory

    old = Person.objects.create(github="octo-dev", github_id=111, name="老八爪")
    claim = Claim.objects.create(task=TaskFactory(edition=EditionFactory()), person=old)

    github_login(client, uid=999, login="octo-dev", name="Newcomer", email="new@example.org")

    old.refresh_from_db()
    newcomer = Person.objects.get(github_id=999)
    assert newcomer.github == "octo-dev" and newcomer.user.email == "new@example.org"
    assert old.github_id == 111 and old.user is None and old.github != "octo-dev"
    assert list(Claim.objects.filter(person=old)) == [claim]
    assert not Claim.objects.filter(person=newcomer).exists()
    # The old person's page still answers, at its new address.
    assert client.get(old.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_login_typed_by_another_account_is_not_handed_to_the_github_owner(client, github_enabled):
    """An e-mail account typed `octo-dev` (unverified). The real owner signs in with GitHub:
    they get the login, not the claims the typist made under it."""
    from tests.factories import UserFactory

    typist = UserFactory()
    typed = Person.objects.create_unverified("octo-dev", typist)
    assert typed.is_unverified and "unverified" in typed.login_label

    github_login(client)

    owner = Person.objects.get(github_id=583231)
    typed.refresh_from_db()
    assert owner.pk != typed.pk and owner.github == "octo-dev" and not owner.is_unverified
    assert typed.user == typist and typed.github != "octo-dev" and typed.github_id is None


@pytest.mark.django_db
def test_the_account_that_typed_its_own_login_proves_it_by_signing_in(client, github_enabled):
    github_login(client)  # creates the account octo@example.org
    user = get_user_model().objects.get(email="octo@example.org")
    person = Person.objects.get(user=user)
    Person.objects.filter(pk=person.pk).update(github_id=None)  # as if it had been typed
    client.logout()
    github_login(client)
    person.refresh_from_db()
    assert person.github_id == 583231 and Person.objects.count() == 1


@pytest.mark.django_db
def test_a_typed_login_never_matches_an_existing_person():
    from pfcc.models import LoginTaken
    from tests.factories import UserFactory

    Person.objects.create(github="Torvalds")
    with pytest.raises(LoginTaken):
        Person.objects.create_unverified("torvalds", UserFactory())
    assert Person.objects.count() == 1

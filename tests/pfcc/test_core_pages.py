import re
from unittest import mock

import pytest
from django.db import OperationalError

from pfcc.models import Person
from pfcc.sections import person_sections
from tests.factories import PersonFactory
from tests.queries import assert_flat_queries


@pytest.mark.django_db
def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_does_not(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError):
        response = client.get("/healthz")
    assert response.status_code == 503


@pytest.mark.django_db
def test_person_page_by_login_any_case(client):
    PersonFactory(github="Ligoml", name="梦师傅")
    response = client.get("/people/ligoml/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "梦师傅" in page and "https://github.com/Ligoml" in page


@pytest.mark.django_db
def test_unknown_person_is_404(client):
    assert client.get("/people/nobody-here/").status_code == 404


@pytest.mark.django_db
def test_github_login_unique_whatever_the_case():
    from django.db import IntegrityError, transaction

    Person.objects.create(github="SigureMo")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(github="siguremo")
    person, created = Person.objects.get_or_create_by_login("SIGUREMO")
    assert not created and person.github == "SigureMo"


def test_github_login_rules():
    from django.core.exceptions import ValidationError

    from common.validators import validate_github_login

    for good in ("a", "Ligoml", "sunzhongkai588", "Tulip-hua", "a" * 39):
        validate_github_login(good)
    for bad in ("", "-a", "a-", "a--b", "a_b", "a" * 40, "名字", "a b", "a\x00"):
        with pytest.raises(ValidationError):
            validate_github_login(bad)


@pytest.mark.django_db
def test_person_page_queries_do_not_grow_with_other_people(client):
    PersonFactory(github="target")

    def grow(total):
        PersonFactory.create_batch(total - Person.objects.count() + 1)

    count = assert_flat_queries(client, "/people/target/", grow)
    # The person, plus what the registered sections of each app need.
    assert count <= 3 + 3 * len(person_sections.entries)


@pytest.mark.django_db
def test_language_switcher_sets_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "How to join" in client.get("/").content.decode()


@pytest.mark.django_db
def test_pages_carry_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    # Scripts only from files (static/js), never inline.
    assert not re.search(r"<script(?![^>]*\bsrc=)", response.content.decode())
    assert " style=" not in response.content.decode()


@pytest.mark.django_db
def test_public_media_is_served_and_nothing_outside_it(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "blog").mkdir(parents=True)
    (tmp_path / "media" / "blog" / "a.png").write_bytes(b"\x89PNG")
    (tmp_path / "secret.txt").write_text("private")

    response = client.get("/media/blog/a.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG"
    assert "max-age=86400" in response["Cache-Control"]
    assert client.get("/media/../secret.txt").status_code in (400, 404)
    assert client.get("/media/%2e%2e/secret.txt").status_code in (400, 404)
    assert client.get("/media/blog/").status_code == 404  # no directory listings
    assert client.post("/media/blog/a.png").status_code == 405

"""The certificate verification page is what outsiders (employers, schools) open: a code read
off paper with spaces, dashes or lower case still finds the certificate, and a wrong code gets a
page that explains, in the visitor's language, not a bare "Not Found"."""

import pytest

from tests.factories import StaffFactory

from .test_pages import _publish


@pytest.fixture
def certificate(edition, contributor):
    _publish(edition, [(contributor.person, 1)], StaffFactory())
    return edition.results.get().certificate


def test_a_code_typed_loosely_leads_to_the_certificate(client, certificate):
    code = certificate.code
    loose = f"{code[:4].lower()}-{code[4:8]} {code[8:]}".replace(" ", "%20")
    response = client.get(f"/hackathon/certificates/{loose}/")
    assert response.status_code == 302
    assert response["Location"] == certificate.get_absolute_url()
    assert 'data-testid="valid"' in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("language", "heading", "hint"),
    [
        ("en", "No certificate with this code", "16 letters and digits"),
        ("zh-hans", "没有找到这个编号的证书", "16 位"),
    ],
)
def test_a_wrong_code_explains_in_both_languages(client, certificate, language, heading, hint):
    wrong = "0" * 16
    response = client.get(f"/hackathon/certificates/{wrong}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    page = response.content.decode()
    assert heading in page and hint in page and wrong in page
    assert "Not Found" not in page
    assert 'href="/hackathon/"' in page
    too_long = client.get("/hackathon/certificates/" + "Z" * 80 + "/")
    assert too_long.status_code == 404
    assert "<code>" + "Z" * 64 + "</code>" in too_long.content.decode()

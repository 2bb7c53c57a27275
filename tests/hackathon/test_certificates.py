import pytest

from hackathon import certificates
from hackathon.certificates import CertificateFontMissing, find_font


@pytest.fixture
def no_cache():
    find_font.cache_clear()
    yield
    find_font.cache_clear()


def test_debian_noto_cjk_is_found(no_cache):
    path, index = find_font()
    assert "CJK" in path and index >= 0


def test_configured_font_wins(no_cache, monkeypatch, tmp_path):
    font = tmp_path / "font.ttc"
    font.write_bytes(b"")
    monkeypatch.setenv("PFCC_CJK_FONT", f"{font}:3")
    assert find_font() == (str(font), 3)


def test_missing_font_is_a_clear_error(no_cache, monkeypatch):
    monkeypatch.setenv("PFCC_CJK_FONT", "/nonexistent/font.ttc")
    monkeypatch.setattr(certificates, "KNOWN_FONTS", {"regular": [], "bold": []})
    monkeypatch.setattr(certificates.shutil, "which", lambda name: None)
    with pytest.raises(CertificateFontMissing, match="fonts-noto-cjk"):
        find_font()


def test_image_without_font_answers_503(no_cache, monkeypatch, client, edition, contributor):
    from datetime import timedelta

    from django.utils import timezone

    from hackathon import transitions
    from hackathon.models import ClaimState
    from tests.factories import StaffFactory

    from .factories import ClaimFactory, TaskFactory

    staff = StaffFactory()
    claim = ClaimFactory(task=TaskFactory(edition=edition), person=contributor.person)
    transitions.advance_claim(claim, ClaimState.COMPLETED, staff)
    transitions.publish_results(edition, staff, timezone.now() + timedelta(days=1))
    code = edition.results.get().certificate.code
    monkeypatch.setenv("PFCC_CJK_FONT", "")
    monkeypatch.setattr(certificates, "KNOWN_FONTS", {"regular": [], "bold": []})
    monkeypatch.setattr(certificates.shutil, "which", lambda name: None)
    response = client.get(f"/hackathon/certificates/{code}/certificate.png")
    assert response.status_code == 503 and b"fonts-noto-cjk" in response.content


def test_the_picture_is_drawn_once_whatever_the_query_string(
    monkeypatch, client, edition, contributor
):
    """A drawing costs about 0.1 s of CPU and the page cache keys on the query string, which a
    visitor chooses (`?1`, `?2`, …): the picture is kept and drawn again only when what it shows
    changes (here the person's name)."""
    from datetime import timedelta

    from django.utils import timezone

    from hackathon import transitions, views
    from hackathon.models import ClaimState
    from tests.factories import StaffFactory

    from .factories import ClaimFactory, TaskFactory

    staff = StaffFactory()
    claim = ClaimFactory(task=TaskFactory(edition=edition), person=contributor.person)
    transitions.advance_claim(claim, ClaimState.COMPLETED, staff)
    transitions.publish_results(edition, staff, timezone.now() + timedelta(days=1))
    code = edition.results.get().certificate.code
    drawn = []
    real = views.render_certificate_png

    def counting(certificate, verify_url):
        drawn.append(certificate.result.person.display_name)
        return real(certificate, verify_url)

    monkeypatch.setattr(views, "render_certificate_png", counting)
    url = f"/hackathon/certificates/{code}/certificate.png"
    pictures = {client.get(f"{url}?{n}").content for n in range(5)}
    assert len(drawn) == 1 and len(pictures) == 1
    assert next(iter(pictures)).startswith(b"\x89PNG")
    person = contributor.person
    person.name = "Renamed contributor"
    person.save()
    assert client.get(f"{url}?again").status_code == 200
    assert drawn[-1] == "Renamed contributor" and len(drawn) == 2

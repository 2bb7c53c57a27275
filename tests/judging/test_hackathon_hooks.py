"""What the hackathon shows of judged contests without importing judging (pfcc.certificates and
hackathon.sections.edition_sections): one certificate address, /hackathon/certificates/<code>/,
verifies a contest's 获奖证书 too, and an edition's page lists its judged contests. For every
role, in both languages, in a fixed number of queries."""

import pytest
from django.urls import reverse

from judging import transitions
from judging.models import Certificate, Contest
from tests.factories import PersonFactory, StaffFactory, UserFactory
from tests.hackathon.factories import EditionFactory
from tests.queries import assert_flat_queries, count_queries

from .factories import ContestFactory, DirectionFactory, RegistrationFactory, SubmissionFactory
from .test_queries import Grower

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "contributor", "entrant", "judge", "staff"]


@pytest.fixture
def people(contest):
    entrant = UserFactory()
    judge = UserFactory()
    transitions.assign_judge(contest, judge, StaffFactory())
    return {
        "visitor": None,
        "contributor": UserFactory(),
        "entrant": entrant,
        "judge": judge,
        "staff": StaffFactory(),
    }


def publish_with_winner(contest, entrant=None):
    lead = PersonFactory(github="lead-l", name="Lead")
    registration = RegistrationFactory(contest=contest, members=[lead], **(
        {"user": entrant} if entrant else {}
    ))  # fmt: skip
    winner = SubmissionFactory(registration=registration, title="文档知识问答系统")
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.JUDGING)
    contest.refresh_from_db()
    staff = StaffFactory()
    transitions.award(winner, contest.prizes.get(name="一等奖"), staff)
    transitions.publish_results(contest, staff)
    return Certificate.objects.get(person=lead)


def hackathon_certificate(code):
    return reverse("hackathon:certificate", args=[code])


# --- One address verifies every certificate ------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("language", "valid", "prize_word"),
    [("en", "This certificate is valid.", "Prize"), ("zh-hans", "此证书有效", "奖项")],
)
def test_a_contest_certificate_verifies_at_the_hackathon_address(
    contest, people, client_for, role, language, valid, prize_word
):
    certificate = publish_with_winner(contest, people["entrant"])
    assert certificate.code.startswith("J")
    response = client_for(people[role], language).get(hackathon_certificate(certificate.code))
    assert response.status_code == 200
    page = response.content.decode()
    assert valid in page and prize_word in page
    assert "一等奖" in page and "@lead-l" in page and "文档知识问答系统" in page
    assert reverse("judging:certificate_image", args=[certificate.code]) in page


def test_loosely_typed_revoked_and_unpublished_contest_codes(contest, client_for):
    certificate = publish_with_winner(contest)
    code = certificate.code
    loose = f"{code[:5].lower()}-{code[5:9]} {code[9:]}".replace(" ", "%20")
    response = client_for().get(f"/hackathon/certificates/{loose}/")
    assert response.status_code == 302 and response["Location"] == hackathon_certificate(code)
    assert 'data-testid="valid"' in client_for().get(response["Location"]).content.decode()
    Certificate.objects.filter(pk=certificate.pk).update(revoked=True)
    page = client_for().get(hackathon_certificate(code)).content.decode()
    assert 'data-testid="revoked"' in page and 'data-testid="valid"' not in page
    # A contest whose results are not published has no certificate to show.
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.JUDGING)
    response = client_for().get(hackathon_certificate(code))
    assert response.status_code == 404
    assert 'data-testid="certificate-not-found"' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "heading", "hint", "link"),
    [
        ("en", "No certificate with this code", "the letter J, then 16", "Judged contests"),
        ("zh-hans", "没有找到这个编号的证书", "字母 J，后接 16 位", "评审赛"),
    ],
)
def test_a_mistyped_contest_code_keeps_the_helpful_page(
    contest, client_for, language, heading, hint, link
):
    certificate = publish_with_winner(contest)
    mistyped = certificate.code[:-1] + ("0" if certificate.code[-1] != "0" else "1")
    for address in (
        hackathon_certificate(mistyped),
        reverse("judging:certificate", args=[mistyped]),
    ):
        response = client_for(None, language).get(address)
        assert response.status_code == 404
        page = response.content.decode()
        assert heading in page and hint in page and mistyped in page
        assert f'href="{reverse("judging:index")}"' in page and link in page
        assert 'href="/hackathon/"' in page  # the hackathon's results, as before


def test_a_hackathon_code_verifies_as_before(contest, client_for):
    """The hackathon's own certificates are looked up first, with other apps registered."""
    from tests.hackathon.test_certificate_lookup import _publish

    edition = EditionFactory(number=7)
    contributor = UserFactory()
    person = PersonFactory(github="hk-winner", user=contributor)
    _publish(edition, [(person, 1)], StaffFactory())
    code = edition.results.get().certificate.code
    page = client_for().get(hackathon_certificate(code)).content.decode()
    assert "hk-winner" in page and 'data-testid="valid"' in page


def test_the_certificate_pages_are_flat(contest, client_for):
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.PUBLISHED)
    from tests.judging.factories import JudgeFactory

    grow = Grower(contest, JudgeFactory(contest=contest), UserFactory())
    grow(1)
    code = Certificate.objects.filter(award__submission=grow.first).first().code
    # The hackathon's lookup (none), then the contest's: as many queries at 10 and 1,000.
    found = assert_flat_queries(client_for(), hackathon_certificate(code), grow)
    assert found <= 2, found
    missing = hackathon_certificate("J" + "0" * 16)
    at_small = count_queries(client_for(), missing, expected_status=404)
    grow(2000)
    assert count_queries(client_for(), missing, expected_status=404) == at_small <= 2


# --- The edition page lists its judged contests --------------------------------------------------


@pytest.fixture
def edition_contests(contest):
    edition = EditionFactory(number=9, name="第九期")
    Contest.objects.filter(pk=contest.pk).update(edition=edition)
    published = ContestFactory(
        edition=edition, slug="llm-apps-2023", name="往期创意赛", state=Contest.State.PUBLISHED
    )
    DirectionFactory(contest=published, name="生产力工具", slug="tools")
    ContestFactory(edition=edition, slug="next-contest", name="筹备中的比赛", state="draft")
    ContestFactory(slug="elsewhere", name="别处的比赛")  # no edition
    RegistrationFactory(contest=contest)
    return edition


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("language", "heading", "counts"),
    [("en", "Judged contests", "1 registration"), ("zh-hans", "评审赛", "报名 1 人")],
)
def test_the_edition_page_lists_its_judged_contests(
    contest, people, edition_contests, client_for, role, language, heading, counts
):
    response = client_for(people[role], language).get(
        reverse("hackathon:edition", args=[edition_contests.number])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="edition-contests"' in page and heading in page
    assert f'href="{contest.get_absolute_url()}"' in page and counts in page
    assert f'href="{reverse("judging:gallery_direction", args=[contest.slug, "fun"])}"' in page
    assert "往期创意赛" in page and reverse("judging:results", args=["llm-apps-2023"]) in page
    assert "别处的比赛" not in page
    # A draft contest shows to staff only (who prepare it).
    assert ("筹备中的比赛" in page) == (role == "staff")


def test_an_edition_without_contests_has_no_such_section(client_for):
    EditionFactory(number=8)
    page = client_for().get(reverse("hackathon:edition", args=[8])).content.decode()
    assert 'data-testid="edition-contests"' not in page


@pytest.mark.parametrize("who", ["visitor", "staff"])
def test_the_edition_page_is_flat_with_its_contests(contest, client_for, who):
    edition = EditionFactory(number=9)
    Contest.objects.filter(pk=contest.pk).update(edition=edition, state=Contest.State.PUBLISHED)
    from tests.judging.factories import JudgeFactory

    entries = Grower(contest, JudgeFactory(contest=contest), UserFactory())

    def grow(total):
        entries(total)  # the contest's entries, likes, scores, awards, certificates
        have = Contest.objects.filter(edition=edition).count()
        for n in range(have, min(total, 40)):  # and more contests, each with directions
            other = ContestFactory(edition=edition, slug=f"edition-contest-{n}")
            DirectionFactory(contest=other, slug="fun")
            DirectionFactory(contest=other, slug="tools")

    client = client_for(StaffFactory() if who == "staff" else None)
    count = assert_flat_queries(client, reverse("hackathon:edition", args=[9]), grow)
    # The page's own (and the staff's session and authenticator) + the contests with their
    # directions.
    assert count <= (7 if who == "visitor" else 10), count

"""Attacks on judged contests from outside, each driven through the site as a hostile user
would (issue 19's method applied to judging/): what an entrant types must not change how other
people's entries are judged."""

import pytest
from django.urls import reverse

from judging import transitions
from judging.models import Contest
from tests.factories import PersonFactory, UserFactory

from .factories import ContestFactory, JudgeFactory, RegistrationFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def _person_with_account(login):
    user = UserFactory()
    return PersonFactory(github=login, user=user), user


def test_typed_team_members_cannot_take_judges_off_someone_elses_entry(contest, client_for):
    """An entrant lists every judge and a rival as 'team members' (logins are typed, nobody
    confirms them). Before: each judge became the rival's 'teammate' and could no longer score
    the rival's entry, which stayed unranked. The listing may only affect the lister's own
    entry."""
    judges = [_person_with_account(f"judge-{n}") for n in range(2)]
    rival_person, rival = _person_with_account("rival-r")
    rival_entry = SubmissionFactory(
        registration=RegistrationFactory(contest=contest, user=rival, members=[rival_person])
    )
    attacker = UserFactory()
    logins = " ".join([person.github for person, _user in judges] + [rival_person.github])
    response = client_for(attacker).post(
        reverse("judging:register", args=[contest.slug]),
        {"kind": "team", "name": "Saboteurs", "members": logins},
    )
    assert response.status_code == 302
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.JUDGING)
    for _person, user in judges:
        judge = JudgeFactory(contest=contest, user=user)
        assert not transitions.has_conflict(judge, rival_entry)
        page = client_for(user).get(reverse("judging:judge_queue", args=[contest.slug]))
        assert rival_entry.title in page.content.decode()
        scored = client_for(user).get(reverse("judging:score", args=[contest.slug, rival_entry.pk]))
        assert scored.status_code == 200


def test_a_certificate_picture_is_drawn_once_whatever_the_query_string(monkeypatch, client):
    """Drawing a certificate costs about 0.1 s of CPU and anyone may ask for one; the page cache
    keys on the query string, so `?1`, `?2`, … drew it again each time (a few requests a second
    kept both cores busy). It is drawn once, and again only when what it shows changes."""
    from judging import views
    from tests.judging.world import add_judging
    from tests.security.world import build_world

    world = add_judging(build_world())
    drawn = []
    real = views.render_certificate_png

    def counting(certificate, verify_url):
        drawn.append(certificate.name)
        return real(certificate, verify_url)

    monkeypatch.setattr(views, "render_certificate_png", counting)
    url = reverse("judging:certificate_image", args=[world.jd_certificate.code])
    pictures = {client.get(f"{url}?{n}").content for n in range(5)}
    assert len(drawn) == 1 and len(pictures) == 1
    assert next(iter(pictures)).startswith(b"\x89PNG")
    world.jd_certificate.name = "Renamed winner"
    world.jd_certificate.save()
    assert client.get(f"{url}?again").status_code == 200
    assert drawn == ["Other mentee", "Renamed winner"]


def test_forged_posts_after_the_deadline_change_nothing(contest, client_for):
    """Entries close at `submissions_close_at`: a submit, an edit or a withdrawal POSTed by hand
    a second later is refused, whatever the form on the page said."""
    from django.utils import timezone

    from judging.models import Submission

    entry = SubmissionFactory(registration=RegistrationFactory(contest=contest), title="Before")
    client = client_for(entry.registration.user)
    Contest.objects.filter(pk=contest.pk).update(submissions_close_at=timezone.now())
    data = {
        "direction": contest.directions.first().pk,
        "title": "After the deadline",
        "summary": "",
        "app_url": "https://aistudio.example/app",
        "repository_url": "",
        "description": "",
    }
    client.post(reverse("judging:submit", args=[contest.slug]), data)
    client.post(reverse("judging:edit", args=[contest.slug, entry.pk]), data)
    client.post(reverse("judging:withdraw_submission", args=[contest.slug, entry.pk]))
    assert list(Submission.objects.values_list("title", "state")) == [("Before", "submitted")]


def test_a_judge_cannot_score_through_another_contest_or_after_publication(contest, client_for):
    """A judge of one contest changes the address to score an entry of another contest, or
    POSTs scores once the results are out: 404 and a refusal, no scorecard."""
    from judging.models import Scorecard

    other = SubmissionFactory(registration=RegistrationFactory(contest=ContestFactory()))
    entry = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.JUDGING)
    judge = JudgeFactory(contest=contest)
    client = client_for(judge.user)
    scores = {f"c{c.pk}": 3 for c in contest.criteria.all()} | {"action": "submit"}
    assert (
        client.post(reverse("judging:score", args=[contest.slug, other.pk]), scores).status_code
        == 404
    )
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.PUBLISHED)
    response = client.post(reverse("judging:score", args=[contest.slug, entry.pk]), scores)
    assert (
        response.status_code == 200 and 'data-testid="score-form"' not in response.content.decode()
    )
    assert not Scorecard.objects.exists()

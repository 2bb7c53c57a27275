"""Query budgets: every judging page costs the same number of queries with 10 entries as with
1,000 (with their screenshots, team members, likes, views, scorecards, prizes and
certificates)."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from judging.models import (
    Award,
    Certificate,
    Contest,
    Judge,
    Like,
    Registration,
    Scorecard,
    Screenshot,
    Submission,
    SubmissionViews,
)
from tests.factories import PersonFactory, StaffFactory, UserFactory
from tests.queries import assert_flat_queries

from .factories import JudgeFactory

pytestmark = pytest.mark.django_db

BUDGETS = {
    "index": 6,
    "contest": 10,
    "gallery": 10,
    "gallery_direction": 10,
    "submission": 12,
    "results": 12,
    "certificate": 6,
    "judge_queue": 12,
    "score": 16,
    "ranking": 14,
}


class Grower:
    """Adds entries (with everything that hangs on them) up to a total."""

    def __init__(self, contest, judge, liker):
        self.contest = contest
        self.judge = judge
        self.liker = liker
        self.directions = list(contest.directions.all())
        self.prize = contest.prizes.first()
        self.people = [PersonFactory() for _ in range(3)]
        self.first = None

    def __call__(self, total):
        have = Submission.objects.filter(contest=self.contest).count()
        count = total - have
        start = have
        registrations = Registration.objects.bulk_create(
            Registration(contest=self.contest, kind="team", name=f"队伍 {start + i}")
            for i in range(count)
        )
        Registration.members.through.objects.bulk_create(
            Registration.members.through(registration=registration, person=person)
            for registration in registrations
            for person in self.people[:2]
        )
        submissions = Submission.objects.bulk_create(
            Submission(
                contest=self.contest,
                registration=registration,
                direction=self.directions[i % 2],
                title=f"应用 {start + i}",
                app_url="https://aistudio.baidu.com/application/detail/1",
                description_html="<p>应用</p>",
                like_count=i,
                score=Decimal("50.00") + i % 40,
                scorecard_count=1,
            )
            for i, registration in enumerate(registrations)
        )
        SubmissionViews.objects.bulk_create(
            SubmissionViews(submission=submission, count=7) for submission in submissions
        )
        Screenshot.objects.bulk_create(
            Screenshot(submission=submission, image=f"judging/x/{submission.pk}-{n}.png", order=n)
            for submission in submissions
            for n in range(2)
        )
        Like.objects.bulk_create(Like(submission=s, user=self.liker) for s in submissions)
        Scorecard.objects.bulk_create(
            Scorecard(judge=self.judge, submission=s, state="submitted", total=Decimal("70"))
            for s in submissions
        )
        awards = Award.objects.bulk_create(
            Award(contest=self.contest, prize=self.prize, submission=s) for s in submissions
        )
        Certificate.objects.bulk_create(
            Certificate(award=award, person=person, name=person.display_name)
            for award in awards
            for person in self.people[:2]
        )
        if self.first is None:
            self.first = submissions[0]


@pytest.fixture
def grown(contest):
    judge = JudgeFactory(contest=contest)
    other = JudgeFactory(contest=contest)
    liker = UserFactory()
    grow = Grower(contest, other, liker)
    return contest, judge, liker, grow


def pages(contest, grow, judge):
    slug = contest.slug
    return {
        "index": reverse("judging:index"),
        "contest": reverse("judging:contest", args=[slug]),
        "gallery": reverse("judging:gallery", args=[slug]),
        "gallery_direction": reverse("judging:gallery_direction", args=[slug, "fun"]),
        "results": reverse("judging:results", args=[slug]),
    }


@pytest.mark.parametrize("who", ["visitor", "liker"])
@pytest.mark.parametrize("name", ["index", "contest", "gallery", "gallery_direction", "results"])
def test_public_pages_are_flat(grown, client_for, who, name):
    contest, judge, liker, grow = grown
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.PUBLISHED)
    client = client_for(liker if who == "liker" else None)
    count = assert_flat_queries(client, pages(contest, grow, judge)[name], grow)
    assert count <= BUDGETS[name], (name, count)


@pytest.mark.parametrize("who", ["visitor", "liker"])
def test_entry_page_is_flat(grown, client_for, who):
    contest, judge, liker, grow = grown
    grow(1)
    entry = reverse("judging:submission", args=[contest.slug, grow.first.pk])

    def grow_and_forget_views(total):
        grow(total)
        cache.clear()  # a view counts once a day per visitor: count it both times

    client = client_for(liker if who == "liker" else None)
    count = assert_flat_queries(client, entry, grow_and_forget_views)
    assert count <= BUDGETS["submission"], count


def test_certificate_is_flat(grown, client_for):
    contest, judge, liker, grow = grown
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.PUBLISHED)
    grow(1)
    code = Certificate.objects.filter(award__submission=grow.first).first().code
    count = assert_flat_queries(client_for(), reverse("judging:certificate", args=[code]), grow)
    assert count <= BUDGETS["certificate"], count


@pytest.mark.parametrize("name", ["results_csv", "results_json"])
def test_exports_are_flat(grown, client_for, name):
    contest, judge, liker, grow = grown
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.PUBLISHED)
    assert_flat_queries(client_for(), reverse(f"judging:{name}", args=[contest.slug]), grow)


def test_judge_and_staff_pages_are_flat(grown, client_for):
    contest, judge, liker, grow = grown
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.JUDGING)
    grow(1)
    judge_client = client_for(judge.user)
    count = assert_flat_queries(
        judge_client, reverse("judging:judge_queue", args=[contest.slug]), grow
    )
    assert count <= BUDGETS["judge_queue"], count
    # The other judge's scorecards of the entry are shown once this judge has submitted.
    Scorecard.objects.create(judge=judge, submission=grow.first, state="submitted", total=50)
    count = assert_flat_queries(
        judge_client, reverse("judging:score", args=[contest.slug, grow.first.pk]), grow
    )
    assert count <= BUDGETS["score"], count
    Award.objects.all().delete()
    count = assert_flat_queries(
        client_for(StaffFactory()), reverse("judging:ranking", args=[contest.slug]), grow
    )
    assert count <= BUDGETS["ranking"], count
    assert Judge.objects.count() == 2

"""Reads for the judging pages and the sections other pages show, each in a fixed number of
queries whatever the number of contests, entries, likes and scores."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from pfcc.certificates import CertificatePage
from pfcc.models import Person

from . import transitions
from .models import (
    Award,
    Certificate,
    Contest,
    Criterion,
    Direction,
    Judge,
    Like,
    Registration,
    Score,
    Scorecard,
    Screenshot,
    Submission,
)

CARDS_PER_PAGE = 24
CONTESTS_PER_PAGE = 20
JUDGE_QUEUE_PER_PAGE = 50
PERSON_ENTRIES = 20
SORTS = {
    "popular": ("-like_count", "-pk"),
    "new": ("-created_at", "-pk"),
    "views": (F("views__count").desc(nulls_last=True), "-pk"),
}


def contests_page(user, page_number):
    contests = Contest.objects.visible_to(user).select_related("edition")
    return Paginator(contests, CONTESTS_PER_PAGE).get_page(page_number)


def contest_for(user, slug) -> Contest:
    """Listed contests for everyone, drafts for staff."""
    contests = Contest.objects.visible_to(user).select_related("edition")
    return get_object_or_404(contests, slug=slug)


def listed_contest(slug) -> Contest:
    return get_object_or_404(Contest.objects.listed(), slug=slug)


def directions_with_counts(contest: Contest) -> list[Direction]:
    return list(
        contest.directions.select_related("contest").annotate(
            entries=Count("submissions", filter=Q(submissions__state=Submission.State.SUBMITTED))
        )
    )


def active_registration(contest: Contest, user) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.active().filter(contest=contest, user=user).first()


def judge_for(contest: Contest, user) -> Judge | None:
    if not user.is_authenticated:
        return None
    return Judge.objects.filter(contest=contest, user=user, state=Judge.State.ACTIVE).first()


def contest_context(contest: Contest, user) -> dict:
    registration = active_registration(contest, user)
    mine = []
    if registration is not None:
        mine = list(
            registration.submissions.select_related("direction", "contest").order_by(
                "-created_at", "-pk"
            )
        )
    return {
        "contest": contest,
        "directions": directions_with_counts(contest),
        "registration": registration,
        "my_submissions": mine,
        "judge": judge_for(contest, user),
        "may_manage": transitions.may_manage(user),
        "criteria": list(contest.criteria.all()),
        "prizes": list(contest.prizes.all()),
    }


def gallery_page(contest: Contest, direction: Direction | None, sort: str, page_number):
    submissions = Submission.objects.shown().filter(contest=contest).for_cards()
    if direction is not None:
        submissions = submissions.filter(direction=direction)
    submissions = submissions.order_by(*SORTS.get(sort, SORTS["popular"]))
    return Paginator(submissions, CARDS_PER_PAGE).get_page(page_number)


def liked_ids(user, submissions) -> set[int]:
    """Which of these entries the user liked: one query for a whole page of cards."""
    if not user.is_authenticated:
        return set()
    ids = [submission.pk for submission in submissions]
    return set(
        Like.objects.filter(user=user, submission_id__in=ids).values_list(
            "submission_id", flat=True
        )
    )


def direction_for(contest: Contest, slug: str) -> Direction:
    return get_object_or_404(Direction, contest=contest, slug=slug)


def submission_for(contest: Contest, pk: int, user) -> Submission:
    """A shown entry for everyone; a withdrawn or disqualified one for its entrant and staff."""
    submission = get_object_or_404(
        Submission.objects.filter(contest=contest)
        .select_related("registration", "direction", "views", "contest")
        .prefetch_related(
            Prefetch("screenshots", queryset=Screenshot.objects.order_by("order", "pk")),
            Prefetch("registration__members", queryset=Person.objects.order_by("github")),
        ),
        pk=pk,
    )
    if not submission.is_shown:
        owner = user.is_authenticated and submission.registration.user_id == user.pk
        if not (owner or transitions.may_manage(user)):
            raise Http404
    return submission


def submission_context(submission: Submission, user) -> dict:
    contest = submission.contest
    liked = user.is_authenticated and Like.objects.filter(submission=submission, user=user).exists()
    awards = []
    if contest.results_published:
        awards = list(Award.objects.filter(submission=submission).select_related("prize"))
    judge = judge_for(contest, user) if contest.is_judging else None
    if judge is not None and transitions.has_conflict(judge, submission):
        judge = None  # no scoring link on an entry of the judge's own team
    return {
        "contest": contest,
        "submission": submission,
        "liked": liked,
        "awards": awards,
        "is_owner": user.is_authenticated and submission.registration.user_id == user.pk,
        "judge": judge,
        "may_manage": transitions.may_manage(user),
    }


# --- Judges ------------------------------------------------------------------------------------


def judge_queue(judge: Judge, page_number):
    """The entries this judge may score (none of their own team's), with their own
    scorecard's state; unscored first."""
    cards = Scorecard.objects.filter(judge=judge)
    submissions = (
        Submission.objects.shown()
        .filter(contest_id=judge.contest_id)
        .exclude(
            registration__in=transitions.conflicted_registrations(judge.contest_id, judge.user)
        )
        .select_related("direction", "registration", "contest")
        .prefetch_related(Prefetch("scorecards", queryset=cards, to_attr="my_cards"))
        .annotate(
            done=Count(
                "scorecards",
                filter=Q(scorecards__judge=judge, scorecards__state=Scorecard.State.SUBMITTED),
            )
        )
        .order_by("done", "direction__order", "pk")
    )
    return Paginator(submissions, JUDGE_QUEUE_PER_PAGE).get_page(page_number)


@dataclass
class CardView:
    scorecard: Scorecard
    scores: list = field(default_factory=list)


def score_context(judge: Judge, submission: Submission) -> dict:
    criteria = list(Criterion.objects.filter(contest_id=judge.contest_id))
    own = (
        Scorecard.objects.filter(judge=judge, submission=submission)
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .first()
    )
    others = []
    # Another judge's scores only once this judge has submitted their own.
    if own is not None and own.is_submitted:
        others = list(
            Scorecard.objects.filter(
                submission=submission,
                state=Scorecard.State.SUBMITTED,
                judge__state=Judge.State.ACTIVE,
            )
            .exclude(judge=judge)
            .select_related("judge")
            .prefetch_related(
                Prefetch("scores", queryset=Score.objects.select_related("criterion"))
            )
            .order_by("judge__name", "pk")
        )
    return {"criteria": criteria, "own": own, "others": others}


# --- Ranking and results -----------------------------------------------------------------------


@dataclass
class RankedEntry:
    submission: Submission
    rank: int | None
    awards: list


@dataclass
class DirectionRanking:
    direction: Direction
    entries: list


def ranking(contest: Contest) -> list[DirectionRanking]:
    """Per direction, the shown entries by score (then likes); unscored entries last, without
    a rank. Three queries whatever the number of entries."""
    directions = list(contest.directions.all())
    submissions = (
        Submission.objects.shown()
        .filter(contest=contest)
        # The ranking shows no descriptions; the contest is the one already loaded.
        .defer("description", "description_html")
        .select_related("registration", "views")
        .prefetch_related(
            Prefetch("registration__members", queryset=Person.objects.order_by("github")),
            Prefetch(
                "awards",
                queryset=Award.objects.select_related("prize").prefetch_related(
                    Prefetch("certificates", queryset=Certificate.objects.filter(revoked=False))
                ),
            ),
        )
        .order_by(F("score").desc(nulls_last=True), "-like_count", "pk")
    )
    by_direction = {direction.pk: DirectionRanking(direction, []) for direction in directions}
    for submission in submissions:
        submission.contest = contest
        group = by_direction[submission.direction_id]
        rank = len(group.entries) + 1 if submission.score is not None else None
        group.entries.append(RankedEntry(submission, rank, list(submission.awards.all())))
    return list(by_direction.values())


def popular(contest: Contest, count: int = 10) -> list[Submission]:
    return list(
        Submission.objects.shown()
        .filter(contest=contest)
        .select_related("registration", "direction", "contest")
        .order_by("-like_count", "pk")[:count]
    )


def awards(contest: Contest) -> list[Award]:
    return list(
        Award.objects.filter(contest=contest, submission__state=Submission.State.SUBMITTED)
        .select_related(
            "prize", "submission__direction", "submission__registration", "submission__contest"
        )
        .prefetch_related(
            Prefetch("certificates", queryset=Certificate.objects.filter(revoked=False))
        )
    )


def _published_certificates():
    return Certificate.objects.select_related(
        "person",
        "award__prize",
        "award__contest__edition",
        "award__submission__direction",
        "award__submission__registration",
        "award__submission__contest",
    ).filter(award__contest__state=Contest.State.PUBLISHED)


def certificate_for(code: str) -> Certificate:
    return get_object_or_404(_published_certificates(), code=code.upper())


def certificate_page(code: str) -> CertificatePage | None:
    """The certificate with this code as its page, for /hackathon/certificates/<code>/ (the
    one address that verifies every certificate, pfcc.certificates). One query."""
    certificate = _published_certificates().filter(code=code.upper()).first()
    if certificate is None:
        return None
    return CertificatePage("judging/certificate.html", {"certificate": certificate})


# --- Sections of other pages (pfcc.sections) ----------------------------------------------------


def person_section(person, request):
    """The entries a person is a member of, with their prizes once published. Two queries."""
    submissions = list(
        Submission.objects.shown()
        .filter(registration__members=person, contest__state__in=_listed_states())
        .select_related("contest", "direction")
        .order_by("-created_at", "-pk")[:PERSON_ENTRIES]
    )
    if not submissions:
        return None
    published = [s.pk for s in submissions if s.contest.results_published]
    prizes = {}
    for award in Award.objects.filter(submission_id__in=published).select_related("prize"):
        prizes.setdefault(award.submission_id, []).append(award.prize.name)
    for submission in submissions:
        submission.prize_names = prizes.get(submission.pk, [])
    return {"judging_entries": submissions}


def _listed_states():
    return [state for state in Contest.State.values if state != Contest.State.DRAFT]


EDITION_CONTESTS = 20


def edition_section(edition, request):
    """The judged contests of a hackathon edition, for its page (hackathon.sections): listed ones
    for everyone, drafts too for staff, each with its directions. Two queries."""
    contests = list(
        Contest.objects.visible_to(request.user)
        .filter(edition=edition)
        .prefetch_related(
            Prefetch("directions", queryset=Direction.objects.select_related("contest"))
        )
        .order_by("created_at", "pk")[:EDITION_CONTESTS]
    )
    if not contests:
        return None
    return {"judging_contests": contests}


def home_section(request):
    """Contests taking entries or being judged, one query."""
    contests = list(
        Contest.objects.filter(state__in=[Contest.State.OPEN, Contest.State.JUDGING]).order_by(
            "-created_at"
        )[:3]
    )
    if not contests:
        return None
    return {"judging_contests": contests}

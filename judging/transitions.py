"""Every step of a judged contest, one function each, on top of common.transitions.

    contest:      draft ──> open ──> judging ──> published   (open_contest, start_judging,
                                                               publish_results)
    registration: register ──> registered ──> withdrawn       (withdraw_registration)
    submission:   submit ──> submitted ──> withdrawn          (withdraw_submission)
                  submitted ──> disqualified ──> submitted    (disqualify, reinstate)
                  edit_submission, like, unlike, award, revoke_award (recorded, state kept)
    judge:        assign_judge ──> active ──> removed ──> active
    scorecard:    save_scores ──> draft ──> submitted          (a judge never scores an entry
                                                               of their own team)

Counters visitors see (the contest's registrations, participants and submissions, a
submission's likes and score) change in the same transaction as the rows they count, with the
counted-on row locked first.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.site import absolute_url
from common.staff import staff_with_permission
from common.transitions import (
    Actor,
    NotAllowed,
    TransitionError,
    as_actor,
    record,
    transition,
)
from common.uploads import sanitize_image
from pfcc.mail import queue_mail
from pfcc.models import Person

from .models import (
    MAX_SCREENSHOTS,
    MAX_SUBMISSIONS_PER_REGISTRATION,
    Award,
    Certificate,
    Contest,
    Criterion,
    Judge,
    Like,
    Registration,
    Score,
    Scorecard,
    Screenshot,
    Submission,
    SubmissionViews,
    weighted_total,
)

__all__ = ["NotAllowed", "TransitionError"]

CHANGE_CONTEST = "judging.change_contest"
CHANGE_SUBMISSION = "judging.change_submission"
CHANGE_JUDGE = "judging.change_judge"
CHANGE_REGISTRATION = "judging.change_registration"
ContestState = Contest.State
SubmissionState = Submission.State


def may_manage(user) -> bool:
    """Staff who run contests: the ranking, prizes and publication pages."""
    return staff_with_permission(user, CHANGE_CONTEST)


def _perm(permission):
    return lambda actor, locked=None: actor.has_perm(permission)


def _language(language) -> str:
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _lock_contest(contest_id) -> Contest:
    return Contest.objects.select_for_update().get(pk=contest_id)


def _count(contest: Contest, **deltas) -> None:
    """Move the contest's counters (its row is locked by the caller)."""
    Contest.objects.filter(pk=contest.pk).update(
        **{f"{name}_count": F(f"{name}_count") + delta for name, delta in deltas.items()}
    )
    for name, delta in deltas.items():
        setattr(contest, f"{name}_count", getattr(contest, f"{name}_count") + delta)


# --- E-mail ------------------------------------------------------------------------------------


def _verified_address(user) -> str:
    """Where the site writes to an account: its verified address at sending time, never one
    typed into a form; "" (nobody) when the account has none or is gone."""
    return user.verified_email if user is not None else ""


def _mail_registration(registration: Registration, template: str, **extra) -> None:
    """The registrant (a team's lead) hears at their account's verified address, if any."""
    address = _verified_address(registration.user)
    if not address:
        return
    contest = registration.contest
    queue_mail(
        address,
        f"judging/email/{template}",
        {
            "registration": registration,
            "contest": contest,
            "name": registration.name,
            "contest_url": absolute_url(contest),
            **extra,
        },
        registration.language,
    )


# --- Contests ---------------------------------------------------------------------------------


def open_contest(contest: Contest, actor, note: str = ""):
    """The contest gets its public page and takes registrations and submissions."""

    def check(locked):
        if not locked.directions.exists():
            raise TransitionError(_("Add at least one direction first."), code="no_direction")

    return transition(
        contest,
        actor,
        to=ContestState.OPEN,
        allowed_from=(ContestState.DRAFT,),
        may=_perm(CHANGE_CONTEST),
        action="open",
        note=note,
        check=check,
    )


def start_judging(contest: Contest, actor, note: str = ""):
    """Entries close; judges score them."""

    def check(locked):
        if not locked.criteria.exists():
            raise TransitionError(_("Set the criteria judges score first."), code="no_criteria")

    def notify(locked, entry):
        for judge in Judge.objects.filter(contest=locked, state=Judge.State.ACTIVE).select_related(
            "user"
        ):
            _mail_judge(judge, locked, "judging_started")

    return transition(
        contest,
        actor,
        to=ContestState.JUDGING,
        allowed_from=(ContestState.OPEN,),
        may=_perm(CHANGE_CONTEST),
        action="start_judging",
        note=note,
        check=check,
        notify=notify,
    )


def publish_results(contest: Contest, actor, note: str = ""):
    """Publish the awards: the results page, CSV and JSON show them, every member of a winning
    entry gets a certificate, and every entrant an e-mail."""

    def check(locked):
        if not Award.objects.filter(contest=locked).exists():
            raise TransitionError(_("Award at least one prize first."), code="no_awards")

    def after(locked, entry):
        issue_certificates(locked)

    def notify(locked, entry):
        awards = {}
        for award in Award.objects.filter(contest=locked).select_related("prize", "submission"):
            awards.setdefault(award.submission.registration_id, []).append(award)
        registrations = Registration.objects.active().filter(contest=locked)
        for registration in registrations.select_related("user"):
            registration.contest = locked
            _mail_registration(
                registration,
                "results",
                awards=awards.get(registration.pk, []),
                results_url=absolute_url(reverse("judging:results", args=[locked.slug])),
            )

    return transition(
        contest,
        actor,
        to=ContestState.PUBLISHED,
        allowed_from=(ContestState.JUDGING,),
        may=_perm(CHANGE_CONTEST),
        action="publish",
        note=note,
        changes={"published_at": timezone.now()},
        check=check,
        after=after,
        notify=notify,
    )


def issue_certificates(contest: Contest) -> int:
    """A certificate for every member of every awarded entry who has none yet (an entry
    without members: one in the entry's name). Returns how many were issued."""
    issued = 0
    awards = Award.objects.filter(contest=contest).select_related("submission__registration")
    for award in awards.prefetch_related("submission__registration__members", "certificates"):
        registration = award.submission.registration
        have = {certificate.person_id for certificate in award.certificates.all()}
        members = list(registration.members.all())
        if not members and not have:
            Certificate.objects.create(award=award, name=registration.name)
            issued += 1
        for person in members:
            if person.pk not in have:
                Certificate.objects.create(award=award, person=person, name=person.display_name)
                issued += 1
    return issued


# --- Registrations -----------------------------------------------------------------------------


class AlreadyRegistered(TransitionError):
    def __init__(self):
        super().__init__(_("You are already registered for this contest."), code="already")


class EntriesClosed(TransitionError):
    def __init__(self):
        super().__init__(_("This contest does not take entries now."), code="closed")


def _members(user, logins) -> list[Person]:
    """The entry's people: the registrant's own person (when their account has one) and the
    GitHub logins given, once each."""
    people = []
    own = Person.objects.of_user(user)
    if own is not None:
        people.append(own)
    for login in logins:
        person, _created = Person.objects.get_or_create_by_login(login)
        if all(person.pk != other.pk for other in people):
            people.append(person)
    return people


def register(
    contest: Contest,
    user,
    *,
    kind: str,
    name: str,
    members=(),
    language: str | None = None,
) -> Registration:
    """A signed-in user registers, alone or for a team (`members`: GitHub logins). Mail about
    the entry goes to the account's verified address (none is asked for)."""
    actor = Actor.of(user)
    try:
        with transaction.atomic():
            locked = _lock_contest(contest.pk)
            if not locked.accepts_entries:
                raise EntriesClosed
            if Registration.objects.active().filter(contest=locked, user=user).exists():
                raise AlreadyRegistered
            registration = Registration.objects.create(
                contest=locked,
                user=user,
                kind=kind,
                name=name.strip(),
                language=_language(language),
            )
            people = _members(user, members)
            registration.members.set(people)
            _count(locked, registration=1, participant=max(len(people), 1))
            record(registration, actor, "register")
            _mail_registration(registration, "registered")
    except IntegrityError as error:
        if Registration.objects.active().filter(contest=contest, user=user).exists():
            raise AlreadyRegistered from error
        raise
    contest.registration_count = locked.registration_count
    contest.participant_count = locked.participant_count
    return registration


def withdraw_registration(registration: Registration, actor, note: str = ""):
    """The registrant (while entries are open) or staff withdraw an entrant; its submissions
    leave the gallery too."""
    actor = as_actor(actor)
    with transaction.atomic():
        contest = _lock_contest(registration.contest_id)

        def check(locked):
            if not actor.has_perm(CHANGE_REGISTRATION) and not contest.accepts_entries:
                raise EntriesClosed

        def after(locked, entry):
            _count(contest, registration=-1, participant=-max(locked.members.count(), 1))
            for submission in Submission.objects.filter(
                registration=locked, state=SubmissionState.SUBMITTED
            ):
                _withdraw(submission, contest, actor, note)

        def notify(locked, entry):
            locked.contest = contest
            _mail_registration(locked, "withdrawn", by_staff=actor.user_id != locked.user_id)

        return transition(
            registration,
            actor,
            to=Registration.State.WITHDRAWN,
            allowed_from=(Registration.State.REGISTERED,),
            may=lambda actor, locked: (
                actor.user_id == locked.user_id or actor.has_perm(CHANGE_REGISTRATION)
            ),
            action="withdraw",
            note=note,
            check=check,
            after=after,
            notify=notify,
        )


# --- Submissions -------------------------------------------------------------------------------


def _add_screenshots(submission: Submission, screenshots) -> None:
    """`screenshots`: (uploaded file, caption) pairs, each re-encoded by common.uploads (no
    EXIF, nothing appended); refused files raise ValidationError before anything is saved."""
    start = submission.screenshots.count()
    if start + len(screenshots) > MAX_SCREENSHOTS:
        raise TransitionError(
            _("At most %(count)s screenshots an entry.") % {"count": MAX_SCREENSHOTS},
            code="too_many_screenshots",
        )
    for offset, (upload, caption) in enumerate(screenshots):
        clean = sanitize_image(upload)
        shot = Screenshot(submission=submission, caption=caption or "", order=start + offset)
        shot.image.save(clean.name, clean, save=False)
        shot.save()


def submit(
    registration: Registration,
    actor,
    *,
    direction,
    title: str,
    app_url: str,
    summary: str = "",
    repository_url: str = "",
    description: str = "",
    screenshots=(),
) -> Submission:
    """The registrant submits an app in one of the contest's directions."""
    actor = as_actor(actor)
    with transaction.atomic():
        contest = _lock_contest(registration.contest_id)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if actor.user_id != locked.user_id:
            raise NotAllowed
        if not locked.is_active:
            raise TransitionError(_("Your registration was withdrawn."), code="withdrawn")
        if not contest.accepts_entries:
            raise EntriesClosed
        if direction.contest_id != contest.pk:
            raise TransitionError(_("Choose one of this contest's directions."), code="direction")
        if locked.submissions.count() >= MAX_SUBMISSIONS_PER_REGISTRATION:
            raise TransitionError(
                _("At most %(count)s entries an entrant.")
                % {"count": MAX_SUBMISSIONS_PER_REGISTRATION},
                code="too_many",
            )
        submission = Submission.objects.create(
            contest=contest,
            registration=locked,
            direction=direction,
            title=title.strip(),
            summary=summary.strip(),
            app_url=app_url,
            repository_url=repository_url,
            description=description,
        )
        SubmissionViews.objects.create(submission=submission)
        _add_screenshots(submission, list(screenshots))
        _count(contest, submission=1)
        record(submission, actor, "submit")
        locked.contest = contest
        _mail_registration(
            locked, "submitted", submission=submission, submission_url=absolute_url(submission)
        )
    return submission


def _entrant_while_open(actor, locked) -> bool:
    return actor.user_id is not None and actor.user_id == locked.registration.user_id


def edit_submission(
    submission: Submission, actor, *, changes: dict, screenshots=(), remove_screenshots=()
):
    """The entrant edits their entry while entries are open (staff at any time); recorded."""
    actor = as_actor(actor)
    allowed = {"title", "summary", "app_url", "repository_url", "description", "direction"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")

    def check(locked):
        if not actor.has_perm(CHANGE_SUBMISSION) and not locked.contest.accepts_entries:
            raise EntriesClosed
        direction = changes.get("direction")
        if direction is not None and direction.contest_id != locked.contest_id:
            raise TransitionError(_("Choose one of this contest's directions."), code="direction")

    def after(locked, entry):
        if remove_screenshots:
            Screenshot.objects.filter(submission=locked, pk__in=remove_screenshots).delete()
        _add_screenshots(locked, list(screenshots))

    return transition(
        submission,
        actor,
        allowed_from=(SubmissionState.SUBMITTED,),
        may=lambda actor, locked: (
            _entrant_while_open(actor, locked) or actor.has_perm(CHANGE_SUBMISSION)
        ),
        action="edit",
        changes=changes,
        check=check,
        after=after,
        locked_queryset=Submission.objects.select_related("registration", "contest"),
    )


def _mail_entrant(submission: Submission, contest: Contest, template: str, **extra) -> None:
    """The entry's registrant hears about it (the contest, locked by the caller, is passed on
    so that the mail reads no stale copy)."""
    registration = submission.registration
    registration.contest = contest
    _mail_registration(registration, template, submission=submission, **extra)


def _withdraw(submission, contest, actor, note=""):
    return transition(
        submission,
        actor,
        to=SubmissionState.WITHDRAWN,
        allowed_from=(SubmissionState.SUBMITTED,),
        may=lambda actor, locked: (
            actor.user_id == locked.registration.user_id or actor.has_perm(CHANGE_SUBMISSION)
        ),
        action="withdraw",
        note=note,
        after=lambda locked, entry: _count(contest, submission=-1),
        notify=lambda locked, entry: _mail_entrant(locked, contest, "submission_withdrawn"),
        locked_queryset=Submission.objects.select_related("registration"),
    )


def withdraw_submission(submission: Submission, actor, note: str = ""):
    """The entrant takes their entry out of the contest (while entries are open)."""
    actor = as_actor(actor)
    with transaction.atomic():
        contest = _lock_contest(submission.contest_id)
        if not actor.has_perm(CHANGE_SUBMISSION) and not contest.accepts_entries:
            raise EntriesClosed
        return _withdraw(submission, contest, actor, note)


def disqualify(submission: Submission, actor, note: str):
    """Staff take an entry out of the gallery and the ranking, with the reason (e-mailed)."""
    actor = as_actor(actor)
    if not note.strip():
        raise TransitionError(_("Give the reason."), code="reason")
    with transaction.atomic():
        contest = _lock_contest(submission.contest_id)
        return transition(
            submission,
            actor,
            to=SubmissionState.DISQUALIFIED,
            allowed_from=(SubmissionState.SUBMITTED,),
            may=_perm(CHANGE_SUBMISSION),
            action="disqualify",
            note=note,
            after=lambda locked, entry: _count(contest, submission=-1),
            notify=lambda locked, entry: _mail_entrant(locked, contest, "disqualified", note=note),
            locked_queryset=Submission.objects.select_related("registration"),
        )


def reinstate(submission: Submission, actor, note: str = ""):
    actor = as_actor(actor)
    with transaction.atomic():
        contest = _lock_contest(submission.contest_id)
        return transition(
            submission,
            actor,
            to=SubmissionState.SUBMITTED,
            allowed_from=(SubmissionState.DISQUALIFIED,),
            may=_perm(CHANGE_SUBMISSION),
            action="reinstate",
            note=note,
            after=lambda locked, entry: _count(contest, submission=1),
        )


# --- Views and likes ---------------------------------------------------------------------------


def count_view(submission: Submission) -> None:
    """One more view (the caller counts each visitor once a day). A counter, not a change
    anyone makes: no audit entry."""
    updated = SubmissionViews.objects.filter(submission_id=submission.pk).update(
        count=F("count") + 1
    )
    if not updated:
        SubmissionViews.objects.get_or_create(submission_id=submission.pk)
        SubmissionViews.objects.filter(submission_id=submission.pk).update(count=F("count") + 1)


def like(submission: Submission, user) -> bool:
    """A signed-in person likes an entry, once; False when they already did."""
    actor = Actor.of(user)
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update().select_related("contest").get(pk=submission.pk)
        )
        if not locked.is_shown or not locked.contest.accepts_likes:
            raise TransitionError(_("Likes are closed for this entry."), code="closed")
        try:
            with transaction.atomic():
                Like.objects.create(submission=locked, user=user)
        except IntegrityError:
            return False
        Submission.objects.filter(pk=locked.pk).update(like_count=F("like_count") + 1)
        record(locked, actor, "like")
    submission.like_count = locked.like_count + 1
    return True


def unlike(submission: Submission, user, *, quiet_actor=None) -> bool:
    """Take a like back; False when there was none."""
    actor = quiet_actor or Actor.of(user)
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update().select_related("contest").get(pk=submission.pk)
        )
        deleted, _rows = Like.objects.filter(submission=locked, user=user).delete()
        if not deleted:
            return False
        if quiet_actor is None and not locked.contest.accepts_likes:
            raise TransitionError(_("Likes are closed for this entry."), code="closed")
        Submission.objects.filter(pk=locked.pk).update(like_count=F("like_count") - 1)
        record(locked, actor, "unlike")
    submission.like_count = locked.like_count - 1
    return True


# --- Judges ------------------------------------------------------------------------------------


def _mail_judge(judge: Judge, contest: Contest, template: str) -> None:
    address = _verified_address(judge.user)
    if not address:
        return
    queue_mail(
        address,
        f"judging/email/{template}",
        {
            "judge": judge,
            "contest": contest,
            "name": judge.name,
            "queue_url": absolute_url(reverse("judging:judge_queue", args=[contest.slug])),
        },
        judge.language,
    )


def judge_language(user) -> str:
    """The language a new judge is written to when staff do not choose: the one the account
    last registered for a contest in, else the site's."""
    latest = (
        Registration.objects.filter(user=user)
        .order_by("-created_at", "-pk")
        .values_list("language", flat=True)
        .first()
    )
    return _language(latest)


def assign_judge(
    contest: Contest, user, actor, note: str = "", language: str | None = None
) -> Judge:
    """Staff make an account a judge of the contest (again, when it was removed); its e-mails
    are written in `language` (None: judge_language(user))."""
    actor = as_actor(actor)
    if not actor.has_perm(CHANGE_JUDGE):
        raise NotAllowed
    if user is None or not user.is_active:
        raise TransitionError(_("Choose an active account."), code="account")
    with transaction.atomic():
        locked_contest = _lock_contest(contest.pk)
        if locked_contest.results_published:
            raise TransitionError(_("The results are published."), code="published")
        judge = Judge.objects.filter(contest=locked_contest, user=user).first()
        language = _language(language) if language else None
        if judge is not None:
            if judge.is_active:
                raise TransitionError(_("This account already judges this contest."), "already")
            judge = transition(
                judge,
                actor,
                to=Judge.State.ACTIVE,
                allowed_from=(Judge.State.REMOVED,),
                action="assign",
                note=note,
                changes={"language": language} if language else None,
                notify=lambda locked, entry: _mail_judge(locked, locked_contest, "judge_assigned"),
            )
            return judge
        judge = Judge.objects.create(
            contest=locked_contest,
            user=user,
            name=user.display_name[:150],
            language=language or judge_language(user),
        )
        record(judge, actor, "assign", note=note)
        _mail_judge(judge, locked_contest, "judge_assigned")
    return judge


def remove_judge(judge: Judge, actor, note: str = ""):
    """Staff take a judge off; their submitted scorecards no longer count."""

    def after(locked, entry):
        for submission_id in locked.scorecards.values_list("submission_id", flat=True):
            _recompute_score(submission_id)

    return transition(
        judge,
        actor,
        to=Judge.State.REMOVED,
        allowed_from=(Judge.State.ACTIVE,),
        may=_perm(CHANGE_JUDGE),
        action="remove",
        note=note,
        after=after,
    )


def conflicted_registrations(contest_id, user):
    """The registrations a judge may not score: their own entries, entries listing them, and
    entries of their teammates as someone answerable for it says: the people the judge listed
    on their own registration, and the registrant of a team that lists the judge. Logins an
    entrant types reach no one else's entry: listing every judge and a rival must not take the
    judges off the rival's entry (a subquery of ids)."""
    person = Person.objects.of_user(user) if user is not None else None
    mine = Q(user=user) if user is not None else Q(pk__in=[])
    if person is not None:
        mine |= Q(members=person)
    in_contest = Registration.objects.filter(contest_id=contest_id)
    own = in_contest.filter(mine)
    listed_by_judge = Person.objects.filter(
        judging_registrations__in=in_contest.filter(user=user).values("pk")
    )
    listing_judge = in_contest.filter(members=person) if person is not None else in_contest.none()
    return in_contest.filter(
        Q(pk__in=own.values("pk"))
        | Q(members__in=listed_by_judge.values("pk"))
        | Q(user__person__in=listed_by_judge.values("pk"))
        | Q(user__in=listing_judge.values("user"))
    ).values("pk")


def has_conflict(judge: Judge, submission: Submission) -> bool:
    return Registration.objects.filter(
        pk=submission.registration_id,
        pk__in=conflicted_registrations(judge.contest_id, judge.user),
    ).exists()


class ConflictOfInterest(NotAllowed):
    def __init__(self):
        super().__init__(_("You may not score an entry of your own team."))


def save_scores(
    judge: Judge,
    submission: Submission,
    actor,
    *,
    values: dict,
    comment: str = "",
    submit_card: bool = False,
) -> Scorecard:
    """A judge saves their scores of an entry ({criterion id: value}), as a draft or
    submitted. Once submitted, the entry's score is the mean of the submitted scorecards."""
    actor = as_actor(actor)
    with transaction.atomic():
        # The contest first (as every change here): a publication committing meanwhile is
        # waited for and seen, so no score changes a published ranking.
        contest = _lock_contest(judge.contest_id)
        locked_judge = Judge.objects.select_for_update().get(pk=judge.pk)
        if actor.user_id is None or actor.user_id != locked_judge.user_id:
            raise NotAllowed
        if not locked_judge.is_active:
            raise NotAllowed(_("You no longer judge this contest."))
        if not contest.is_judging:
            raise TransitionError(_("Judging is not open."), code="closed")
        if submission.contest_id != contest.pk or not submission.is_shown:
            raise TransitionError(_("This entry is not in the contest."), code="entry")
        if has_conflict(locked_judge, submission):
            raise ConflictOfInterest
        criteria = list(Criterion.objects.filter(contest=contest))
        for criterion in criteria:
            value = values.get(criterion.pk)
            if value is None or not 0 <= int(value) <= criterion.max_score:
                raise TransitionError(
                    _("Score %(criterion)s from 0 to %(max)s.")
                    % {"criterion": criterion.name, "max": criterion.max_score},
                    code="score",
                )
        card, created = Scorecard.objects.get_or_create(judge=locked_judge, submission=submission)
        total = weighted_total({key: int(value) for key, value in values.items()}, criteria)

        def write(locked, entry):
            Score.objects.filter(scorecard=locked).exclude(criterion__in=criteria).delete()
            for criterion in criteria:
                Score.objects.update_or_create(
                    scorecard=locked,
                    criterion=criterion,
                    defaults={"value": int(values[criterion.pk])},
                )
            if locked.is_submitted:
                _recompute_score(submission.pk)

        changes = {"comment": comment.strip(), "total": total}
        to = None
        if submit_card and card.state == Scorecard.State.DRAFT:
            to = Scorecard.State.SUBMITTED
            changes["submitted_at"] = timezone.now()
        return transition(
            card,
            actor,
            to=to,
            may=lambda actor, locked: actor.user_id == locked_judge.user_id,
            action="submit" if to else ("score" if created else "edit"),
            changes=changes,
            after=write,
        )


def _recompute_score(submission_id) -> None:
    """The entry's score: the mean of the submitted scorecards of active judges."""
    cards = Scorecard.objects.filter(
        submission_id=submission_id,
        state=Scorecard.State.SUBMITTED,
        judge__state=Judge.State.ACTIVE,
    ).aggregate(mean=Avg("total"), count=Count("pk"))
    mean = cards["mean"]
    Submission.objects.filter(pk=submission_id).update(
        score=round(mean, 2) if mean is not None else None, scorecard_count=cards["count"]
    )


# --- Prizes ------------------------------------------------------------------------------------


def award(submission: Submission, prize, actor, note: str = "") -> Award:
    """Staff give an entry a prize (before the results are published)."""
    actor = as_actor(actor)
    if not actor.has_perm(CHANGE_CONTEST):
        raise NotAllowed
    with transaction.atomic():
        contest = _lock_contest(submission.contest_id)
        if contest.state != ContestState.JUDGING:
            raise TransitionError(
                _("Prizes are awarded while judging, before the results are published."),
                code="state",
            )
        if prize.contest_id != contest.pk:
            raise TransitionError(_("Choose one of this contest's prizes."), code="prize")

        def check(locked):
            if Award.objects.filter(prize=prize, submission=locked).exists():
                raise TransitionError(_("This entry already has this prize."), code="already")

        given = {}

        def after(locked, entry):
            given["award"] = Award.objects.create(contest=contest, prize=prize, submission=locked)

        def notify(locked, entry):
            _mail_prize(locked, contest, prize, "awarded")

        transition(
            submission,
            actor,
            allowed_from=(SubmissionState.SUBMITTED,),
            action="award",
            note=note or prize.name,
            check=check,
            after=after,
            notify=notify,
        )
    return given["award"]


def _mail_prize(submission: Submission, contest: Contest, prize, template: str) -> None:
    """The entry's registrant hears of a prize given or taken back, in their language."""
    registration = Registration.objects.select_related("user").get(pk=submission.registration_id)
    registration.contest = submission.contest = contest
    _mail_registration(
        registration,
        template,
        submission=submission,
        prize=prize,
        submission_url=absolute_url(submission),
    )


def revoke_award(award_obj: Award, actor, note: str = "") -> None:
    """Staff take a prize back before publication."""
    actor = as_actor(actor)
    if not actor.has_perm(CHANGE_CONTEST):
        raise NotAllowed
    with transaction.atomic():
        contest = _lock_contest(award_obj.contest_id)
        if contest.state != ContestState.JUDGING:
            raise TransitionError(_("The results are published."), code="state")
        prize = award_obj.prize
        transition(
            award_obj.submission,
            actor,
            action="revoke_award",
            note=note or prize.name,
            after=lambda locked, entry: Award.objects.filter(pk=award_obj.pk).delete(),
            notify=lambda locked, entry: _mail_prize(locked, contest, prize, "award_revoked"),
        )

"""Every state change of the hackathon, one function each, on `common.transitions`.

Views, the admin (actions and `save_model`), the importers, the GitHub webhook (`github.py`)
and the management commands call these functions only; nothing else assigns a `state`.

    claims:      claim_tasks · claim_numbers · ensure_claim · advance_claim · correct_claim ·
                 set_completing_claim · record_pull_request · remove_pull_request · withdraw_claim
    tasks:       withdraw_task · reopen_task
    editions:    change_edition_state · compute_results · publish_results (an edition, or a
                 standalone activity: a task set without an edition)
    objections:  file_objection · answer_objection
    deliveries:  open_delivery · finish_delivery · retry_delivery · record_pull_request_status

Rules: a claimant moves their own claim up to 提交PR (while the edition is open), which needs a
pull request on the claim, and for a task that needs an RFC a merged design document first;
部分完成 and 完成任务 are staff decisions, or follow from a merged PR recorded by the system; the
first claim to reach 完成任务 completes the task and later ones cannot, unless staff decide;
staff may correct anything, and corrections are recorded. A pull request belongs to one
person's claims. Each change writes its history row (ClaimStateChange, TaskEvent,
EditionEvent, ObjectionEvent, WebhookDeliveryEvent).
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common import limits
from common.transitions import (
    Actor,
    NotAllowed,
    TransitionError,
    as_actor,
    record,
    transition,
)
from common.validators import pull_request_key, validate_github_login
from pfcc.mail import queue_mail
from pfcc.models import Person

from .models import (
    CLAIMANT_MAX_STATE,
    Certificate,
    Claim,
    ClaimState,
    ClaimStateChange,
    Edition,
    GitHubReply,
    Objection,
    PullRequest,
    PullRequestStatus,
    Result,
    Task,
    TaskSet,
    WebhookDelivery,
    activity_filter,
)
from .task_numbers import parse_task_keys, parse_task_numbers  # noqa: F401 (re-exported)
from .validators import canonical_pull_request_url

__all__ = ["Actor", "NotAllowed", "TransitionError"]

MAX_OBJECTION_LENGTH = limits.TEXT
DEFAULT_OBJECTION_DAYS = 7
GITHUB = Actor.system("github")


def _owns(actor: Actor, claim: Claim) -> bool:
    return actor.user is not None and claim.person.user_id == actor.user.pk


# --- Persons -------------------------------------------------------------------------------


def person_for_user(user, github_login: str | None = None) -> Person:
    """The person of a signed-in user. An account without one (e-mail sign-up) may name a GitHub
    login that no one has yet; it stays unverified (no GitHub id) until the account signs in with
    GitHub, and webhooks never credit it. A login already known must be proven by signing in."""
    person = Person.objects.of_user(user)
    if person is not None:
        return person
    login = (github_login or "").strip().lstrip("@")
    if not login:
        raise TransitionError(
            _("Your account has no GitHub login yet: sign in with GitHub, or enter your login."),
            code="needs_login",
        )
    try:
        validate_github_login(login)
    except ValidationError as error:
        raise TransitionError(" ".join(error.messages), code="needs_login") from error
    if Person.objects.by_login(login).exists():
        raise TransitionError(
            _(
                "@%(login)s is already known here: sign in with that GitHub account to use it, "
                "or ask the staff to link it to your account."
            )
            % {"login": login},
            code="needs_login",
        )
    return Person.objects.create(github=login, user=user, name=getattr(user, "name", ""))


# --- Claiming ------------------------------------------------------------------------------


@dataclass
class ClaimOutcome:
    claimed: list[Claim] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (number, reason)


def _create_claim(task, person, actor: Actor, team_name="", note="", now=None) -> Claim | None:
    """The claim and its first history row, or None when the person has one already (the
    database's constraint decides between two racing requests)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                task=task,
                person=person,
                team_name=team_name,
                created_at=now,
                state_changed_at=now,
            )
            # record() writes "" for "no previous state"; a claim's history keeps integers.
            ClaimStateChange.objects.create(
                claim=claim,
                action="claim",
                from_state=None,
                to_state=ClaimState.CLAIMED,
                actor=actor.user,
                actor_label=actor.label[:100],
                note=(note or "")[: limits.NOTE],
                created_at=now,
            )
    except IntegrityError:
        return None
    claim.task = task
    claim.person = person
    return claim


def claim_numbers(
    tasks_by_number: dict, person: Person, numbers, actor, *, team_name="", note=""
) -> ClaimOutcome:
    """Claim these task numbers for the person; each number is checked on its own, so a bad
    one is reported and the others are still claimed. The site's claim form and the GitHub
    issue comments (`【报名】：2、3`) both come here."""
    actor = as_actor(actor)
    outcome = ClaimOutcome()
    mine = set(
        Claim.objects.filter(task__in=list(tasks_by_number.values()), person=person).values_list(
            "task_id", flat=True
        )
    )
    now = timezone.now()
    for number in numbers:
        task = tasks_by_number.get(number)
        label = f"No.{number}"
        if task is None:
            outcome.rejected.append((label, _("There is no task No.%(n)s.") % {"n": number}))
        elif not task.is_open:
            outcome.rejected.append((label, _("Task No.%(n)s is withdrawn.") % {"n": number}))
        elif task.completed_claim_id is not None:
            outcome.rejected.append(
                (label, _("Task No.%(n)s is already completed.") % {"n": number})
            )
        elif task.pk in mine:
            outcome.rejected.append(
                (label, _("You have already claimed task No.%(n)s.") % {"n": number})
            )
        else:
            claim = _create_claim(task, person, actor, team_name, note, now)
            if claim is None:
                outcome.rejected.append(
                    (label, _("You have already claimed task No.%(n)s.") % {"n": number})
                )
            else:
                outcome.claimed.append(claim)
    return outcome


def _task_set(scope) -> TaskSet:
    """An edition stands for its main set."""
    return scope if isinstance(scope, TaskSet) else TaskSet.main_of(scope)


def claim_tasks(
    scope, user, text: str, team_name: str = "", github_login: str | None = None
) -> ClaimOutcome:
    """A signed-in user claims one task or a list of them (`2、3`, `2-5`) of a task set (or of
    an edition's main set) through the form."""
    actor = Actor.of(user)
    task_set = _task_set(scope)
    edition = task_set.edition
    if not task_set.accepts_claims:
        raise TransitionError(_("This edition does not accept claims now."), code="closed")
    person = person_for_user(user, github_login)
    numbers, errors = parse_task_keys(text)  # "2", "C-115": a number or a text identifier
    if not numbers and not errors:
        return ClaimOutcome(rejected=[("", _("Enter at least one task number."))])
    tasks = Task.objects.filter(task_set=task_set).by_keys(numbers)
    outcome = claim_numbers(
        tasks, person, numbers, actor, team_name=(team_name or "").strip()[:100]
    )
    outcome.rejected[:0] = errors
    if outcome.claimed and user.email:
        with transaction.atomic():
            queue_mail(
                user.email,
                "hackathon/email/claimed",
                {
                    "edition": edition or task_set,
                    "claims": outcome.claimed,
                    "site_url": settings.SITE_URL,
                },
            )
    return outcome


def find_claims(scope, github_login: str, numbers) -> list[Claim]:
    """The claims of one GitHub login on these tasks of a set (or an edition's main), named by
    number or by text identifier (`TaskQuerySet.by_keys`)."""
    tasks = Task.objects.filter(task_set=_task_set(scope)).by_keys(numbers)
    return list(
        Claim.objects.filter(
            task__in=[task.pk for task in tasks.values()],
            person__github__iexact=github_login,
        )
        .select_related("task__edition", "person")
        .order_by("task__number")
    )


def ensure_claim(task: Task, person: Person, actor, team_name: str = "") -> tuple[Claim, bool]:
    """The person's claim on the task, made by the system or staff when missing (a PR for a
    task its author never claimed on the site)."""
    actor = as_actor(actor)
    if not actor.is_privileged:
        raise NotAllowed()
    existing = Claim.objects.filter(task=task, person=person).first()
    if existing is not None:
        return existing, False
    claim = _create_claim(task, person, actor, team_name)
    if claim is None:
        return Claim.objects.get(task=task, person=person), False
    return claim, True


def withdraw_claim(claim: Claim, actor, note: str = "") -> None:
    """The claimant (or staff) gives a claim up while it is below 提交PR: the claim goes, and
    the task's history keeps who withdrew it and when."""
    actor = as_actor(actor)
    with transaction.atomic():
        task, locked = _lock(claim)
        if not actor.is_privileged and not _owns(actor, locked):
            raise NotAllowed(_("Only the claimant or the staff may withdraw this claim."))
        if locked.state >= ClaimState.PR_SUBMITTED and not actor.is_staff:
            raise TransitionError(
                _("Task No.%(n)s: a claim with a pull request cannot be withdrawn.")
                % {"n": task.label},
                code="too_late",
            )
        if task.completed_claim_id == locked.pk:
            raise TransitionError(
                _("Task No.%(n)s: the completing claim cannot be withdrawn.") % {"n": task.label},
                code="too_late",
            )
        record(
            task,
            actor,
            "withdraw_claim",
            from_state=task.state,
            note=(
                _("@%(login)s withdrew the claim (%(state)s).")
                % {"login": locked.person.github, "state": locked.get_state_display()}
                + (f" {note}" if note else "")
            ),
        )
        locked.delete()


# --- Claim states --------------------------------------------------------------------------


def _lock(claim: Claim) -> tuple[Task, Claim]:
    """Lock the task, then the claim (always in this order: no deadlocks)."""
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("edition", "task_set__edition")
        .get(pk=claim.task_id)
    )
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    locked.task = task
    locked.person = Person.objects.get(pk=locked.person_id)
    return task, locked


def _check_may_update(claim: Claim, task: Task, actor: Actor) -> None:
    if actor.is_privileged:
        return
    if not _owns(actor, claim):
        raise NotAllowed(_("Only the claimant or the staff may change this claim."))
    if not task.task_set.accepts_claims:
        raise TransitionError(_("This edition does not accept changes to claims now."), "closed")
    if not task.is_open:
        raise TransitionError(_("This task is withdrawn."), code="withdrawn")


def _to_state(state) -> ClaimState:
    try:
        return ClaimState(int(state))
    except (TypeError, ValueError) as error:
        raise TransitionError(_("Unknown state."), code="invalid_state") from error


def _notify_claimant(claim: Claim, change: ClaimStateChange, actor: Actor) -> None:
    """The claimant hears about changes someone else made to their claim."""
    user = claim.person.user
    if user is None or not user.email or _owns(actor, claim):
        return
    queue_mail(
        user.email,
        "hackathon/email/claim_state",
        {"claim": claim, "change": change, "site_url": settings.SITE_URL},
    )


def _move(task, claim, target, actor, note, *, correction=False, now=None) -> Claim:
    """Write a claim's new state with its history row (the task and claim are locked)."""

    def notify(locked, entry):
        locked.task = task
        locked.person = claim.person
        if correction or target >= ClaimState.PARTIAL:
            _notify_claimant(locked, entry, actor)

    locked = transition(
        claim,
        actor,
        to=target,
        action="correct" if correction else "advance",
        note=note,
        changes={"state_changed_at": now or timezone.now()},
        audit_extra={"is_correction": correction},
        notify=notify,
    )
    locked.task = task
    locked.person = claim.person
    return locked


def _check_claimant_step(task: Task, claim: Claim, state: ClaimState) -> None:
    """What a claimant's own step up needs: 提交PR a pull request on the claim, and for a task
    that needs an RFC, a design document first (完成设计文档)."""
    if state >= ClaimState.PR_SUBMITTED and not claim.pull_requests.exists():
        raise TransitionError(
            _("Add the pull request to the claim first: 提交PR needs one."), code="needs_pr"
        )
    if state >= ClaimState.PR_SUBMITTED and task.needs_rfc and claim.state < ClaimState.DESIGN_DONE:
        raise TransitionError(
            _(
                "Task No.%(n)s needs an RFC: the design document must be merged "
                "(完成设计文档) before the pull request."
            )
            % {"n": task.label},
            code="needs_rfc",
        )


def advance_claim(claim: Claim, state, actor, note: str = "") -> Claim:
    """Move a claim up. Claimants reach at most 提交PR; staff and the system go up to 完成任务.
    A step down (or sideways) is refused: use `correct_claim`."""
    actor = as_actor(actor)
    state = _to_state(state)
    with transaction.atomic():
        task, locked = _lock(claim)
        _check_may_update(locked, task, actor)
        if state > CLAIMANT_MAX_STATE and not actor.is_privileged:
            raise NotAllowed(
                _("“%(state)s” is decided by the staff or by a merged pull request.")
                % {"state": state.label}
            )
        if state <= locked.state:
            raise TransitionError(
                _("A claim only moves up: it is at “%(current)s” already.")
                % {"current": ClaimState(locked.state).label},
                code="not_monotonic",
            )
        if not actor.is_privileged:
            _check_claimant_step(task, locked, state)
        now = timezone.now()
        if state == ClaimState.COMPLETED:
            if task.completed_claim_id is None:
                _complete_task(task, locked, now)
            elif task.completed_claim_id != locked.pk and not actor.is_staff:
                raise TransitionError(
                    _("Task No.%(n)s was already completed by another claim.") % {"n": task.label},
                    code="already_completed",
                )
        locked = _move(task, locked, state, actor, note, now=now)
    claim.state, claim.state_changed_at = locked.state, locked.state_changed_at
    return locked


def _complete_task(task: Task, claim: Claim | None, now) -> None:
    task.completed_claim = claim
    task.completed_at = now if claim is not None else None
    task.save(update_fields=["completed_claim", "completed_at", "updated_at"])


def correct_claim(claim: Claim, state, actor, note: str = "") -> Claim:
    """A staff correction: any state, even down; recorded as a correction. The task's 完成队伍
    follows: it passes to the earliest other completed claim, or none."""
    actor = as_actor(actor)
    if not actor.is_staff:
        raise NotAllowed(_("Only the staff may correct a claim."))
    state = _to_state(state)
    with transaction.atomic():
        task, locked = _lock(claim)
        if state == locked.state:
            return locked
        now = timezone.now()
        locked = _move(task, locked, state, actor, note, correction=True, now=now)
        if state == ClaimState.COMPLETED and task.completed_claim_id is None:
            _complete_task(task, locked, now)
        elif state != ClaimState.COMPLETED and task.completed_claim_id == locked.pk:
            successor = (
                Claim.objects.filter(task=task, state=ClaimState.COMPLETED)
                .exclude(pk=locked.pk)
                .order_by("state_changed_at", "pk")
                .first()
            )
            _complete_task(task, successor, successor.state_changed_at if successor else None)
    claim.state, claim.state_changed_at = locked.state, locked.state_changed_at
    return locked


def set_completing_claim(task: Task, claim: Claim, actor, note: str = "") -> Task:
    """Staff decide which completed claim is the task's 完成队伍."""
    actor = as_actor(actor)
    if not actor.is_staff:
        raise NotAllowed(_("Only the staff may decide who completed a task."))
    with transaction.atomic():
        if claim.state != ClaimState.COMPLETED:
            correct_claim(claim, ClaimState.COMPLETED, actor, note)
        task = Task.objects.select_for_update().get(pk=task.pk)
        claim = Claim.objects.get(pk=claim.pk, task=task)
        task.completed_claim = claim
        task.completed_at = task.completed_at or timezone.now()
        task.save(update_fields=["completed_claim", "completed_at", "updated_at"])
    return task


def pull_request_owner(url: str, excluding: Claim | None = None) -> Person | None:
    """The person whose claims already hold this pull request (any spelling of its URL)."""
    key = pull_request_key(url)
    pulls = PullRequest.objects.select_related("claim__person")
    if excluding is not None:
        pulls = pulls.exclude(claim__person_id=excluding.person_id)
    owner_repo, _sep, number = (key or "").rpartition("/")
    for pull in pulls.filter(url__iendswith=f"/pull/{number}"):
        if pull_request_key(pull.url) == key:
            return pull.claim.person
    return None


def check_on_github(url: str, person: Person) -> None:
    """With a GitHub token, a link added by hand must be a real pull request by the claimant
    (checked before any row is locked: GitHub may be slow)."""
    from . import github_api

    if not github_api.configured():
        return
    key = pull_request_key(url) or ""
    owner_repo, _sep, number = key.rpartition("/")
    try:
        pull = github_api.pull_request(owner_repo, int(number))
    except (github_api.GitHubAPIError, ValueError) as error:
        raise TransitionError(
            _("GitHub could not be asked about this pull request now; try again later."),
            code="github_unavailable",
        ) from error
    if pull is None:
        raise TransitionError(_("This pull request does not exist on GitHub."), code="no_pr")
    author = str((pull.get("user") or {}).get("login") or "")
    if author.lower() != person.github.lower():
        raise TransitionError(
            _("This pull request was opened by @%(author)s, not by @%(login)s.")
            % {"author": author or "?", "login": person.github},
            code="not_author",
        )


def record_pull_request(
    claim: Claim,
    url: str,
    actor,
    *,
    merged: bool = False,
    completes: bool = True,
    note: str = "",
    max_state: ClaimState = ClaimState.COMPLETED,
) -> PullRequest:
    """Add a PR link to a claim and move the claim along: to 提交PR at least; when the PR is
    merged (system or staff only) to 完成任务, or to 部分完成 when `completes` is False
    (`-part` PRs). If another claim completed the task first, the claim stops at 部分完成.
    `max_state` caps the move (a code PR held until its RFC is merged). A pull request belongs
    to one person's claims. Idempotent for the system: the same event twice changes nothing."""
    actor = as_actor(actor)
    try:
        url = canonical_pull_request_url(url or "")
    except ValidationError as error:
        raise TransitionError(" ".join(error.messages), code="invalid_url") from error
    if merged and not actor.is_privileged:
        raise NotAllowed(_("Only the staff or GitHub can record a merged pull request."))
    if not actor.is_privileged:
        check_on_github(url, claim.person)
    with transaction.atomic():
        task, locked = _lock(claim)
        _check_may_update(locked, task, actor)
        owner = pull_request_owner(url, excluding=locked)
        if owner is not None:
            raise TransitionError(
                _("This pull request is already on @%(login)s's claim.") % {"login": owner.github},
                code="taken",
            )
        if not actor.is_privileged and task.needs_rfc and locked.state < ClaimState.DESIGN_DONE:
            raise TransitionError(
                _(
                    "Task No.%(n)s needs an RFC: the design document must be merged "
                    "(完成设计文档) before the pull request."
                )
                % {"n": task.label},
                code="needs_rfc",
            )
        pull, created = PullRequest.objects.get_or_create(claim=locked, url=url)
        if not created and not merged and not actor.is_privileged:
            raise TransitionError(_("This pull request is already on the claim."), "duplicate")
        now = timezone.now()
        if merged and not pull.merged:
            pull.merged = True
            pull.merged_at = now
            pull.save(update_fields=["merged", "merged_at"])
        target = ClaimState.PR_SUBMITTED
        if merged:
            target = ClaimState.COMPLETED if completes else ClaimState.PARTIAL
            taken = task.completed_claim_id not in (None, locked.pk)
            if target == ClaimState.COMPLETED and taken and not actor.is_staff:
                target = ClaimState.PARTIAL if locked.state < ClaimState.PARTIAL else locked.state
        held = target > max_state and locked.state < target
        # A held PR remembers where it would take the claim; one that moves the claim (or
        # asks for no more than it has) is not held any more.
        held_state = max(target, pull.held_state or 0) if held else None
        if held_state != pull.held_state:
            pull.held_state = held_state
            pull.save(update_fields=["held_state"])
        target = min(target, max_state)
        if locked.state < target:
            if target == ClaimState.COMPLETED and task.completed_claim_id is None:
                _complete_task(task, locked, now)
            locked = _move(task, locked, target, actor, note or url, now=now)
    claim.state = locked.state
    return pull


def release_held_pull_request(pull: PullRequest, actor, note: str = "") -> Claim:
    """Staff release a code PR held because its task needs an RFC (the claim had no merged
    design document): the PR takes the effect it was held from (提交PR, or 部分完成 / 完成任务
    when it was merged; 部分完成 when another claim completed the task first). The claimant
    is told by e-mail, and the PR on GitHub."""
    actor = as_actor(actor)
    if not actor.is_staff:
        raise NotAllowed(_("Only the staff may release a held pull request."))
    with transaction.atomic():
        task, locked = _lock(pull.claim)
        current = PullRequest.objects.select_for_update().filter(pk=pull.pk).first()
        if current is None or current.held_state is None:
            raise TransitionError(_("This pull request is not held (any more)."), code="not_held")
        target = ClaimState(current.held_state)
        taken = task.completed_claim_id not in (None, locked.pk)
        if target == ClaimState.COMPLETED and taken:
            target = ClaimState.PARTIAL
        current.held_state = None
        current.save(update_fields=["held_state"])
        now = timezone.now()
        text = _("Held pull request released: %(url)s") % {"url": current.url}
        if note:
            text = f"{text} {note}"
        if locked.state < target:
            if target == ClaimState.COMPLETED and task.completed_claim_id is None:
                _complete_task(task, locked, now)
            locked = transition(
                locked,
                actor,
                to=target,
                action="release_held_pr",
                note=text,
                changes={"state_changed_at": now},
                notify=lambda fresh, entry: _notify_claimant(
                    _with(fresh, task, locked.person), entry, actor
                ),
            )
            locked.task, locked.person = task, pull.claim.person
        else:
            record(locked, actor, "release_held_pr", from_state=locked.state, note=text)
        _reply_released(current, task, locked)
    pull.held_state = None
    pull.claim.state = locked.state
    return locked


def _with(claim: Claim, task: Task, person: Person) -> Claim:
    claim.task, claim.person = task, person
    return claim


def _reply_released(pull: PullRequest, task: Task, claim: Claim) -> None:
    """The PR on GitHub hears that staff released it (recorded only, without a token)."""
    key = pull_request_key(pull.url) or ""
    repository, _sep, number = key.rpartition("/")
    parts = pull.url.rstrip("/").split("/")
    if not repository or not number.isdigit() or len(parts) < 7:
        return
    login = claim.person.github
    state = ClaimState(claim.state)
    with translation.override("zh-hans"):
        chinese = str(state.label)
    with translation.override("en"):
        english = str(state.label)
    body = (
        f"@{login} 工作人员已放行此PR（赛题【{task.label}】），当前状态：{chinese}\n\n"
        f"Staff released this pull request for task No.{task.label}: the claim is at "
        f"“{english}”."
    )
    queue_reply(None, f"{parts[3]}/{parts[4]}", int(number), f"{key}:released:{task.pk}", body)


def record_rfc(claim: Claim, url: str, actor, *, merged: bool, note: str = "") -> Claim:
    """A PR in the set's RFC repository: 提交RFC when opened, 完成设计文档 when merged."""
    actor = as_actor(actor)
    target = ClaimState.DESIGN_DONE if merged else ClaimState.RFC_SUBMITTED
    with transaction.atomic():
        task, locked = _lock(claim)
        _check_may_update(locked, task, actor)
        if locked.state < target:
            locked = _move(task, locked, target, actor, note or url)
    claim.state = locked.state
    return locked


def remove_pull_request(pull: PullRequest, actor) -> None:
    actor = as_actor(actor)
    with transaction.atomic():
        task, claim = _lock(pull.claim)
        _check_may_update(claim, task, actor)
        if pull.merged and not actor.is_privileged:
            raise NotAllowed(_("A merged pull request can only be removed by the staff."))
        pull.delete()


# --- Tasks ---------------------------------------------------------------------------------


def _staff(actor: Actor, _subject) -> bool:
    return actor.is_privileged


def withdraw_task(task: Task, actor, note: str = "") -> Task:
    """Staff withdraw a task: it leaves the board's counts and takes no claims."""
    return transition(
        task,
        actor,
        to=Task.State.WITHDRAWN,
        allowed_from=[Task.State.OPEN],
        may=_staff,
        action="withdraw",
        note=note,
        denied_message=_("Only the staff may withdraw a task."),
    )


def reopen_task(task: Task, actor, note: str = "") -> Task:
    return transition(
        task,
        actor,
        to=Task.State.OPEN,
        allowed_from=[Task.State.WITHDRAWN],
        may=_staff,
        action="reopen",
        note=note,
        denied_message=_("Only the staff may reopen a task."),
    )


# --- Editions and results ------------------------------------------------------------------

EDITION_STATES_BY_HAND = [
    Edition.State.DRAFT,
    Edition.State.UPCOMING,
    Edition.State.OPEN,
    Edition.State.CLOSED,
]


def change_edition_state(edition: Edition, state, actor, note: str = "") -> Edition:
    """Staff open, close (or return to draft) an edition. Publishing results has its own
    change (`publish_results`), which issues certificates and e-mails."""
    if state == Edition.State.RESULTS_PUBLISHED:
        return publish_results(edition, actor)
    if state not in EDITION_STATES_BY_HAND:
        raise TransitionError(_("Unknown state."), code="invalid_state")
    return transition(
        edition,
        actor,
        to=state,
        may=_staff,
        action="change_state",
        note=note,
        denied_message=_("Only the staff may change an edition's state."),
    )


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _of_activity(scope) -> dict:
    """The filter of an activity's results and objections: an edition, or a standalone
    activity (a task set without an edition). An edition's set has the edition's results."""
    if not isinstance(scope, Edition) and scope.edition_id is not None:
        raise TransitionError(
            _("%(set)s belongs to %(edition)s: its results are the edition's.")
            % {"set": scope.name, "edition": scope.edition},
            code="edition_set",
        )
    return activity_filter(scope)


def _results_rule(scope) -> tuple[dict[int, TaskSet], Decimal | None]:
    """The sets whose completed tasks count, and the cap on a person's reward (None: none)."""
    if isinstance(scope, Edition):
        task_sets = TaskSet.objects.filter(edition=scope).select_related("edition")
        return {task_set.pk: task_set for task_set in task_sets}, scope.reward_cap
    if scope.reward_star_value is None:
        raise TransitionError(
            _(
                "%(set)s has no reward rule: give it a value of one star (0 for none) in the "
                "admin before computing its results."
            )
            % {"set": scope.name},
            code="no_rule",
        )
    return {scope.pk: scope}, scope.reward_cap


def compute_results(scope, actor) -> list[Result]:
    """(Re)compute the results of an edition or of a standalone activity from completed
    claims: per person the completed tasks, stars, reward and rank (ties share a rank); ranks
    1–3 of an edition are 飞桨开源之星. Each task set's reward rule (its star value, else the edition's)
    applies to its own tasks; the cap (the edition's, or the activity's when it has one)
    applies to the person's total. `Result.by_set` keeps the figures of each set."""
    actor = as_actor(actor)
    if not actor.is_privileged:
        raise NotAllowed(_("Only the staff may compute results."))
    of_activity = _of_activity(scope)
    task_sets, cap = _results_rule(scope)
    completed = Claim.objects.filter(
        task__task_set__in=list(task_sets), task__state=Task.State.OPEN, state=ClaimState.COMPLETED
    )
    per_set: dict[int, dict[int, dict]] = {}
    for person_id, set_id, number, identifier, difficulty in completed.order_by(
        "task__task_set__order", "task__task_set_id", "task__number"
    ).values_list(
        "person_id", "task__task_set_id", "task__number", "task__identifier", "task__difficulty"
    ):
        part = per_set.setdefault(person_id, {}).setdefault(
            set_id, {"tasks": [], "stars": Decimal(0)}
        )
        part["tasks"].append(identifier or number)  # C-115 where named so
        part["stars"] += difficulty
    rows = []
    for person_id, parts in per_set.items():
        by_set, numbers, stars, reward = [], [], Decimal(0), Decimal(0)
        for set_id, part in parts.items():
            task_set = task_sets[set_id]
            set_reward = _money(part["stars"] * task_set.reward_star_value)
            by_set.append(
                {
                    "set": task_set.slug,
                    "name": task_set.name,
                    "tasks": part["tasks"],
                    "stars": format(part["stars"].normalize(), "f"),
                    "reward": format(set_reward, "f"),
                }
            )
            numbers += part["tasks"]
            stars += part["stars"]
            reward += set_reward
        rows.append(
            {
                "person_id": person_id,
                "count": len(numbers),
                "stars": stars,
                "numbers": numbers,
                "by_set": by_set,
                "reward": _money(reward if cap is None else min(reward, cap)),
            }
        )
    logins = dict(
        Person.objects.filter(pk__in=[row["person_id"] for row in rows]).values_list("pk", "github")
    )
    rows.sort(key=lambda row: (-row["stars"], -row["count"], logins[row["person_id"]].lower()))
    now = timezone.now()
    results = []
    with transaction.atomic():
        # The activity's row is locked: two staff computing at once write one table.
        type(scope).objects.select_for_update().get(pk=scope.pk)
        Result.objects.filter(**of_activity).exclude(
            person_id__in=[row["person_id"] for row in rows]
        ).delete()
        rank = 0
        previous = None
        for position, row in enumerate(rows, start=1):
            key = (row["stars"], row["count"])
            if key != previous:
                rank = position
                previous = key
            result, _created = Result.objects.update_or_create(
                **of_activity,
                person_id=row["person_id"],
                defaults={
                    "rank": rank,
                    "completed_tasks": row["count"],
                    "task_numbers": row["numbers"],
                    "by_set": row["by_set"],
                    "stars": row["stars"],
                    "reward": row["reward"],
                    # 飞桨开源之星 are an edition's top three.
                    "is_open_source_star": rank <= 3 and isinstance(scope, Edition),
                    "computed_at": now,
                },
            )
            results.append(result)
        record(
            scope,
            actor,
            "compute_results",
            from_state=scope.state,
            note=_("%(count)s ranked.") % {"count": len(results)},
        )
        if scope.results_published:
            issue_certificates(scope)
    return results


def results_mail_recipients(results) -> list[str]:
    return [r.person.user.email for r in results if r.person.user and r.person.user.email]


def publish_results(scope, actor, objection_deadline=None, note: str = ""):
    """Publish the computed results of an edition or of a standalone activity: the results
    page, CSV and JSON show them, certificates are issued and every ranked person with an
    account is told. Objections open until the deadline (the activity's, or a week from now
    when it has none). Publishing again only issues missing certificates. A standalone activity
    takes no claims once its results are published, as an edition."""
    actor = as_actor(actor)
    if not actor.is_privileged:
        raise NotAllowed(_("Only the staff may publish results."))
    _of_activity(scope)
    model = type(scope)
    published_state = model.State.RESULTS_PUBLISHED
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=scope.pk)
        was_published = current.results_published
        if not Result.objects.filter(**_of_activity(current)).exists():
            compute_results(current, actor)
        now = timezone.now()
        deadline = current.objection_deadline
        if objection_deadline is not None:
            deadline = objection_deadline
        elif deadline is None:
            deadline = now + timedelta(days=DEFAULT_OBJECTION_DAYS)

        def publish(locked, entry):
            results = issue_certificates(locked)
            if was_published:
                return
            for email in results_mail_recipients(results):
                queue_mail(
                    email,
                    "hackathon/email/results_published",
                    {"edition": locked, "site_url": settings.SITE_URL},
                )

        changes = {"objection_deadline": deadline}
        if not was_published:
            changes["results_published_at"] = now
        locked = transition(
            current,
            actor,
            to=published_state,
            action="publish_results",
            note=note,
            changes=changes,
            after=publish,
        )
    scope.state = locked.state
    scope.objection_deadline = locked.objection_deadline
    scope.results_published_at = locked.results_published_at
    return locked


def issue_certificates(scope) -> list[Result]:
    """A certificate for every result (of an edition or a standalone activity) with completed
    tasks that has none yet."""
    results = list(
        Result.objects.filter(**_of_activity(scope)).select_related("person__user", "certificate")
    )
    for result in results:
        if result.completed_tasks and not hasattr(result, "certificate"):
            Certificate.objects.create(result=result)
    return results


# --- Objections ----------------------------------------------------------------------------


def file_objection(scope, user, text: str) -> Objection:
    """A signed-in person objects to the published results of an edition or of a standalone
    activity, once, until the deadline."""
    actor = Actor.of(user)
    of_activity = _of_activity(scope)
    text = (text or "").strip()
    if not scope.results_published:
        raise TransitionError(_("The results are not published yet."), code="not_published")
    if not scope.objections_open():
        raise TransitionError(
            _("The objection period ended on %(deadline)s.")
            % {"deadline": timezone.localtime(scope.objection_deadline).strftime("%Y-%m-%d %H:%M")}
            if scope.objection_deadline
            else _("This edition takes no objections."),
            code="deadline",
        )
    if not text:
        raise TransitionError(_("Please describe your objection."), code="empty")
    if len(text) > MAX_OBJECTION_LENGTH:
        raise TransitionError(
            _("Please keep it under %(count)s characters.") % {"count": MAX_OBJECTION_LENGTH},
            code="too_long",
        )
    person = Person.objects.of_user(user)
    if person is None:
        raise TransitionError(
            _("Your account has no GitHub login: sign in with GitHub to file an objection."),
            code="needs_login",
        )
    try:
        with transaction.atomic():
            objection = Objection.objects.create(**of_activity, person=person, user=user, text=text)
            record(objection, actor, "file")
            if settings.STAFF_NOTIFY_EMAILS:
                queue_mail(
                    settings.STAFF_NOTIFY_EMAILS,
                    "hackathon/email/objection_filed",
                    {"objection": objection, "site_url": settings.SITE_URL},
                )
    except IntegrityError as error:
        raise TransitionError(
            _("You have already filed an objection for this edition.")
            if isinstance(scope, Edition)
            else _("You have already filed an objection for this activity."),
            code="duplicate",
        ) from error
    return objection


def answer_objection(objection: Objection, actor, answer: str) -> Objection:
    """Staff answer (or correct their answer to) an objection; the person is told."""
    actor = as_actor(actor)
    answer = (answer or "").strip()
    if actor.is_staff and not answer:
        raise TransitionError(_("The answer is empty."), code="empty")

    def tell(locked, entry):
        email = locked.user.email if locked.user else ""
        if email:
            queue_mail(
                email,
                "hackathon/email/objection_answered",
                {"objection": locked, "site_url": settings.SITE_URL},
            )

    return transition(
        objection,
        actor,
        to=Objection.State.ANSWERED,
        may=lambda actor, locked: actor.is_staff,
        action="answer",
        changes={
            "answer": answer[: limits.TEXT],
            "answered_by": actor.user,
            "answered_at": timezone.now(),
        },
        notify=tell,
        locked_queryset=Objection.objects.select_related(
            "person__user", "edition", "task_set", "user"
        ),
        denied_message=_("Only the staff may answer objections."),
    )


# --- GitHub deliveries ---------------------------------------------------------------------


def open_delivery(delivery_id: str, *, handled: bool, result: str = "", **fields):
    """Record a delivery the first time its id arrives; None when the id is known already."""
    state = WebhookDelivery.State.PENDING if handled else WebhookDelivery.State.IGNORED
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                delivery_id=delivery_id, state=state, result=result[: limits.TEXT], **fields
            )
            record(delivery, GITHUB, "receive")
    except IntegrityError:
        return None
    return delivery


def finish_delivery(delivery: WebhookDelivery, state, result: str = "", error: str = ""):
    """The outcome of one run of a delivery: applied, nothing to do, a staff look, failed."""
    return transition(
        delivery,
        GITHUB,
        to=state,
        action="process",
        note=(error or "")[: limits.NOTE],
        changes={
            "result": (result or "")[: limits.TEXT],
            "error": (error or "")[-limits.TEXT :],
            "attempts": delivery.attempts,
            "processed_at": timezone.now(),
        },
    )


def retry_delivery(delivery: WebhookDelivery, actor, run) -> WebhookDelivery:
    """Staff run a failed (or "needs a look") delivery again, e.g. after listing the repository
    or fixing the task; `run(delivery)` applies it (the changes are idempotent)."""
    actor = as_actor(actor)
    if not actor.is_staff:
        raise NotAllowed(_("Only the staff may retry a delivery."))
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        if not locked.can_retry:
            raise TransitionError(
                _("Delivery %(id)s was %(status)s: there is nothing to retry.")
                % {"id": locked.delivery_id, "status": locked.get_state_display()},
                code="not_retryable",
            )
        record(locked, actor, "retry", from_state=locked.state)
        return run(locked)


def record_pull_request_status(key: str, values: dict) -> PullRequestStatus:
    """Remember a PR's state as GitHub last told it (a mirror of GitHub, not a workflow of the
    site: no history row). A stale event (older than what we have, e.g. a late redelivery)
    changes nothing, and a merged PR stays merged."""
    status = PullRequestStatus.objects.select_for_update().filter(key=key).first()
    if status is None:
        try:
            with transaction.atomic():
                return PullRequestStatus.objects.create(key=key, **values)
        except IntegrityError:
            status = PullRequestStatus.objects.select_for_update().get(key=key)
    if values["event_at"] < status.event_at:
        return status
    if status.state == PullRequestStatus.State.MERGED:
        values = values | {"state": PullRequestStatus.State.MERGED}
    for name, value in values.items():
        setattr(status, name, value)
    status.save()
    return status


# --- Replies on GitHub ---------------------------------------------------------------------


def queue_reply(delivery, repository: str, issue_number: int, key: str, body: str):
    """Record a reply once per `key` (a redelivery does not reply twice); with a token, post it
    when the transaction commits, else keep it as recorded only."""
    from . import github_api, tasks

    state = GitHubReply.State.PENDING if github_api.configured() else GitHubReply.State.RECORDED
    try:
        with transaction.atomic():
            reply = GitHubReply.objects.create(
                delivery=delivery,
                key=key[:300],
                repository=repository[:140],
                issue_number=issue_number,
                body=body[: limits.NOTE],
                state=state,
            )
            record(reply, GITHUB, "queue")
    except IntegrityError:
        return None
    if state == GitHubReply.State.PENDING:
        transaction.on_commit(lambda: tasks.post_reply.enqueue(reply.pk))
    return reply


def reply_sent(reply):
    return transition(
        reply,
        GITHUB,
        to=GitHubReply.State.SENT,
        allowed_from=[GitHubReply.State.PENDING],
        action="send",
        changes={"attempts": reply.attempts + 1, "sent_at": timezone.now(), "last_error": ""},
    )


def reply_failed(reply, error: str, give_up: bool = False):
    return transition(
        reply,
        GITHUB,
        to=GitHubReply.State.FAILED if give_up else GitHubReply.State.PENDING,
        allowed_from=[GitHubReply.State.PENDING],
        action="fail",
        note=error,
        changes={"attempts": reply.attempts + 1, "last_error": error[: limits.NOTE]},
    )

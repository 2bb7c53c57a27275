"""Every change to hackathon data goes through these functions.

Each checks who may make the change, saves inside a transaction with the rows locked, writes
the claim's history and queues the e-mail a person would want. Views, the admin, management
commands and the GitHub webhook (`github.py`) all call them:

    actor = Actor.of(request.user)             # a signed-in user
    actor = Actor.system("github")             # automatic changes (webhooks)
    claim_tasks(edition, user, "2、3", team_name="")
    advance_claim(claim, Claim.State.PR_SUBMITTED, actor, note="")
    find_claims(edition, github_login, numbers) / ensure_claim(task, person, system_actor)
    record_pull_request(claim, url, actor, merged=False, completes=True)
    correct_claim(claim, state, staff_actor, note)  # staff: any state, even down, recorded
    compute_results(edition, actor) / publish_results(edition, actor)
    file_objection(edition, user, text) / answer_objection(objection, actor, answer)

Rules: a claimant moves their own claim up to 提交PR (while the edition is open) and adds PR
links; 部分完成 and 完成任务 are staff decisions, or follow from a merged PR recorded by the
system; the first claim to reach 完成任务 completes the task and later ones cannot, unless
staff decide; staff may correct anything, and corrections are recorded.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common.validators import validate_github_login
from pfcc.mail import queue_mail
from pfcc.models import Person

from .models import (
    CLAIMANT_MAX_STATE,
    Certificate,
    Claim,
    ClaimState,
    ClaimStateChange,
    Edition,
    Objection,
    PullRequest,
    Result,
    Task,
)
from .validators import canonical_pull_request_url

MAX_NUMBERS_PER_CLAIM = 100
MAX_TASK_NUMBER = 100_000
MAX_OBJECTION_LENGTH = 5000
DEFAULT_OBJECTION_DAYS = 7


class ServiceError(Exception):
    """A change that cannot be made; the message is shown to the user as it is."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return str(self.message)


class NotAllowed(ServiceError):
    """The actor may not make this change (views answer 403)."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("You may not make this change."), code="forbidden")


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a user, or the system (webhooks, commands)."""

    user: object | None = None
    label: str = ""

    @classmethod
    def of(cls, user) -> "Actor":
        if user is None or not getattr(user, "is_authenticated", False):
            raise NotAllowed(_("Please sign in first."))
        return cls(user=user, label=user.get_username())

    @classmethod
    def system(cls, label: str = "system") -> "Actor":
        return cls(user=None, label=label)

    @property
    def is_system(self) -> bool:
        return self.user is None

    @property
    def is_staff(self) -> bool:
        return self.user is not None and self.user.is_active and self.user.is_staff

    @property
    def is_privileged(self) -> bool:
        return self.is_system or self.is_staff

    def owns(self, claim: Claim) -> bool:
        return self.user is not None and claim.person.user_id == self.user.pk


def as_actor(actor) -> Actor:
    return actor if isinstance(actor, Actor) else Actor.of(actor)


def can_update_claim(user, claim: Claim) -> bool:
    """May this user change the claim at all (staff, or the claimant while the edition is open)?"""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return claim.person.user_id == user.pk and claim.task.edition.accepts_claims


def allowed_states(user, claim: Claim) -> list[ClaimState]:
    """The states this user may move the claim up to."""
    if not can_update_claim(user, claim):
        return []
    top = ClaimState.COMPLETED if user.is_staff else CLAIMANT_MAX_STATE
    return [state for state in ClaimState if claim.state < state <= top]


# --- Persons -------------------------------------------------------------------------------


def person_for_user(user, github_login: str | None = None) -> Person:
    """The person of a signed-in user. An account without one (e-mail sign-up) may name a GitHub
    login that no one has yet; a login already known must be claimed by signing in with GitHub."""
    person = Person.objects.of_user(user)
    if person is not None:
        return person
    login = (github_login or "").strip().lstrip("@")
    if not login:
        raise ServiceError(
            _("Your account has no GitHub login yet: sign in with GitHub, or enter your login."),
            code="needs_login",
        )
    try:
        validate_github_login(login)
    except ValidationError as error:
        raise ServiceError(" ".join(error.messages), code="needs_login") from error
    if Person.objects.by_login(login).exists():
        raise ServiceError(
            _(
                "@%(login)s is already known here: sign in with that GitHub account to use it, "
                "or ask the staff to link it to your account."
            )
            % {"login": login},
            code="needs_login",
        )
    return Person.objects.create(github=login, user=user, name=getattr(user, "name", ""))


# --- Claim lists ---------------------------------------------------------------------------

_FULLWIDTH = str.maketrans(
    {
        **{chr(0xFF10 + digit): str(digit) for digit in range(10)},
        "，": ",",
        "、": ",",
        "；": ",",
        ";": ",",
        "－": "-",
        "—": "-",
        "–": "-",
        "～": "-",
        "~": "-",
        "＃": "#",
        "　": " ",
        "．": ".",
        "Ｎ": "N",
        "ｏ": "o",
        "Ｏ": "O",
        "ｎ": "n",
    }
)
_TOKEN_RE = re.compile(r"^(?:no\.?)?#?(\d+)(?:-(?:no\.?)?#?(\d+))?$", re.IGNORECASE)


def parse_task_numbers(text: str) -> tuple[list[int], list[tuple[str, str]]]:
    """`2、3`, `2,3`, `2-5`, `No.2，No.5～7` → ([2, 3, …], [(bad token, reason), …])."""
    normalised = (text or "").translate(_FULLWIDTH)
    normalised = re.sub(r"\s*-\s*", "-", normalised)
    numbers: list[int] = []
    seen: set[int] = set()
    errors: list[tuple[str, str]] = []
    for token in re.split(r"[,\s]+", normalised):
        if not token:
            continue
        match = _TOKEN_RE.match(token)
        if match is None:
            errors.append((token, _("“%(token)s” is not a task number.") % {"token": token}))
            continue
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) else start
        if start > MAX_TASK_NUMBER or end > MAX_TASK_NUMBER:
            errors.append((token, _("“%(token)s” is not a task number.") % {"token": token}))
            continue
        if start < 1 or end < 1:
            errors.append((token, _("Task numbers start at 1.")))
            continue
        if end < start:
            errors.append(
                (token, _("“%(token)s”: a range goes from low to high.") % {"token": token})
            )
            continue
        if end - start >= MAX_NUMBERS_PER_CLAIM:
            errors.append((token, _("“%(token)s”: the range is too long.") % {"token": token}))
            continue
        for number in range(start, end + 1):
            if number not in seen:
                seen.add(number)
                numbers.append(number)
        if len(numbers) > MAX_NUMBERS_PER_CLAIM:
            break
    if len(numbers) > MAX_NUMBERS_PER_CLAIM:
        errors.append(
            (
                str(numbers[MAX_NUMBERS_PER_CLAIM]),
                _("At most %(count)s tasks can be claimed at once.")
                % {"count": MAX_NUMBERS_PER_CLAIM},
            )
        )
        numbers = numbers[:MAX_NUMBERS_PER_CLAIM]
    return numbers, errors


@dataclass
class ClaimOutcome:
    claimed: list[Claim] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (number, reason)


def claim_tasks(
    edition: Edition, user, text: str, team_name: str = "", github_login: str | None = None
) -> ClaimOutcome:
    """Claim one task or a list of them; each number is checked on its own, so a bad number
    is reported and the others are still claimed."""
    Actor.of(user)
    if not edition.accepts_claims:
        raise ServiceError(_("This edition does not accept claims now."), code="closed")
    person = person_for_user(user, github_login)
    team_name = (team_name or "").strip()[:100]
    numbers, errors = parse_task_numbers(text)
    outcome = ClaimOutcome(rejected=list(errors))
    if not numbers and not errors:
        outcome.rejected.append(("", _("Enter at least one task number.")))
        return outcome
    tasks = {task.number: task for task in Task.objects.filter(edition=edition, number__in=numbers)}
    mine = set(
        Claim.objects.filter(task__in=tasks.values(), person=person).values_list(
            "task_id", flat=True
        )
    )
    now = timezone.now()
    for number in numbers:
        task = tasks.get(number)
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
            try:
                with transaction.atomic():
                    claim = Claim.objects.create(
                        task=task,
                        person=person,
                        team_name=team_name,
                        created_at=now,
                        state_changed_at=now,
                    )
                    ClaimStateChange.objects.create(
                        claim=claim,
                        from_state=None,
                        to_state=ClaimState.CLAIMED,
                        actor=user,
                        actor_label=user.get_username(),
                        created_at=now,
                    )
            except IntegrityError:
                outcome.rejected.append(
                    (label, _("You have already claimed task No.%(n)s.") % {"n": number})
                )
                continue
            claim.task = task
            claim.person = person
            outcome.claimed.append(claim)
    if outcome.claimed and user.email:
        with transaction.atomic():
            queue_mail(
                user.email,
                "hackathon/email/claimed",
                {"edition": edition, "claims": outcome.claimed, "site_url": settings.SITE_URL},
            )
    return outcome


def find_claims(edition: Edition, github_login: str, numbers) -> list[Claim]:
    """The claims of one GitHub login on these task numbers (for the webhook: a PR titled
    `【Hackathon 7th No.24、26-28】` → `parse_task_numbers("24、26-28")`)."""
    return list(
        Claim.objects.filter(
            task__edition=edition,
            task__number__in=list(numbers),
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
    now = timezone.now()
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                task=task, person=person, team_name=team_name, created_at=now, state_changed_at=now
            )
            ClaimStateChange.objects.create(
                claim=claim,
                from_state=None,
                to_state=ClaimState.CLAIMED,
                actor=actor.user,
                actor_label=actor.label[:100],
                created_at=now,
            )
    except IntegrityError:
        return Claim.objects.get(task=task, person=person), False
    return claim, True


# --- State changes -------------------------------------------------------------------------


def _lock(claim: Claim) -> tuple[Task, Claim]:
    """Lock the task, then the claim (always in this order: no deadlocks)."""
    task = (
        Task.objects.select_for_update(of=("self",)).select_related("edition").get(pk=claim.task_id)
    )
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    locked.task = task
    locked.person = Person.objects.get(pk=locked.person_id)
    return task, locked


def _record(claim, from_state, to_state, actor: Actor, note: str, correction=False, now=None):
    now = now or timezone.now()
    claim.state = to_state
    claim.state_changed_at = now
    claim.save(update_fields=["state", "state_changed_at"])
    return ClaimStateChange.objects.create(
        claim=claim,
        from_state=from_state,
        to_state=to_state,
        actor=actor.user,
        actor_label=actor.label[:100],
        is_correction=correction,
        note=(note or "").strip(),
        created_at=now,
    )


def _notify_claimant(claim: Claim, change: ClaimStateChange, actor: Actor) -> None:
    """The claimant hears about changes someone else made to their claim."""
    user = claim.person.user
    if user is None or not user.email or actor.owns(claim):
        return
    queue_mail(
        user.email,
        "hackathon/email/claim_state",
        {"claim": claim, "change": change, "site_url": settings.SITE_URL},
    )


def _check_may_update(claim: Claim, task: Task, actor: Actor) -> None:
    if actor.is_privileged:
        return
    if not actor.owns(claim):
        raise NotAllowed(_("Only the claimant or the staff may change this claim."))
    if not task.edition.accepts_claims:
        raise ServiceError(_("This edition does not accept changes to claims now."), "closed")
    if not task.is_open:
        raise ServiceError(_("This task is withdrawn."), code="withdrawn")


def _to_state(state) -> ClaimState:
    try:
        return ClaimState(int(state))
    except (TypeError, ValueError) as error:
        raise ServiceError(_("Unknown state."), code="invalid_state") from error


def advance_claim(claim: Claim, state, actor, note: str = "") -> Claim:
    """Move a claim up. Claimants reach at most 提交PR; staff and the system go up to 完成任务.
    A step down (or sideways) is refused: use `correct_claim`."""
    actor = as_actor(actor)
    state = _to_state(state)
    with transaction.atomic():
        task, claim = _lock(claim)
        _check_may_update(claim, task, actor)
        if state > CLAIMANT_MAX_STATE and not actor.is_privileged:
            raise NotAllowed(
                _("“%(state)s” is decided by the staff or by a merged pull request.")
                % {"state": state.label}
            )
        if state <= claim.state:
            raise ServiceError(
                _("A claim only moves up: it is at “%(current)s” already.")
                % {"current": ClaimState(claim.state).label},
                code="not_monotonic",
            )
        now = timezone.now()
        if state == ClaimState.COMPLETED:
            if task.completed_claim_id is None:
                task.completed_claim = claim
                task.completed_at = now
                task.save(update_fields=["completed_claim", "completed_at", "updated_at"])
            elif task.completed_claim_id != claim.pk and not actor.is_staff:
                raise ServiceError(
                    _("Task No.%(n)s was already completed by another claim.") % {"n": task.number},
                    code="already_completed",
                )
        change = _record(claim, claim.state, state, actor, note, now=now)
        if state >= ClaimState.PARTIAL:
            _notify_claimant(claim, change, actor)
    return claim


def correct_claim(claim: Claim, state, actor, note: str = "") -> Claim:
    """A staff correction: any state, even down; recorded as a correction. The task's 完成队伍
    follows: it passes to the earliest other completed claim, or none."""
    actor = as_actor(actor)
    if not actor.is_staff:
        raise NotAllowed(_("Only the staff may correct a claim."))
    state = _to_state(state)
    with transaction.atomic():
        task, claim = _lock(claim)
        if state == claim.state:
            return claim
        now = timezone.now()
        change = _record(claim, claim.state, state, actor, note, correction=True, now=now)
        if state == ClaimState.COMPLETED and task.completed_claim_id is None:
            task.completed_claim = claim
            task.completed_at = now
            task.save(update_fields=["completed_claim", "completed_at", "updated_at"])
        elif state != ClaimState.COMPLETED and task.completed_claim_id == claim.pk:
            successor = (
                Claim.objects.filter(task=task, state=ClaimState.COMPLETED)
                .exclude(pk=claim.pk)
                .order_by("state_changed_at", "pk")
                .first()
            )
            task.completed_claim = successor
            task.completed_at = successor.state_changed_at if successor else None
            task.save(update_fields=["completed_claim", "completed_at", "updated_at"])
        _notify_claimant(claim, change, actor)
    return claim


def set_completing_claim(task: Task, claim: Claim, actor, note: str = "") -> Task:
    """Staff decide which completed claim is the task's 完成队伍."""
    actor = as_actor(actor)
    if not actor.is_staff:
        raise NotAllowed(_("Only the staff may decide who completed a task."))
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        claim = Claim.objects.select_for_update().get(pk=claim.pk, task=task)
        if claim.state != ClaimState.COMPLETED:
            correct_claim(claim, ClaimState.COMPLETED, actor, note)
            task.refresh_from_db()
        task.completed_claim = claim
        task.completed_at = task.completed_at or timezone.now()
        task.save(update_fields=["completed_claim", "completed_at", "updated_at"])
    return task


def record_pull_request(
    claim: Claim,
    url: str,
    actor,
    *,
    merged: bool = False,
    completes: bool = True,
    note: str = "",
) -> PullRequest:
    """Add a PR link to a claim and move the claim along: to 提交PR at least; when the PR is
    merged (system or staff only) to 完成任务, or to 部分完成 when `completes` is False
    (`-part` PRs). If another claim completed the task first, the claim stops at 部分完成.
    Idempotent for the system: the same event twice changes nothing the second time."""
    actor = as_actor(actor)
    try:
        url = canonical_pull_request_url(url or "")
    except ValidationError as error:
        raise ServiceError(" ".join(error.messages), code="invalid_url") from error
    if merged and not actor.is_privileged:
        raise NotAllowed(_("Only the staff or GitHub can record a merged pull request."))
    with transaction.atomic():
        task, claim = _lock(claim)
        _check_may_update(claim, task, actor)
        pull, created = PullRequest.objects.get_or_create(claim=claim, url=url)
        if not created and not merged and not actor.is_privileged:
            raise ServiceError(_("This pull request is already on the claim."), "duplicate")
        now = timezone.now()
        if merged and not pull.merged:
            pull.merged = True
            pull.merged_at = now
            pull.save(update_fields=["merged", "merged_at"])
        target = ClaimState.PR_SUBMITTED
        if merged:
            target = ClaimState.COMPLETED if completes else ClaimState.PARTIAL
            taken = task.completed_claim_id not in (None, claim.pk)
            if target == ClaimState.COMPLETED and taken and not actor.is_staff:
                target = ClaimState.PARTIAL if claim.state < ClaimState.PARTIAL else claim.state
        if claim.state < target:
            if target == ClaimState.COMPLETED and task.completed_claim_id is None:
                task.completed_claim = claim
                task.completed_at = now
                task.save(update_fields=["completed_claim", "completed_at", "updated_at"])
            change = _record(claim, claim.state, target, actor, note or url, now=now)
            if target >= ClaimState.PARTIAL:
                _notify_claimant(claim, change, actor)
    return pull


def remove_pull_request(pull: PullRequest, actor) -> None:
    actor = as_actor(actor)
    with transaction.atomic():
        task, claim = _lock(pull.claim)
        _check_may_update(claim, task, actor)
        if pull.merged and not actor.is_privileged:
            raise NotAllowed(_("A merged pull request can only be removed by the staff."))
        pull.delete()


# --- Results -------------------------------------------------------------------------------


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def reward_for(stars: Decimal, edition: Edition) -> Decimal:
    """stars × star value, capped per person."""
    return _money(min(Decimal(stars) * edition.star_value, edition.reward_cap))


def compute_results(edition: Edition, actor) -> list[Result]:
    """(Re)compute the results from completed claims: per person the completed tasks, stars,
    reward (capped) and rank (ties share a rank); ranks 1–3 are 飞桨开源之星."""
    actor = as_actor(actor)
    if not actor.is_privileged:
        raise NotAllowed(_("Only the staff may compute results."))
    completed = Claim.objects.filter(
        task__edition=edition, task__status=Task.Status.OPEN, state=ClaimState.COMPLETED
    )
    rows = list(
        completed.values("person_id").annotate(count=Count("id"), stars=Sum("task__difficulty"))
    )
    numbers: dict[int, list[int]] = {}
    for person_id, number in completed.order_by("task__number").values_list(
        "person_id", "task__number"
    ):
        numbers.setdefault(person_id, []).append(number)
    logins = dict(
        Person.objects.filter(pk__in=[row["person_id"] for row in rows]).values_list("pk", "github")
    )
    rows.sort(key=lambda row: (-row["stars"], -row["count"], logins[row["person_id"]].lower()))
    now = timezone.now()
    results = []
    with transaction.atomic():
        Result.objects.filter(edition=edition).exclude(
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
                edition=edition,
                person_id=row["person_id"],
                defaults={
                    "rank": rank,
                    "completed_tasks": row["count"],
                    "task_numbers": numbers.get(row["person_id"], []),
                    "stars": row["stars"],
                    "reward": reward_for(row["stars"], edition),
                    "is_open_source_star": rank <= 3,
                    "computed_at": now,
                },
            )
            results.append(result)
        if edition.results_published:
            issue_certificates(edition)
    return results


def publish_results(edition: Edition, actor, objection_deadline=None) -> Edition:
    """Publish the computed results: the results page, CSV and JSON show them, certificates are
    issued and every ranked person with an account is told. Objections open until the
    deadline (the edition's, or a week from now when it has none)."""
    actor = as_actor(actor)
    if not actor.is_privileged:
        raise NotAllowed(_("Only the staff may publish results."))
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        was_published = edition.results_published
        if not Result.objects.filter(edition=edition).exists():
            compute_results(edition, actor)
        now = timezone.now()
        if objection_deadline is not None:
            edition.objection_deadline = objection_deadline
        elif edition.objection_deadline is None:
            edition.objection_deadline = now + timedelta(days=DEFAULT_OBJECTION_DAYS)
        edition.status = Edition.Status.RESULTS_PUBLISHED
        edition.results_published_at = now
        edition.save(
            update_fields=["status", "results_published_at", "objection_deadline"],
        )
        results = issue_certificates(edition)
        if was_published:
            return edition
        emails = [r.person.user.email for r in results if r.person.user and r.person.user.email]
        for email in emails:
            queue_mail(
                email,
                "hackathon/email/results_published",
                {"edition": edition, "site_url": settings.SITE_URL},
            )
    return edition


def issue_certificates(edition: Edition) -> list[Result]:
    """A certificate for every result with completed tasks that has none yet."""
    results = list(
        Result.objects.filter(edition=edition).select_related("person__user", "certificate")
    )
    for result in results:
        if result.completed_tasks and not hasattr(result, "certificate"):
            Certificate.objects.create(result=result)
    return results


def file_objection(edition: Edition, user, text: str) -> Objection:
    """A signed-in person objects to the published results, once, until the deadline."""
    Actor.of(user)
    text = (text or "").strip()
    if not edition.results_published:
        raise ServiceError(_("The results are not published yet."), code="not_published")
    if not edition.objections_open():
        raise ServiceError(
            _("The objection period ended on %(deadline)s.")
            % {
                "deadline": timezone.localtime(edition.objection_deadline).strftime(
                    "%Y-%m-%d %H:%M"
                )
            }
            if edition.objection_deadline
            else _("This edition takes no objections."),
            code="deadline",
        )
    if not text:
        raise ServiceError(_("Please describe your objection."), code="empty")
    if len(text) > MAX_OBJECTION_LENGTH:
        raise ServiceError(
            _("Please keep it under %(count)s characters.") % {"count": MAX_OBJECTION_LENGTH},
            code="too_long",
        )
    person = Person.objects.of_user(user)
    if person is None:
        raise ServiceError(
            _("Your account has no GitHub login: sign in with GitHub to file an objection."),
            code="needs_login",
        )
    try:
        with transaction.atomic():
            objection = Objection.objects.create(
                edition=edition, person=person, user=user, text=text
            )
            if settings.STAFF_NOTIFY_EMAILS:
                queue_mail(
                    settings.STAFF_NOTIFY_EMAILS,
                    "hackathon/email/objection_filed",
                    {"objection": objection, "site_url": settings.SITE_URL},
                )
    except IntegrityError as error:
        raise ServiceError(
            _("You have already filed an objection for this edition."), code="duplicate"
        ) from error
    return objection


def answer_objection(objection: Objection, actor, answer: str) -> Objection:
    actor = as_actor(actor)
    if not actor.is_staff:
        raise NotAllowed(_("Only the staff may answer objections."))
    answer = (answer or "").strip()
    if not answer:
        raise ServiceError(_("The answer is empty."), code="empty")
    with transaction.atomic():
        objection = (
            Objection.objects.select_for_update(of=("self",))
            .select_related("person__user", "edition")
            .get(pk=objection.pk)
        )
        objection.answer = answer
        objection.status = Objection.Status.ANSWERED
        objection.answered_by = actor.user
        objection.answered_at = timezone.now()
        objection.save(update_fields=["answer", "status", "answered_by", "answered_at"])
        email = objection.user.email if objection.user else ""
        if email:
            queue_mail(
                email,
                "hackathon/email/objection_answered",
                {"objection": objection, "site_url": settings.SITE_URL},
            )
    return objection

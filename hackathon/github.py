"""GitHub webhook deliveries: record each one once, then apply it through the services.

    delivery, created = receive_delivery(delivery_id, event, payload)   # the webhook view
    retry_delivery(delivery, staff_user)                                  # the admin

A `pull_request` event always updates the PR's `PullRequestStatus` (camp reports show it).
When its title carries a hackathon tag (`【Hackathon 7th No.42】…`, see `pr_titles`) and the
repository is listed for that edition, the author's claims follow the PR:

- open (opened, reopened, ready for review, title edited): the PR link is added and the claim
  moves up to 提交PR (never down);
- merged: 完成任务, or 部分完成 for a `-part` PR or when another claim completed the task first;
- closed without merging: no change.

A PR for a task its author has not claimed creates the claim when the task is open, not
completed and the edition takes claims; an author the portal does not know yet becomes a
person (GitHub identities are persons, signed in or not). Anything that cannot be applied
(unknown edition or task, withdrawn task, repository not listed, bot author, …) is recorded on
the delivery as "needs a staff look" with the reason; nothing answers 500.
"""

import logging
import traceback
from dataclasses import dataclass, field
from datetime import UTC

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from common.validators import validate_github_login
from pfcc.models import Person

from . import services
from .models import (
    ClaimState,
    Edition,
    PullRequestStatus,
    Repository,
    Task,
    WebhookDelivery,
)
from .pr_titles import TitleError, parse_pr_title
from .validators import canonical_pull_request_url

logger = logging.getLogger(__name__)

SYSTEM = services.Actor.system("github")
HANDLED_EVENTS = {"pull_request", "ping"}
# Actions after which the PR's title and state are applied to claims; any other action
# (synchronize, labeled, …) only refreshes the PR's status.
APPLY_ACTIONS = {"opened", "reopened", "edited", "closed", "ready_for_review"}


@dataclass
class Outcome:
    status: str = WebhookDelivery.Status.IGNORED
    lines: list[str] = field(default_factory=list)

    def applied(self, line: str) -> None:
        if self.status == WebhookDelivery.Status.IGNORED:
            self.status = WebhookDelivery.Status.PROCESSED
        self.lines.append(line)

    def review(self, line: str) -> None:
        self.status = WebhookDelivery.Status.NEEDS_REVIEW
        self.lines.append(line)

    def note(self, line: str) -> None:
        self.lines.append(line)


# --- Recording -------------------------------------------------------------------------------


def _text(value, limit: int) -> str:
    # PostgreSQL text cannot hold NUL characters.
    return value.replace("\x00", "")[:limit] if isinstance(value, str) else ""


def _without_nul(value):
    """A JSON value without NUL characters in its strings (PostgreSQL's jsonb refuses them)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def trim_payload(event: str, payload: dict) -> dict:
    """The parts of GitHub's payload the portal reads (a PR event is ~25 KB, mostly unused
    repository and user details); stored on the delivery so a retry can re-run it."""
    if event == "ping":
        return {
            "zen": _text(payload.get("zen"), 200),
            "hook_id": payload.get("hook_id"),
            "repository": {
                "full_name": _text(_dict(payload.get("repository")).get("full_name"), 140)
            },
        }
    if event != "pull_request":
        return {}
    pull = _dict(payload.get("pull_request"))
    user = _dict(pull.get("user"))
    changes = _dict(payload.get("changes"))
    return {
        "action": _text(payload.get("action"), 50),
        "number": payload.get("number"),
        "changes": {key: changes[key] for key in ("title",) if key in changes},
        "pull_request": {
            key: pull.get(key)
            for key in (
                "html_url",
                "number",
                "title",
                "state",
                "merged",
                "draft",
                "created_at",
                "updated_at",
                "closed_at",
                "merged_at",
            )
        }
        | {
            "user": {key: user.get(key) for key in ("login", "id", "type", "avatar_url")},
        },
        "repository": {"full_name": _text(_dict(payload.get("repository")).get("full_name"), 140)},
    }


def _summary_fields(event: str, payload: dict) -> dict:
    pull = _dict(payload.get("pull_request"))
    return {
        "event": event[:50],
        "action": _text(payload.get("action"), 50),
        "repository": _text(_dict(payload.get("repository")).get("full_name"), 140),
        "pull_request_url": _text(pull.get("html_url"), 300),
        "title": _text(pull.get("title"), 500),
        "author": _text(_dict(pull.get("user")).get("login"), 100),
    }


def receive_delivery(delivery_id: str, event: str, payload: dict) -> tuple[WebhookDelivery, bool]:
    """Record a verified delivery and process it, once per delivery id. Returns
    (delivery, processed now). A redelivery of a processed id changes nothing; one of a
    failed id runs it again (the failed run changed nothing: it was rolled back)."""
    handled = event in HANDLED_EVENTS
    stored = _without_nul(trim_payload(event, payload)) if handled else {}
    with transaction.atomic():
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    delivery_id=delivery_id,
                    payload=stored,
                    status=WebhookDelivery.Status.PENDING
                    if handled
                    else WebhookDelivery.Status.IGNORED,
                    result=""
                    if handled
                    else _("The portal does not handle “%(event)s” events.") % {"event": event},
                    **_summary_fields(event, payload),
                )
        except IntegrityError:
            delivery = WebhookDelivery.objects.select_for_update().get(delivery_id=delivery_id)
            if delivery.status not in {
                WebhookDelivery.Status.FAILED,
                WebhookDelivery.Status.PENDING,
            }:
                return delivery, False
        if not handled:
            return delivery, False
        process_delivery(delivery)
    return delivery, True


def process_delivery(delivery: WebhookDelivery) -> WebhookDelivery:
    """Run a delivery from its stored payload; its changes commit together or not at all, and
    the delivery records the outcome (or the error)."""
    delivery.attempts += 1
    try:
        with transaction.atomic():
            outcome = handle_event(delivery.event, delivery.payload)
    except Exception as error:  # recorded on the delivery, retried from the admin
        logger.exception("GitHub delivery %s failed", delivery.delivery_id)
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.error = f"{type(error).__name__}: {error}\n\n{traceback.format_exc()}"[-10000:]
    else:
        delivery.status = outcome.status
        delivery.result = "\n".join(outcome.lines)
        delivery.error = ""
    delivery.processed_at = timezone.now()
    delivery.save(update_fields=["status", "result", "error", "attempts", "processed_at"])
    return delivery


def retry_delivery(delivery: WebhookDelivery, actor) -> WebhookDelivery:
    """Staff run a failed (or "needs a look") delivery again, e.g. after listing the repository
    or fixing the task; the services are idempotent, so nothing happens twice."""
    actor = services.as_actor(actor)
    if not actor.is_staff:
        raise services.NotAllowed(_("Only the staff may retry a delivery."))
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        if not delivery.can_retry:
            raise services.ServiceError(
                _("Delivery %(id)s was %(status)s: there is nothing to retry.")
                % {"id": delivery.delivery_id, "status": delivery.get_status_display()},
                code="not_retryable",
            )
        return process_delivery(delivery)


# --- Handling --------------------------------------------------------------------------------


def handle_event(event: str, payload: dict) -> Outcome:
    outcome = Outcome()
    if event == "ping":
        outcome.applied(_("Ping: the webhook is set up."))
    elif event == "pull_request":
        handle_pull_request(payload, outcome)
    else:
        outcome.note(_("The portal does not handle “%(event)s” events.") % {"event": event})
    return outcome


def _state_of(pull: dict) -> str:
    if pull.get("merged"):
        return PullRequestStatus.State.MERGED
    if pull.get("state") == "closed":
        return PullRequestStatus.State.CLOSED
    return PullRequestStatus.State.OPEN


def _event_time(pull: dict):
    for key in ("updated_at", "closed_at", "created_at"):
        value = pull.get(key)
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value)
            except ValueError:
                parsed = None
            if parsed is not None:
                return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)
    return timezone.now()


def update_pull_request_status(url: str, payload: dict) -> PullRequestStatus | None:
    """Remember the PR's state for pages that show it. A stale event (older than what we
    have, e.g. a late redelivery) changes nothing, and a merged PR stays merged."""
    key = PullRequestStatus.key_for(url)
    if key is None:
        return None
    pull = _dict(payload.get("pull_request"))
    owner_repo, _sep, number = key.rpartition("/")
    values = {
        "url": url,
        "repository": _text(_dict(payload.get("repository")).get("full_name"), 140)
        or "/".join(url.split("/")[3:5]),
        "number": int(number),
        "title": _text(pull.get("title"), 500),
        "author": _text(_dict(pull.get("user")).get("login"), 100),
        "state": _state_of(pull),
        "draft": bool(pull.get("draft")),
        "event_at": _event_time(pull),
    }
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
        values["state"] = PullRequestStatus.State.MERGED
    for name, value in values.items():
        setattr(status, name, value)
    status.save()
    return status


def _person_for(user: dict) -> tuple[Person | None, str | None]:
    """(the PR author's person or None when new, a reason to stop or None)."""
    login = _text(user.get("login"), 100)
    if not login:
        return None, _("The pull request has no author login.")
    if user.get("type") == "Bot":
        return None, _("@%(login)s is a bot: bots do not claim tasks.") % {"login": login}
    github_id = user.get("id") if isinstance(user.get("id"), int) else None
    person = None
    if github_id is not None:
        person = Person.objects.filter(github_id=github_id).first()
    if person is None:
        person = Person.objects.by_login(login).first()
        if (
            person is not None
            and github_id is not None
            and person.github_id not in (None, github_id)
        ):
            return None, _(
                "The login @%(login)s is known here for another GitHub account: staff must "
                "check who this is."
            ) % {"login": login}
    if person is None:
        try:
            validate_github_login(login)
        except ValidationError:
            return None, _("“%(login)s” is not a GitHub login the portal accepts.") % {
                "login": login
            }
    return person, None


def _new_person(user: dict) -> Person:
    login = user["login"]
    github_id = user.get("id") if isinstance(user.get("id"), int) else None
    defaults = {}
    avatar = user.get("avatar_url")
    if isinstance(avatar, str) and avatar.startswith("https://") and len(avatar) <= 200:
        defaults["avatar_url"] = avatar
    if github_id is not None and not Person.objects.filter(github_id=github_id).exists():
        defaults["github_id"] = github_id
    person, _created = Person.objects.get_or_create_by_login(login, **defaults)
    return person


def handle_pull_request(payload: dict, outcome: Outcome) -> None:
    pull = _dict(payload.get("pull_request"))
    action = _text(payload.get("action"), 50)
    try:
        url = canonical_pull_request_url(_text(pull.get("html_url"), 300))
    except ValidationError:
        outcome.review(_("The event has no pull request address."))
        return
    status = update_pull_request_status(url, payload)
    outcome.note(
        _("Pull request state: %(state)s.") % {"state": status.get_state_display()}
        if status
        else _("Pull request state not recorded.")
    )
    if action not in APPLY_ACTIONS:
        outcome.note(_("Action “%(action)s” changes no claim.") % {"action": action})
        return
    if action == "edited" and "title" not in _dict(payload.get("changes")):
        outcome.note(_("The title did not change: no claim changes."))
        return
    state = _state_of(pull)
    if state == PullRequestStatus.State.CLOSED:
        outcome.note(_("Closed without merging: no claim changes."))
        return
    title = _text(pull.get("title"), 500)
    try:
        parsed = parse_pr_title(title)
    except TitleError as error:
        outcome.review(str(error))
        return
    if parsed is None:
        outcome.note(_("The title has no Hackathon tag: no claim changes."))
        return
    edition = (
        Edition.objects.visible().filter(number=parsed.edition).first()
        if parsed.edition is not None
        else None
    )
    if edition is None:
        outcome.review(_("There is no hackathon edition %(n)s.") % {"n": parsed.edition})
        return
    repository = _text(_dict(payload.get("repository")).get("full_name"), 140)
    if not Repository.objects.filter(edition=edition, full_name__iexact=repository).exists():
        outcome.review(
            _("%(repo)s is not listed for %(edition)s: add it to the edition's repositories.")
            % {"repo": repository or "?", "edition": edition}
        )
        return
    if edition.results_published:
        outcome.review(
            _("The results of %(edition)s are published: claims change only by staff decision.")
            % {"edition": edition}
        )
        return
    user = _dict(pull.get("user"))
    person, reason = _person_for(user)
    if reason:
        outcome.review(reason)
        return
    merged = state == PullRequestStatus.State.MERGED
    apply_to_tasks(edition, parsed, person, user, url, merged, outcome)
    if action == "edited" and person is not None:
        drop_renamed_tasks(edition, parsed, person, url, payload, outcome)


def drop_renamed_tasks(edition, parsed, person, url, payload, outcome) -> None:
    """A title edited from No.42 to No.43: the PR link leaves the claim on No.42 (unless it
    was merged there). The claim keeps its state (states only go up): staff take a look."""
    old_title = _dict(_dict(payload.get("changes")).get("title")).get("from")
    try:
        old = parse_pr_title(old_title if isinstance(old_title, str) else "")
    except TitleError:
        return
    if old is None or old.edition != parsed.edition:
        return
    dropped = sorted(set(old.numbers) - set(parsed.numbers))
    for claim in services.find_claims(edition, person.github, dropped):
        for pull in claim.pull_requests.filter(url=url, merged=False):
            services.remove_pull_request(pull, SYSTEM)
            outcome.review(
                _(
                    "No.%(n)s: the title no longer names this task; the pull request was "
                    "removed from @%(login)s's claim, which stays at %(state)s."
                )
                % {
                    "n": claim.task.number,
                    "login": person.github,
                    "state": claim.get_state_display(),
                }
            )


def apply_to_tasks(edition, parsed, person, user, url, merged, outcome) -> None:
    login = person.github if person else user["login"]
    tasks = {t.number: t for t in Task.objects.filter(edition=edition, number__in=parsed.numbers)}
    claims = (
        {c.task.number: c for c in services.find_claims(edition, login, parsed.numbers)}
        if person
        else {}
    )
    sprint = _(" (sprint)") if "sprint" in parsed.tag.split() else ""
    for number in parsed.numbers:
        label = f"No.{number}{sprint}"
        task = tasks.get(number)
        if task is None:
            outcome.review(
                _("%(task)s: %(edition)s has no such task.") % {"task": label, "edition": edition}
            )
            continue
        if not task.is_open:
            outcome.review(_("%(task)s: the task is withdrawn.") % {"task": label})
            continue
        claim = claims.get(number)
        if claim is None:
            if not edition.accepts_claims:
                outcome.review(
                    _(
                        "%(task)s: @%(login)s has not claimed it and %(edition)s takes no claims now."
                    )
                    % {"task": label, "login": login, "edition": edition}
                )
                continue
            if task.completed_claim_id is not None:
                outcome.review(
                    _("%(task)s: @%(login)s has not claimed it and it is already completed.")
                    % {"task": label, "login": login}
                )
                continue
            if person is None:
                person = _new_person(user)
                outcome.applied(_("New person @%(login)s.") % {"login": person.github})
            claim, created = services.ensure_claim(task, person, SYSTEM)
            if created:
                outcome.applied(
                    _("%(task)s: claim created for @%(login)s.")
                    % {"task": label, "login": person.github}
                )
        before = claim.state
        try:
            services.record_pull_request(
                claim, url, SYSTEM, merged=merged, completes=parsed.completes, note=url
            )
        except services.ServiceError as error:
            outcome.review(f"{label}: {error.message}")
            continue
        claim.refresh_from_db(fields=["state"])
        if claim.state != before:
            outcome.applied(
                _("%(task)s @%(login)s: %(before)s → %(after)s.")
                % {
                    "task": label,
                    "login": login,
                    "before": ClaimState(before).label,
                    "after": ClaimState(claim.state).label,
                }
            )
        else:
            outcome.applied(
                _("%(task)s @%(login)s: already at %(state)s.")
                % {"task": label, "login": login, "state": ClaimState(claim.state).label}
            )
        if merged and parsed.completes and claim.state != ClaimState.COMPLETED:
            outcome.review(
                _("%(task)s: another claim completed the task first; staff may decide.")
                % {"task": label}
            )

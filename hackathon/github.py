"""GitHub webhook deliveries: record each one once, then apply it through the transitions.

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
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from common.site import absolute_url
from common.validators import validate_github_login
from pfcc.models import Person

from . import transitions
from .claim_comments import CommentError, parse_claim_comment, written_order
from .models import (
    ClaimState,
    Edition,
    PullRequestStatus,
    Task,
    TaskSet,
    WebhookDelivery,
)
from .pr_titles import TitleError, parse_pr_title
from .validators import canonical_pull_request_url

logger = logging.getLogger(__name__)

SYSTEM = transitions.GITHUB
HANDLED_EVENTS = {"pull_request", "issue_comment", "ping"}
# Actions after which the PR's title and state are applied to claims; any other action
# (synchronize, labeled, …) only refreshes the PR's status.
APPLY_ACTIONS = {"opened", "reopened", "edited", "closed", "ready_for_review"}


@dataclass
class Outcome:
    result: str = WebhookDelivery.State.IGNORED
    lines: list[str] = field(default_factory=list)
    replies: list[tuple[str, tuple, str]] = field(default_factory=list)  # (kind, numbers, body)

    def applied(self, line: str) -> None:
        if self.result == WebhookDelivery.State.IGNORED:
            self.result = WebhookDelivery.State.PROCESSED
        self.lines.append(line)

    def review(self, line: str) -> None:
        self.result = WebhookDelivery.State.NEEDS_REVIEW
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
    if event == "issue_comment":
        comment = _dict(payload.get("comment"))
        issue = _dict(payload.get("issue"))
        user = _dict(comment.get("user"))
        return {
            "action": _text(payload.get("action"), 50),
            "comment": {
                "id": comment.get("id"),
                "body": _text(comment.get("body"), 5000),
                "html_url": _text(comment.get("html_url"), 300),
                # When it was written (and last edited) on GitHub: comments take effect in
                # this order, whatever the order of their deliveries (see `_later_comments`).
                "created_at": _text(comment.get("created_at"), 40),
                "updated_at": _text(comment.get("updated_at"), 40),
                "user": {key: user.get(key) for key in ("login", "id", "type", "avatar_url")},
            },
            "issue": {
                "number": issue.get("number"),
                "pull_request": bool(issue.get("pull_request")),
            },
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
    if event == "issue_comment":
        comment = _dict(payload.get("comment"))
        pull = {
            "html_url": comment.get("html_url"),
            "title": comment.get("body"),
            "user": comment.get("user"),
        }
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
        delivery = transitions.open_delivery(
            delivery_id,
            handled=handled,
            payload=stored,
            result=""
            if handled
            else _("The portal does not handle “%(event)s” events.") % {"event": event},
            **_summary_fields(event, payload),
        )
        if delivery is None:
            delivery = WebhookDelivery.objects.select_for_update().get(delivery_id=delivery_id)
            if delivery.state not in {
                WebhookDelivery.State.FAILED,
                WebhookDelivery.State.PENDING,
            }:
                return delivery, False
        if not handled:
            return delivery, False
        delivery = process_delivery(delivery)
    return delivery, True


def process_delivery(delivery: WebhookDelivery) -> WebhookDelivery:
    """Run a delivery from its stored payload; its changes commit together or not at all, and
    the delivery records the outcome (or the error)."""
    delivery.attempts += 1
    try:
        with transaction.atomic():
            outcome = handle_event(delivery.event, delivery.payload, delivery)
            queue_replies(delivery, outcome)
    except Exception as error:  # recorded on the delivery, retried from the admin
        logger.exception("GitHub delivery %s failed", delivery.delivery_id)
        message = f"{type(error).__name__}: {error}\n\n{traceback.format_exc()}"
        return transitions.finish_delivery(delivery, WebhookDelivery.State.FAILED, error=message)
    return transitions.finish_delivery(delivery, outcome.result, "\n".join(outcome.lines))


def queue_replies(delivery: WebhookDelivery, outcome: Outcome) -> None:
    """The replies on the PR, or on the task issue under the comment, once each."""
    payload = delivery.payload
    repository = _text(_dict(payload.get("repository")).get("full_name"), 140)
    if delivery.event == "issue_comment":
        number = _dict(payload.get("issue")).get("number")
        subject = f"comment-{_dict(payload.get('comment')).get('id')}"
    else:
        number = _dict(payload.get("pull_request")).get("number")
        subject = f"pull-{number}"
    if not repository or not isinstance(number, int):
        return
    for kind, numbers, body in outcome.replies:
        key = f"{repository.lower()}:{subject}:{kind}:{','.join(map(str, numbers))}"
        transitions.queue_reply(delivery, repository, number, key, body)


def retry_delivery(delivery: WebhookDelivery, actor) -> WebhookDelivery:
    """Staff run a failed (or "needs a look") delivery again, e.g. after listing the repository
    or fixing the task; the transitions are idempotent, so nothing happens twice."""
    return transitions.retry_delivery(delivery, actor, process_delivery)


# --- Handling --------------------------------------------------------------------------------


def handle_event(event: str, payload: dict, delivery: WebhookDelivery | None = None) -> Outcome:
    outcome = Outcome()
    if event == "ping":
        outcome.applied(_("Ping: the webhook is set up."))
    elif event == "pull_request":
        handle_pull_request(payload, outcome)
    elif event == "issue_comment":
        handle_issue_comment(payload, outcome, delivery)
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
    return transitions.record_pull_request_status(key, values)


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
        if person is not None and person.user_id is not None and not person.is_verified:
            # An account typed this login and never proved it by signing in with GitHub.
            return None, _(
                "@%(login)s was typed by an account that never signed in with GitHub: "
                "its claims are not credited until it does."
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


def _reply(outcome: Outcome, kind: str, numbers, body: str) -> None:
    """A reply for the PR or comment this delivery is about (posted once, see queue_reply)."""
    outcome.replies.append((kind, tuple(numbers), body))


def _reply_text(login: str, chinese: str, english: str) -> str:
    # The community's bot answered in Chinese; the site adds English for everyone else.
    return f"@{login} {chinese}\n\n{english}"


def _find_set(tag: str, outcome: Outcome, login: str) -> TaskSet | None:
    sets = TaskSet.objects.select_related("edition").for_tag(tag)
    sets = [s for s in sets if s.edition_id is None or s.edition.state != Edition.State.DRAFT]
    if not sets:
        outcome.review(_("No task set has the tag “%(tag)s”: nothing is credited.") % {"tag": tag})
        _reply(
            outcome,
            "set_unknown",
            (),
            _reply_text(
                login,
                f"PR标题中的赛题前缀【{tag}】不属于任何任务集，请检查标题格式。",
                f"No task set has the tag “{tag}”: please check the title.",
            ),
        )
        return None
    if len(sets) > 1:
        outcome.review(
            _("The tag “%(tag)s” names several task sets (%(sets)s): staff must fix the tags.")
            % {"tag": tag, "sets": ", ".join(str(s) for s in sets)}
        )
        return None
    return sets[0]


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
        parsed = parse_pr_title(title, TaskSet.objects.direct_tags())
    except TitleError as error:
        outcome.review(str(error))
        return
    if parsed is None:
        outcome.note(_("The title has no task tag: no claim changes."))
        return
    user = _dict(pull.get("user"))
    login = _text(user.get("login"), 100) or "?"
    task_set = _find_set(parsed.tag, outcome, login)
    if task_set is None:
        return
    repository = _text(_dict(payload.get("repository")).get("full_name"), 140)
    is_rfc = task_set.is_rfc_repository(repository)
    if not is_rfc and not task_set.counts_repository(repository):
        outcome.review(
            _("%(repo)s is not listed for %(set)s: add it to the set's repositories.")
            % {"repo": repository or "?", "set": task_set}
        )
        return
    if task_set.results_published:
        outcome.review(
            _("The results of %(edition)s are published: claims change only by staff decision.")
            % {"edition": task_set.edition}
        )
        return
    person, reason = _person_for(user)
    if reason:
        outcome.review(reason)
        return
    merged = state == PullRequestStatus.State.MERGED
    apply_to_tasks(task_set, parsed, person, user, url, merged, outcome, is_rfc=is_rfc)
    if action == "edited" and person is not None:
        drop_renamed_tasks(task_set, parsed, person, url, payload, outcome)


def drop_renamed_tasks(task_set, parsed, person, url, payload, outcome) -> None:
    """A title edited from No.42 to No.43: the PR link leaves the claim on No.42 (unless it
    was merged there). The claim keeps its state (states only go up): staff take a look."""
    old_title = _dict(_dict(payload.get("changes")).get("title")).get("from")
    try:
        old = parse_pr_title(
            old_title if isinstance(old_title, str) else "", TaskSet.objects.direct_tags()
        )
    except TitleError:
        return
    if old is None or old.tag != parsed.tag:
        return
    dropped = [key for key in old.keys if key not in parsed.keys]
    for claim in transitions.find_claims(task_set, person.github, dropped):
        for pull in claim.pull_requests.filter(url=url, merged=False):
            transitions.remove_pull_request(pull, SYSTEM)
            outcome.review(
                _(
                    "No.%(n)s: the title no longer names this task; the pull request was "
                    "removed from @%(login)s's claim, which stays at %(state)s."
                )
                % {
                    "n": claim.task.label,
                    "login": person.github,
                    "state": claim.get_state_display(),
                }
            )


def _unknown_task(outcome, task_set, login, number, label, kind="pull") -> None:
    outcome.review(_("%(task)s: %(set)s has no such task.") % {"task": label, "set": task_set})
    prefix = "PR" if kind == "pull" else "报名"
    _reply(
        outcome,
        "not_found",
        (number,),
        _reply_text(
            login,
            f"{prefix}赛题编号【{number}】不存在",
            f"Task No.{number} does not exist in {task_set}.",
        ),
    )


def apply_to_tasks(task_set, parsed, person, user, url, merged, outcome, is_rfc=False) -> None:
    login = person.github if person else user["login"]
    tasks = (
        Task.objects.filter(task_set=task_set)
        .select_related("task_set__edition", "edition")
        .by_keys(parsed.keys)
    )
    claims = (
        {c.task.key: c for c in transitions.find_claims(task_set, login, parsed.keys)}
        if person
        else {}
    )
    for number in parsed.keys:  # a task's number, or its identifier (C-115)
        label = f"No.{number}"
        task = tasks.get(number)
        if task is None:
            _unknown_task(outcome, task_set, login, number, label)
            continue
        if not task.is_open:
            outcome.review(_("%(task)s: the task is withdrawn.") % {"task": label})
            _reply(
                outcome,
                "withdrawn",
                (number,),
                _reply_text(
                    login, f"抱歉，赛题【{number}】已删除", f"Sorry, task No.{number} is withdrawn."
                ),
            )
            continue
        claim = claims.get(number)
        if claim is None:
            if not task_set.accepts_claims:
                outcome.review(
                    _("%(task)s: @%(login)s has not claimed it and %(set)s takes no claims now.")
                    % {"task": label, "login": login, "set": task_set}
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
            claim, created = transitions.ensure_claim(task, person, SYSTEM)
            if created:
                outcome.applied(
                    _("%(task)s: claim created for @%(login)s.")
                    % {"task": label, "login": person.github}
                )
        before = claim.state
        held = False
        try:
            if is_rfc:
                transitions.record_rfc(claim, url, SYSTEM, merged=merged, note=url)
            else:
                held = task.needs_rfc and claim.state < ClaimState.DESIGN_DONE
                transitions.record_pull_request(
                    claim,
                    url,
                    SYSTEM,
                    merged=merged,
                    completes=parsed.completes,
                    note=url,
                    max_state=claim.state if held else ClaimState.COMPLETED,
                )
        except transitions.TransitionError as error:
            outcome.review(f"{label}: {error.message}")
            continue
        claim.refresh_from_db(fields=["state"])
        if held:
            outcome.review(
                _(
                    "%(task)s: the task needs an RFC and @%(login)s has no merged design "
                    "document: the pull request is recorded and held at %(state)s until staff "
                    "release it."
                )
                % {"task": label, "login": login, "state": claim.get_state_display()}
            )
            _reply(
                outcome,
                "needs_rfc",
                (number,),
                _reply_text(
                    login,
                    "需要先提交rfc并通过后，再完成代码开发",
                    f"Task No.{number} needs an RFC: submit the design document and have it "
                    "merged before the code.",
                ),
            )
        elif claim.state != before:
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
        if (
            merged
            and not (is_rfc or held)
            and parsed.completes
            and claim.state != ClaimState.COMPLETED
        ):
            outcome.review(
                _("%(task)s: another claim completed the task first; staff may decide.")
                % {"task": label}
            )


# --- Claims by comment on a set's task issue -------------------------------------------------


def _comment_applied_before(comment: dict, delivery=None) -> bool:
    """Whether another delivery with this comment, as it reads now, was applied already."""
    comment_id = comment.get("id")
    if not isinstance(comment_id, int):
        return False
    body = _text(comment.get("body"), 5000)
    return any(
        _dict(payload.get("comment")).get("body") == body
        for payload in WebhookDelivery.objects.filter(
            event="issue_comment",
            state__in=[WebhookDelivery.State.PROCESSED, WebhookDelivery.State.NEEDS_REVIEW],
            payload__comment__id=comment_id,
        )
        .exclude(pk=getattr(delivery, "pk", None))
        .values_list("payload", flat=True)
    )


def _later_comments(
    repository: str, issue: int, comment: dict, delivery=None
) -> dict[str, tuple[str, str]]:
    """The tasks a later comment of the same person on the same issue claims or withdraws:
    {task key: (the last such comment's action, its address)}. Comments take effect in the order they
    were written on GitHub (`claim_comments.written_order`), not in the order their deliveries
    arrive: a withdrawal delivered before the claim it withdraws (a late delivery, a
    redelivery) still wins, and an old claim delivered late does not undo a later withdrawal."""
    user = _dict(comment.get("user"))
    login = _text(user.get("login"), 100).casefold()
    github_id = user.get("id") if isinstance(user.get("id"), int) else None
    mine = written_order(comment)
    later: dict[str, tuple[str, tuple, str]] = {}
    same_person = Q(payload__comment__user__login__iexact=login)
    if github_id is not None:
        same_person |= Q(payload__comment__user__id=github_id)
    others = (
        WebhookDelivery.objects.filter(
            same_person, event="issue_comment", payload__issue__number=issue
        )
        .exclude(pk=getattr(delivery, "pk", None))
        .values_list("payload", flat=True)
    )
    for payload in others:
        other = _dict(payload.get("comment"))
        other_user = _dict(other.get("user"))
        if _text(_dict(payload.get("repository")).get("full_name"), 140).lower() != (
            repository.lower()
        ):
            continue
        same_id = github_id is not None and other_user.get("id") == github_id
        if not same_id and _text(other_user.get("login"), 100).casefold() != login:
            continue
        if payload.get("action") not in {"created", "edited"}:
            continue
        order = written_order(other)
        if order <= mine:
            continue
        try:
            parsed = parse_claim_comment(_text(other.get("body"), 5000))
        except CommentError:
            continue
        if parsed is None:
            continue
        for key in parsed.keys:
            if key not in later or order > later[key][1]:
                later[key] = (parsed.action, order, _text(other.get("html_url"), 300))
    return {key: (action, url) for key, (action, _order, url) in later.items()}


def handle_issue_comment(payload: dict, outcome: Outcome, delivery=None) -> None:
    """`【报名】：2、3` claims, `【取消报名】：3` withdraws, on the set's task issue, through the
    same transitions as the site's form. An edited comment is read again (what it claims now
    is claimed; nothing is withdrawn behind the person's back); a deleted one changes nothing."""
    action = _text(payload.get("action"), 50)
    comment = _dict(payload.get("comment"))
    issue = _dict(payload.get("issue"))
    repository = _text(_dict(payload.get("repository")).get("full_name"), 140)
    number = issue.get("number") if isinstance(issue.get("number"), int) else None
    if action not in {"created", "edited"}:
        outcome.note(_("Action “%(action)s” changes no claim.") % {"action": action})
        return
    if number is None or issue.get("pull_request"):
        outcome.note(_("Not a comment on a task issue."))
        return
    task_set = TaskSet.objects.select_related("edition").for_issue(repository, number)
    if task_set is None:
        outcome.note(
            _("%(repo)s#%(n)s is no task set's issue.") % {"repo": repository, "n": number}
        )
        return
    user = _dict(comment.get("user"))
    login = _text(user.get("login"), 100) or "?"
    try:
        parsed = parse_claim_comment(_text(comment.get("body"), 5000))
    except CommentError as error:
        outcome.review(f"@{login}: {error}")
        _reply(outcome, "format", (), _reply_text(login, str(error), str(error)))
        return
    if parsed is None:
        outcome.note(_("The comment claims nothing."))
        return
    if _comment_applied_before(comment, delivery):
        # GitHub sent this comment again (a redelivery, even under a new delivery id): what
        # it claimed may have been withdrawn since, and must not come back.
        outcome.note(_("This comment was applied already: its redelivery changes nothing."))
        return
    if task_set.results_published or not task_set.accepts_claims:
        outcome.review(_("%(set)s takes no claims now.") % {"set": task_set})
        return
    person, reason = _person_for(user)
    if reason:
        outcome.review(reason)
        return
    if person is None:
        person = _new_person(user)
        outcome.applied(_("New person @%(login)s.") % {"login": person.github})
    # The last comment written on a task decides: a later one that does the opposite wins.
    later = _later_comments(repository, number, comment, delivery)
    superseded = [key for key in parsed.keys if key in later and later[key][0] != parsed.action]
    for key in superseded:
        outcome.note(
            (
                _("No.%(n)s: a later comment withdraws it; this claim does not count.")
                if parsed.action == "claim"
                else _("No.%(n)s: a later comment claims it again; this withdrawal does not count.")
            )
            % {"n": key}
            + (f" {later[key][1]}" if later[key][1] else "")
        )
    keys = [key for key in parsed.keys if key not in superseded]
    if not keys:
        return
    if parsed.action == "withdraw":
        for claim in transitions.find_claims(task_set, person.github, keys):
            try:
                transitions.withdraw_claim(claim, SYSTEM, note=_("By comment on GitHub."))
            except transitions.TransitionError as error:
                outcome.review(f"No.{claim.task.label}: {error.message}")
            else:
                outcome.applied(
                    _("No.%(n)s: @%(login)s withdrew the claim.")
                    % {"n": claim.task.label, "login": person.github}
                )
        return
    tasks = Task.objects.filter(task_set=task_set).by_keys(keys)
    for missing in [key for key in keys if key not in tasks]:
        _unknown_task(outcome, task_set, login, missing, f"No.{missing}", kind="comment")
    result = transitions.claim_numbers(
        tasks,
        person,
        [key for key in keys if key in tasks],
        SYSTEM,
        note=_("By comment on GitHub."),
    )
    for claim in result.claimed:
        outcome.applied(
            _("No.%(n)s: claimed by @%(login)s.") % {"n": claim.task.label, "login": login}
        )
    for label, why in result.rejected:
        if "already claimed" in str(why):
            outcome.note(f"{label}: {why}")  # a redelivered or edited comment
        else:
            outcome.review(f"{label}: {why}")
    if result.claimed:
        numbers = "、".join(claim.task.label for claim in result.claimed)
        board = absolute_url(task_set.get_absolute_url())
        _reply(
            outcome,
            "claimed",
            [claim.task.label for claim in result.claimed],
            _reply_text(
                login,
                f"报名成功：{numbers}。看板：{board}",
                f"Claim recorded: No.{numbers}. Board: {board}",
            ),
        )

"""One path for every state change.

Each app lists its state changes in one module, `<app>/transitions.py`, one function per change.
Views, the admin, importers, webhooks and commands call those functions; nothing else assigns a
`state` (an architecture test checks it). Most changes are one call to `transition()`:

    def withdraw(application, actor, note=""):
        return transition(
            application,
            actor,
            to=State.WITHDRAWN,
            allowed_from=OPEN_STATES,
            may=lambda actor, locked: actor.user_id == locked.applicant_id,
            action="withdraw",
            note=note,
            notify=_tell_applicant,
        )

`transition()` locks the row, checks the actor and the source state, applies the change, saves,
writes the audit entry (an `AuditEntry` row of the model's `audit_model`) and queues the e-mail
with `notify(locked, entry)` inside the same transaction: the e-mail row commits with the change
and its delivery starts on commit (pfcc.mail). A change that creates its object (a claim, a
report) locks what it needs itself and calls `record()` for the audit entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import limits


class TransitionError(Exception):
    """A change that cannot be made now; the message is shown to the person who tried."""

    def __init__(self, message=None, code: str = "invalid"):
        message = message if message is not None else _("This change cannot be made now.")
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return str(self.message)


class NotAllowed(TransitionError, PermissionDenied):
    """The actor may not make this change. Also a PermissionDenied: a view that does not catch
    it answers 403."""

    def __init__(self, message=None):
        super().__init__(message or _("You may not make this change."), code="forbidden")


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a signed-in user, or the system (webhooks, importers, commands)."""

    user: Any = None
    label: str = ""

    @classmethod
    def of(cls, user) -> Actor:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            raise NotAllowed(_("Please sign in first."))
        return cls(user=user, label=user.get_username()[:100])

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        return cls(user=None, label=label[:100])

    @property
    def user_id(self):
        return self.user.pk if self.user is not None else None

    @property
    def is_system(self) -> bool:
        return self.user is None

    @property
    def is_staff(self) -> bool:
        return self.user is not None and self.user.is_active and self.user.is_staff

    @property
    def is_privileged(self) -> bool:
        """The system or staff: those who may make changes on others' behalf."""
        return self.is_system or self.is_staff

    def has_perm(self, permission: str) -> bool:
        return self.is_system or (self.is_staff and self.user.has_perm(permission))


def as_actor(who) -> Actor:
    """An Actor from an Actor or a user; anything else (None, anonymous) is refused."""
    return who if isinstance(who, Actor) else Actor.of(who)


def require(condition: bool, message=None) -> None:
    """Refuse the change with NotAllowed unless `condition` holds."""
    if not condition:
        raise NotAllowed(message)


class AuditEntry(models.Model):
    """One recorded change: what (`action`), from which state to which, who, when, and a note.

    Every app's history table has this shape (a subclass with a foreign key to its subject,
    named by `subject_field`); integer states may override `from_state`/`to_state`."""

    action = models.CharField(gettext_lazy("change"), max_length=40, blank=True)
    from_state = models.CharField(gettext_lazy("from"), max_length=20, blank=True)
    to_state = models.CharField(gettext_lazy("to"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(
        gettext_lazy("by (label)"),
        max_length=100,
        blank=True,
        help_text=gettext_lazy("“system” or “github” for automatic changes."),
    )
    note = models.TextField(gettext_lazy("note"), max_length=limits.NOTE, blank=True)
    created_at = models.DateTimeField(gettext_lazy("when"), default=timezone.now, db_index=True)

    subject_field = ""  # the foreign key to the changed object, set by each subclass

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.action or '—'}: {self.from_state or '—'} → {self.to_state or '—'}"


def _audit_model(subject) -> type[AuditEntry]:
    audit_model = subject.audit_model
    if isinstance(audit_model, str):
        audit_model = apps.get_model(subject._meta.app_label, audit_model)
    return audit_model


def record(
    subject,
    actor: Actor | None,
    action: str,
    *,
    from_state="",
    to_state=None,
    note: str = "",
    at=None,
    **extra,
) -> AuditEntry:
    """Write the audit entry of a change to `subject` (inside the change's transaction)."""
    audit_model = _audit_model(subject)
    actor = actor or Actor.system()
    return audit_model.objects.create(
        **{audit_model.subject_field: subject},
        action=action,
        from_state=from_state if from_state is not None else "",
        to_state=subject.state if to_state is None else to_state,
        actor=actor.user,
        actor_label=actor.label[:100],
        note=(note or "").strip()[: limits.NOTE],
        created_at=at or timezone.now(),
        **extra,
    )


def _auto_now_fields(model) -> list[str]:
    return [
        field.name for field in model._meta.concrete_fields if getattr(field, "auto_now", False)
    ]


def transition(
    subject,
    actor,
    *,
    to=None,
    allowed_from: Iterable | None = None,
    may: Callable[[Actor, Any], bool] | None = None,
    action: str = "",
    note: str = "",
    changes: dict | None = None,
    check: Callable[[Any], None] | None = None,
    after: Callable[[Any, AuditEntry], None] | None = None,
    notify: Callable[[Any, AuditEntry], None] | None = None,
    locked_queryset=None,
    audit_extra: dict | None = None,
    denied_message=None,
):
    """Make one state change of `subject` and return the saved (locked, fresh) object.

    - `to`: the new state (None: the state stays; an edit that is still recorded);
    - `allowed_from`: the states the change may start from (None: any);
    - `may(actor, locked)`: whether this actor may make it (NotAllowed otherwise);
    - `check(locked)`: further rules, raising TransitionError;
    - `changes`: other fields set with the change;
    - `after(locked, entry)`: follow-up writes in the same transaction;
    - `notify(locked, entry)`: queue the e-mail (stored with the change, sent on commit).
    The caller's object is updated to match."""
    actor = as_actor(actor)
    model = type(subject)
    changes = dict(changes or {})
    with transaction.atomic():
        queryset = locked_queryset if locked_queryset is not None else model._default_manager
        locked = queryset.select_for_update(of=("self",)).get(pk=subject.pk)
        if may is not None and not may(actor, locked):
            raise NotAllowed(denied_message)
        from_state = locked.state
        if allowed_from is not None and from_state not in set(allowed_from):
            target = to if to is not None else from_state
            raise TransitionError(
                _("%(subject)s is %(state)s; it cannot become %(target)s.")
                % {
                    "subject": getattr(locked, "short_label", None) or str(locked),
                    "state": _label(locked, from_state),
                    "target": _label(locked, target),
                },
                code="wrong_state",
            )
        if check is not None:
            check(locked)
        fields = set(changes) | set(_auto_now_fields(model))
        if to is not None:
            locked.state = to
            fields.add("state")
        for name, value in changes.items():
            setattr(locked, name, value)
        if fields:
            locked.save(update_fields=sorted(fields))
        entry = record(
            locked,
            actor,
            action,
            from_state=from_state,
            to_state=locked.state,
            note=note,
            **(audit_extra or {}),
        )
        if after is not None:
            after(locked, entry)
        if notify is not None:
            notify(locked, entry)
    for name in {"state", *changes, *_auto_now_fields(model)}:
        setattr(subject, name, getattr(locked, name))
    return locked


def _label(obj, state) -> str:
    field = obj._meta.get_field("state")
    return str(dict(field.flatchoices).get(state, state))

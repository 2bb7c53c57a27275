"""Admin building blocks shared by the apps whose admin changes states through transitions.

- `ReadOnlyInline`: a tabular inline that shows rows and changes none.
- `history_inline(Model)`: the read-only inline of an AuditEntry history model.
- `apply_to_each(...)`: an admin action's loop: the transition on each selected object, one at
  a time (so each records its history and sends its e-mail as the pages do), one message for
  the ones changed and one warning for each refused.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from .transitions import NotAllowed, TransitionError

HISTORY_FIELDS = ("created_at", "actor_label", "action", "from_state", "to_state", "note")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def history_inline(model_class):
    """The read-only inline listing `model_class`'s entries (an AuditEntry subclass)."""
    return type(
        f"{model_class.__name__}Inline",
        (ReadOnlyInline,),
        {"model": model_class, "fields": HISTORY_FIELDS, "readonly_fields": HISTORY_FIELDS},
    )


def apply_to_each(modeladmin, request, queryset, change, done_message, **kwargs):
    """`change(obj, request.user, **kwargs)` on every selected object in turn. `done_message(n)`
    is the (n)gettext of the success message, with %(count)d."""
    done, failed = 0, []
    for obj in queryset.order_by("pk"):
        try:
            change(obj, request.user, **kwargs)
        except TransitionError as error:  # NotAllowed too: its message says why
            failed.append(f"{obj}: {error}")
        except PermissionDenied:
            failed.append(f"{obj}: {NotAllowed().message}")
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)
    for message in failed:
        modeladmin.message_user(request, message, messages.WARNING)

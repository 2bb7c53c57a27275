"""Staff act only after a second factor (TOTP), wherever the staff page or action lives.

Two layers, so that nothing is missed:
- `staff_required` on every staff-only view (résumés, applications and grades, decisions,
  check-in, previews): visitors go to the sign-in page, other accounts get 403, staff without a
  second factor in this session go to the step that gives them one.
- `common.middleware.StaffMFAMiddleware` sends a staff account whose session has not passed the
  second factor to that step from every page but the sign-in pages themselves, so a staff power
  used inside a page open to others (drafts, anyone's claim, every report) needs it too.
"""

from functools import wraps
from urllib.parse import urlencode

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache


def is_staff_account(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_staff or user.is_superuser))


def staff_with_permission(user, permission: str) -> bool:
    """An active staff account holding `permission` (a workflow's staff: reviewers, the staff
    who run contests or manage registrations)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(permission)
    )


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_passed_mfa(request, user) -> bool:
    """allauth records every authentication step of the session; a TOTP or recovery code
    entered at login (or on reauthentication) is a record with method "mfa"."""
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def second_factor_redirect(request, next_url: str | None = None):
    """None when the signed-in staff account may act; otherwise the redirect to the step it
    lacks: setting up TOTP, or entering a code for this session. `next` brings it back."""
    user = request.user
    if not is_staff_account(user):
        return None
    if next_url is None:
        next_url = request.get_full_path()
    # The session's records come first: no query for staff who passed (the usual case).
    if session_passed_mfa(request, user):
        return None
    if not has_totp(user):
        messages.warning(
            request,
            _("Staff need two-factor authentication: set up an authenticator app first."),
        )
        return HttpResponseRedirect(
            f"{reverse('mfa_activate_totp')}?{urlencode({'next': next_url})}"
        )
    messages.info(request, _("Enter a code from your authenticator app to continue."))
    return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': next_url})}")


def staff_required(view=None, *, may=None):
    """A staff-only view: visitors are sent to sign in, accounts that are not staff (or fail
    `may(user)`, e.g. a model permission) get 403, staff without a second factor in this session
    are sent to get one. Never cached: the answer differs per account."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            allowed = may(user) if may is not None else is_staff_account(user)
            if not allowed or not is_staff_account(user):
                raise PermissionDenied
            response = second_factor_redirect(request)
            if response is not None:
                return response
            return view_func(request, *args, **kwargs)

        return never_cache(wrapped)

    if view is not None:
        return decorator(view)
    return decorator

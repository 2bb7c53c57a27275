"""Second-factor helpers for tests: the current TOTP code of a user, and marking a test
client's session as having passed the second factor, as allauth does at login."""

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.cache import cache


def totp_authenticator(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()


def totp_code(user, *, reusable=True) -> str:
    """The code the user's authenticator app shows now. allauth refuses a code used twice in
    one period: `reusable` forgets that it was used (tests log the same user in twice)."""
    authenticator = totp_authenticator(user)
    secret = decrypt(authenticator.data["secret"])
    # A code read in the last two seconds of its 30-second period may be stale by the time the
    # request checks it (allauth accepts the current period only): wait for the next one.
    if 30 - time.time() % 30 < 2:
        time.sleep(30 - time.time() % 30 + 0.05)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    if reusable:
        cache.delete(TOTP(authenticator)._get_used_cache_key(code))
    return code


def mark_session_mfa(client, user) -> None:
    """Record password + TOTP in the client's session, as a real login with a code does."""
    authenticator = totp_authenticator(user)
    if authenticator is None:
        return
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "id": authenticator.pk, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def browser_sign_in(page, user, password="correct-horse-battery"):
    """Sign in through the real login form (Playwright): password, then the TOTP code when
    allauth asks for one (staff have an authenticator)."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]:not(.link-button)")
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:
        page.fill("input[name=code]", totp_code(user))
        page.click("main form button[type=submit]:not(.link-button)")
        page.wait_for_load_state()

from allauth.core import context as allauth_context
from allauth.mfa.totp.forms import ActivateTOTPForm as _ActivateTOTPForm
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, get_totp_secret
from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    """Extra sign-up fields; allauth calls signup() after it creates the user."""

    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        help_text=_("How other contributors will see you."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request, user):
        user.name = self.cleaned_data["name"].strip()
        user.save(update_fields=["name"])


class ActivateTOTPForm(_ActivateTOTPForm):
    """allauth's TOTP set-up, with one secret per session: allauth draws a new one on every GET,
    so a reload (or a wrong code, then a reload) showed a new QR code and the app the person
    had already scanned stopped matching. A new secret comes only with a new session."""

    def __init__(self, *args, **kwargs):
        # allauth's form regenerates the secret when unbound; keep the one already shown.
        session = allauth_context.request.session
        kept = session.get(SECRET_SESSION_KEY)
        super().__init__(*args, **kwargs)
        if kept:
            session[SECRET_SESSION_KEY] = kept
        self.secret = get_totp_secret(regenerate=False)

"""A signed-in user's own data: an overview, a JSON download, and deleting the account.

Deleting an account removes the sign-in account and the private data tied to it (e-mail
addresses, membership applications with their contact details, camp résumés and statements,
stored e-mails to the user, sessions, second factors). Public contributions stay, attributed to
the GitHub login (the Person): blog posts, hackathon claims and results, camp reports and
reviews, membership.
"""

import json
import logging
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from common.ratelimit import rate_limited
from common.usercache import per_user_cache

from .account_data import account_data, iso
from .models import OutgoingEmail, Person

logger = logging.getLogger(__name__)


def _person_data(person):
    if person is None:
        return None
    return {
        "github": person.github,
        "github_id": person.github_id,
        "name": person.name,
        "avatar_url": person.avatar_url,
        "bio": person.bio,
        "public_profile": person.public_profile,
        "profile_url": person.get_absolute_url(),
    }


def collect_user_data(user) -> dict:
    """Everything the site stores about this user and their person; nobody else's."""
    person = Person.objects.of_user(user)
    return {
        "exported_at": iso(timezone.now()),
        "account": {
            "username": user.username,
            "name": user.name,
            "email": user.email,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user)
            ],
            "social_accounts": [
                {"provider": account.provider, "uid": account.uid}
                for account in SocialAccount.objects.filter(user=user)
            ],
            "second_factors": [
                authenticator.type for authenticator in Authenticator.objects.filter(user=user)
            ],
        },
        "person": _person_data(person),
        **account_data.export(user, person),
    }


@login_required
@per_user_cache
def overview(request):
    person = Person.objects.of_user(request.user)
    return render(request, "pfcc/account/overview.html", {"person": person})


@login_required
@never_cache
def download_data(request):
    data = collect_user_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="pfcc-my-data.json"'
    return response


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput, required=False
    )
    email = forms.CharField(label=_("Your e-mail address"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Accounts made through GitHub have no password: they type their e-mail address.
        self.uses_password = user.has_usable_password()
        if self.uses_password:
            del self.fields["email"]
            self.fields["password"].required = True
        else:
            del self.fields["password"]
            self.fields["email"].required = True

    def clean(self):
        data = super().clean()
        if self.uses_password:
            if data.get("password") and not self.user.check_password(data["password"]):
                raise forms.ValidationError(_("That is not your password."))
        elif data.get("email") and data["email"].strip().lower() != (
            (self.user.email or "").lower()
        ):
            raise forms.ValidationError(_("That is not your e-mail address."))
        return data


def _user_session_keys(user) -> list[str]:
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            keys.append(session.session_key)
    return keys


@transaction.atomic
def delete_user_and_private_data(user) -> None:
    """Delete the account and its private data; public contributions stay with the Person."""
    person = Person.objects.of_user(user)
    addresses = {address.lower() for address in [user.email] if address}
    addresses |= {
        address.lower()
        for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    addresses |= account_data.erase(user, person)
    if person is not None and person.public_profile:
        person.public_profile = False
        person.save(update_fields=["public_profile", "updated_at"])
    for address in addresses:
        for email in OutgoingEmail.objects.filter(to__icontains=address):
            if address in {recipient.lower() for recipient in email.to}:
                email.delete()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in _user_session_keys(user):
        store(session_key=key).delete()  # the row, and its cached copy (cached_db)
    # Cascades: e-mail addresses, GitHub link, second factors, membership applications with
    # their history. Person.user, Objection.user and the audit actors become empty.
    user.delete()


@rate_limited("account.delete")  # the password check must not be a guessing oracle
@login_required
def delete_account(request):
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        user_id = user.pk
        delete_user_and_private_data(user)
        logout(request)
        logger.info("Account %s deleted by its owner", user_id)
        messages.success(
            request,
            _(
                "Your account has been deleted. Your public contributions stay under your "
                "GitHub login."
            ),
        )
        return redirect("pfcc:home")
    return render(request, "pfcc/account/delete.html", {"form": form})

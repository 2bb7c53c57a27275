import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site

from common.clientip import client_ip

from .mail import store_and_queue


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """allauth's rate limits count the visitor behind the trusted proxies, as ours do."""
        return client_ip(request) or super().get_client_ip(request)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A password (or code) entered in this session within the reauthentication timeout is
        as fresh as a reauthentication: staff who just signed in and are sent to set up TOTP
        are not asked for their password again (allauth counts only reauthentications)."""
        request = allauth_context.request
        records = get_authentication_records(request, request.user) if request else []
        if records and time.time() - records[-1]["at"] < app_settings.REAUTHENTICATION_TIMEOUT:
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mails (verification, password reset) go through the stored, retried queue
        instead of being sent inside the request."""
        request = allauth_context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "site_url": settings.SITE_URL,
        }
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        store_and_queue(message.to, message.subject, message.body)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        """Staff keep their TOTP app: every staff power needs it (common/staff.py), and a session
        that passed it would otherwise keep those powers with no factor left on the account."""
        user = authenticator.user
        if (user.is_staff or user.is_superuser) and authenticator.type == Authenticator.Type.TOTP:
            return False
        return super().can_delete_authenticator(authenticator)

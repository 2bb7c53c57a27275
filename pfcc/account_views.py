"""A signed-in user's own data: an overview, a JSON download, and deleting the account.

Deleting an account removes the sign-in account and the private data tied to it (e-mail
addresses, membership applications with their contact details, camp résumés and statements,
stored e-mails to the user, sessions, second factors). Public contributions stay, attributed to
the GitHub login (the Person): blog posts, hackathon claims and results, camp reports and
reviews, membership.
"""

import json
import logging

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django import forms
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

from .models import Membership, MembershipApplication, OutgoingEmail, Person
from .ratelimit import rate_limited

logger = logging.getLogger(__name__)


def _iso(value):
    return value.isoformat() if value else None


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


def _membership_data(user, person):
    applications = []
    queryset = MembershipApplication.objects.filter(applicant=user).prefetch_related("events")
    for application in queryset:
        applications.append(
            {
                "github": application.github,
                "name": application.name,
                "email": application.email,
                "other_contact": application.other_contact,
                "contributions": application.contributions,
                "statement": application.statement,
                "state": application.state,
                "rejection_reason": application.rejection_reason,
                "submitted_at": _iso(application.created_at),
                # Staff stay anonymous here as on the status page.
                "history": [
                    {
                        "by": "you" if event.actor_id == user.pk else "staff",
                        "from": event.from_state,
                        "to": event.to_state,
                        "note": event.note,
                        "at": _iso(event.created_at),
                    }
                    for event in application.events.all()
                ],
            }
        )
    membership = Membership.objects.filter(person=person).first() if person else None
    return {
        "applications": applications,
        "member_since": membership.joined_on.isoformat() if membership else None,
    }


def _hackathon_data(user, person):
    from hackathon.models import Claim, Objection, Result

    claims = []
    objections = []
    results = []
    if person is not None:
        for claim in (
            Claim.objects.filter(person=person)
            .select_related("task__edition")
            .prefetch_related("pull_requests", "history")
        ):
            claims.append(
                {
                    "edition": claim.task.edition.number,
                    "task": claim.task.number,
                    "title": claim.task.title,
                    "team_name": claim.team_name,
                    "state": claim.get_state_display(),
                    "claimed_at": _iso(claim.created_at),
                    "pull_requests": [pull.url for pull in claim.pull_requests.all()],
                    "history": [
                        {
                            "from": change.from_state,
                            "to": change.to_state,
                            "note": change.note,
                            "at": _iso(change.created_at),
                        }
                        for change in claim.history.all()
                    ],
                }
            )
        for objection in Objection.objects.filter(person=person).select_related("edition"):
            objections.append(
                {
                    "edition": objection.edition.number,
                    "text": objection.text,
                    "status": objection.status,
                    "answer": objection.answer,
                    "filed_at": _iso(objection.created_at),
                }
            )
        for result in Result.objects.filter(person=person).select_related("edition"):
            results.append(
                {
                    "edition": result.edition.number,
                    "rank": result.rank,
                    "tasks": result.task_numbers,
                    "stars": result.stars,
                    "reward": result.reward,
                }
            )
    return {"claims": claims, "objections": objections, "results": results}


def _camp_data(user, person):
    from camp.models import CampApplication, Mentorship, Review

    if person is None:
        return {"applications": [], "mentorships": [], "reviews_written": []}
    applications = [
        {
            "cohort": application.cohort.slug,
            "first_choice": application.first_choice.number,
            "other_choices": [project.number for project in application.other_choices.all()],
            "accepts_reassignment": application.accepts_reassignment,
            "statement": application.statement,
            "has_resume": bool(application.resume),
            "status": application.status,
            "submitted_at": _iso(application.created_at),
        }
        for application in CampApplication.objects.filter(applicant=person)
        .select_related("cohort", "first_choice")
        .prefetch_related("other_choices")
    ]
    mentorships = []
    for mentorship in (
        Mentorship.objects.filter(mentee=person)
        .select_related("cohort", "project")
        .prefetch_related("reports__period", "reports__review")
    ):
        reports = []
        for report in mentorship.reports.all():
            review = getattr(report, "review", None)
            reports.append(
                {
                    "period": report.period.number,
                    "status": report.status,
                    "work": report.work,
                    "questions": report.questions,
                    "next_work": report.next_work,
                    "submitted_at": _iso(report.submitted_at),
                    "review": review.text if review and report.is_locked else None,
                }
            )
        mentorships.append(
            {
                "cohort": mentorship.cohort.slug,
                "project": mentorship.project.number,
                "status": mentorship.status,
                "reports": reports,
            }
        )
    reviews = [
        {"report": review.report_id, "text": review.text, "at": _iso(review.created_at)}
        for review in Review.objects.filter(mentor=person)
    ]
    return {"applications": applications, "mentorships": mentorships, "reviews_written": reviews}


def _blog_data(person):
    from blog.models import Post

    if person is None:
        return []
    return [
        {"title": post.title, "slug": post.slug, "status": post.status}
        for post in Post.objects.filter(authorships__person=person).distinct()
    ]


def collect_user_data(user) -> dict:
    """Everything the site stores about this user and their person; nobody else's."""
    person = Person.objects.filter(user=user).first()
    return {
        "exported_at": _iso(timezone.now()),
        "account": {
            "username": user.username,
            "name": user.name,
            "email": user.email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
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
        "membership": _membership_data(user, person),
        "hackathon": _hackathon_data(user, person),
        "camp": _camp_data(user, person),
        "blog_posts": _blog_data(person),
    }


@login_required
def overview(request):
    person = Person.objects.filter(user=request.user).first()
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
    from camp.models import CampApplication

    person = Person.objects.filter(user=user).first()
    addresses = {address.lower() for address in [user.email] if address}
    addresses |= {
        address.lower()
        for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    addresses |= {
        address.lower()
        for address in MembershipApplication.objects.filter(applicant=user).values_list(
            "email", flat=True
        )
    }
    if person is not None:
        applications = CampApplication.objects.filter(applicant=person)
        for application in applications:
            if application.resume:
                resume = application.resume
                transaction.on_commit(lambda r=resume: r.storage.delete(r.name))
        applications.update(resume="", statement="", user=None)
        if person.public_profile:
            person.public_profile = False
            person.save(update_fields=["public_profile", "updated_at"])
    for address in addresses:
        for email in OutgoingEmail.objects.filter(to__icontains=address):
            if address in {recipient.lower() for recipient in email.to}:
                email.delete()
    Session.objects.filter(session_key__in=_user_session_keys(user)).delete()
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

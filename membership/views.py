from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.ratelimit import rate_limited
from pfcc.models import Person

from . import transitions
from .forms import ApplicationForm, PublicProfileForm
from .models import Membership, MembershipApplication, MembershipApplicationEvent

MEMBERS_PER_PAGE = 24


def _form_context(request, form, linked_login):
    return {"form": form, "linked_login": linked_login, "email": request.user.verified_email}


@rate_limited("membership.apply")
def apply(request):
    """The application form. Visitors see how to join and a link to sign in."""
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return render(request, "membership/apply_signed_out.html")

    person = Person.objects.of_user(request.user)
    if MembershipApplication.objects.open().filter(applicant=request.user).exists():
        messages.info(request, _("You already have an open application; here is where it is."))
        return redirect("membership:status")
    if person is not None and MembershipApplication.objects.open().filter(person=person).exists():
        # Someone else applied with this login before it was linked to this account.
        messages.warning(request, transitions.ApplicationAlreadyOpen().message)
        return redirect("membership:status")
    if person is not None and Membership.objects.filter(person=person).exists():
        messages.info(request, _("You are already a member of PFCC."))
        return redirect("membership:status")

    if not request.user.verified_email:
        messages.warning(request, transitions.NoVerifiedEmail().message)
        return redirect("account_email")
    linked_login = person.github if person is not None else None
    if request.method == "POST":
        form = ApplicationForm(request.POST, user=request.user, linked_login=linked_login)
        if form.is_valid():
            data = form.cleaned_data
            try:
                transitions.submit_application(
                    request.user,
                    person=person,
                    github=data.get("github", ""),
                    name=data["name"],
                    other_contact=data["other_contact"],
                    contributions=data["contributions"],
                    statement=data["statement"],
                    language=translation.get_language(),
                )
            except transitions.TransitionError as error:
                if MembershipApplication.objects.open().filter(applicant=request.user).exists():
                    # A double submit or a second tab: the first one made the application.
                    messages.info(request, error.message)
                    return redirect("membership:status")
                # The entered login is taken by someone else's application or membership.
                form.add_error("github" if "github" in form.fields else None, error.message)
                return render(
                    request,
                    "membership/apply.html",
                    _form_context(request, form, linked_login),
                )
            messages.success(
                request,
                _("Your application has been submitted. We will e-mail you at every step."),
            )
            return redirect("membership:status")
    else:
        form = ApplicationForm(
            user=request.user,
            linked_login=linked_login,
            initial={
                "name": (person.name if person is not None else "") or request.user.display_name,
            },
        )
    return render(request, "membership/apply.html", _form_context(request, form, linked_login))


@login_required
def status(request):
    """The signed-in user's own applications with their history, and their membership."""
    events = MembershipApplicationEvent.objects.select_related("actor")
    applications = list(
        MembershipApplication.objects.filter(applicant=request.user).prefetch_related(
            Prefetch("events", queryset=events)
        )
    )
    you, staff = _("you"), _("PFCC staff")
    for application in applications:
        for event in application.events.all():
            # Staff stay anonymous to applicants: their names and addresses are not shown.
            event.actor_label = you if event.actor_id == request.user.pk else staff
    membership = (
        Membership.objects.filter(person__user=request.user).select_related("person").first()
    )
    profile_form = None
    if membership is not None:
        profile_form = PublicProfileForm(
            initial={"public_profile": membership.person.public_profile}
        )
    return render(
        request,
        "membership/status.html",
        {
            "applications": applications,
            "membership": membership,
            "profile_form": profile_form,
            "can_apply": membership is None
            and not any(application.is_open for application in applications),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    """GET: what withdrawing does, with a button to do it and a way back; POST: withdraw."""
    # Someone else's application does not exist for this user.
    application = get_object_or_404(MembershipApplication, pk=pk, applicant=request.user)
    if request.method == "GET":
        if not application.can_withdraw:
            messages.info(request, _("This application is closed; there is nothing to withdraw."))
            return redirect("membership:status")
        return render(request, "membership/withdraw.html", {"application": application})
    try:
        transitions.withdraw(application, request.user)
    except transitions.TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your application has been withdrawn."))
    return redirect("membership:status")


@login_required
@require_POST
def profile(request):
    form = PublicProfileForm(request.POST)
    form.is_valid()  # a checkbox: always valid
    try:
        person = transitions.set_public_profile(
            request.user, form.cleaned_data.get("public_profile", False)
        )
    except PermissionDenied:
        messages.error(request, _("Only members have a profile in the directory."))
        return redirect("membership:status")
    if person.public_profile:
        messages.success(request, _("You are listed in the member directory."))
    else:
        messages.success(request, _("You are no longer listed in the member directory."))
    return redirect("membership:status")


def directory(request):
    query = request.GET.get("q", "").strip()[:100]
    members = Membership.objects.listed().select_related("person")
    if query:
        members = members.filter(
            Q(person__github__icontains=query) | Q(person__name__icontains=query)
        )
    members = members.order_by("-joined_on", "person__github", "pk")
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "membership/directory.html", {"page": page, "query": query})


def person_section(person, request):
    """The person page's membership section; hidden unless the person opted in, except to
    themselves. One query."""
    membership = Membership.objects.filter(person=person).first()
    if membership is None:
        return None
    is_self = request.user.is_authenticated and person.user_id == request.user.pk
    if not (person.public_profile or is_self):
        return None
    return {"membership": membership, "is_self": is_self}

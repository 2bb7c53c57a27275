from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.ratelimit import rate_limited
from common.staff import staff_required

from . import exports, ical, queries, transitions
from .forms import CheckInSearchForm, RegistrationForm
from .models import Registration


def staff_with_second_factor(view):
    """Staff who may manage registrations, in a session that passed the second factor (as the
    admin requires); others get 403, visitors the sign-in page."""
    return staff_required(view, may=transitions.may_manage_registrations)


def index(request):
    page = queries.upcoming_page(request.GET.get("page"))
    return render(request, "events/index.html", {"page": page})


def past(request):
    page = queries.past_page(request.GET.get("page"))
    return render(request, "events/past.html", {"page": page})


def detail(request, slug):
    event = queries.event_for(request.user, slug)
    context = queries.detail_context(event, request.user)
    context["may_check_in"] = transitions.may_manage_registrations(request.user)
    return render(request, "events/detail.html", context)


def event_ics(request, slug):
    event = queries.event_for(request.user, slug)
    return ical.response(ical.calendar([event]), f"{event.slug}.ics", attachment=True)


def feed(request):
    text = ical.calendar(queries.feed_events(), name=_("PFCC events"))
    return ical.response(text, "pfcc-events.ics", attachment=False)


@login_required
def mine(request):
    registrations = queries.my_registrations(request.user)
    return render(request, "events/mine.html", {"registrations": registrations})


@login_required
@rate_limited("events.register")
def register(request, slug):
    event = queries.listed_event(slug)
    if queries.active_registration(event, request.user) is not None:
        messages.info(request, _("You are already registered for this event."))
        return redirect(event)
    if not event.registration_is_open:
        messages.warning(request, _("Registration for this event is closed."))
        return redirect(event)
    email = request.user.verified_email
    if not email:
        messages.warning(
            request,
            _("Verify your e-mail address first: the confirmation and the reminder go there."),
        )
        return redirect("account_email")
    questions = list(event.questions.all())
    form = RegistrationForm(
        request.POST or None, questions=questions, initial={"name": request.user.display_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = transitions.register(
                event,
                request.user,
                name=form.cleaned_data["name"],
                email=email,
                answers=form.answers(),
                language=translation.get_language(),
            )
        except transitions.TransitionError as error:
            messages.warning(request, error.message)
            return redirect(event)
        if registration.is_waitlisted:
            messages.info(
                request,
                _(
                    "The event is full: you are on the waiting list. We e-mail you if a seat "
                    "frees up."
                ),
            )
        else:
            messages.success(request, _("You are registered. See you there!"))
        return redirect(event)
    return render(request, "events/register.html", {"event": event, "form": form, "email": email})


@login_required
@require_POST
def cancel(request, slug):
    event = queries.listed_event(slug)
    registration = queries.active_registration(event, request.user)
    if registration is None:
        messages.info(request, _("You have no registration for this event."))
        return redirect(event)
    try:
        transitions.cancel(registration, request.user)
    except transitions.TransitionError as error:
        messages.warning(request, error.message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(event)


@staff_with_second_factor
def check_in_list(request, slug):
    event = queries.listed_event(slug)
    form = CheckInSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    context = {
        "event": event,
        "q": query,
        "page": queries.check_in_page(event, query, request.GET.get("page")),
        "attended": queries.attended_count(event),
    }
    return render(request, "events/check_in.html", context)


@staff_with_second_factor
@require_POST
def check_in(request, slug, pk):
    event = queries.listed_event(slug)
    registration = get_object_or_404(Registration, pk=pk, event=event)
    undo = request.POST.get("action") == "undo"
    try:
        if undo:
            transitions.undo_check_in(registration, request.user)
        else:
            transitions.check_in(registration, request.user)
    except transitions.TransitionError as error:
        messages.warning(request, error.message)
    else:
        text = _("%(name)s is no longer checked in.") if undo else _("%(name)s is checked in.")
        messages.success(request, text % {"name": registration.name})
    back = reverse("events:check_in_list", kwargs={"slug": event.slug})
    query = request.POST.get("q", "").strip()[:100]
    if query:
        back = f"{back}?{urlencode({'q': query})}"
    return redirect(f"{back}#r{registration.pk}")


@staff_with_second_factor
def registrations_csv(request, slug):
    event = queries.listed_event(slug)
    registrations = queries.export_registrations(event.registrations.order_by("created_at", "pk"))
    return exports.registrations_csv(registrations, f"{event.slug}-registrations.csv")

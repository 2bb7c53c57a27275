import base64

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.ratelimit import rate_limited
from common.staff import staff_required
from common.transitions import TransitionError

from . import drafting
from .forms import DraftForm

PERMISSIONS = ("progress.add_progressreport", "blog.add_post")


def may_draft(user) -> bool:
    """Staff who may add posts and reports (the draft is both)."""
    return bool(user.is_active and user.is_staff and user.has_perms(PERMISSIONS))


@staff_required(may=may_draft)
def draft(request):
    """GET: the form, and with a scope and range the numbers the draft will carry. POST: the
    draft post, then its page in the admin."""
    if request.method == "POST":
        return _create(request)
    form = DraftForm(request.GET or None)
    context = {"form": form, "data": None}
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
        data = drafting.gather(
            values["resolved_scope"], values["start"], values["end"], values["risk_threshold"]
        )
        context |= {"data": data, "title": drafting.title(data), "charts": _inline(data)}
    return render(request, "progress/draft.html", context)


def _inline(data) -> list[dict]:
    """The charts the draft will carry, shown before it exists (as data: addresses, which the
    Content Security Policy allows for images; an image never runs script)."""
    return [
        {"alt": alt, "src": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()}
        for alt, svg in drafting.build_charts(data).values()
    ]


@rate_limited("progress-draft")
def _create(request):
    form = DraftForm(request.POST)
    if not form.is_valid():
        return render(request, "progress/draft.html", {"form": form, "data": None}, status=400)
    values = form.cleaned_data
    try:
        report = drafting.draft_report(
            values["resolved_scope"],
            values["start"],
            values["end"],
            request.user,
            values["risk_threshold"],
        )
    except TransitionError as error:
        messages.error(request, str(error))
        return render(request, "progress/draft.html", {"form": form, "data": None}, status=400)
    messages.success(
        request,
        _("The draft “%(title)s” is ready: edit it here, then publish it like any post.")
        % {"title": report.post.title},
    )
    return redirect(reverse("admin:blog_post_change", args=[report.post.pk]))

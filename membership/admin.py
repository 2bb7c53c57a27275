from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin_actions import apply_to_each

from . import transitions
from .forms import RejectForm, WorkflowForm
from .models import Membership, MembershipApplication, MembershipApplicationEvent

# The application queue. Every state change goes through membership.transitions, one
# application at a time, so bulk actions record history and e-mail applicants like single ones.


class MembershipApplicationEventInline(admin.TabularInline):
    model = MembershipApplicationEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "actor", "from_state", "to_state", "note")
    readonly_fields = fields
    ordering = ("created_at", "pk")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(admin.ModelAdmin):
    list_display = ("login", "name", "email", "state", "created_at", "updated_at")
    list_filter = ("state", "created_at")
    search_fields = ("github", "name", "email", "person__github", "applicant__email")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    inlines = [MembershipApplicationEventInline]
    actions = ["start_review", "accept", "reject", "mark_invited"]
    fields = (
        "state",
        "applicant",
        "person",
        "github",
        "name",
        "email",
        "other_contact",
        "contribution_links",
        "statement",
        "language",
        "rejection_reason",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    list_select_related = ("person",)

    change_form_template = "membership/admin_change_form.html"

    def has_add_permission(self, request):
        return False  # applications come from the site's form

    @admin.display(description=_("GitHub login"), ordering="github")
    def login(self, application):
        """Marked when the applicant typed it and never signed in with that GitHub account."""
        return application.person.login_label if application.person_id else application.github

    def get_urls(self):
        workflow = path(
            "<path:object_id>/workflow/",
            self.admin_site.admin_view(self.workflow_view),
            name="membership_membershipapplication_workflow",
        )
        return [workflow, *super().get_urls()]

    def workflow_view(self, request, object_id):
        """Change one application's state (with a note, or the reason when rejecting)."""
        application = self.get_object(request, unquote(object_id))
        if application is None:
            raise Http404
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        choices = transitions.staff_transitions(application)
        form = WorkflowForm(request.POST or None, transitions=choices)
        if request.method == "POST" and form.is_valid():
            try:
                transitions.make_staff_transition(
                    application,
                    request.user,
                    form.cleaned_data["transition"],
                    form.cleaned_data["note"],
                )
            except transitions.TransitionError as error:
                form.add_error(None, error.message)
            else:
                application.refresh_from_db()
                self.message_user(
                    request,
                    _("Application @%(github)s is now %(state)s.")
                    % {"github": application.github, "state": application.get_state_display()},
                    messages.SUCCESS,
                )
                return redirect("admin:membership_membershipapplication_change", application.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change the state of @%(github)s") % {"github": application.github},
            "opts": self.model._meta,
            "original": application,
            "form": form,
            "transitions": choices,
        }
        return TemplateResponse(request, "membership/admin_workflow.html", context)

    @admin.display(description=_("contributions"))
    def contribution_links(self, application):
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}" rel="noopener nofollow">{}</a>',
            ((url, url) for url in application.contributions),
        )

    @admin.action(description=_("Move the selected applications to review"), permissions=["change"])
    def start_review(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            transitions.start_review,
            lambda n: ngettext(
                "%(count)d application moved to review.",
                "%(count)d applications moved to review.",
                n,
            ),
        )

    @admin.action(description=_("Accept the selected applications"), permissions=["change"])
    def accept(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            transitions.accept,
            lambda n: ngettext(
                "%(count)d application accepted.", "%(count)d applications accepted.", n
            ),
        )

    @admin.action(
        description=_("Mark the selected applications as invited (members)"), permissions=["change"]
    )
    def mark_invited(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            transitions.mark_invited,
            lambda n: ngettext(
                "%(count)d applicant invited and made a member.",
                "%(count)d applicants invited and made members.",
                n,
            ),
        )

    @admin.action(
        description=_("Reject the selected applications (asks for a reason)"),
        permissions=["change"],
    )
    def reject(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            apply_to_each(
                self,
                request,
                queryset,
                transitions.reject,
                lambda n: ngettext(
                    "%(count)d application rejected.", "%(count)d applications rejected.", n
                ),
                reason=form.cleaned_data["reason"],
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject applications"),
            "opts": self.model._meta,
            "applications": queryset.order_by("pk"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "membership/admin_reject.html", context)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("person", "joined_on", "listed", "application")
    list_filter = ("joined_on", "person__public_profile")
    search_fields = ("person__github", "person__name")
    raw_id_fields = ("person", "application")
    date_hierarchy = "joined_on"
    list_select_related = ("person", "application")

    @admin.display(description=_("listed in the directory"), boolean=True)
    def listed(self, membership):
        return membership.person.public_profile

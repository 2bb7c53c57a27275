import json

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import github, services
from .models import (
    Certificate,
    Claim,
    ClaimState,
    ClaimStateChange,
    Direction,
    Edition,
    Objection,
    PullRequest,
    PullRequestStatus,
    Repository,
    Result,
    Task,
    Track,
    WebhookDelivery,
)


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0
    fields = ("name", "slug", "is_camp", "order")
    show_change_link = True


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "status", "start_date", "end_date", "objection_deadline")
    list_filter = ("status",)
    search_fields = ("name", "number")
    readonly_fields = ("results_published_at", "webhook_repositories")
    inlines = [TrackInline]

    @admin.display(description=_("Repositories whose pull requests count (GitHub webhook)"))
    def webhook_repositories(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        names = [repository.full_name for repository in obj.repositories.all()]
        listing = reverse("admin:hackathon_repository_changelist")
        adding = reverse("admin:hackathon_repository_add")
        return format_html(
            '{} · <a href="{}?edition__id__exact={}">{}</a> · <a href="{}?edition={}">{}</a>',
            ", ".join(names) or _("none yet"),
            listing,
            obj.pk,
            _("manage"),
            adding,
            obj.pk,
            _("add one"),
        )

    actions = ["compute_results", "publish_results"]

    def save_model(self, request, obj, form, change):
        publish = "status" in form.changed_data and obj.status == Edition.Status.RESULTS_PUBLISHED
        if publish:
            obj.status = form.initial.get("status", Edition.Status.CLOSED)
        super().save_model(request, obj, form, change)
        if publish:
            services.publish_results(obj, request.user)
            obj.refresh_from_db()

    @admin.action(description=_("Compute the results of the selected editions"))
    def compute_results(self, request, queryset):
        for edition in queryset:
            results = services.compute_results(edition, request.user)
            self.message_user(
                request,
                ngettext(
                    "%(edition)s: %(count)s person ranked.",
                    "%(edition)s: %(count)s people ranked.",
                    len(results),
                )
                % {"edition": edition, "count": len(results)},
                messages.SUCCESS,
            )

    @admin.action(description=_("Publish the results of the selected editions"))
    def publish_results(self, request, queryset):
        for edition in queryset:
            try:
                services.publish_results(edition, request.user)
            except services.ServiceError as error:
                self.message_user(request, f"{edition}: {error.message}", messages.ERROR)
            else:
                self.message_user(
                    request, _("%(edition)s: results published.") % {"edition": edition}
                )


class DirectionInline(admin.TabularInline):
    model = Direction
    extra = 0
    fields = ("name", "order")


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ("name", "edition", "slug", "is_camp", "order")
    list_filter = ("edition", "is_camp")
    search_fields = ("name",)
    inlines = [DirectionInline]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Direction)
class DirectionAdmin(admin.ModelAdmin):
    list_display = ("name", "track", "order")
    list_filter = ("track__edition", "track")
    search_fields = ("name", "track__name")
    list_select_related = ("track",)


class ClaimInline(admin.TabularInline):
    model = Claim
    extra = 0
    fields = ("person", "team_name", "state", "created_at", "state_changed_at")
    readonly_fields = ("person", "team_name", "state", "created_at", "state_changed_at")
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "title",
        "edition",
        "direction",
        "difficulty",
        "needs_rfc",
        "status",
        "completed_claim",
    )
    list_display_links = ("number", "title")
    list_filter = ("edition", "status", "needs_rfc", "direction__track", "direction")
    search_fields = ("title", "number", "description")
    list_select_related = ("edition", "direction__track", "completed_claim__person")
    raw_id_fields = ("completed_claim",)
    readonly_fields = ("completed_at", "created_at", "updated_at")
    inlines = [ClaimInline]
    actions = ["withdraw", "reopen"]

    @admin.action(description=_("Withdraw the selected tasks"))
    def withdraw(self, request, queryset):
        count = queryset.update(status=Task.Status.WITHDRAWN)
        self.message_user(request, _("%(count)s tasks withdrawn.") % {"count": count})

    @admin.action(description=_("Reopen the selected tasks"))
    def reopen(self, request, queryset):
        count = queryset.update(status=Task.Status.OPEN)
        self.message_user(request, _("%(count)s tasks reopened.") % {"count": count})


class PullRequestInline(admin.TabularInline):
    model = PullRequest
    extra = 0
    fields = ("url", "merged", "merged_at", "created_at")
    readonly_fields = ("created_at",)


class ClaimStateChangeInline(admin.TabularInline):
    model = ClaimStateChange
    extra = 0
    fields = ("created_at", "from_state", "to_state", "actor_label", "is_correction", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ClaimAdminForm(forms.ModelForm):
    correction_note = forms.CharField(
        label=_("Reason for a state change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A state changed here is recorded as a staff correction with this note."),
    )

    class Meta:
        model = Claim
        fields = ("task", "person", "team_name", "state", "created_at")


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    form = ClaimAdminForm
    list_display = ("task", "person", "team_name", "state", "created_at", "state_changed_at")
    list_filter = ("task__edition", "state", "task__direction__track")
    search_fields = ("person__github", "team_name", "task__title", "task__number")
    list_select_related = ("task__edition", "person")
    raw_id_fields = ("task", "person")
    readonly_fields = ("state_changed_at",)
    inlines = [PullRequestInline, ClaimStateChangeInline]
    actions = ["mark_partial", "mark_completed", "make_completing_claim"]

    def save_model(self, request, obj, form, change):
        note = form.cleaned_data.get("correction_note", "")
        if not change:
            desired = obj.state
            obj.state = ClaimState.CLAIMED
            super().save_model(request, obj, form, change)
            ClaimStateChange.objects.create(
                claim=obj,
                from_state=None,
                to_state=ClaimState.CLAIMED,
                actor=request.user,
                actor_label=request.user.get_username(),
                is_correction=True,
                note=note or str(_("Created in the admin.")),
            )
            if desired != ClaimState.CLAIMED:
                services.correct_claim(obj, desired, request.user, note)
                obj.refresh_from_db()
            return
        new_state = obj.state
        if "state" in form.changed_data:
            obj.state = form.initial["state"]
        super().save_model(request, obj, form, change)
        if "state" in form.changed_data:
            services.correct_claim(obj, new_state, request.user, note)
            obj.refresh_from_db()

    def _decide(self, request, queryset, state):
        done = 0
        for claim in queryset.select_related("task__edition", "person"):
            try:
                if claim.state < state:
                    services.advance_claim(claim, state, request.user, _("Staff decision."))
                else:
                    services.correct_claim(claim, state, request.user, _("Staff decision."))
                done += 1
            except services.ServiceError as error:
                self.message_user(request, f"{claim}: {error.message}", messages.ERROR)
        self.message_user(request, _("%(count)s claims updated.") % {"count": done})

    @admin.action(description=_("Mark as partially completed (部分完成)"))
    def mark_partial(self, request, queryset):
        self._decide(request, queryset, ClaimState.PARTIAL)

    @admin.action(description=_("Mark as completed (完成任务)"))
    def mark_completed(self, request, queryset):
        self._decide(request, queryset, ClaimState.COMPLETED)

    @admin.action(description=_("Make the selected claim its task's 完成队伍"))
    def make_completing_claim(self, request, queryset):
        for claim in queryset.select_related("task"):
            services.set_completing_claim(claim.task, claim, request.user, _("Staff decision."))
        self.message_user(request, _("%(count)s claims updated.") % {"count": queryset.count()})


@admin.register(PullRequest)
class PullRequestAdmin(admin.ModelAdmin):
    list_display = ("url", "claim", "merged", "created_at")
    list_filter = ("merged", "claim__task__edition")
    search_fields = ("url", "claim__person__github")
    raw_id_fields = ("claim",)
    list_select_related = ("claim__task", "claim__person")


@admin.register(ClaimStateChange)
class ClaimStateChangeAdmin(admin.ModelAdmin):
    list_display = ("claim", "from_state", "to_state", "actor_label", "is_correction", "created_at")
    list_filter = ("is_correction", "to_state", "claim__task__edition")
    search_fields = ("claim__person__github", "note", "actor_label")
    list_select_related = ("claim__task", "claim__person")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CertificateInline(admin.StackedInline):
    model = Certificate
    extra = 0
    fields = ("code", "issued_at", "revoked")
    readonly_fields = ("code", "issued_at")


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = (
        "edition",
        "rank",
        "person",
        "completed_tasks",
        "stars",
        "reward",
        "is_open_source_star",
    )
    list_filter = ("edition", "is_open_source_star")
    search_fields = ("person__github", "person__name")
    list_select_related = ("edition", "person")
    raw_id_fields = ("person",)
    inlines = [CertificateInline]


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ("edition", "person", "status", "created_at", "answered_at")
    list_filter = ("edition", "status")
    search_fields = ("person__github", "text", "answer")
    list_select_related = ("edition", "person")
    readonly_fields = (
        "edition",
        "person",
        "user",
        "text",
        "status",
        "answered_by",
        "answered_at",
        "created_at",
    )
    fields = readonly_fields[:4] + ("answer",) + readonly_fields[4:]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if "answer" in form.changed_data and obj.answer.strip():
            services.answer_objection(obj, request.user, obj.answer)
            obj.refresh_from_db()
        else:
            super().save_model(request, obj, form, change)


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("code", "result", "issued_at", "revoked")
    list_filter = ("revoked", "result__edition")
    search_fields = ("code", "result__person__github")
    list_select_related = ("result__person", "result__edition")
    readonly_fields = ("code", "issued_at")
    raw_id_fields = ("result",)


# --- GitHub webhooks -------------------------------------------------------------------------


@admin.register(Repository)
class RepositoryAdmin(admin.ModelAdmin):
    list_display = ("full_name", "edition")
    list_filter = ("edition",)
    search_fields = ("full_name",)
    list_select_related = ("edition",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "delivery_id",
        "event",
        "action",
        "repository",
        "pull_request_link",
        "author",
        "status",
        "attempts",
        "received_at",
    )
    list_filter = ("status", "event", "action", "received_at")
    search_fields = ("delivery_id", "repository", "pull_request_url", "title", "author", "result")
    date_hierarchy = "received_at"
    readonly_fields = (
        "delivery_id",
        "event",
        "action",
        "repository",
        "pull_request_url",
        "title",
        "author",
        "status",
        "result",
        "error",
        "attempts",
        "received_at",
        "processed_at",
        "payload_text",
    )
    fields = readonly_fields
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("pull request"), ordering="pull_request_url")
    def pull_request_link(self, obj):
        if not obj.pull_request_url.startswith("https://github.com/"):
            return obj.pull_request_url
        return format_html(
            '<a href="{}" rel="noopener nofollow">{}</a>',
            obj.pull_request_url,
            obj.pull_request_url.removeprefix("https://github.com/"),
        )

    @admin.display(description=_("payload"))
    def payload_text(self, obj):
        return format_html(
            "<pre>{}</pre>", json.dumps(obj.payload, ensure_ascii=False, indent=2, sort_keys=True)
        )

    @admin.action(
        description=_("Retry the selected deliveries (failed or needing a look)"),
        permissions=["change"],
    )
    def retry(self, request, queryset):
        for delivery in queryset:
            try:
                delivery = github.retry_delivery(delivery, request.user)
            except services.ServiceError as error:
                self.message_user(request, error.message, messages.WARNING)
                continue
            level = {
                WebhookDelivery.Status.FAILED: messages.ERROR,
                WebhookDelivery.Status.NEEDS_REVIEW: messages.WARNING,
            }.get(delivery.status, messages.SUCCESS)
            self.message_user(
                request,
                _("%(id)s: %(status)s.")
                % {"id": delivery.delivery_id, "status": delivery.get_status_display()},
                level,
            )


@admin.register(PullRequestStatus)
class PullRequestStatusAdmin(admin.ModelAdmin):
    list_display = ("url", "title", "author", "state", "draft", "event_at", "updated_at")
    list_filter = ("state", "draft")
    search_fields = ("url", "title", "author", "repository")
    readonly_fields = (
        "url",
        "repository",
        "number",
        "title",
        "author",
        "state",
        "draft",
        "event_at",
        "updated_at",
    )

    def has_add_permission(self, request):
        return False

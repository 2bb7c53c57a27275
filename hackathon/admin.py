import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.usercache import per_user_cache

from . import github, transitions
from .models import (
    Certificate,
    Claim,
    ClaimState,
    ClaimStateChange,
    Direction,
    Edition,
    EditionEvent,
    GitHubReply,
    Objection,
    ObjectionEvent,
    PullRequest,
    PullRequestStatus,
    Repository,
    Result,
    Task,
    TaskEvent,
    TaskSet,
    TaskSetEvent,
    Track,
    WebhookDelivery,
    WebhookDeliveryEvent,
)


class HistoryInline(admin.TabularInline):
    """A read-only history (common.transitions.AuditEntry rows)."""

    extra = 0
    fields = ("created_at", "action", "from_state", "to_state", "actor_label", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EditionEventInline(HistoryInline):
    model = EditionEvent


class TaskEventInline(HistoryInline):
    model = TaskEvent


class ObjectionEventInline(HistoryInline):
    model = ObjectionEvent


class WebhookDeliveryEventInline(HistoryInline):
    model = WebhookDeliveryEvent


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0
    fields = ("name", "slug", "is_camp", "order")
    show_change_link = True


class StateForm(forms.ModelForm):
    """A model form whose `state` is a plain field: the admin passes it to the transition
    instead of writing it on the object (ModelAdmin.exclude keeps the model field out)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].initial = self.instance.state


class EditionAdminForm(StateForm):
    state = forms.ChoiceField(label=_("state"), choices=Edition.State.choices)

    class Meta:
        model = Edition
        fields = (
            "number",
            "name",
            "start_date",
            "end_date",
            "objection_deadline",
            "objection_reply_date",
            "star_value",
            "reward_cap",
        )


def _publish_url(model_admin):
    """The confirmation page's address: `admin:hackathon_<model>_publish`."""
    return path(
        "<path:object_id>/publish/",
        model_admin.admin_site.admin_view(model_admin.publish_view),
        name=f"hackathon_{model_admin.model._meta.model_name}_publish",
    )


def _compute_results(model_admin, request, scopes):
    """Compute each edition's or standalone activity's results; a refusal is said, not a 500."""
    for scope in scopes:
        try:
            results = transitions.compute_results(scope, request.user)
        except transitions.TransitionError as error:
            model_admin.message_user(request, error.message, messages.ERROR)
            continue
        model_admin.message_user(
            request,
            ngettext(
                "%(edition)s: %(count)s person ranked.",
                "%(edition)s: %(count)s people ranked.",
                len(results),
            )
            % {"edition": scope, "count": len(results)},
            messages.SUCCESS,
        )


def _to_publish_page(model_admin, request, queryset, url_name: str, choose_one: str):
    """The "publish" action: one edition or activity at a time, on its confirmation page."""
    if queryset.count() != 1:
        model_admin.message_user(request, choose_one, messages.WARNING)
        return None
    return HttpResponseRedirect(reverse(url_name, args=[queryset.get().pk]))


def _publish_page(model_admin, request, object_id, field: str):
    """The confirmation page of publishing an edition's or a standalone activity's results:
    the table, the certificates and the e-mails first; publish only on confirmation."""
    scope = model_admin.get_object(request, unquote(object_id))
    if scope is None:
        raise Http404
    if not model_admin.has_change_permission(request, scope):
        raise PermissionDenied
    name = model_admin.model._meta.model_name
    change_url = reverse(f"admin:hackathon_{name}_change", args=[scope.pk])
    of_activity = {field: scope}  # "edition", or "task_set" for a standalone activity
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            transitions.publish_results(scope, request.user)
        except transitions.TransitionError as error:
            model_admin.message_user(request, error.message, messages.ERROR)
        else:
            model_admin.message_user(
                request,
                _("%(edition)s: results published.") % {"edition": scope},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url)
    recompute = request.method == "POST" and request.POST.get("recompute") == "yes"
    if recompute or not Result.objects.filter(**of_activity).exists():
        # The page shows what will be published: the results are computed for it.
        try:
            transitions.compute_results(scope, request.user)
        except transitions.TransitionError as error:
            model_admin.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(change_url)
    results = list(
        Result.objects.filter(**of_activity)
        .select_related("person__user", "certificate")
        .order_by("rank", "person__github")
    )
    new_certificates = [
        result
        for result in results
        if result.completed_tasks and not hasattr(result, "certificate")
    ]
    recipients = [] if scope.results_published else transitions.results_mail_recipients(results)
    mail_context = {"edition": scope, "site_url": settings.SITE_URL}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(
            "hackathon/email/results_published_subject.txt", mail_context
        ).strip()
        body = render_to_string("hackathon/email/results_published_body.txt", mail_context)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Publish the results of %(edition)s") % {"edition": scope},
        "opts": model_admin.model._meta,
        "original": scope,
        "changelist_url": reverse(f"admin:hackathon_{name}_changelist"),
        "change_url": change_url,
        "results": results,
        "new_certificates": new_certificates,
        "recipients": recipients,
        "subject": subject,
        "body": body,
    }
    return TemplateResponse(request, "hackathon/admin_publish.html", context)


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    form = EditionAdminForm
    exclude = ("state",)
    list_display = ("number", "name", "state", "start_date", "end_date", "objection_deadline")
    list_filter = ("state",)
    search_fields = ("name", "number")
    readonly_fields = ("results_published_at", "webhook_repositories")
    inlines = [TrackInline, EditionEventInline]

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
        super().save_model(request, obj, form, change)
        if not change:
            transitions.record(obj, transitions.Actor.of(request.user), "create")
        # The state moves through its transition (history, certificates, e-mail), not the form.
        # Publishing results asks first, on its own page (response_change sends staff there).
        wanted = form.cleaned_data.get("state")
        if wanted == Edition.State.RESULTS_PUBLISHED and not obj.results_published:
            request._publish_edition = obj.pk
        elif wanted and wanted != obj.state:
            try:
                transitions.change_edition_state(obj, wanted, request.user)
            except transitions.TransitionError as error:
                self.message_user(request, error.message, messages.ERROR)
            obj.refresh_from_db()

    def response_change(self, request, obj):
        if getattr(request, "_publish_edition", None) == obj.pk:
            return HttpResponseRedirect(reverse("admin:hackathon_edition_publish", args=[obj.pk]))
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "_publish_edition", None) == obj.pk:
            return HttpResponseRedirect(reverse("admin:hackathon_edition_publish", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def get_urls(self):
        return [_publish_url(self), *super().get_urls()]

    def publish_view(self, request, object_id):
        """Publishing results issues certificates and e-mails everyone ranked: show the table,
        the certificates and the e-mails first, and publish only on confirmation."""
        return _publish_page(self, request, object_id, "edition")

    @admin.action(description=_("Publish the results of the selected edition (asks first)"))
    def publish_results(self, request, queryset):
        return _to_publish_page(
            self,
            request,
            queryset,
            "admin:hackathon_edition_publish",
            _("Choose one edition: each is published on its own page."),
        )

    @admin.action(description=_("Compute the results of the selected editions"))
    def compute_results(self, request, queryset):
        _compute_results(self, request, queryset)


class TaskSetEventInline(HistoryInline):
    model = TaskSetEvent


@admin.register(TaskSet)
class TaskSetAdmin(admin.ModelAdmin):
    """An edition's sets (main, Sprint, …) and standalone activities: tags, repositories, the
    RFC repository and the task issue the webhook reads. A standalone activity's results are
    computed and published here (actions), like an edition's."""

    list_display = (
        "name",
        "edition",
        "slug",
        "is_main",
        "state",
        "number_follows_tag",
        "rfc_repository",
        "issue_url",
    )
    list_filter = ("edition", "is_main", "number_follows_tag", "state")
    search_fields = ("name", "slug", "title_tags", "repositories")
    list_select_related = ("edition",)
    readonly_fields = ("state", "results_published_at")
    inlines = [TaskSetEventInline]
    actions = ["compute_results", "publish_results"]

    def get_urls(self):
        return [_publish_url(self), *super().get_urls()]

    def publish_view(self, request, object_id):
        task_set = self.get_object(request, unquote(object_id))
        if task_set is not None and task_set.edition_id is not None:
            self.message_user(
                request,
                _("%(set)s belongs to %(edition)s: its results are the edition's.")
                % {"set": task_set.name, "edition": task_set.edition},
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:hackathon_taskset_changelist"))
        return _publish_page(self, request, object_id, "task_set")

    @admin.action(description=_("Publish the results of the selected activity (asks first)"))
    def publish_results(self, request, queryset):
        return _to_publish_page(
            self,
            request,
            queryset,
            "admin:hackathon_taskset_publish",
            _("Choose one activity: each is published on its own page."),
        )

    @admin.action(description=_("Compute the results of the selected standalone activities"))
    def compute_results(self, request, queryset):
        _compute_results(self, request, queryset.select_related("edition"))


@admin.register(GitHubReply)
class GitHubReplyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "state", "attempts", "created_at", "sent_at")
    list_filter = ("state",)
    search_fields = ("repository", "body")
    readonly_fields = (
        "delivery",
        "repository",
        "issue_number",
        "body",
        "state",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False


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


def edition_label(edition, *names) -> str:
    """Track and direction names repeat in every edition (框架开发 each year): the admin's
    choices and filters name the edition too, or staff pick the wrong year's row."""
    return " / ".join([str(edition) if edition else str(_("standalone")), *names])


class TrackFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        tracks = Track.objects.select_related("edition").order_by("-edition__number", "order")
        return [(track.pk, edition_label(track.edition, track.name)) for track in tracks]


class DirectionFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        directions = Direction.objects.select_related("track__edition").order_by(
            "-track__edition__number", "track__order", "order"
        )
        return [(d.pk, edition_label(d.track.edition, d.track.name, d.name)) for d in directions]


class DirectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, direction):
        return edition_label(direction.track.edition, direction.track.name, direction.name)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "identifier",
        "title",
        "task_set",
        "direction",
        "difficulty",
        "needs_rfc",
        "state",
        "completed_claim",
    )
    list_display_links = ("number", "title")
    list_filter = (
        "edition",
        "task_set",
        "state",
        "needs_rfc",
        ("direction__track", TrackFilter),
        ("direction", DirectionFilter),
    )
    search_fields = ("title", "number", "identifier", "description")
    list_select_related = (
        "task_set__edition",
        "direction__track__edition",
        "completed_claim__person",
    )
    raw_id_fields = ("completed_claim",)
    inlines = [ClaimInline, TaskEventInline]
    actions = ["withdraw", "reopen"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "direction":
            kwargs["form_class"] = DirectionChoiceField
            kwargs["queryset"] = Direction.objects.select_related("track__edition")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    readonly_fields = ("state", "completed_at", "created_at", "updated_at")

    def _change_tasks(self, request, queryset, change, done_message):
        done = 0
        for task in queryset:
            try:
                change(task, request.user, _("Staff decision."))
            except transitions.TransitionError as error:
                self.message_user(request, f"{task}: {error.message}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, done_message % {"count": done})

    @admin.action(description=_("Withdraw the selected tasks"))
    def withdraw(self, request, queryset):
        self._change_tasks(
            request, queryset, transitions.withdraw_task, _("%(count)s tasks withdrawn.")
        )

    @admin.action(description=_("Reopen the selected tasks"))
    def reopen(self, request, queryset):
        self._change_tasks(
            request, queryset, transitions.reopen_task, _("%(count)s tasks reopened.")
        )


class PullRequestInline(admin.TabularInline):
    model = PullRequest
    extra = 0
    fields = ("url", "merged", "merged_at", "created_at")
    readonly_fields = ("created_at",)


class ClaimStateChangeInline(admin.TabularInline):
    model = ClaimStateChange
    extra = 0
    fields = (
        "created_at",
        "action",
        "from_state",
        "to_state",
        "actor_label",
        "is_correction",
        "note",
    )
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ClaimAdminForm(StateForm):
    state = forms.TypedChoiceField(label=_("state"), choices=ClaimState.choices, coerce=int)
    correction_note = forms.CharField(
        label=_("Reason for a state change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A state changed here is recorded as a staff correction with this note."),
    )

    class Meta:
        model = Claim
        fields = ("task", "person", "team_name", "created_at")


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    form = ClaimAdminForm
    exclude = ("state",)
    list_display = ("task", "person", "team_name", "state", "created_at", "state_changed_at")
    list_filter = ("task__edition", "state", ("task__direction__track", TrackFilter))
    search_fields = ("person__github", "team_name", "task__title", "task__number")
    list_select_related = ("task__edition", "person")
    raw_id_fields = ("task", "person")
    readonly_fields = ("state_changed_at",)
    inlines = [PullRequestInline, ClaimStateChangeInline]
    actions = ["mark_partial", "mark_completed", "make_completing_claim"]

    @method_decorator(per_user_cache)
    def changelist_view(self, request, extra_context=None):
        # Staff open the list again and again: served from memory until any data changes.
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        note = form.cleaned_data.get("correction_note", "")
        if not change:
            # Created at 报名 through the transition, then corrected to the chosen state.
            claim, _created = transitions.ensure_claim(
                obj.task, obj.person, request.user, team_name=obj.team_name
            )
            obj.pk = claim.pk
            obj.refresh_from_db()
        else:
            super().save_model(request, obj, form, change)
        wanted = form.cleaned_data.get("state")
        if wanted and wanted != obj.state:
            transitions.correct_claim(obj, wanted, request.user, note)
            obj.refresh_from_db()

    def _decide(self, request, queryset, state):
        done = 0
        for claim in queryset.select_related("task__edition", "person"):
            try:
                if claim.state < state:
                    transitions.advance_claim(claim, state, request.user, _("Staff decision."))
                else:
                    transitions.correct_claim(claim, state, request.user, _("Staff decision."))
                done += 1
            except transitions.TransitionError as error:
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
            transitions.set_completing_claim(claim.task, claim, request.user, _("Staff decision."))
        self.message_user(request, _("%(count)s claims updated.") % {"count": queryset.count()})


class HeldFilter(admin.SimpleListFilter):
    """Code PRs held because their task needs an RFC and the claim had no merged design
    document: the staff's one list of what waits for a release."""

    title = _("held until released")
    parameter_name = "held"

    def lookups(self, request, model_admin):
        return [("yes", _("held (waiting for the RFC)")), ("no", _("not held"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.held()
        if self.value() == "no":
            return queryset.filter(held_state__isnull=True)
        return queryset


@admin.register(PullRequest)
class PullRequestAdmin(admin.ModelAdmin):
    list_display = ("url", "claim", "task_set", "claim_state", "held_state", "merged", "created_at")
    list_filter = (HeldFilter, "merged", "claim__task__edition", "claim__task__task_set")
    search_fields = ("url", "claim__person__github")
    raw_id_fields = ("claim",)
    readonly_fields = ("held_state",)
    list_select_related = ("claim__task__task_set__edition", "claim__person")
    actions = ["release_held"]

    @admin.display(description=_("task set"), ordering="claim__task__task_set")
    def task_set(self, obj):
        return obj.claim.task.task_set

    @admin.display(description=_("claim state"), ordering="claim__state")
    def claim_state(self, obj):
        return obj.claim.get_state_display()

    @admin.action(
        description=_("Release the selected held pull requests (apply their effect)"),
        permissions=["change"],
    )
    def release_held(self, request, queryset):
        done = 0
        for pull in queryset.select_related("claim__person", "claim__task"):
            try:
                transitions.release_held_pull_request(pull, request.user)
            except transitions.TransitionError as error:
                self.message_user(request, f"{pull.url}: {error.message}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(
                request, _("%(count)s held pull requests released.") % {"count": done}
            )


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
        "task_set",
        "rank",
        "person",
        "completed_tasks",
        "stars",
        "reward",
        "is_open_source_star",
    )
    list_filter = ("edition", "task_set", "is_open_source_star")
    search_fields = ("person__github", "person__name")
    list_select_related = ("edition", "task_set", "person")
    raw_id_fields = ("person",)
    inlines = [CertificateInline]


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ("edition", "task_set", "person", "state", "created_at", "answered_at")
    list_filter = ("edition", "task_set", "state")
    search_fields = ("person__github", "text", "answer")
    list_select_related = ("edition", "task_set", "person")
    readonly_fields = (
        "edition",
        "task_set",
        "person",
        "user",
        "text",
        "state",
        "answered_by",
        "answered_at",
        "created_at",
    )
    fields = readonly_fields[:5] + ("answer",) + readonly_fields[5:]
    inlines = [ObjectionEventInline]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if "answer" in form.changed_data and obj.answer.strip():
            transitions.answer_objection(obj, request.user, obj.answer)
            obj.refresh_from_db()
        else:
            super().save_model(request, obj, form, change)


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("code", "result", "issued_at", "revoked")
    list_filter = ("revoked", "result__edition", "result__task_set")
    search_fields = ("code", "result__person__github")
    list_select_related = ("result__person", "result__edition", "result__task_set")
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
        "state",
        "attempts",
        "received_at",
    )
    list_filter = ("state", "event", "action", "received_at")
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
        "state",
        "result",
        "error",
        "attempts",
        "received_at",
        "processed_at",
        "payload_text",
    )
    fields = readonly_fields
    inlines = [WebhookDeliveryEventInline]
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
            except transitions.TransitionError as error:
                self.message_user(request, error.message, messages.WARNING)
                continue
            level = {
                WebhookDelivery.State.FAILED: messages.ERROR,
                WebhookDelivery.State.NEEDS_REVIEW: messages.WARNING,
            }.get(delivery.state, messages.SUCCESS)
            self.message_user(
                request,
                _("%(id)s: %(status)s.")
                % {"id": delivery.delivery_id, "status": delivery.get_state_display()},
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

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin_actions import ReadOnlyInline, apply_to_each, history_inline

from . import exports, queries, transitions
from .forms import EventAdminForm
from .models import Answer, Event, EventChange, Question, Registration, RegistrationChange

# Every state change goes through events.transitions, one object at a time, so bulk actions
# record history and e-mail people like the pages do.


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = (("label", "kind", "required", "order"), "help_text", "choices")


EventChangeInline = history_inline(EventChange)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = ("title", "kind", "starts_at", "state", "seats", "waiting_count")
    list_filter = ("state", "kind", "format", "starts_at")
    search_fields = ("title", "slug", "venue")
    date_hierarchy = "starts_at"
    ordering = ("-starts_at",)
    raw_id_fields = ("speakers",)
    inlines = [QuestionInline, EventChangeInline]
    actions = ["publish", "cancel_events", "export_registrations"]
    readonly_fields = ("state", "seats_taken", "waiting_count", "links")
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "state", "links", "summary", "description")}),
        (
            _("When and where"),
            {"fields": ("starts_at", "ends_at", "format", "venue", "address", "online_url")},
        ),
        (_("Speakers"), {"fields": ("speakers",)}),
        (
            _("Registration"),
            {
                "fields": (
                    "registration_enabled",
                    "capacity",
                    "registration_closes_at",
                    "seats_taken",
                    "waiting_count",
                )
            },
        ),
        (_("Afterwards"), {"fields": ("recording_url", "slides_url")}),
    )

    @admin.display(description=_("seats"))
    def seats(self, event):
        if event.capacity is None:
            return f"{event.seats_taken}"
        return f"{event.seats_taken} / {event.capacity}"

    @admin.display(description=_("pages"))
    def links(self, event):
        if event.pk is None:
            return "—"
        registrations = (
            reverse("admin:events_registration_changelist") + f"?event__id__exact={event.pk}"
        )
        if event.state not in (Event.State.PUBLISHED, Event.State.CANCELLED):
            # A draft has no check-in list or export yet (they answer 404 until it is published).
            return format_html(
                '<a href="{}">{}</a> · <a href="{}">{}</a>',
                event.get_absolute_url(),
                _("public page"),
                registrations,
                _("registrations"),
            )
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            event.get_absolute_url(),
            _("public page"),
            registrations,
            _("registrations"),
            reverse("events:check_in_list", kwargs={"slug": event.slug}),
            _("check-in list"),
            reverse("events:registrations_csv", kwargs={"slug": event.slug}),
            _("CSV"),
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            promoted = transitions.fill_from_waitlist(obj, request.user)
            if promoted:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d person moved up from the waiting list and was e-mailed.",
                        "%(count)d people moved up from the waiting list and were e-mailed.",
                        len(promoted),
                    )
                    % {"count": len(promoted)},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Publish the selected events"), permissions=["change"])
    def publish(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            transitions.publish,
            lambda n: ngettext("%(count)d event published.", "%(count)d events published.", n),
        )

    @admin.action(
        description=_("Cancel the selected events (e-mails everyone registered)"),
        permissions=["change"],
    )
    def cancel_events(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            transitions.cancel_event,
            lambda n: ngettext("%(count)d event cancelled.", "%(count)d events cancelled.", n),
        )

    @admin.action(description=_("Export the registrations of the selected events (CSV)"))
    def export_registrations(self, request, queryset):
        registrations = Registration.objects.filter(event__in=queryset).order_by(
            "event__starts_at", "event_id", "created_at", "pk"
        )
        return exports.registrations_csv(
            queries.export_registrations(registrations), "registrations.csv"
        )


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ("question_label", "value")
    readonly_fields = fields


RegistrationChangeInline = history_inline(RegistrationChange)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "event", "state", "created_at", "checked_in_at")
    list_filter = ("state", ("event", admin.RelatedOnlyFieldListFilter), "created_at")
    search_fields = (
        "name",
        "email",
        "user__username",
        "user__email",
        "event__title",
        "event__slug",
    )
    list_select_related = ("event",)
    ordering = ("-created_at", "-pk")
    inlines = [AnswerInline, RegistrationChangeInline]
    actions = ["export_csv", "check_in", "promote", "cancel"]
    fields = (
        "event",
        "user",
        "name",
        "email",
        "language",
        "state",
        "created_at",
        "checked_in_at",
        "reminded_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # people register on the event's page

    @admin.action(description=_("Export the selected registrations (CSV)"))
    def export_csv(self, request, queryset):
        registrations = queryset.order_by("event__starts_at", "event_id", "created_at", "pk")
        return exports.registrations_csv(
            queries.export_registrations(registrations), "registrations.csv"
        )

    @admin.action(description=_("Check the selected people in"), permissions=["change"])
    def check_in(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            transitions.check_in,
            lambda n: ngettext("%(count)d person checked in.", "%(count)d people checked in.", n),
        )

    @admin.action(
        description=_("Give the selected people on the waiting list a seat"),
        permissions=["change"],
    )
    def promote(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            transitions.promote,
            lambda n: ngettext(
                "%(count)d person moved up and was e-mailed.",
                "%(count)d people moved up and were e-mailed.",
                n,
            ),
        )

    @admin.action(
        description=_("Cancel the selected registrations (e-mails them)"), permissions=["change"]
    )
    def cancel(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            transitions.cancel,
            lambda n: ngettext(
                "%(count)d registration cancelled.", "%(count)d registrations cancelled.", n
            ),
        )

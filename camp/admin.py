from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    CampApplication,
    CampEvent,
    Cohort,
    Grade,
    Mentorship,
    Project,
    Reminder,
    Report,
    ReportEvent,
    ReportPeriod,
    Review,
    TechTalk,
)


class ReportPeriodInline(admin.TabularInline):
    model = ReportPeriod
    extra = 0
    fields = ["number", "start_date", "end_date", "due_date"]


class TechTalkInline(admin.TabularInline):
    model = TechTalk
    extra = 0
    autocomplete_fields = ["speaker"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["title", "edition", "batch", "status", "start_date", "end_date", "links"]
    list_filter = ["status", "batch", "edition"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["teaching_assistants"]
    inlines = [ReportPeriodInline, TechTalkInline]
    readonly_fields = ["links"]
    actions = ["regenerate_periods"]
    list_select_related = ["edition"]

    @admin.display(description=_("pages"))
    def links(self, cohort):
        if not cohort.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            cohort.get_absolute_url(),
            _("page"),
            reverse("camp:checklist", kwargs={"cohort": cohort.slug}),
            _("checklist"),
            reverse("camp:reminders", kwargs={"cohort": cohort.slug}),
            _("reminders"),
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or {"start_date", "end_date", "period_days"} & set(form.changed_data):
            services.generate_periods(obj)

    @admin.action(description=_("Generate the report periods from the dates"))
    def regenerate_periods(self, request, queryset):
        for cohort in queryset:
            services.generate_periods(cohort)
        self.message_user(request, _("Periods generated."), messages.SUCCESS)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cohort", "seats", "repository"]
    list_filter = ["cohort"]
    search_fields = ["title", "introduction"]
    autocomplete_fields = ["mentors"]
    list_select_related = ["cohort__edition"]


class GradeInline(admin.StackedInline):
    model = Grade
    extra = 0
    fields = ["level", "months", "defense_date", "comment", "reward_display"]
    readonly_fields = ["reward_display"]

    @admin.display(description=_("reward (¥)"))
    def reward_display(self, grade):
        return grade.reward if grade.pk else "—"


class MentorshipForm(forms.ModelForm):
    class Meta:
        model = Mentorship
        fields = ["project", "mentee", "mentors", "status", "locked_at"]

    def clean_mentors(self):
        mentors = self.cleaned_data["mentors"]
        if not 1 <= len(mentors) <= 2:
            raise forms.ValidationError(_("A mentee has one or two mentors."))
        mentee = self.cleaned_data.get("mentee")
        if mentee is not None and mentee in mentors:
            raise forms.ValidationError(_("A mentee cannot be their own mentor."))
        return mentors


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    form = MentorshipForm
    list_display = ["mentee", "project", "cohort", "status", "grade_display"]
    list_filter = ["cohort", "status"]
    search_fields = ["mentee__github", "mentee__name", "project__title"]
    autocomplete_fields = ["mentee", "mentors", "project"]
    inlines = [GradeInline]
    list_select_related = ["mentee", "project", "cohort__edition", "grade"]

    @admin.display(description=_("grade"))
    def grade_display(self, mentorship):
        grade = getattr(mentorship, "grade", None)
        return grade.get_level_display() if grade else "—"

    def save_formset(self, request, form, formset, change):
        for grade in formset.save(commit=False):
            grade.recorded_by = request.user
            grade.save()
        for grade in formset.deleted_objects:
            grade.delete()


@admin.register(CampApplication)
class CampApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "applicant",
        "cohort",
        "first_choice",
        "accepts_reassignment",
        "status",
        "created_at",
        "resume_link",
    ]
    list_filter = ["cohort", "status", "accepts_reassignment"]
    search_fields = ["applicant__github", "applicant__name", "statement"]
    autocomplete_fields = ["applicant", "first_choice", "other_choices", "user"]
    readonly_fields = ["resume_link", "locked_project", "created_at"]
    exclude = ["resume"]
    actions = ["lock_onto_first_choice", "decline"]
    list_select_related = ["applicant", "cohort__edition", "first_choice"]

    @admin.display(description=_("résumé"))
    def resume_link(self, application):
        if not application.resume:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("camp:resume", args=[application.pk]), _("download")
        )

    @admin.action(description=_("Lock onto the first choice (锁定营员) with its mentors"))
    def lock_onto_first_choice(self, request, queryset):
        for application in queryset.select_related("first_choice"):
            mentors = list(application.first_choice.mentors.all()[:2])
            try:
                services.lock_mentee(request.user, application, application.first_choice, mentors)
            except services.CampError as error:
                self.message_user(request, f"{application}: {error}", messages.ERROR)
            else:
                self.message_user(request, _("Locked: %s") % application, messages.SUCCESS)

    @admin.action(description=_("Decline the selected applications"))
    def decline(self, request, queryset):
        for application in queryset:
            try:
                services.reject_application(request.user, application)
            except services.CampError as error:
                self.message_user(request, f"{application}: {error}", messages.ERROR)


class ReviewInline(admin.StackedInline):
    model = Review
    extra = 0
    autocomplete_fields = ["mentor"]


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "actor", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["mentorship", "period", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status", "mentorship__cohort", "period__number"]
    search_fields = ["mentorship__mentee__github", "work", "next_work"]
    autocomplete_fields = ["mentorship"]
    readonly_fields = ["pr_links", "source_path", "created_at", "updated_at"]
    inlines = [ReviewInline, ReportEventInline]
    list_select_related = ["mentorship__mentee", "mentorship__project", "period"]
    date_hierarchy = "submitted_at"


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["report", "mentor", "created_at"]
    search_fields = ["text", "mentor__github", "report__mentorship__mentee__github"]
    autocomplete_fields = ["mentor", "report"]
    list_select_related = ["mentor", "report__mentorship__mentee", "report__period"]


@admin.register(ReportPeriod)
class ReportPeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cohort", "due_date"]
    list_filter = ["cohort"]
    search_fields = ["cohort__slug"]


@admin.register(TechTalk)
class TechTalkAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "date", "speaker_display", "materials"]
    list_filter = ["cohort"]
    search_fields = ["title", "speaker__github", "speaker_name"]
    autocomplete_fields = ["speaker"]

    @admin.display(description=_("speaker"))
    def speaker_display(self, talk):
        return talk.speaker_display


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ["mentorship", "level", "stars", "months", "reward", "defense_date"]
    list_filter = ["level", "mentorship__cohort"]
    search_fields = ["mentorship__mentee__github"]
    autocomplete_fields = ["mentorship"]
    readonly_fields = ["recorded_by", "recorded_at"]
    list_select_related = [
        "mentorship__mentee",
        "mentorship__project",
        "mentorship__cohort__edition",
    ]

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "period", "sent_at"]
    list_filter = ["kind", "period__cohort"]
    search_fields = ["person__github"]
    list_select_related = ["person", "period"]


@admin.register(CampEvent)
class CampEventAdmin(admin.ModelAdmin):
    list_display = ["at", "cohort", "action", "subject", "actor"]
    list_filter = ["action", "cohort"]
    search_fields = ["subject", "detail"]
    list_select_related = ["cohort__edition", "actor"]

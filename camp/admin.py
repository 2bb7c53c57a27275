from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from common.usercache import per_user_cache

from . import transitions
from .models import (
    CampApplication,
    Cohort,
    Grade,
    Mentorship,
    MentorSuggestion,
    Programme,
    Project,
    Reminder,
    Report,
    ReportComment,
    ReportPeriod,
    Review,
    ReviewRevision,
    TechTalk,
)
from .periods import generate_periods
from .transitions import TransitionError


def history_table(entries):
    """An audit trail, read only, as a small table (no inline formset to submit)."""
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                f"{entry.created_at:%Y-%m-%d %H:%M}",
                entry.action,
                entry.from_state or "—",
                entry.to_state or "—",
                entry.actor_label,
                entry.note,
            )
            for entry in entries
        ),
    )
    return format_html("<table>{}</table>", rows) if rows else "—"


class HistoryMixin:
    @admin.display(description=_("history"))
    def history(self, obj):
        return history_table(obj.events.all()) if obj.pk else "—"


class ReportPeriodInline(admin.TabularInline):
    model = ReportPeriod
    extra = 0
    fields = ["number", "start_date", "end_date", "due_date"]


class TechTalkInline(admin.TabularInline):
    model = TechTalk
    extra = 0
    autocomplete_fields = ["speaker"]
    raw_id_fields = ["event"]


def _report(model_admin, request, obj, error):
    model_admin.message_user(request, f"{obj}: {error}", messages.ERROR)


def _cohort_action(to, description):
    @admin.action(description=description)
    def action(model_admin, request, queryset):
        for cohort in queryset:
            try:
                transitions.set_cohort_state(cohort, request.user, to)
            except TransitionError as error:
                _report(model_admin, request, cohort, error)

    action.__name__ = f"make_{to}"
    return action


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "website"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Cohort)
class CohortAdmin(HistoryMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "edition",
        "programme",
        "batch",
        "state",
        "start_date",
        "end_date",
        "reports_public",
        "links",
    ]
    list_filter = ["state", "batch", "edition", "programme", "reports_public"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["teaching_assistants"]
    inlines = [ReportPeriodInline, TechTalkInline]
    readonly_fields = ["state", "links", "history"]
    actions = [
        "regenerate_periods",
        _cohort_action(Cohort.State.APPLICATIONS_OPEN, _("Open for applications")),
        _cohort_action(Cohort.State.RUNNING, _("Start (running)")),
        _cohort_action(Cohort.State.FINISHED, _("Finish")),
        _cohort_action(Cohort.State.DRAFT, _("Back to draft (hidden)")),
    ]
    list_select_related = ["edition", "programme"]

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
        if not change:
            transitions.record_cohort_created(obj, request.user)
        if not change or {"start_date", "end_date", "period_days"} & set(form.changed_data):
            generate_periods(obj)

    @admin.action(description=_("Generate the report periods from the dates"))
    def regenerate_periods(self, request, queryset):
        for cohort in queryset:
            generate_periods(cohort)
        self.message_user(request, _("Periods generated."), messages.SUCCESS)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cohort", "seats", "repository"]
    list_filter = ["cohort"]
    search_fields = ["title", "introduction", "cohort__slug", "cohort__name"]
    autocomplete_fields = ["mentors"]
    list_select_related = ["cohort__edition"]

    def get_queryset(self, request):
        # Each project's label names its cohort (the autocomplete lists every cohort's).
        return super().get_queryset(request).select_related("cohort")


class GradeInline(admin.StackedInline):
    """The grade, recorded through transitions.record_grade (audit entry, mentorship completed)."""

    model = Grade
    extra = 0
    max_num = 1
    can_delete = False
    fields = ["level", "months", "defense_date", "comment", "reward_display"]
    readonly_fields = ["reward_display"]

    @admin.display(description=_("reward (¥)"))
    def reward_display(self, grade):
        return grade.reward if grade.pk else "—"


class MentorshipForm(forms.ModelForm):
    class Meta:
        model = Mentorship
        fields = ["project", "mentee", "mentors", "locked_at"]

    def clean_mentors(self):
        mentors = self.cleaned_data["mentors"]
        if not 1 <= len(mentors) <= 2:
            raise forms.ValidationError(_("A mentee has one or two mentors."))
        mentee = self.cleaned_data.get("mentee")
        if mentee is not None and mentee in mentors:
            raise forms.ValidationError(_("A mentee cannot be their own mentor."))
        return mentors


def suggestions_table(suggestions):
    """Mentor suggestions, read only (no formset to submit with the mentorship's form)."""
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (s.login and f"@{s.login}" or s.identity, s.get_rule_display(), s.weight, s.evidence)
            for s in suggestions
        ),
    )
    return format_html("<table>{}</table>", rows) if rows else "—"


class WithoutMentorFilter(admin.SimpleListFilter):
    title = _("mentee's mentors")
    parameter_name = "mentors"

    def lookups(self, request, model_admin):
        return [("none", _("no mentor yet")), ("some", _("has a mentor"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(mentorship__mentors__isnull=True)
        if self.value() == "some":
            return queryset.filter(mentorship__mentors__isnull=False).distinct()
        return queryset


@admin.register(MentorSuggestion)
class MentorSuggestionAdmin(admin.ModelAdmin):
    """Who may have mentored an imported mentee, by rule from the git history. Nothing here is
    a mentor until staff accept it; a suggestion without a login needs one filled in first."""

    list_display = [
        "mentee",
        "cohort",
        "login",
        "identity",
        "rule",
        "weight",
        "evidence",
        "accepted",
    ]
    list_filter = [WithoutMentorFilter, "rule", "mentorship__cohort"]
    search_fields = ["login", "identity", "mentorship__mentee__github", "evidence"]
    list_select_related = ["mentorship__mentee", "mentorship__cohort__edition"]
    fields = ["mentorship", "login", "identity", "rule", "weight", "evidence"]
    readonly_fields = ["mentorship", "identity", "rule", "weight", "evidence"]
    actions = ["accept"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("mentorship__mentors")

    @admin.display(description=_("mentee"), ordering="mentorship__mentee__github")
    def mentee(self, suggestion):
        return suggestion.mentorship.mentee

    @admin.display(description=_("cohort"))
    def cohort(self, suggestion):
        return suggestion.mentorship.cohort.slug

    @admin.display(description=_("accepted"), boolean=True)
    def accepted(self, suggestion):
        logins = {mentor.github.lower() for mentor in suggestion.mentorship.mentors.all()}
        return bool(suggestion.login) and suggestion.login.lower() in logins

    @admin.action(description=_("Accept: make the suggested person the mentee's mentor"))
    def accept(self, request, queryset):
        for suggestion in queryset.select_related("mentorship"):
            try:
                transitions.accept_mentor_suggestion(suggestion, request.user)
            except TransitionError as error:
                _report(self, request, suggestion, error)
            else:
                self.message_user(request, _("Mentor added: %s") % suggestion, messages.SUCCESS)


@admin.register(Mentorship)
class MentorshipAdmin(HistoryMixin, admin.ModelAdmin):
    form = MentorshipForm
    list_display = ["mentee", "project", "cohort", "state", "grade_display"]
    list_filter = ["cohort", "state"]
    search_fields = ["mentee__github", "mentee__name", "project__title"]
    autocomplete_fields = ["mentee", "mentors", "project"]
    readonly_fields = ["state", "ended_at", "mentor_suggestions", "history"]
    inlines = [GradeInline]
    list_select_related = ["mentee", "project__cohort", "cohort__edition", "grade"]
    actions = ["withdraw"]

    @admin.display(description=_("mentor suggestions (accept one under Camp › Mentor suggestions)"))
    def mentor_suggestions(self, mentorship):
        return suggestions_table(mentorship.mentor_suggestions.all()) if mentorship.pk else "—"

    @admin.display(description=_("grade"))
    def grade_display(self, mentorship):
        grade = getattr(mentorship, "grade", None)
        return grade.get_level_display() if grade else "—"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            transitions.record_created(obj, request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Grade:
            return super().save_formset(request, form, formset, change)
        # The admin's change message reads these; the grade is saved by the transition.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for grade_form in formset.forms:
            if not grade_form.has_changed() or not grade_form.is_valid():
                continue
            data = grade_form.cleaned_data
            try:
                transitions.record_grade(
                    form.instance,
                    request.user,
                    level=data["level"],
                    months=data["months"],
                    defense_date=data.get("defense_date"),
                    comment=data.get("comment", ""),
                )
            except TransitionError as error:
                _report(self, request, form.instance, error)

    @admin.action(description=_("Withdraw the selected mentees from the camp"))
    def withdraw(self, request, queryset):
        for mentorship in queryset:
            try:
                transitions.withdraw_mentorship(mentorship, request.user)
            except TransitionError as error:
                _report(self, request, mentorship, error)


@admin.register(CampApplication)
class CampApplicationAdmin(HistoryMixin, admin.ModelAdmin):
    list_display = [
        "applicant",
        "cohort",
        "first_choice",
        "accepts_reassignment",
        "state",
        "created_at",
        "resume_link",
    ]
    list_filter = ["cohort", "state", "accepts_reassignment"]
    search_fields = ["applicant__github", "applicant__name", "statement"]
    autocomplete_fields = ["applicant", "first_choice", "other_choices", "user"]
    readonly_fields = ["state", "resume_link", "locked_project", "created_at", "history"]
    exclude = ["resume"]
    actions = ["lock_onto_first_choice", "decline", "withdraw"]
    list_select_related = ["applicant", "cohort__edition", "first_choice__cohort"]

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
                transitions.lock_mentee(
                    application, request.user, application.first_choice, mentors
                )
            except TransitionError as error:
                _report(self, request, application, error)
            else:
                self.message_user(request, _("Locked: %s") % application, messages.SUCCESS)

    @admin.action(description=_("Decline the selected applications"))
    def decline(self, request, queryset):
        for application in queryset:
            try:
                transitions.reject_application(application, request.user)
            except TransitionError as error:
                _report(self, request, application, error)

    @admin.action(description=_("Withdraw the selected applications (on the applicant's word)"))
    def withdraw(self, request, queryset):
        for application in queryset:
            try:
                transitions.withdraw_application(application, request.user)
            except TransitionError as error:
                _report(self, request, application, error)


class ReviewInline(admin.StackedInline):
    """Reviews are written and corrected by mentors on the report's page (with history)."""

    model = Review
    extra = 0
    can_delete = False
    fields = ["mentor", "text", "created_at", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReportCommentInline(admin.TabularInline):
    model = ReportComment
    extra = 0
    can_delete = False
    fields = ["created_at", "author", "kind", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(HistoryMixin, admin.ModelAdmin):
    list_display = ["mentorship", "period", "state", "submitted_at", "reviewed_at"]
    list_filter = ["state", "mentorship__cohort", "period__number"]
    search_fields = ["mentorship__mentee__github", "work", "next_work"]
    autocomplete_fields = ["mentorship"]
    readonly_fields = [
        "state",
        "pr_links",
        "source_path",
        "created_at",
        "updated_at",
        "history",
    ]
    inlines = [ReviewInline, ReportCommentInline]
    list_select_related = ["mentorship__mentee", "mentorship__project__cohort", "period"]
    date_hierarchy = "submitted_at"

    @method_decorator(per_user_cache)
    def changelist_view(self, request, extra_context=None):
        # Staff open the list again and again: served from memory until any data changes.
        return super().changelist_view(request, extra_context)


class ReviewRevisionInline(admin.TabularInline):
    model = ReviewRevision
    extra = 0
    can_delete = False
    fields = ["written_at", "replaced_at", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["report", "mentor", "created_at", "updated_at"]
    search_fields = ["text", "mentor__github", "report__mentorship__mentee__github"]
    autocomplete_fields = ["mentor", "report"]
    readonly_fields = ["report", "text", "created_at", "updated_at"]
    inlines = [ReviewRevisionInline]
    list_select_related = ["mentor", "report__mentorship__mentee", "report__period"]

    def has_add_permission(self, request):
        return False


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
    raw_id_fields = ["event"]

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
        "mentorship__project__cohort",
        "mentorship__cohort__edition",
    ]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Through the transition: the mentorship is completed and the change recorded.
        saved = transitions.record_grade(
            obj.mentorship,
            request.user,
            level=obj.level,
            months=obj.months,
            defense_date=obj.defense_date,
            comment=obj.comment,
        )
        obj.pk = saved.pk


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "period", "sent_at"]
    list_filter = ["kind", "period__cohort"]
    search_fields = ["person__github"]
    list_select_related = ["person", "period"]

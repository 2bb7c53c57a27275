from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin_actions import ReadOnlyInline, apply_to_each, history_inline

from . import transitions
from .models import (
    Award,
    Certificate,
    Contest,
    ContestChange,
    Criterion,
    Direction,
    Judge,
    JudgeChange,
    Prize,
    Registration,
    RegistrationChange,
    Score,
    Scorecard,
    Screenshot,
    Submission,
    SubmissionChange,
)

# Every state change goes through judging.transitions, one object at a time, so admin actions
# record history and e-mail people as the pages do.


class DirectionInline(admin.TabularInline):
    model = Direction
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class PrizeInline(admin.TabularInline):
    model = Prize
    extra = 0


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ("name", "edition", "state", "registration_count", "submission_count")
    list_filter = ("state", "edition")
    search_fields = ("name", "slug")
    readonly_fields = (
        "state",
        "links",
        "registration_count",
        "participant_count",
        "submission_count",
        "published_at",
    )
    fields = (
        "name",
        "slug",
        "edition",
        "state",
        "links",
        "summary",
        "description",
        "submissions_close_at",
        ("registration_count", "participant_count", "submission_count"),
        "published_at",
    )
    inlines = [
        DirectionInline,
        CriterionInline,
        PrizeInline,
        history_inline(ContestChange),
    ]
    actions = ["open_contests", "start_judging", "publish_results"]

    @admin.display(description=_("pages"))
    def links(self, contest):
        if contest.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            contest.get_absolute_url(),
            _("public page"),
            reverse("judging:ranking", args=[contest.slug]),
            _("ranking and prizes"),
            reverse("judging:results", args=[contest.slug]),
            _("results"),
        )

    @admin.action(description=_("Open the selected contests for entries"), permissions=["change"])
    def open_contests(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            transitions.open_contest,
            lambda n: ngettext("%(count)d contest opened.", "%(count)d contests opened.", n),
        )

    @admin.action(description=_("Close entries and start judging"), permissions=["change"])
    def start_judging(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            transitions.start_judging,
            lambda n: ngettext(
                "Judging started in %(count)d contest.", "Judging started in %(count)d contests.", n
            ),
        )

    @admin.action(description=_("Publish the results"), permissions=["change"])
    def publish_results(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            transitions.publish_results,
            lambda n: ngettext(
                "Results of %(count)d contest published.",
                "Results of %(count)d contests published.",
                n,
            ),
        )


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("name", "contest", "kind", "user", "state", "created_at")
    list_filter = ("state", "kind", "contest")
    search_fields = ("name", "members__github", "user__username", "user__email")
    raw_id_fields = ("user", "members")
    readonly_fields = ("contest", "user", "kind", "state", "created_at")
    fields = ("contest", "user", "kind", "name", "language", "members", "state")
    inlines = [history_inline(RegistrationChange)]
    actions = ["withdraw"]

    def has_add_permission(self, request):
        return False  # entrants register on the site

    @admin.action(description=_("Withdraw the selected registrations"), permissions=["change"])
    def withdraw(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            transitions.withdraw_registration,
            lambda n: ngettext(
                "%(count)d registration withdrawn.", "%(count)d registrations withdrawn.", n
            ),
        )


class ScreenshotInline(admin.TabularInline):
    model = Screenshot
    extra = 0
    fields = ("image", "caption", "order")
    readonly_fields = ("image",)

    def has_add_permission(self, request, obj=None):
        return False  # uploads go through the entrant's form (checked and re-encoded)


class AwardInline(ReadOnlyInline):
    model = Award
    fields = ("prize", "created_at")
    readonly_fields = fields


class SubmissionAdminForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason (for disqualifying)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Submission
        fields = ["title", "summary", "direction", "app_url", "repository_url", "description"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    form = SubmissionAdminForm
    list_display = (
        "title",
        "contest",
        "direction",
        "registration",
        "state",
        "like_count",
        "score",
        "scorecard_count",
    )
    list_filter = ("state", "contest", "direction")
    search_fields = ("title", "registration__name", "registration__members__github")
    readonly_fields = ("contest", "registration", "state", "like_count", "score", "scorecard_count")
    fields = (
        "contest",
        "registration",
        "state",
        "title",
        "summary",
        "direction",
        "app_url",
        "repository_url",
        "description",
        ("like_count", "score", "scorecard_count"),
        "reason",
    )
    inlines = [ScreenshotInline, AwardInline, history_inline(SubmissionChange)]
    actions = ["disqualify", "reinstate", "withdraw"]

    def has_add_permission(self, request):
        return False  # entrants submit on the site

    def save_model(self, request, obj, form, change):
        fields = [name for name in form.changed_data if name in SubmissionAdminForm.Meta.fields]
        if fields:
            transitions.edit_submission(
                Submission.objects.get(pk=obj.pk),
                request.user,
                changes={name: form.cleaned_data[name] for name in fields},
            )
        reason = form.cleaned_data.get("reason", "").strip()
        if reason and obj.state == Submission.State.SUBMITTED:
            transitions.disqualify(obj, request.user, reason)
            self.message_user(request, _("The entry is disqualified."), messages.SUCCESS)

    def save_formset(self, request, form, formset, change):
        formset.save()  # screenshots: captions and order only

    @admin.action(
        description=_("Disqualify the selected entries (staff decision)"), permissions=["change"]
    )
    def disqualify(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda obj, user: transitions.disqualify(obj, user, str(_("Disqualified by staff."))),
            lambda n: ngettext(
                "%(count)d entry disqualified.", "%(count)d entries disqualified.", n
            ),
        )

    @admin.action(description=_("Reinstate the selected entries"), permissions=["change"])
    def reinstate(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            transitions.reinstate,
            lambda n: ngettext("%(count)d entry reinstated.", "%(count)d entries reinstated.", n),
        )

    @admin.action(description=_("Withdraw the selected entries"), permissions=["change"])
    def withdraw(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            transitions.withdraw_submission,
            lambda n: ngettext("%(count)d entry withdrawn.", "%(count)d entries withdrawn.", n),
        )


class JudgeAddForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("language of e-mails"),
        required=False,
        choices=[("", _("As the account last registered for a contest (else Chinese)")),
                 *settings.LANGUAGES],
        help_text=_("The judge's e-mails (assignment, judging started) are written in it."),
    )  # fmt: skip

    class Meta:
        model = Judge
        fields = ["contest", "user", "language"]


class ScorecardInline(ReadOnlyInline):
    model = Scorecard
    fields = ("submission", "state", "total", "submitted_at")
    readonly_fields = fields


@admin.register(Judge)
class JudgeAdmin(admin.ModelAdmin):
    list_display = ("name", "contest", "user", "state", "created_at")
    list_filter = ("state", "contest")
    search_fields = ("name", "user__username", "user__email")
    raw_id_fields = ("user",)
    inlines = [ScorecardInline, history_inline(JudgeChange)]
    actions = ["remove"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = JudgeAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("contest", "user", "language")
        return ("contest", "user", "name", "language", "state")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("contest", "user", "state")

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "language"])
            return
        judge = transitions.assign_judge(
            obj.contest, obj.user, request.user, language=form.cleaned_data.get("language")
        )
        obj.pk = judge.pk
        obj._state.adding = False

    @admin.action(description=_("Remove the selected judges"), permissions=["change"])
    def remove(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            transitions.remove_judge,
            lambda n: ngettext("%(count)d judge removed.", "%(count)d judges removed.", n),
        )


class ScoreInline(ReadOnlyInline):
    model = Score
    fields = ("criterion", "value")
    readonly_fields = fields


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ("submission", "judge", "state", "total", "submitted_at")
    list_filter = ("state", "judge__contest")
    search_fields = ("submission__title", "judge__name")
    readonly_fields = ("judge", "submission", "state", "total", "comment", "submitted_at")
    fields = readonly_fields
    inlines = [ScoreInline]

    def has_add_permission(self, request):
        return False  # judges score on the site

    def has_change_permission(self, request, obj=None):
        return False


class AwardAddForm(forms.ModelForm):
    class Meta:
        model = Award
        fields = ["contest", "prize", "submission"]

    def clean(self):
        data = super().clean()
        contest, prize, submission = (data.get(k) for k in ("contest", "prize", "submission"))
        if contest and prize and submission:
            if prize.contest_id != contest.pk or submission.contest_id != contest.pk:
                raise forms.ValidationError(_("Choose a prize and an entry of this contest."))
            if contest.state != Contest.State.JUDGING:
                raise forms.ValidationError(
                    _("Prizes are awarded while judging, before the results are published.")
                )
            if not submission.is_shown:
                raise forms.ValidationError(_("This entry is not in the contest."))
            if Award.objects.filter(prize=prize, submission=submission).exists():
                raise forms.ValidationError(_("This entry already has this prize."))
        return data


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    form = AwardAddForm
    list_display = ("prize", "submission", "contest", "created_at")
    list_filter = ("contest", "prize__name")
    search_fields = ("submission__title", "prize__name")
    raw_id_fields = ("submission",)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        given = transitions.award(obj.submission, obj.prize, request.user)
        obj.pk = given.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        transitions.revoke_award(obj, request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("prize", "submission"):
            transitions.revoke_award(obj, request.user)


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "award", "issued_at", "revoked")
    list_filter = ("revoked", "award__contest")
    search_fields = ("code", "name", "person__github")
    readonly_fields = ("award", "person", "name", "code", "issued_at")
    fields = ("award", "person", "name", "code", "issued_at", "revoked")

    def has_add_permission(self, request):
        return False  # issued when the results are published

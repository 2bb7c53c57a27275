from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import ProgressReport, ReportChart


class ReportChartInline(admin.TabularInline):
    model = ReportChart
    extra = 0
    can_delete = False
    fields = ("picture", "alt", "markdown")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("chart"))
    def picture(self, chart):
        return format_html('<img src="{}" alt="{}" width="380">', chart.file.url, chart.alt)

    @admin.display(description=_("Markdown"))
    def markdown(self, chart):
        return format_html("<code>{}</code>", chart.markdown)


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    """Reports are drafted on the staff page (the button above the list); their text is the
    post, edited and published in the blog's admin."""

    list_display = ("__str__", "scope_label", "start_date", "end_date", "post_link", "created_at")
    list_filter = ("scope_key",)
    list_select_related = ("post",)
    search_fields = ("scope_label", "post__title")
    readonly_fields = (
        "scope_key",
        "scope_label",
        "start_date",
        "end_date",
        "post",
        "numbers",
        "created_by",
        "created_at",
    )
    fields = readonly_fields
    inlines = (ReportChartInline,)
    change_list_template = "admin/progress/progressreport/change_list.html"

    def has_add_permission(self, request):
        return False  # drafted from live data on the staff page, never typed in

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("post"))
    def post_link(self, report):
        return format_html(
            '<a href="{}">{}</a> ({})',
            reverse("admin:blog_post_change", args=[report.post_id]),
            report.post.title,
            report.post.get_state_display(),
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "draft_url": reverse("progress:draft")}
        return super().changelist_view(request, extra_context)

from django.urls import path

from . import views

app_name = "camp"
# Fixed paths first: a cohort address can never be "me", "reviews", "reports", ….
urlpatterns = [
    path("", views.index, name="index"),
    path("me/", views.my_camp, name="my_camp"),
    path("reviews/", views.review_queue, name="reviews"),
    path("periods/<int:period>/report/", views.write_report, name="write"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/submit/", views.submit_draft, name="submit"),
    path("reports/<int:pk>/withdraw/", views.withdraw_report, name="withdraw_report"),
    path("reports/<int:pk>/export.md", views.report_export, name="report_export"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.edit_application, name="edit_application"),
    path(
        "applications/<int:pk>/withdraw/", views.withdraw_application, name="withdraw_application"
    ),
    path("applications/<int:pk>/resume.pdf", views.resume, name="resume"),
    path("applications/<int:pk>/lock/", views.lock_application, name="lock"),
    path("applications/<int:pk>/decline/", views.decline_application, name="decline"),
    path("<slug:cohort>/", views.cohort_detail, name="cohort"),
    path("<slug:cohort>/apply/", views.apply, name="apply"),
    path("<slug:cohort>/checklist/", views.checklist, name="checklist"),
    path("<slug:cohort>/applications/", views.applications, name="applications"),
    path("<slug:cohort>/reminders/", views.reminders, name="reminders"),
    path("<slug:cohort>/grades.csv", views.grades_csv, name="grades_csv"),
    path(
        "<slug:cohort>/periods/<int:number>/summary.md",
        views.period_summary,
        name="period_summary",
    ),
    path("<slug:cohort>/projects/<int:number>/", views.project_detail, name="project"),
]

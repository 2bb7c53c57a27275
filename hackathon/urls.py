from django.urls import path

from . import views

app_name = "hackathon"
urlpatterns = [
    path("", views.index, name="index"),
    path("certificates/<str:code>/", views.certificate, name="certificate"),
    path(
        "certificates/<str:code>/certificate.png",
        views.certificate_image,
        name="certificate_image",
    ),
    path("sets/<slug:slug>/", views.set_board, name="set_board"),
    path("sets/<slug:slug>/tasks.md", views.set_board_export, {"fmt": "md"}, name="set_board_md"),
    path(
        "sets/<slug:slug>/tasks.csv", views.set_board_export, {"fmt": "csv"}, name="set_board_csv"
    ),
    path(
        "sets/<slug:slug>/tasks.json",
        views.set_board_export,
        {"fmt": "json"},
        name="set_board_json",
    ),
    path("sets/<slug:slug>/tasks/<int:task>/", views.set_task, name="set_task"),
    path("sets/<slug:slug>/claim/", views.set_claim, name="set_claim"),
    path("sets/<slug:slug>/progress/", views.set_progress, name="set_progress"),
    path(
        "sets/<slug:slug>/progress.md",
        views.set_progress_export,
        {"fmt": "md"},
        name="set_progress_md",
    ),
    path(
        "sets/<slug:slug>/progress.csv",
        views.set_progress_export,
        {"fmt": "csv"},
        name="set_progress_csv",
    ),
    path(
        "sets/<slug:slug>/progress.json",
        views.set_progress_export,
        {"fmt": "json"},
        name="set_progress_json",
    ),
    path("sets/<slug:slug>/results/", views.set_results, name="set_results"),
    path(
        "sets/<slug:slug>/results.csv",
        views.set_results_export,
        {"fmt": "csv"},
        name="set_results_csv",
    ),
    path(
        "sets/<slug:slug>/results.json",
        views.set_results_export,
        {"fmt": "json"},
        name="set_results_json",
    ),
    path("sets/<slug:slug>/results/objection/", views.set_objection, name="set_objection"),
    path("<int:number>/", views.edition_detail, name="edition"),
    path("<int:number>/tasks/", views.board, name="board"),
    path("<int:number>/tasks.md", views.board_export, {"fmt": "md"}, name="board_md"),
    path("<int:number>/tasks.csv", views.board_export, {"fmt": "csv"}, name="board_csv"),
    path("<int:number>/tasks.json", views.board_export, {"fmt": "json"}, name="board_json"),
    path("<int:number>/tasks/<int:task>/", views.task_detail, name="task"),
    path("<int:number>/claim/", views.claim, name="claim"),
    path("<int:number>/claims/<int:claim_id>/advance/", views.advance, name="advance"),
    path(
        "<int:number>/claims/<int:claim_id>/pull-requests/",
        views.add_pull_request,
        name="add_pull_request",
    ),
    path(
        "<int:number>/claims/<int:claim_id>/pull-requests/<int:pull_id>/remove/",
        views.remove_pull_request,
        name="remove_pull_request",
    ),
    path("<int:number>/progress/", views.progress, name="progress"),
    path("<int:number>/progress.md", views.progress_export, {"fmt": "md"}, name="progress_md"),
    path("<int:number>/progress.csv", views.progress_export, {"fmt": "csv"}, name="progress_csv"),
    path(
        "<int:number>/progress.json", views.progress_export, {"fmt": "json"}, name="progress_json"
    ),
    path("<int:number>/results/", views.results, name="results"),
    path("<int:number>/results.csv", views.results_export, {"fmt": "csv"}, name="results_csv"),
    path("<int:number>/results.json", views.results_export, {"fmt": "json"}, name="results_json"),
    path("<int:number>/results/objection/", views.objection, name="objection"),
]

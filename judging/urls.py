from django.urls import path

from . import views

app_name = "judging"
urlpatterns = [
    path("", views.index, name="index"),
    path("certificates/<str:code>/", views.certificate, name="certificate"),
    path(
        "certificates/<str:code>/certificate.png",
        views.certificate_image,
        name="certificate_image",
    ),
    path("<slug:slug>/", views.contest, name="contest"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/submit/", views.submit, name="submit"),
    path("<slug:slug>/gallery/", views.gallery, name="gallery"),
    path("<slug:slug>/gallery/<slug:direction>/", views.gallery, name="gallery_direction"),
    path("<slug:slug>/entries/<int:pk>/", views.submission, name="submission"),
    path("<slug:slug>/entries/<int:pk>/edit/", views.edit, name="edit"),
    path(
        "<slug:slug>/entries/<int:pk>/withdraw/",
        views.withdraw_submission,
        name="withdraw_submission",
    ),
    path("<slug:slug>/entries/<int:pk>/like/", views.like, name="like"),
    path("<slug:slug>/judge/", views.judge_queue, name="judge_queue"),
    path("<slug:slug>/judge/<int:pk>/", views.score, name="score"),
    path("<slug:slug>/ranking/", views.ranking, name="ranking"),
    path("<slug:slug>/ranking/award/", views.award, name="award"),
    path(
        "<slug:slug>/ranking/awards/<int:award_id>/revoke/", views.revoke_award, name="revoke_award"
    ),
    path("<slug:slug>/advance/", views.advance, name="advance"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/results.csv", views.results_export, {"fmt": "csv"}, name="results_csv"),
    path("<slug:slug>/results.json", views.results_export, {"fmt": "json"}, name="results_json"),
]

from django.urls import path

from . import views

app_name = "membership"
urlpatterns = [
    path("join/", views.apply, name="apply"),
    path("join/status/", views.status, name="status"),
    path("join/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("members/", views.directory, name="directory"),
    path("members/profile/", views.profile, name="profile"),
]

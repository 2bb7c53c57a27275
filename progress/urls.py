from django.urls import path

from . import views

app_name = "progress"
urlpatterns = [
    path("draft/", views.draft, name="draft"),
]

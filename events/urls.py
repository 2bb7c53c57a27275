from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.index, name="index"),
    path("past/", views.past, name="past"),
    path("mine/", views.mine, name="mine"),
    path("upcoming.ics", views.feed, name="feed"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/event.ics", views.event_ics, name="ics"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/cancel/", views.cancel, name="cancel"),
    path("<slug:slug>/check-in/", views.check_in_list, name="check_in_list"),
    path("<slug:slug>/check-in/<int:pk>/", views.check_in, name="check_in"),
    path("<slug:slug>/registrations.csv", views.registrations_csv, name="registrations_csv"),
]

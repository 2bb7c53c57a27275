from django.urls import path

from . import account_views, views

app_name = "pfcc"
urlpatterns = [
    path("", views.home, name="home"),
    path("people/<str:github>/", views.person_detail, name="person"),
    path("account/", account_views.overview, name="account"),
    path("account/data/", account_views.download_data, name="account_data"),
    path("account/delete/", account_views.delete_account, name="account_delete"),
]

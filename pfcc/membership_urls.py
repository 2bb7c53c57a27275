from django.urls import path
from django.utils.translation import gettext_lazy as _

from .placeholders import coming_soon

app_name = "membership"
urlpatterns = [
    path("join/", coming_soon, {"title": _("Join PFCC")}, name="apply"),
    path("members/", coming_soon, {"title": _("Members")}, name="directory"),
]

from django.urls import path
from django.utils.translation import gettext_lazy as _

from pfcc.placeholders import coming_soon

app_name = "hackathon"
urlpatterns = [
    path("", coming_soon, {"title": _("Hackathon")}, name="index"),
]

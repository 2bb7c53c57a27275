from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PfccConfig(AppConfig):
    name = "pfcc"
    verbose_name = _("PFCC club")

    def ready(self):
        from . import signals  # noqa: F401 - connects the GitHub account → person link
        from .membership_views import person_section
        from .sections import person_sections

        person_sections.register("pfcc/membership/person_section.html", person_section, order=90)

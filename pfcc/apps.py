from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PfccConfig(AppConfig):
    name = "pfcc"
    verbose_name = _("PFCC club")

    def ready(self):
        from . import cache, signals  # noqa: F401 - signals: the GitHub account → person link
        from .membership_views import person_section
        from .sections import person_sections

        person_sections.register("pfcc/membership/person_section.html", person_section, order=90)
        cache.install()  # writes to public tables invalidate the anonymous page cache

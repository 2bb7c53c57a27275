from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HackathonConfig(AppConfig):
    name = "hackathon"
    verbose_name = _("Hackathon")

    def ready(self):
        from common import cache
        from pfcc.account_data import account_data
        from pfcc.sections import home_sections, person_sections
        from pfcc.sitemaps import sitemaps

        from . import account_data as account_data_module
        from . import search  # noqa: F401 - registers its site-wide search providers
        from .sections import current_edition_progress, person_claims
        from .sitemaps import EditionSitemap

        person_sections.register("hackathon/person_section.html", person_claims, order=20)
        home_sections.register("hackathon/home_section.html", current_edition_progress, order=20)
        sitemaps["hackathon"] = EditionSitemap
        cache.register_public_app(self.label)
        account_data.register("hackathon", export=account_data_module.export)

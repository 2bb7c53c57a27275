from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampConfig(AppConfig):
    name = "camp"
    verbose_name = _("Code Camp")

    def ready(self):
        from common import cache
        from pfcc.account_data import account_data
        from pfcc.nav import personal_links
        from pfcc.sections import home_sections, person_sections
        from pfcc.sitemaps import sitemaps

        from . import account_data as account_data_module
        from . import search  # noqa: F401 - registers its site-wide search providers
        from .nav import LABELS, camp_links
        from .sections import home_camp_section, person_camp_history
        from .sitemaps import CampSitemap

        person_sections.register("camp/person_section.html", person_camp_history, order=40)
        home_sections.register("camp/home_section.html", home_camp_section, order=40)
        sitemaps["camp"] = CampSitemap
        personal_links.register("camp", camp_links, labels=LABELS)
        cache.register_public_app(self.label, private_models=("reminder",))
        account_data.register(
            "camp", export=account_data_module.export, erase=account_data_module.erase
        )

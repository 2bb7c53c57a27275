from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    """Applications to join PFCC, their review, and the member directory."""

    name = "membership"
    verbose_name = _("Membership")

    def ready(self):
        from common import cache
        from pfcc.account_data import account_data
        from pfcc.sections import person_sections

        from . import account_data as account_data_module
        from .views import person_section

        person_sections.register("membership/person_section.html", person_section, order=90)
        cache.register_public_app(self.label)
        account_data.register(
            "membership", export=account_data_module.export, erase=account_data_module.erase
        )

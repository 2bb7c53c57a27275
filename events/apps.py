from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Meetups and talks: pages, registration with a waiting list, reminders, iCalendar,
    check-in, recordings and slides afterwards.

    Events stay generic: other apps (the camp's tech talks) point at events from their own
    models; this app imports none of them."""

    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from common import cache
        from pfcc.account_data import account_data
        from pfcc.sections import home_sections, person_sections
        from pfcc.sitemaps import sitemaps

        from . import account_data as account_data_module
        from .queries import home_section, person_section
        from .sitemaps import EventSitemap

        home_sections.register("events/home_section.html", home_section, order=20)
        person_sections.register("events/person_section.html", person_section, order=60)
        sitemaps["events"] = EventSitemap
        # Registrations, their answers and every history row are private: writing them leaves
        # cached pages alone. What visitors see of them (seats taken, the waiting list's
        # length) is kept on the Event row, whose writes do invalidate.
        cache.register_public_app(
            self.label,
            private_models=("registration", "answer", "registrationchange", "eventchange"),
        )
        account_data.register(
            "events", export=account_data_module.export, erase=account_data_module.erase
        )

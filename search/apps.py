from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from common import cache

        from . import signals

        signals.connect()
        # Results are public pages too: a changed document must not leave a stale one cached.
        cache.register_public_app(self.label)

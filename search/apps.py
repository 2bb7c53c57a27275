from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from common import cache

        from . import index, signals

        signals.connect()
        # Each kind's GIN index (PostgreSQL), once the table exists and the kinds are known.
        post_migrate.connect(index.ensure_kind_indexes, sender=self, dispatch_uid="search-indexes")
        # Results are public pages too: a changed document must not leave a stale one cached.
        cache.register_public_app(self.label)

from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def sync_site_record(**kwargs):
    """The Site record names the real site, never "example.com": allauth's e-mails, feeds and the
    sitemap take their domain and name from it."""
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME}
    )
    Site.objects.clear_cache()


class PfccConfig(AppConfig):
    name = "pfcc"
    verbose_name = _("PFCC club")

    def ready(self):
        from common import cache

        from . import (  # noqa: F401 - registered on import
            nav,  # header links
            search,  # site-wide search providers
            signals,  # the GitHub account → person link
        )

        # Persons show on public pages; accounts and stored e-mail never do.
        cache.register_public_app(
            self.label,
            private_models=("user", "user_groups", "user_user_permissions", "outgoingemail"),
        )
        cache.register_public_app("sites")
        cache.install()  # writes to public tables invalidate the anonymous page cache
        post_migrate.connect(sync_site_record, sender=self, dispatch_uid="pfcc-site-record")

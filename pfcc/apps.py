from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PfccConfig(AppConfig):
    name = "pfcc"
    verbose_name = _("PFCC club")

    def ready(self):
        from common import cache

        from . import signals  # noqa: F401 - signals: the GitHub account → person link

        # Persons show on public pages; accounts and stored e-mail never do.
        cache.register_public_app(
            self.label,
            private_models=("user", "user_groups", "user_user_permissions", "outgoingemail"),
        )
        cache.register_public_app("sites")
        cache.install()  # writes to public tables invalidate the anonymous page cache

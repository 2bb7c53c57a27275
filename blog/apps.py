from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blog")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from common import cache
        from pfcc.account_data import account_data
        from pfcc.sections import home_sections, person_sections
        from pfcc.sitemaps import sitemaps

        from . import account_data as account_data_module
        from . import search  # noqa: F401 - registers its site-wide search providers
        from .sections import PostSitemap, latest_posts, person_posts

        person_sections.register("blog/person_section.html", person_posts, order=10)
        home_sections.register("blog/home_section.html", latest_posts, order=10)
        sitemaps["blog"] = PostSitemap
        cache.register_public_app(self.label)
        account_data.register("blog_posts", export=account_data_module.export)

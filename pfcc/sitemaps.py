"""The site map. Apps add their sitemaps in AppConfig.ready(): `sitemaps["blog"] = PostSitemap`."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["pfcc:home"]

    def location(self, item):
        return reverse(item)


sitemaps: dict[str, type[Sitemap]] = {"pages": StaticPagesSitemap}

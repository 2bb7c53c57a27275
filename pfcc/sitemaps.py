"""The site map. Apps add their sitemaps in AppConfig.ready(): `sitemaps["blog"] = PostSitemap`."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.urls import reverse


class StaticPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["pfcc:home", "blog:index", "hackathon:index", "camp:index", "events:index"]

    def location(self, item):
        return reverse(item)


sitemaps: dict[str, type[Sitemap]] = {"pages": StaticPagesSitemap}


class _SiteUrl:
    """Addresses from SITE_URL: the request's host and scheme behind a proxy (http, an internal
    name) must not leak into a sitemap that search engines keep."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


def sitemap(request, **kwargs):
    with_site_url = {
        name: type(cls.__name__, (_SiteUrl, cls), {})() for name, cls in sitemaps.items()
    }
    return sitemap_views.sitemap(request, sitemaps=with_site_url, **kwargs)

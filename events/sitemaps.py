from django.contrib.sitemaps import Sitemap

from .models import Event


class EventSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    limit = 5000

    def items(self):
        return Event.objects.listed().order_by("-starts_at", "pk").only("slug", "updated_at")

    def lastmod(self, event):
        return event.updated_at

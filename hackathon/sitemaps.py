from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Edition


class EditionSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        pages = ["edition", "board", "progress", "results"]
        return [
            (page, number)
            for number in Edition.objects.visible().values_list("number", flat=True)
            for page in pages
        ]

    def location(self, item):
        page, number = item
        return reverse(f"hackathon:{page}", kwargs={"number": number})

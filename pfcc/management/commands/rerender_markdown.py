"""manage.py rerender_markdown: every stored Markdown HTML field of every app, rendered again
from its source with today's renderer (common.rerender); prints what it checked and changed."""

from django.core.management.base import BaseCommand

from common.rerender import rerender_all


class Command(BaseCommand):
    help = "Re-render every stored Markdown HTML field from its source (idempotent)."

    def handle(self, *args, **options):
        counts = rerender_all()
        for count in counts:
            self.stdout.write(f"{count.label}: {count.checked} checked, {count.changed} changed")
        checked = sum(count.checked for count in counts)
        changed = sum(count.changed for count in counts)
        self.stdout.write(
            f"Markdown re-rendered: {checked} rows in {len(counts)} models, {changed} changed."
        )

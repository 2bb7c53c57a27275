"""`manage.py rebuild_search_index [--kind post …]`: index every findable row again, from
scratch (after an import with bulk writes, a change of a provider, or a restore)."""

import time

from django.core.management.base import BaseCommand

from pfcc.search_registry import search_providers
from search import index


class Command(BaseCommand):
    help = "Rebuild the site-wide search index from the apps' data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            action="append",
            choices=sorted(search_providers.providers),
            help="only this kind (repeatable)",
        )

    def handle(self, *args, kind=None, **options):
        started = time.monotonic()
        counts = index.rebuild(kinds=kind, log=self.stdout.write)
        total = sum(counts.values())
        self.stdout.write(f"{total} documents indexed in {time.monotonic() - started:.1f} s")

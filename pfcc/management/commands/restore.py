from pathlib import Path

from django.core.management.base import BaseCommand

from pfcc.backup import restore_backup


class Command(BaseCommand):
    help = "Restore the database and the media files from a backup folder, then check row counts."

    def add_arguments(self, parser):
        parser.add_argument("source", help="backup folder written by `manage.py backup`")

    def handle(self, *args, source, **options):
        counts = restore_backup(Path(source))
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"Restored {total} rows from {source}; counts match."))

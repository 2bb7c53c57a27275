from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand

from pfcc.backup import make_backup


class Command(BaseCommand):
    help = "Back up the database and the media files into a folder (default backups/<time>)."

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="folder to write the backup to")

    def handle(self, *args, target=None, **options):
        folder = Path(target or f"backups/{datetime.now():%Y%m%d-%H%M%S}")
        make_backup(folder)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))

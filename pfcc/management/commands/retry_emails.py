from django.core.management.base import BaseCommand

from pfcc.mail import retry_pending


class Command(BaseCommand):
    help = "Send stored e-mails that are still pending (run from cron next to the task worker)."

    def handle(self, *args, **options):
        sent, failed = retry_pending()
        self.stdout.write(f"sent {sent}, still failing {failed}")

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from camp.models import Cohort
from camp.reminders import plan_reminders, send_reminders


class Command(BaseCommand):
    help = (
        "Remind mentees of reports due within two days or overdue, and mentors of reviews "
        "waiting more than three days. Dry run by default: prints who would get what; "
        "--send queues the e-mails. Nobody gets the same reminder twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--send", action="store_true", help="queue the e-mails")
        parser.add_argument("--cohort", help="only this cohort (its address, e.g. 9th)")
        parser.add_argument(
            "--today", type=date.fromisoformat, help="pretend today is this date (YYYY-MM-DD)"
        )

    def handle(self, *args, **options):
        with translation.override("en"):  # console output in one language
            self.run(options)

    def run(self, options):
        cohort = None
        if options["cohort"]:
            cohort = Cohort.objects.filter(slug=options["cohort"]).first()
            if cohort is None:
                raise CommandError(f"No cohort {options['cohort']!r}.")
        plan = plan_reminders(today=options["today"], cohort=cohort)
        if not plan:
            self.stdout.write("Nobody needs a reminder.")
            return
        for item in plan:
            self.stdout.write(("send " if options["send"] else "would send ") + item.describe())
        if options["send"]:
            sent, skipped = send_reminders(plan)
            self.stdout.write(self.style.SUCCESS(f"Queued {sent} e-mails, skipped {skipped}."))
        else:
            self.stdout.write("Dry run: nothing sent. Add --send to queue these e-mails.")

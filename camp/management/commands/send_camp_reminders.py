from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from camp.models import Cohort
from camp.reminders import plan_reminders, send_reminders, split_plan


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
        sendable, unreachable = split_plan(plan)
        for item in sendable:
            self.stdout.write(("send " if options["send"] else "would send ") + item.describe())
        for item in unreachable:
            why = "account without e-mail" if item.has_account else "no account yet"
            self.stdout.write(f"cannot e-mail ({why}, no e-mail address): {item.describe()}")
        if options["send"]:
            sent, already = send_reminders(sendable)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Queued {sent} e-mails; {already} already sent meanwhile; "
                    f"{len(unreachable)} without an e-mail address (not sent)."
                )
            )
        else:
            self.stdout.write("Dry run: nothing sent. Add --send to queue these e-mails.")

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from events import reminders
from events.models import Event


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = (
        "E-mail everyone holding a seat for an event that starts before the end of tomorrow "
        "(run it daily, or hourly). Each registration gets one reminder, however often this "
        "runs. --dry-run prints who would get one and sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="print, send nothing")
        parser.add_argument("--event", help="only this event (its address)")
        parser.add_argument(
            "--now", type=_moment, help="pretend it is this time (YYYY-MM-DDTHH:MM, local)"
        )

    def handle(self, *args, **options):
        with translation.override("en"):  # console output in one language
            self.run(options)

    def run(self, options):
        event = None
        if options["event"]:
            event = Event.objects.filter(slug=options["event"]).first()
            if event is None:
                raise CommandError(f"No event {options['event']!r}.")
        now = options["now"] or timezone.now()
        plan = reminders.plan(now=now, event=event)
        if not plan:
            self.stdout.write("Nobody needs a reminder.")
            return
        dry_run = options["dry_run"]
        for reminder in plan:
            self.stdout.write(("would remind " if dry_run else "remind ") + reminder.describe())
        if dry_run:
            self.stdout.write(f"Dry run: {len(plan)} reminders, nothing sent.")
            return
        sent, skipped = reminders.send(plan, now=now)
        self.stdout.write(self.style.SUCCESS(f"Queued {sent} reminders, skipped {skipped}."))

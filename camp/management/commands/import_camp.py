from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from camp.importer import import_camp
from camp.models import Cohort


class Command(BaseCommand):
    help = (
        "Import the Code Camp's weekly reports from a checkout of the Camp repository "
        "(WeeklyReports/Hackathon_<N>th/…): one edition with --edition, else every edition. "
        "Idempotent; the summary counts every file and lists whatever it could not place."
    )

    def add_arguments(self, parser):
        parser.add_argument("checkout", help="path to a checkout of the Camp repository")
        parser.add_argument("--edition", type=int, help="hackathon number, e.g. 7 (default: all)")
        parser.add_argument("--batch", choices=Cohort.Batch.values, default=Cohort.Batch.SINGLE)
        parser.add_argument("--start", type=date.fromisoformat, help="cohort start (new cohorts)")
        parser.add_argument("--end", type=date.fromisoformat, help="cohort end (new cohorts)")
        parser.add_argument("--period-days", type=int, default=14)
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="do not read the git history for mentor suggestions",
        )

    def handle(self, *args, **options):
        checkout = Path(options["checkout"])
        if not checkout.is_dir():
            raise CommandError(f"{checkout} is not a directory.")
        if options["edition"] is not None and options["edition"] < 1:
            raise CommandError("--edition must be a positive number.")
        result = import_camp(
            checkout,
            options["edition"],
            batch=options["batch"],
            start=options["start"],
            end=options["end"],
            period_days=options["period_days"],
            history=not options["no_history"],
        )
        for cohort in result.cohorts:
            self.stdout.write(f"Cohort: {cohort} (/camp/{cohort.slug}/)")
        self.stdout.write(
            f"persons created: {result.persons_created}, mentorships created: "
            f"{result.mentorships_created}, reports created: {result.reports_created}, "
            f"updated: {result.reports_updated}, unchanged: {result.reports_unchanged}, "
            f"duplicates: {result.duplicates}, dates corrected: {result.corrected}, "
            f"files skipped: {result.files_skipped}, reviewed: {result.reviews_imported}, "
            f"not reviewed: {result.not_reviewed}, attachments copied: {result.attachments}"
        )
        self.stdout.write(
            f"images and PDFs no report links: {result.unlinked_files}, carried as "
            f"attachments of the report they belong to: {result.unlinked_carried}"
        )
        if result.with_suggestions is not None:
            self.stdout.write(
                f"mentees without a mentor: {result.without_mentor}, of them with mentor "
                f"suggestions from the git history: {result.with_suggestions} (staff accept them "
                "in the admin: Camp › Mentor suggestions)"
            )
        if result.problems:
            self.stdout.write(self.style.WARNING(f"To look at ({len(result.problems)}):"))
            for problem in result.problems:
                self.stdout.write(f"  - {problem}")
        else:
            self.stdout.write(self.style.SUCCESS("Everything was placed."))

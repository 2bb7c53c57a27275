from django.core.management.base import BaseCommand, CommandError

from blog.importer import BlogImporter


class Command(BaseCommand):
    help = (
        "Import the old blog from a checkout (src/posts/<slug>.md, src/images/…). "
        "Idempotent: run it again to pick up changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("checkout", help="path to a checkout of the old blog")

    def handle(self, *args, checkout, **options):
        try:
            report = BlogImporter(checkout).run()
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        for line in report.lines():
            if line.startswith(("Skipped", "Missing", "Warning")):
                self.stdout.write(self.style.WARNING(line))
            else:
                self.stdout.write(line)
        if report.skipped:
            self.stdout.write(
                self.style.WARNING(f"{len(report.skipped)} post(s) could not be imported.")
            )
        else:
            self.stdout.write(self.style.SUCCESS("Import finished."))

from django.core.management.base import BaseCommand

from blog.compare import compare_checkout


class Command(BaseCommand):
    help = (
        "Compare the imported posts with a markdown-it reference rendering of their source "
        "files in a checkout of the old blog (blog/compare.py says what counts)."
    )

    def add_arguments(self, parser):
        parser.add_argument("checkout", help="path to the checkout the posts were imported from")

    def handle(self, *args, checkout, **options):
        compared, differences = compare_checkout(checkout)
        for difference in differences:
            self.stdout.write(f"{difference.slug}:")
            self.stdout.write(f"  here:      {difference.ours!r}"[:300])
            self.stdout.write(f"  markdown-it: {difference.reference!r}"[:300])
        self.stdout.write(
            f"{len(differences)} of {compared} posts differ from the markdown-it reference."
        )

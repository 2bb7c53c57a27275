"""Demo data: one draft progress report of the newest edition over the last four weeks, so the
admin's list of reports and the blog's drafts show one. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from common.transitions import Actor

from . import drafting, sources
from .models import ProgressReport


def seed(command):
    if ProgressReport.objects.exists():
        return
    editions = [key for key, _label in sources.scope_choices() if key.startswith("edition:")]
    if not editions:
        command.stdout.write("Progress: no edition to report on.")
        return
    end = timezone.localdate()
    scope = sources.resolve_scope(editions[0])
    report = drafting.draft_report(scope, end - timedelta(days=27), end, Actor.system("seed_demo"))
    command.stdout.write(f"Progress: drafted “{report.post.title}” (a draft post).")

"""`manage.py import_task_sets PATH/TO/HackathonBot/config.py`: the task sets the community's bot
serves, created or updated here (idempotent): name, PR-title tags, task issue, repositories, RFC
repository, the edition (created when new) and the tasks the bot lists as removed (withdrawn)."""

import re

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hackathon import transitions
from hackathon.bot_config import BotConfigError, read_bot_config
from hackathon.models import Edition, Task, TaskSet
from hackathon.pr_titles import normalize_tag, ordinal


def slug_for(bot_set) -> str:
    """`PaddlePaddle/Paddle#77429` → `paddlepaddle-paddle-77429`: stable across renames."""
    return re.sub(r"[^a-z0-9]+", "-", bot_set.key.lower()).strip("-")[:80] or "task-set"


class Command(BaseCommand):
    help = "Create or update task sets from the community bot's HackathonBot/config.py."

    def add_arguments(self, parser):
        parser.add_argument("path", help="HackathonBot/config.py")
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")

    def handle(self, *args, **options):
        try:
            bot_sets = read_bot_config(options["path"])
        except (OSError, UnicodeDecodeError, SyntaxError, BotConfigError) as error:
            raise CommandError(f"Cannot read {options['path']}: {error}") from error
        created = updated = withdrawn = 0
        system = transitions.Actor.system("import_task_sets")
        with transaction.atomic():
            for bot_set in bot_sets:
                task_set, new = self._task_set(bot_set)
                created += new
                updated += not new
                for number in bot_set.removed_numbers:
                    task = Task.objects.filter(task_set=task_set, number=number).first()
                    if task is not None and task.is_open:
                        transitions.withdraw_task(task, system, "removed in the bot's config")
                        withdrawn += 1
                self.stdout.write(
                    f"{'created' if new else 'updated'}: {task_set} [{task_set.slug}] "
                    f"tags={bot_set.title_tags or '—'} repositories={len(bot_set.repositories)}"
                    f"{' rfc=' + bot_set.rfc_repository if bot_set.rfc_repository else ''}"
                )
            if options["dry_run"]:
                transaction.set_rollback(True)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(bot_sets)} task sets read: {created} created, {updated} updated, "
                f"{withdrawn} tasks withdrawn"
                + (" (dry run: nothing saved)" if options["dry_run"] else "")
                + "."
            )
        )

    def _task_set(self, bot_set) -> tuple[TaskSet, bool]:
        edition = None
        if bot_set.edition is not None:
            edition, _new = Edition.objects.get_or_create(
                number=bot_set.edition,
                defaults={"name": f"飞桨黑客松第 {bot_set.edition} 期"},
            )
        task_set = (
            TaskSet.objects.filter(issue_url=bot_set.issue_url).first()
            if bot_set.issue_url
            else None
        ) or TaskSet.objects.filter(slug=slug_for(bot_set)).first()
        main_tag = normalize_tag(f"Hackathon {ordinal(edition.number)}") if edition else None
        if task_set is None and edition is not None and main_tag in bot_set.title_tags:
            task_set = TaskSet.main_of(edition)  # the bot's set for the edition's main challenge
        new = task_set is None
        if new:
            task_set = TaskSet(slug=slug_for(bot_set))
        task_set.edition = edition
        task_set.name = bot_set.name[:200]
        task_set.title_tags = "\n".join(bot_set.title_tags)
        task_set.repositories = "\n".join(bot_set.repositories)
        task_set.rfc_repository = bot_set.rfc_repository
        task_set.issue_url = bot_set.issue_url
        task_set.number_follows_tag = bot_set.number_follows_tag
        try:
            task_set.full_clean(validate_constraints=False)
        except ValidationError as error:
            raise CommandError(f"{bot_set.name}: {'; '.join(error.messages)}") from error
        task_set.save()
        return task_set, new

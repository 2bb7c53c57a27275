import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from hackathon.importer import parse_document
from hackathon.models import Direction, Edition, Task, TaskSet, Track


class Command(BaseCommand):
    help = (
        "Import tasks from the community's task documents (### No.42：title) and RFC lists "
        "(| 序号 | 难度 | 任务标题 | 是否需要提交 RFC |). Creates the edition if new; idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("edition", type=int, help="edition number (5 for 第五期)")
        parser.add_argument("files", nargs="+", help="Markdown files")
        parser.add_argument("--track", default="开源贡献个人挑战赛", help="track of new tasks")
        parser.add_argument(
            "--direction",
            default="",
            help="direction of new tasks (default: the `## …` heading above each task)",
        )
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")
        parser.add_argument(
            "--set", dest="set_name", default="", help="task set (default: the main set)"
        )
        parser.add_argument("--tag", action="append", default=[], help="PR-title tag of the set")
        parser.add_argument("--repo", action="append", default=[], help="owner/name of the set")
        parser.add_argument("--rfc-repo", default="", help="owner/name of the RFC repository")
        parser.add_argument("--issue", default="", help="task issue: owner/name#N")

    def handle(self, *args, **options):
        if options["edition"] < 1:
            raise CommandError("The edition number must be 1 or more.")
        parsed = []
        for name in options["files"]:
            path = Path(name)
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"Cannot read {path}: {error}") from error
            report = parse_document(text)
            for problem in report.problems:
                self.stdout.write(self.style.WARNING(f"{path.name}: not parsed: {problem}"))
            parsed.append((path, report))
        created = updated = unchanged = invalid = 0
        with transaction.atomic():
            edition, new = Edition.objects.get_or_create(
                number=options["edition"],
                defaults={"name": f"飞桨黑客松第 {options['edition']} 期"},
            )
            if new:
                self.stdout.write(f"Created edition {edition.number}.")
            task_set = self._task_set(edition, options)
            directions = {}

            def direction_for(name):
                if name and name not in directions:
                    directions[name] = self._direction(edition, options["track"], name)
                return directions.get(name)

            for path, report in parsed:
                for item in report.tasks:
                    direction = direction_for(options["direction"] or item.section)
                    # A task named by text (C-115) is found by its identifier and, when new,
                    # numbered after the set's last task (Task.save).
                    found = Task.objects.filter(task_set=task_set)
                    if item.identifier:
                        task = found.filter(identifier=item.identifier).first()
                    else:
                        task = found.filter(number=item.number).first()
                        if task is not None and task.identifier:
                            invalid += 1
                            self.stdout.write(
                                self.style.WARNING(
                                    f"{path.name}: not saved: No.{item.number} (line "
                                    f"{item.line}): number {item.number} is the place of "
                                    f"No.{task.identifier} in this set"
                                )
                            )
                            continue
                    if task is None:
                        task = Task(
                            task_set=task_set,
                            edition=edition,
                            number=item.number or None,
                            identifier=item.identifier,
                            direction=direction,
                        )
                        changed = True
                        created += 1
                        verb = "created"
                    else:
                        changed = False
                        verb = "updated"
                    values = {
                        "title": item.title[:300],
                        "difficulty": item.difficulty,
                        "needs_rfc": item.needs_rfc,
                        "description": item.description,
                    }
                    for key, value in values.items():
                        if value is not None and getattr(task, key) != value:
                            setattr(task, key, value)
                            changed = True
                    if task.pk and direction and task.direction_id is None:
                        task.direction = direction
                        changed = True
                    if not changed:
                        unchanged += 1
                        continue
                    try:
                        task.full_clean(validate_unique=False)
                    except ValidationError as error:
                        invalid += 1
                        if not task.pk:
                            created -= 1
                        messages = "; ".join(error.messages)
                        self.stdout.write(
                            self.style.WARNING(
                                f"{path.name}: not saved: No.{item.identifier or item.number} "
                                f"(line {item.line}): "
                                f"{messages}"
                            )
                        )
                        continue
                    if task.pk:
                        updated += 1
                    task.save()
                    self.stdout.write(f"{path.name}: {verb} No.{task.label} {task.title}")
            if options["dry_run"]:
                transaction.set_rollback(True)
        problems = invalid + sum(len(report.problems) for _path, report in parsed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Edition {options['edition']}: {created} created, {updated} updated, "
                f"{unchanged} unchanged, {problems} not parsed"
                + (" (dry run: nothing saved)" if options["dry_run"] else "")
                + f". Task set: {task_set.slug}."
            )
        )

    def _task_set(self, edition, options) -> TaskSet:
        if options["set_name"]:
            slug = f"hackathon-{edition.number}-" + (
                slugify(options["set_name"])[:60] or str(TaskSet.objects.count() + 1)
            )
            task_set, created = TaskSet.objects.get_or_create(
                slug=slug, defaults={"edition": edition, "name": options["set_name"][:200]}
            )
            if task_set.edition_id != edition.pk:
                raise CommandError(f"The set {slug} belongs to another edition.")
        else:
            task_set = TaskSet.main_of(edition)
        if options["tag"]:
            task_set.title_tags = "\n".join(options["tag"])
        if options["repo"]:
            task_set.repositories = "\n".join(options["repo"])
        if options["rfc_repo"]:
            task_set.rfc_repository = options["rfc_repo"]
        if options["issue"]:
            match = re.fullmatch(r"([\w.-]+/[\w.-]+)#(\d+)", options["issue"].strip())
            if match is None:
                raise CommandError("Write the task issue as owner/name#N.")
            task_set.issue_url = f"https://github.com/{match[1]}/issues/{match[2]}"
        try:
            task_set.full_clean()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        task_set.save()
        return task_set

    def _direction(self, edition, track_name, direction_name):
        if not direction_name:
            return None
        track = Track.objects.filter(edition=edition, name=track_name).first()
        if track is None:
            slug = slugify(track_name, allow_unicode=True)[:50] or "track"
            track = Track.objects.create(
                edition=edition,
                name=track_name,
                slug=slug,
                order=Track.objects.filter(edition=edition).count(),
            )
        direction, _created = Direction.objects.get_or_create(track=track, name=direction_name)
        return direction

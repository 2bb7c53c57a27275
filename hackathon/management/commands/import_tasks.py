from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from hackathon.importer import parse_document
from hackathon.models import Direction, Edition, Task, Track


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
            directions = {}

            def direction_for(name):
                if name and name not in directions:
                    directions[name] = self._direction(edition, options["track"], name)
                return directions.get(name)

            for path, report in parsed:
                for item in report.tasks:
                    direction = direction_for(options["direction"] or item.section)
                    task = Task.objects.filter(edition=edition, number=item.number).first()
                    if task is None:
                        task = Task(edition=edition, number=item.number, direction=direction)
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
                                f"{path.name}: not saved: No.{item.number} (line {item.line}): "
                                f"{messages}"
                            )
                        )
                        continue
                    if task.pk:
                        updated += 1
                    task.save()
                    self.stdout.write(f"{path.name}: {verb} No.{task.number} {task.title}")
            if options["dry_run"]:
                transaction.set_rollback(True)
        problems = invalid + sum(len(report.problems) for _path, report in parsed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Edition {options['edition']}: {created} created, {updated} updated, "
                f"{unchanged} unchanged, {problems} not parsed"
                + (" (dry run: nothing saved)" if options["dry_run"] else "")
                + "."
            )
        )

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

"""Measure an import against the repository it came from: for every report file, is it on the
right person, programme, project and dates, with its text, review and attachments whole?"""

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from camp.importer import (
    SECTION_KEYS,
    _candidate_files,
    _linked_files,
    _local_target,
    edition_dirs,
    mentee_from_readme,
    normalise_heading,
    parse_dates_checked,
    parse_folder_full,
    read_text,
    unlinked_files,
)
from camp.models import Mentorship, Report, ReportAttachment, meaningful_review_text

LINK_TARGET_RE = re.compile(
    r"(\]\(\s*)(<[^>\n]+>|[^)\s]+)|((?:src|href)\s*=\s*[\"'])([^\"'\n]+)", re.I
)
HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s*(?P<text>.+?)\s*#*\s*$")


def _bare(text: str) -> str:
    """A line without its link targets and spacing: what a reader sees as its words."""
    text = LINK_TARGET_RE.sub(lambda m: (m.group(1) or m.group(3) or "") + "LINK", text)
    return re.sub(r"\s+", "", text)


class Command(BaseCommand):
    help = (
        "After import_camp: check every report file of the checkout against the database and "
        "print how many arrived whole, and what did not."
    )

    def add_arguments(self, parser):
        parser.add_argument("checkout")

    def handle(self, *args, **options):
        checkout = Path(options["checkout"])
        if not checkout.is_dir():
            raise CommandError(f"{checkout} is not a directory.")
        reports = {
            r.source_path: r
            for r in Report.objects.select_related(
                "mentorship__mentee", "mentorship__project", "mentorship__cohort", "review"
            )
        }
        by_dates = {
            (r.mentorship.mentee.github.lower(), r.start_date, r.end_date): r
            for r in reports.values()
        }
        total = whole = 0
        failures = []
        media = Path(settings.MEDIA_ROOT).resolve()
        for number, roots in sorted(edition_dirs(checkout).items()):
            for root in roots:
                for folder in sorted(p for p in root.iterdir() if p.is_dir()):
                    parsed = parse_folder_full(folder.name)
                    linked = _linked_files(checkout, folder)
                    readme = folder / "README.md"
                    readme_login = (
                        mentee_from_readme(read_text(readme)) if readme.exists() else None
                    )
                    for path in _candidate_files(folder):
                        rel = str(path.relative_to(checkout))
                        dates = parse_dates_checked(path.name)
                        if dates is None:
                            continue  # not a report (a linked document, notes)
                        total += 1
                        login = (readme_login or (parsed[2] if parsed else "")).lower()
                        # an exact duplicate of another file is imported once, from the other
                        report = reports.get(rel) or by_dates.get((login, *dates[:2]))
                        why = self.check_file(
                            report, path, parsed, readme_login, dates, number, media
                        )
                        if why:
                            failures.append(f"{rel}: {why}")
                        else:
                            whole += 1
                    del linked
        share = 100 * whole / total if total else 0
        self.stdout.write(f"report files: {total}, arrived whole: {whole} ({share:.1f} %)")
        for failure in failures:
            self.stdout.write(f"  - {failure}")
        self.check_unlinked(checkout, media)
        without = Mentorship.objects.filter(mentors__isnull=True)
        suggested = without.filter(mentor_suggestions__isnull=False).distinct().count()
        self.stdout.write(
            f"mentees without a mentor: {without.count()}, with mentor suggestions to accept: "
            f"{suggested}"
        )

    def check_unlinked(self, checkout, media):
        """Images and PDFs of mentee folders that no report links: each carried, as an
        attachment of a report, with its file in media."""
        attachments = {a.source_path: a for a in ReportAttachment.objects.all()}
        total = carried = 0
        missing = []
        for _number, roots in sorted(edition_dirs(checkout).items()):
            for root in roots:
                for folder in sorted(p for p in root.iterdir() if p.is_dir()):
                    for path in unlinked_files(checkout, folder):
                        total += 1
                        rel = str(path.relative_to(checkout))
                        attachment = attachments.get(rel)
                        if attachment is None:
                            missing.append(f"{rel}: not carried")
                        elif not (media / attachment.file.name).is_file():
                            missing.append(f"{rel}: its copy is missing in media")
                        else:
                            carried += 1
        self.stdout.write(
            f"images and PDFs no report links: {total}, carried as report attachments: {carried}"
        )
        for line in missing:
            self.stdout.write(f"  - {line}")

    def check_file(self, report, path, parsed, readme_login, dates, number, media):
        if report is None:
            return "not imported"
        programme, folder_number, login = parsed
        expected_login = (readme_login or login).lower()
        if report.mentorship.mentee.github.lower() != expected_login:
            return f"on @{report.mentorship.mentee.github}, not @{expected_login}"
        cohort = report.mentorship.cohort
        if programme and cohort.slug != f"{programme}-{number}th":
            return f"in cohort {cohort.slug}, not the {programme} programme"
        if not programme and (cohort.edition is None or cohort.edition.number != number):
            return f"in cohort {cohort.slug}, not the {number}th camp"
        if (report.start_date, report.end_date) != dates[:2]:
            return f"dated {report.start_date}~{report.end_date}, not {dates[0]}~{dates[1]}"
        stored = _bare(
            "\n".join(
                [
                    report.mentorship.mentee.name,
                    report.mentorship.project.title,
                    report.header_notes,
                    report.work,
                    report.questions,
                    report.next_work,
                    getattr(getattr(report, "review", None), "text", ""),
                ]
            )
        )
        for line in read_text(path).split("\n"):
            heading = HEADING_RE.match(line)
            if heading and SECTION_KEYS.get(normalise_heading(heading["text"])):
                continue
            if not meaningful_review_text(line):
                continue  # placeholders (请联系导师填写, none) are not reviews
            words = _bare(line)
            if words and words not in stored:
                return f"text lost: {line.strip()[:60]!r}"
        for target in re.findall(
            r"(?:\]\(|src=[\"'])(/media/[^)\"'\s]+)", report.work + report.next_work
        ):
            from urllib.parse import unquote

            file = (media / unquote(target.removeprefix("/media/"))).resolve()
            if not file.is_file():
                return f"attachment missing in media: {target}"
        carried = report.work + report.next_work
        for target in re.findall(r"\]\(\s*<?([^)\s>]+)", carried) + re.findall(
            r"(?:src|href)\s*=\s*[\"']([^\"'\n]+)", carried, re.I
        ):
            local = _local_target(target)
            if local and (path.parent / local).is_file():
                return f"link not carried: {local}"
        return ""

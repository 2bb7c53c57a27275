"""Import a cohort's archive from a checkout of the Camp repository.

Layout: `WeeklyReports/Hackathon_<N>th/<NN>_<github>/[WeeklyReport]YYYY.MM.DD~YYYY.MM.DD.md`,
with the real-world variants: `[WeeklyReports]`/`[Weekly Report]` or no prefix (or the login as
prefix), no `.md`, `-` instead of `~`, unpadded dates, folders without the number or with
`glcc_`/`ospp_` prefixes, CRLF, a BOM; headings `本双周工作`, `下周计划`/`下双周工作`,
`导师评价`/`导师评语`. A per-mentee README.md names the mentor. Idempotent: running it again
changes nothing. Whatever cannot be placed is listed in the result, never dropped silently.
"""

import dataclasses
import re
from datetime import date, datetime, time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from common.validators import validate_github_login
from hackathon.models import Edition
from pfcc.models import Person

from .models import Cohort, Mentorship, Project, Report, Review, meaningful_review_text
from .periods import generate_periods

FOLDER_RE = re.compile(
    r"^(?:(?:glcc|ospp)[_-])?(?:(?P<number>\d{1,3})[_-])?(?:(?:glcc|ospp)[_-])?(?P<login>[A-Za-z0-9][A-Za-z0-9-]*)$",
    re.IGNORECASE,
)
DATE = r"(\d{4})\s*[._\-/年]\s*(\d{1,2})\s*[._\-/月]\s*(\d{1,2})日?"
RANGE_RE = re.compile(DATE + r"\s*(?:~|～|-|–|—|_|至|到)+\s*" + DATE)
HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s*(?P<text>.+?)\s*#*\s*$")
SECTION_KEYS = {
    "姓名": "name",
    "实习项目": "project",
    "本周工作": "work",
    "本双周工作": "work",
    "下周工作": "next_work",
    "下周计划": "next_work",
    "下双周工作": "next_work",
    "下双周计划": "next_work",
    "导师点评": "review",
    "导师评价": "review",
    "导师评语": "review",
}
MENTOR_LINE_RE = re.compile(r"导师")
# github.com/<login> or @<login>; not the domain of an e-mail address (name@baidu.com).
LOGIN_IN_LINE_RE = re.compile(
    r"github\.com/([A-Za-z0-9][A-Za-z0-9-]*)|(?<![\w.+-])@([A-Za-z0-9][A-Za-z0-9-]*)(?![\w.-]*\.[a-z])"
)
REPORT_SUFFIXES = {"", ".md", ".markdown", ".txt"}
ATTACHMENT_SUFFIXES = {
    ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".pdf", ".ppt", ".pptx", ".doc", ".docx",
    ".zip", ".gz", ".ipynb", ".py", ".mp4", ".json", ".csv", ".xlsx",
}  # fmt: skip


@dataclasses.dataclass
class ImportResult:
    cohort: Cohort | None = None
    persons_created: int = 0
    mentorships_created: int = 0
    reports_created: int = 0
    reports_updated: int = 0
    reports_unchanged: int = 0
    reviews_imported: int = 0
    not_reviewed: int = 0
    problems: list[str] = dataclasses.field(default_factory=list)

    def problem(self, path, reason):
        self.problems.append(f"{path}: {reason}")


def read_text(path: Path) -> str:
    """Text of a Markdown file: BOM removed, CRLF/CR made LF, UTF-8 or GB18030."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    # NUL is never meant, and PostgreSQL cannot store it.
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def normalise_heading(text: str) -> str:
    text = re.sub(r"[*_`:：\s]", "", text)
    return re.sub(r"^\d+[.、]", "", text)


def parse_report(text: str) -> dict[str, str]:
    """Split a report into its sections by the known headings; other headings stay inside."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.split("\n"):
        match = HEADING_RE.match(line)
        key = SECTION_KEYS.get(normalise_heading(match["text"])) if match else None
        if key:
            current = key
            sections.setdefault(key, [])
            continue
        if current:
            sections[current].append(line)
    return {key: "\n".join(lines).strip() for key, lines in sections.items()}


def parse_dates(name: str) -> tuple[date, date] | None:
    match = RANGE_RE.search(name)
    if not match:
        return None
    y1, m1, d1, y2, m2, d2 = (int(part) for part in match.groups())
    try:
        start, end = date(y1, m1, d1), date(y2, m2, d2)
    except ValueError:
        return None
    return (start, end) if start <= end else None


def parse_folder(name: str) -> tuple[int | None, str] | None:
    match = FOLDER_RE.match(name)
    if not match:
        return None
    login = match["login"]
    try:
        validate_github_login(login)
    except ValidationError:
        return None
    return (int(match["number"]) if match["number"] else None, login)


def mentors_from_readme(text: str, mentee_login: str) -> list[str]:
    logins: list[str] = []
    for line in text.split("\n"):
        if not MENTOR_LINE_RE.search(line):
            continue
        for url_login, at_login in LOGIN_IN_LINE_RE.findall(line):
            login = url_login or at_login
            try:
                validate_github_login(login)
            except ValidationError:
                continue
            if login.lower() != mentee_login.lower() and login.lower() not in {
                existing.lower() for existing in logins
            }:
                logins.append(login)
    return logins


def find_edition_dir(checkout: Path, number: int) -> Path | None:
    base = checkout / "WeeklyReports"
    for suffix in ("th", "st", "nd", "rd"):
        candidate = base / f"Hackathon_{number}{suffix}"
        if candidate.is_dir():
            return candidate
    return None


def _report_files(folder: Path):
    """Candidate report files: Markdown, or anything named with a date range (no `.md`).
    Attachments (images, PDFs, …) and sub-folders are not reports."""
    for path in sorted(folder.iterdir()):
        if path.is_dir() or path.name.lower() == "readme.md" or path.name.startswith("."):
            continue
        suffix = path.suffix.lower()
        if suffix in ATTACHMENT_SUFFIXES:
            continue
        if suffix in REPORT_SUFFIXES or RANGE_RE.search(path.name):
            yield path


def _best_period(periods, start, end):
    best, best_overlap = None, 0
    for period in periods:
        overlap = (min(end, period.end_date) - max(start, period.start_date)).days + 1
        if overlap > best_overlap:
            best, best_overlap = period, overlap
    return best


def import_camp(checkout, edition_number: int, batch: str = Cohort.Batch.SINGLE, **options):
    """Import one edition's reports. Returns an ImportResult (counts and problems)."""
    checkout = Path(checkout)
    result = ImportResult()
    root = find_edition_dir(checkout, edition_number)
    if root is None:
        result.problem(checkout, f"no WeeklyReports/Hackathon_{edition_number}th folder")
        return result

    # First pass: folders and report files with their dates, read before anything is written.
    mentees = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        parsed = parse_folder(folder.name)
        if parsed is None:
            result.problem(folder.relative_to(checkout), "folder name is not <NN>_<github>")
            continue
        number, login = parsed
        files = []
        for path in _report_files(folder):
            dates = parse_dates(path.name)
            if dates is None:
                result.problem(path.relative_to(checkout), "no date range in the file name")
                continue
            try:
                parsed = parse_report(read_text(path))
            except OSError as error:
                result.problem(path.relative_to(checkout), f"cannot be read: {error}")
                continue
            files.append((path, dates, parsed))
        readme = folder / "README.md"
        try:
            mentors = mentors_from_readme(read_text(readme), login) if readme.exists() else []
        except OSError as error:
            result.problem(readme.relative_to(checkout), f"cannot be read: {error}")
            mentors = []
        mentees.append((folder, number, login, files, mentors))

    all_dates = [dates for *_rest, files, _m in mentees for _p, dates, _s in files]
    with transaction.atomic():
        edition, _created = Edition.objects.get_or_create(number=edition_number)
        cohort = Cohort.objects.filter(edition=edition, batch=batch).first()
        if cohort is None:
            if not all_dates:
                result.problem(root.relative_to(checkout), "no reports to date the cohort by")
                return result
            start = options.get("start") or min(d[0] for d in all_dates)
            end = options.get("end") or max(d[1] for d in all_dates)
            slug = (
                f"{edition_number}th"
                if batch == Cohort.Batch.SINGLE
                else f"{edition_number}th-{batch}"
            )
            cohort = Cohort.objects.create(
                edition=edition,
                batch=batch,
                slug=slug,
                state=Cohort.State.FINISHED,
                start_date=start,
                end_date=end,
                period_days=options.get("period_days") or 14,
            )
            generate_periods(cohort)
        result.cohort = cohort
        periods = list(cohort.periods.order_by("number"))
        for folder, number, login, files, mentor_logins in mentees:
            counts = dataclasses.replace(result, problems=result.problems)
            try:
                with transaction.atomic():  # one bad folder does not undo the others
                    _import_mentee(
                        result,
                        checkout,
                        cohort,
                        periods,
                        folder,
                        number,
                        login,
                        files,
                        mentor_logins,
                    )
            except (DatabaseError, ValidationError, ValueError) as error:
                for field in dataclasses.fields(ImportResult):
                    if field.name != "problems":  # its counts were rolled back too
                        setattr(result, field.name, getattr(counts, field.name))
                result.problem(folder.relative_to(checkout), f"could not be imported: {error}")
    return result


def _person(result, login, name=""):
    person, created = Person.objects.get_or_create_by_login(login, name=name)
    if created:
        result.persons_created += 1
    elif name and not person.name:
        person.name = name
        person.save(update_fields=["name"])
    return person


def _import_mentee(result, checkout, cohort, periods, folder, number, login, files, mentor_logins):
    rel = folder.relative_to(checkout)
    sections = [parsed for _p, _d, parsed in files]
    name = next((s["name"].split("\n")[0].strip() for s in sections if s.get("name")), "")
    project_title = next(
        (s["project"].split("\n")[0].strip() for s in sections if s.get("project")), ""
    )
    mentee = _person(result, login, name[:150])
    mentorship = Mentorship.objects.filter(cohort=cohort, mentee=mentee).first()
    if mentorship is None:
        project = None
        if number is not None:
            project = Project.objects.filter(cohort=cohort, number=number).first()
            if project is None:
                project = Project.objects.create(
                    cohort=cohort, number=number, title=project_title[:300] or f"{number:02d}"
                )
        elif project_title:
            project = Project.objects.filter(cohort=cohort, title=project_title[:300]).first()
        if project is None:
            if not project_title:
                result.problem(
                    rel, "no project number in the folder and no 实习项目 in the reports"
                )
                return
            highest = max(
                Project.objects.filter(cohort=cohort).values_list("number", flat=True), default=0
            )
            project = Project.objects.create(
                cohort=cohort, number=highest + 1, title=project_title[:300]
            )
            result.problem(rel, f"no project number: placed on new project {project.number}")
        mentorship = Mentorship.objects.create(
            project=project,
            mentee=mentee,
            state=Mentorship.State.COMPLETED,
            locked_at=timezone.make_aware(datetime.combine(cohort.start_date, time.min)),
        )
        result.mentorships_created += 1
    elif project_title and mentorship.project.title in {"", f"{mentorship.project.number:02d}"}:
        mentorship.project.title = project_title[:300]
        mentorship.project.save()
    mentors = [_person(result, mentor_login) for mentor_login in mentor_logins]
    if mentors:
        mentorship.mentors.add(*mentors)
        mentorship.project.mentors.add(*mentors)
    else:
        result.problem(rel, "no mentor found (README.md missing or names none)")
    known_mentors = list(mentorship.mentors.all())

    placed: dict[int, Path] = {}
    for path, (start, end), parsed in sorted(files, key=lambda item: (item[1], item[0].name)):
        file_rel = path.relative_to(checkout)
        period = _best_period(periods, start, end)
        if period is None:
            result.problem(file_rel, f"dates {start}~{end} fall outside the cohort's periods")
            continue
        if period.pk in placed:
            result.problem(
                file_rel,
                f"period {period.number} already has {placed[period.pk].name}; not imported",
            )
            continue
        placed[period.pk] = path
        _import_report(result, file_rel, mentorship, period, parsed, known_mentors)


def _import_report(result, file_rel, mentorship, period, parsed, known_mentors):
    review_text = meaningful_review_text(parsed.get("review", ""))
    status = Report.State.REVIEWED if review_text else Report.State.SUBMITTED
    values = {
        "work": parsed.get("work", ""),
        "questions": "",
        "next_work": parsed.get("next_work", ""),
        "state": status,
        "source_path": str(file_rel),
    }
    report = Report.objects.filter(mentorship=mentorship, period=period).first()
    if report is not None and report.source_path and report.source_path != str(file_rel):
        result.problem(file_rel, f"period {period.number} was imported from {report.source_path}")
        return
    if report is not None and not report.source_path:
        result.problem(file_rel, f"period {period.number} already has a report written on the site")
        return
    if report is None:
        report = Report(mentorship=mentorship, period=period, submitted_at=None, **values)
        report.save()
        result.reports_created += 1
    elif any(getattr(report, field) != value for field, value in values.items()):
        for field, value in values.items():
            setattr(report, field, value)
        report.save()
        result.reports_updated += 1
    else:
        result.reports_unchanged += 1
    if review_text:
        mentor = known_mentors[0] if len(known_mentors) == 1 else None
        review = Review.objects.filter(report=report).first()
        if review is None:
            Review.objects.create(report=report, mentor=mentor, text=review_text)
        elif review.text != review_text:
            review.text = review_text
            review.save()
        result.reviews_imported += 1
    else:
        Review.objects.filter(report=report).delete()
        result.not_reviewed += 1

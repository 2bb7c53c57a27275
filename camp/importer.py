"""Import the Camp repository's weekly reports: every file of every edition, by rule.

Layout: `WeeklyReports/Hackathon_<N>th/<folder>/<report>` (the edition folder in any case;
two folders of one edition, `Hackathon_10th` and `hackathon_10th`, are one edition). A mentee's
folder is `NN_login` (the camp project's number), `login` (no number: the project is taken from
the reports' 实习项目, else an "unassigned" project for staff), or `glcc_NN_login` /
`ospp_NN_login` (a cohort of the GLCC / OSPP programme of its own, never the camp project with
the same number). A README.md in the folder names the mentee's real login (学员) and mentors.

Report files: `[WeeklyReport]YYYY.MM.DD~YYYY.MM.DD.md` and its variants (`[WeeklyReports]`,
no prefix, the login as prefix, no `.md`, `-` for `~`, unpadded dates, a year typo where the
end falls a year before the start, corrected and reported); CRLF, a BOM. Headings vary
(`本双周工作`, `下周计划`/`下双周工作`, `导师评价`/`导师评语`); a report without the template's
headings is kept whole in 本周工作; extra lines under 姓名/实习项目 are kept. Images, PDFs and
other attachments it links are checked (common.uploads), copied into media and the links
rewritten; images and PDFs of the folder that no report links are carried as attachments of
the report they belong to (carry_unlinked). Mentees whose folder names no mentor get mentor
suggestions from the checkout's git history (camp/history.py) for staff to accept; nobody is
made a mentor by a suggestion. A report has its own dates and counts for every period they overlap: weekly reports
in a biweekly camp are all kept. Re-running changes nothing; every file is counted in the
summary: imported, updated, unchanged, duplicate, corrected, skipped with the reason.
"""

import dataclasses
import hashlib
import posixpath
import re
from datetime import date, datetime, time
from pathlib import Path
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.utils import timezone

from common import limits
from common.transitions import Actor, record
from common.uploads import sanitize_image, validate_pdf_upload
from common.validators import validate_github_login
from hackathon.models import Edition
from pfcc.models import Person

from . import history
from .models import (
    Cohort,
    Mentorship,
    MentorSuggestion,
    Programme,
    Project,
    Report,
    ReportAttachment,
    Review,
    meaningful_review_text,
)
from .periods import best_period, generate_periods

EDITION_DIR_RE = re.compile(r"^hackathon_(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)
FOLDER_RE = re.compile(
    r"^(?:(?P<programme>glcc|ospp)[_-])?(?:(?P<number>\d{1,3})[_-])?"
    r"(?:(?P<programme2>glcc|ospp)[_-])?(?P<login>[A-Za-z0-9][A-Za-z0-9-]*)$",
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
MENTEE_LINE_RE = re.compile(r"学员")
# github.com/<login> or @<login>; not the domain of an e-mail address (name@baidu.com).
LOGIN_IN_LINE_RE = re.compile(
    r"github\.com/([A-Za-z0-9][A-Za-z0-9-]*)|(?<![\w.+-])@([A-Za-z0-9][A-Za-z0-9-]*)(?![\w.-]*\.[a-z])"
)
REPORT_SUFFIXES = {"", ".md", ".markdown", ".txt"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
# Carried as they are: documents people link from reports. Not SVG or HTML (they may script).
DOCUMENT_SUFFIXES = {
    ".ppt", ".pptx", ".doc", ".docx", ".xlsx", ".csv", ".zip", ".gz", ".ipynb", ".py",
    ".json", ".md", ".mmd", ".txt",
}  # fmt: skip
ATTACHMENT_SUFFIXES = (
    IMAGE_SUFFIXES
    | {".pdf", ".svg", ".mp4"}
    | DOCUMENT_SUFFIXES
    - {
        ".md",
        ".txt",
    }
)
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Markdown links and images `[x](target "title")`, and HTML src/href attributes.
MD_LINK_RE = re.compile(r"(?P<head>!?\[[^\]\n]*\]\(\s*)(?P<target><[^>\n]+>|[^)\s]+)")
HTML_LINK_RE = re.compile(r"(?P<head>\b(?:src|href)\s*=\s*[\"'])(?P<target>[^\"'\n]+)", re.I)
UNASSIGNED_NUMBER = 99
UNASSIGNED_TITLE = "未分配项目 (unassigned: staff place these mentees)"
PROGRAMMES = {
    "glcc": ("GLCC", Programme.Kind.GLCC),
    "ospp": ("OSPP 开源之夏", Programme.Kind.OSPP),
}


@dataclasses.dataclass
class ImportResult:
    cohort: Cohort | None = None
    cohorts: list = dataclasses.field(default_factory=list)
    persons_created: int = 0
    mentorships_created: int = 0
    reports_created: int = 0
    reports_updated: int = 0
    reports_unchanged: int = 0
    duplicates: int = 0
    corrected: int = 0
    reviews_imported: int = 0
    not_reviewed: int = 0
    attachments: int = 0
    files_skipped: int = 0
    # Mentees whose folder names no mentor, and how many of them got mentor suggestions from
    # the repository's history (None: no git history to read).
    without_mentor: int = 0
    unlinked_files: int = 0  # images and PDFs in mentee folders that no report links
    unlinked_carried: int = 0
    first_commits: dict | None = dataclasses.field(default=None, repr=False)
    commits: list | None = dataclasses.field(default=None, repr=False)
    with_suggestions: int | None = None
    mentees: list = dataclasses.field(default_factory=list)  # (mentorship, MenteeFolder)
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
    """Split a report into its sections by the known headings; other headings stay inside.
    A report without any of the template's headings is kept whole as its 本周工作."""
    sections: dict[str, list[str]] = {}
    current = None
    preamble: list[str] = []
    for line in text.split("\n"):
        match = HEADING_RE.match(line)
        key = SECTION_KEYS.get(normalise_heading(match["text"])) if match else None
        if key:
            current = key
            sections.setdefault(key, [])
            continue
        if current:
            sections[current].append(line)
        else:
            preamble.append(line)
    result = {key: "\n".join(lines).strip() for key, lines in sections.items()}
    if not sections:
        result["work"] = text.strip()
    elif "\n".join(preamble).strip():
        result["preamble"] = "\n".join(preamble).strip()
    return result


def parse_dates_checked(name: str) -> tuple[date, date, bool] | None:
    """(start, end, corrected) from a file name. A year typo (the end a year before the start,
    `2025.02.17~2024.03.02`) is corrected."""
    match = RANGE_RE.search(name)
    if not match:
        return None
    y1, m1, d1, y2, m2, d2 = (int(part) for part in match.groups())
    try:
        start, end = date(y1, m1, d1), date(y2, m2, d2)
    except ValueError:
        return None
    if start <= end:
        return start, end, False
    for fixed in (_with_year(end, start.year), _with_year(end, start.year + 1)):
        if fixed is not None and start <= fixed and (fixed - start).days <= 92:
            return start, fixed, True
    fixed = _with_year(start, end.year)
    if fixed is not None and fixed <= end and (end - fixed).days <= 92:
        return fixed, end, True
    return None


def _with_year(day: date, year: int) -> date | None:
    try:
        return day.replace(year=year)
    except ValueError:
        return None


def parse_dates(name: str) -> tuple[date, date] | None:
    parsed = parse_dates_checked(name)
    return parsed[:2] if parsed else None


def parse_folder(name: str) -> tuple[int | None, str] | None:
    parsed = parse_folder_full(name)
    return (parsed[1], parsed[2]) if parsed else None


def parse_folder_full(name: str) -> tuple[str, int | None, str] | None:
    """(programme "" / "glcc" / "ospp", project number or None, login)."""
    match = FOLDER_RE.match(name)
    if not match:
        return None
    login = match["login"]
    try:
        validate_github_login(login)
    except ValidationError:
        return None
    programme = (match["programme"] or match["programme2"] or "").lower()
    return programme, (int(match["number"]) if match["number"] else None), login


def _logins_in(line: str, exclude: str = "") -> list[str]:
    logins: list[str] = []
    for url_login, at_login in LOGIN_IN_LINE_RE.findall(line):
        login = url_login or at_login
        try:
            validate_github_login(login)
        except ValidationError:
            continue
        if login.lower() != exclude.lower() and login.lower() not in {x.lower() for x in logins}:
            logins.append(login)
    return logins


def mentors_from_readme(text: str, mentee_login: str) -> list[str]:
    logins: list[str] = []
    for line in text.split("\n"):
        if MENTOR_LINE_RE.search(line):
            for login in _logins_in(line, mentee_login):
                if login.lower() not in {x.lower() for x in logins}:
                    logins.append(login)
    return logins


def mentee_from_readme(text: str) -> str | None:
    """The login on the README's 学员 line (the folder may use another spelling)."""
    for line in text.split("\n"):
        if MENTEE_LINE_RE.search(line) and not MENTOR_LINE_RE.search(line):
            logins = _logins_in(line)
            if logins:
                return logins[0]
    return None


def edition_dirs(checkout: Path) -> dict[int, list[Path]]:
    """Edition number → its folders (any case; several folders of one edition are merged)."""
    base = checkout / "WeeklyReports"
    found: dict[int, list[Path]] = {}
    if base.is_dir():
        for path in sorted(base.iterdir()):
            match = EDITION_DIR_RE.match(path.name)
            if match and path.is_dir():
                found.setdefault(int(match[1]), []).append(path)
    return found


def find_edition_dir(checkout: Path, number: int) -> Path | None:
    dirs = edition_dirs(checkout).get(number)
    return dirs[0] if dirs else None


def _candidate_files(folder: Path):
    """Files that may be reports: Markdown at the folder's top, or anything named with a date
    range. Attachments (images, PDFs, …) and sub-folders are not reports."""
    for path in sorted(folder.iterdir()):
        if path.is_dir() or path.name.lower() == "readme.md" or path.name.startswith("."):
            continue
        suffix = path.suffix.lower()
        if suffix in ATTACHMENT_SUFFIXES and not RANGE_RE.search(path.name):
            continue
        if suffix in REPORT_SUFFIXES or RANGE_RE.search(path.name):
            yield path


@dataclasses.dataclass
class MenteeFolder:
    path: Path
    programme: str
    number: int | None
    login: str
    files: list  # (path, start, end, corrected, text, sections)
    mentors: list
    readme_login: str | None = None
    other_paths: list = dataclasses.field(
        default_factory=list
    )  # hackathon_10th/x and Hackathon_10th/x


def _scan_folder(result, checkout, folder, linked) -> MenteeFolder | None:
    rel = folder.relative_to(checkout)
    parsed = parse_folder_full(folder.name)
    if parsed is None:
        result.problem(
            rel, "folder name is not <NN>_<github>, <github> or glcc_/ospp_<NN>_<github>"
        )
        result.files_skipped += sum(1 for _ in _candidate_files(folder))
        return None
    programme, number, login = parsed
    readme = folder / "README.md"
    mentors, readme_login = [], None
    if readme.exists():
        try:
            text = read_text(readme)
        except OSError as error:
            result.problem(readme.relative_to(checkout), f"cannot be read: {error}")
        else:
            readme_login = mentee_from_readme(text)
            mentors = mentors_from_readme(text, readme_login or login)
    files = []
    for path in _candidate_files(folder):
        file_rel = path.relative_to(checkout)
        dates = parse_dates_checked(path.name)
        if dates is None:
            if str(file_rel) in linked:
                continue  # a document a report links: carried as an attachment
            result.problem(file_rel, "no date range in the file name; not a report")
            result.files_skipped += 1
            continue
        try:
            text = read_text(path)
        except OSError as error:
            result.problem(file_rel, f"cannot be read: {error}")
            result.files_skipped += 1
            continue
        files.append((path, dates[0], dates[1], dates[2], text, parse_report(text)))
    return MenteeFolder(folder, programme, number, login, files, mentors, readme_login)


def _links(text: str):
    for regex in (MD_LINK_RE, HTML_LINK_RE):
        for match in regex.finditer(text):
            yield match["target"].strip("<>")


def _local_target(target: str):
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("#", "/", "//")):
        return None
    target = unquote(target.split("#", 1)[0].split("?", 1)[0]).strip()
    return target or None


def _linked_files(checkout: Path, folder: Path) -> set[str]:
    """Paths (relative to the checkout) that the folder's Markdown files link to."""
    linked = set()
    for path in folder.rglob("*.md"):
        try:
            text = read_text(path)
        except OSError:
            continue
        for target in _links(text):
            local = _local_target(target)
            if local is None:
                continue
            resolved = (path.parent / local).resolve()
            try:
                linked.add(str(resolved.relative_to(checkout.resolve())))
            except ValueError:
                continue
    return linked


# --- Cohorts, persons, projects ---------------------------------------------------------------


def _camp_cohort(result, number, batch, dates, options, programme=""):
    """The cohort for an edition's camp, or for its GLCC / OSPP folders (a programme's own
    cohort, no edition). Created when new, dated by its reports."""
    if programme:
        name, kind = PROGRAMMES[programme]
        prog, _created = Programme.objects.get_or_create(
            slug=programme, defaults={"name": name, "kind": kind}
        )
        slug = f"{programme}-{number}th"
        cohort = Cohort.objects.filter(slug=slug).first()
        create = {"programme": prog, "name": f"{name} ({number}th)", "slug": slug}
    else:
        edition, _created = Edition.objects.get_or_create(number=number)
        cohort = Cohort.objects.filter(edition=edition, batch=batch).first()
        slug = f"{number}th" if batch == Cohort.Batch.SINGLE else f"{number}th-{batch}"
        create = {"edition": edition, "batch": batch, "slug": slug}
    if cohort is None:
        if not dates:
            return None
        cohort = Cohort.objects.create(
            **create,
            state=Cohort.State.FINISHED,
            start_date=options.get("start") or min(d[0] for d in dates),
            end_date=options.get("end") or max(d[1] for d in dates),
            period_days=options.get("period_days") or 14,
            reports_public=True,  # as the public repository was
        )
        record(cohort, Actor.system("import"), "import")
        generate_periods(cohort)
    return cohort


def _person(result, login, name=""):
    person, created = Person.objects.get_or_create_by_login(login, name=name)
    if created:
        result.persons_created += 1
    elif name and not person.name:
        person.name = name
        person.save(update_fields=["name"])
    return person


def _first_line(sections, key) -> str:
    return next((s[key].split("\n")[0].strip() for s in sections if s.get(key, "").strip()), "")


def _same_title(a: str, b: str) -> bool:
    def norm(text):
        return re.sub(r"[\s：:，,。.、\-—_*`\"'“”（）()【】\[\]]", "", text).lower()

    return norm(a) == norm(b) or (
        norm(a) and norm(b) and (norm(a) in norm(b) or norm(b) in norm(a))
    )


PROJECT_PREFIX_RE = re.compile(
    r"^\s*项目\s*(?P<number>[一二三四五六七八九十百\d]+)\s*[:：.、]?\s*(?P<title>.*)$"
)


def chinese_to_int(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    digits = "零一二三四五六七八九"
    if "百" in text:
        return None
    if "十" in text:
        tens, _sep, units = text.partition("十")
        return (digits.index(tens) if tens else 1) * 10 + (digits.index(units) if units else 0)
    return digits.index(text) if len(text) == 1 and text in digits else None


def split_project_title(title: str) -> tuple[int | None, str]:
    """`项目四：[算子切分…]` → (4, "算子切分…"); other titles keep no number."""
    match = PROJECT_PREFIX_RE.match(title or "")
    if not match:
        return None, (title or "").strip()
    return chinese_to_int(match["number"]), match["title"].strip().strip("[]【】 ")


def _project(result, rel, cohort, number, title):
    """The mentee's project: by the folder's number, unless the reports' own 实习项目 names
    another project of the cohort; without a number, by 实习项目; else "unassigned"."""
    projects = list(Project.objects.filter(cohort=cohort))
    named_number, bare_title = split_project_title(title)
    if bare_title:
        title = bare_title
    if number is None and named_number is not None:
        number = named_number  # 实习项目 says 项目四
    by_title = next((p for p in projects if title and _same_title(p.title, title)), None)
    if number is not None:
        by_number = next((p for p in projects if p.number == number), None)
        if by_number is None:
            return Project.objects.create(
                cohort=cohort, number=number, title=title[:300] or f"{number:02d}"
            )
        if title and not _same_title(by_number.title, title):
            if by_number.title in {"", f"{number:02d}"}:
                by_number.title = title[:300]
                by_number.save()
                return by_number
            if by_title is not None:
                result.problem(
                    rel,
                    f"folder says project {number}, its 实习项目 says “{title}”: "
                    f"placed on project {by_title.number}",
                )
                return by_title
            result.problem(
                rel, f"实习项目 “{title}” differs from project {number} “{by_number.title}”"
            )
        return by_number
    if by_title is not None:
        return by_title
    if title:
        free = max((p.number for p in projects if p.number < UNASSIGNED_NUMBER), default=0) + 1
        result.problem(rel, f"no project number: new project {free} from 实习项目 “{title}”")
        return Project.objects.create(cohort=cohort, number=free, title=title[:300])
    unassigned = next((p for p in projects if p.number == UNASSIGNED_NUMBER), None)
    if unassigned is None:
        unassigned = Project.objects.create(
            cohort=cohort, number=UNASSIGNED_NUMBER, title=UNASSIGNED_TITLE
        )
    result.problem(
        rel, f"no project number and no known 实习项目: on project {UNASSIGNED_NUMBER} for staff"
    )
    return unassigned


# --- Attachments ---------------------------------------------------------------------------------


def _carry(result, checkout, cohort, folder, source: Path, file_rel) -> str | None:
    """Copy one linked file into media (checked) and return its URL, or None (reported)."""
    name = _store(result, cohort, folder, source, file_rel)
    return default_storage.url(name) if name else None


def _store(result, cohort, folder, source: Path, file_rel) -> str | None:
    """Copy one file of the folder into media (checked): its storage name, or None (reported)."""
    suffix = source.suffix.lower()
    rel_in_folder = source.relative_to(folder).as_posix()
    name = posixpath.join("camp", "attachments", cohort.slug, folder.name, rel_in_folder)
    try:
        if source.stat().st_size > MAX_ATTACHMENT_BYTES:
            result.problem(file_rel, f"{rel_in_folder}: larger than 10 MB, not carried")
            return None
        with source.open("rb") as handle:
            if suffix in IMAGE_SUFFIXES:
                clean = sanitize_image(handle, source.name)
                content = clean.read()
                name = posixpath.splitext(name)[0] + posixpath.splitext(clean.name)[1]
            elif suffix == ".pdf":
                validate_pdf_upload(handle, max_bytes=MAX_ATTACHMENT_BYTES)
                content = handle.read()
            elif suffix in DOCUMENT_SUFFIXES:
                content = handle.read()
            else:
                result.problem(
                    file_rel, f"{rel_in_folder}: {suffix or 'this'} files are not carried"
                )
                return None
    except ValidationError as error:
        result.problem(file_rel, f"{rel_in_folder}: refused ({' '.join(error.messages)})")
        return None
    except OSError as error:
        result.problem(file_rel, f"{rel_in_folder}: cannot be read ({error})")
        return None
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            same = hashlib.sha256(stored.read()).digest() == hashlib.sha256(content).digest()
        if not same:
            default_storage.delete(name)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:  # the storage renamed it: keep the deterministic name's link
            name = saved
        result.attachments += 1
    return name


def _rewrite_links(result, checkout, cohort, folder, report_path, text, file_rel):
    """Relative links to files of the folder become links to their copies in media."""
    root = checkout.resolve()

    def replace(match):
        target = match["target"]
        local = _local_target(target.strip("<>"))
        if local is None:
            return match.group(0)
        source = (report_path.parent / local).resolve()
        try:
            source.relative_to(root)
            source.relative_to(folder.resolve())
        except ValueError:
            return match.group(0)  # outside the mentee's folder: left as written
        if not source.is_file():
            result.problem(file_rel, f"links {local}, which is not in the repository")
            return match.group(0)
        url = _carry(result, checkout, cohort, folder.resolve(), source, file_rel)
        return match["head"] + url if url else match.group(0)

    text = MD_LINK_RE.sub(replace, text)
    return HTML_LINK_RE.sub(replace, text)


# --- The import --------------------------------------------------------------------------------


def import_camp(checkout, edition_number: int | None = None, batch=Cohort.Batch.SINGLE, **options):
    """Import one edition's reports (every edition's when `edition_number` is None)."""
    checkout = Path(checkout)
    result = ImportResult()
    if options.get("history", True):
        result.commits = history.read_history(checkout)
        if result.commits is not None:
            result.first_commits = history.first_commits(result.commits)
    editions = edition_dirs(checkout)
    numbers = sorted(editions) if edition_number is None else [edition_number]
    for number in numbers:
        if number not in editions:
            result.problem(checkout, f"no WeeklyReports/Hackathon_{number}th folder")
            continue
        _import_edition(result, checkout, number, editions[number], batch, options)
    if options.get("history", True):
        suggest_mentors(result, checkout)
    return result


# --- Mentor suggestions from the history (camp/history.py) -----------------------------------

RULE_ORDER = ["coauthor", "author", "project", "mentioned"]


def _folder_key(checkout, path) -> str:
    return str(Path(path).relative_to(checkout).as_posix()).lower()


def suggest_mentors(result, checkout):
    """For every imported mentee without a mentor: suggestions by rule from the git history,
    stored for staff to accept (never assigned here). Re-running replaces them."""
    without = [(m, f) for m, f in result.mentees if not m.mentors.exists()]
    result.without_mentor = len(without)
    commits = result.commits
    if commits is None:
        if without:
            result.problem(checkout, "no git history: no mentor suggestions")
        return
    readme_mentors = {login for _m, folder in result.mentees for login in folder.mentors}
    known = set(Person.objects.values_list("github", flat=True)) | readme_mentors
    resolver = history.Resolver(commits, known)
    by_history = {}
    for mentorship, folder in result.mentees:
        keys = [_folder_key(checkout, p) for p in [folder.path, *folder.other_paths]]
        mentee_logins = {mentorship.mentee.github, folder.login, folder.readme_login}
        found = []
        for key in keys:
            found += history.folder_suggestions(commits, resolver, key, mentee_logins)
        texts = [f[4] for f in folder.files]
        found += history.mentioned_suggestions(texts, mentee_logins, resolver.known.values())
        by_history[mentorship.pk] = found
    suggested = 0
    for mentorship, _folder in without:
        found = list(by_history[mentorship.pk])
        # Rule 3: the mentors of another mentee of the same project (not "unassigned").
        if mentorship.project.number != UNASSIGNED_NUMBER:
            siblings = Mentorship.objects.filter(project=mentorship.project).exclude(
                pk=mentorship.pk
            )
            for sibling in siblings.select_related("mentee").prefetch_related("mentors"):
                people = [(m.github, "") for m in sibling.mentors.all()] or [
                    (s.login, s.identity)
                    for s in by_history.get(sibling.pk, [])
                    if s.rule in {"coauthor", "author"}
                ]
                for login, identity in people:
                    evidence = f"mentor of @{sibling.mentee.github}" + (
                        " (assigned)" if not identity and sibling.mentors.all() else " (suggested)"
                    )
                    found.append(history.Suggestion(login, "project", 1, evidence, identity))
        merged: dict[str, history.Suggestion] = {}
        for item in found:
            if item.login.lower() == mentorship.mentee.github.lower():
                continue
            key = item.login.lower() or item.identity
            have = merged.get(key)
            if have is None:
                merged[key] = dataclasses.replace(item)
                continue
            if RULE_ORDER.index(item.rule) < RULE_ORDER.index(have.rule):
                have.rule = item.rule
            have.weight += item.weight
            have.evidence = f"{have.evidence}; {item.evidence}"
        keep = [(item.login, item.identity) for item in merged.values()]
        for stale in MentorSuggestion.objects.filter(mentorship=mentorship):
            if (stale.login, stale.identity) not in keep and not stale.identity:
                stale.delete()  # staff may have filled in a login for an identity: kept
        for item in merged.values():
            if (
                item.identity
                and MentorSuggestion.objects.filter(mentorship=mentorship, identity=item.identity)
                .exclude(login="")
                .exists()
            ):
                continue  # staff filled in this identity's login already
            MentorSuggestion.objects.update_or_create(
                mentorship=mentorship,
                login=item.login,
                identity=item.identity,
                defaults={
                    "rule": item.rule,
                    "weight": item.weight,
                    "evidence": item.evidence[:500],
                },
            )
        if merged:
            suggested += 1
    result.with_suggestions = suggested


def _import_edition(result, checkout, number, roots, batch, options):
    # First pass: folders and report files with their dates, read before anything is written.
    by_programme: dict[str, list[MenteeFolder]] = {}
    for root in roots:
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            linked = _linked_files(checkout, folder)
            mentee = _scan_folder(result, checkout, folder, linked)
            if mentee is None:
                continue
            if not mentee.files:
                result.problem(folder.relative_to(checkout), "no reports in this folder")
                continue
            same = next(
                (
                    m
                    for m in by_programme.get(mentee.programme, [])
                    if (m.readme_login or m.login).lower()
                    == (mentee.readme_login or mentee.login).lower()
                ),
                None,
            )
            if same is not None:  # Hackathon_10th/x and hackathon_10th/x: one mentee
                same.files += mentee.files
                same.mentors += [m for m in mentee.mentors if m not in same.mentors]
                same.other_paths.append(mentee.path)
                continue
            by_programme.setdefault(mentee.programme, []).append(mentee)
    names: dict[str, set] = {}
    for programme, mentees in sorted(by_programme.items()):
        dates = [(f[1], f[2]) for mentee in mentees for f in mentee.files]
        with transaction.atomic():
            cohort = _camp_cohort(result, number, batch, dates, options, programme)
        if cohort is None:
            result.problem(roots[0].relative_to(checkout), "no reports to date the cohort by")
            continue
        result.cohort = result.cohort or cohort
        result.cohorts.append(cohort)
        periods = list(cohort.periods.order_by("number"))
        for mentee in mentees:
            counts = dataclasses.replace(result, problems=result.problems)
            try:
                with transaction.atomic():  # one bad folder does not undo the others
                    _import_mentee(result, checkout, cohort, periods, mentee, names)
            except (DatabaseError, ValidationError, ValueError) as error:
                for field in dataclasses.fields(ImportResult):
                    if field.name not in {
                        "problems", "cohorts", "cohort", "mentees", "first_commits", "commits"
                    }:  # fmt: skip
                        setattr(result, field.name, getattr(counts, field.name))
                result.files_skipped += len(mentee.files)
                result.mentees = [item for item in result.mentees if item[1] is not mentee]
                result.problem(mentee.path.relative_to(checkout), f"could not be imported: {error}")
    for name, logins in sorted(names.items()):
        if len(logins) > 1:
            result.problem(
                "WeeklyReports",
                f"姓名 “{name}” is used by {', '.join(sorted(logins))}: one person? (staff)",
            )


def _import_mentee(result, checkout, cohort, periods, mentee: MenteeFolder, names):
    rel = mentee.path.relative_to(checkout)
    sections = [f[5] for f in mentee.files]
    name = _first_line(sections, "name")
    login = mentee.login
    if mentee.readme_login and mentee.readme_login.lower() != login.lower():
        result.problem(
            rel, f"README names the mentee {mentee.readme_login}: used instead of {login}"
        )
        login = mentee.readme_login
    if name:
        names.setdefault(name, set()).add(login.lower())
    project_title = _first_line(sections, "project")
    person = _person(result, login, name[:150])
    first_day = min(f[1] for f in mentee.files)
    mentorship = Mentorship.objects.filter(cohort=cohort, mentee=person).first()
    if mentorship is None:
        project = _project(result, rel, cohort, mentee.number, project_title)
        mentorship = Mentorship.objects.create(
            project=project,
            mentee=person,
            state=Mentorship.State.COMPLETED,
            # joined with their first report: earlier periods are not theirs
            locked_at=timezone.make_aware(
                datetime.combine(max(first_day, cohort.start_date), time.min)
            ),
        )
        record(mentorship, Actor.system("import"), "import")
        result.mentorships_created += 1
    mentors = [_person(result, mentor_login) for mentor_login in mentee.mentors]
    if mentors:
        mentorship.mentors.add(*mentors)
        mentorship.project.mentors.add(*mentors)
    elif not mentorship.mentors.exists():
        result.problem(rel, "no mentor found (README.md missing or names none)")
    known_mentors = list(mentorship.mentors.all())
    result.mentees.append((mentorship, mentee))

    seen: dict[tuple, Path] = {}
    for path, start, end, corrected, text, parsed in sorted(
        mentee.files, key=lambda item: (item[1], item[2], item[0].name)
    ):
        file_rel = path.relative_to(checkout)
        if corrected:
            result.corrected += 1
            result.problem(file_rel, f"dates in the name corrected to {start}~{end}")
        period = best_period(periods, start, end)
        if period is None:
            result.problem(file_rel, f"dates {start}~{end} fall outside the cohort's periods")
            result.files_skipped += 1
            continue
        if (start, end) in seen:
            other = seen[(start, end)]
            if read_text(other).strip() == text.strip():
                result.duplicates += 1
                result.problem(file_rel, f"the same report as {other.name}: imported once")
            else:
                result.files_skipped += 1
                result.problem(
                    file_rel, f"same dates as {other.name} with other text; not imported"
                )
            continue
        seen[(start, end)] = path
        _import_report(
            result, checkout, cohort, path.parent, path, file_rel, mentorship, period,
            (start, end), parsed, known_mentors,
        )  # fmt: skip
    carry_unlinked(result, checkout, cohort, mentee, mentorship)


# --- Files no report links ----------------------------------------------------------------------

UNLINKED_SUFFIXES = IMAGE_SUFFIXES | {".pdf"}
# A date in a file's name: Typora's image-20241124161359887.png, 2024-05-10.png, 2024_05_10.
NAME_DATE_RE = re.compile(r"(?<!\d)(20\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])")


def unlinked_files(checkout: Path, folder: Path) -> list[Path]:
    """Images and PDFs anywhere in a mentee's folder that none of its Markdown files links."""
    linked = _linked_files(checkout, folder)
    return [
        path
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and path.suffix.lower() in UNLINKED_SUFFIXES
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        and str(path.relative_to(checkout)) not in linked
    ]


def _distance(report, day) -> int:
    if report.start_date <= day <= report.end_date:
        return 0
    return min(abs((report.start_date - day).days), abs((report.end_date - day).days))


def _report_for(path: Path, rel: str, reports, first_commits) -> tuple:
    """Which report an unlinked file belongs under, and why. A reader meets these files while
    reading the mentee's reports, so each goes under the report it was most likely meant for
    (a list of loose files on the mentee would leave them without context):
    1. the report whose dates hold the date in the file's name (screenshot tools name files
       by the second: image-20241124161359887.png), else the nearest one;
    2. the report added in the same commit (the mentee pasted the image and forgot the link;
       of several, the one nearest the commit's day);
    3. the report nearest to the day the file was committed;
    4. without any date, the folder's last report (the folder as the mentee left it)."""
    match = NAME_DATE_RE.search(path.stem)
    if match:
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            day = None
        if day is not None:
            report = min(reports, key=lambda r: (_distance(r, day), r.start_date))
            return report, f"dated {day} in its name"
    commit = first_commits.get(rel) if first_commits else None
    if commit is not None:
        day = commit.day or date.max
        same = [r for r in reports if r.source_path in commit.paths]
        if same:
            report = min(same, key=lambda r: (_distance(r, day), -r.end_date.toordinal()))
            return report, f"added in the same commit as {report.label}"
        if commit.day is not None:
            report = min(reports, key=lambda r: (_distance(r, commit.day), r.start_date))
            return report, f"committed on {commit.day}"
    report = max(reports, key=lambda r: (r.end_date, r.pk))
    return report, "no date: under the folder's last report"


def carry_unlinked(result, checkout, cohort, mentee, mentorship):
    """Images and PDFs of the mentee's folder that no report links: copied into media as
    attachments of the report they most likely belong to (_report_for), counted."""
    reports = list(Report.objects.filter(mentorship=mentorship).exclude(source_path=""))
    for folder in [mentee.path, *mentee.other_paths]:
        for path in unlinked_files(checkout, folder):
            rel = str(path.relative_to(checkout))
            result.unlinked_files += 1
            if not reports:
                result.problem(rel, "no report links it and the folder has no report: not carried")
                continue
            report, reason = _report_for(path, rel, reports, result.first_commits)
            name = _store(result, cohort, folder, path, rel)
            if name is None:
                continue
            ReportAttachment.objects.update_or_create(
                source_path=rel,
                defaults={
                    "report": report,
                    "file": name,
                    "name": path.relative_to(folder).as_posix()[:300],
                    "reason": reason[:300],
                },
            )
            result.unlinked_carried += 1


def _import_report(
    result, checkout, cohort, folder, path, file_rel, mentorship, period, dates, parsed, mentors
):
    def rewrite(text):
        return _rewrite_links(result, checkout, cohort, folder, path, text, file_rel)

    review_text = meaningful_review_text(parsed.get("review", ""))
    # What the report itself says above its work, whole: text before the first heading, and
    # every line under 姓名 and 实习项目 (a person's name and project as they wrote them).
    header = "\n".join(
        part
        for part in (
            parsed.get("preamble", ""),
            f"姓名：{parsed['name']}" if parsed.get("name") else "",
            f"实习项目：{parsed['project']}" if parsed.get("project") else "",
        )
        if part
    )
    values = {
        "work": rewrite(parsed.get("work", ""))[: limits.TEXT],
        "questions": "",
        "next_work": rewrite(parsed.get("next_work", ""))[: limits.TEXT],
        "header_notes": header[: limits.TEXT],
        "state": Report.State.REVIEWED if review_text else Report.State.SUBMITTED,
        "period": period,
        "start_date": dates[0],
        "end_date": dates[1],
        "source_path": str(file_rel),
    }
    report = Report.objects.filter(source_path=str(file_rel), mentorship=mentorship).first()
    if report is None:
        clash = Report.objects.filter(
            mentorship=mentorship, start_date=dates[0], end_date=dates[1]
        ).first()
        if clash is not None and not clash.source_path:
            result.problem(
                file_rel, f"a report for {dates[0]}~{dates[1]} was written on the site; kept"
            )
            result.files_skipped += 1
            return
        report = clash
    if report is None:
        report = Report(mentorship=mentorship, submitted_at=None, **values)
        report.save()
        record(report, Actor.system("import"), "import", note=str(file_rel))
        result.reports_created += 1
    elif any(getattr(report, field) != value for field, value in values.items()):
        for field, value in values.items():
            setattr(report, field, value)
        report.save()
        result.reports_updated += 1
    else:
        result.reports_unchanged += 1
    if review_text:
        review_text = rewrite(review_text)[: limits.TEXT]
        mentor = mentors[0] if len(mentors) == 1 else None
        review = Review.objects.filter(report=report).first()
        if review is None:
            Review.objects.create(report=report, mentor=mentor, text=review_text)
        elif review.text != review_text or (review.mentor_id is None and mentor is not None):
            review.text = review_text
            review.mentor = review.mentor or mentor
            review.save()
        result.reviews_imported += 1
    else:
        Review.objects.filter(report=report).delete()
        result.not_reviewed += 1

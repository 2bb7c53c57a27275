"""Mentor suggestions from the Camp repository's git history, for imported mentees whose folder
names no mentor (no README.md). The rules, strongest first:

1. co-author: mentors write their review into the mentee's pull request as a commit ("导师在 PR
   中填写周报评价，以 commit 的形式添加在文档中", the repository's README); the squash merge
   keeps it as a `Co-authored-by:` trailer on the commit that adds the report.
2. author: someone other than the mentee committed in the mentee's folder.
3. project: the mentors (assigned, or suggested by rules 1–2) of another mentee of the same
   project in the same cohort.
4. mentioned: an `@login` in the mentee's reports (a mentee thanking their mentor).

Commits that touch more than a few mentee folders (moves, renames, formatting) say nothing
about who mentored whom and are ignored; so are AI assistants' trailers and the mentee's own
identities (every name and address of the commits that add their reports). Files are followed
through renames (`git log -M`), so a folder moved from its first place keeps its history.

An identity (name, address) becomes a GitHub login by, in order: a GitHub no-reply address
(`123+login@users.noreply.github.com`); the same address seen with a no-reply address on
another commit; the same name seen with a no-reply address; the name or the address's local part
when it is a known login (a person here, or a mentor named in a README); the name when it is
spelled like a login (guessed). Otherwise the suggestion keeps the identity alone, and staff
fill in the login before accepting it. The evidence kept with a
suggestion shows the identity as written, so that staff can judge a guessed login.
"""

import collections
import dataclasses
import re
import subprocess
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError

from common.validators import validate_github_login

NOREPLY_RE = re.compile(r"^(?:\d+\+)?([A-Za-z0-9][A-Za-z0-9-]*)@users\.noreply\.github\.com$", re.I)
IDENTITY_RE = re.compile(r"^\s*(?P<name>.*?)\s*<(?P<email>[^>]*)>\s*$")
MENTION_RE = re.compile(r"(?<![\w.+/-])@([A-Za-z0-9][A-Za-z0-9-]{0,38})(?![\w-]*\.[a-z])")
# Co-authors that are tools, not people.
TOOL_RE = re.compile(r"anthropic\.com|happy\.engineering|\[bot\]|copilot|claude|cursor", re.I)
BULK_FOLDERS = 3  # a commit touching more mentee folders than this is housekeeping
LOG_FORMAT = (
    "%x1e%an%x1f%ae%x1f%(trailers:key=Co-authored-by,valueonly,separator=%x1d)%x1f%s%x1f%cs"
)


@dataclasses.dataclass(frozen=True)
class Identity:
    name: str
    email: str

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.email else self.name

    @classmethod
    def parse(cls, text: str) -> "Identity":
        match = IDENTITY_RE.match(text)
        if match:
            return cls(match["name"].strip(), match["email"].strip().lower())
        return cls(text.strip(), "")

    @property
    def is_tool(self) -> bool:
        return bool(TOOL_RE.search(f"{self.name} {self.email}"))


@dataclasses.dataclass
class Commit:
    author: Identity
    co_authors: list
    subject: str
    folders: set
    day: date | None = None
    paths: set = dataclasses.field(default_factory=set)  # as they are named today


def _is_login(text: str) -> bool:
    try:
        validate_github_login(text)
    except ValidationError:
        return False
    return not text.isdigit()


def read_history(checkout: Path) -> list[Commit] | None:
    """Every commit of the checkout with the mentee folders it touched (after renames), or None
    when the checkout has no git history (or git is missing)."""
    if not (Path(checkout) / ".git").exists():
        return None
    try:
        output = subprocess.run(
            ["git", "-c", "core.quotePath=false", "-C", str(checkout), "log", "--reverse", "-M", "--name-status",
             f"--format={LOG_FORMAT}"],
            capture_output=True, check=True, text=True, encoding="utf-8", errors="replace",
        ).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return None
    raw, renames = [], {}
    for chunk in output.split("\x1e")[1:]:
        head, _newline, body = chunk.partition("\n")
        name, email, trailers, subject, day = (head.split("\x1f") + [""] * 5)[:5]
        paths = []
        for line in body.split("\n"):
            parts = line.split("\t")
            if len(parts) == 3 and parts[0][:1] in {"R", "C"}:
                renames[parts[1]] = parts[2]
                paths.append(parts[1])
            elif len(parts) == 2:
                paths.append(parts[1])
        co_authors = [Identity.parse(t) for t in trailers.split("\x1d") if t.strip()]
        try:
            day = date.fromisoformat(day.strip())
        except ValueError:
            day = None
        raw.append((Identity(name.strip(), email.strip().lower()), co_authors, subject, paths, day))

    def final(path):
        seen = set()
        while path in renames and path not in seen:
            seen.add(path)
            path = renames[path]
        return path

    commits = []
    for author, co_authors, subject, paths, day in raw:
        folders, finals = set(), set()
        for path in paths:
            finals.add(final(path))
            parts = final(path).split("/")
            if len(parts) >= 4 and parts[0] == "WeeklyReports":
                folders.add("/".join(parts[:3]).lower())
        commits.append(Commit(author, co_authors, subject, folders, day, finals))
    return commits


def first_commits(commits) -> dict[str, Commit]:
    """Path (as named today) → the oldest commit that touched it: the one that added it."""
    first: dict[str, Commit] = {}
    for commit in commits:  # oldest first
        for path in commit.paths:
            first.setdefault(path, commit)
    return first


class Resolver:
    """Identities → GitHub logins (see the module's docstring for the order)."""

    def __init__(self, commits, known_logins):
        self.known = {login.lower(): login for login in known_logins}
        self.by_email, self.by_name = {}, {}
        for commit in commits:
            for identity in [commit.author, *commit.co_authors]:
                match = NOREPLY_RE.match(identity.email)
                if match:
                    self.known.setdefault(match[1].lower(), match[1])
                    if identity.name:
                        self.by_name.setdefault(identity.name.lower(), match[1])
        for commit in commits:
            for identity in [commit.author, *commit.co_authors]:
                login = self._direct(identity)
                if login and identity.email and not NOREPLY_RE.match(identity.email):
                    self.by_email.setdefault(identity.email, login)

    def _direct(self, identity) -> str | None:
        match = NOREPLY_RE.match(identity.email)
        if match:
            return match[1]
        return None

    def login(self, identity: Identity) -> tuple[str | None, bool]:
        """(login, guessed)."""
        direct = self._direct(identity)
        if direct:
            return direct, False
        if identity.email in self.by_email:
            return self.by_email[identity.email], False
        if identity.name.lower() in self.by_name:  # the same name with a no-reply address
            return self.by_name[identity.name.lower()], False
        local = identity.email.split("@", 1)[0]
        for candidate in (identity.name, identity.name.replace(" ", ""), local):
            if candidate and candidate.lower() in self.known:
                return self.known[candidate.lower()], False
        if _is_login(identity.name):  # a name spelled like a login ("kangguangli")
            return identity.name, True
        return None, True  # kept with the identity alone: staff fill in the login


@dataclasses.dataclass
class Suggestion:
    login: str  # "" when the history gives no login: `identity` says who, staff fill it in
    rule: str
    weight: int
    evidence: str
    identity: str = ""


def folder_suggestions(commits, resolver, folder_key: str, mentee_logins) -> list[Suggestion]:
    """Rules 1 and 2 for one mentee folder (`WeeklyReports/<edition>/<folder>`, lower case)."""
    mentee_logins = {login.lower() for login in mentee_logins if login}
    mine = [c for c in commits if folder_key in c.folders and len(c.folders) <= BULK_FOLDERS]
    # The mentee's own identities: whoever wrote the commits that add their reports.
    own = set()
    for commit in mine:
        login, _guessed = resolver.login(commit.author)
        words = {w.lower() for w in re.findall(r"[A-Za-z0-9-]+", commit.subject)}
        if (login and login.lower() in mentee_logins) or words & mentee_logins:
            own.add(commit.author)

    def is_mentee(identity, login):
        return (
            identity in own
            or (identity.email and identity.email in {o.email for o in own})
            or (login and login.lower() in mentee_logins)
            or identity.name.lower() in mentee_logins
        )

    found: dict[str, dict] = {}
    for rule, identities in (
        ("coauthor", lambda c: c.co_authors),
        ("author", lambda c: [c.author]),
    ):
        for commit in mine:
            for identity in identities(commit):
                login, guessed = resolver.login(identity)
                if identity.is_tool or is_mentee(identity, login):
                    continue
                entry = found.setdefault(
                    login.lower() if login else str(identity),
                    {
                        "login": login or "",
                        "identity": "" if login else str(identity),
                        "rule": rule,
                        "weight": 0,
                        "seen": collections.Counter(),
                    },
                )
                entry["weight"] += 1
                entry["seen"][(rule, str(identity), guessed)] += 1
    suggestions = []
    for entry in found.values():
        evidence = "; ".join(
            f"{'Co-authored-by' if rule == 'coauthor' else 'commit by'} {identity} ×{count}"
            + (" (login guessed)" if guessed and entry["login"] else "")
            for (rule, identity, guessed), count in entry["seen"].most_common()
        )
        suggestions.append(
            Suggestion(entry["login"], entry["rule"], entry["weight"], evidence, entry["identity"])
        )
    return suggestions


def mentioned_suggestions(texts, mentee_logins, known_logins) -> list[Suggestion]:
    """Rule 4: `@login` in the mentee's reports, for logins known as people or mentors."""
    mentee_logins = {login.lower() for login in mentee_logins if login}
    known = {login.lower(): login for login in known_logins}
    counts = collections.Counter()
    for text in texts:
        for login in MENTION_RE.findall(text):
            if login.lower() in known and login.lower() not in mentee_logins:
                counts[known[login.lower()]] += 1
    return [
        Suggestion(login, "mentioned", count, f"@{login} in the reports ×{count}")
        for login, count in counts.most_common()
    ]

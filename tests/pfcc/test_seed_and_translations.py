from pathlib import Path

import polib
import pytest
from django.core.management import call_command

from pfcc.models import Person, User

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted(
    path
    for path in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
    if ".venv" not in path.parts
)


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_passwords_once(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    users, persons = User.objects.count(), Person.objects.count()
    call_command("seed_demo")
    second = capsys.readouterr().out

    # One password line per account created, shown only the first time.
    assert first.count("with password:") == User.objects.count() >= 4
    assert "with password:" not in second
    assert (User.objects.count(), Person.objects.count()) == (users, persons)
    assert User.objects.get(username="admin").is_staff
    assert User.objects.get(username="mentor").person.github == "SigureMo"


def test_there_are_catalogs():
    assert ROOT / "locale/zh_Hans/LC_MESSAGES/django.po" in CATALOGS


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_is_translated_to_chinese(catalog):
    po = polib.pofile(str(catalog))
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert untranslated == [], f"{catalog}: untranslated or fuzzy: {untranslated[:20]}"


def test_catalogs_hold_every_string_of_the_source(tmp_path):
    """Extract messages from a copy of the tree (as `make makemessages` does): every string
    in the code and templates must already be translated in the committed catalogs."""
    import os
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            "var",
            ".git",
            "__pycache__",
            "*.mo",
            "backups",
            "bench-results",
            "node_modules",
        ),
    )
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    manage = [sys.executable, str(copy / "manage.py"), "makemessages", "-l", "zh_Hans", "-v0"]
    ignores = [
        f"--ignore={name}"
        for name in (
            "var",
            "blog",
            "hackathon",
            "camp",
            "events",
            "judging",
            "search",
            "progress",
            "tests",
        )
    ]
    subprocess.run([*manage, *ignores], cwd=copy, env=env, check=True)
    for app in ("blog", "hackathon", "camp", "events", "judging", "search", "progress"):
        subprocess.run(manage, cwd=copy / app, env=env, check=True)

    missing = []
    for catalog in CATALOGS:
        committed = polib.pofile(str(catalog))
        translated = {(e.msgctxt, e.msgid) for e in committed if e.translated()}
        extracted = polib.pofile(str(copy / catalog.relative_to(ROOT)))
        missing += [
            f"{catalog.relative_to(ROOT)}: {e.msgid!r}"
            for e in extracted
            if not e.obsolete and (e.msgctxt, e.msgid) not in translated
        ]
    assert missing == [], "run `make makemessages` and translate:\n" + "\n".join(missing[:40])

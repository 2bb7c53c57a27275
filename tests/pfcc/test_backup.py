"""Backup round trip: dump, restore into an empty database, same content.

The restore runs as `manage.py restore` in another process pointed at a new, empty database,
as an operator would run it."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from pfcc.backup import BackupError, restore_backup, row_counts
from pfcc.models import Person
from tests.factories import PersonFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_database_url(tmp_path):
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        name = f"pfcc_restore_{uuid.uuid4().hex[:8]}"
        server = ["-h", db["HOST"] or "127.0.0.1", "-U", db["USER"] or "postgres"]
        subprocess.run(["createdb", *server, name], check=True)
        yield f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
        subprocess.run(["dropdb", *server, "--if-exists", "--force", name], check=True)
    else:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"


def manage(*args, database_url, media_root):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "PRIVATE_MEDIA_ROOT": str(media_root.parent / "private"),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database_gives_the_same_content(
    tmp_path, empty_database_url, settings
):
    media = tmp_path / "media"
    (media / "blog").mkdir(parents=True)
    (media / "blog" / "photo.png").write_bytes(b"\x89PNG fake image bytes")
    settings.MEDIA_ROOT = media
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "resume.pdf").write_bytes(b"%PDF-1.4 private")
    PersonFactory(github="Ligoml", name="梦师傅")
    PersonFactory.create_batch(5)
    before = sorted(Person.objects.values_list("github", "name"))

    call_command("backup", str(tmp_path / "backup"))
    (media / "blog" / "photo.png").unlink()  # files lost after the backup
    (tmp_path / "private" / "resume.pdf").unlink()

    restored = manage(
        "restore", str(tmp_path / "backup"), database_url=empty_database_url, media_root=media
    )
    assert restored.returncode == 0, restored.stderr
    assert "counts match" in restored.stdout

    dump = "import json; from pfcc.models import Person; print(json.dumps(sorted(Person.objects.values_list('github', 'name'))))"
    after = manage(
        "shell", "--no-imports", "-c", dump, database_url=empty_database_url, media_root=media
    )
    assert [tuple(row) for row in json.loads(after.stdout)] == before
    assert (media / "blog" / "photo.png").read_bytes() == b"\x89PNG fake image bytes"
    assert (tmp_path / "private" / "resume.pdf").read_bytes() == b"%PDF-1.4 private"
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["rows"] == row_counts()


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(BackupError, match="not a backup folder"):
        restore_backup(tmp_path)

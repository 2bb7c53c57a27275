"""Backups of the database and the uploaded media, and their restore.

A backup is a folder: `database.dump` (PostgreSQL custom format from pg_dump, or a SQLite copy
made with SQLite's online backup API as `database.sqlite3`), `media.tar.gz` (public media and private uploads), and
`manifest.json` (when, which engine, row counts per table, to check a restore against).
"""

import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections


class BackupError(CommandError):
    pass


def _database(alias: str = "default") -> dict:
    return connections[alias].settings_dict


def _pg_env(db: dict) -> tuple[list[str], dict]:
    import os

    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _file_roots() -> dict[str, Path]:
    """Uploaded files: public media and private files (résumés)."""
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def row_counts(alias: str = "default") -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        counts[model._meta.label] = model._default_manager.using(alias).count()
    return counts


def make_backup(target: Path, alias: str = "default") -> Path:
    target.mkdir(parents=True, exist_ok=True)
    db = _database(alias)
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    if engine == "postgresql":
        if not shutil.which("pg_dump"):
            raise BackupError("pg_dump is not installed (apt-get install postgresql-client).")
        args, env = _pg_env(db)
        result = subprocess.run(
            ["pg_dump", *args, "--format=custom", "--no-owner", "--no-acl",
             "--file", str(target / "database.dump"), db["NAME"]],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    elif engine == "sqlite3":
        connections[alias].ensure_connection()
        destination = sqlite3.connect(target / "database.sqlite3")
        with destination:
            connections[alias].connection.backup(destination)
        destination.close()
    else:
        raise BackupError(f"Backups of {engine} databases are not supported.")

    with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
        for arcname, folder in _file_roots().items():
            if folder.exists():
                archive.add(folder, arcname=arcname)
    manifest = {
        "created": datetime.now(UTC).isoformat(),
        "engine": engine,
        "rows": row_counts(alias),
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return target


def restore_backup(source: Path, alias: str = "default") -> dict:
    manifest_path = source / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"{source} is not a backup folder (no manifest.json).")
    manifest = json.loads(manifest_path.read_text())
    db = _database(alias)
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    if engine != manifest["engine"]:
        raise BackupError(f"The backup is of {manifest['engine']}, the database is {engine}.")
    connections[alias].close()
    if engine == "postgresql":
        args, env = _pg_env(db)
        result = subprocess.run(
            ["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--no-acl",
             "--single-transaction", "--dbname", db["NAME"], str(source / "database.dump")],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        source_db = sqlite3.connect(source / "database.sqlite3")
        connections[alias].ensure_connection()
        with source_db:
            source_db.backup(connections[alias].connection)
        source_db.close()

    with (
        tempfile.TemporaryDirectory() as unpacked,
        tarfile.open(source / "media.tar.gz") as archive,
    ):
        archive.extractall(unpacked, filter="data")
        for arcname, folder in _file_roots().items():
            if (Path(unpacked) / arcname).exists():
                shutil.rmtree(folder, ignore_errors=True)
                folder.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(Path(unpacked) / arcname, folder)
    restored = row_counts(alias)
    mismatches = {
        label: (count, restored.get(label))
        for label, count in manifest["rows"].items()
        if restored.get(label) != count
    }
    if mismatches:
        raise BackupError(f"Restored row counts differ from the backup: {mismatches}")
    return restored

"""Backing up and restoring a whole deployment: the database and the private files, wherever they are stored.

A backup is a folder::

    manifest.json        when, which database engine, every file with its size and SHA-256
    database.dump        PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot)
    database.sqlite3     SQLite: a copy made with SQLite's online backup API
    files/<name>         every object of the private storage, under its storage name

Consistency: the database is dumped FIRST, in one transaction-consistent snapshot; the files are copied after.
Private files are never changed or deleted once stored (random names; a replaced or removed file stays in the
history), so every file the dump refers to still exists when the copy runs; files stored in between are extra and
harmless. Restoring therefore gives a deployment whose rows and files agree, without stopping the site.
"""

import hashlib
import json
import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection
from django.utils import timezone

from .files import private_storage


class BackupError(Exception):
    pass


def stored_names(storage, folder: str = "") -> list[str]:
    """Every file name in ``storage`` (recursively), through the storage API so S3 and folders look the same."""
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{f}" if folder else f for f in files]
    for d in dirs:
        names += stored_names(storage, f"{folder}/{d}" if folder else d)
    return sorted(names)


def _pg_env() -> tuple[list[str], dict]:
    db = connection.settings_dict
    args = ["--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432), "--username", db["USER"] or "",
            "--dbname", db["NAME"]]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    return args, env


def _run(cmd: list[str], env: dict) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"{cmd[0]} failed: {done.stderr.strip()}")


def dump_database(target: Path) -> str:
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target / "database.dump"),
              *args], env)
        return "database.dump"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        dest = sqlite3.connect(target / "database.sqlite3")
        with dest:
            connection.connection.backup(dest)
        dest.close()
        return "database.sqlite3"
    raise BackupError(f"Backing up a {connection.vendor} database is not supported.")


def copy_files_out(target: Path) -> list[dict]:
    entries = []
    for name in stored_names(private_storage):
        out = target / "files" / name
        out.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with private_storage.open(name, "rb") as src, out.open("wb") as dst:
            for chunk in iter(lambda: src.read(1024 * 1024), b""):
                digest.update(chunk)
                dst.write(chunk)
        entries.append({"name": name, "size": out.stat().st_size, "sha256": digest.hexdigest()})
    return entries


def backup(target: Path) -> dict:
    """Write a backup into the empty (or new) folder ``target``; return its manifest."""
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty; back up into a new folder.")
    started = timezone.now()
    database = dump_database(target)
    files = copy_files_out(target)
    manifest = {"format": 1, "started_at": started.isoformat(), "finished_at": timezone.now().isoformat(),
                "database_vendor": connection.vendor, "database": database, "files": files}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore_database(source: Path, manifest: dict) -> None:
    if manifest["database_vendor"] != connection.vendor:
        raise BackupError(f"This backup is of a {manifest['database_vendor']} database, not {connection.vendor}.")
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", *args,
              str(source / manifest["database"])], env)
    else:
        connection.ensure_connection()
        src = sqlite3.connect(source / manifest["database"])
        src.backup(connection.connection)
        src.close()


def restore_files(source: Path, manifest: dict) -> int:
    for entry in manifest["files"]:
        data = source / "files" / entry["name"]
        if hashlib.sha256(data.read_bytes()).hexdigest() != entry["sha256"]:
            raise BackupError(f"{entry['name']} in the backup is damaged (its checksum differs).")
        with data.open("rb") as fh:
            saved = private_storage.save(entry["name"], fh)
        if saved != entry["name"]:
            raise BackupError(f"{entry['name']} was stored as {saved}: the private storage was not empty.")
    return len(manifest["files"])


def restore(source: Path) -> dict:
    """Restore a backup into an EMPTY deployment (no tables, no private files); refuse anything else."""
    manifest_path = source / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"{source} holds no manifest.json: not a backup made by `manage.py backup`.")
    manifest = json.loads(manifest_path.read_text())
    if not database_is_empty():
        raise BackupError("The database is not empty. Restore only into a new, empty database.")
    if stored_names(private_storage):
        raise BackupError("The private storage is not empty. Restore only into an empty folder or bucket.")
    restore_database(source, manifest)
    restore_files(source, manifest)
    return manifest


__all__ = ["BackupError", "backup", "restore"]

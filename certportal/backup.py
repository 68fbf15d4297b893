"""Backing up and restoring a whole deployment: the database and the private files, wherever they are stored.

A backup is a folder::

    manifest.json        when, which database engine, every file with its size and SHA-256
    database.dump        PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot)
    database.sqlite3     SQLite: a copy made with SQLite's online backup API
    files/<name>         every object of the private storage, under its storage name
    keys/<label>/...     every key the portal needs (:func:`key_places`): the whole PAdES signing folder (the
                         signer's PKCS#12 and whatever else it holds), the Open Badges key folder, the trust roots,
                         and ``secret_key.env`` (SECRET_KEY and its fallbacks). A backup is therefore a secret.

Consistency: the database is dumped FIRST, in one transaction-consistent snapshot; the files are copied after.
Private files are never changed or deleted once stored (random names; a replaced or removed file stays in the
history), so every file the dump refers to still exists when the copy runs; files stored in between are extra and
harmless. Restoring therefore gives a deployment whose rows and files agree, without stopping the site.

Keys: a restore on a new host must sign as before and prove what it signed before, so the backup refuses to run
without the PKCS#12 signing key when the portal signs with it (``ESIGN_BACKEND=pkcs12``), and a restore puts each
key folder where THIS host's settings say, refusing a folder that already holds other files.
"""

import hashlib
import json
import os
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
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


# --- keys ------------------------------------------------------------------------------------------------------


def key_places() -> list[tuple[str, Path, bool]]:
    """(label, path, whole folder?) of every key the portal needs on this host. Folders are copied whole (more
    keys may be added to them: one per signing role, a rotated credential key), trust roots file by file."""
    places = [("esign", Path(settings.ESIGN_PKCS12_PATH).parent, True),
              ("credentials", Path(settings.CREDENTIAL_KEY_DIR), True)]
    folders = [p.resolve() for _, p, _ in places]
    for i, root in enumerate(settings.ESIGN_TRUST_ROOTS):
        if not any(folder in Path(root).resolve().parents for folder in folders):
            places.append((f"trust-root-{i}", Path(root), False))
    return places


def _files_of(path: Path, whole: bool) -> list[tuple[str, Path]]:
    if not whole:
        return [(path.name, path)] if path.is_file() else []
    if not path.is_dir():
        return []
    return [(str(p.relative_to(path)), p) for p in sorted(path.rglob("*")) if p.is_file()]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_secret(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def copy_keys_out(target: Path) -> dict:
    if settings.ESIGN_BACKEND == "pkcs12" and not Path(settings.ESIGN_PKCS12_PATH).is_file():
        raise BackupError(f"The signing key {settings.ESIGN_PKCS12_PATH} (ESIGN_PKCS12_PATH) is missing: a backup "
                          "without it could not sign after a restore. Put the key back, or set ESIGN_BACKEND.")
    places, missing = [], []
    for label, path, whole in key_places():
        files = _files_of(path, whole)
        if not files:
            missing.append(label)
            continue
        entries = []
        for name, source in files:
            _write_secret(target / "keys" / label / name, source.read_bytes())
            entries.append({"name": name, "sha256": _sha256(source)})
        places.append({"label": label, "path": str(path), "whole_folder": whole, "files": entries})
    secret = f"SECRET_KEY={settings.SECRET_KEY}\nSECRET_KEY_FALLBACKS={','.join(settings.SECRET_KEY_FALLBACKS)}\n"
    _write_secret(target / "keys" / "secret_key.env", secret.encode())
    return {"places": places, "missing": missing, "secret_key_sha256": hashlib.sha256(
        settings.SECRET_KEY.encode()).hexdigest()}


def _key_target(label: str) -> tuple[Path, bool] | None:
    for here_label, path, whole in key_places():
        if here_label == label:
            return path, whole
    return None


def check_key_targets(manifest: dict) -> None:
    """Refuse before anything is restored when a key folder of this host holds other files than the backup's."""
    for place in manifest.get("keys", {}).get("places", []):
        found = _key_target(place["label"])
        if found is None:
            raise BackupError(f"The backup holds keys for {place['label']} ({place['path']}), which this host's "
                              "settings do not name (ESIGN_TRUST_ROOTS?).")
        theirs = {e["name"]: e["sha256"] for e in place["files"]}
        for name, path in _files_of(*found):
            if theirs.get(name) != _sha256(path):
                raise BackupError(f"{path} already holds another key; restore the keys only into empty folders.")


def restore_keys(source: Path, manifest: dict) -> list[str]:
    """Put each key where this host's settings say; returns the paths written."""
    written = []
    for place in manifest.get("keys", {}).get("places", []):
        path, whole = _key_target(place["label"])
        for entry in place["files"]:
            data = (source / "keys" / place["label"] / entry["name"]).read_bytes()
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise BackupError(f"keys/{place['label']}/{entry['name']} in the backup is damaged.")
            dest = path / entry["name"] if whole else path
            if not dest.exists():
                _write_secret(dest, data)
                written.append(str(dest))
    return written


def secret_key_differs(manifest: dict) -> bool:
    kept = manifest.get("keys", {}).get("secret_key_sha256")
    return bool(kept) and kept != hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest()


def backup(target: Path) -> dict:
    """Write a backup into the empty (or new) folder ``target``; return its manifest."""
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty; back up into a new folder.")
    started = timezone.now()
    keys = copy_keys_out(target)  # first: a missing signing key refuses before anything long runs
    database = dump_database(target)
    files = copy_files_out(target)
    manifest = {"format": 1, "started_at": started.isoformat(), "finished_at": timezone.now().isoformat(),
                "database_vendor": connection.vendor, "database": database, "files": files, "keys": keys}
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
    check_key_targets(manifest)
    restore_database(source, manifest)
    restore_files(source, manifest)
    manifest["restored_keys"] = restore_keys(source, manifest)
    return manifest


__all__ = ["BackupError", "backup", "restore"]

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


def test_every_string_is_in_both_catalogs_and_translated_to_indonesian():
    if not shutil.which("xgettext"):
        require_service("gettext", "sudo apt-get install gettext")
    result = subprocess.run([sys.executable, "scripts/i18n.py", "--check"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def _catalog(folder: Path, entries: list[tuple[str, str, str]]) -> None:
    import polib

    po = polib.POFile()
    for ctx, msgid, msgstr in entries:
        po.append(polib.POEntry(msgctxt=ctx or None, msgid=msgid, msgstr=msgstr))
    path = folder / "locale" / "id" / "LC_MESSAGES"
    path.mkdir(parents=True)
    po.save(str(path / "django.po"))


def _ambiguous(tmp_path, monkeypatch, entries_core, entries_app):
    import importlib.util

    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    i18n = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(i18n)
    _catalog(tmp_path, entries_core)
    _catalog(tmp_path / "schemes", entries_app)
    monkeypatch.setattr(i18n, "ROOT", tmp_path)
    monkeypatch.setattr(i18n, "APPS", ["schemes"])
    return i18n.ambiguous()


def test_the_check_fails_on_one_text_with_two_meanings_and_no_context(tmp_path, monkeypatch):
    """Issue 15: "position" read "Urutan" in the profile because another catalog translated it first."""
    failures = _ambiguous(tmp_path, monkeypatch, [("", "position", "jabatan")], [("", "position", "urutan")])
    assert len(failures) == 1 and "'position'" in failures[0] and "context" in failures[0]


def test_a_context_tells_the_two_meanings_apart(tmp_path, monkeypatch):
    assert _ambiguous(tmp_path, monkeypatch, [("job", "position", "jabatan")], [("", "position", "urutan")]) == []

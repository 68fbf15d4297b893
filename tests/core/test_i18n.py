import ast
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


# --- no interface text translated at import ------------------------------------------------------------------

APPS = ("certportal", "applicants", "assessments", "complaints", "schemes", "agencies", "quality")
EAGER = {"gettext", "pgettext", "ngettext", "npgettext"}  # django.utils.translation's non-lazy functions


def _eager_names(tree: ast.AST) -> set[str]:
    return {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and node.module == "django.utils.translation" for alias in node.names if alias.name in EAGER}


def _import_time_calls(node: ast.AST, names: set[str]):
    """Calls of ``names`` run when the module is imported: in its body and class bodies, in decorators and default
    values, not inside a function or a lambda."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            for value in [*child.decorator_list, *child.args.defaults, *child.args.kw_defaults]:
                if value is not None:
                    yield from _import_time_calls(ast.Expression(value), names)
            continue
        if isinstance(child, ast.Lambda):
            continue
        if isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id in names:
            yield child
        yield from _import_time_calls(child, names)


def test_no_interface_text_is_translated_when_its_module_is_imported():
    """A ``gettext`` run at import (a module's list of filter choices, messages in a dict) is read once, in the
    default language, and stays Indonesian for an English reader (issue 43: the corrective actions' filter); such
    text must be ``gettext_lazy``."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            names = _eager_names(tree)
            found += [f"{path.relative_to(ROOT)}:{call.lineno}" for call in _import_time_calls(tree, names)]
    assert not found, "gettext at import (use gettext_lazy): " + ", ".join(found)

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


def _script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    i18n = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(i18n)
    return i18n


def _catalog(folder: Path, entries: list[tuple[str, str, str]]) -> None:
    import polib

    po = polib.POFile()
    for ctx, msgid, msgstr in entries:
        po.append(polib.POEntry(msgctxt=ctx or None, msgid=msgid, msgstr=msgstr))
    path = folder / "locale" / "id" / "LC_MESSAGES"
    path.mkdir(parents=True)
    po.save(str(path / "django.po"))


def _ambiguous(tmp_path, monkeypatch, entries_core, entries_app):
    i18n = _script()
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


# --- plural forms: as many as the language has ----------------------------------------------------------------

def test_every_catalog_passes_msgfmt_check():
    """A translator's tool (Poedit, Weblate) refuses a catalog ``msgfmt --check`` refuses: the Indonesian ones
    carried a second plural form where Indonesian has one (``nplurals=1``)."""
    if not shutil.which("msgfmt"):
        require_service("gettext", "sudo apt-get install gettext")
    catalogs = sorted(p for p in ROOT.glob("**/locale/*/LC_MESSAGES/django.po") if ".venv" not in p.parts)
    assert len(catalogs) == 14
    refused = {}
    for path in catalogs:
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True,
                                timeout=60)
        if result.returncode:
            refused[str(path.relative_to(ROOT))] = result.stderr
    assert not refused, refused


def test_the_one_indonesian_form_keeps_the_number(tmp_path, monkeypatch):
    """Of an entry's two forms the one kept names the count: "3 peserta berikut", not "Peserta berikut" for three."""
    import polib

    i18n = _script()
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=1; plural=0;"}
    po.append(polib.POEntry(msgid="This participant will be marked absent:", flags=["python-format"],
                            msgid_plural="These %(n)s participants will be marked absent:",
                            msgstr_plural={0: "Peserta berikut akan dicatat tidak hadir:",
                                           1: "%(n)s peserta berikut akan dicatat tidak hadir:"}))
    path = tmp_path / "django.po"
    po.save(str(path))
    monkeypatch.setattr(i18n, "ROOT", tmp_path)
    assert "2 plural forms where the language has 1" in i18n.problems(path)[0]
    i18n.one_form_per_count(path)
    assert polib.pofile(str(path))[0].msgstr_plural == {0: "%(n)s peserta berikut akan dicatat tidak hadir:"}
    assert i18n.problems(path) == []


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

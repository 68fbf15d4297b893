#!/usr/bin/env python
"""Keep the translation catalogs complete.

    python scripts/i18n.py            # extract strings, fill English, compile (.mo files are committed)
    python scripts/i18n.py --check    # fail if a string is missing from a catalog or untranslated in Indonesian,
                                      # or one English text reads two ways in two catalogs without a context
    python scripts/i18n.py --only schemes              # one catalog only
    python scripts/i18n.py --fill schemes id.json      # apply Indonesian translations {msgid: msgstr}

Source strings are English; ``id`` (the default language) must translate every one of them; ``en`` carries
each string translated to itself so that both catalogs are complete. Each domain app keeps its own catalog in
``<app>/locale``; the core (certportal/ and templates/) uses ``locale/`` at the top.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
APPS = ["schemes", "applicants", "assessments", "complaints", "agencies", "quality"]
IGNORE = [*APPS, ".venv", "tests", "bench", "staticfiles", "var", "static", "scripts", "node_modules"]
LANGS = ["id", "en"]


ONLY: str | None = None


def domains() -> list[tuple[Path, list[str]]]:
    """(folder to run makemessages in, extra args) for the core and each app (or just ``--only``)."""
    out = [(ROOT, [arg for name in IGNORE for arg in ("--ignore", f"{name}/*")])]
    out += [(ROOT / app, []) for app in APPS if (ROOT / app).is_dir()]
    if ONLY:
        out = [d for d in out if (d[0] == ROOT) == (ONLY == "core") and (ONLY == "core" or d[0].name == ONLY)]
    return out


def compile_catalogs(folder: Path) -> None:
    for lang in LANGS:
        po = po_files(folder, lang)
        if po.exists():
            polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))


def makemessages(folder: Path, extra: list[str]) -> None:
    (folder / "locale").mkdir(exist_ok=True)
    # PYTHONSAFEPATH: do not put the app folder first on sys.path, or an app module named like a standard
    # library one (applicants/selectors.py) shadows it and makemessages crashes.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "certportal.settings.dev", "PYTHONPATH": str(ROOT),
           "PYTHONSAFEPATH": "1"}
    cmd = [sys.executable, "-m", "django", "makemessages", "--no-obsolete", "--no-location",
           *[a for lang in LANGS for a in ("-l", lang)], *extra]
    subprocess.run(cmd, cwd=folder, env=env, check=True, capture_output=True)


def po_files(folder: Path, lang: str) -> Path:
    return folder / "locale" / lang / "LC_MESSAGES" / "django.po"


def fill_english(path: Path) -> None:
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()


def plural_count(po: polib.POFile) -> int:
    """How many plural forms the catalog's language has (its header's ``Plural-Forms``: Indonesian 1, English 2)."""
    found = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(found.group(1)) if found else 2


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)", text))


def plural_forms(entry: polib.POEntry, forms: list[str], count: int) -> dict[int, str]:
    """As many translations of a plural text as the language has forms (``msgfmt --check`` refuses more). With one
    form (Indonesian: "%(n)s berkas" for one file and for five) the form kept is the first that names every
    placeholder of the English plural, so that the number is never lost for a count over one."""
    if count == 1:
        wanted = _placeholders(entry.msgid_plural)
        return {0: next((f for f in forms if f and wanted <= _placeholders(f)), forms[0])}
    return {i: forms[min(i, len(forms) - 1)] for i in range(count)}


def one_form_per_count(path: Path) -> None:
    """Bring every plural text of the catalog to its language's number of forms (after ``makemessages``)."""
    po = polib.pofile(str(path))
    count, changed = plural_count(po), False
    for entry in po:
        if entry.msgid_plural and len(entry.msgstr_plural) != count:
            entry.msgstr_plural = plural_forms(entry, [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)],
                                               count)
            changed = True
    if changed:
        po.save()


def problems(path: Path) -> list[str]:
    po = polib.pofile(str(path))
    count, out = plural_count(po), []
    for entry in po:
        if entry.obsolete:
            continue
        translated = all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
        if not translated or "fuzzy" in entry.flags:
            out.append(f"{path.relative_to(ROOT)}: untranslated: {entry.msgid!r}")
        elif entry.msgid_plural and len(entry.msgstr_plural) != count:
            out.append(f"{path.relative_to(ROOT)}: {len(entry.msgstr_plural)} plural forms where the language has "
                       f"{count}: {entry.msgid!r}")
    return out


def update() -> None:
    for folder, extra in domains():
        makemessages(folder, extra)
        fill_english(po_files(folder, "en"))
        one_form_per_count(po_files(folder, "id"))
        compile_catalogs(folder)
    bad = [p for folder, _ in domains() for p in problems(po_files(folder, "id"))]
    print("\n".join(bad) or "All catalogs complete.")


def check() -> int:
    """Extract into a scratch copy and compare: every string must be in both catalogs, translated."""
    failures = []
    for folder, extra in domains():
        before = {lang: po_files(folder, lang) for lang in LANGS}
        with tempfile.TemporaryDirectory() as tmp:
            saved = {}
            for lang, path in before.items():
                if path.exists():
                    saved[lang] = Path(tmp) / f"{lang}.po"
                    shutil.copy(path, saved[lang])
            try:
                makemessages(folder, extra)
                for lang in LANGS:
                    extracted = {e.msgid for e in polib.pofile(str(before[lang])) if not e.obsolete}
                    committed = {e.msgid for e in polib.pofile(str(saved[lang]))} if lang in saved else set()
                    for msgid in sorted(extracted - committed):
                        failures.append(f"{before[lang].relative_to(ROOT)}: missing: {msgid!r}")
            finally:
                for lang, path in saved.items():
                    shutil.copy(path, before[lang])
        for lang in LANGS:
            if before[lang].exists():
                failures += problems(before[lang])
            else:
                failures.append(f"{before[lang].relative_to(ROOT)}: catalog missing")
    failures += ambiguous()
    print("\n".join(failures) or "All catalogs complete.")
    return 1 if failures else 0


def ambiguous() -> list[str]:
    """Django merges the catalogs and the first one holding a text wins, so one English text translated two ways
    in two catalogs shows the wrong word in one of them ("position": "Jabatan" in a profile, "Urutan" for an
    ordering). Such a text needs a context (``pgettext`` / ``{% translate "..." context "..." %}``) in one of
    them; a text that means the same everywhere must read the same everywhere."""
    seen: dict[tuple[str, str], dict[str, list[str]]] = {}
    for folder in [ROOT] + [ROOT / app for app in APPS if (ROOT / app).is_dir()]:
        path = po_files(folder, "id")
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            text = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
            if text:
                where = seen.setdefault((entry.msgctxt or "", entry.msgid), {})
                where.setdefault(text, []).append(str(path.relative_to(ROOT)))
    return [f"ambiguous: {msgid!r}{f' (context {ctx!r})' if ctx else ''} reads "
            + "; ".join(f"{text!r} in {', '.join(paths)}" for text, paths in translations.items())
            + ": give it a context where it means something else, or translate it alike"
            for (ctx, msgid), translations in sorted(seen.items()) if len(translations) > 1]


def fill(domain: str, json_file: str) -> int:
    """Apply Indonesian translations from a JSON object {msgid: msgstr} (plural: [singular, plural]); a msgid
    with a context (``pgettext``) is keyed "CONTEXT\u0004MSGID", as gettext itself keys it."""
    import json

    folder = ROOT if domain == "core" else ROOT / domain
    path = po_files(folder, "id")
    po = polib.pofile(str(path))
    data = json.loads(Path(json_file).read_text(encoding="utf-8"))
    for entry in po:
        value = data.get(f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid)
        if value is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = plural_forms(entry, value if isinstance(value, list) else [value], plural_count(po))
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    compile_catalogs(folder)
    left = problems(path)
    print("\n".join(left) or f"{path.relative_to(ROOT)} complete.")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail on a missing or untranslated string")
    parser.add_argument("--fill", nargs=2, metavar=("DOMAIN", "JSON"),
                        help="apply Indonesian translations to DOMAIN (core or an app name) from a JSON file")
    parser.add_argument("--only", metavar="DOMAIN", help="work on one catalog: core or an app name")
    args = parser.parse_args()
    ONLY = args.only
    if args.fill:
        sys.exit(fill(*args.fill))
    sys.exit(check() if args.check else update())

"""Loading a read KKNI decree (:mod:`.kkni`) into the catalogue: its qualifications, their listings of units and
their packaging rules, once per decree text (a fingerprint tells a repeated import)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from schemes.importers.kkni import KkniFormatError, parse_kkni

from ..codes import normalise, parse_code


@dataclass
class ImportResult:
    parsed: dict
    changed: bool
    message: str



def fingerprint(parsed: dict) -> str:
    import hashlib
    import json

    # The derived "title_variants" list repeats what the warnings say: left out, so stored fingerprints hold.
    content = {k: v for k, v in parsed.items() if k != "title_variants"}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()



def read_text(path) -> str:
    from pathlib import Path

    raw = Path(path).read_bytes()
    if raw.startswith(b"%PDF"):
        raise KkniFormatError(_("This is a PDF file; convert the decree to text first (pdftotext -layout)."))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")



def import_kkni_file(path, *, actor=None, dry_run: bool = False) -> ImportResult:
    parsed = parse_kkni(read_text(path))
    if dry_run:
        return ImportResult(parsed, False, _("Dry run: nothing was written."))
    return save_kkni(parsed, actor=actor)



def save_kkni(parsed: dict, *, actor=None) -> ImportResult:
    """Load a parsed decree in one transaction. Re-importing the same content changes nothing and says so."""
    from django.db import transaction

    from certportal.audit.services import audit_record

    from ..models import Decree, Qualification, QualificationUnit

    d = parsed["decree"]
    fp = fingerprint(parsed)
    with transaction.atomic():
        decree, created = Decree.objects.select_for_update().get_or_create(
            kind=Decree.Kind.KKNI, number=d["number"], year=d["year"], defaults={"title": d["title"]})
        label = f"{d['number']}/{d['year']}"
        if not created and decree.fingerprint == fp:
            return ImportResult(parsed, False, _("Decree %(decree)s is already imported with exactly this content: "
                                                 "nothing changed.") % {"decree": label})
        decree.title, decree.issued_by = d["title"], d["issued_by"]
        decree.issued_on = datetime.date.fromisoformat(d["issued_on"]) if d["issued_on"] else None
        for field in ("in_force_on", "review_due_on"):  # what the text says; an admin's entry stays otherwise
            if d.get(field):
                setattr(decree, field, datetime.date.fromisoformat(d[field]))
        if d.get("revokes"):
            decree.revokes = d["revokes"]
        decree.fingerprint, decree.import_warnings = fp, parsed["warnings"]
        decree.save()
        for q in parsed["qualifications"]:
            fields = {k: q[k] for k in ("title", "subfield", "group", "level", "code_prefix", "codification_line",
                                        "description", "work_attitudes", "work_role", "jobs", "total_required",
                                        "core_required", "elective_required")}
            qual, _created = Qualification.objects.update_or_create(decree=decree, letter=q["letter"],
                                                                    defaults=fields)
            qual.listings.all().delete()
            rows = [(QualificationUnit.Kind.CORE, r) for r in q["core"]] + \
                   [(QualificationUnit.Kind.ELECTIVE, r) for r in q["elective"]]
            positions = {QualificationUnit.Kind.CORE: 0, QualificationUnit.Kind.ELECTIVE: 0}
            listings = []
            for kind, r in rows:
                positions[kind] += 1
                listings.append(QualificationUnit(
                    qualification=qual, unit=_unit_for(r), kind=kind, position=positions[kind],
                    code_as_printed=r["code"], title_as_printed=r["title"], prerequisites=r["prerequisites"]))
            QualificationUnit.objects.bulk_create(listings)
        audit_record(actor=actor, obj=decree, action="kkni_imported", to_state=label,
                     note=_("%(n)s qualifications, %(w)s warnings") % {
                         "n": len(parsed["qualifications"]), "w": len(parsed["warnings"])})
    verb = _("imported") if created else _("updated")
    return ImportResult(parsed, True, _("Decree %(decree)s %(verb)s: %(n)s qualifications, %(w)s warnings.") % {
        "decree": label, "verb": verb, "n": len(parsed["qualifications"]), "w": len(parsed["warnings"])})



def _unit_for(row: dict):
    """The Unit row for a printed code (by its canonical spelling).

    Created with the first title seen in decree order (section A first, core before elective); a unit already in
    the catalogue (e.g. from its SKKNI) keeps its title. The import warnings name the other printings."""
    from ..models import Unit

    code = normalise(row["code"])
    parts = parse_code(code)
    unit, _created = Unit.objects.get_or_create(code=code, defaults={
        "sector": parts.sector, "field": parts.field, "number": parts.number, "version": parts.version,
        "title": row["title"][:400]})
    return unit


"""Writes and checks for schemes. Applicant eligibility lives here because the applicants app asks it."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from certportal.audit.services import audit_record
from certportal.errors import PortalError

from .codes import normalise, parse_code
from .constants import EDUCATION_RANK, EMPLOYMENT_CHOICES, RANK_ORDER, government_label
from .models import (
    Decree,
    PerformanceCriterion,
    Qualification,
    QualificationUnit,
    RequiredDocument,
    Scheme,
    SchemeRequirement,
    SchemeUnit,
    ServiceStandard,
    ServiceStandardItem,
    TestSite,
    Unit,
    UnitElement,
)


def _employment_label(value: str) -> str:
    return str(dict(EMPLOYMENT_CHOICES).get(value, value))


def _rule_texts(person: str | None) -> dict[str, str]:
    """The eligibility messages: to the applicant about themselves, or to someone else (an agency officer) about
    ``person``, named."""
    if person is None:
        return {
            "government": _("This scheme is only open to civil servants of %(need)s; your profile names %(have)s."),
            "education": _("Your education (%(have)s) is below the minimum required, %(need)s."),
            "rank": _("Your rank (%(have)s) is below the minimum required, %(need)s."),
            "years_within": _("This scheme asks for at least %(need)s years of work within %(where)s; your profile "
                              "counts %(have)s years there."),
            "years": _("You have %(have)s years of service; this scheme asks for at least %(need)s."),
        }
    return {
        "government": _("This scheme is only open to civil servants of %(need)s; %(name)s's data names %(have)s."),
        "education": _("%(name)s's education (%(have)s) is below the minimum required, %(need)s."),
        "rank": _("%(name)s's rank (%(have)s) is below the minimum required, %(need)s."),
        "years_within": _("This scheme asks for at least %(need)s years of work within %(where)s; %(name)s has "
                          "%(have)s years there."),
        "years": _("%(name)s has %(have)s years of service; this scheme asks for at least %(need)s."),
    }


def _check_rule(req: SchemeRequirement, data: dict, texts: dict[str, str]) -> str | None:
    """One message if ``req`` is not met, else None. Unknown or empty applicant values never pass."""
    kind, value, name = req.kind, req.value, data.get("person") or ""
    if kind == SchemeRequirement.Kind.EMPLOYMENT:
        allowed = [v.strip() for v in value.split(",") if v.strip()]
        if data["employment_status"] not in allowed:
            return _("This scheme is only open to: %(allowed)s.") % {
                "allowed": ", ".join(_employment_label(a) for a in allowed)}
        employer = data["employer_government"]
        if req.government and employer != req.government:
            return texts["government"] % {"need": government_label(req.government), "name": name,
                                          "have": government_label(employer) if employer else _("no employer")}
    elif kind == SchemeRequirement.Kind.MIN_EDUCATION:
        if EDUCATION_RANK.get(data["education"], -1) < EDUCATION_RANK.get(value, 99):
            return texts["education"] % {"have": data["education"] or _("not filled in"), "need": value,
                                         "name": name}
    elif kind == SchemeRequirement.Kind.MIN_RANK:
        if RANK_ORDER.get(data["rank"], -1) < RANK_ORDER.get(value, 99):
            return texts["rank"] % {"have": data["rank"] or _("not filled in"), "need": value, "name": name}
    elif kind == SchemeRequirement.Kind.MIN_YEARS and req.government:
        need = int(value or 0)
        have = (data["years_in_government"] or 0) if data["employer_government"] == req.government else 0
        if have < need:
            return texts["years_within"] % {"need": need, "where": government_label(req.government),
                                            "have": have, "name": name}
    elif kind == SchemeRequirement.Kind.MIN_YEARS:
        need = int(value or 0)
        if (data["years_of_service"] or 0) < need:
            return texts["years"] % {"have": data["years_of_service"] or 0, "need": need, "name": name}
    return None


def check_eligibility(scheme: Scheme, *, employment_status: str, education: str, rank: str,
                      years_of_service: int, employer_government: str = "",
                      years_in_government: int | None = None, person: str | None = None) -> list[str]:
    """Each of the scheme's applicant rules the given data fails, in plain words (empty list = eligible).

    Education follows the Indonesian order SD < SMP < SMA < D1 < D2 < D3 < D4 = S1 < S2 < S3; rank follows
    I/a < ... < IV/e. Employment rules may list several statuses separated by commas ("pns,pppk"). A rule that
    names a government (seed 000: Pemprov DKI Jakarta) asks for that employer, and a years rule then counts only
    the years worked within it. The messages speak to the applicant, or of ``person`` (named) to someone else.
    """
    data = {"employment_status": employment_status, "education": education, "rank": rank,
            "years_of_service": years_of_service, "employer_government": employer_government,
            "years_in_government": years_in_government, "person": person}
    texts = _rule_texts(person)
    problems = []
    for req in scheme.requirements.order_by("position", "id"):
        msg = _check_rule(req, data, texts)
        if msg:
            problems.append(msg)
    return problems


# --- editing reference data (LSP admin); every change is audited -------------------------------------------------

class SchemeError(PortalError):
    """A change to reference data that may not be made; ``reasons`` says why, in the user's language."""

    def __init__(self, message: str, reasons: list[str] | None = None):
        super().__init__(message)
        self.reasons = reasons or []


@dataclass
class SchemeParts:
    """Everything a scheme is made of besides its own fields (what the editor submits)."""

    unit_codes: list[str] = field(default_factory=list)
    # (kind, value, text as printed) or (kind, value, text, government)
    requirements: list[tuple] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)  # RequiredDocument fields
    test_site_ids: list[int] = field(default_factory=list)


SCHEME_FIELDS = ("code", "name", "kind", "qualification", "decree", "legal_basis", "description",
                 "methods_experienced", "methods_inexperienced", "validity_years", "surveillance", "payer",
                 "applicant_rights", "holder_obligations", "is_published")


def _units_for(codes: list[str]) -> list[Unit]:
    wanted = [normalise(c) for c in codes if c.strip()]
    found = {u.code: u for u in Unit.objects.filter(code__in=wanted)}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise SchemeError(_("Unknown competency units: %(codes)s. Import or create them first.")
                          % {"codes": ", ".join(unknown)})
    if len(set(wanted)) != len(wanted):
        raise SchemeError(_("A unit is listed twice in the scheme."))
    return [found[c] for c in wanted]


def check_scheme_packaging(qualification: Qualification | None, unit_codes: list[str]) -> list[str]:
    """Why a scheme on ``qualification`` with these units breaks its packaging rule (empty = fine)."""
    from .engine import rule_for, scheme_refusals

    if qualification is None:
        return []
    return scheme_refusals(rule_for(qualification), [normalise(c) for c in unit_codes])


def _validate(fields: dict, parts: SchemeParts) -> list[Unit]:
    units = _units_for(parts.unit_codes)
    if fields.get("kind") == Scheme.Kind.KKNI and not fields.get("qualification"):
        raise SchemeError(_("A scheme of kind KKNI qualification must name its qualification."))
    reasons = check_scheme_packaging(fields.get("qualification"), [u.code for u in units])
    if reasons:
        raise SchemeError(_("The units do not satisfy the qualification's packaging rule."), reasons)
    return units


def _write_parts(scheme: Scheme, units: list[Unit], parts: SchemeParts) -> None:
    scheme.scheme_units.all().delete()
    scheme.requirements.all().delete()
    scheme.required_documents.all().delete()
    SchemeUnit.objects.bulk_create(SchemeUnit(scheme=scheme, unit=u, position=i) for i, u in enumerate(units, 1))
    SchemeRequirement.objects.bulk_create(
        SchemeRequirement(scheme=scheme, kind=r[0], value=r[1], text=r[2], government=(r[3] if len(r) > 3 else ""),
                          position=i)
        for i, r in enumerate(parts.requirements, 1))
    RequiredDocument.objects.bulk_create(RequiredDocument(scheme=scheme, position=i, **d)
                                         for i, d in enumerate(parts.documents, 1))
    scheme.test_sites.set(parts.test_site_ids)


def scheme_create(*, actor, fields: dict, parts: SchemeParts) -> Scheme:
    with transaction.atomic():
        if Scheme.objects.filter(code=fields["code"]).exists():
            raise SchemeError(_("A scheme with code %(code)s already exists; edit it instead.")
                              % {"code": fields["code"]})
        units = _validate(fields, parts)
        scheme = Scheme.objects.create(**{k: v for k, v in fields.items() if k in SCHEME_FIELDS})
        _write_parts(scheme, units, parts)
        audit_record(actor=actor, obj=scheme, action="scheme_created", to_state=f"v{scheme.version}")
    return scheme


def scheme_has_applications(scheme: Scheme) -> bool:
    related = getattr(scheme, "applications", None)  # reverse relation owned by the applicants app
    return bool(related is not None and related.exists())


def scheme_update(*, actor, scheme: Scheme, fields: dict, parts: SchemeParts) -> Scheme:
    """Save an edit. A scheme that has applications is not changed: a new version is created instead (same code,
    version + 1, the old one no longer current), so applications keep the version they applied under."""
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        if not scheme.is_current:
            raise SchemeError(_("Only the current version of a scheme can be edited (this is version %(v)s).")
                              % {"v": scheme.version})
        fields = {**fields, "code": scheme.code}
        units = _validate(fields, parts)
        if scheme_has_applications(scheme):
            latest = Scheme.objects.filter(code=scheme.code).order_by("-version").first()
            Scheme.objects.filter(pk=scheme.pk).update(is_current=False)
            new = Scheme.objects.create(**{k: v for k, v in fields.items() if k in SCHEME_FIELDS},
                                        version=latest.version + 1, previous_version=scheme, is_current=True)
            _write_parts(new, units, parts)
            audit_record(actor=actor, obj=new, action="scheme_new_version", from_state=f"v{scheme.version}",
                         to_state=f"v{new.version}", note=_("The previous version has applications."))
            return new
        for k, v in fields.items():
            if k in SCHEME_FIELDS:
                setattr(scheme, k, v)
        scheme.save()
        _write_parts(scheme, units, parts)
        audit_record(actor=actor, obj=scheme, action="scheme_updated", to_state=f"v{scheme.version}")
    return scheme


def test_site_save(*, actor, site: TestSite | None, fields: dict) -> TestSite:
    with transaction.atomic():
        created = site is None
        site = site or TestSite()
        for k, v in fields.items():
            setattr(site, k, v)
        site.save()
        audit_record(actor=actor, obj=site, action="test_site_created" if created else "test_site_updated")
    return site


def unit_save(*, actor, unit: Unit | None, code: str, title: str, decree=None,
              elements: list[tuple[str, list[str]]] | None = None) -> Unit:
    """Create or edit a unit; ``elements`` = [(element title, [KUK, ...]), ...] replaces the existing ones."""
    parsed = parse_code(code)
    if parsed is None:
        raise SchemeError(_("\"%(code)s\" is not a competency unit code (e.g. N.78SPS02.028.2).") % {"code": code})
    code = normalise(code)
    with transaction.atomic():
        clash = Unit.objects.filter(code=code).exclude(pk=getattr(unit, "pk", None)).exists()
        if clash:
            raise SchemeError(_("Unit %(code)s already exists.") % {"code": code})
        created = unit is None
        unit = unit or Unit()
        unit.code, unit.title, unit.decree = code, title, decree
        unit.sector, unit.field, unit.number, unit.version = parsed
        unit.save()
        if elements is not None:
            _replace_elements(unit, elements)
        audit_record(actor=actor, obj=unit, action="unit_created" if created else "unit_updated")
    return unit


def _replace_elements(unit: Unit, elements: list[tuple[str, list[str]]]) -> None:
    if unit.elements.exists():
        try:
            unit.elements.all().delete()
        except ProtectedError as exc:  # self-assessments point at the elements
            raise SchemeError(_("The elements of this unit are used by applications and cannot be replaced.")) \
                from exc
    for pos, (title, criteria) in enumerate(elements, 1):
        element = UnitElement.objects.create(unit=unit, position=pos, title=title)
        PerformanceCriterion.objects.bulk_create(
            PerformanceCriterion(element=element, position=f"{pos}.{i}", text=text)
            for i, text in enumerate(criteria, 1))


def qualification_save(*, actor, qualification: Qualification | None, fields: dict,
                       core: list[dict] | None = None, elective: list[dict] | None = None) -> Qualification:
    """Create or edit a qualification; ``core``/``elective`` rows ({code, title, prerequisites}) replace the
    listings when given. Units named by the rows are created if missing."""
    from .importers.kkni_load import _unit_for

    with transaction.atomic():
        created = qualification is None
        qualification = qualification or Qualification()
        for k, v in fields.items():
            setattr(qualification, k, v)
        qualification.save()
        if core is not None:
            qualification.listings.all().delete()
            rows = [(QualificationUnit.Kind.CORE, r) for r in core] + \
                   [(QualificationUnit.Kind.ELECTIVE, r) for r in (elective or [])]
            counters = {QualificationUnit.Kind.CORE: 0, QualificationUnit.Kind.ELECTIVE: 0}
            for kind, r in rows:
                if parse_code(r["code"]) is None:
                    raise SchemeError(_("\"%(code)s\" is not a competency unit code.") % {"code": r["code"]})
                counters[kind] += 1
                QualificationUnit.objects.create(
                    qualification=qualification, unit=_unit_for(r), kind=kind, position=counters[kind],
                    code_as_printed=r["code"], title_as_printed=r["title"], prerequisites=r["prerequisites"])
        audit_record(actor=actor, obj=qualification,
                     action="qualification_created" if created else "qualification_updated")
    return qualification


def service_standard_save(*, actor, standard: ServiceStandard, fields: dict, items: list[dict]) -> ServiceStandard:
    """Edit the published standard: its own fields and each component's introduction and points."""
    with transaction.atomic():
        standard = ServiceStandard.objects.select_for_update().get(pk=standard.pk)
        for k, v in fields.items():
            setattr(standard, k, v)
        standard.save()
        for item in items:
            ServiceStandardItem.objects.filter(standard=standard, pk=item["id"]).update(
                component=item["component"], intro=item["intro"], points=item["points"])
        audit_record(actor=actor, obj=standard, action="service_standard_updated")
    return standard


def decree_life_save(*, actor, decree: Decree, issued_on, in_force_on, review_due_on, revokes: list[str]) -> Decree:
    """Edit a decree's life (signed, in force, review due, what it revokes); one audit entry per changed field."""
    if issued_on and in_force_on and in_force_on < issued_on:
        raise SchemeError(_("A decree comes into force on or after the day it is signed."))
    values = {"issued_on": issued_on, "in_force_on": in_force_on, "review_due_on": review_due_on,
              "revokes": sorted(set(revokes))}
    with transaction.atomic():
        decree = Decree.objects.select_for_update().get(pk=decree.pk)
        for field, value in values.items():
            before = getattr(decree, field)
            if before != value:
                setattr(decree, field, value)
                shown = [", ".join(v) if isinstance(v, list) else (v.isoformat() if v else "") for v in (before, value)]
                audit_record(actor=actor, obj=decree, action=f"decree_{field}_changed", from_state=shown[0],
                             to_state=shown[1])
        decree.save()
    return decree

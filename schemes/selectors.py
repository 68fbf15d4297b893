"""Reads for schemes: what the catalogue, the applicants app and the admin screens show."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from certportal.lsp.licence import licensed_scope

from .models import Decree, Qualification, QualificationUnit, Scheme, SchemeUnit, Unit


def current_schemes() -> QuerySet[Scheme]:
    """Published schemes, each in its current version only (what an applicant may apply for)."""
    return Scheme.objects.filter(is_current=True, is_published=True).order_by("name", "code")


def open_schemes() -> QuerySet[Scheme]:
    """The current published schemes applications are taken for: inside the LSP's licensed scope once a licence is
    recorded (``certportal.lsp.licence.scope_refusal`` says why another one is not)."""
    scope = licensed_scope()
    schemes = current_schemes()
    return schemes if scope is None else schemes.filter(code__in=scope)


def scheme_detail_queryset() -> QuerySet[Scheme]:
    return Scheme.objects.select_related("qualification__decree").prefetch_related(
        Prefetch("scheme_units", queryset=SchemeUnit.objects.select_related("unit").order_by("position")),
        "requirements", "required_documents", "test_sites",
    )


def qualification_queryset() -> QuerySet[Qualification]:
    return Qualification.objects.select_related("decree")


def qualification_with_listings() -> QuerySet[Qualification]:
    return qualification_queryset().prefetch_related(
        Prefetch("listings", queryset=QualificationUnit.objects.select_related("unit").order_by("kind", "position")),
    )


def units_queryset() -> QuerySet[Unit]:
    return Unit.objects.select_related("decree")


def scheme_versions(scheme: Scheme) -> QuerySet[Scheme]:
    return Scheme.objects.filter(code=scheme.code).order_by("-version")


def qualification_by_name(name: str) -> Qualification | None:
    """``3/2021-C`` = decree number 3, year 2021, section C (KKNI decrees only)."""
    import re

    m = re.fullmatch(r"\s*([\w.-]+)/(\d{4})-([A-Za-z]{1,3})\s*", name or "")
    if not m:
        return None
    return qualification_with_listings().filter(decree__kind="kkni", decree__number=m.group(1),
                                                decree__year=int(m.group(2)), letter=m.group(3).upper()).first()


def licence_scope_choices() -> list[tuple[str, str]]:
    """What the LSP's licensed scope may name: each scheme code once, with its current name."""
    rows = Scheme.objects.filter(is_current=True).order_by("code").values_list("code", "name")
    return [(code, f"{code} — {name}") for code, name in rows]


# --- a decree's life: in force, revoked, due for review --------------------------------------------------------

def decree_problem(decree: Decree, today, decrees: list[Decree] | None = None) -> str:
    """Why a scheme may not rest on ``decree`` on ``today`` ("" when it may): not yet in force, or revoked by a
    decree in force. ``decrees``: every decree, when the caller has them (a list page asks once)."""
    from certportal import dates

    if not decree.in_force(today):
        return _("Decree %(decree)s comes into force on %(date)s.") % {
            "decree": decree, "date": dates.day(decree.in_force_on)}
    others = decrees if decrees is not None else list(Decree.objects.exclude(revokes=[]))
    for other in others:
        if other.pk != decree.pk and str(decree) in (other.revokes or []) and other.in_force(today):
            return _("Decree %(decree)s is revoked by decree %(by)s, in force from %(date)s.") % {
                "decree": decree, "by": other, "date": dates.day(other.in_force_on or other.issued_on)}
    return ""


def scheme_decree_problem(scheme: Scheme, today, decrees: list[Decree] | None = None) -> str:
    """The flag of a scheme version resting on a revoked or not-yet-in-force decree (its SKKNI decree, or its KKNI
    qualification's decree)."""
    found = [scheme.decree, scheme.qualification.decree if scheme.qualification_id else None]
    return " ".join(p for d in found if d is not None and (p := decree_problem(d, today, decrees)))


def reviews_overdue(today) -> QuerySet[Decree]:
    """Decrees past the review their text sets (Kepmenaker 3/2021 KEEMPAT: every five years)."""
    return Decree.objects.filter(review_due_on__lt=today).order_by("review_due_on")

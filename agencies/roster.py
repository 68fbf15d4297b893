"""Who is an agency's person (issue 42): the one rule behind proposing staff and the agency's view of its people.

A civil servant is the agency's when the province's roster (:class:`~agencies.models.RosterEntry`) lists their NIP
at the agency, active (one the roster says retired, left or deceased is no agency's person); for a NIP the roster lacks, when their own profile names the agency (the profile is written by the
person alone: it is their own statement of where they work). A NIP the portal does not know at all (no roster entry,
no profile, no certificate, no live proposal of another agency) may be proposed: the person confirms on taking up the
invitation that they work at the agency, or declines it (``agencies.workflow``), and the agency sees nothing of them
until they do. Anyone else is another agency's person: refused with :data:`NOT_OURS`, one sentence whatever the
reason, which says nothing about them.

CONTRACT: :func:`standings` decides a proposal, :func:`staff_q` the people pages and their exports, :func:`verdicts`
what a cohort's page shows of each person proposed; all three read the same two sources in the same order.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils.translation import gettext_lazy

from applicants.models import Agency, ApplicantProfile
from certportal import figures, workqueue

from .models import PLACE_HOLDING, Proposal, RosterEntry, RosterStatus

OURS, UNKNOWN, OTHER = "ours", "unknown", "other"
# the figures kept of an agency's people (``certportal.figures``: the homes' work queue, the certificates' tabs):
# forgotten by any change of a certificate, its surveillance, a profile or the roster (``agencies.apps``), and by
# :func:`restamp` (the roster import's bulk writes send no signal)
FIGURES = "agencies-people"
# written in bulk by the roster import and by QuerySet.update() when people are restamped: the home queues that
# read them are told here (no signal is)
STAMPED = ("agencies.RosterEntry", "applicants.Application", "assessments.Certificate")

NOT_OURS = gettext_lazy(
    "This NIP cannot be proposed by your agency: it is not on your agency's staff list. If this person works for "
    "you, ask the BKPSDM to correct the roster, or ask them to confirm their agency in their profile.")


def standings(agency: Agency, nips: list[str]) -> dict[str, str]:
    """Per NIP: :data:`OURS` (the roster, or else the person's profile, names ``agency``), :data:`UNKNOWN` (the
    portal knows nothing of it) or :data:`OTHER`. Four queries, whatever the number of NIPs."""
    from assessments.certificates.models import Certificate

    said = verdicts(agency, nips)
    known = set(Proposal.objects.filter(nip__in=nips, status__in=PLACE_HOLDING).exclude(cohort__agency=agency)
                .values_list("nip", flat=True))
    known |= set(Certificate.objects.filter(holder_nip__in=nips).values_list("holder_nip", flat=True))
    result = {}
    for nip in nips:
        if nip in said:
            result[nip] = OURS if said[nip] else OTHER
        else:
            result[nip] = OTHER if nip in known else UNKNOWN
    return result


def verdicts(agency: Agency, nips: list[str]) -> dict[str, bool]:
    """What the two sources say now, per NIP they know: True when the roster (else the person's profile) names
    ``agency``, False when it names another agency or the roster lists the person as gone. A NIP neither source
    knows is left out. Two queries, whatever the number of NIPs (the cohort page reads it for its proposals)."""
    roster = {nip: (agency_id if status == RosterStatus.ACTIVE else None) for nip, agency_id, status in
              RosterEntry.objects.filter(nip__in=nips).values_list("nip", "agency_id", "status")}
    profiles = dict(ApplicantProfile.objects.filter(nip__in=nips).values_list("nip", "org_unit"))
    said = {nip: agency_id == agency.pk for nip, agency_id in roster.items()}
    said.update({nip: _same(unit, agency.name) for nip, unit in profiles.items() if nip not in said})
    return said


def _same(unit: str, name: str) -> bool:
    return " ".join(unit.split()).casefold() == " ".join(name.split()).casefold()


def staff_q(agency: Agency, person: str = "user") -> Q:
    """The rows whose person is ``agency``'s by the rule of :func:`standings` (``person`` is the path from the
    queried model to the person's user: ``user`` for the profiles, ``applicant`` for the applications)."""
    return Q(**{f"{person}__in": staff_users(agency)})


def staff_users(agency: Agency) -> QuerySet:
    """The user ids of ``agency``'s people, as a subquery: those whose NIP the roster lists at the agency, and
    those whose profile names the agency and whose NIP the roster lacks. Each half is read through an index (the
    roster's agency; the profile's NIP, and its agency name in capitals), so a page of one agency's people reads
    that agency's rows, not every profile or application of the province (issue 47); the halves cannot overlap."""
    rostered = RosterEntry.objects.filter(agency=agency, status=RosterStatus.ACTIVE).values("nip")
    on_roster = RosterEntry.objects.filter(nip=OuterRef("nip"))
    listed = ApplicantProfile.objects.filter(_nip_among(rostered)).values("user_id")
    declared = (ApplicantProfile.objects.filter(org_unit__iexact=agency.name)
                .exclude(Exists(on_roster)).values("user_id"))
    return listed.union(declared, all=True)


def _nip_among(nips: QuerySet) -> Q:
    """The profiles whose NIP ``nips`` (a query of one column) gives. On PostgreSQL as ``nip = ANY(ARRAY(...))``:
    the planner looks each NIP up in the profile's NIP index; as ``nip IN (...)`` it hashed the agency's roster and
    read every profile of the province by a Seq Scan (68 ms against 14 at 105,000 profiles, 1,764 of them on the
    agency's roster). Elsewhere (SQLite) ``IN``."""
    if connection.vendor != "postgresql":
        return Q(nip__in=nips)
    from django.contrib.postgres.expressions import ArraySubquery

    return Q(_EqualsAny(F("nip"), ArraySubquery(nips.order_by())))


class _EqualsAny(Func):
    """``value = ANY(array)`` (PostgreSQL): whether the value is one of the array's."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        value, array = (compiler.compile(e) for e in self.get_source_expressions())
        return f"{value[0]} = ANY({array[0]})", (*value[1], *array[1])


def agency_now(nip, unit) -> Case:
    """The rule of :func:`standings` as an SQL expression: the id of the agency whose person the holder of ``nip``
    is (the roster's agency while the entry is active, nobody's once it is not), or for a NIP the roster lacks the
    agency named ``unit`` (case aside, as ``iexact`` compares; NULL when none is). ``nip`` and ``unit`` are
    expressions of the query it goes in (``OuterRef("nip")``...)."""
    entry = RosterEntry.objects.filter(nip=nip)
    return Case(When(Exists(entry), then=Subquery(entry.filter(status=RosterStatus.ACTIVE).values("agency_id")[:1])),
                default=Subquery(Agency.objects.filter(name__iexact=unit).order_by("pk").values("pk")[:1]),
                output_field=IntegerField())


def _stamp_now() -> Subquery:
    """:func:`agency_now` of an application's applicant, for an update or an annotation of applications."""
    profile = ApplicantProfile.objects.filter(user_id=OuterRef("applicant_id"))
    return Subquery(profile.annotate(now=agency_now(OuterRef("nip"), OuterRef("org_unit"))).values("now")[:1])


def _differs() -> Q:
    """The rows whose ``agency`` is not the annotated ``now``, NULL on either side included (SQL's ``<>`` is not
    true against NULL)."""
    return (Q(now__isnull=True, agency__isnull=False) | Q(now__isnull=False, agency__isnull=True)
            | (Q(now__isnull=False, agency__isnull=False) & ~Q(agency=F("now"))))


def restamp(*, users=None, nips=None, agency: Agency | None = None) -> int:
    """Write :func:`agency_now` into ``Application.agency`` for the applications of ``users`` (ids or a query of
    them), of the profiles with one of ``nips``, or of the people ``agency`` has or may now have by name (its
    rename or deletion); every application when all are None, and the same people's certificates after them (a
    certificate carries its application's stamp). One UPDATE of each, of the rows whose stamp moves (none: nothing
    is forgotten); returns the applications written. Called
    wherever the roster, a profile or an agency changes (``agencies.apps``; the roster import), so that the agency
    pages read one agency's applications off an index instead of testing the rule on each (issue 47)."""
    from applicants.models import Application
    from assessments.certificates.models import Certificate

    now = _stamp_now()
    rows, certificates = Application.objects.all(), Certificate.objects.filter(application__isnull=False)
    if users is not None:
        rows, certificates = rows.filter(applicant__in=users), certificates.filter(application__applicant__in=users)
    if nips is not None:
        holders = ApplicantProfile.objects.filter(nip__in=nips).values("user_id")
        rows, certificates = rows.filter(applicant__in=holders), certificates.filter(application__applicant__in=holders)
    if agency is not None:
        named = ApplicantProfile.objects.filter(org_unit__iexact=agency.name).values("user_id")
        rows = rows.filter(Q(agency_id=agency.pk) | Q(applicant__in=named))
        certificates = certificates.filter(Q(agency_id=agency.pk) | Q(application__applicant__in=named))
    # only the rows whose stamp moves are written: a write forgets every kept page and queue reading the table
    wrong = rows.annotate(now=now).filter(_differs()).values("pk")
    written = Application.objects.filter(pk__in=wrong).update(agency=now)
    wrong = certificates.annotate(now=F("application__agency")).filter(_differs()).values("pk")
    followed = Certificate.objects.filter(pk__in=wrong).update(agency=application_agency())
    if written or followed:
        figures.forget(FIGURES)
        workqueue.forget(*STAMPED)
    return written


def stamp_of(user_id: int) -> int | None:
    """:func:`agency_now` of one person (a new application's stamp, written with it)."""
    profile = ApplicantProfile.objects.filter(user_id=user_id)
    return profile.annotate(now=agency_now(OuterRef("nip"), OuterRef("org_unit"))).values_list(
        "now", flat=True).first()


def application_agency() -> Subquery:
    """The agency stamped on a certificate's application, for an update of certificates."""
    from applicants.models import Application

    return Subquery(Application.objects.filter(pk=OuterRef("application_id")).values("agency_id")[:1])


def heal() -> int:
    """Restamp the applications whose stamp is not what :func:`agency_now` says now, and only those; the number
    written. Each change restamps its own rows in its own transaction, but two transactions at once (a profile
    saved while the roster import writes the same person's entry) may each stamp what it saw without the other's
    change: beat runs this once a night (``agencies-restamp``), so that such a stamp is right by the next morning.
    It reads every application (a scan of the table with the rule's indexed look-ups per row) and every
    certificate (against its application's stamp) and writes none of those already right."""
    from applicants.models import Application

    now = _stamp_now()
    wrong = Application.objects.annotate(now=now).filter(_differs())
    written = Application.objects.filter(pk__in=wrong.values("pk")).update(agency=now)
    written += _heal_certificates()
    if written:
        figures.forget(FIGURES)
        workqueue.forget(*STAMPED)
    return written


def _heal_certificates() -> int:
    from assessments.certificates.models import Certificate

    stamped = Certificate.objects.filter(application__isnull=False).annotate(now=F("application__agency"))
    return Certificate.objects.filter(pk__in=stamped.filter(_differs()).values("pk")).update(
        agency=application_agency())


def roster_agency(nip: str) -> Agency | None:
    entry = RosterEntry.objects.select_related("agency").filter(nip=nip, status=RosterStatus.ACTIVE).first()
    return entry.agency if entry else None


def roster_data(nip: str) -> dict | None:
    """What the roster says of ``nip``, in the profile's terms (for ``applicants.hooks.register_roster``: the
    registration's pre-fill, the verifier's comparison); None when the roster lacks it."""
    entry = RosterEntry.objects.select_related("agency").filter(nip=(nip or "").replace(" ", "")).first()
    if entry is None:
        return None
    return {"nip": entry.nip, "name": entry.name, "full_name": entry.full_name, "org_unit": entry.agency.name,
            "position": entry.position, "rank": entry.rank, "education": entry.education,
            "employment_status": "pns", "status": entry.status, "status_label": entry.get_status_display(),
            "updated_at": entry.updated_at}

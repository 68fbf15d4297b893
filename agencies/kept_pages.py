"""The agency's pages kept per agency (:mod:`certportal.kept_pages`): its people's applications and certificates,
the competence map and a position's people, and the proposal form, each with every model it reads (checked against
what each page asks the database for the demo's agencies: ``tests/core/test_kept_pages.py``).

Their anchor is the agency: an application, a certificate, a surveillance report, a position's need or a quota
of one agency forgets that agency's pages and the province's (the Sekretaris Daerah's and the supervisor's view of
every agency, anchored on :data:`PROVINCE`), not the pages of the 41 other agencies. A model read with ``None``
forgets every such page when any of its rows changes: the accounts and profiles (a person's name and position),
the roster (whose people they are), the schemes and the agencies themselves, the funded rounds. The funded
rounds' list is kept per reader too (:data:`certportal.kept_pages.WHOLE`: about no one agency)."""

from __future__ import annotations

from dataclasses import dataclass

from certportal.kept_pages import KeptPage, Link, register

AGENCY = "applicants.Agency"
PEOPLE, PROPOSAL, ROUNDS = "agencies.people", "agencies.propose", "agencies.rounds"
EVERYONE = "all"


@dataclass(frozen=True)
class Province:
    """The anchor of a page of every agency's people (the province's view): its key moves with any agency's."""

    pk: str = EVERYONE


PROVINCE = Province()


def _everyone(_row) -> str:
    return EVERYONE


def _agency_and_province(field: str) -> list[Link]:
    return [(AGENCY, field), (AGENCY, _everyone)]


def anchor_of(scope):
    """The record a people page of ``scope`` (``agencies.people.Scope``) is kept on; None: not kept (nobody's)."""
    return scope.agency if scope.agency is not None else PROVINCE if scope.everyone else None


def register_pages() -> None:
    every_change: dict[str, Link | list[Link] | None] = dict.fromkeys((
        "accounts.User", "applicants.ApplicantProfile", AGENCY, "agencies.RosterEntry", "schemes.Scheme",
        "schemes.SchemeUnit", "schemes.Unit", "agencies.FundedRound"))
    register(KeptPage(PEOPLE, anchors={AGENCY: "pk"}, reads={
        **every_change,
        "applicants.Application": _agency_and_province("agency_id"),
        "assessments.Certificate": _agency_and_province("agency_id"),
        "assessments.SurveillanceReport": _agency_and_province("certificate.agency_id"),
        "agencies.PositionNeed": _agency_and_province("agency_id")}))
    register(KeptPage(PROPOSAL, anchors={AGENCY: "pk"}, reads={
        **every_change, "agencies.RoundQuota": (AGENCY, "agency_id")}))
    # the funded rounds' list, about no one agency: any round or scheme changed forgets it
    register(KeptPage(ROUNDS, anchors={}, reads=dict.fromkeys(("agencies.FundedRound", "schemes.Scheme"))))

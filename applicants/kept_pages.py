"""The verification screen kept per application (:mod:`certportal.kept_pages`), with every model it reads
(checked against what it asks the database for the demo's applications: ``tests/core/test_kept_pages.py``). A
model read with ``None`` forgets every verification screen when any of its rows changes: the reference tables,
the accounts, the agencies' rounds and cohorts, the roster and the working-day calendar. The document openings
are drawn on every view, outside the kept body: the file the screen shows is recorded as opened each time."""

from __future__ import annotations

from certportal.kept_pages import KeptPage, Link, about, register

APPLICATION = "applicants.Application"
EVERY_CHANGE = ("accounts.User", "applicants.Agency", "schemes.RequiredDocument", "schemes.Unit",
                "schemes.UnitElement", "schemes.SchemeRequirement", "sla.SlaPolicy", "sla.CalendarDay",
                "sla.WorkWeek", "sla.SeededYear", "agencies.RosterEntry", "agencies.Cohort", "agencies.CohortLetter",
                "agencies.FundedRound")


def register_pages() -> None:
    reads: dict[str, Link | list[Link] | None] = dict.fromkeys(EVERY_CHANGE)
    for label in ("applicants.ApplicationDocument", "applicants.VerificationCheck", "applicants.SelfAssessment",
                  "applicants.ReturnNote", "agencies.Proposal"):
        reads[label] = (APPLICATION, "application_id")
    reads |= {APPLICATION: (APPLICATION, "pk"), "applicants.DocumentFile": (APPLICATION, "document.application_id"),
              "agencies.LetterCopy": (APPLICATION, "proposal.application_id"),
              "audit.AuditEntry": (APPLICATION, about(APPLICATION)), "sla.Clock": (APPLICATION, about(APPLICATION))}
    register(KeptPage("applicants.verify", anchors={APPLICATION: "pk"}, reads=reads))

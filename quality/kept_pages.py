"""The management system's pages kept per reader (:mod:`certportal.kept_pages`): the audits and reviews, the
corrective actions (all of them, and each owner's own), the controlled documents' register, the periodic duties,
the competence of personnel and the impartiality overview.

Each is about the whole LSP, not one record (:data:`certportal.kept_pages.WHOLE`), and reads a few tables that
change rarely (an audit, a finding, a new version, a meeting): a row saved or deleted in any model a page reads
forgets every kept copy of that page, for every reader. The declarations are checked against what each page asks
the database for the demo, for every role that may open it: ``tests/core/test_kept_pages.py``. What a declaration
cannot see is the day turning (a deadline becoming overdue): a page is kept per day, so it shows on the first view
of the next."""

from __future__ import annotations

from certportal.kept_pages import KeptPage, register

REVIEWS, ACTIONS, DOCUMENTS = "quality.reviews", "quality.actions", "quality.documents"
DUTIES, COMPETENCE, IMPARTIALITY = "quality.duties", "quality.competence", "quality.impartiality"

ACCOUNTS = ("accounts.User", "accounts.UserRole")
AUDITS = ("quality.SystemReview", "quality.Finding", "quality.CorrectiveAction")
# what the periodic duties are worked out from (as the duties' work queue declares: quality.system.workqueue)
DUTY_SOURCES = ("assessments.Assessor", "quality.CommitteeMeeting", "quality.CompetenceRecord",
                "quality.PeriodicReport", "quality.SystemReview", "quality.ThreatAnalysis", "schemes.Scheme",
                "schemes.SchemeReview", "schemes.TestSite")
COMPETENCE_SOURCES = ("assessments.Assessor", "quality.CompetenceCriterion", "quality.CompetenceRecord")
IMPARTIALITY_SOURCES = ("quality.CommitteeMember", "quality.CommitteeMeeting", "quality.ThreatAnalysis",
                        "quality.Declaration")

PAGES = {
    REVIEWS: ACCOUNTS + AUDITS,
    ACTIONS: ACCOUNTS + AUDITS,
    DOCUMENTS: ACCOUNTS + ("quality.ControlledDocument", "quality.DocumentVersion"),
    DUTIES: ACCOUNTS + DUTY_SOURCES,
    COMPETENCE: ACCOUNTS + COMPETENCE_SOURCES,
    IMPARTIALITY: ACCOUNTS + IMPARTIALITY_SOURCES,
}


def register_pages() -> None:
    for name, reads in PAGES.items():
        register(KeptPage(name, anchors={}, reads=dict.fromkeys(reads)))

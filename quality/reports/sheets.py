"""The spreadsheet's lists: one sheet per figure of the report, listing row by row the records the figure counts,
from the same queryset (:mod:`quality.reports.figures`), so that each figure is the number of rows of its list (or
of the rows with a given value: present, K, BK, an outcome...).

The lists are read when the file is written, the figures when the report was computed or last recomputed: a draft
recomputed before its file is written agrees with its lists; after the records change, recomputing the draft
brings its figures back in line (a report sent to BNSP keeps the figures it was sent with)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Model
from django.utils.translation import gettext as _

from assessments.certificates.models import Certificate
from assessments.events.models import Appeal, Event, Participant, UnitResult
from certportal import exports
from complaints.models import Complaint

from . import figures


def labels(model: type[Model], field: str) -> dict[str, str]:
    """A choice field's codes and their labels in the current language (what the sheet shows)."""
    return {code: str(label) for code, label in model._meta.get_field(field).flatchoices}


def _shown(rows: Iterable, *columns: dict[str, str] | None) -> Iterator[list]:
    """``rows`` with each column that has a mapping shown by its label (the code itself when it has none)."""
    for row in rows:
        yield [value if mapping is None else mapping.get(value, value) for value, mapping in zip(row, columns,
                                                                                              strict=True)]


def yes_no() -> dict:
    return {True: _("Yes"), False: _("No"), None: ""}


def _standing_sheets(end) -> list[exports.Sheet]:
    return [
        exports.Sheet(_("Schemes in force"), [_("Scheme"), _("Version"), _("Name")],
                      figures.schemes_in_force().order_by("code", "version").values_list("code", "version", "name")),
        exports.Sheet(_("Schemes outside the licensed scope"), [_("Scheme"), _("Version"), _("Name")],
                      figures.schemes_outside_scope().order_by("code", "version").values_list(
                          "code", "version", "name")),
        exports.Sheet(_("Assessors in force"), [_("Registration number"), _("Name"), _("Licence valid until")],
                      figures.assessors_in_force(end).order_by("registration_number").values_list(
                          "registration_number", "user__full_name", "licence_valid_until")),
        exports.Sheet(_("Test sites (TUK) in force"), [_("Registration number"), _("Name"), _("Valid until")],
                      figures.test_sites_in_force(end).order_by("registration_number").values_list(
                          "registration_number", "name", "licence_valid_until")),
    ]


def _assessment_sheets(start, end) -> list[exports.Sheet]:
    return [
        exports.Sheet(_("Events held"), [_("Test began"), _("Scheme"), _("Test site"), _("Status")], _shown(
            figures.events_held(start, end).order_by("starts_at", "id").values_list(
                "starts_at", "scheme__code", "test_site__name", "status"), None, None, None, labels(Event, "status"))),
        exports.Sheet(_("Assessees"), [_("Test began"), _("Scheme"), _("Assessee"), _("Present"), _("Decision")],
                      _shown(figures.assessees(start, end).order_by("event__starts_at", "event_id", "id").values_list(
                          "event__starts_at", "event__scheme__code", "application__applicant_name", "attended",
                          "decision"), None, None, None, yes_no(), labels(Participant, "decision"))),
        exports.Sheet(_("Unit results"), [_("Scheme"), _("Unit"), _("Title"), _("Assessee"), _("Result")], _shown(
            figures.unit_results(start, end).order_by("participant__event__scheme__code", "unit__code", "id")
            .values_list("participant__event__scheme__code", "unit__code", "unit__title",
                         "participant__application__applicant_name", "result"),
            None, None, None, None, labels(UnitResult, "result"))),
    ]


def _record_sheets(start, end) -> list[exports.Sheet]:
    state = labels(Certificate, "status")
    return [
        exports.Sheet(_("Certificates issued"), [_("Number"), _("Holder"), _("Scheme"), _("Issued on"), _("Renews")],
                      figures.certificates_issued(start, end).order_by("issued_on", "number").values_list(
                          "number", "holder_name", "scheme_code", "issued_on", "renews__number")),
        exports.Sheet(_("Certificate status changes"), [_("Time"), _("Certificate"), _("From"), _("To"), _("Action")],
                      _shown(figures.certificate_moves(start, end).order_by("created_at", "id").values_list(
                          "created_at", "object_repr", "from_state", "to_state", "action"),
                          None, None, state, state, None)),
        exports.Sheet(_("Appeals"), [_("Filed"), _("Status"), _("Outcome"), _("Decided")], _shown(
            figures.appeals_filed(start, end).order_by("filed_at", "id").values_list(
                "filed_at", "status", "outcome", "decided_at"),
            None, labels(Appeal, "status"), labels(Appeal, "outcome"), None)),
        exports.Sheet(_("Complaints"), [_("Tracking number"), _("Received"), _("Kind"), _("Status"), _("Answered")],
                      _shown(figures.complaints_received(start, end).order_by("received_at", "id").values_list(
                          "tracking_number", "received_at", "kind", "status", "answered_at"),
                          None, None, labels(Complaint, "kind"), labels(Complaint, "status"), None)),
    ]


def list_sheets(start, end) -> list[exports.Sheet]:
    """Every figure's list, in the order of the summary."""
    return [*_standing_sheets(end), *_assessment_sheets(start, end), *_record_sheets(start, end)]

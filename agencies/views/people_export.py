"""The exports of the agency's view of its people, for the agency's own reporting: the same rows and filters as
the pages, as XLSX or CSV through ``certportal.exports`` (formulas neutralised, NIPs kept as text)."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from applicants.models import Application
from assessments.certificates.models import Certificate
from certportal import exports
from certportal.permissions import role_required

from .. import competence, people
from ..people import READERS
from .people import filtered_applications, filtered_certificates, group_labels, scope_and_filter


def _certificate_states() -> set[str]:
    """Every group the certificate export can show: each status of a certificate, read by the same function as the
    rows, in date, past its end, and near it."""
    today = timezone.localdate()
    ends = (today + datetime.timedelta(days=3650), today - datetime.timedelta(days=1), today)
    return {people.group_of(Certificate(status=status, expires_on=end), today)
            for status in Certificate.Status.values for end in ends}


application_status = exports.choices_column("agencies.people.applications", "Status", Application, "status")
certificate_state = exports.state_column("agencies.people.certificates", "State", states=_certificate_states,
                                         label=lambda group: group_labels()[group])


def _stem(scope, what: str) -> str:
    from django.utils.text import slugify

    who = slugify(scope.agency.name) if scope.agency else "semua-perangkat-daerah"
    return f"{what}-{who}-{timezone.localdate().isoformat()}"


def _profile(user) -> tuple[str, str]:
    profile = getattr(user, "applicant_profile", None)
    return (profile.position, profile.org_unit) if profile else ("", "")


def _applications(request):
    scope, _form, qs = filtered_applications(request)
    header = [_("Name"), _("NIP"), pgettext("job", "Position"), pgettext("regional government agency", "Agency"),
              _("Scheme code"), _("Scheme"), _("Status"), _("Submitted at"), _("Last change")]

    def rows():
        for app in qs.iterator(chunk_size=500):
            position, unit = _profile(app.applicant)
            yield [app.applicant_name or app.applicant.full_name, app.nip, position, unit, app.scheme.code,
                   app.scheme.name, application_status(app.status), app.submitted_at, app.updated_at]

    return scope, header, rows()


def _certificates(request):
    today = timezone.localdate()
    group = request.GET.get("group", "")
    scope, form = scope_and_filter(request, statuses=False)
    base, qs = filtered_certificates(scope, form, group, today)
    due = {c.pk: c.surveillance_due for c in people.surveillance_due(base, today)}
    header = [_("Certificate number"), _("Holder"), _("NIP"), pgettext("job", "Position"),
              pgettext("regional government agency", "Agency"), _("Scheme code"), _("Scheme"), _("Issued on"),
              _("Valid until"), _("State"), _("Surveillance due")]

    def rows():
        for cert in qs:
            position, unit = _profile(cert.application.applicant)
            yield [cert.number, cert.holder_name, cert.holder_nip, position, unit, cert.scheme_code,
                   cert.scheme_name, cert.issued_on, cert.expires_on, certificate_state(people.group_of(cert, today)),
                   due.get(cert.pk)]

    return scope, header, rows()


def _competence(request):
    scope = people.scope_of(request.user, request.GET.get("agency"))
    if scope.agency is None:
        raise Http404  # the map is per agency: the supervisor chooses one first
    header = [pgettext("job", "Position"), _("Name"), _("NIP"), _("Schemes held"), _("Schemes lacking"),
              _("Units lacking")]
    rows = [[position, p.name, p.nip, ", ".join(p.held), ", ".join(p.missing), ", ".join(p.missing_units)]
            for position, p in competence.everyone(scope.agency, timezone.localdate())]
    return scope, header, rows


EXPORTS = {"permohonan": (_applications, "Permohonan"), "sertifikat": (_certificates, "Sertifikat"),
           "peta-kompetensi": (_competence, "Peta kompetensi")}


@role_required(*READERS)
def export(request, what: str, fmt: str):
    if what not in EXPORTS or fmt not in ("xlsx", "csv"):
        raise Http404
    build, title = EXPORTS[what]
    scope, header, rows = build(request)
    if scope.nobody:
        raise Http404
    return exports.table_response(fmt, _stem(scope, what), title, header, rows)

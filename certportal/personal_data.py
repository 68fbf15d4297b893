"""Everything the portal keeps about one person, as one ZIP (UU 27/2022 art. 32: the right to obtain a copy).

The core never imports a domain app: each app registers, in ``AppConfig.ready()``, a function ``user ->
[Section]`` giving its part of the person's data, and declares which links to a person it answers for::

    from certportal import personal_data
    personal_data.register("assessments", collect=collect,
                           exports=["assessments.Participant.application", ...],   # rows given in full
                           names=["assessments.UnitResult.recorded_by", ...])      # rows that name them as staff

**Which fields link a row to a person** (:func:`person_links`; ``tests/core/test_personal_data_coverage.py`` fails
when one of them is not declared by some app or excluded below with a reason):

1. every concrete foreign key or one-to-one field to the user model, and every many-to-many field to it (a pleno's
   members);
2. every field that identifies a person by e-mail address (an ``EmailField``, or a text field named ``email`` or
   ``username``), such as a complaint's filer or a survey invitation's respondent;
3. every foreign key or one-to-one field to a model that has an *exported* link (1, 2 or 3): a unit result
   belongs to a participation, which belongs to an application, which belongs to its applicant.

An *exported* link means the rows are in the ZIP in full. A *names* link means the person is only named on the row
as the staff member who acted (reviewed, recorded, issued...): those rows are about other people, so the ZIP lists
them by kind, number and time, not their content.

Data matched by e-mail address alone (complaints, survey invitations) is given only when the account's address is
confirmed: otherwise anyone could register with another person's address and read what they filed.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from certportal.registry import ExtensionPoint


@dataclass
class PersonalFile:
    """A file the person may have: ``read`` gives its bytes (read or rendered only when the ZIP is written)."""

    name: str
    read: Callable[[], bytes]


@dataclass
class Section:
    key: str  # "assessments.certificates": the JSON key and the folder of its files
    title: str
    records: list[dict]
    files: list[PersonalFile] = field(default_factory=list)


@dataclass(frozen=True)
class Contribution:
    app: str
    collect: Callable[[models.Model], Iterable[Section]]
    exports: frozenset[str]
    names: frozenset[str]


CONTRIBUTIONS = ExtensionPoint("core.personal_data", "Contribution(app, collect, exports, names), keyed by app: the "
                               "app's part of a person's data export (collect(user) -> [Section]) and the fields it "
                               "declares exported or named", keyed=True)

# Links to a person that no app exports, each with the reason (shown on the coverage test's failure, kept here so
# that the privacy notice and the code say the same thing).
EXCLUDED: dict[str, str] = {
    "axes.AccessAttemptExpiration.access_attempt": "only when a lockout counter expires; the failed log-ins "
    "themselves are exported with the log-in records",
    "exportjobs.ExportJob.created_by": "a staff member's background export: the file holds other people's data "
    "(a work queue), so it is not handed out again; the request itself is in the audit trail, which is exported",
    "assessments.WrittenAnswer.test": "the changes of a written test's answers are its answers: confidential test "
    "material (seed 000), like the questions and keys; the test itself, its times and score are exported with the "
    "participation",
    "lsp.LspProfile.complaint_email": "the LSP's complaints address: an office's mailbox, not a person's",
    "quality.CommitteeMeeting.recorded_by": "the LSP administrator who recorded a committee meeting, in their role; "
    "the act is in the audit trail, which is exported",
    "quality.Threat.evidence_by": "who recorded the evidence of an impartiality measure, in their role; the act is "
    "in the audit trail, which is exported",
    "quality.SystemReview.auditor": "the internal auditor named on an audit of the LSP's records, in their role (the "
    "audit is the LSP's record, not the auditor's data)",
    "schemes.SchemeReview.recorded_by": "the LSP administrator who recorded a scheme's validation or review, in their "
    "role; the act is in the audit trail, which is exported",
}


def register(app: str, *, collect: Callable, exports: Iterable[str] = (), names: Iterable[str] = ()) -> None:
    """Register (or re-register) ``app``'s part; safe to call from ``AppConfig.ready()`` more than once."""
    CONTRIBUTIONS.withdraw(app)  # re-registering replaces the app's part
    CONTRIBUTIONS.provide(Contribution(app, collect, frozenset(exports), frozenset(names)), key=app)


@dataclass
class Erased:
    """What one app's eraser did: files deleted from storage, the rows whose audit trail names the person
    (``subjects``) and the names they were known by there, for the audit trail's pseudonymisation."""

    files: int = 0
    subjects: list[models.Model] = field(default_factory=list)
    names: set[str] = field(default_factory=set)


ERASERS = ExtensionPoint("core.personal_data_eraser", "erase(user, pseudonym) -> Erased, keyed by app: the app's part "
                         "of anonymising a person past their retention period", keyed=True)


def register_eraser(app: str, erase: Callable[[models.Model, str], Erased]) -> None:
    """Register ``app``'s part of anonymising a person past their retention period (``quality.retention``):
    ``erase(user, pseudonym)`` replaces the person's data in the app's rows with the pseudonym and deletes their
    files from storage. Called before the account and profile are anonymised, so the profile's NIP still finds the
    person's rows."""
    ERASERS.provide(erase, key=app)


def erase(user, pseudonym: str) -> Erased:
    """Every registered app's eraser for ``user``, summed up."""
    total = Erased()
    for fn in ERASERS.all():
        done = fn(user, pseudonym)
        total.files += done.files
        total.subjects += done.subjects
        total.names |= done.names
    return total


@dataclass(frozen=True)
class InUse:
    """One app's answer to "does this account's data still serve something here?": ``since(moment)`` gives a
    ``Q`` over the user model matching the accounts the app has used since ``moment`` (an invitation waiting for
    the person, sent since then); ``label`` says why, to the person who approves a disposal list."""

    app: str
    since: Callable[[datetime.datetime], models.Q]
    label: str


IN_USE = ExtensionPoint("core.personal_data_in_use", "InUse(app, since, label), keyed by app: since(cutoff) -> Q of "
                        "the accounts the app still uses, which retention never anonymises", keyed=True, required=True)


def register_in_use(app: str, since: Callable[[datetime.datetime], models.Q], label) -> None:
    """Register ``app``'s part of the retention rule (``quality.retention.rules``): an account matched by
    ``since(cutoff)`` is still in use and is not anonymised, neither listed nor, if listed earlier, erased."""
    IN_USE.provide(InUse(app, since, label), key=app)


def in_use_checks() -> list[InUse]:
    """Every app's rule; none at all refuses (retention would otherwise erase accounts still in use)."""
    if not IN_USE.provided():
        raise IN_USE.missing_error()
    return IN_USE.all()


RECORD_ERASERS = ExtensionPoint("core.record_eraser", "erase(pk, pseudonym) -> Erased, keyed by a kind of record: "
                                "anonymising a record that names a person without an account", keyed=True)


def register_record_eraser(kind: str, erase: Callable[[int, str], Erased]) -> None:
    """Register the anonymising of one kind of record that names a person who has no account here (a misuse
    report's reporter): ``erase(pk, pseudonym)`` replaces the person's data on the record ``pk`` with the pseudonym
    and deletes the files they sent; run by ``quality.retention`` for a record on an approved disposal list."""
    RECORD_ERASERS.provide(erase, key=kind)


def erase_record(kind: str, pk: int, pseudonym: str) -> Erased:
    return RECORD_ERASERS.by_key()[kind](pk, pseudonym)


@dataclass(frozen=True)
class KeptUpload:
    """One app's uploaded files that hold other people's data (an import's file and its stored reading), kept
    for ``RETENTION_IMPORT_FILE_YEARS`` after the import ended as the evidence of what was imported, then deleted
    through the yearly disposal list (``quality.retention``). ``model`` is a background job (``certportal.jobs``)
    with ``file`` and ``filename``; ``ended`` its statuses after which nothing reads the file again; ``parsed``
    its fields holding the file's reading, and the value each is left with. The job itself stays (its file name,
    counts and result), and so does its audit trail: who uploaded and imported which file, when."""

    kind: str
    model: type[models.Model]
    ended: tuple[str, ...]
    parsed: dict


UPLOADS = ExtensionPoint("core.kept_uploads", "KeptUpload(kind, model, ended, parsed), keyed by kind: an app's "
                         "uploaded import files, deleted with their reading past their retention period", keyed=True)


def register_upload(kind: str, model: type[models.Model], *, ended: Iterable[str], parsed: dict) -> None:
    """Register one kind of import files for records retention (``quality.retention``)."""
    UPLOADS.provide(KeptUpload(kind, model, tuple(ended), dict(parsed)), key=kind)


def kept_uploads() -> dict[str, KeptUpload]:
    return UPLOADS.by_key()


def contributions() -> list[Contribution]:
    return CONTRIBUTIONS.all()


def declared_links() -> dict[str, str]:
    """``"app.Model.field" -> "exports" | "names" | "excluded"`` over every registered app."""
    declared = dict.fromkeys(EXCLUDED, "excluded")
    declared.update(dict.fromkeys(CORE_EXPORTS, "exports"))
    for c in CONTRIBUTIONS.all():
        declared.update(dict.fromkeys(c.names, "names"))
        declared.update(dict.fromkeys(c.exports, "exports"))
    return declared


def _link(model, f) -> str:
    return f"{model._meta.label}.{f.name}"


def _identifies_by_email(f) -> bool:
    return isinstance(f, models.EmailField) or (isinstance(f, models.CharField) and f.name in ("email", "username"))


def person_links() -> set[str]:
    """Every field that links a row to a person, by the rule in the module docstring."""
    user_model = get_user_model()
    concrete = [m for m in apps.get_models() if not m._meta.proxy]
    links: set[str] = set()
    for model in concrete:
        for f in model._meta.concrete_fields:
            to_user = f.is_relation and f.related_model is user_model
            if model is not user_model and (to_user or _identifies_by_email(f)):
                links.add(_link(model, f))
        links |= {_link(model, f) for f in model._meta.local_many_to_many
                  if model is not user_model and f.related_model is user_model}
    exported = {link for link, kind in declared_links().items() if kind == "exports"}
    while True:  # rule 3, until nothing new is found
        personal = {m for m in concrete if any(_link(m, f) in links & exported for f in m._meta.concrete_fields)}
        more = {_link(m, f) for m in concrete for f in m._meta.concrete_fields
                if f.is_relation and f.related_model in personal and f.related_model is not user_model}
        if more <= links:
            return links
        links |= more


# --- the core's own part: the account, roles, notifications, login records, audit entries as actor ---------------

def _iso(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def rows(queryset, *fields: str) -> list[dict]:
    """``values(*fields)`` with dates written as ISO text in the portal's time zone."""
    return [{k: _iso(v) for k, v in row.items()} for row in queryset.values(*fields)]


def _core_sections(user) -> list[Section]:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.admin.models import LogEntry

    from .audit.models import AuditEntry

    account = {
        "email": user.email, "full_name": user.full_name, "phone": user.phone,
        "language": user.preferred_language, "active": user.is_active, "joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login), "email_confirmed_at": _iso(user.email_verified_at),
        "consent_given_at": _iso(user.data_consent_at),
        "roles": rows(user.role_links.all(), "role", "granted_at"),
    }
    logins = (rows(AccessLog.objects.filter(username__iexact=user.email), "attempt_time", "logout_time",
                   "ip_address", "user_agent")
              + rows(AccessFailureLog.objects.filter(username__iexact=user.email), "attempt_time", "ip_address",
                     "user_agent", "locked_out")
              + rows(AccessAttempt.objects.filter(username__iexact=user.email), "attempt_time", "ip_address",
                     "user_agent", "failures_since_start"))
    return [
        Section("account", _("Account"), [account]),
        Section("notifications", _("Notifications"),
                rows(user.notifications.all(), "subject", "body", "url", "created_at", "read_at")),
        Section("logins", _("Log-ins and failed log-ins"), logins),
        Section("audit_actions", _("Actions you took (audit trail)"),
                rows(AuditEntry.objects.filter(actor=user).order_by("created_at", "id"), "created_at", "action",
                     "content_type__model", "object_id", "from_state", "to_state", "ip_address")),
        Section("admin_actions", _("Changes you made in the administration site"),
                rows(LogEntry.objects.filter(user=user), "action_time", "content_type__model", "object_id",
                     "action_flag")),
    ]


CORE_EXPORTS = {"notifications.Notification.user", "accounts.UserRole.user", "axes.AccessLog.username",
                "axes.AccessFailureLog.username", "axes.AccessAttempt.username", "audit.AuditEntry.actor",
                "admin.LogEntry.user"}


def staff_records(user, names: Iterable[str]) -> list[dict]:
    """For each "names" link pointing straight at the user model: the kind of record and the numbers and times of
    the rows that name this person (their content is about other people)."""
    user_model = get_user_model()
    out = []
    for link in sorted(names):
        app_label, model_name, field_name = link.split(".")
        model = apps.get_model(app_label, model_name)
        f = model._meta.get_field(field_name)
        if f.related_model is not user_model:
            continue
        ids = list(model._default_manager.filter(**{field_name: user}).order_by("pk").values_list("pk", flat=True))
        if ids:
            out.append({"record": str(model._meta.verbose_name), "as": str(f.verbose_name), "count": len(ids),
                        "ids": ids})
    return out


# --- the ZIP ----------------------------------------------------------------------------------------------------

def collect(user) -> list[Section]:
    sections = _core_sections(user)
    for c in CONTRIBUTIONS.all():
        sections.extend(c.collect(user))
    names = set().union(*(c.names for c in CONTRIBUTIONS.all()))
    sections.append(Section("staff_records", _("Records that name you as the staff member who acted"),
                            staff_records(user, names)))
    return sections


def _readable(record: dict) -> list[tuple[str, str]]:
    """One record as (field, text) lines for the summary; nested lists and objects as indented JSON."""
    def text(value) -> str:
        if isinstance(value, (list, dict)):
            return json.dumps(value, indent=1, ensure_ascii=False, default=str) if value else "—"
        return "—" if value in (None, "") else str(_iso(value))
    return [(key.replace("_", " "), text(value)) for key, value in record.items()]


def build_zip(user) -> tuple[bytes, dict[str, int]]:
    """``data.json`` (every section), ``summary.html`` (the same, readable) and ``files/<section>/...``; with the
    number of records and files per section (for the audit note)."""
    sections = collect(user)
    data = {"exported_at": _iso(timezone.now()), "person": user.email,
            **{s.key: s.records for s in sections}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False, default=str))
        written = []
        for s in sections:
            for f in s.files:
                path = f"files/{s.key}/{get_valid_filename(f.name) or 'file'}"
                zf.writestr(path, f.read())
                written.append(path)
        zf.writestr("summary.html", render_to_string("core/personal_data_summary.html", {
            "person": user, "sections": [(s, [_readable(r) for r in s.records]) for s in sections],
            "files": written, "exported_at": timezone.now()}))
    counts = {s.key: len(s.records) for s in sections if s.records}
    counts["files"] = len(written)
    return buffer.getvalue(), counts

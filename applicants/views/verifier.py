"""The verifier's side: the work queue, the verification screen, participant naming, exports."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_POST

from certportal import dates, exports
from certportal.accounts.models import Role
from certportal.escaping import escaped, rows_html
from certportal.exportjobs import services as exportjobs
from certportal.forms import report_form_errors
from certportal.net import client_ip
from certportal.permissions import role_required
from certportal.workflow.views import run_action, run_form
from schemes.models import Scheme

from .. import agency_list, selectors, services
from ..forms import (
    NEEDS_ACTION_STATES,
    AgencyForm,
    NamingForm,
)
from ..models import Agency, Application, Status
from ..queue import filtered_queue
from ..selectors import applications_visible_to
from ..workflow import CLOSED, UNDER_REVIEW
from .applicant import _posted

READERS = (Role.VERIFIER, Role.LSP_ADMIN, Role.SUPERVISOR, Role.QUALITY)
ACTORS = (Role.VERIFIER, Role.LSP_ADMIN)
reader_only = role_required(*READERS)
actor_only = role_required(*ACTORS)
PAGE_SIZE = 50


def _params(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


ROW = ('<tr><td><a href="{0}">{1}</a></td><td><a href="{0}">{2}</a><br><small class="text-muted">{3}</small></td>'
       '<td class="small" data-label="{9}">{4}</td><td class="small" data-label="{10}">{5}</td>'
       '<td data-label="{11}">{6}</td><td class="small" data-label="{12}">{7}</td>'
       '<td class="small" data-label="{13}" data-deadline>{8}</td></tr>')


def _day(value) -> str:
    """A date as a person reads it (``23 November 2026``) in the reader's language."""
    return dates.day(value)


class _Page:
    """What the rows of one page share: today, the working calendar, the deadline words translated once, and each
    date, count of working days and deadline cell written once (the 50 rows share a few dates)."""

    def __init__(self, today, rows=()):
        from certportal.sla.calendar import WorkCalendar

        self.today = today
        # One calendar for the page, from its earliest date to its latest and a margin (the working days left of
        # every row, the completeness check after each submission): a search's rows reach years back, and a
        # date outside the calendar loaded another one per row.
        dates_seen = [today, *(d for row in rows for d in (row.sla_target_due, row.sla_limit_due) if d),
                      *(timezone.localdate(row.submitted_at) for row in rows if row.submitted_at)]
        margin = datetime.timedelta(days=120)
        self.calendar = WorkCalendar.load(min(dates_seen) - margin, max(dates_seen) + margin)
        # the cells' words escaped once for the page; a cell is then plain text formatting of escaped values
        self.target, self.limit = escaped(pgettext("deadline", "target")), escaped(pgettext("deadline", "limit"))
        self.completeness = _("completeness check by %(date)s")
        self.paused = format_html('<span data-due="paused">{}</span>', _("paused (with the applicant)"))
        self.days, self.lefts, self.cells = {}, {}, {}

    def day(self, value) -> str:
        if value not in self.days:
            self.days[value] = _day(value)
        return self.days[value]

    def left(self, due) -> int:
        """Working days from today to ``due`` (negative: working days overdue)."""
        from certportal.sla import calendar as cal

        if due not in self.lefts:
            self.lefts[due] = (cal.working_days_between(self.today, due, self.calendar) if due >= self.today
                               else -cal.working_days_between(due, self.today, self.calendar))
        return self.lefts[due]


def _deadline_cell(app, page: _Page) -> str:
    """Both deadlines labelled, with working days left; a new or resubmitted dossier without a clock shows the
    completeness check the portal promises; nothing running for a closed item or a paused clock. Each cell's
    text is kept for the page: the 50 rows share a few dates, and counting working days is a walk per row."""
    key = (app.status in CLOSED or app.sla_outcome not in (None, "open"), app.sla_target_due, app.sla_limit_due,
           bool(app.sla_paused_since),
           timezone.localdate(app.submitted_at) if app.submitted_at and app.status in UNDER_REVIEW else None)
    if key not in page.cells:
        page.cells[key] = _deadline_text(app, page)
    return page.cells[key]


def _deadline_text(app, page: _Page) -> str:
    from certportal.sla import calendar as cal

    if app.status in CLOSED or app.sla_outcome not in (None, "open"):
        return "—"
    if app.sla_target_due is None:
        if app.status in UNDER_REVIEW and app.submitted_at:
            due = cal.add_working_days(timezone.localdate(app.submitted_at),
                                       settings.APPLICANTS_COMPLETENESS_DAYS, page.calendar)
            return mark_safe(  # noqa: S308 (escaped)
                f'<span data-due="completeness">{escaped(page.completeness % {"date": page.day(due)})}</span>')
        return "—"
    if app.sla_paused_since:
        return page.paused
    left = page.left(app.sla_target_due)
    left_text = (ngettext("%(n)s working day left", "%(n)s working days left", left) % {"n": left} if left >= 0
                 else ngettext("%(n)s working day overdue", "%(n)s working days overdue", -left) % {"n": -left})
    return mark_safe(  # noqa: S308 (every value escaped: the words by _Page, the dates and the count here)
        f'<span data-due="target">{page.target}: {escaped(page.day(app.sla_target_due))}</span><br>'
        f'<span data-due="limit">{page.limit}: {escaped(page.day(app.sla_limit_due))}</span><br>'
        f'<small class="{"text-danger" if left < 0 else "text-muted"}">{escaped(left_text)}</small>')


def _row_template() -> str:
    """``ROW`` with the column names a phone's card shows put in once, escaped (braces doubled for ``format``)."""
    row = ROW
    for number, label in enumerate((_("Unit"), _("Scheme"), _("Status"), _("Submitted"), _("Deadline")), 9):
        row = row.replace(f"{{{number}}}", conditional_escape(label).replace("{", "{{").replace("}", "}}"))
    return row


# The scheme's code comes from a kept list (:func:`_scheme_codes`), not a join: joined, the planner could hash the
# schemes and sort every row of a range instead of reading the first 50 entries of an index in the page's order.
# The clock's dates come by one query for the page's rows (:func:`_with_clocks`), not four subqueries per row.
ROW_VALUES = ("id", "applicant_name", "nip", "org_unit", "status", "submitted_at", "scheme_id")
CLOCK_VALUES = ("target_due", "limit_due", "outcome", "paused_since")


class _Row:
    """A row of the page with its clock's figures, as ``_deadline_cell`` reads them (``sla_target_due``, ...)."""

    __slots__ = ("id", "applicant_name", "nip", "org_unit", "status", "submitted_at", "scheme_id",
                 "sla_target_due", "sla_limit_due", "sla_outcome", "sla_paused_since")

    def __init__(self, row, clock: tuple) -> None:
        for name in ROW_VALUES:
            setattr(self, name, getattr(row, name))
        self.sla_target_due, self.sla_limit_due, self.sla_outcome, self.sla_paused_since = clock


def _with_clocks(rows: list) -> list[_Row]:
    """The page's rows each with its certification clock (one query by the rows' ids, the unique index)."""
    from django.contrib.contenttypes.models import ContentType

    from certportal.sla.models import Clock

    clocks = {} if not rows else {
        object_id: rest for object_id, *rest in Clock.objects.filter(
            content_type=ContentType.objects.get_for_model(Application), policy__code=services.CLOCK,
            object_id__in=[row.id for row in rows]).values_list("object_id", *CLOCK_VALUES)}
    return [_Row(row, clocks.get(row.id, (None, None, None, None))) for row in rows]
SCHEME_CODES = "applicants:queue:scheme-codes"


def _scheme_codes(rows: list) -> dict[int, str]:
    """Every scheme's code by id, kept five minutes like the scheme filter's options; read again at once when a
    row names a scheme the kept list does not know (one made since)."""
    codes = cache.get(SCHEME_CODES) or {}
    if any(row.scheme_id not in codes for row in rows):
        codes = dict(Scheme.objects.values_list("id", "code"))
        cache.set(SCHEME_CODES, codes, 300)
    return codes


def _rows_html(page) -> str:
    """The 50 rows (``ROW_VALUES`` of each), built in Python: the template engine's per-variable lookups cost more
    than the query (see bench/bench_applicants_queue.py); every value is still escaped (``rows_html``, and each
    deadline cell's pieces by ``escaped``)."""
    labels = {value: str(label) for value, label in Status.choices}  # translated once, not per row
    rows = _with_clocks(list(page))
    shared = _Page(timezone.localdate(), rows)
    codes = _scheme_codes(rows)

    def day(value):
        return shared.day(timezone.localtime(value, dates.WIB).date() if value else None)

    return rows_html(_row_template(), (
        (f"/permohonan/verifikasi/{app.id}/", app.id, app.applicant_name, app.nip, app.org_unit, codes[app.scheme_id],
         labels.get(app.status, app.status), day(app.submitted_at), _deadline_cell(app, shared))
        for app in rows))


def _options(choices, selected) -> str:
    return format_html_join("", '<option value="{}"{}>{}</option>', (
        (value, mark_safe(" selected") if str(value) == str(selected or "") else "", label)  # noqa: S308
        for value, label in choices))


def _scheme_options() -> list[tuple[str, str]]:
    """Each scheme's ``<option>``, escaped once for the cache: the province has some eighty schemes, and escaping
    each label on every request cost more than the queue's rows."""
    return [(str(s.pk), format_html('<option value="{}">{} v{}</option>', s.pk, s.code, s.version))
            for s in Scheme.objects.only("id", "code", "version").order_by("code", "-version")]


def _scheme_select(selected) -> str:
    chosen = str(selected or "")
    options = cache.get_or_set("applicants:queue:scheme-options", _scheme_options, 300)
    return mark_safe(_options([("", _("All"))], chosen) + "".join(  # noqa: S308 -- built by format_html above
        html.replace(">", " selected>", 1) if value == chosen else html for value, html in options))


@reader_only
def queue(request):
    found = filtered_queue(request.user, request.GET, page_size=PAGE_SIZE)
    form, counts = found.form, found.counts
    report_form_errors(request, form)
    paginator = Paginator(found.pages(ROW_VALUES), PAGE_SIZE)  # rows, not models: half the cost
    paginator.count = found.total  # known from the counts per status: no second COUNT(*) over the queue
    page = paginator.get_page(request.GET.get("page"))
    status_counts = [(value, label, counts.get(value, 0)) for value, label in Status.choices
                     if value != Status.DRAFT]
    value = form.data.get
    return render(request, "applicants/queue.html", {
        "form": form, "page": page, "params": _params(request), "status_counts": status_counts,
        "total": sum(counts.values()), "rows": _rows_html(page),
        "words_only": bool(value("q")) and not form.cleaned_data.get("inside"),
        "status_options": _options(form.fields["status"].choices, value("status")),
        "needs_action": sum(counts.get(s, 0) for s in NEEDS_ACTION_STATES), "view": value("status"),
        "scheme_options": _scheme_select(value("scheme")),
        "deadline_options": _options(form.fields["deadline"].choices, value("deadline")),
    })


@role_required(Role.VERIFIER)
@require_POST
def digest_switch(request):
    """The verifier's daily e-mail digest of new and resubmitted dossiers: on or off (their own setting)."""
    request.user.daily_digest = request.POST.get("on") == "1"
    request.user.save(update_fields=["daily_digest"])
    messages.success(request, _("The daily e-mail digest is on.") if request.user.daily_digest
                     else _("The daily e-mail digest is off; new dossiers still appear in your notifications."))
    return redirect("applicants:queue")


def _export_header() -> list[str]:
    return [_("No."), _("Name"), _("NIP"), pgettext("regional government agency", "Agency"), _("Scheme"), _("Status"), _("Submitted"),
            _("Complete and correct"), _("Target"), _("Limit")]


def _export_rows(qs):
    for app in qs.iterator(chunk_size=2000):
        yield [app.pk, app.applicant_name, app.nip, app.org_unit, app.scheme.code, app.get_status_display(),
               app.submitted_at, app.completed_at, app.sla_target_due, app.sla_limit_due]


@reader_only
def queue_export(request, fmt: str):
    """The filtered queue as CSV (streamed) or XLSX, through the core's export helper; more rows than
    ``EXPORT_BACKGROUND_ROWS``: a background job, whose page shows the progress and then offers the file."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    found = filtered_queue(request.user, request.GET)
    qs, total = found.for_export(), found.total
    if exportjobs.needs_background(total):
        job = exportjobs.export_start(user=request.user, source=QUEUE_EXPORT, params=dict(request.GET.lists()),
                                      fmt=fmt, filename=f"antrian-permohonan.{fmt}", title=_("Applications"))
        return redirect(job)
    return exports.table_response(fmt, "antrian-permohonan", _("Applications"), _export_header(), _export_rows(qs))


QUEUE_EXPORT = "applicants.queue"


def queue_export_table(user, params: dict) -> exportjobs.Table:
    """The queue export for a background job: the same filters, the requester's rights (registered in apps.py)."""
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values)
    found = filtered_queue(user, query)
    return exportjobs.Table(_("Applications"), _export_header(), _export_rows(found.for_export()), found.total)


# Lazy: the labels head the recap and its exports, in the reader's language.
RECAP_GROUPS = [
    ("in_review", gettext_lazy("In verification"),
     {Status.SUBMITTED, Status.RETURNED, Status.RESUBMITTED, Status.COMPLETE}),
    ("verified", gettext_lazy("Verified"), {Status.VERIFIED}),
    ("participant", gettext_lazy("Participants"),
     {Status.PARTICIPANT, Status.SCHEDULED, Status.ASSESSED, Status.APPEALED}),
    ("competent", gettext_lazy("Competent"), {Status.COMPETENT, Status.CERTIFIED, Status.HANDED_OVER}),
    ("not_yet", gettext_lazy("Not yet competent"), {Status.NOT_YET_COMPETENT}),
    ("closed", gettext_lazy("Rejected or withdrawn"), {Status.REJECTED, Status.WITHDRAWN}),
]


def _unit_recap(user, query) -> tuple[Scheme | None, list, list]:
    """The recap's scheme, header and rows for ``user`` with the page's filters (the page, its exports, a job)."""
    qs = applications_visible_to(user).exclude(status=Status.DRAFT)
    scheme = None
    if query.get("scheme", "").isdigit():
        scheme = Scheme.objects.filter(pk=query["scheme"]).first()
        if scheme:
            qs = qs.filter(scheme=scheme)
    aggregates = {key: Count("id", filter=Q(status__in=states)) for key, _label, states in RECAP_GROUPS}
    if selectors.counted_by_the_database(user):  # the kept counts: a few thousand rows, not every application
        def compute() -> list:
            return selectors.kept_unit_recap({key: states for key, _label, states in RECAP_GROUPS}, scheme=scheme)
    else:
        def compute() -> list:
            return list(qs.order_by().values("org_unit").annotate(total=Count("id"), **aggregates).order_by("org_unit"))
    # Cached like the queue's counts, and forgotten by any status change.
    rows = selectors.cached_figures(user, "unit-recap", {"scheme": scheme.pk if scheme else None}, compute)
    header = [pgettext("regional government agency", "Agency"), _("Total")] + [str(label) for _k, label, _s in RECAP_GROUPS]
    table = [[r["org_unit"] or "—", r["total"]] + [r[key] for key, _l, _s in RECAP_GROUPS] for r in rows]
    return scheme, header, table


RECAP_EXPORT = "applicants.unit_recap"


@reader_only
def unit_recap(request):
    """Per-unit (perangkat daerah) recap of the applications, with the queue's scheme filter. Its export covers
    every application counted: more than ``EXPORT_BACKGROUND_ROWS`` of them, and it is written by an export job."""
    scheme, header, table = _unit_recap(request.user, request.GET)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        if exportjobs.needs_background(sum(row[1] for row in table)):
            job = exportjobs.export_start(user=request.user, source=RECAP_EXPORT,
                                          params=exportjobs.params_of(request.GET), fmt=fmt,
                                          filename=f"rekap-perangkat-daerah.{fmt}", title=_("Recap"))
            return redirect(job)
        return exports.table_response(fmt, "rekap-perangkat-daerah", _("Recap"), header, table)
    return render(request, "applicants/unit_recap.html", {
        "header": header, "table": table, "scheme": scheme,
        "schemes": Scheme.objects.order_by("code", "-version"),
        "totals": [sum(row[i] for row in table) for i in range(1, len(header))],
    })


def unit_recap_table(user, params: dict) -> exportjobs.Table:
    """The recap for a background export: the same filter, the requester's rights (registered in apps.py)."""
    if not user.has_role(*READERS):
        raise PermissionDenied(_("Your role does not read the recap."))
    _scheme, header, table = _unit_recap(user, exportjobs.query_of(params))
    return exportjobs.Table(_("Recap"), header, table, len(table))


@actor_only
def name_participants(request):
    """Bulk naming (penetapan peserta) of verified applicants of one scheme: the candidates are the applications
    the machine lets this person name now (the same rule the service applies)."""
    schemes = Scheme.objects.filter(applications__status=Status.VERIFIED).distinct().order_by("code", "-version")
    scheme = None
    if request.GET.get("scheme", "").isdigit():
        scheme = get_object_or_404(Scheme, pk=request.GET["scheme"])
    verified = applications_visible_to(request.user).filter(status=Status.VERIFIED)
    if scheme:
        verified = verified.filter(scheme=scheme)
    held_back: list = []
    candidates = services.naming_candidates(request.user, verified.select_related("scheme").order_by(
        "applicant_name")[:500], held_back=held_back)
    form = NamingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        ticked = {int(x) for x in request.POST.getlist("application") if x.isdigit()}
        chosen = [app for app in candidates if app.pk in ticked]
        if not chosen:
            messages.error(request, _("Tick at least one applicant to name."))
        elif request.POST.get("confirm") not in ("0", "1"):  # cannot be undone: show who will be named, ask
            return render(request, "applicants/naming_confirm.html", {
                "chosen": chosen, "reference": form.cleaned_data["reference"], "scheme": scheme})
        elif request.POST["confirm"] == "1":
            return run_action(request, lambda data: services.participants_name(
                chosen, actor=request.user, reference=form.cleaned_data["reference"], ip=client_ip(request)),
                success=lambda done: _("%(n)s applicant(s) named as participants.") % {"n": len(done)},
                redirect_to=request.get_full_path())
    return render(request, "applicants/naming.html", {
        "schemes": schemes, "scheme": scheme, "applications": candidates, "form": form, "held_back": held_back,
        "ticked": {int(x) for x in request.POST.getlist("application") if x.isdigit()},
        "action_code": services.code("named")})


@role_required(Role.LSP_ADMIN)
def agencies(request):
    """The master list of agencies (perangkat daerah) applicants choose from in their profile."""
    agency = None
    if request.method == "POST" and request.POST.get("pk", "").isdigit():  # a row's button, else the new name
        agency = get_object_or_404(Agency, pk=request.POST["pk"])

    def page() -> dict:
        used = dict(Application.objects.exclude(status=Status.DRAFT).order_by().values_list("org_unit").annotate(
            n=Count("id")))
        return {"rows": [(a, used.get(a.name, 0)) for a in Agency.objects.all()], "typed": agency is None}

    return run_form(request, AgencyForm(_posted(request)), lambda data: agency_list.agency_save(
        actor=request.user, name=data["name"], agency=agency, is_active=request.POST.get("is_active", "1") == "1",
        address=data["address"] if "address" in request.POST else None),
        success=lambda saved: _("“%(name)s” is saved.") % {"name": saved.name}, redirect_to="applicants:agencies",
        template="applicants/agencies.html", context=page)

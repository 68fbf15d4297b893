"""SLA pages: the supervisor dashboard (+ CSV), the working-day calendar and the policies (LSP admin)."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certportal import dates, exports
from certportal.accounts.models import Role
from certportal.accounts.spraying import recent_sprays
from certportal.exportjobs import services as exportjobs
from certportal.permissions import role_required
from certportal.workflow.views import run_action, run_form

from . import drawing, selectors, services
from .calendar import working_weekdays
from .forms import CalendarDayForm, PolicyForm, WorkWeekForm
from .models import CalendarDay, SlaPolicy

DASHBOARD_ROLES = (Role.SUPERVISOR, Role.LSP_ADMIN)


def _int(value, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(value), low), high)
    except (TypeError, ValueError):
        return default


@role_required(*DASHBOARD_ROLES)
def dashboard(request):
    months = _int(request.GET.get("months"), 12, 1, 36)
    today = services.local_date()
    if request.GET.get("format") == "csv":
        data = selectors.cached_dashboard(today, months)
        if exportjobs.needs_background(_dashboard_size(data)):
            job = exportjobs.export_start(user=request.user, source=DASHBOARD_EXPORT,
                                          params=exportjobs.params_of(request.GET), fmt="csv",
                                          filename=f"sla-{data['today'].isoformat()}.csv", title=_("Service deadlines"))
            return redirect(job)
        return _dashboard_csv(data)
    return render(request, "sla/dashboard.html", {
        "months": months, "month_choices": (3, 6, 12, 24), "sprays": recent_sprays(),
        "figures": _figures_html(request, today, months)})


def _figures_html(request, today, months: int) -> str:
    """The dashboard's figures (tables, at-risk rows, chart data) as HTML, drawn once per kept dashboard and set
    of roles (an item's link depends on them): drawing the 100 at-risk rows cost more than computing them."""
    seconds = settings.SLA_DASHBOARD_CACHE_SECONDS
    key = f"{selectors.dashboard_key(today, months)}:html:{','.join(sorted(request.user.roles))}"
    html = cache.get(key) if seconds else None
    if html is None:
        data = selectors.cached_dashboard(today, months)
        _links_the_reader_may_open(request.user, data["at_risk"])
        html = render_to_string("sla/_dashboard_figures.html", {
            **data, "chart": _chart_data(data), "at_risk_rows": drawing.at_risk_rows(data["at_risk"]),
            "month_rows": drawing.month_rows(data["by_month"]), "breach_items": drawing.breach_items(data["breaches"])},
            request)
        if seconds:
            cache.set(key, html, seconds)
    return mark_safe(html)  # noqa: S308 - drawn by the template engine, which escaped every value


def _links_the_reader_may_open(user, rows) -> None:
    """An item whose page the reader's roles may not open is shown by its label only (no link answering 403)."""
    from django.contrib.contenttypes.models import ContentType

    from .registry import tracked_for

    for row in rows:
        tracked = tracked_for(ContentType.objects.get_for_id(row.clock.content_type_id).model_class())
        if tracked is not None and tracked.readers is not None and not user.has_role(*tracked.readers):
            row.url = ""


def _chart_data(data: dict) -> dict:
    from django.utils.translation import gettext

    months = sorted({row.month for row in data["by_month"]})
    codes = {row.policy_code: gettext(row.policy_name) for row in data["by_month"]}
    series = []
    for code, name in codes.items():
        cells = {row.month: row.compliance for row in data["by_month"] if row.policy_code == code}
        series.append({"label": name, "data": [cells.get(m) for m in months]})
    return {
        "months": [dates.month(m) for m in months], "series": series,
        "members": [name or gettext("(nobody responsible)") for name, _n in data["breaches"]],
        "breaches": [n for _name, n in data["breaches"]],
    }


DASHBOARD_EXPORT = "sla.dashboard"


def _dashboard_header() -> list:
    return [_("Section"), _("Month"), _("Service"), _("Finished"), _("Met"), _("Within target"),
            _("Compliance (%)"), _("Average (working days)"), _("90th percentile (working days)")]


def _dashboard_size(data: dict) -> int:
    """The rows of the CSV: more than ``EXPORT_BACKGROUND_ROWS``, and it is written by an export job."""
    return len(data["by_month"]) + len(data["by_service"]) + len(data["breaches"]) + len(data["at_risk"])


def _dashboard_csv(data: dict):
    return exports.csv_response(f"sla-{data['today'].isoformat()}.csv", _dashboard_rows(data), _dashboard_header())


def dashboard_export_table(user, params: dict) -> exportjobs.Table:
    """The dashboard's CSV for a background export: the same months, the requester's rights (apps.py)."""
    if not user.has_role(*DASHBOARD_ROLES):
        raise PermissionDenied(_("Your role does not read the service deadlines."))
    query = exportjobs.query_of(params)
    data = selectors.dashboard(services.local_date(), _int(query.get("months"), 12, 1, 36))
    return exportjobs.Table(_("Service deadlines"), _dashboard_header(), _dashboard_rows(data), _dashboard_size(data))


clock_state = exports.state_column("certportal.sla.dashboard", "State", states=lambda: services.STATES,
                                   label=services.state_label)


def _dashboard_rows(data: dict):
    for row in data["by_month"]:
        yield [_("Compliance per month"), row.month.strftime("%Y-%m"), _(row.policy_name), row.total, row.met,
               row.within_target, row.compliance, None, None]
    for row in data["by_service"]:
        yield [_("Per service"), None, _(row.policy.name), row.total, row.met, None, row.compliance, row.average,
               row.p90]
    for name, count in data["breaches"]:
        yield [_("Breaches by team member"), None, name or _("(nobody responsible)"), count, None, None, None, None,
               None]
    for risk in data["at_risk"]:
        yield [_("At risk now"), risk.clock.target_due, _(risk.clock.policy.name), risk.label, clock_state(risk.state),
               risk.clock.limit_due, None, None, None]


@role_required(Role.LSP_ADMIN)
def calendar_view(request):
    today = services.local_date()
    year = _int(request.GET.get("year") or request.POST.get("year"), today.year, 2000, 2100)
    return run_form(request, CalendarDayForm(request.POST or None, prefix="day"), lambda data: services.calendar_day_add(
        actor=request.user, day=data["date"], kind=data["kind"], name=data["name"]),
        success=lambda entry: _("%(date)s was added to the calendar.") % {"date": dates.day(entry.date)},
        redirect_to=lambda entry: f"{request.path}?year={entry.date.year}", template="sla/calendar.html",
        context=lambda: {"year": year, "years": range(today.year - 1, today.year + 3),
                         "week_form": WorkWeekForm(prefix="week", initial={"weekdays": working_weekdays()}),
                         "entries": selectors.calendar_entries(year), "summary": selectors.year_summary(year)})


@require_POST
@role_required(Role.LSP_ADMIN)
def calendar_remove(request, pk: int):
    entry = get_object_or_404(CalendarDay, pk=pk)
    return run_action(request, lambda data: services.calendar_day_remove(actor=request.user, entry=entry),
                      success=_("%(date)s was removed from the calendar.") % {"date": dates.day(entry.date)},
                      redirect_to=f"{_calendar_url()}?year={entry.date.year}")


@require_POST
@role_required(Role.LSP_ADMIN)
def workweek(request):
    form = WorkWeekForm(request.POST, prefix="week")
    if not form.is_valid():
        messages.error(request, _("Choose at least one working weekday."))
        return redirect(_calendar_url())
    return run_action(request, lambda data: services.workweek_update(actor=request.user, weekdays=data["weekdays"]),
                      form=form, success=_("The working week was saved."), redirect_to=_calendar_url())


def _calendar_url() -> str:
    from django.urls import reverse

    return reverse("sla:calendar")


@role_required(Role.LSP_ADMIN, Role.SUPERVISOR)
def policies(request):
    return render(request, "sla/policies.html", {
        "policies": SlaPolicy.objects.all(), "can_edit": request.user.has_role(Role.LSP_ADMIN)})


@role_required(Role.LSP_ADMIN)
def policy_edit(request, code: str):
    policy = get_object_or_404(SlaPolicy, code=code)
    form = PolicyForm(request.POST or None, instance=SlaPolicy.objects.get(pk=policy.pk))
    return run_form(request, form, lambda data: services.policy_update(
        policy=policy, actor=request.user, **{f: data[f] for f in services.POLICY_FIELDS}),
        success=_("The policy was saved. Items already running keep their due dates."), redirect_to="sla:policies",
        template="sla/policy_form.html",
        context={"policy": policy, "title": _("Edit SLA policy: %(name)s") % {"name": _(policy.name)}})



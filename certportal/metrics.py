"""``/metrics``: what an operator's Prometheus watches, in its text format (prometheus_client).

* request latency: ``certportal_request_duration_seconds`` (histogram by method, route name and status class),
  observed by :class:`RequestMetricsMiddleware` in every web process;
* background jobs, read from the job tables at each scrape: how many per kind and status, the age of the oldest
  queued job, the longest silence of a running one, and the failures counted from the audit trail (append-only, so
  the counter only grows);
* the outbox (task requests and e-mails not yet handed to the broker, or failed);
* the service deadlines (``certportal.sla``): items past their limit now, and every clock by outcome.

Several gunicorn workers: each process keeps its own request histogram. With ``PROMETHEUS_MULTIPROC_DIR`` set
(``deploy/gunicorn.conf.py`` sets it and empties it when gunicorn starts) each worker writes its values to a file
there and a scrape, answered by any worker, sums them all (prometheus_client's multiprocess mode); without it (one
process: ``make run``, the tests) the values are the process's own. The figures read from the database are the same
whoever answers.

Not public: a scraper sends ``Authorization: Bearer <METRICS_TOKEN>``; without the token configured the address
does not exist (404), and a request without the right token gets 401. It is answered before host validation and
the HTTPS redirect, as ``/healthz`` is, so Prometheus may scrape ``http://127.0.0.1:8000/metrics`` directly.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.db.models import Count, Min, Q
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

log = logging.getLogger(__name__)
PATH = "/metrics"
BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
REQUEST_DURATION = Histogram(
    "certportal_request_duration_seconds", "Time to answer a request, by method, route name and status class",
    ["method", "route", "status"], buckets=BUCKETS, registry=None)


def _route(request) -> str:
    """The URL's name (``assessments:event-detail``), never the path: one series per page, whatever the ids."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or "unnamed"
    return "healthz" if request.path_info == "/healthz" else "unmatched"


class RequestMetricsMiddleware:
    """Times every request (and answers the scrape itself, before host validation and the HTTPS redirect)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH and request.method in ("GET", "HEAD"):
            return metrics(request)
        started = time.perf_counter()
        response = self.get_response(request)
        REQUEST_DURATION.labels(request.method if request.method in _METHODS else "other", _route(request),
                                f"{response.status_code // 100}xx").observe(time.perf_counter() - started)
        return response


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def authorised(request) -> bool:
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


@login_not_required
@never_cache
def metrics(request) -> HttpResponse:
    """The scrape (see the module's docstring): 404 unless METRICS_TOKEN is set, 401 without it."""
    if not settings.METRICS_TOKEN:
        return HttpResponse(status=404)
    if not authorised(request):
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)  # every worker's histogram, summed
    else:
        registry.register(REQUEST_DURATION)
    registry.register(PortalCollector())
    response = HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_PLAIN_0_0_4)
    response["Cache-Control"] = "no-store"
    return response


def _age(now, then) -> float:
    return max((now - then).total_seconds(), 0.0) if then else 0.0


class PortalCollector:
    """The figures read from the database at each scrape."""

    def collect(self):
        now, ok = timezone.now(), 1
        for section, at in ((_jobs, now), (_outbox, now), (_sla, timezone.localdate())):
            try:
                families = list(section(at))
            except DatabaseError as exc:  # the database is down: the scrape still answers, with the timings
                log.warning("Metrics: %s not read: %s", section.__name__.strip("_"), exc)
                ok = 0
                continue
            yield from families
        yield GaugeMetricFamily("certportal_metrics_database_up",
                                "1 when this scrape read the figures from the database, 0 when the database failed",
                                value=ok)


def _jobs(now):
    from django.contrib.contenttypes.models import ContentType

    from certportal.audit.models import AuditEntry
    from certportal.jobs.registry import kinds
    from certportal.workflow import machine_for

    from .jobs.models import JobStatus

    count = GaugeMetricFamily("certportal_jobs", "Background jobs by kind and status", labels=["kind", "status"])
    queued = GaugeMetricFamily("certportal_jobs_oldest_queued_age_seconds",
                               "Seconds the oldest queued job of the kind has waited for a worker (0: none)",
                               labels=["kind"])
    idle = GaugeMetricFamily("certportal_jobs_running_idle_seconds",
                             "Longest time a running job of the kind has gone without a sign of life (0: none)",
                             labels=["kind"])
    failed = CounterMetricFamily("certportal_jobs_failed", "Jobs failed, ever (from the audit trail)",
                                 labels=["kind"])
    for kind in kinds():
        model: Any = kind.model
        name = model._meta.label_lower
        for row in model.objects.order_by().values("status").annotate(n=Count("pk")):
            count.add_metric([name, row["status"]], row["n"])
        ages = model.objects.aggregate(
            queued=Min("moved_at", filter=Q(status=JobStatus.QUEUED)),
            running=Min("moved_at", filter=Q(status=JobStatus.RUNNING)))
        queued.add_metric([name], _age(now, ages["queued"]))
        idle.add_metric([name], _age(now, ages["running"]))
        failed.add_metric([name], AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), action=machine_for(model).code("failed")).count())
    yield from (count, queued, idle, failed)


def _outbox(now):
    from .outbox.models import OutboxMessage

    messages = GaugeMetricFamily("certportal_outbox_messages",
                                 "E-mails and task requests in the outbox by status (pending: not yet with the "
                                 "broker; failed: waiting for the LSP admin to send them again)", labels=["status"])
    counted = dict(OutboxMessage.objects.order_by().values_list("status").annotate(n=Count("pk")))
    for status in OutboxMessage.Status.values:
        messages.add_metric([status], counted.get(status, 0))
    oldest = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).aggregate(at=Min("moved_at"))["at"]
    yield messages
    yield GaugeMetricFamily("certportal_outbox_oldest_pending_age_seconds",
                            "Seconds the oldest pending outbox message has waited to be handed over (0: none)",
                            value=_age(now, oldest))


def _sla(today):
    from .sla.models import Clock, SlaPolicy

    breached = GaugeMetricFamily("certportal_sla_breached",
                                 "Items past their SLA limit now (open clocks, not paused, limit day passed)",
                                 labels=["policy"])
    overdue = GaugeMetricFamily("certportal_sla_overdue",
                                "Items past their SLA target now (open clocks, not paused, target day passed)",
                                labels=["policy"])
    clocks = GaugeMetricFamily("certportal_sla_clocks", "SLA clocks by policy and outcome (breached: stopped after "
                               "the limit)", labels=["policy", "outcome"])
    running = Clock.objects.filter(outcome=Clock.Outcome.OPEN, paused_since__isnull=True).order_by()
    late = dict(running.filter(limit_due__lt=today).values_list("policy__code").annotate(n=Count("pk")))
    due = dict(running.filter(target_due__lt=today).values_list("policy__code").annotate(n=Count("pk")))
    for code in SlaPolicy.objects.order_by("code").values_list("code", flat=True):  # every policy, 0 included
        breached.add_metric([code], late.get(code, 0))
        overdue.add_metric([code], due.get(code, 0))
    for code, outcome, n in (Clock.objects.order_by().values_list("policy__code", "outcome")
                             .annotate(n=Count("pk"))):
        clocks.add_metric([code, outcome], n)
    yield from (breached, overdue, clocks)


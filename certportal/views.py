"""Core pages: the public home, the per-role landing pages, the role switcher, health and error pages."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import menus, observability
from .accounts.models import Role
from .cache import cache_status
from .context_processors import current_role
from .errors import AccessRefused


@login_not_required
def public_home(request):
    return render(request, "core/public_home.html")


@login_not_required
def privacy_notice(request):
    """The privacy notice the registration consent cites (UU 27/2022): public, in both languages."""
    return render(request, "core/privacy.html", {
        "controller": settings.PRIVACY_CONTROLLER, "contact_email": settings.PRIVACY_CONTACT_EMAIL,
        "contact_address": settings.PRIVACY_CONTACT_ADDRESS, "lsp_name": settings.ASSESSMENT_LSP_NAME,
        "appeal_days": settings.ASSESSMENT_APPEAL_WINDOW_DAYS,
        "retention": {"applicant": settings.RETENTION_APPLICANT_YEARS, "complaint": settings.RETENTION_COMPLAINT_YEARS,
                      "certificate": settings.RETENTION_CERTIFICATE_YEARS, "misuse": settings.RETENTION_MISUSE_YEARS,
                      "unused_account": settings.RETENTION_UNUSED_ACCOUNT_YEARS,
                      "import_file": settings.RETENTION_IMPORT_FILE_YEARS},
    })


def home(request):
    """Send each user to the home page of their current role."""
    role = current_role(request)
    if role is None:
        return render(request, "core/no_role.html")
    return redirect(menus.home_url_for(role))


def role_home(request, role: str):
    if role not in Role.values:
        raise Http404
    if not request.user.has_role(role):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if request.session.get("active_role") != role:  # a home viewed again writes no session
        request.session["active_role"] = role
    return render(request, "core/role_home.html", {
        "role": role, "role_label": Role(role).label, "items": menus.menu_for(role)[1:],
    })


@require_POST
def switch_role(request):
    role = request.POST.get("role", "")
    if request.user.has_role(role):
        request.session["active_role"] = role
        return redirect(menus.home_url_for(role))
    return redirect("home")


def broker_status() -> str:
    """'ok', 'down', or 'eager' (no broker configured: tasks run in-process)."""
    if not settings.CELERY_BROKER_URL:
        return "eager"
    try:
        import redis

        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1).ping()
        return "ok"
    except Exception:
        return "down"


@login_not_required
@never_cache
def healthz(request):
    """The database and private storage must work (else 503: this host cannot serve). Redis (the broker and, in
    production, the cache) and the worker's heartbeat are reported but never make it 503: without Redis, e-mails
    and tasks wait in the outbox and pages compute without the cache (certportal/cache.py), so this host still
    serves everyone, and failing every web host's health check over it would turn a delay into an outage. Then
    ``status`` is ``"degraded"`` and ``degraded`` names what is missing: alert on it, and on ``worker`` being
    ``"stale"`` or ``"missing"``. Without a broker (``make run``) tasks run in-process: ``"eager"``; a cache in the
    process itself is ``"local"``."""
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        db = "ok"
    except Exception:
        db = "down"
    broker = broker_status()
    cache = cache_status()
    storage = observability.storage_status()
    worker, age = observability.worker_status()
    healthy = db == "ok" and storage == "ok"
    degraded = [name for name, state in (("broker", broker), ("cache", cache)) if state == "down"]
    status = "unhealthy" if not healthy else "degraded" if degraded else "ok"
    return JsonResponse({"database": db, "broker": broker, "cache": cache, "storage": storage, "worker": worker,
                         "worker_heartbeat_age_seconds": age, "degraded": degraded, "status": status},
                        status=200 if healthy else 503)


@login_not_required
def error_403(request, exception=None):
    reason = exception.message if isinstance(exception, AccessRefused) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


@login_not_required
def error_404(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def error_500(request):
    """The 500 page touches no database: the error may have left this request's transaction broken (a query
    there would raise again), so no context processor runs (they count notifications and build the menu)."""
    import sys

    from .dbdown import DATABASE_ERRORS, close_broken, unavailable_response

    exc = sys.exc_info()[1]  # the handler runs while Django handles the exception
    if isinstance(exc, DATABASE_ERRORS):  # the database blinked before the view (a middleware's query): 503
        close_broken()
        return unavailable_response(request, exc)
    return HttpResponseServerError(loader.get_template("500.html").render({"LANGUAGE_CODE": get_language()}))

"""The deploy check that the limits on logins and public forms are shared by every web process.

``certportal.ratelimit`` counts in the Django cache. Without ``CACHE_URL`` or ``REDIS_URL`` production falls back
to the local-memory cache: each gunicorn worker then counts on its own, and a limit of 20 becomes 20 per worker.
``manage.py check --deploy`` warns (``certportal.W001``), so ``--fail-level WARNING`` stops the deploy.
"""

from django.conf import settings
from django.core import checks

PER_PROCESS = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")


@checks.register(checks.Tags.security, deploy=True)
def rate_limits_are_shared(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS:
        return [checks.Warning(
            "Rate limits (public forms, look-ups, the employers' API) would count per process: the cache is "
            f"{backend.rsplit('.', 1)[-1]}.",
            hint="Set REDIS_URL (or CACHE_URL) so every web process shares one count.",
            id="certportal.W001")]
    return []

"""Middleware of the core that must run before everything else."""

from django.http import HttpRequest

from . import views


class HealthzMiddleware:
    """Answer ``/healthz`` before host validation and the HTTPS redirect.

    Container and load-balancer probes call the portal by its internal address (``127.0.0.1:8000``), which
    ``ALLOWED_HOSTS`` rightly does not admit. The health answer builds no links from the Host header, so it is safe
    for any host; every other path still goes through ``ALLOWED_HOSTS``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path_info == "/healthz" and request.method in ("GET", "HEAD"):
            return views.healthz(request)
        return self.get_response(request)

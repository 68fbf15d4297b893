"""Middleware of the core: the health answer that runs before everything else, and the rule that no private
download is kept by a cache."""

from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.utils.cache import patch_cache_control

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


def is_download(request: HttpRequest, response) -> bool:
    """A response that is a file rather than a page: it names a file (``Content-Disposition``), is sent from a file
    or a stream (PDFs, uploads, CSV, ZIP), or is anything but an HTML page sent to a signed-in person or to a client
    that authenticated itself (a credential's JSON, a personal-data ZIP, the employers' API with its token)."""
    if response.has_header("Content-Disposition") or isinstance(response, FileResponse | StreamingHttpResponse):
        return True
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated) or "Authorization" in request.headers
    return signed_in and not response.get("Content-Type", "").startswith("text/html")


class PrivateDownloadMiddleware:
    """Every private download says ``Cache-Control: private, no-store`` (ASVS 8.2.1): one rule here, so that no
    view can forget it (the holder's credential did). A response that declares itself ``public`` (the credential
    status lists and keys, which anyone may fetch) or already says ``no-store`` is left as it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        control = response.get("Cache-Control", "")
        if "public" not in control and "no-store" not in control and is_download(request, response):
            patch_cache_control(response, private=True, no_store=True)
        return response

"""Sessions that end: after a spell without activity and after a fixed time at most (OWASP ASVS 3.3).

Staff see the queues and personal data of many people, so their sessions end after STAFF_SESSION_IDLE_MINUTES
(30) without a request and STAFF_SESSION_MAX_HOURS (12) after logging in, whatever they do. Applicants fill long
forms about themselves only, so they get a longer idle limit (APPLICANT_SESSION_IDLE_MINUTES, 120) and the same
kind of absolute limit (APPLICANT_SESSION_MAX_HOURS, 24). When a limit is passed the person is logged out and
sent to the login page with a message in their language; the login page's ``next`` brings them back.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _

STARTED = "_session_started"
SEEN = "_session_seen"
SEEN_WRITE_EVERY = 60  # seconds: write the last-seen time at most once a minute (a session write per request costs)


@receiver(user_logged_in)
def _stamp_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED] = now
        request.session[SEEN] = now


def limits_for(user) -> tuple[int, int]:
    """(idle seconds, absolute seconds) for this user."""
    if user.is_staff_member or user.is_staff:
        return settings.STAFF_SESSION_IDLE_MINUTES * 60, settings.STAFF_SESSION_MAX_HOURS * 3600
    return settings.APPLICANT_SESSION_IDLE_MINUTES * 60, settings.APPLICANT_SESSION_MAX_HOURS * 3600


def expiry_message(user, now: int, started: int, seen: int) -> str | None:
    idle, absolute = limits_for(user)
    if now - started > absolute:
        return _("For your security a session lasts at most %(hours)d hours. Please log in again; you will "
                 "return to the page you were on.") % {"hours": absolute // 3600}
    if now - seen > idle:
        return _("You were logged out after %(minutes)d minutes without activity. Please log in again; you will "
                 "return to the page you were on.") % {"minutes": idle // 60}
    return None


class SessionLimitMiddleware:
    """Placed after the authentication, user-language and message middlewares."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        session = request.session
        started, seen = session.setdefault(STARTED, now), session.setdefault(SEEN, now)
        message = expiry_message(user, now, started, seen)
        if message:
            return self._expired(request, message)
        if now - seen >= SEEN_WRITE_EVERY:
            session[SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _expired(request, message: str):
        language = translation.get_language() or settings.LANGUAGE_CODE
        back = request.get_full_path() if request.method == "GET" else request.path
        logout(request)  # flushes the session: the message goes into the new, anonymous one
        messages.info(request, message)
        response = redirect_to_login(back)
        # the login page speaks the language the person used, though their account no longer says so
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                            samesite="Lax")
        return response

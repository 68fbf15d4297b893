"""One guard for input no page of the portal takes, before any view sees it.

A NUL byte reaches PostgreSQL as "A string literal cannot contain NUL" (a 500) wherever a view looks a value up,
while SQLite answers; so rather than one check per view, :class:`InputGuardMiddleware` refuses, for every URL:

- control characters (NUL, ESC, DEL, C1) and lone surrogates in the path, the query string and a form body
  (urlencoded or multipart fields; a tab, line feed or carriage return is fine in a value: a textarea sends them);
  in a JSON body, in any string or key once parsed (``"a\\u0000b"``);
- bytes that are not UTF-8 (including overlong forms such as ``%C0%80``) in the path (or a ``%`` escape left in
  it once decoded), the query string and an urlencoded body (a multipart field's stray bytes arrive as U+FFFD, Django's own decoding: harmless);
- a path over ``MAX_PATH`` characters, a query string over ``MAX_QUERY`` bytes, a body over
  ``DATA_UPLOAD_MAX_MEMORY_SIZE``.

The answer is 400 with a page in the reader's language (their account's, else the language cookie), or a JSON
``{"detail": …}`` under ``/api/``; the input is never echoed. Uploaded files are not read: a PDF's binary bytes pass.
It sits after the middleware that sets the user, the language and the CSP nonce (settings ``MIDDLEWARE``);
:class:`CookieGuardMiddleware`, before the session middleware, drops a cookie holding a control character.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote_to_bytes

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

MAX_PATH = 2_048
MAX_QUERY = 200_000  # a search field takes 100 characters; nothing the portal sends comes near
PERCENT_LEFT = re.compile(r"%[0-9A-Fa-f]{2}")
CONTROL_IN_PATH = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
CONTROL_IN_VALUE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")  # tab, LF and CR allowed


class Refused(Exception):
    """The reason, already in the reader's language."""


def _raw(text: str) -> bytes:
    """The bytes the client sent: WSGI hands them over as Latin-1 text; ASGI servers decode UTF-8 themselves."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(_("The address or the form contains bytes that are not text (not UTF-8).")) from None


def _check_value(text: str) -> None:
    if CONTROL_IN_VALUE.search(text):
        raise Refused(_("The address or the form contains a control character (such as NUL)."))


def _check_encoded(data: bytes) -> None:
    """An urlencoded query string or body: each name and value decoded strictly, then checked."""
    for part in data.split(b"&"):
        for side in part.split(b"=", 1):
            _check_value(_decode(unquote_to_bytes(side.replace(b"+", b" "))))


def _check_path(request: HttpRequest) -> None:
    """Django has decoded the path already and put bytes that are not UTF-8 back as ``%XX``: no address of the
    portal holds a ``%``, so one left after decoding is such a byte (or input encoded twice)."""
    path = request.path_info
    if PERCENT_LEFT.search(path):
        raise Refused(_("The address or the form contains bytes that are not text (not UTF-8)."))
    if len(path) > MAX_PATH:
        raise Refused(_("The address is too long."))
    if CONTROL_IN_PATH.search(path):
        raise Refused(_("The address or the form contains a control character (such as NUL)."))


def _check_json(value) -> None:
    if isinstance(value, str):
        _check_value(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_value(key)
            _check_json(item)
    elif isinstance(value, list):
        for item in value:
            _check_json(item)


def _check_body(request: HttpRequest) -> None:
    kind = request.content_type or ""
    try:
        if kind == "application/x-www-form-urlencoded":
            _check_encoded(request.body)
        elif kind == "multipart/form-data":
            for _name, values in request.POST.lists():
                _check_value(_name)
                for value in values:
                    _check_value(value)
        elif kind == "application/json" or kind.endswith("+json"):
            try:
                data = json.loads(request.body)
            except ValueError:
                return  # not JSON: the view answers that in its own words
            _check_json(data)
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        raise Refused(_("The form is too large.")) from None
    except MultiPartParserError:
        raise Refused(_("The form could not be read.")) from None


def problem(request: HttpRequest) -> str | None:
    """Why the request is refused, in the reader's language, or None."""
    try:
        _check_path(request)
        query = request.META.get("QUERY_STRING", "")
        if len(query) > MAX_QUERY:
            raise Refused(_("The address is too long."))
        _check_encoded(_raw(query))
        _check_body(request)
    except Refused as exc:
        return str(exc)
    return None


def refuse(request: HttpRequest, reason: str):
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": reason}, status=400)
    return render(request, "core/input_refused.html", {"reason": reason}, status=400)


class CookieGuardMiddleware:
    """Before the session is read: a cookie whose name or value holds a control character is dropped, as if it had
    not been sent (a NUL in the session cookie would reach PostgreSQL in the session look-up: a 500 on every page).
    A browser never sends one; nothing to explain, so no page: the visitor is simply not logged in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        cookies = request.COOKIES
        for name in [n for n, v in cookies.items() if CONTROL_IN_PATH.search(n) or CONTROL_IN_PATH.search(v)]:
            del cookies[name]
        return self.get_response(request)


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        reason = problem(request)
        if reason is not None:
            return refuse(request, reason)
        return self.get_response(request)

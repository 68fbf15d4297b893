"""One guard for input no page of the portal takes, before any view sees it.

A NUL byte reaches PostgreSQL as "A string literal cannot contain NUL" (a 500) wherever a view looks a value up,
while SQLite answers; so rather than one check per view, :class:`InputGuardMiddleware` refuses, for every URL:

- control characters (NUL, ESC, DEL, C1) and lone surrogates in the path, the query string and a form body
  (urlencoded or multipart fields, and an uploaded file's name; a tab, line feed or carriage return is fine in a
  value: a textarea sends them); in any body that parses as JSON, whatever its content type (the API reads every
  body as JSON: ``text/plain``, a form type or none at all), in any string or key once parsed (``"a\\u0000b"``,
  ``"\\ud800"``);
- bytes that are not UTF-8 (including overlong forms such as ``%C0%80``) in the path (or a ``%`` escape left in
  it once decoded), the query string and an urlencoded body (a multipart field's stray bytes arrive as U+FFFD, Django's own decoding: harmless);
- a path over ``MAX_PATH`` characters, a query string over ``MAX_QUERY`` bytes, a body over
  ``DATA_UPLOAD_MAX_MEMORY_SIZE``.

The answer is 400 with a page in the reader's language (their account's, else the language cookie), or a JSON
``{"detail": …}`` under ``/api/``; the input is never echoed. Uploaded files are not read here (a PDF's binary
bytes pass): what reads one checks what it takes from it (:func:`json_problem` for an uploaded JSON, the XLSX and CSV
importers their cells). Should anything still carry such a character to the database, :meth:`InputGuardMiddleware.
process_exception` answers the same 400 instead of a 500 (the safety net; psycopg refuses NUL and lone surrogates).
It sits after the middleware that sets the user, the language and the CSP nonce (settings ``MIDDLEWARE``);
:class:`CookieGuardMiddleware`, before the session middleware, drops a cookie holding a control character.
"""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import unquote_to_bytes

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

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
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            _check_value(item)
        elif isinstance(item, dict):
            for key, child in item.items():
                _check_value(str(key))
                stack.append(child)
        elif isinstance(item, list):
            stack.extend(item)


def json_problem(value) -> str | None:
    """Why a parsed JSON value cannot be taken (a control character or a lone surrogate in a string or a key), in
    the reader's language, or None."""
    try:
        _check_json(value)
    except Refused as exc:
        return str(exc)
    return None


def _check_any_json(body: bytes) -> None:
    """A body that parses as JSON is checked as JSON whatever its declared type: the API parses it so."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return  # not JSON: the view answers that in its own words
    _check_json(data)


def _check_body(request: HttpRequest) -> None:
    kind = request.content_type or ""
    try:
        if kind == "multipart/form-data":
            for _name, values in request.POST.lists():
                _check_value(_name)
                for value in values:
                    _check_value(value)
            for _name, upload in request.FILES.items():
                _check_value(_name)
                _check_value(str(upload.name or ""))
            return
        if kind == "application/x-www-form-urlencoded":
            _check_encoded(request.body)
        if request.body:
            _check_any_json(request.body)
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


def _refused_by_database(exc: Exception) -> bool:
    """psycopg's refusal of a NUL ("PostgreSQL text fields cannot contain NUL (0x00) bytes") or of a string it
    cannot encode (a lone surrogate: UnicodeEncodeError 'surrogates not allowed')."""
    text = str(exc)
    if isinstance(exc, UnicodeEncodeError):
        return "surrogate" in text
    return isinstance(exc, (ValueError, DatabaseError)) and "NUL (0x00)" in text


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        reason = problem(request)
        if reason is not None:
            return refuse(request, reason)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        """The safety net: input that reached the database with a character it refuses is the client's 400 (the
        transaction was rolled back), logged so that the channel that let it through is found and closed."""
        if not _refused_by_database(exception):
            return None
        log.warning("input with a character the database refuses reached it: %s %s", request.method,
                    request.path_info[:200].encode("unicode_escape").decode())
        return refuse(request, _("The address or the form contains a control character (such as NUL)."))

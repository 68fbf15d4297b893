"""Notify a person: an in-portal notification plus an e-mail, both in the recipient's language.

Templates: ``<template>_subject.txt`` and ``<template>_body.txt`` rendered with ``context`` under
``translation.override(user.preferred_language)``. E-mail is a row in the core's outbox, written in the
surrounding transaction and handed to a Celery task after commit; when the broker cannot be reached the row
waits and the periodic relay sends it once the broker is back, so a broken broker never breaks a page and
never loses a mail (see :mod:`certportal.outbox`).
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import Notification


def absolute_url(path: str) -> str:
    if not path or path.startswith("http"):
        return path
    return f"{settings.SITE_URL}{path}"


def render_message(template: str, context: dict, language: str) -> tuple[str, str]:
    with translation.override(language):
        ctx = {"site_url": settings.SITE_URL, "portal_name": settings.PORTAL_NAME, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
        body = render_to_string(f"{template}_body.txt", ctx).strip()
    return subject, body


def render_short(template: str, context: dict, language: str) -> str | None:
    """The in-portal text: ``<template>_short.txt`` when the template has one (a sentence, not the e-mail's
    greeting, body and link), else None (the e-mail body is shown)."""
    from django.template import TemplateDoesNotExist

    with translation.override(language):
        try:
            text = render_to_string(f"{template}_short.txt", {"portal_name": settings.PORTAL_NAME, **context})
        except TemplateDoesNotExist:
            return None
    return " ".join(text.split())


def in_portal_text(template: str, context: dict, language: str) -> dict:
    """The in-portal notice in ``language``: the e-mail's subject and the short text (or the e-mail's body)."""
    subject, body = render_message(template, context, language)
    short = render_short(template, context, language)
    return {"subject": subject, "body": body if short is None else short}


def notify(user, *, template: str, context: dict | None = None, url: str = "", key: str | None = None,
           email: bool = True, in_portal: bool = True) -> Notification | None:
    """Send one notice to ``user``. With ``key``, a second call with the same key does nothing (returns None)."""
    context = {"user": user, "url": absolute_url(url), **(context or {})}
    language = user.preferred_language or settings.LANGUAGE_CODE
    subject, body = render_message(template, context, language)
    note = None
    if in_portal:
        # the portal's copy never stores the site's address: it links by path, so it follows SITE_URL (a demo
        # loaded under one address and served under another still links right)
        texts = {code: in_portal_text(template, {**context, "url": url}, code) for code, _name in settings.LANGUAGES}
        mine = texts.get(language) or in_portal_text(template, {**context, "url": url}, language)
        try:
            with transaction.atomic():
                note = Notification.objects.create(user=user, template=template, subject=mine["subject"],
                                                   body=mine["body"], texts=texts, url=url, key=key)
        except IntegrityError:
            return None  # already sent under this key
    if email and user.email:
        send_email_later(to=[user.email], subject=subject, body=body)
    return note


def send_email_later(*, to: list[str], subject: str, body: str) -> None:
    """Queue an e-mail in the outbox (same transaction as the caller's change); it leaves after commit."""
    from certportal.outbox import enqueue

    enqueue("certportal.notifications.tasks.send_email", to=list(to), subject=subject, body=body)


def mark_read(user, notification_id: int | None = None) -> int:
    from django.utils import timezone

    from .unread import forget

    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    marked = qs.update(read_at=timezone.now())
    forget(user.pk)  # an update sends no signal
    return marked

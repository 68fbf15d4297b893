"""The unread count in every page's header, kept per person until one of their notices changes.

Every page a person opens shows how many of their notices are unread: counted on each view, it was a query of
every page (issue 47). It is kept in the cache beside a version number of the person's notices, read together in
one round trip; a notice saved or deleted (the signals) or marked read (:func:`certportal.notifications.services
.mark_read`, a ``QuerySet.update()`` no signal reports, calls :func:`forget`) moves the version
(:mod:`certportal.versions`), now and again when the transaction commits. Kept for
``REPORT_FIGURES_CACHE_SECONDS`` at most; with 0 it is counted on each view.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from certportal import versions

from .models import Notification


def _keys(user_id: int) -> tuple[str, str]:
    return f"notifications:unread-version:{user_id}", f"notifications:unread:{user_id}"


def unread_count(user) -> int:
    """How many of ``user``'s notices are unread."""
    seconds = settings.REPORT_FIGURES_CACHE_SECONDS
    if not seconds:
        return _count(user)
    version_key, count_key = _keys(user.pk)
    found = cache.get_many([version_key, count_key])
    version = found[version_key] if version_key in found else versions.start(version_key)
    kept = found.get(count_key)
    if kept is not None and kept[0] == version:
        return kept[1]
    count = _count(user)
    cache.set(count_key, (version, count), seconds)
    return count


def _count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def forget(user_id: int) -> None:
    """``user_id``'s kept count is counted again on their next page (now, and when the transaction commits)."""
    versions.move(_keys(user_id)[0])


def _changed(sender, instance: Notification, **kwargs) -> None:
    forget(instance.user_id)


def watch() -> None:
    """Forget a person's count whenever one of their notices is saved or deleted (``NotificationsConfig.ready``)."""
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_changed, sender=Notification, dispatch_uid="notifications-unread-save")
    post_delete.connect(_changed, sender=Notification, dispatch_uid="notifications-unread-delete")

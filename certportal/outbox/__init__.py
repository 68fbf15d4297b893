"""A transactional outbox: task requests (e-mail included) written as rows in the same transaction as the
change that causes them, handed to the broker after commit, and relayed later when the broker was down.

    from certportal.outbox import enqueue
    enqueue("certportal.notifications.tasks.send_email", to=[...], subject=..., body=...)

A broker that is down therefore costs nobody their request: publishing gives up within about a second
(settings: CELERY_BROKER_TRANSPORT_OPTIONS, CELERY_BROKER_CONNECTION_TIMEOUT, publish retry off), the row
stays ``pending`` and the periodic relay (beat, every OUTBOX_RELAY_SECONDS) or the next successful publish
sends it. Each row is claimed under a row lock before it is published and marked sent in the same
transaction, so a row is published once however many relays run at the same time.
"""



def enqueue(task: str, **kwargs):
    """See :func:`certportal.outbox.services.enqueue` (imported late: this package loads before the apps)."""
    from .services import enqueue as _enqueue

    return _enqueue(task, **kwargs)

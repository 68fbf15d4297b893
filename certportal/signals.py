"""Signals that let a lower layer react to a higher one without importing it.

``service_delivered`` (CONTRACT): sent by assessments when a certificate or a result letter is handed over
and by complaints when a complaint is closed. Complaints listens and invites the person to the satisfaction
survey (one invitation per delivery ``reference``).

    service_delivered.send(sender=Certificate, user=<User or None>, email="x@y", name="...",
                           reference="certificate:123", scheme_code="SS-02/...", language="id")
"""

from django.dispatch import Signal

service_delivered = Signal()

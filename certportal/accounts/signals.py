"""Signals other apps listen to, so the core imports no domain app.

``account_deactivated.send(sender=User, user=..., actor=..., reason=...)`` is sent inside the transaction that
deactivates a staff account (e.g. the assessments app deactivates the person's assessor record).
"""

from django.dispatch import Signal

account_deactivated = Signal()

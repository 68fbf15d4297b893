
"""What follows a staff account deactivated, for apps above the core (an extension point, not a signal: its
providers are listed in docs/extension-points.md).

``account_deactivated(user, actor=..., reason=...)`` is called inside the transaction that deactivates a staff
account (e.g. the assessments app deactivates the person's assessor record).
"""

from typing import Any

from certportal.registry import ExtensionPoint

ACCOUNT_DEACTIVATED: ExtensionPoint[Any] = ExtensionPoint(
    "core.account_deactivated",
    "fn(*, user, actor, reason) -> None: a staff account was deactivated, called inside that transaction (what "
    "the person may no longer do elsewhere ends with it)", many=True)


def account_deactivated(user, *, actor, reason: str) -> None:
    for fn in ACCOUNT_DEACTIVATED.all():
        fn(user=user, actor=actor, reason=reason)


"""What follows a service delivered, for apps above the ones that deliver it (an extension point, not a signal:
its providers are listed in docs/extension-points.md).

:data:`SERVICE_DELIVERED`: assessments tells it when a certificate or a result letter is handed over and
complaints when a complaint is closed (both after the commit); complaints provides the invitation to the
satisfaction survey (one invitation per delivery ``reference``).

    service_delivered(kind="certificate", user=<User or None>, email="x@y", name="...",
                      reference="certificate:123", scheme_code="SS-02/...", language="id")
"""

from typing import Any

from certportal.registry import ExtensionPoint

SERVICE_DELIVERED: ExtensionPoint[Any] = ExtensionPoint(
    "core.service_delivered",
    "fn(*, kind, reference, user, email, name, scheme_code, language) -> None: a service was delivered (a "
    "certificate or result letter handed over, a complaint closed), told after the commit", many=True)


def service_delivered(**delivery) -> None:
    """Tell every provider of :data:`SERVICE_DELIVERED` (see the module's docstring for the fields)."""
    for fn in SERVICE_DELIVERED.all():
        fn(**delivery)

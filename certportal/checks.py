"""System checks of the portal's own wiring (``manage.py check`` and every ``runserver``/``migrate`` run them).

``certportal.E001``: a required extension point (:mod:`certportal.registry`) has no provider. The portal refuses
to start rather than run with a guard switched off (a declaration of interest nobody checks).
"""

from __future__ import annotations

from django.core import checks

from certportal import registry

TAG = "extension_points"


def missing_providers(points=None) -> list[checks.CheckMessage]:
    """An Error per required point in ``points`` (default: every declared point) that nothing provides."""
    wanted = registry.points() if points is None else points
    return [checks.Error(
        f"The required extension point {p.name!r} has no provider.",
        hint=f"{p.carries}. Declared in {p.module}; install the app that provides it, or provide it from an "
             f"AppConfig.ready() (see docs/extension-points.md).",
        obj=p.name, id="certportal.E001") for p in wanted if p.required and not p.provided()]


def check_extension_points(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return missing_providers()


def register() -> None:
    """Called from ``CoreConfig.ready()``."""
    checks.register(check_extension_points, TAG)

"""``docs/extension-points.md``, written from the declared extension points (:mod:`certportal.registry`) and who
provides them in the installed portal: ``python manage.py extension_points`` writes it, ``--check`` compares."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from certportal import registry

PAGE = Path("docs") / "extension-points.md"
INTRO = """# Extension points

What one app needs from another, where the lower app may not import the higher one: each point is declared once,
in the app that asks (`certportal.registry.ExtensionPoint`), with what it carries and whether a provider is
required; the apps above provide it from their `AppConfig.ready()`. A second provider of a point that takes one is
refused at start-up. A required point without a provider stops the portal (`manage.py check`, system check
`certportal.E001`); asked anyway, a guard refuses the act with an explanation and any other point raises, so no
rule switches itself off. See [the architecture guide](architecture.md#layers-and-apps).

This page is generated: `python manage.py extension_points` writes it again after a point or a provider changes
(a test fails while it differs).
"""


def _takes(point: registry.ExtensionPoint) -> str:
    if point.keyed:
        return "many per key" if point.many else "one per key"
    return "many" if point.many else "exactly one"


def _providers(point: registry.ExtensionPoint) -> list[str]:
    """The modules that provide ``point``, without what a running test may have added."""
    return sorted({p.module for p in point.provisions() if not p.module.startswith("tests")})


def _required(point: registry.ExtensionPoint) -> str:
    if not point.required:
        return "no"
    if point.refusal is not None:
        return f"yes: without a provider the act is refused (\u201c{point.refusal}\u201d)"
    return "yes: without a provider the portal does not start, and asking raises `MissingProvider`"


def _section(point: registry.ExtensionPoint) -> list[str]:
    who = ", ".join(f"`{m}`" for m in _providers(point)) or "nobody"
    return [f"### `{point.name}`", "", f"- Carries: {point.carries.replace('|', 'or')}",
            f"- Declared in: `{point.module}`", f"- Required: {_required(point)}",
            f"- Providers: {_takes(point)}", f"- Provided by: {who}", ""]


def render() -> str:
    from django.utils import translation

    points = registry.points()
    lines = [INTRO, "| Point | Required | Providers | Provided by (apps) |", "| --- | --- | --- | --- |"]
    for point in points:
        apps = sorted({m.split(".")[0] for m in _providers(point)})
        lines.append(f"| [`{point.name}`](#{point.name.replace('.', '')}) | {'yes' if point.required else 'no'} | "
                     f"{_takes(point)} | {', '.join(apps) or 'nobody'} |")
    lines.append("")
    with translation.override("en"):
        for area in sorted({p.name.split(".")[0] for p in points}):
            lines += [f"## {area}", ""]
            for point in points:
                if point.name.split(".")[0] == area:
                    lines += _section(point)
    return "\n".join(lines).rstrip("\n") + "\n"


def path() -> Path:
    return Path(settings.BASE_DIR) / PAGE

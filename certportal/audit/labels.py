
"""The labels of audit action codes, in the reader's language: the trail records codes, pages show these.

Whoever records an action registers its label here: the workflow core the actions of every machine it is given
(:func:`certportal.workflow.register`), an app its other actions from its ``audit_labels.py``. The trail's filter
(``audit_action``) asks here first; the core's own actions have their labels beside the filter.
"""

from typing import Any

from certportal.registry import ExtensionPoint

LABELS: ExtensionPoint[Any] = ExtensionPoint("core.action_label", "a label (text), keyed by an audit action code: what the audit trail "
                        "calls the action", keyed=True,
                        wrappers=("certportal.workflow.registry",))  # the machines' labels: the app registers them


def register_labels(labels: dict[str, object]) -> None:
    """Labels of audit action codes (lazy translations), by code."""
    for code, label in labels.items():
        LABELS.provide(label, key=code)


def action_label(code: str) -> str | None:
    label = LABELS.get(code)
    return str(label) if label is not None else None

"""The labels of audit action codes, in the reader's language: the trail records codes, pages show these.

Whoever records an action registers its label here: the workflow core the actions of every machine it is given
(:func:`certportal.workflow.register`), an app its other actions from its ``audit_labels.py``. The trail's filter
(``audit_action``) asks here first; the core's own actions have their labels beside the filter.
"""

_LABELS: dict[str, object] = {}


def register_labels(labels: dict[str, object]) -> None:
    """Labels of audit action codes (lazy translations), by code; a code registered again takes the later label."""
    _LABELS.update(labels)


def action_label(code: str) -> str | None:
    label = _LABELS.get(code)
    return str(label) if label is not None else None

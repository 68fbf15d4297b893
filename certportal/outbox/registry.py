"""Labels of the tasks sent through the outbox, for the failed-messages page (apps register theirs in ``ready()``).

    from certportal.outbox.registry import register_task_label
    register_task_label("schemes.tasks.parse_decree", _("Reading an imported decree"))
"""

from __future__ import annotations

_LABELS: dict[str, object] = {}


def register_task_label(task: str, label) -> None:
    _LABELS[task] = label


def task_label(task: str) -> str:
    label = _LABELS.get(task)
    return str(label) if label is not None else task

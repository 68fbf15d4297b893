"""Labels of the tasks sent through the outbox, for the failed-messages page (apps register theirs in ``ready()``).

    from certportal.outbox.registry import register_task_label
    register_task_label("schemes.tasks.parse_decree", _("Reading an imported decree"))
"""

from __future__ import annotations

from typing import Any

from certportal.registry import ExtensionPoint

LABELS: ExtensionPoint[Any] = ExtensionPoint("core.task_label", "a label (text), keyed by a Celery task's name: what the failed-messages "
                        "page calls the task", keyed=True)


def register_task_label(task: str, label) -> None:
    LABELS.provide(label, key=task)


def task_label(task: str) -> str:
    label = LABELS.get(task)
    return str(label) if label is not None else task

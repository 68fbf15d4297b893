"""The workflow core: apps declare their state machines, the core takes the transitions.

See :mod:`certportal.workflow.registry` (declaring and registering), :mod:`certportal.workflow.engine`
(``transition``, ``allowed_actions``, the ``transitioned`` signal for observers), :mod:`certportal.workflow.effects`
(what a transition causes, declared on it) and :mod:`certportal.workflow.views`
(the one view helper). The core imports no domain app: apps register themselves in ``AppConfig.ready()``.
"""

from .effects import after_commit, reason_in, stamp_once
from .engine import Action, allowed_actions, read_once, transition, transitioned
from .registry import Effect, Machine, Moved, Transition, action_label, machine_for, register, register_labels

__all__ = ["Action", "Effect", "Machine", "Moved", "Transition", "action_label", "after_commit", "allowed_actions",
           "machine_for", "read_once", "reason_in", "register", "register_labels", "stamp_once", "transition", "transitioned"]

"""The workflow core: apps declare their state machines, the core takes the transitions.

See :mod:`certportal.workflow.registry` (declaring and registering), :mod:`certportal.workflow.engine`
(``transition``, ``allowed_actions``, the ``transitioned`` signal) and :mod:`certportal.workflow.views`
(the one view helper). The core imports no domain app: apps register themselves in ``AppConfig.ready()``.
"""

from .engine import Action, allowed_actions, transition, transitioned
from .registry import Machine, Transition, action_label, machine_for, register, register_labels

__all__ = ["Action", "Machine", "Transition", "action_label", "allowed_actions", "machine_for", "register",
           "register_labels", "transition", "transitioned"]

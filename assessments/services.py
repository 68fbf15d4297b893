"""The assessments app's services under one name, for the demo, the benchmarks and the test suite
(``from assessments import services``; ``services.event_create(...)``).

The services live in the app's rooms: the test event (:mod:`assessments.events.services`) and the assessment
instruments (:mod:`assessments.instruments.services`); the certificates have their own
(:mod:`assessments.certificates.services`). Code inside the app calls its own room's services, never this module.
"""

from assessments.events.services import *  # noqa: F403
from assessments.events.services import __all__ as _events
from assessments.instruments.services import *  # noqa: F403
from assessments.instruments.services import __all__ as _instruments

__all__ = [*_events, *_instruments]

"""Every model of the assessments app, for Django (which loads an app's models from ``<app>.models``) and for the
other apps' migrations. The models live in the app's rooms: the test event (:mod:`assessments.events.models`), the
assessment instruments (:mod:`assessments.instruments.models`) and the certificates
(:mod:`assessments.certificates.models`). Code inside the app imports them from their room, never from here.

Every status change goes through a service of its room; what a certificate or result letter prints is frozen on
its row at issue time. The app label stays ``assessments``: tables, URLs, templates and audit codes are those of
the app before it was split into rooms.
"""

from assessments.certificates.models import *  # noqa: F403
from assessments.certificates.models import __all__ as _certificates
from assessments.certificates.register_models import *  # noqa: F403
from assessments.certificates.register_models import __all__ as _register
from assessments.certificates.scope_models import *  # noqa: F403
from assessments.certificates.scope_models import __all__ as _scope
from assessments.events.models import *  # noqa: F403
from assessments.events.models import __all__ as _events
from assessments.instruments.models import *  # noqa: F403
from assessments.instruments.models import __all__ as _instruments

__all__ = [*_events, *_instruments, *_certificates, *_scope, *_register]

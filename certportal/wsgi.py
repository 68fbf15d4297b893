import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certportal.settings.prod")
application = get_wsgi_application()

# This process serves pages: without a broker (`make run`), its background work runs on threads beside it.
from certportal.outbox import embedded  # noqa: E402  (the apps are loaded by now)

embedded.activate()

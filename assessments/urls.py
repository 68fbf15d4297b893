"""Every address of the assessments app, in one namespace (``assessments:…``): each room keeps its own."""

from assessments.certificates.urls import urlpatterns as certificates
from assessments.events.urls import urlpatterns as events
from assessments.instruments.urls import urlpatterns as instruments

app_name = "assessments"

urlpatterns = [*events, *instruments, *certificates]

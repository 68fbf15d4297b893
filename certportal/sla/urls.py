from django.urls import path

from . import views

app_name = "sla"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kalender/", views.calendar_view, name="calendar"),
    path("kalender/<int:pk>/hapus/", views.calendar_remove, name="calendar-remove"),
    path("kalender/pekan/", views.workweek, name="workweek"),
    path("kebijakan/", views.policies, name="policies"),
    path("kebijakan/<slug:code>/", views.policy_edit, name="policy-edit"),
]

"""The LSP's own records under /mutu/: each room keeps its own urls module, included here without a prefix of its
own (its paths start with the room's Indonesian word)."""

from django.urls import include, path

app_name = "quality"

urlpatterns: list = [
    path("", include("quality.competence.urls")),  # the competence of personnel: /mutu/kompetensi/
    path("", include("quality.impartiality.urls")),
    path("", include("quality.reports.urls")),
    path("", include("quality.retention.urls")),
    path("", include("quality.system.urls")),  # the management system: /mutu/sistem/
]

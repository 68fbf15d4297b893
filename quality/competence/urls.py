"""The competence pages, under /mutu/kompetensi/ (included by quality/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("kompetensi/", views.person_list, name="competence-list"),
    path("kompetensi/saya/", views.mine, name="competence-mine"),
    path("kompetensi/kriteria/", views.criteria, name="competence-criteria"),
    path("kompetensi/kriteria/<int:pk>/ubah/", views.criterion_edit, name="competence-criterion-edit"),
    path("kompetensi/orang/<int:pk>/", views.person_detail, name="competence-person"),
    path("kompetensi/orang/<int:pk>/catatan/<str:kind>/", views.record_add, name="competence-record-add"),
    path("kompetensi/bukti/<int:pk>/berkas/", views.evidence_file, name="competence-evidence-file"),
]

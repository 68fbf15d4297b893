from django.urls import path

from . import views

urlpatterns = [
    path("ketidakberpihakan/", views.overview, name="impartiality"),
    path("ketidakberpihakan/komite/baru/", views.member_edit, name="committee-add"),
    path("ketidakberpihakan/komite/<int:pk>/ubah/", views.member_edit, name="committee-edit"),
    path("ketidakberpihakan/rapat/baru/", views.meeting_record, name="committee-meeting-add"),
    path("ketidakberpihakan/analisis/baru/", views.analysis_create, name="threat-analysis-create"),
    path("ketidakberpihakan/analisis/<int:pk>/", views.analysis_detail, name="threat-analysis"),
    path("ketidakberpihakan/analisis/<int:pk>/ancaman/", views.threat_add, name="threat-add"),
    path("ketidakberpihakan/analisis/<int:pk>/bukti/", views.threat_evidence, name="threat-evidence"),
    path("ketidakberpihakan/analisis/<int:pk>/setujui/", views.analysis_approve, name="threat-analysis-approve"),
    path("pernyataan/", views.declaration_sign, name="declaration-sign"),
]

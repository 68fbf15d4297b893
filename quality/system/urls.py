"""The management system's pages, under /mutu/sistem/ (included by quality/urls.py)."""

from django.urls import path

from .views import actions, documents, duties, reviews

urlpatterns = [
    path("sistem/", reviews.home, name="system-home"),
    path("sistem/audit/baru/", reviews.review_create, name="system-review-create"),
    path("sistem/audit/<int:pk>/", reviews.review_detail, name="system-review"),
    path("sistem/audit/<int:pk>/temuan/", reviews.finding_add, name="system-finding-add"),
    path("sistem/audit/<int:pk>/simpulkan/", reviews.review_conclude, name="system-review-conclude"),
    path("sistem/tindakan/", actions.action_list, name="system-actions"),
    path("sistem/tindakan/saya/", actions.my_actions, name="system-my-actions"),
    path("sistem/tindakan/<int:pk>/", actions.action_detail, name="system-action"),
    path("sistem/tindakan/<int:pk>/bukti/", actions.evidence_add, name="system-action-evidence"),
    path("sistem/tindakan/<int:pk>/bukti/<int:evidence_id>/", actions.evidence_file, name="system-evidence-file"),
    path("sistem/tindakan/<int:pk>/penyebab/", actions.action_analysis, name="system-action-analysis"),
    path("sistem/tindakan/<int:pk>/selesai/", actions.action_complete, name="system-action-complete"),
    path("sistem/tindakan/<int:pk>/kembalikan/", actions.action_return, name="system-action-return"),
    path("sistem/tindakan/<int:pk>/tutup/", actions.action_close, name="system-action-close"),
    path("sistem/kewajiban/", duties.duty_list, name="system-duties"),
    path("sistem/dokumen/", documents.document_list, name="system-documents"),
    path("sistem/dokumen/baru/", documents.document_create, name="system-document-create"),
    path("sistem/dokumen/<int:pk>/", documents.document_detail, name="system-document"),
    path("sistem/dokumen/<int:pk>/versi-baru/", documents.version_upload, name="system-version-upload"),
    path("sistem/dokumen/versi/<int:pk>/setujui/", documents.version_approve, name="system-version-approve"),
    path("sistem/dokumen/versi/<int:pk>/berkas/", documents.version_file, name="system-version-file"),
]

from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "applicants"

urlpatterns = [
    # applicant
    path("saya/", views.my_applications, name="mine"),
    path("saya/profil/", views.profile_edit, name="profile"),
    # moved to the account (every person may download their data, not only applicants)
    path("saya/data-pribadi/", RedirectView.as_view(pattern_name="accounts:personal-data"), name="personal-data"),
    path("baru/", views.scheme_choose, name="start"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/isi/data/", views.step_data, name="step-data"),
    path("<int:pk>/isi/dokumen/", views.step_documents, name="step-documents"),
    path("<int:pk>/isi/dokumen/<int:doc_pk>/", views.document_upload, name="upload"),
    path("<int:pk>/isi/berkas/<int:file_pk>/hapus/", views.document_file_remove, name="file-remove"),
    path("<int:pk>/isi/asesmen-mandiri/", views.step_self_assessment, name="step-self-assessment"),
    path("<int:pk>/isi/kirim/", views.step_submit, name="step-submit"),
    path("<int:pk>/tarik/", views.withdraw, name="withdraw"),
    path("<int:pk>/fr-apl-01.pdf", views.apl01_pdf, name="apl01"),
    path("<int:pk>/fr-apl-02.pdf", views.apl02_pdf, name="apl02"),
    path("berkas/<int:file_pk>/", views.document_file_open, name="file"),
    # verifier
    path("antrian/", views.queue, name="queue"),
    path("antrian/ringkasan-harian/", views.digest_switch, name="digest-switch"),
    path("antrian/ekspor.<str:fmt>", views.queue_export, name="queue-export"),
    path("rekap-unit/", views.unit_recap, name="unit-recap"),
    path("perangkat-daerah/", views.agencies, name="agencies"),
    path("penetapan/", views.name_participants, name="naming"),
    path("verifikasi/<int:pk>/", views.verify_screen, name="verify"),
    path("verifikasi/<int:pk>/dokumen/<int:doc_pk>/", views.verify_document, name="verify-document"),
    path("verifikasi/<int:pk>/terima-semua/", views.verify_accept_remaining, name="verify-accept-remaining"),
    path("verifikasi/<int:pk>/cek/", views.verify_check, name="verify-check"),
    path("verifikasi/<int:pk>/keputusan/", views.verify_decide, name="verify-decide"),
]

"""The certificates' addresses (names in the ``assessments`` namespace, composed in :mod:`assessments.urls`)."""

from django.urls import path

from assessments.certificates.credentials import views as credentials
from assessments.certificates.views import bnsp, documents, holder, public

urlpatterns = [
    path("acara/<int:pk>/dokumen/<slug:doc>.pdf", documents.event_document, name="event-document"),
    path("acara/<int:pk>/dokumen/arsip/", documents.event_archive, name="event-archive"),
    path("acara/<int:pk>/cetak/", documents.print_start, name="print-start"),
    path("cetak/<int:pk>/status.json", documents.print_status, name="print-status"),
    path("cetak/<int:pk>/unduh/", documents.print_download, name="print-download"),
    path("cetak/<int:pk>/ulangi/", documents.print_retry, name="print-retry"),
    path("pleno/<int:pk>/surat-keputusan.pdf", documents.pleno_letter, name="pleno-letter"),
    path("peserta/<int:pk>/terbitkan/", documents.participant_issue, name="issue"),
    path("sertifikat/", documents.certificate_list, name="certificates"),
    path("sertifikat/bnsp/", bnsp.batch, name="bnsp"),
    path("sertifikat/bnsp/ekspor/", bnsp.export, name="bnsp-export"),
    path("sertifikat/bnsp/unggah/", bnsp.upload, name="bnsp-upload"),
    path("sertifikat/bnsp/isi/", bnsp.typed, name="bnsp-typed"),
    path("sertifikat/bnsp/tinjau/", bnsp.review, name="bnsp-review"),
    path("sertifikat/<int:pk>/", documents.certificate_detail, name="certificate"),
    path("sertifikat/<int:pk>/pdf/", documents.certificate_pdf, name="certificate-pdf"),
    path("sertifikat/<int:pk>/status/", documents.certificate_status, name="certificate-status"),
    path("sertifikat/<int:pk>/serah-terima/", documents.certificate_handover, name="certificate-handover"),
    path("sertifikat/<int:pk>/ganti/", documents.certificate_replace, name="certificate-replace"),
    path("surat/<int:pk>/pdf/", documents.letter_pdf, name="letter-pdf"),
    path("surat/<int:pk>/serah-terima/", documents.letter_handover, name="letter-handover"),
    path("saya/sertifikat/<int:pk>/", holder.holder_certificate, name="holder-certificate"),
    path("saya/sertifikat/<int:pk>/sertifikasi-ulang/", holder.recertify, name="recertify"),
    path("laporan-pemegang/", holder.holder_reports, name="holder-reports"),
    path("laporan-pemegang/<int:pk>/tinjau/", holder.holder_report_review, name="holder-report-review"),
    path("surveilans/", holder.surveillance_queue, name="surveillance"),
    path("surveilans/<int:pk>/tinjau/", holder.surveillance_review, name="surveillance-review"),
    path("surveilans/berkas/<int:pk>/", holder.surveillance_file, name="surveillance-file"),
    path("token-api/", holder.api_tokens, name="api-tokens"),
    path("token-api/<int:pk>/cabut/", holder.api_token_revoke, name="api-token-revoke"),
    path("token-api/<int:pk>/perpanjang/", holder.api_token_renew, name="api-token-renew"),
    path("verifikasi/", public.verify, name="verify"),
    path("verifikasi/dokumen/", public.verify_document, name="verify-document"),
    path("verifikasi/kredensial/", credentials.verify_upload, name="verify-credential"),
    path("saya/sertifikat/<int:pk>/kredensial.json", credentials.holder_download, name="credential-download"),
    path("kredensial/<str:token>.json", credentials.link, name="credential-link"),
    path("kredensial/status/<slug:purpose>.json", credentials.status_list, name="credential-status-list"),
    path("kredensial-kunci.json", credentials.key_list, name="credential-keys"),
    path("verifikasi/<str:code>/", public.verify_code, name="verify-code"),
    path("cek/<str:code>.json", public.verify_json, name="verify-json"),
]

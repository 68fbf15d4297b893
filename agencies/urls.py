from django.urls import path

from .views import invitation, letters, officer, people, people_export, roster, rounds

app_name = "agencies"

urlpatterns = [
    path("", officer.home, name="home"),
    path("usulan/", officer.propose, name="propose"),
    path("usulan/pratinjau/", officer.preview, name="preview"),
    path("usulan/templat.xlsx", officer.template, name="template"),
    path("angkatan/<int:pk>/", officer.cohort_detail, name="cohort-detail"),
    path("angkatan/<int:pk>/surat/<str:kind>/tanda-tangan/", letters.letter_sign, name="letter-sign"),
    path("surat/<int:pk>/", letters.letter_pdf, name="letter-pdf"),
    path("surat/<int:pk>/tarik/", letters.letter_withdraw, name="letter-withdraw"),
    path("usulan/<int:pk>/tarik/", officer.proposal_withdraw, name="proposal-withdraw"),
    path("undangan/<str:token>/", invitation.invitation, name="invitation"),
    path("undangan/<str:token>/mulai/", invitation.invitation_accept, name="invitation-accept"),
    path("undangan/<str:token>/tolak/", invitation.invitation_decline, name="invitation-decline"),
    path("pegawai/", people.applications, name="people"),
    path("pegawai/sertifikat/", people.certificates, name="people-certificates"),
    path("pegawai/peta-kompetensi/", people.competence, name="people-competence"),
    path("pegawai/kebutuhan-jabatan/", people.need_add, name="need-add"),
    path("pegawai/kebutuhan-jabatan/<int:pk>/hapus/", people.need_remove, name="need-remove"),
    path("pegawai/ekspor/<slug:what>.<str:fmt>", people_export.export, name="people-export"),
    path("daftar-pegawai/", roster.roster, name="roster"),
    path("daftar-pegawai/nip/<str:nip>/", roster.roster_entry, name="roster-entry"),
    path("daftar-pegawai/siasn/", roster.roster_fetch, name="roster-fetch"),
    path("daftar-pegawai/impor/<uuid:public_id>/", roster.roster_import, name="roster-import"),
    path("daftar-pegawai/impor/<uuid:public_id>/<str:action>/", roster.roster_import_action,
         name="roster-import-action"),
    path("putaran/", rounds.round_list, name="round-list"),
    path("putaran/baru/", rounds.round_edit, name="round-create"),
    path("putaran/<int:pk>/", rounds.round_detail, name="round-detail"),
    path("putaran/<int:pk>/ubah/", rounds.round_edit, name="round-edit"),
    path("putaran/<int:pk>/kuota/", rounds.round_quotas, name="round-quotas"),
    path("putaran/<int:pk>/buka/", rounds.round_open, name="round-open"),
    path("putaran/<int:pk>/tutup/", rounds.round_close, name="round-close"),
    path("putaran/<int:pk>/buka-lagi/", rounds.round_reopen, name="round-reopen"),
]

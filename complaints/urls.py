from django.urls import path

from .views import public, reports, staff

app_name = "complaints"

urlpatterns = [
    # public (no account): under pengaduan/publik/, pengaduan/lacak/, pengaduan/survei/
    path("publik/", public.public_new, name="public-new"),
    path("lacak/", public.track_lookup, name="track-lookup"),
    path("lacak/<str:secret>/", public.track, name="track"),
    path("survei/<str:token>/", public.survey, name="survey"),
    # staff
    path("petugas/", staff.officer_home, name="officer-home"),
    path("daftar/", staff.complaint_list, name="list"),
    path("catat/", staff.staff_new, name="staff-new"),
    path("<int:pk>/", staff.detail, name="detail"),
    path("<int:pk>/klasifikasi/", staff.classify, name="classify"),
    path("<int:pk>/telaah/mulai/", staff.start_analysis, name="start-analysis"),
    path("<int:pk>/telaah/", staff.analysis, name="analysis"),
    path("<int:pk>/apip/setujui/", staff.approve_apip, name="approve-apip"),
    path("<int:pk>/jalur/", staff.route, name="route"),
    path("<int:pk>/eskalasi/", staff.escalate, name="escalate"),
    path("<int:pk>/perkembangan/", staff.progress, name="progress"),
    path("<int:pk>/jawab/", staff.answer, name="answer"),
    path("<int:pk>/tutup/", staff.close, name="close"),
    path("<int:pk>/lampiran/<int:attachment_id>/", staff.attachment, name="attachment"),
    # reports and the satisfaction index
    path("laporan/", reports.complaint_report, name="reports"),
    path("laporan/csv/", reports.complaint_report_csv, name="reports-csv"),
    path("laporan/xlsx/", reports.complaint_report_xlsx, name="reports-xlsx"),
    path("ikm/", reports.skm_page, name="skm"),
    path("ikm/pdf/", reports.skm_pdf, name="skm-pdf"),
    path("ikm/csv/", reports.skm_csv, name="skm-csv"),
    path("ikm/impor/", reports.skm_import, name="skm-import"),
]

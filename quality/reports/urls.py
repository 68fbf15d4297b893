from django.urls import path

from . import views

urlpatterns = [
    path("laporan-bnsp/", views.report_list, name="report-list"),
    path("laporan-bnsp/baru/", views.report_create, name="report-create"),
    path("laporan-bnsp/<int:pk>/", views.report_detail, name="report-detail"),
    path("laporan-bnsp/<int:pk>/hitung-ulang/", views.report_recompute, name="report-recompute"),
    path("laporan-bnsp/<int:pk>/kirim/", views.report_send, name="report-send"),
    path("laporan-bnsp/<int:pk>/berkas/<str:fmt>/", views.report_document, name="report-document"),
]

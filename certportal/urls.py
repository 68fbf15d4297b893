from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import metrics, views

admin.site.site_header = _("Certification portal administration")
admin.site.site_title = _("Certification portal")

urlpatterns = [
    path("", views.public_home, name="public-home"),
    path("beranda/", views.home, name="home"),
    path("beranda/peran/", views.switch_role, name="switch-role"),
    path("beranda/<str:role>/", views.role_home, name="role-home"),
    path("privasi/", views.privacy_notice, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),  # a scraper's token only (answered by its middleware first)
    path("akun/", include("certportal.accounts.urls")),
    path("audit/", include("certportal.audit.urls")),
    path("notifikasi/", include("certportal.notifications.urls")),
    path("tenggat/", include("certportal.sla.urls")),
    path("ekspor/", include("certportal.exportjobs.urls")),
    path("surel-gagal/", include("certportal.outbox.urls")),
    path("profil-lsp/", include("certportal.lsp.urls")),
    path("skema/", include("schemes.urls")),
    path("permohonan/", include("applicants.urls")),
    path("asesmen/", include("assessments.urls")),
    path("pengaduan/", include("complaints.urls")),
    path("perangkat-daerah/", include("agencies.urls")),
    path("mutu/", include("quality.urls")),
    path("admin/", admin.site.urls),
    # the employers' API, mounted by name like every app (the core imports none of them)
    path("api/v1/", include("assessments.certificates.api", namespace="api-v1")),
]

handler403 = "certportal.views.error_403"
handler404 = "certportal.views.error_404"
handler500 = "certportal.views.error_500"

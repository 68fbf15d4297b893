from django.urls import path

from .views import decrees, evaluations, imports, manage, public, reviews

app_name = "schemes"

urlpatterns = [
    # public (no login)
    path("", public.catalogue, name="catalogue"),
    path("<int:pk>/", public.scheme_detail, name="scheme-detail"),
    path("kualifikasi/", public.qualification_list, name="qualifications"),
    path("kualifikasi/<int:pk>/", public.qualification_detail, name="qualification-detail"),
    path("cek-pengemasan/", public.packaging_checker, name="packaging-checker"),
    path("standar-pelayanan/", public.service_standard, name="service-standard"),
    # LSP admin
    path("kelola/", manage.home, name="manage-home"),
    path("kelola/skema/", manage.scheme_list, name="manage-schemes"),
    path("kelola/keputusan/", decrees.decree_list, name="manage-decrees"),
    path("kelola/keputusan/<int:pk>/", decrees.decree_edit, name="manage-decree-edit"),
    path("kelola/skema/baru/", manage.scheme_edit, name="manage-scheme-create"),
    path("kelola/skema/<int:pk>/", manage.scheme_edit, name="manage-scheme-edit"),
    path("kelola/skema/<int:pk>/kaji-ulang/", reviews.scheme_reviews, name="manage-scheme-reviews"),
    path("kelola/unit/", manage.unit_list, name="manage-units"),
    path("kelola/unit/baru/", manage.unit_edit, name="manage-unit-create"),
    path("kelola/unit/<int:pk>/", manage.unit_edit, name="manage-unit-edit"),
    path("kelola/unit/impor-skkni/", imports.upload, {"kind": "skkni"}, name="manage-skkni-upload"),
    path("kelola/kualifikasi/impor-kkni/", imports.upload, {"kind": "kkni"}, name="manage-kkni-upload"),
    path("kelola/impor/", imports.import_list, name="manage-imports"),
    path("kelola/impor/<uuid:public_id>/", imports.import_detail, name="manage-import"),
    path("kelola/impor/<uuid:public_id>/<slug:action>/", imports.import_action, name="manage-import-action"),
    path("kelola/kualifikasi/", manage.qualification_list, name="manage-qualifications"),
    path("kelola/kualifikasi/baru/", manage.qualification_edit, name="manage-qualification-create"),
    path("kelola/kualifikasi/<int:pk>/", manage.qualification_edit, name="manage-qualification-edit"),
    path("kelola/tuk/", manage.test_site_list, name="manage-test-sites"),
    path("kelola/tuk/baru/", manage.test_site_edit, name="manage-test-site-create"),
    path("kelola/tuk/<int:pk>/", manage.test_site_edit, name="manage-test-site-edit"),
    path("kelola/standar-pelayanan/", manage.service_standard_edit, name="manage-service-standard"),
    path("kelola/evaluasi/", evaluations.evaluation_list, name="manage-evaluations"),
    path("kelola/evaluasi/baru/", evaluations.evaluation_create, name="manage-evaluation-create"),
    path("kelola/evaluasi/<int:pk>/", evaluations.evaluation_detail, name="manage-evaluation-detail"),
    path("evaluasi/<int:pk>/", evaluations.evaluation_read, name="evaluation-read"),
]

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("daftar/", views.register, name="register"),
    path("daftar/terkirim/", views.register_sent, name="register-sent"),
    path("konfirmasi/<str:token>/", views.confirm_email, name="confirm-email"),
    path("konfirmasi-ulang/", views.resend_confirmation, name="resend-confirmation"),
    path("sandi/lupa/", views.password_reset, name="password-reset"),
    path("sandi/lupa/terkirim/", views.password_reset_done, name="password-reset-done"),
    path("sandi/atur/<uidb64>/<token>/", views.password_reset_confirm, name="password-reset-confirm"),
    path("sandi/atur/selesai/", views.password_reset_complete, name="password-reset-complete"),
    path("sandi/ubah/", views.password_change, name="password-change"),
    path("data-pribadi/", views.personal_data, name="personal-data"),
    path("bahasa/", views.set_language, name="set-language"),
    path("staf/", views.staff_list, name="staff-list"),
    path("staf/baru/", views.staff_create, name="staff-create"),
    path("staf/<int:pk>/", views.staff_edit, name="staff-edit"),
    path("staf/<int:pk>/status/", views.staff_set_active, name="staff-set-active"),
]

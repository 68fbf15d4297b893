from django.urls import path

from . import views

app_name = "outbox"
urlpatterns = [
    path("", views.failed, name="failed"),
    path("<int:pk>/kirim-ulang/", views.resend, name="resend"),
    path("kirim-ulang-semua/", views.resend_all, name="resend-all"),
]

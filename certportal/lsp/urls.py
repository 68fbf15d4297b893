from django.urls import path

from . import views

app_name = "lsp"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("logo/", views.logo, name="logo"),
    path("lisensi/", views.licence, name="licence"),
]

from django.urls import path

from . import views

app_name = "exportjobs"
urlpatterns = [
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/unduh/", views.download, name="download"),
    path("<uuid:public_id>/ulangi/", views.retry, name="retry"),
]

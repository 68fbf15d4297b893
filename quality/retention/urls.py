from django.urls import path

from . import views

urlpatterns = [
    path("retensi/", views.disposal_list, name="disposal-list"),
    path("retensi/siapkan/", views.disposal_propose, name="disposal-propose"),
    path("retensi/<int:pk>/", views.disposal_detail, name="disposal-detail"),
    path("retensi/<int:pk>/setujui/", views.disposal_approve, name="disposal-approve"),
    path("retensi/<int:pk>/batalkan/", views.disposal_cancel, name="disposal-cancel"),
]

"""Read-mostly back office: status changes go through the services, never through the admin."""

from django.contrib import admin

from .models import ApplicantProfile, Application, ApplicationDocument, DocumentAccess, DocumentFile


@admin.register(ApplicantProfile)
class ApplicantProfileAdmin(admin.ModelAdmin):
    list_display = ["full_name", "nip", "org_unit", "rank"]
    search_fields = ["full_name", "nip"]


class DocumentInline(admin.TabularInline):
    model = ApplicationDocument
    extra = 0
    can_delete = False
    readonly_fields = ["requirement", "review", "review_note", "reviewed_by", "reviewed_at"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["pk", "applicant_name", "nip", "scheme", "status", "submitted_at"]
    list_filter = ["status", "scheme"]
    search_fields = ["applicant_name", "nip"]
    readonly_fields = ["status", "applicant", "scheme", "submitted_at", "completed_at", "decided_at", "named_at"]
    inlines = [DocumentInline]


@admin.register(DocumentFile)
class DocumentFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "document", "version", "uploaded_at", "superseded_at"]
    readonly_fields = ["file", "original_name", "kind", "size", "uploaded_by"]


@admin.register(DocumentAccess)
class DocumentAccessAdmin(admin.ModelAdmin):
    list_display = ["file", "user", "at", "ip_address"]

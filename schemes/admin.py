"""The Django admin shows reference data read-only: every change goes through the LSP admin screens
(``skema/kelola/``), whose services validate (packaging rule, versioning) and audit."""

from django.contrib import admin

from .models import Decree, Qualification, QualificationUnit, Scheme, ServiceStandard, TestSite, Unit


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ListingInline(admin.TabularInline):
    model = QualificationUnit
    fields = ["kind", "position", "code_as_printed", "title_as_printed", "prerequisites"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Decree)
class DecreeAdmin(ReadOnlyAdmin):
    list_display = ["number", "year", "kind", "title"]
    list_filter = ["kind"]


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "decree"]
    search_fields = ["code", "title"]


@admin.register(Qualification)
class QualificationAdmin(ReadOnlyAdmin):
    list_display = ["decree", "letter", "title", "total_required", "core_required", "elective_required"]
    inlines = [ListingInline]


@admin.register(Scheme)
class SchemeAdmin(ReadOnlyAdmin):
    list_display = ["code", "version", "name", "kind", "is_current", "is_published"]
    list_filter = ["kind", "is_current"]


admin.site.register(TestSite, ReadOnlyAdmin)
admin.site.register(ServiceStandard, ReadOnlyAdmin)

"""Back-office views of the assessment records.

Every change to an assessor (creating, editing, deactivating, reactivating) goes through the portal's audited page
(``/asesmen/asesor/kelola/``, ``services.assessor_save``: a reason, an audit entry per changed field, and a
confirmation when open events are affected), and events, results and certificates change only through their
services, and conflicts of interest are declared by the assessor and never withdrawn, so all of them are
read-only here.
"""

from django.contrib import admin

from assessments.certificates.models import Certificate, VerificationLookup
from assessments.events.models import Assessor, ConflictOfInterest, Event


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConflictOfInterest)
class ConflictAdmin(ReadOnly):
    """Declared by the assessor on the participant page (``services.conflict_declare``, audited); a declaration
    stays for good, so that the assessor is never put on that person again."""

    list_display = ("assessor", "person", "declared_at")
    search_fields = ("assessor__user__full_name", "person__full_name")


@admin.register(Assessor)
class AssessorAdmin(ReadOnly):
    list_display = ("user", "registration_number", "licence_valid_until", "is_active")
    search_fields = ("user__full_name", "user__email", "registration_number")


@admin.register(Event)
class EventAdmin(ReadOnly):
    list_display = ("__str__", "test_site", "status")
    list_filter = ("status",)


@admin.register(Certificate)
class CertificateAdmin(ReadOnly):
    list_display = ("number", "holder_name", "scheme_code", "issued_on", "expires_on", "status")
    search_fields = ("number", "holder_name", "holder_nip")


@admin.register(VerificationLookup)
class LookupAdmin(ReadOnly):
    list_display = ("at", "code", "certificate", "via", "ip_address")

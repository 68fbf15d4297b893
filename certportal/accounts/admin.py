from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User, UserRole
from .signals import account_deactivated


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts are deactivated, never deleted (history must keep the name)."""

    ordering = ["full_name"]
    list_display = ["full_name", "email", "is_active", "email_verified_at"]
    search_fields = ["full_name", "email"]
    list_filter = ["is_active", "role_links__role"]
    inlines = [UserRoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "phone", "preferred_language"]}),
        (_("Status"), {"fields": ["is_active", "is_staff", "is_superuser", "email_verified_at", "data_consent_at"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        """Deactivating here has the same consequences as on the staff page (e.g. the assessor record)."""
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            account_deactivated(obj, actor=request.user, reason=str(_("Django admin")))

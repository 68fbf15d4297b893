"""Django admin for the SLA reference data. Changes go through the services, so they are audited too;
day-to-day editing happens on the portal's own pages (calendar, policies)."""

from django.contrib import admin

from . import services
from .models import CalendarDay, Clock, Notice, SlaPolicy


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "target_days", "limit_days", "warn_days"]
    readonly_fields = ["code"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        services.policy_update(policy=obj, actor=request.user,
                               **{f: form.cleaned_data[f] for f in services.POLICY_FIELDS if f in form.cleaned_data})


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "source"]
    list_filter = ["kind", "source"]
    date_hierarchy = "date"
    fields = ["date", "kind", "name"]

    def save_model(self, request, obj, form, change) -> None:
        services.calendar_day_add(actor=request.user, day=obj.date, kind=obj.kind, name=obj.name)

    def delete_model(self, request, obj) -> None:
        services.calendar_day_remove(actor=request.user, entry=obj)

    def delete_queryset(self, request, queryset) -> None:
        for entry in queryset:
            services.calendar_day_remove(actor=request.user, entry=entry)


@admin.register(Clock)
class ClockAdmin(admin.ModelAdmin):
    list_display = ["policy", "content_type", "object_id", "start_date", "target_due", "limit_due", "outcome"]
    list_filter = ["policy", "outcome"]
    list_select_related = ["policy", "content_type"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["clock", "threshold", "sent_at", "recipients"]
    list_filter = ["threshold"]
    list_select_related = ["clock__policy"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

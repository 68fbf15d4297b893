"""The province's roster in the back office, until the SIASN import fills it (a later issue): who works where."""

from django.contrib import admin

from .models import RosterEntry


@admin.register(RosterEntry)
class RosterEntryAdmin(admin.ModelAdmin):
    list_display = ["nip", "name", "agency", "position", "rank", "education", "source", "updated_at"]
    list_filter = ["source", "agency"]
    search_fields = ["nip", "name"]

"""The admin of the teams' work: activities are recorded on the portal's pages, here they are looked after."""

from django.contrib import admin

from portal.text import fold
from teamwork.models import Activity, ActivityAttachment


class ActivityAttachmentInline(admin.TabularInline):
    model = ActivityAttachment
    extra = 0
    fields = ("original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # attachments are checked by content: they come through the activity pages


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("held_on", "kind", "team", "unit", "people_reached", "topics")
    list_filter = ("kind", "channel", "team__kind")
    list_select_related = ("team", "unit")
    date_hierarchy = "held_on"
    raw_id_fields = ("team", "unit", "supported_team", "recorded_by")
    inlines = [ActivityAttachmentInline]

    def get_search_results(self, request, queryset, search_term):
        return queryset.filter(search_text__contains=fold(search_term)), False

"""Review reports in the admin: to look at, never to change (the pages and services do that)."""

from django.contrib import admin

from reports.models import ReviewReport


@admin.register(ReviewReport)
class ReviewReportAdmin(admin.ModelAdmin):
    list_display = ["unit", "period_kind", "period_first", "version", "status", "built_at", "finalised_at"]
    list_filter = ["period_kind", "status"]
    search_fields = ["unit__search_name"]
    list_select_related = ["unit"]
    readonly_fields = [field.name for field in ReviewReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

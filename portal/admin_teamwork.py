"""The admin of the teams' work and the policy library (imported by portal/admin.py)."""

from django.contrib import admin

from portal.models import Activity, ActivityAttachment, Entitlement, PolicyDocument, Target
from portal.text import fold


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


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("unit", "year", "measure", "value")
    list_filter = ("year", "measure")
    list_select_related = ("unit",)
    raw_id_fields = ("unit",)


class EntitlementInline(admin.StackedInline):
    model = Entitlement
    extra = 0
    fk_name = "governing_document"


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "title", "issuer", "signed_on", "effective_from", "expires_on")
    list_filter = ("kind",)
    date_hierarchy = "signed_on"
    filter_horizontal = ("procedures",)
    raw_id_fields = ("replaced_by",)
    inlines = [EntitlementInline]

    def get_search_results(self, request, queryset, search_term):
        return queryset.search(search_term), False


@admin.register(Entitlement)
class EntitlementAdmin(admin.ModelAdmin):
    list_display = ("name", "audience", "effective_from", "effective_until", "governing_document")
    list_filter = ("audience",)
    list_select_related = ("governing_document",)
    search_fields = ("name", "code")

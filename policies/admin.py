"""The admin of the policy library: documents and the entitlements they govern are data, edited here."""

from django.contrib import admin

from policies.models import Entitlement, PolicyDocument


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

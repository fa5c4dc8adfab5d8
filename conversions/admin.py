"""The conversions in the admin.

The follow-up schedule is data the standing agency keeps (also on /conversions/schedule/). The
registry, the cases, their steps, visits, entitlements and outcomes change only through the services,
which check the rules, date each step and grant the entitlements of the day, so here they are shown,
not edited. An owner's CCCD and phone show masked.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from conversions.models import (
    Conversion,
    ConversionStep,
    EntitlementGrant,
    FollowUpVisit,
    HouseholdBusiness,
    HouseholdBusinessImport,
    OutcomeChange,
    VisitSchedule,
)
from portal.admin import ReadOnlyAdmin, ReadOnlyInline
from portal.personal_data import mask
from portal.text import fold


@admin.register(VisitSchedule)
class VisitScheduleAdmin(admin.ModelAdmin):
    list_display = ("effective_from", "months_list", "note", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    fields = ("effective_from", "months", "note", "created_by", "created_at")

    @admin.display(description=_("months after registration"))
    def months_list(self, schedule: VisitSchedule) -> str:
        return str(schedule)

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(HouseholdBusiness)
class HouseholdBusinessAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "registration_number",
        "owner_name",
        "masked_national_id",
        "masked_phone",
        "unit",
        "sector",
        "status",
        "tax_mode",
    )
    list_filter = ("status", "tax_mode", "sector", "revenue_band")
    list_select_related = ("owner", "unit")
    search_fields = ("search_text",)
    fields = (
        "name",
        "registration_number",
        "registered_on",
        "address",
        "unit",
        "sector",
        "workers",
        "revenue_band",
        "tax_mode",
        "status",
        "owner_name",
        "masked_national_id",
        "masked_phone",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description=_("owner"), ordering="owner__full_name")
    def owner_name(self, business: HouseholdBusiness) -> str:
        return business.owner.full_name

    @admin.display(description=_("CCCD number"))
    def masked_national_id(self, business: HouseholdBusiness) -> str:
        return mask(business.owner.national_id) or "–"

    @admin.display(description=_("phone number"))
    def masked_phone(self, business: HouseholdBusiness) -> str:
        return mask(business.owner.phone) or "–"

    def get_search_results(self, request, queryset, search_term):
        # Name, registration number or address, ignoring case and diacritics.
        return queryset.filter(search_text__contains=fold(search_term)), False


@admin.register(HouseholdBusinessImport)
class HouseholdBusinessImportAdmin(ReadOnlyAdmin):
    list_display = (
        "original_name",
        "unit",
        "status",
        "rows_total",
        "rows_added",
        "rows_updated",
        "rows_skipped",
        "uploaded_by",
        "uploaded_at",
    )
    list_filter = ("status",)
    list_select_related = ("unit", "uploaded_by")
    fields = (
        "original_name",
        "unit",
        "status",
        "on_duplicate",
        "rows_total",
        "rows_added",
        "rows_updated",
        "rows_skipped",
        "error",
        "uploaded_by",
        "uploaded_at",
        "confirmed_by",
        "confirmed_at",
    )
    readonly_fields = fields


class ConversionStepInline(ReadOnlyInline):
    model = ConversionStep
    fields = ("stage", "taken_on", "is_correction", "by", "note", "recorded_at")
    readonly_fields = fields
    show_change_link = False


class EntitlementGrantInline(ReadOnlyInline):
    model = EntitlementGrant
    fields = ("entitlement", "starts_on", "ends_on", "state", "warned_on")
    readonly_fields = fields
    show_change_link = False


class FollowUpVisitInline(ReadOnlyInline):
    model = FollowUpVisit
    fields = ("months_after", "due_on", "done_on", "channel", "finding", "skipped_reason", "recorded_by")
    readonly_fields = fields


class OutcomeChangeInline(ReadOnlyInline):
    model = OutcomeChange
    fields = ("outcome", "since", "reasons", "note", "by", "recorded_at")
    readonly_fields = fields
    show_change_link = False


@admin.register(Conversion)
class ConversionAdmin(ReadOnlyAdmin):
    list_display = (
        "household_business",
        "unit",
        "stage",
        "enterprise_code",
        "registered_on",
        "size_class",
        "outcome",
        "outcome_since",
    )
    list_filter = ("stage", "outcome", "size_class")
    list_select_related = ("household_business", "unit")
    search_fields = ("enterprise_code", "enterprise_name")
    date_hierarchy = "registered_on"
    fields = (
        "household_business",
        "unit",
        "stage",
        "dossier",
        "enterprise_code",
        "enterprise_name",
        "registered_on",
        "insured_workers",
        "yearly_revenue",
        "capital",
        "size_class",
        "outcome",
        "outcome_since",
        "opened_by",
        "opened_on",
    )
    readonly_fields = fields
    inlines = [ConversionStepInline, EntitlementGrantInline, FollowUpVisitInline, OutcomeChangeInline]


@admin.register(ConversionStep)
class ConversionStepAdmin(ReadOnlyAdmin):
    list_display = ("conversion", "stage", "taken_on", "is_correction", "by")
    list_filter = ("stage", "is_correction")
    list_select_related = ("conversion__household_business", "by")
    search_fields = ("conversion__enterprise_code",)


@admin.register(FollowUpVisit)
class FollowUpVisitAdmin(ReadOnlyAdmin):
    list_display = ("conversion", "months_after", "due_on", "done_on", "channel", "finding", "recorded_by")
    list_filter = ("channel", "finding")
    list_select_related = ("conversion__household_business", "recorded_by")
    date_hierarchy = "due_on"
    search_fields = ("conversion__enterprise_code",)
    exclude = ("attachment",)  # the file is served only by the scoped page, never linked here


@admin.register(EntitlementGrant)
class EntitlementGrantAdmin(ReadOnlyAdmin):
    list_display = ("conversion", "entitlement", "starts_on", "ends_on", "state", "warned_on")
    list_filter = ("state", "entitlement")
    list_select_related = ("conversion__household_business", "entitlement")
    search_fields = ("conversion__enterprise_code",)


@admin.register(OutcomeChange)
class OutcomeChangeAdmin(ReadOnlyAdmin):
    list_display = ("conversion", "outcome", "since", "by", "recorded_at")
    list_filter = ("outcome",)
    list_select_related = ("conversion__household_business", "by")
    date_hierarchy = "since"
    search_fields = ("conversion__enterprise_code",)

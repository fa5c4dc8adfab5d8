"""The projects in the admin.

The poverty standards are reference data the administrator keeps: a standard issued after Decree
07/2021 is entered here, with its dates, lines and indicators (``is_example`` marks one entered for the
demo, to check against the decree). The projects, their steps, supports and visits, the households'
listings, the plans with their rows and reviews, the mentors' pool with its assignments, conflicts and
sessions, and the success models change only through the services, which check the rules and date
each step, so here they are shown, not edited. Founders' and heads' CCCD and phones show masked.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin import ReadOnlyAdmin, ReadOnlyInline
from portal.personal_data import mask
from portal.text import fold
from projects.models import (
    ConflictOfInterest,
    Founder,
    HouseholdListing,
    Mentor,
    MentorAssignment,
    MentorSession,
    Milestone,
    MilestoneUpdate,
    ModelPhoto,
    PlanFunding,
    PlanInput,
    PovertyPlan,
    PovertyStandard,
    Project,
    ProjectDossier,
    ProjectStep,
    ProjectVisit,
    SuccessModel,
    Support,
    YearlyReview,
)


@admin.register(PovertyStandard)
class PovertyStandardAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "legal_basis",
        "valid_from",
        "valid_until",
        "rural_income_line",
        "urban_income_line",
        "rural_extreme_line",
        "urban_extreme_line",
        "indicators",
        "deprivation_threshold",
        "is_example",
    )
    list_filter = ("is_example",)
    fields = (
        "name",
        "legal_basis",
        "valid_from",
        "valid_until",
        ("rural_income_line", "urban_income_line"),
        ("rural_extreme_line", "urban_extreme_line"),
        ("indicators", "deprivation_threshold"),
        "is_example",
    )


# --- Projects ----------------------------------------------------------------------------------------------


class FounderInline(ReadOnlyInline):
    model = Founder
    fields = ("person_name", "masked_national_id", "is_lead")
    readonly_fields = fields
    show_change_link = False

    @admin.display(description=_("person"))
    def person_name(self, founder: Founder) -> str:
        return founder.person.full_name

    @admin.display(description=_("CCCD number"))
    def masked_national_id(self, founder: Founder) -> str:
        return mask(founder.person.national_id) or "–"


class ProjectStepInline(ReadOnlyInline):
    model = ProjectStep
    fields = ("stage", "taken_on", "is_correction", "stop_reason", "by", "note", "recorded_at")
    readonly_fields = fields
    show_change_link = False


class ProjectDossierInline(ReadOnlyInline):
    model = ProjectDossier
    fields = ("dossier", "linked_on", "by")
    readonly_fields = fields
    show_change_link = False


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "sector", "unit", "stage", "jobs_created", "registered_on")
    list_filter = ("kind", "stage", "sector")
    list_select_related = ("unit",)
    search_fields = ("search_name",)
    date_hierarchy = "registered_on"
    exclude = ("dossiers",)
    readonly_fields = (
        "name",
        "kind",
        "sector",
        "unit",
        "summary",
        "stage",
        "stop_reason",
        "capital_needed",
        "own_capital",
        "workers",
        "jobs_planned",
        "jobs_created",
        "jobs_women",
        "jobs_young",
        "replicates",
        "replicates_since",
        "registered_on",
        "registered_by",
    )
    inlines = [FounderInline, ProjectStepInline, ProjectDossierInline]

    def get_search_results(self, request, queryset, search_term):
        # The project's name, ignoring case and diacritics.
        return queryset.filter(search_name__contains=fold(search_term)), False


@admin.register(Support)
class SupportAdmin(ReadOnlyAdmin):
    list_display = ("project", "kind", "given_on", "team", "mentor", "organisation", "hours", "value")
    list_filter = ("kind",)
    list_select_related = ("project", "team", "mentor")
    date_hierarchy = "given_on"


@admin.register(ProjectVisit)
class ProjectVisitAdmin(ReadOnlyAdmin):
    list_display = ("project", "visited_on", "channel", "by")
    list_filter = ("channel",)
    list_select_related = ("project", "by")
    date_hierarchy = "visited_on"


# --- Poverty-escape households and plans ---------------------------------------------------------------


@admin.register(HouseholdListing)
class HouseholdListingAdmin(ReadOnlyAdmin):
    list_display = (
        "household_code",
        "head_name",
        "masked_national_id",
        "unit",
        "year",
        "category",
        "is_urban",
        "standard",
    )
    list_filter = ("year", "category", "is_urban")
    list_select_related = ("head", "unit", "standard")
    search_fields = ("household_code",)
    fields = (
        "unit",
        "year",
        "household_code",
        "head_name",
        "masked_national_id",
        "masked_phone",
        "members",
        "category",
        "is_urban",
        "deprivations",
        "standard",
    )
    readonly_fields = fields

    @admin.display(description=_("head of household"), ordering="head__full_name")
    def head_name(self, listing: HouseholdListing) -> str:
        return listing.head.full_name

    @admin.display(description=_("CCCD number"))
    def masked_national_id(self, listing: HouseholdListing) -> str:
        return mask(listing.head.national_id) or "–"

    @admin.display(description=_("phone number"))
    def masked_phone(self, listing: HouseholdListing) -> str:
        return mask(listing.head.phone) or "–"


class PlanFundingInline(ReadOnlyInline):
    model = PlanFunding
    fields = ("source", "amount")
    readonly_fields = fields
    show_change_link = False


class PlanInputInline(ReadOnlyInline):
    model = PlanInput
    fields = ("description", "value", "given_by", "given_on")
    readonly_fields = fields
    show_change_link = False


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    fields = ("title", "due_on", "planned_on", "supporter", "state", "done_on", "late_warned_on")
    readonly_fields = fields


class YearlyReviewInline(ReadOnlyInline):
    model = YearlyReview
    fields = ("year", "result", "reviewed_on", "by", "note")
    readonly_fields = fields
    show_change_link = False


@admin.register(PovertyPlan)
class PovertyPlanAdmin(ReadOnlyAdmin):
    list_display = (
        "project",
        "household",
        "livelihood",
        "status",
        "budget_total",
        "starts_on",
        "approved_on",
    )
    list_filter = ("status", "livelihood")
    list_select_related = ("project", "household__head")
    date_hierarchy = "starts_on"
    readonly_fields = (
        "project",
        "household",
        "livelihood",
        "description",
        "budget_total",
        "expected_monthly_income",
        "starts_on",
        "ends_on",
        "status",
        "approved_on",
        "approved_by",
        "written_by",
    )
    inlines = [PlanFundingInline, PlanInputInline, MilestoneInline, YearlyReviewInline]


class MilestoneUpdateInline(ReadOnlyInline):
    model = MilestoneUpdate
    fields = ("visit", "state", "new_due_on", "reason")
    readonly_fields = fields
    show_change_link = False


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ("title", "plan", "due_on", "state", "done_on", "late_warned_on")
    list_filter = ("state",)
    list_select_related = ("plan__household__head",)
    date_hierarchy = "due_on"
    inlines = [MilestoneUpdateInline]


@admin.register(YearlyReview)
class YearlyReviewAdmin(ReadOnlyAdmin):
    list_display = ("plan", "year", "result", "reviewed_on", "by")
    list_filter = ("year", "result")
    list_select_related = ("plan__household__head", "by")


# --- Mentors -----------------------------------------------------------------------------------------------


@admin.register(Mentor)
class MentorAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "fields", "organisation", "availability", "public_consent", "user")
    list_filter = ("availability", "public_consent")
    list_select_related = ("user",)
    search_fields = ("search_text",)
    exclude = ("phone", "email")

    def get_search_results(self, request, queryset, search_term):
        # Name, fields or organisation, ignoring case and diacritics.
        return queryset.filter(search_text__contains=fold(search_term)), False


@admin.register(MentorAssignment)
class MentorAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("mentor", "project", "assigned_on", "ended_on", "by")
    list_select_related = ("mentor", "project", "by")
    date_hierarchy = "assigned_on"


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ReadOnlyAdmin):
    list_display = ("mentor", "project", "declared_on", "by")
    list_select_related = ("mentor", "project", "by")


@admin.register(MentorSession)
class MentorSessionAdmin(ReadOnlyAdmin):
    list_display = ("mentor", "project", "held_on", "hours", "topic", "logged_by")
    list_select_related = ("mentor", "project", "logged_by")
    date_hierarchy = "held_on"


# --- Success models ----------------------------------------------------------------------------------------


class ModelPhotoInline(ReadOnlyInline):
    model = ModelPhoto
    fields = ("original_name", "caption", "uploaded_at")  # the file is served only by the scoped page
    readonly_fields = fields
    show_change_link = False


@admin.register(SuccessModel)
class SuccessModelAdmin(ReadOnlyAdmin):
    list_display = ("title", "project", "status", "proposed_on", "decided_on", "public_consent")
    list_filter = ("status", "public_consent")
    list_select_related = ("project",)
    inlines = [ModelPhotoInline]

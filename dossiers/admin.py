"""The one-stop shop in the admin.

Reference data (procedures, their versions and required documents, document kinds) is edited here;
dossiers, their documents and inquiries change only through the services, which check the rules,
start and pause the clock and tell the people concerned, so here they are shown, not edited.
"""

from django.contrib import admin
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dossiers.models import (
    Applicant,
    Document,
    DocumentKind,
    Dossier,
    DossierDocument,
    DossierEvent,
    Inquiry,
    Procedure,
    ProcedureVersion,
    Requirement,
    SupplementRequest,
)
from portal.admin import ReadOnlyAdmin, ReadOnlyInline
from portal.personal_data import mask
from portal.text import fold


class ProcedureVersionInline(ReadOnlyInline):
    """Versions are added and edited on their own page, with their required documents."""

    model = ProcedureVersion
    fields = ("number", "effective_from", "statutory_working_days", "legal_basis")
    readonly_fields = fields


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "audience", "handling_team_kind", "is_open")
    list_filter = ("audience", "handling_team_kind", "is_open")
    search_fields = ("name", "code")
    inlines = [ProcedureVersionInline]


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    fields = ("position", "document_kind", "is_mandatory", "note")

    def _is_in_use(self, version) -> bool:
        return version is not None and version.dossiers.exists()

    # A version dossiers were filed under is history: a change of the law is a new version.
    def has_add_permission(self, request, obj=None):
        return not self._is_in_use(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._is_in_use(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._is_in_use(obj) and super().has_delete_permission(request, obj)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ("procedure", "number", "effective_from", "statutory_working_days")
    list_filter = ("procedure",)
    list_select_related = ("procedure",)
    inlines = [RequirementInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.dossiers.exists():
            return ("procedure", "number", "effective_from", "statutory_working_days", "legal_basis")
        return ()

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.dossiers.exists()) and super().has_delete_permission(request, obj)


@admin.register(DocumentKind)
class DocumentKindAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "validity_months")
    search_fields = ("name", "code")


@admin.register(Applicant)
class ApplicantAdmin(admin.ModelAdmin):
    list_display = ("full_name", "enterprise_name", "kind", "masked_national_id", "masked_phone", "unit")
    list_filter = ("kind",)
    list_select_related = ("unit",)
    search_fields = ("search_name",)
    raw_id_fields = ("unit", "user")

    @admin.display(description=_("CCCD number"))
    def masked_national_id(self, applicant: Applicant) -> str:
        return mask(applicant.national_id) or "–"

    @admin.display(description=_("phone number"))
    def masked_phone(self, applicant: Applicant) -> str:
        return mask(applicant.phone) or "–"

    def get_search_results(self, request, queryset, search_term):
        # Names ignore diacritics and case; a CCCD number, phone or tax code must be given whole.
        term = search_term.strip()
        if not term:
            return queryset, False
        digits = "".join(char for char in term if char.isdigit())
        found = Q(search_name__contains=fold(term))
        if digits:
            found |= Q(national_id=digits) | Q(tax_code=digits) | Q(phone=term)
        return queryset.filter(found), False


class DossierEventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ("at", "actor", "action", "from_status", "to_status", "note")
    readonly_fields = fields
    show_change_link = False


class SupplementRequestInline(ReadOnlyInline):
    model = SupplementRequest
    fields = ("round", "requested_at", "requested_by", "note", "supplied_at")
    readonly_fields = fields


class DossierDocumentInline(ReadOnlyInline):
    model = DossierDocument
    fields = ("requirement", "document", "is_reused", "review", "review_reason")
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    """Shown, not edited: status, dates and team change only through the services (and the portal's pages)."""

    list_display = ("code", "procedure", "applicant", "unit", "status", "channel", "submitted_at", "due_date")
    list_filter = ("status", "channel", "procedure", "handling_team__kind")
    list_select_related = ("procedure", "applicant", "unit")
    search_fields = ("code",)
    fields = (
        "code",
        "procedure",
        "procedure_version",
        "applicant",
        "filed_by",
        "channel",
        "unit",
        "handling_team",
        "summary",
        "status",
        "submitted_at",
        "received_at",
        "due_date",
        "paused_on",
        "apology_issued_at",
        "apology_reason",
        "original_due_date",
        "decided_at",
        "result",
        "closing_reason",
        "result_returned_at",
        "rating",
        "rating_comment",
    )
    inlines = [DossierEventInline, SupplementRequestInline, DossierDocumentInline]


@admin.register(DossierEvent)
class DossierEventAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "at", "action", "from_status", "to_status", "actor")
    list_filter = ("action", "to_status")
    list_select_related = ("dossier", "actor")
    search_fields = ("dossier__code",)


@admin.register(SupplementRequest)
class SupplementRequestAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "round", "requested_at", "requested_by", "supplied_at")
    list_select_related = ("dossier", "requested_by")
    search_fields = ("dossier__code",)


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """The file itself is never linked here: only the scoped download view serves it."""

    list_display = ("kind", "download", "applicant", "content_type", "size", "uploaded_at", "valid_until")
    list_display_links = ("kind",)
    list_filter = ("kind", "content_type")
    list_select_related = ("kind", "applicant")
    search_fields = ("original_name", "applicant__search_name")
    fields = (
        "download",
        "kind",
        "applicant",
        "content_type",
        "size",
        "uploaded_at",
        "uploaded_by",
        "valid_until",
    )
    readonly_fields = fields

    @admin.display(description=_("file name"), ordering="original_name")
    def download(self, document: Document) -> str:
        try:
            url = reverse("document_download", args=[document.pk])
        except NoReverseMatch:
            return document.original_name
        return format_html('<a href="{}">{}</a>', url, document.original_name)


@admin.register(DossierDocument)
class DossierDocumentAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "requirement", "document", "is_reused", "review", "reviewed_by", "reviewed_at")
    list_filter = ("review", "is_reused")
    list_select_related = ("dossier", "requirement__document_kind", "document__kind", "reviewed_by")
    search_fields = ("dossier__code",)


@admin.register(Inquiry)
class InquiryAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "team", "raised_at", "reply_due", "escalated_at", "replied_at")
    list_filter = ("team__kind",)
    list_select_related = ("dossier", "team")
    search_fields = ("dossier__code",)

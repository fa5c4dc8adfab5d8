"""Representations of procedures, dossiers, their documents and inquiries, and the bodies of their writes.

They parse and present; the rules live in portal.services and portal.access. Request
bodies never carry a status, an owner or a unit: those come from the caller and the
services.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dossiers.access import sees_personal_data
from dossiers.models import (
    Applicant,
    Deadline,
    Dossier,
    DossierDocument,
    DossierEvent,
    Inquiry,
    Procedure,
    ProcedureVersion,
    Requirement,
    SupplementRequest,
)
from dossiers.selectors import missing_requirements
from dossiers.transitions import TIMELINE_LABELS
from portal.api.fields import DayField, IdRelatedField, WholeNumberField
from portal.api.filters import INVALID_NUMBER, TOO_LONG, ChoiceParameter
from portal.api.serializers import (
    OptionalChoiceField,
    PersonSerializer,
    UnitReferenceSerializer,
    choice_field,
    row_writer,
)
from portal.models import Team
from portal.personal_data import PersonalDetails, personal_details

TEXT_LIMIT = 5000


# --- References --------------------------------------------------------------------------------------------


class TeamReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name"]
        read_only_fields = fields


class ProcedureReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Procedure
        fields = ["id", "code", "name"]
        read_only_fields = fields


class DossierReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dossier
        fields = ["id", "code"]
        read_only_fields = fields


# --- Procedures --------------------------------------------------------------------------------------------


class RequirementSerializer(serializers.ModelSerializer):
    document_kind = serializers.CharField(source="document_kind.code", read_only=True)
    name = serializers.CharField(source="document_kind.name", read_only=True)
    description = serializers.CharField(source="document_kind.description", read_only=True)

    class Meta:
        model = Requirement
        fields = ["id", "document_kind", "name", "description", "is_mandatory", "note", "position"]
        read_only_fields = fields


class ProcedureVersionSerializer(serializers.ModelSerializer):
    requirements = RequirementSerializer(many=True, read_only=True)

    class Meta:
        model = ProcedureVersion
        fields = ["id", "number", "effective_from", "statutory_working_days", "legal_basis", "requirements"]
        read_only_fields = fields


class ProcedureSerializer(serializers.ModelSerializer):
    handling_team_kind = choice_field(Team.Kind)
    current_version = serializers.SerializerMethodField()

    class Meta:
        model = Procedure
        fields = ["id", "code", "name", "description", "audience", "handling_team_kind", "current_version"]
        read_only_fields = fields

    @extend_schema_field(ProcedureVersionSerializer(allow_null=True))
    def get_current_version(self, procedure: Procedure) -> dict | None:
        # The view prefetches only the version in force today, with its requirements.
        versions = procedure.versions_in_force
        return (
            row_writer(self, ProcedureVersionSerializer).to_representation(versions[0]) if versions else None
        )


# --- Dossiers ----------------------------------------------------------------------------------------------


class MaskedPersonSerializer(serializers.ModelSerializer):
    """A person the portal knows by their CCCD (an applicant, an owner, a founder, a household's head):
    CCCD and phone masked unless the serializer's context says ``unmasked``."""

    national_id = serializers.SerializerMethodField(
        help_text="CCCD number; masked but for its last four digits unless the caller sees personal data."
    )
    phone = serializers.SerializerMethodField(
        help_text="Masked but for its last four digits unless the caller sees personal data."
    )

    class Meta:
        model = Applicant
        fields = ["id", "full_name", "national_id", "phone"]
        read_only_fields = fields

    def personal(self, applicant: Applicant) -> PersonalDetails:
        return personal_details(applicant, whole=bool(self.context.get("unmasked")))

    def get_national_id(self, applicant: Applicant) -> str:
        return self.personal(applicant).national_id

    def get_phone(self, applicant: Applicant) -> str:
        return self.personal(applicant).phone


class ApplicantSerializer(MaskedPersonSerializer):
    kind = choice_field(Applicant.Kind)
    address = serializers.SerializerMethodField(
        help_text="Masked whole (“••••••”) unless the caller sees personal data."
    )

    class Meta:
        model = Applicant
        fields = ["id", "kind", "full_name", "enterprise_name", "tax_code", "national_id", "phone", "address"]
        read_only_fields = fields

    def get_address(self, applicant: Applicant) -> str:
        return self.personal(applicant).address


class DossierSerializer(serializers.ModelSerializer):
    procedure = ProcedureReferenceSerializer(read_only=True)
    procedure_version = serializers.IntegerField(
        source="procedure_version.number",
        read_only=True,
        help_text="The version the dossier was filed under.",
    )
    applicant = serializers.SerializerMethodField()
    filed_by = PersonSerializer(read_only=True)
    unit = UnitReferenceSerializer(read_only=True)
    handling_team = TeamReferenceSerializer(read_only=True, allow_null=True)
    channel = choice_field(Dossier.Channel)
    status = choice_field(Dossier.Status)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    status_number = serializers.IntegerField(
        read_only=True, help_text="The status's number on the national public-service portal (1–10)."
    )
    is_draft = serializers.BooleanField(read_only=True)
    is_overdue = serializers.SerializerMethodField(help_text="The clock runs and the due date has passed.")

    class Meta:
        model = Dossier
        fields = [
            *("id", "code", "procedure", "procedure_version", "applicant", "filed_by", "channel", "unit"),
            *(
                "handling_team",
                "status",
                "status_label",
                "status_number",
                "is_draft",
                "is_overdue",
                "summary",
            ),
            *(
                "submitted_at",
                "received_at",
                "due_date",
                "paused_on",
                "original_due_date",
                "apology_issued_at",
            ),
            *("apology_reason", "decided_at", "result", "closing_reason", "result_returned_at", "rating"),
            "rating_comment",
        ]
        read_only_fields = fields

    @extend_schema_field(ApplicantSerializer)
    def get_applicant(self, dossier: Dossier) -> dict:
        unmasked = sees_personal_data(self.context["request"].user, dossier)
        return row_writer(self, ApplicantSerializer, unmasked=unmasked).to_representation(dossier.applicant)

    def get_is_overdue(self, dossier: Dossier) -> bool:
        return dossier.deadline == Deadline.OVERDUE  # annotated by Dossier.objects.with_deadline


class DossierEventSerializer(serializers.ModelSerializer):
    actor = PersonSerializer(read_only=True, allow_null=True)
    label = serializers.SerializerMethodField(help_text="The step as the applicant's timeline reads it.")
    from_status = OptionalChoiceField(Dossier.Status, help_text="Null where the step starts the draft.")
    to_status = OptionalChoiceField(Dossier.Status)

    class Meta:
        model = DossierEvent
        fields = ["at", "actor", "action", "label", "from_status", "to_status", "note"]
        read_only_fields = fields

    def get_label(self, event: DossierEvent) -> str:
        return str(TIMELINE_LABELS.get(event.action, event.action))


class SupplementRequestSerializer(serializers.ModelSerializer):
    missing = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of the requirements asked for."
    )

    class Meta:
        model = SupplementRequest
        fields = ["round", "requested_at", "note", "missing", "supplied_at"]
        read_only_fields = fields


class DossierDetailSerializer(DossierSerializer):
    """A dossier with its requirements, checklist, supplement rounds and timeline."""

    requirements = RequirementSerializer(many=True, read_only=True, source="procedure_version.requirements")
    missing_requirements = serializers.SerializerMethodField(
        help_text="Ids of the mandatory requirements that have no document, or only rejected ones."
    )
    supplement_requests = SupplementRequestSerializer(many=True, read_only=True)
    events = DossierEventSerializer(many=True, read_only=True)

    class Meta(DossierSerializer.Meta):
        fields = [
            *DossierSerializer.Meta.fields,
            "requirements",
            "missing_requirements",
            "supplement_requests",
            "events",
        ]
        read_only_fields = fields

    def get_missing_requirements(self, dossier: Dossier) -> list[int]:
        return [requirement.pk for requirement in missing_requirements(dossier)]


# --- Documents ---------------------------------------------------------------------------------------------


def download_url(use: DossierDocument) -> str:
    """The link to the file, served by the web view that checks scope."""
    return reverse("document_download", args=[use.document_id])


class DossierDocumentSerializer(serializers.ModelSerializer):
    requirement = serializers.IntegerField(source="requirement_id", read_only=True)
    requirement_name = serializers.CharField(source="requirement.document_kind.name", read_only=True)
    file_name = serializers.CharField(source="document.original_name", read_only=True)
    content_type = serializers.CharField(source="document.content_type", read_only=True)
    size = serializers.IntegerField(source="document.size", read_only=True, help_text="In bytes.")
    uploaded_at = serializers.DateTimeField(source="document.uploaded_at", read_only=True)
    valid_until = serializers.DateField(source="document.valid_until", read_only=True, allow_null=True)
    reviewed_by = PersonSerializer(read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField(help_text="Where a person in scope downloads the file.")

    class Meta:
        model = DossierDocument
        fields = [
            *("id", "requirement", "requirement_name", "file_name", "content_type", "size", "uploaded_at"),
            *(
                "valid_until",
                "is_reused",
                "review",
                "review_reason",
                "reviewed_by",
                "reviewed_at",
                "download_url",
            ),
        ]
        read_only_fields = fields

    def get_download_url(self, use: DossierDocument) -> str:
        return download_url(use)


# --- Inquiries ---------------------------------------------------------------------------------------------


class InquirySerializer(serializers.ModelSerializer):
    dossier = DossierReferenceSerializer(read_only=True)
    raised_by = PersonSerializer(read_only=True)
    team = TeamReferenceSerializer(read_only=True)
    replied_by = PersonSerializer(read_only=True, allow_null=True)
    is_overdue = serializers.SerializerMethodField(help_text="Unanswered and past its reply date.")

    class Meta:
        model = Inquiry
        fields = [
            *("id", "dossier", "question", "raised_by", "raised_at", "reply_due", "team", "escalated_at"),
            *("reply", "replied_at", "replied_by", "is_overdue"),
        ]
        read_only_fields = fields

    def get_is_overdue(self, inquiry: Inquiry) -> bool:
        return inquiry.deadline == Deadline.OVERDUE  # annotated by Inquiry.objects.with_deadline


# --- Request bodies ----------------------------------------------------------------------------------------


def text_field(help_text: str, *, required: bool = True) -> serializers.CharField:
    """Free text. An empty text is left to the service, whose refusal says what is expected."""
    return serializers.CharField(
        required=required,
        allow_blank=True,
        default="" if not required else serializers.empty,
        max_length=TEXT_LIMIT,
        help_text=help_text,
        error_messages={"max_length": TOO_LONG},
    )


class StartDossierSerializer(serializers.Serializer):
    procedure = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Procedure.objects.all(),
        help_text="Code of an open procedure.",
        error_messages={"does_not_exist": _("There is no procedure with the code “{value}”.")},
    )
    summary = text_field("What the applicant asks for.", required=False)
    applicant = IdRelatedField(
        queryset=Applicant.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Officers filing on behalf of an applicant: the applicant's id, in the officer's scope. "
        "Left out, the dossier is the caller's own.",
        error_messages={
            # Applicants outside the caller's scope get the same answer as ids that do not exist.
            "does_not_exist": _("There is no applicant with this id that you may file for."),
            "incorrect_type": INVALID_NUMBER,
        },
    )
    channel = ChoiceParameter(
        choices=Dossier.Channel.choices,
        required=False,
        default=Dossier.Channel.IN_PERSON,
        help_text="How an officer received the dossier; applicants filing themselves file online.",
    )

    def __init__(self, *args, applicants=None, own_applicant: Applicant | None = None, **kwargs):
        """``applicants`` are those the caller may file for; ``own_applicant`` is the caller's own record."""
        super().__init__(*args, **kwargs)
        self.own_applicant = own_applicant
        if applicants is not None:
            self.fields["applicant"].queryset = applicants

    def validate(self, data: dict) -> dict:
        if data["applicant"] is None:
            if self.own_applicant is None:
                raise serializers.ValidationError({"applicant": _("Name the applicant this dossier is for.")})
            data["applicant"] = self.own_applicant
        if data["applicant"] == self.own_applicant:
            data["channel"] = Dossier.Channel.ONLINE
        return data


class ReasonSerializer(serializers.Serializer):
    reason = text_field("Why; the applicant reads it.")


class NoteSerializer(serializers.Serializer):
    note = text_field("What is to be paid and how; the applicant reads it.")


class ResultSerializer(serializers.Serializer):
    result = text_field("The decision.")


class ApologySerializer(serializers.Serializer):
    new_due_date = DayField(help_text="The new due date (YYYY-MM-DD).")
    reason = text_field("Why the dossier will be late; the apology slip says it.")


class RatingSerializer(serializers.Serializer):
    # The service refuses a rating outside 1–5 in its own words; the field keeps out what is no number.
    rating = WholeNumberField.of(Dossier._meta.get_field("rating"), help_text="From 1 to 5.")
    comment = text_field("A comment on the service.", required=False)


class RequirementOfDossierField(IdRelatedField):
    """A requirement of the version that ``dossier`` (in the context) was filed under; others are refused."""

    default_error_messages = {
        "does_not_exist": _("This document is not one the dossier's procedure asks for."),
        "incorrect_type": INVALID_NUMBER,
    }

    def __init__(self, **kwargs):
        super().__init__(queryset=Requirement.objects.select_related("document_kind"), **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(version_id=self.root.context["dossier"].procedure_version_id)


class RequestSupplementSerializer(serializers.Serializer):
    missing = serializers.ListField(
        child=RequirementOfDossierField(),
        help_text="Ids of the requirements of the dossier's procedure version that are missing.",
        error_messages={"not_a_list": _("Give a list of requirement ids.")},
    )
    note = text_field("What exactly is missing; the applicant reads it.")


class UploadSerializer(serializers.Serializer):
    requirement = RequirementOfDossierField(
        help_text="Id of a requirement of the dossier's procedure version."
    )
    # Empty and oversize files and names with folders are refused by the service, with its own messages.
    file = serializers.FileField(
        allow_empty_file=True, use_url=False, help_text="PDF, JPEG, PNG, DOCX or XLSX."
    )


class ReviewSerializer(serializers.Serializer):
    decision = ChoiceParameter(
        choices=[("accept", "accept"), ("reject", "reject")], help_text="accept or reject"
    )
    reason = text_field("Why it is rejected; the applicant reads it.", required=False)


class RaiseInquirySerializer(serializers.Serializer):
    dossier = IdRelatedField(
        queryset=Dossier.objects.none(),
        help_text="Id of a dossier the caller sees.",
        error_messages={
            # Dossiers outside the caller's scope get the same answer as ids that do not exist.
            "does_not_exist": _("There is no dossier with this id that you can see."),
            "incorrect_type": INVALID_NUMBER,
        },
    )
    question = text_field("The obstacle.")

    def __init__(self, *args, dossiers=None, **kwargs):
        """``dossiers`` are those the caller sees."""
        super().__init__(*args, **kwargs)
        if dossiers is not None:
            self.fields["dossier"].queryset = dossiers


class ReplySerializer(serializers.Serializer):
    reply = text_field("The reply; the applicant reads it.")


# --- Public lookup -----------------------------------------------------------------------------------------


class LookupSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=30,
        help_text="The code on the receipt slip (“HS-4K7M-9QX2”); case and dashes do not matter.",
        error_messages={"max_length": TOO_LONG},
    )
    phone_last_four = serializers.RegexField(
        r"^[0-9]{4}$",
        help_text="The last four digits of the applicant's phone number.",
        # The web lookup's message.
        error_messages={"invalid": _("Enter exactly four digits.")},
    )


class PublicStatusSerializer(serializers.Serializer):
    """All the lookup tells: nothing about the person."""

    status = choice_field(Dossier.Status)
    status_label = serializers.CharField(read_only=True)
    procedure = serializers.CharField(source="procedure_name", read_only=True)
    due_date = serializers.DateField(read_only=True, allow_null=True)


# The body of each step of the table (dossiers/transitions.py), by what it asks for.
STEP_BODIES: dict[tuple[str, ...], type[serializers.Serializer] | None] = {
    (): None,
    ("reason",): ReasonSerializer,
    ("note",): NoteSerializer,
    ("result",): ResultSerializer,
    ("missing", "note"): RequestSupplementSerializer,
    ("new_due_date", "reason"): ApologySerializer,
    ("rating", "comment"): RatingSerializer,
}

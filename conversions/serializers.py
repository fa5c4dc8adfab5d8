"""Representations of the registry and the conversion cases in the API, and the bodies of their writes.

They parse and present; the rules live in conversions/services and conversions/access.py. A body
never carries a stage, a size class or an outcome date the pipeline sets itself: those come from
the services. The owner's CCCD and phone show whole only to the owner and to those who change the
commune's registry (``sees_owner_data``); everyone else, the council included, sees them masked.
"""

import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conversions.access import kept_communes, sees_owner_data
from conversions.eligibility import Judgement, judge_case
from conversions.models import (
    Conversion,
    ConversionStep,
    EntitlementGrant,
    FollowUpVisit,
    HouseholdBusiness,
    Outcome,
    OutcomeChange,
    OutcomeReason,
    Stage,
)
from dossiers.api.serializers import MaskedPersonSerializer
from dossiers.models import Applicant, Dossier
from policies.api import ResultSerializer
from portal.api.fields import DayField, IdRelatedField, WholeNumberField
from portal.api.filters import INVALID_NUMBER, TOO_LONG, ChoiceParameter
from portal.api.serializers import (
    OptionalChoiceField,
    PersonSerializer,
    UnitReferenceSerializer,
    choice_field,
)
from portal.models import AdminUnit
from portal.models.people import today
from portal.sectors import Sector, SizeClass

# --- Household businesses ----------------------------------------------------------------------------------


class OwnerSerializer(MaskedPersonSerializer):
    """The owner; unless the caller sees personal data whole, CCCD and phone are masked."""


class HouseholdBusinessSerializer(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()
    unit = UnitReferenceSerializer(read_only=True)
    sector = choice_field(Sector)
    revenue_band = OptionalChoiceField(HouseholdBusiness.RevenueBand, help_text="Null when not known.")
    tax_mode = choice_field(HouseholdBusiness.TaxMode)
    status = choice_field(HouseholdBusiness.Status)

    class Meta:
        model = HouseholdBusiness
        fields = [
            *("id", "name", "registration_number", "registered_on", "owner", "address", "unit", "sector"),
            *("workers", "revenue_band", "tax_mode", "status"),
        ]
        read_only_fields = fields

    @extend_schema_field(OwnerSerializer)
    def get_owner(self, business: HouseholdBusiness) -> dict:
        unmasked = sees_owner_data(self.context["request"].user, business)
        return OwnerSerializer(business.owner, context={"unmasked": unmasked}).data


class HouseholdBusinessDetailSerializer(HouseholdBusinessSerializer):
    conversion = serializers.SerializerMethodField(help_text="Id of its conversion case; null when none.")

    class Meta(HouseholdBusinessSerializer.Meta):
        fields = [*HouseholdBusinessSerializer.Meta.fields, "created_at", "conversion"]
        read_only_fields = fields

    def get_conversion(self, business: HouseholdBusiness) -> int | None:
        conversion = getattr(business, "conversion", None)  # select_related by the view
        return conversion.pk if conversion is not None else None


def text(
    model, name: str, help_text: str, *, required: bool = False, blank: bool = True
) -> serializers.CharField:
    """Free text of at most what the model's field holds. An empty reason is left to the service, whose
    refusal says what is expected; a name, number or address the service takes as given (``blank=False``)
    must be there."""
    return serializers.CharField(
        required=required,
        allow_blank=blank,
        default="" if not required else serializers.empty,
        max_length=model._meta.get_field(name).max_length,
        help_text=help_text,
        error_messages={"max_length": TOO_LONG},
    )


class OwnerBodySerializer(serializers.Serializer):
    full_name = text(Applicant, "full_name", "The owner's full name.", required=True, blank=False)
    national_id = serializers.CharField(
        max_length=20,
        help_text="The owner's CCCD number (12 digits); a person the portal knows is not recorded twice.",
        error_messages={"max_length": TOO_LONG},
    )
    phone = text(Applicant, "phone", "The owner's phone number.")


def _choice(choices, help_text: str, **kwargs) -> ChoiceParameter:
    return ChoiceParameter(choices=choices, help_text=help_text, **kwargs)


class HouseholdBusinessBodySerializer(serializers.Serializer):
    """The fields of a record; PATCH takes any of them (``partial``)."""

    name = text(HouseholdBusiness, "name", "The household business's name.", required=True, blank=False)
    registration_number = text(
        HouseholdBusiness,
        "registration_number",
        "The household business registration number.",
        required=True,
        blank=False,
    )
    registered_on = DayField(help_text="The day it was registered (YYYY-MM-DD); not in the future.")
    address = text(HouseholdBusiness, "address", "Where it trades.", required=True, blank=False)
    unit = IdRelatedField(
        queryset=AdminUnit.objects.none(),
        help_text="Id of its commune or ward, one the caller changes the registry of.",
        error_messages={
            "does_not_exist": _("There is no unit with this id."),
            "incorrect_type": INVALID_NUMBER,
        },
    )
    sector = _choice(Sector.choices, "Its VSIC section (A–U).")
    workers = WholeNumberField.of(
        HouseholdBusiness._meta.get_field("workers"), required=False, default=0, help_text="Its workers."
    )
    revenue_band = _choice(
        HouseholdBusiness.RevenueBand.choices,
        "Its yearly revenue; empty when not known.",
        required=False,
        allow_blank=True,
        default="",
    )
    tax_mode = _choice(
        HouseholdBusiness.TaxMode.choices,
        "How it pays tax; lump sum ended on 01/01/2026.",
        required=False,
        default=HouseholdBusiness.TaxMode.DECLARED,
    )

    def __init__(self, *args, user=None, **kwargs):
        """``user`` is the caller, whose writable units ``unit`` is checked against (None: the schema)."""
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["unit"].queryset = kept_communes(user)


class RecordHouseholdBusinessSerializer(HouseholdBusinessBodySerializer):
    owner = OwnerBodySerializer(help_text="The owner, matched to a known person by CCCD.")


class UpdateHouseholdBusinessSerializer(HouseholdBusinessBodySerializer):
    status = _choice(HouseholdBusiness.Status.choices, "Its status, e.g. ceased trading.", required=False)


# --- Conversions -------------------------------------------------------------------------------------------


class BusinessReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = HouseholdBusiness
        fields = ["id", "name", "registration_number"]
        read_only_fields = fields


class CaseDossierSerializer(serializers.ModelSerializer):
    status = choice_field(Dossier.Status)

    class Meta:
        model = Dossier
        fields = ["id", "code", "status"]
        read_only_fields = fields


class ConversionSerializer(serializers.ModelSerializer):
    household_business = BusinessReferenceSerializer(read_only=True)
    unit = UnitReferenceSerializer(read_only=True)
    stage = choice_field(Stage)
    dossier = CaseDossierSerializer(read_only=True, allow_null=True)
    size_class = OptionalChoiceField(SizeClass, help_text="Decree 80/2021 class; null before registration.")
    outcome = OptionalChoiceField(Outcome, help_text="The enterprise's state; null before registration.")

    class Meta:
        model = Conversion
        fields = [
            *("id", "household_business", "unit", "stage", "opened_on", "dossier", "enterprise_code"),
            *("enterprise_name", "registered_on", "size_class", "outcome", "outcome_since"),
        ]
        read_only_fields = fields


class StepSerializer(serializers.ModelSerializer):
    stage = choice_field(Stage)
    by = PersonSerializer(read_only=True)

    class Meta:
        model = ConversionStep
        fields = ["stage", "taken_on", "note", "is_correction", "by", "recorded_at"]
        read_only_fields = fields


class GrantSerializer(serializers.ModelSerializer):
    entitlement = serializers.SlugRelatedField(slug_field="code", read_only=True)
    name = serializers.CharField(source="entitlement.name", read_only=True)
    state = choice_field(EntitlementGrant.State)

    class Meta:
        model = EntitlementGrant
        fields = ["id", "entitlement", "name", "starts_on", "ends_on", "state"]
        read_only_fields = fields


class VisitSerializer(serializers.ModelSerializer):
    channel = OptionalChoiceField(FollowUpVisit.Channel, help_text="Null until it is done.")
    finding = OptionalChoiceField(FollowUpVisit.Finding, help_text="Null until it is done.")
    is_overdue = serializers.SerializerMethodField(
        help_text="Neither done nor skipped, and due before today."
    )
    recorded_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = FollowUpVisit
        fields = [
            *("id", "months_after", "due_on", "done_on", "is_overdue", "channel", "finding", "actions"),
            *("next_step", "attachment_name", "skipped_reason", "reschedule_reason", "recorded_by"),
        ]
        read_only_fields = fields

    def get_is_overdue(self, visit: FollowUpVisit) -> bool:
        return visit.is_overdue_on(today())


class OutcomeChangeSerializer(serializers.ModelSerializer):
    outcome = choice_field(Outcome)
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=OutcomeReason.choices), read_only=True
    )
    by = PersonSerializer(read_only=True)

    class Meta:
        model = OutcomeChange
        fields = ["outcome", "since", "reasons", "note", "by", "recorded_at"]
        read_only_fields = fields


class EligibilitySerializer(serializers.Serializer):
    on = serializers.DateField(help_text="The day of the rules: the registration day, else today.")
    months_as_household = serializers.IntegerField(
        help_text="Whole months registered as a household business."
    )
    results = ResultSerializer(many=True, help_text="Every household-business support in force that day.")


class ConversionDetailSerializer(ConversionSerializer):
    """A case with its steps, its eligibility, its entitlements, its visits and its outcomes."""

    household_business = serializers.SerializerMethodField()
    opened_by = PersonSerializer(read_only=True)
    size_reason = serializers.SerializerMethodField(help_text="Why the size class; null before registration.")
    eligibility = serializers.SerializerMethodField()
    steps = StepSerializer(many=True, read_only=True)
    entitlements = GrantSerializer(many=True, read_only=True)
    visits = VisitSerializer(many=True, read_only=True)
    outcomes = OutcomeChangeSerializer(many=True, read_only=True)

    class Meta(ConversionSerializer.Meta):
        fields = [
            *ConversionSerializer.Meta.fields,
            *("insured_workers", "yearly_revenue", "capital", "size_reason", "opened_by", "eligibility"),
            *("steps", "entitlements", "visits", "outcomes"),
        ]
        read_only_fields = fields

    @extend_schema_field(HouseholdBusinessSerializer)
    def get_household_business(self, conversion: Conversion) -> dict:
        return HouseholdBusinessSerializer(conversion.household_business, context=self.context).data

    def get_size_reason(self, conversion: Conversion) -> str | None:
        if conversion.registered_on is None:
            return None
        return judgement_of(conversion)[1].sizing.reason

    @extend_schema_field(EligibilitySerializer)
    def get_eligibility(self, conversion: Conversion) -> dict:
        on, judgement = judgement_of(conversion)
        return EligibilitySerializer(
            {"on": on, "months_as_household": judgement.months_as_household, "results": judgement.results}
        ).data


def judgement_of(conversion: Conversion) -> tuple[datetime.date, Judgement]:
    """``judge_case``, computed once per case."""
    cached = getattr(conversion, "_judgement", None)
    if cached is None:
        cached = conversion._judgement = judge_case(conversion, today())
    return cached


# --- Request bodies of the steps ---------------------------------------------------------------------------


def day(help_text: str) -> DayField:
    return DayField(required=False, help_text=help_text + " (YYYY-MM-DD); today if left out.")


def step_note(help_text: str = "A note on the step.", *, required: bool = False) -> serializers.CharField:
    return text(ConversionStep, "note", help_text, required=required)


class IdentifySerializer(serializers.Serializer):
    household_business = IdRelatedField(
        queryset=HouseholdBusiness.objects.none(),
        help_text="Id of a household business of the caller's commune.",
        error_messages={
            "does_not_exist": _("There is no household business with this id."),
            "incorrect_type": INVALID_NUMBER,
        },
    )
    on = day("The day it was picked as a candidate")
    note = step_note()

    def __init__(self, *args, businesses=None, **kwargs):
        super().__init__(*args, **kwargs)
        if businesses is not None:
            self.fields["household_business"].queryset = businesses


class AdviseSerializer(serializers.Serializer):
    on = day("The day the owner was advised")
    note = step_note()


class LinkDossierSerializer(serializers.Serializer):
    dossier = IdRelatedField(
        queryset=Dossier.objects.none(),
        help_text="Id of the owner's filed conversion-support dossier.",
        error_messages={
            "does_not_exist": _("There is no dossier with this id."),
            "incorrect_type": INVALID_NUMBER,
        },
    )
    on = day("The day it was linked")
    note = step_note()

    def __init__(self, *args, dossiers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dossiers is not None:
            self.fields["dossier"].queryset = dossiers


def amount(name: str, help_text: str) -> WholeNumberField:
    return WholeNumberField.of(
        Conversion._meta.get_field(name), required=False, allow_null=True, default=None, help_text=help_text
    )


class RegisterSerializer(serializers.Serializer):
    enterprise_code = serializers.CharField(
        max_length=30,
        help_text="The enterprise code: the 10-digit tax code.",
        error_messages={"max_length": TOO_LONG},
    )
    enterprise_name = text(
        Conversion, "enterprise_name", "The enterprise's name.", required=True, blank=False
    )
    registered_on = DayField(
        help_text="The day of the first enterprise registration certificate (YYYY-MM-DD)."
    )
    insured_workers = WholeNumberField.of(
        Conversion._meta.get_field("insured_workers"), help_text="Workers paying social insurance."
    )
    yearly_revenue = amount("yearly_revenue", "Yearly revenue in đồng, if known.")
    capital = amount("capital", "Capital in đồng, if known.")
    note = step_note()


class CorrectSerializer(serializers.Serializer):
    on = day("The day of the correction")
    reason = step_note("Why the last step is undone.", required=True)


class OutcomeSerializer(serializers.Serializer):
    outcome = _choice(Outcome.choices, "The enterprise's state from ``since`` on.")
    since = DayField(help_text="The day it took that state (YYYY-MM-DD).")
    reasons = serializers.ListField(
        child=_choice(OutcomeReason.choices, "A reason."),
        required=False,
        default=list,
        max_length=len(OutcomeReason.values),
        help_text="Why, each reason once; required unless the enterprise is operating.",
    )
    note = text(OutcomeChange, "note", "A note.")


class VisitBodySerializer(serializers.Serializer):
    done_on = DayField(help_text="The day of the visit, call or message (YYYY-MM-DD).")
    channel = _choice(FollowUpVisit.Channel.choices, "How the enterprise was reached.")
    finding = _choice(FollowUpVisit.Finding.choices, "In what state the enterprise was found.")
    actions = text(FollowUpVisit, "actions", "What was done.")
    next_step = text(FollowUpVisit, "next_step", "The next step.")


class RescheduleSerializer(serializers.Serializer):
    due_on = DayField(help_text="The new due day (YYYY-MM-DD), today or later.")
    reason = text(FollowUpVisit, "reschedule_reason", "Why it is moved.", required=True)


class SkipSerializer(serializers.Serializer):
    reason = text(FollowUpVisit, "skipped_reason", "Why it is skipped.", required=True)

"""Representations of projects, plans, mentors and success models in the API, and the bodies of their writes.

They parse and present; the rules live in projects/services and projects/access.py. A body never
carries a stage, a plan's status or a model's decision the services set themselves. Founders' and
household heads' CCCD and phones, and a household's income, show whole only to who keeps the project
and to its founders (``access.sees_personal_data``); a mentor's phone and e-mail only to the standing
agency and to the mentor.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dossiers.api.serializers import MaskedPersonSerializer
from dossiers.models import Applicant, Dossier
from portal.api.fields import DayField, IdRelatedField, WholeNumberField
from portal.api.filters import INVALID_NUMBER, TOO_LONG, ChoiceParameter
from portal.api.serializers import (
    OptionalChoiceField,
    PersonSerializer,
    UnitReferenceSerializer,
    choice_field,
)
from portal.models import AdminUnit, Team
from portal.models.people import today
from portal.personal_data import mask, mask_email, personal_details
from portal.scope import scope_for
from portal.sectors import Sector
from projects.access import keeps_projects
from projects.models import (
    Category,
    ConflictOfInterest,
    FundingSource,
    HouseholdListing,
    Kind,
    Livelihood,
    Mentor,
    MentorAssignment,
    MentorSession,
    Milestone,
    MilestoneUpdate,
    PlanFunding,
    PlanInput,
    PovertyPlan,
    Project,
    ProjectDossier,
    ProjectStep,
    ProjectVisit,
    ReviewResult,
    Stage,
    StopReason,
    SuccessModel,
    Support,
    SupportKind,
    YearlyReview,
)
from projects.services.mentors import MAX_SESSION_HOURS
from projects.services.plans import MAX_ROWS, plan_gaps
from projects.services.support import MAX_HOURS

# Founders named in one request, units one mentor covers, milestones marked on one visit.
MAX_FOUNDERS = 10
MAX_UNITS = 100

# --- Shared fields -----------------------------------------------------------------------------------------


def text(model, name: str, help_text: str, *, required: bool = False, blank: bool = True):
    """Free text of at most what the model's field holds; an empty reason is left to the service, whose
    refusal says what is expected."""
    return serializers.CharField(
        required=required,
        allow_blank=blank,
        default="" if not required else serializers.empty,
        max_length=model._meta.get_field(name).max_length,
        help_text=help_text,
        error_messages={"max_length": TOO_LONG},
    )


def choice(choices, help_text: str, **kwargs) -> ChoiceParameter:
    return ChoiceParameter(choices=choices, help_text=help_text, **kwargs)


def day(help_text: str, *, required: bool = False) -> DayField:
    if required:
        return DayField(help_text=help_text + " (YYYY-MM-DD).")
    return DayField(required=False, help_text=help_text + " (YYYY-MM-DD); today if left out.")


def whole(model, name: str, help_text: str, **kwargs) -> WholeNumberField:
    """A whole number within what the column holds: money in whole đồng, never negative or fractional."""
    return WholeNumberField.of(model._meta.get_field(name), help_text=help_text, **kwargs)


def related(queryset, help_text: str, missing: str, **kwargs) -> IdRelatedField:
    return IdRelatedField(
        queryset=queryset,
        help_text=help_text,
        error_messages={"does_not_exist": missing, "incorrect_type": INVALID_NUMBER},
        **kwargs,
    )


class HoursField(serializers.DecimalField):
    """Hours to one decimal, written in ASCII digits ("1.5"), above zero and at most ``max_value``."""

    def __init__(self, *, maximum: Decimal, **kwargs):
        super().__init__(
            max_digits=6, decimal_places=1, min_value=Decimal("0.1"), max_value=maximum, **kwargs
        )

    def to_internal_value(self, data):
        if isinstance(data, str) and not data.isascii():
            self.fail("invalid")
        return super().to_internal_value(data)


def unmasked(serializer) -> bool:
    return bool(serializer.context.get("unmasked"))


class ProjectReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "name"]
        read_only_fields = fields


class MentorReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mentor
        fields = ["id", "full_name"]
        read_only_fields = fields


class ProviderTeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name"]
        read_only_fields = fields


# --- Projects ----------------------------------------------------------------------------------------------


class FounderSerializer(serializers.Serializer):
    """A founder; unless the caller sees personal data whole, CCCD and phone are masked."""

    id = serializers.IntegerField(source="person.pk", help_text="The person's id.")
    full_name = serializers.CharField(source="person.full_name")
    national_id = serializers.SerializerMethodField(
        help_text="CCCD number; masked but for its last four digits unless the caller sees personal data."
    )
    phone = serializers.SerializerMethodField(
        help_text="Masked but for its last four digits unless the caller sees personal data."
    )
    is_lead = serializers.BooleanField()

    def get_national_id(self, founder) -> str:
        return personal_details(founder.person, whole=unmasked(self)).national_id

    def get_phone(self, founder) -> str:
        return personal_details(founder.person, whole=unmasked(self)).phone


class ProjectSerializer(serializers.ModelSerializer):
    kind = choice_field(Kind)
    sector = choice_field(Sector)
    unit = UnitReferenceSerializer(read_only=True)
    stage = choice_field(Stage)
    stop_reason = OptionalChoiceField(StopReason, help_text="Why it stopped; null unless stopped.")
    replicates = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Id of the success model it copies; null when none."
    )

    class Meta:
        model = Project
        fields = [
            *("id", "name", "kind", "sector", "unit", "stage", "stop_reason", "capital_needed"),
            *("own_capital", "workers", "jobs_planned", "jobs_created", "jobs_women", "jobs_young"),
            *("registered_on", "replicates"),
        ]
        read_only_fields = fields


class ProjectStepSerializer(serializers.ModelSerializer):
    stage = choice_field(Stage)
    stop_reason = OptionalChoiceField(StopReason, help_text="Why it stopped; null unless it stopped.")
    by = PersonSerializer(read_only=True)

    class Meta:
        model = ProjectStep
        fields = ["stage", "taken_on", "note", "stop_reason", "is_correction", "by", "recorded_at"]
        read_only_fields = fields


class ProjectDossierSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="dossier.pk", read_only=True, help_text="The dossier's id.")
    code = serializers.CharField(source="dossier.code", read_only=True)
    procedure = serializers.CharField(source="dossier.procedure.code", read_only=True)
    status = serializers.ChoiceField(choices=Dossier.Status.choices, source="dossier.status", read_only=True)

    class Meta:
        model = ProjectDossier
        fields = ["id", "code", "procedure", "status", "linked_on"]
        read_only_fields = fields


class ProjectDetailSerializer(ProjectSerializer):
    """A project with its founders, its dated steps, its dossiers, its plan and its model."""

    founders = serializers.SerializerMethodField()
    registered_by = PersonSerializer(read_only=True)
    steps = ProjectStepSerializer(many=True, read_only=True)
    dossiers = ProjectDossierSerializer(many=True, read_only=True, source="dossier_links")
    plan = serializers.SerializerMethodField(help_text="Id of its poverty-escape plan; null when none.")
    success_model = serializers.SerializerMethodField(
        help_text="Id of the success model it was proposed as; null when none."
    )

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            *("summary", "replicates_since", "registered_by", "founders", "steps", "dossiers", "plan"),
            "success_model",
        ]
        read_only_fields = fields

    @extend_schema_field(FounderSerializer(many=True))
    def get_founders(self, project: Project) -> list[dict]:
        return FounderSerializer(project.founders.all(), many=True, context=self.context).data

    def get_plan(self, project: Project) -> int | None:
        plan = getattr(project, "plan", None)  # select_related by the view
        return plan.pk if plan is not None else None

    def get_success_model(self, project: Project) -> int | None:
        model = getattr(project, "success_model", None)
        return model.pk if model is not None else None


class FounderBodySerializer(serializers.Serializer):
    full_name = text(Applicant, "full_name", "The founder's full name.", required=True, blank=False)
    national_id = serializers.CharField(
        max_length=20,
        help_text="The founder's CCCD number (12 digits); a person the portal knows is not recorded twice.",
        error_messages={"max_length": TOO_LONG},
    )
    phone = text(Applicant, "phone", "The founder's phone number.")


def figure(name: str, help_text: str, *, partial: bool = False) -> WholeNumberField:
    if partial:
        return whole(Project, name, help_text, required=False)
    return whole(Project, name, help_text, required=False, default=0)


class ProjectFiguresSerializer(serializers.Serializer):
    """The figures of a project; the service checks that they agree (own capital within the need, jobs
    within the workers, women and young people within the jobs)."""

    capital_needed = figure("capital_needed", "Capital needed, in whole đồng.")
    own_capital = figure("own_capital", "Own capital, in whole đồng.")
    workers = figure("workers", "Workers recorded.")
    jobs_planned = figure("jobs_planned", "Jobs planned.")
    jobs_created = figure("jobs_created", "Jobs created, at most the workers recorded.")
    jobs_women = figure("jobs_women", "Of the jobs created, women.")
    jobs_young = figure("jobs_young", "Of the jobs created, young people (16–30).")


class RegisterProjectSerializer(ProjectFiguresSerializer):
    founders = serializers.ListField(
        child=FounderBodySerializer(),
        min_length=1,
        max_length=MAX_FOUNDERS,
        help_text="The founders, the lead first; each matched to a known person by CCCD.",
    )
    address = text(Applicant, "address", "The founders' address, for those the portal does not know yet.")
    on = day("The day the project is registered")
    name = text(Project, "name", "The project's name.", required=True, blank=False)
    kind = choice(
        Kind.choices, "Its kind; a poverty-escape project starts with its plan (POST /poverty-plans/)."
    )
    sector = choice(Sector.choices, "Its VSIC section (A–U).")
    unit = related(
        AdminUnit.objects.none(),
        "Id of its commune or ward, one whose projects the caller keeps.",
        _("There is no unit with this id."),
    )
    stage = choice(Stage.choices, "Where it starts: an idea or a plan.", required=False, default=Stage.IDEA)
    summary = text(Project, "summary", "What the project does.")

    def __init__(self, *args, user=None, **kwargs):
        """``user`` is the caller, whose writable units ``unit`` is checked against (None: the schema)."""
        super().__init__(*args, **kwargs)
        if user is not None:
            writable = scope_for(user).writable_unit_ids if keeps_projects(user) else ()
            self.fields["unit"].queryset = AdminUnit.objects.filter(pk__in=writable)


class UpdateProjectSerializer(serializers.Serializer):
    """What an officer may change once the project is registered; its stage moves only by steps."""

    name = text(Project, "name", "The project's name.", required=False, blank=False)
    sector = choice(Sector.choices, "Its VSIC section (A–U).", required=False)
    summary = text(Project, "summary", "What the project does.")
    capital_needed = figure("capital_needed", "Capital needed, in whole đồng.", partial=True)
    own_capital = figure("own_capital", "Own capital, in whole đồng.", partial=True)
    workers = figure("workers", "Workers recorded.", partial=True)
    jobs_planned = figure("jobs_planned", "Jobs planned.", partial=True)
    jobs_created = figure("jobs_created", "Jobs created, at most the workers recorded.", partial=True)
    jobs_women = figure("jobs_women", "Of the jobs created, women.", partial=True)
    jobs_young = figure("jobs_young", "Of the jobs created, young people (16–30).", partial=True)


class MoveStageSerializer(serializers.Serializer):
    to = choice(Stage.choices, "The next stage forward, or “stopped” with its reason.")
    on = day("The day of the step")
    note = text(ProjectStep, "note", "A note on the step.")
    stop_reason = choice(
        StopReason.choices, "Why it stopped (with “stopped”).", required=False, allow_blank=True, default=""
    )


class CorrectStepSerializer(serializers.Serializer):
    on = day("The day of the correction")
    note = text(ProjectStep, "note", "Why the last step is undone.", required=True)


class SupportSerializer(serializers.ModelSerializer):
    kind = choice_field(SupportKind)
    team = ProviderTeamSerializer(read_only=True, allow_null=True, help_text="Null unless a team gave it.")
    mentor = MentorReferenceSerializer(
        read_only=True, allow_null=True, help_text="Null unless a mentor gave it."
    )
    hours = serializers.DecimalField(
        max_digits=6, decimal_places=1, read_only=True, allow_null=True, help_text="Null when not counted."
    )
    value = serializers.IntegerField(read_only=True, allow_null=True, help_text="In đồng; null when none.")
    by = PersonSerializer(read_only=True)

    class Meta:
        model = Support
        fields = [
            *("id", "kind", "team", "mentor", "organisation", "given_on", "hours", "value", "outcome"),
            *("by", "recorded_at"),
        ]
        read_only_fields = fields


class RecordSupportSerializer(serializers.Serializer):
    kind = choice(SupportKind.choices, "The kind of support.")
    team = related(
        Team.objects.none(),
        "Id of the team that gave it (one provider: a team, a mentor or an organisation).",
        _("There is no team with this id."),
        required=False,
        allow_null=True,
        default=None,
    )
    mentor = related(
        Mentor.objects.none(),
        "Id of the mentor who gave it.",
        _("There is no mentor with this id."),
        required=False,
        allow_null=True,
        default=None,
    )
    organisation = text(Support, "organisation", "The organisation that gave it.")
    given_on = day("The day it was given", required=True)
    hours = HoursField(
        maximum=MAX_HOURS, required=False, allow_null=True, default=None, help_text="Hours, if counted."
    )
    value = whole(
        Support, "value", "Its value in whole đồng, if any.", required=False, allow_null=True, default=None
    )
    outcome = text(Support, "outcome", "What came of it.")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["team"].queryset = Team.objects.visible_to(user)
            self.fields["mentor"].queryset = Mentor.objects.visible_to(user)


class MilestoneUpdateSerializer(serializers.ModelSerializer):
    milestone = serializers.PrimaryKeyRelatedField(read_only=True)
    title = serializers.CharField(source="milestone.title", read_only=True)
    state = choice_field(Milestone.State)
    new_due_on = serializers.DateField(read_only=True, allow_null=True, help_text="Null unless changed.")

    class Meta:
        model = MilestoneUpdate
        fields = ["milestone", "title", "state", "new_due_on", "reason"]
        read_only_fields = fields


class ProjectVisitSerializer(serializers.ModelSerializer):
    channel = choice_field(ProjectVisit.Channel)
    by = PersonSerializer(read_only=True)
    milestone_updates = MilestoneUpdateSerializer(many=True, read_only=True)

    class Meta:
        model = ProjectVisit
        fields = [
            "id",
            "visited_on",
            "channel",
            "note",
            "next_step",
            "by",
            "recorded_at",
            "milestone_updates",
        ]
        read_only_fields = fields


class FindingSerializer(serializers.Serializer):
    milestone = related(
        Milestone.objects.none(), "Id of a milestone of the project's plan.", _("There is no such milestone.")
    )
    state = choice(Milestone.State.choices, "What the visit found: done, late, or changed to a new date.")
    new_due_on = DayField(
        required=False, allow_null=True, default=None, help_text="The new date (with “changed”)."
    )
    reason = text(MilestoneUpdate, "reason", "Why it changed (with “changed”).")


class RecordVisitSerializer(serializers.Serializer):
    visited_on = day("The day of the visit or call", required=True)
    channel = choice(
        ProjectVisit.Channel.choices, "How the project was reached.", required=False, default="visit"
    )
    note = text(ProjectVisit, "note", "What was seen and done.", required=True)
    next_step = text(ProjectVisit, "next_step", "The next step.")
    findings = serializers.ListField(
        child=FindingSerializer(),
        required=False,
        default=list,
        max_length=MAX_ROWS,
        help_text="What the visit found of the plan's milestones, each once.",
    )
    inputs_given = serializers.ListField(
        child=related(
            PlanInput.objects.none(), "Id of an input of the project's plan.", _("There is no such input.")
        ),
        required=False,
        default=list,
        max_length=MAX_ROWS,
        help_text="The approved plan's inputs handed over on this visit (each once ever).",
    )

    def __init__(self, *args, milestones=None, inputs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if milestones is not None:
            self.fields["findings"].child.fields["milestone"].queryset = milestones
        if inputs is not None:
            self.fields["inputs_given"].child.queryset = inputs


class LinkProjectDossierSerializer(serializers.Serializer):
    dossier = related(
        Dossier.objects.none(),
        "Id of a founder's startup-support, fund-loan or poverty-escape dossier.",
        _("There is no dossier with this id."),
    )

    def __init__(self, *args, dossiers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dossiers is not None:
            self.fields["dossier"].queryset = dossiers


# --- Poverty-escape plans ----------------------------------------------------------------------------------


class HouseholdSerializer(serializers.ModelSerializer):
    unit = UnitReferenceSerializer(read_only=True)
    category = choice_field(Category)

    class Meta:
        model = HouseholdListing
        fields = ["id", "household_code", "year", "unit", "category", "members"]
        read_only_fields = fields


class HouseholdHeadSerializer(MaskedPersonSerializer):
    """The household's head; unless the caller sees personal data whole, CCCD and phone are masked."""


class HouseholdDetailSerializer(HouseholdSerializer):
    head = HouseholdHeadSerializer(read_only=True)
    income_per_person = serializers.SerializerMethodField(
        help_text="Income per person a month in đồng; null unless the caller sees personal data."
    )
    standard = serializers.CharField(source="standard.name", read_only=True)

    class Meta(HouseholdSerializer.Meta):
        fields = [
            *HouseholdSerializer.Meta.fields,
            *("head", "is_urban", "income_per_person", "deprivations", "standard"),
        ]
        read_only_fields = fields

    def get_income_per_person(self, household: HouseholdListing) -> int | None:
        return household.income_per_person if unmasked(self) else None


class PlanProjectSerializer(serializers.ModelSerializer):
    stage = choice_field(Stage)

    class Meta:
        model = Project
        fields = ["id", "name", "stage"]
        read_only_fields = fields


class PovertyPlanSerializer(serializers.ModelSerializer):
    project = PlanProjectSerializer(read_only=True)
    household = HouseholdSerializer(read_only=True)
    livelihood = choice_field(Livelihood)
    status = choice_field(PovertyPlan.Status)
    approved_on = serializers.DateField(read_only=True, allow_null=True, help_text="Null until approved.")

    class Meta:
        model = PovertyPlan
        fields = [
            *("id", "project", "household", "livelihood", "budget_total", "expected_monthly_income"),
            *("starts_on", "ends_on", "status", "approved_on"),
        ]
        read_only_fields = fields


class FundingSerializer(serializers.ModelSerializer):
    source = choice_field(FundingSource)

    class Meta:
        model = PlanFunding
        fields = ["source", "amount"]
        read_only_fields = fields


class InputSerializer(serializers.ModelSerializer):
    given_on = serializers.DateField(read_only=True, allow_null=True, help_text="Null until given.")

    class Meta:
        model = PlanInput
        fields = ["description", "value", "given_by", "given_on"]
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    state = choice_field(Milestone.State)
    done_on = serializers.DateField(read_only=True, allow_null=True, help_text="Null until done.")
    is_late = serializers.SerializerMethodField(help_text="Not done and past its date, or marked late.")

    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "planned_on", "supporter", "state", "done_on", "is_late"]
        read_only_fields = fields

    def get_is_late(self, milestone: Milestone) -> bool:
        return milestone.is_late_on(today())


class ReviewSerializer(serializers.ModelSerializer):
    result = choice_field(ReviewResult)
    by = PersonSerializer(read_only=True)

    class Meta:
        model = YearlyReview
        fields = ["year", "result", "reviewed_on", "note", "by"]
        read_only_fields = fields


class PovertyPlanDetailSerializer(PovertyPlanSerializer):
    """A plan with its household, budget sources, inputs, milestones, reviews and what it still lacks."""

    household = serializers.SerializerMethodField()
    written_by = PersonSerializer(read_only=True)
    approved_by = PersonSerializer(read_only=True, allow_null=True, help_text="Null until approved.")
    fundings = FundingSerializer(many=True, read_only=True)
    inputs = InputSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    reviews = ReviewSerializer(many=True, read_only=True)
    gaps = serializers.SerializerMethodField(
        help_text="What the plan still lacks to be approved; empty when complete."
    )

    class Meta(PovertyPlanSerializer.Meta):
        fields = [
            *PovertyPlanSerializer.Meta.fields,
            *("description", "written_by", "approved_by", "fundings", "inputs", "milestones", "reviews"),
            "gaps",
        ]
        read_only_fields = fields

    @extend_schema_field(HouseholdDetailSerializer)
    def get_household(self, plan: PovertyPlan) -> dict:
        return HouseholdDetailSerializer(plan.household, context=self.context).data

    def get_gaps(self, plan: PovertyPlan) -> list[str]:
        return [str(gap) for gap in plan_gaps(plan)]


class FundingBodySerializer(serializers.Serializer):
    source = choice(FundingSource.choices, "Where this part of the budget comes from.")
    amount = whole(PlanFunding, "amount", "The amount in whole đồng, above zero.")


class InputBodySerializer(serializers.Serializer):
    description = text(PlanInput, "description", "What is given.", required=True, blank=False)
    value = whole(PlanInput, "value", "Its value in whole đồng.")
    given_by = text(PlanInput, "given_by", "Who gives it.", required=True, blank=False)


class MilestoneBodySerializer(serializers.Serializer):
    title = text(Milestone, "title", "The milestone.", required=True, blank=False)
    due_on = day("Its date, within the plan's dates", required=True)
    supporter = text(Milestone, "supporter", "Who supports it.", required=True)


def rows(child, help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=child, required=False, default=list, max_length=MAX_ROWS, help_text=help_text
    )


class OpenPlanSerializer(serializers.Serializer):
    household = related(
        HouseholdListing.objects.none(),
        "Id of the household on a commune's list of poor and near-poor households.",
        _("There is no household with this id."),
    )
    name = text(Project, "name", "The name of the household's project.", required=True, blank=False)
    sector = choice(Sector.choices, "Its VSIC section (A–U).")
    on = day("The day the plan is written")
    livelihood = choice(Livelihood.choices, "The livelihood.")
    description = text(PovertyPlan, "description", "What the household will do.")
    budget_total = whole(PovertyPlan, "budget_total", "The total budget in whole đồng, above zero.")
    expected_monthly_income = whole(
        PovertyPlan, "expected_monthly_income", "Expected income a month in whole đồng."
    )
    starts_on = day("The day the plan starts", required=True)
    ends_on = day("The day it ends", required=True)
    fundings = rows(FundingBodySerializer(), "Where the budget comes from; the parts add up to the total.")
    inputs = rows(InputBodySerializer(), "What the household is given to start.")
    milestones = rows(MilestoneBodySerializer(), "The milestones with their dates and who supports each.")

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        if households is not None:
            self.fields["household"].queryset = households


class ApprovePlanSerializer(serializers.Serializer):
    on = day("The day the commune team approves it")


class RecordReviewSerializer(serializers.Serializer):
    year = WholeNumberField(min_value=2000, max_value=2100, help_text="The year reviewed.")
    result = choice(ReviewResult.choices, "What became of the household that year.")
    on = day("The day of the review")
    note = text(YearlyReview, "note", "A note.")


# --- Mentors -----------------------------------------------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    mentor = MentorReferenceSerializer(read_only=True)
    project = ProjectReferenceSerializer(read_only=True)
    ended_on = serializers.DateField(read_only=True, allow_null=True, help_text="Null while it lasts.")
    by = PersonSerializer(read_only=True)

    class Meta:
        model = MentorAssignment
        fields = ["id", "mentor", "project", "assigned_on", "ended_on", "by"]
        read_only_fields = fields


class ConflictSerializer(serializers.ModelSerializer):
    mentor = MentorReferenceSerializer(read_only=True)
    project = ProjectReferenceSerializer(read_only=True)
    by = PersonSerializer(read_only=True)

    class Meta:
        model = ConflictOfInterest
        fields = ["id", "mentor", "project", "reason", "declared_on", "by"]
        read_only_fields = fields


class MentorSerializer(serializers.ModelSerializer):
    """A mentor of the pool; phone and e-mail whole only to the standing agency and the mentor."""

    units = UnitReferenceSerializer(many=True, read_only=True)
    availability = choice_field(Mentor.Availability)
    phone = serializers.SerializerMethodField(
        help_text="Masked unless the caller keeps the pool or is the mentor."
    )
    email = serializers.SerializerMethodField(
        help_text="Masked unless the caller keeps the pool or is the mentor."
    )
    has_account = serializers.SerializerMethodField(help_text="Whether the mentor signs in with an account.")

    class Meta:
        model = Mentor
        fields = [
            *("id", "full_name", "fields", "organisation", "units", "availability", "phone", "email"),
            *("public_consent", "has_account"),
        ]
        read_only_fields = fields

    def whole(self, mentor: Mentor) -> bool:
        return bool(self.context.get("keeps_pool")) or mentor.user_id == self.context["request"].user.pk

    def get_phone(self, mentor: Mentor) -> str:
        return mentor.phone if self.whole(mentor) else mask(mentor.phone)

    def get_email(self, mentor: Mentor) -> str:
        return mentor.email if self.whole(mentor) else mask_email(mentor.email)

    def get_has_account(self, mentor: Mentor) -> bool:
        return mentor.user_id is not None


class MentorDetailSerializer(MentorSerializer):
    """A mentor with the assignments and conflicts of the projects the caller sees."""

    assignments = serializers.SerializerMethodField()
    conflicts = serializers.SerializerMethodField()

    class Meta(MentorSerializer.Meta):
        fields = [*MentorSerializer.Meta.fields, "assignments", "conflicts"]
        read_only_fields = fields

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_assignments(self, mentor: Mentor) -> list[dict]:
        return AssignmentSerializer(mentor.seen_assignments, many=True).data

    @extend_schema_field(ConflictSerializer(many=True))
    def get_conflicts(self, mentor: Mentor) -> list[dict]:
        return ConflictSerializer(mentor.seen_conflicts, many=True).data


class MentorBodySerializer(serializers.Serializer):
    """The fields of a mentor; PATCH takes any of them (``partial``)."""

    full_name = text(Mentor, "full_name", "The mentor's full name.", required=True, blank=False)
    fields = text(Mentor, "fields", "The fields of expertise.", required=True, blank=False)
    organisation = text(Mentor, "organisation", "The mentor's organisation.")
    units = serializers.ListField(
        child=related(AdminUnit.objects.none(), "Id of a unit.", _("There is no unit with this id.")),
        required=False,
        default=list,
        max_length=MAX_UNITS,
        help_text="Ids of the units the mentor covers.",
    )
    availability = choice(
        Mentor.Availability.choices,
        "Whether the mentor takes projects now.",
        required=False,
        default="available",
    )
    phone = text(Mentor, "phone", "The mentor's phone number.")
    email = serializers.EmailField(
        required=False,
        allow_blank=True,
        default="",
        max_length=Mentor._meta.get_field("email").max_length,
        help_text="The mentor's e-mail address.",
        error_messages={"max_length": TOO_LONG},
    )
    public_consent = serializers.BooleanField(
        required=False, default=False, help_text="Whether the mentor agrees to be listed publicly."
    )
    username = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=150,
        help_text="The username of the mentor's own account, with which they sign in; empty for none.",
        error_messages={"max_length": TOO_LONG},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["units"].child.queryset = AdminUnit.objects.visible_to(user)


class AssignMentorSerializer(serializers.Serializer):
    project = related(Project.objects.none(), "Id of the project.", _("There is no project with this id."))
    on = day("The day of the assignment")

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        if projects is not None:
            self.fields["project"].queryset = projects


class DeclareConflictSerializer(AssignMentorSerializer):
    reason = text(ConflictOfInterest, "reason", "What the conflict of interest is.", required=True)
    on = day("The day it is declared")


class MentorSessionSerializer(serializers.ModelSerializer):
    mentor = MentorReferenceSerializer(read_only=True)
    project = ProjectReferenceSerializer(read_only=True)
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, read_only=True)
    logged_by = PersonSerializer(read_only=True)

    class Meta:
        model = MentorSession
        fields = [
            "id",
            "mentor",
            "project",
            "held_on",
            "hours",
            "topic",
            "next_step",
            "logged_by",
            "logged_at",
        ]
        read_only_fields = fields


class LogSessionSerializer(serializers.Serializer):
    mentor = related(
        Mentor.objects.none(),
        "Id of the mentor; the caller's own mentor record when left out.",
        _("There is no mentor with this id."),
        required=False,
        allow_null=True,
        default=None,
    )
    project = related(
        Project.objects.none(),
        "Id of a project the mentor is assigned to.",
        _("There is no project with this id."),
    )
    held_on = day("The day of the session", required=True)
    hours = HoursField(maximum=MAX_SESSION_HOURS, help_text="How long it lasted, in hours (e.g. 1.5).")
    topic = text(MentorSession, "topic", "What it was about.", required=True)
    next_step = text(MentorSession, "next_step", "The next step.")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["mentor"].queryset = Mentor.objects.visible_to(user)
            self.fields["project"].queryset = Project.objects.visible_to(user)


# --- Success models ----------------------------------------------------------------------------------------


class SuccessModelSerializer(serializers.ModelSerializer):
    project = ProjectReferenceSerializer(read_only=True)
    status = choice_field(SuccessModel.Status)
    consent_recorded_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="Null unless the founder agreed to publication."
    )
    proposed_by = PersonSerializer(read_only=True)
    decided_by = PersonSerializer(read_only=True, allow_null=True, help_text="Null until decided.")
    decided_on = serializers.DateField(read_only=True, allow_null=True, help_text="Null until decided.")
    replications = serializers.IntegerField(
        source="replication_count", read_only=True, help_text="Projects that copy it (all, in any scope)."
    )

    class Meta:
        model = SuccessModel
        fields = [
            *("id", "project", "title", "status", "yearly_revenue", "jobs", "years_operating", "evidence"),
            *("public_consent", "consent_recorded_on", "proposed_by", "proposed_on", "decided_by"),
            *("decided_on", "decision_note", "replications"),
        ]
        read_only_fields = fields


class ProposeModelSerializer(serializers.Serializer):
    project = related(
        Project.objects.none(),
        "Id of an operating or growing project.",
        _("There is no project with this id."),
    )
    title = text(SuccessModel, "title", "The name of the model.", required=True, blank=False)
    yearly_revenue = whole(SuccessModel, "yearly_revenue", "Yearly revenue in whole đồng.")
    jobs = whole(SuccessModel, "jobs", "Jobs it gives.")
    years_operating = whole(SuccessModel, "years_operating", "Years it has operated.")
    evidence = text(SuccessModel, "evidence", "What it achieved and what others can learn.", required=True)
    public_consent = serializers.BooleanField(
        required=False, default=False, help_text="Whether the founder agrees to its publication."
    )
    on = day("The day it is proposed")

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        if projects is not None:
            self.fields["project"].queryset = projects


class DecideModelSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(help_text="true: the council confirms it; false: it does not.")
    note = text(SuccessModel, "decision_note", "Why it is not confirmed (required then).")
    on = day("The day of the decision")


class ReplicationSerializer(AssignMentorSerializer):
    project = related(
        Project.objects.none(),
        "Id of a later project that copies the model.",
        _("There is no project with this id."),
    )
    on = day("The day it started copying the model")

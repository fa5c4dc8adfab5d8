"""Representations of the fund in the API, and the bodies of its writes.

They parse and present; the rules live in fund/services and fund/access.py. A body never carries a
status, a balance or a posting: the services set them. No borrower's CCCD, phone or address is
presented (a borrower is named only); a contributor's contact shows to the fund's own officers only,
the name of one who asked to stay anonymous to the readers of the fund's ledger only.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dossiers.models import Dossier
from fund.allocation import DEFAULT_ORDER
from fund.models import (
    Appraiser,
    Bucket,
    Contribution,
    Decision,
    DecisionKind,
    Declaration,
    Entry,
    Fund,
    Level,
    Loan,
    LoanApplication,
    Method,
    Receipt,
    Recommendation,
    Regulation,
    Repayment,
    RubricCriterion,
    ScheduleVersion,
    Score,
    SiteVisit,
    Source,
    Status,
    Tranche,
    Transaction,
    TransactionKind,
)
from fund.models.ledger import Account, AccountKind
from fund.services.applications import TOP_SCORE
from fund.services.decisions import MAX_TRANCHES
from portal.api.fields import DayField, IdRelatedField, WholeNumberField
from portal.api.filters import INVALID_NUMBER, TOO_LONG, ChoiceParameter
from portal.api.serializers import (
    OptionalChoiceField,
    PersonSerializer,
    UnitReferenceSerializer,
    choice_field,
    row_writer,
)
from portal.models import AdminUnit, User
from portal.money import MAX_AMOUNT
from portal.sectors import Sector

ANONYMOUS_CONTRIBUTOR = _("Anonymous contributor")
MAX_CRITERIA = 20

# The startup project a loan funds, reached through the key: the domain apps never import each other.
Project = LoanApplication._meta.get_field("project").related_model


def text(model, name: str, help_text: str, *, required: bool = False):
    """Free text of at most what the model's field holds; an empty one is left to the service, whose
    refusal says what is expected."""
    return serializers.CharField(
        required=required,
        allow_blank=True,
        default="" if not required else serializers.empty,
        max_length=model._meta.get_field(name).max_length,
        help_text=help_text,
        error_messages={"max_length": TOO_LONG},
    )


def amount(help_text: str, **kwargs) -> WholeNumberField:
    """Money in whole đồng, above zero and at most ``portal.money.MAX_AMOUNT``."""
    return WholeNumberField(min_value=1, max_value=MAX_AMOUNT, help_text=help_text, **kwargs)


def whole(model, name: str, help_text: str, **kwargs) -> WholeNumberField:
    return WholeNumberField.of(model._meta.get_field(name), help_text=help_text, **kwargs)


def related(queryset, help_text: str, missing: str, **kwargs) -> IdRelatedField:
    return IdRelatedField(
        queryset=queryset,
        help_text=help_text,
        error_messages={"does_not_exist": missing, "incorrect_type": INVALID_NUMBER},
        **kwargs,
    )


def choice(choices, help_text: str, **kwargs) -> ChoiceParameter:
    return ChoiceParameter(choices=choices, help_text=help_text, **kwargs)


def day(help_text: str, *, required: bool = True) -> DayField:
    return DayField(required=required, help_text=help_text + " (YYYY-MM-DD).")


def runs_fund(serializer, fund_id: int) -> bool:
    """Whether the caller runs the fund (the view puts the funds the caller runs in the context)."""
    return fund_id in serializer.context.get("runs_funds", ())


def reads_ledger(serializer, fund_id: int) -> bool:
    """Whether the caller reads the fund's ledger: the council and the standing agency every fund's."""
    return bool(serializer.context.get("reads_every_ledger")) or runs_fund(serializer, fund_id)


# --- Funds and regulations -----------------------------------------------------------------------------


class RegulationReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Regulation
        fields = ["id", "number", "title", "effective_from", "effective_to", "is_example"]
        read_only_fields = fields


class CapitalSerializer(serializers.Serializer):
    source = choice_field(Source)
    received = serializers.IntegerField(read_only=True, help_text="Capital received from the source (đồng).")


class FundSerializer(serializers.ModelSerializer):
    unit = UnitReferenceSerializer(read_only=True)
    regulation = serializers.SerializerMethodField(help_text="The version in force today; null when none is.")
    capital = serializers.SerializerMethodField(help_text="Capital received, by source.")
    cash = serializers.SerializerMethodField(
        help_text="Cash at the fund (đồng); null unless the caller reads the fund's ledger."
    )

    class Meta:
        model = Fund
        fields = [
            "id",
            "name",
            "slug",
            "unit",
            "founded_on",
            "capital_target",
            "description",
            "regulation",
            "capital",
            "cash",
        ]
        read_only_fields = fields

    @extend_schema_field(RegulationReferenceSerializer(allow_null=True))
    def get_regulation(self, fund: Fund) -> dict | None:
        # ``in_force`` is prefetched by the view: the version in force today, or none.
        in_force = fund.in_force[0] if fund.in_force else None
        return (
            row_writer(self, RegulationReferenceSerializer).to_representation(in_force) if in_force else None
        )

    @extend_schema_field(CapitalSerializer(many=True))
    def get_capital(self, fund: Fund) -> list[dict]:
        rows = [
            {"source": account.source, "received": account.shown_balance}
            for account in fund.ledger_accounts
            if account.kind == AccountKind.CAPITAL
        ]
        return [row_writer(self, CapitalSerializer).to_representation(row) for row in rows]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_cash(self, fund: Fund) -> int | None:
        if not reads_ledger(self, fund.pk):
            return None
        return sum(account.balance for account in fund.ledger_accounts if account.kind == AccountKind.CASH)


class GroupSerializer(serializers.Serializer):
    key = serializers.CharField(
        read_only=True, help_text="The quarter (2026-Q3), the sector or the unit's id."
    )
    label = serializers.CharField(read_only=True)
    count = serializers.IntegerField(read_only=True, help_text="Loans granted.")
    amount = serializers.IntegerField(read_only=True, help_text="Approved (đồng).")
    disbursed = serializers.IntegerField(read_only=True, help_text="Released (đồng).")


class DisclosureSerializer(serializers.Serializer):
    """What the fund publishes: counts and amounts, never a borrower's name, CCCD, phone or contract."""

    fund = serializers.IntegerField(source="fund.pk", read_only=True)
    on = serializers.DateField(read_only=True)
    regulation = RegulationReferenceSerializer(read_only=True, allow_null=True)
    capital = serializers.SerializerMethodField(help_text="Capital received by contributed source.")
    capital_received = serializers.IntegerField(read_only=True)
    target_share = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Capital received as a % of the target; null without one."
    )
    recycled = serializers.IntegerField(read_only=True, help_text="Principal repaid, lent again.")
    interest_earned = serializers.IntegerField(read_only=True)
    loans = serializers.IntegerField(read_only=True)
    approved = serializers.IntegerField(read_only=True)
    disbursed = serializers.IntegerField(read_only=True)
    outstanding = serializers.IntegerField(read_only=True)
    principal_repaid = serializers.IntegerField(read_only=True)
    interest_repaid = serializers.IntegerField(read_only=True)
    written_off_loans = serializers.IntegerField(read_only=True)
    written_off = serializers.IntegerField(read_only=True)
    by_quarter = GroupSerializer(many=True, read_only=True)
    by_sector = GroupSerializer(many=True, read_only=True)
    by_unit = GroupSerializer(many=True, read_only=True)

    @extend_schema_field(CapitalSerializer(many=True))
    def get_capital(self, disclosure) -> list[dict]:
        rows = [
            {"source": source, "received": received} for source, _label, received in disclosure.capital_rows
        ]
        return CapitalSerializer(rows, many=True).data


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RubricCriterion
        fields = ["id", "name", "weight", "position"]
        read_only_fields = fields


class RegulationSerializer(serializers.ModelSerializer):
    method = choice_field(Method)
    residence_unit = UnitReferenceSerializer(read_only=True, allow_null=True)
    allocation_order = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The order a repayment pays what is owed."
    )
    articles = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The article of the text each rule comes from.",
    )
    documents = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The documents the regulation requires."
    )
    criteria = CriterionSerializer(many=True, read_only=True, help_text="The appraisal rubric.")

    class Meta:
        model = Regulation
        fields = [
            "id",
            "fund",
            "number",
            "title",
            "signed_on",
            "effective_from",
            "effective_to",
            "is_example",
            "max_enterprise_age_months",
            "first_startup_only",
            "excluded_sectors",
            "residence_unit",
            "equity_share_cap_pct",
            "project_cost_share_cap_pct",
            "absolute_cap",
            "max_term_months",
            "max_grace_months",
            "yearly_rate_bp",
            "method",
            "period_months",
            "collateral_above",
            "appraisal_days",
            "decision_days",
            "disbursement_days",
            "board_limit",
            "allocation_order",
            "articles",
            "documents",
            "criteria",
        ]
        read_only_fields = fields


class CriterionBodySerializer(serializers.Serializer):
    name = text(RubricCriterion, "name", "The criterion.", required=True)
    weight = WholeNumberField(
        min_value=1, max_value=100, help_text="Its weight (%); the weights add up to 100."
    )


def optional_whole(model, name: str, help_text: str) -> WholeNumberField:
    return whole(model, name, help_text, required=False, allow_null=True, default=None)


class AddRegulationSerializer(serializers.Serializer):
    fund = related(Fund.objects.none(), "Id of the fund.", _("Choose a fund."))
    number = text(Regulation, "number", "The document's number.", required=True)
    title = text(Regulation, "title", "The document's title.", required=True)
    signed_on = day("Signed on")
    effective_from = day("In force from")
    effective_to = DayField(
        required=False, allow_null=True, default=None, help_text="In force until, if known."
    )
    is_example = serializers.BooleanField(default=False, help_text="An example, not an adopted text.")
    max_enterprise_age_months = optional_whole(
        Regulation, "max_enterprise_age_months", "Enterprises founded at most this many months before."
    )
    first_startup_only = serializers.BooleanField(default=False, help_text="Only a first startup borrows.")
    residence_unit = related(
        AdminUnit.objects.all(),
        "Id of the unit where a borrower lives or works, if the regulation says.",
        _("Choose a unit."),
        required=False,
        allow_null=True,
        default=None,
    )
    excluded_sectors = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=21,
        help_text="VSIC section letters excluded.",
    )
    equity_share_cap_pct = optional_whole(Regulation, "equity_share_cap_pct", "At most this % of equity.")
    project_cost_share_cap_pct = optional_whole(
        Regulation, "project_cost_share_cap_pct", "At most this % of the project's cost."
    )
    absolute_cap = amount("At most this much (đồng).", required=False, allow_null=True, default=None)
    max_term_months = whole(Regulation, "max_term_months", "Longest term (months).")
    max_grace_months = whole(Regulation, "max_grace_months", "Longest grace period (months).", default=0)
    yearly_rate_bp = WholeNumberField(
        min_value=0, max_value=10_000, default=0, help_text="Yearly interest in basis points (0: none)."
    )
    method = choice(Method.choices, "Repayment method.", default=Method.EQUAL_PRINCIPAL)
    period_months = WholeNumberField(
        min_value=1, max_value=3, default=1, help_text="1: monthly, 3: quarterly."
    )
    collateral_above = amount(
        "Collateral required above (đồng).", required=False, allow_null=True, default=None
    )
    required_documents = text(Regulation, "required_documents", "The documents required, one per line.")
    appraisal_days = whole(Regulation, "appraisal_days", "Appraisal within (working days).", default=15)
    decision_days = whole(Regulation, "decision_days", "Decision within (working days).", default=10)
    disbursement_days = whole(
        Regulation, "disbursement_days", "First release within (working days).", default=10
    )
    board_limit = amount("The fund's board approves up to (đồng).")
    allocation_order = serializers.ListField(
        child=choice([(part, part) for part in DEFAULT_ORDER], "A part of what is owed."),
        required=False,
        max_length=len(DEFAULT_ORDER),
        help_text="The order a repayment pays what is owed: both overdue parts before both current parts.",
    )
    articles = serializers.DictField(
        child=serializers.CharField(max_length=100, error_messages={"max_length": TOO_LONG}),
        required=False,
        default=dict,
        help_text="The article of each rule, by rule name.",
    )
    criteria = CriterionBodySerializer(many=True, max_length=MAX_CRITERIA, help_text="The appraisal rubric.")

    def __init__(self, *args, funds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if funds is not None:
            self.fields["fund"].queryset = funds


# --- Capital ---------------------------------------------------------------------------------------------


class ReceiptSerializer(serializers.ModelSerializer):
    recorded_by = PersonSerializer(read_only=True)

    class Meta:
        model = Receipt
        fields = ["id", "contribution", "number", "amount", "received_on", "transaction", "recorded_by"]
        read_only_fields = fields


class ContributionSerializer(serializers.ModelSerializer):
    source = choice_field(Source)
    contributor = serializers.SerializerMethodField(
        help_text="The contributor; “Anonymous contributor” when asked, but to readers of the fund's ledger."
    )
    contact = serializers.SerializerMethodField(
        help_text="Shown to the fund's own officers only; else empty."
    )
    received = serializers.IntegerField(read_only=True, help_text="Received against the pledge (đồng).")

    class Meta:
        model = Contribution
        fields = [
            "id",
            "fund",
            "campaign",
            "source",
            "contributor",
            "contact",
            "anonymous",
            "pledged",
            "pledged_on",
            "received",
            "note",
        ]
        read_only_fields = fields

    def get_contributor(self, contribution: Contribution) -> str:
        if contribution.anonymous and not reads_ledger(self, contribution.fund_id):
            return str(ANONYMOUS_CONTRIBUTOR)
        return contribution.contributor

    def get_contact(self, contribution: Contribution) -> str:
        return contribution.contact if runs_fund(self, contribution.fund_id) else ""


class ContributionDetailSerializer(ContributionSerializer):
    receipts = ReceiptSerializer(many=True, read_only=True)

    class Meta(ContributionSerializer.Meta):
        fields = [*ContributionSerializer.Meta.fields, "receipts"]
        read_only_fields = fields


class PledgeSerializer(serializers.Serializer):
    fund = related(Fund.objects.none(), "Id of the fund.", _("Choose a fund."))
    source = choice(
        [
            (source.value, source.label)
            for source in (Source.STATE_BUDGET, Source.ENTERPRISE, Source.INDIVIDUAL)
        ],
        "Where the money comes from.",
    )
    contributor = text(Contribution, "contributor", "Who pledges.", required=True)
    contact = text(Contribution, "contact", "A phone number or e-mail of the contributor.")
    anonymous = serializers.BooleanField(default=False, help_text="Stay anonymous in public.")
    pledged = amount("Pledged (đồng).")
    pledged_on = day("Pledged on")
    note = text(Contribution, "note", "A note.")

    def __init__(self, *args, funds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if funds is not None:
            self.fields["fund"].queryset = funds


class ReceiveSerializer(serializers.Serializer):
    amount = amount("Received (đồng); in all never more than the pledge.")
    received_on = day("Received on")


# --- Applications ----------------------------------------------------------------------------------------


class LoanDossierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dossier
        fields = ["id", "code"]
        read_only_fields = fields


class LoanApplicationSerializer(serializers.ModelSerializer):
    dossier = LoanDossierSerializer(read_only=True)
    applicant = serializers.CharField(source="dossier.applicant.full_name", read_only=True)
    unit = UnitReferenceSerializer(read_only=True)
    sector = choice_field(Sector)
    status = choice_field(Status)
    recommendation = OptionalChoiceField(Recommendation)

    class Meta:
        model = LoanApplication
        fields = [
            "id",
            "dossier",
            "applicant",
            "fund",
            "regulation",
            "project",
            "unit",
            "sector",
            "enterprise_founded_on",
            "first_startup",
            "project_cost",
            "amount",
            "term_months",
            "grace_months",
            "filed_on",
            "status",
            "recommendation",
            "recommended_amount",
            "recommended_on",
            "decided_on",
        ]
        read_only_fields = fields


class ScoreSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.name", read_only=True)

    class Meta:
        model = Score
        fields = ["criterion", "score", "note"]
        read_only_fields = fields


class AppraiserSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)
    declaration = OptionalChoiceField(Declaration)
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Appraiser
        fields = ["id", "user", "assigned_on", "declaration", "declaration_note", "declared_at", "scores"]
        read_only_fields = fields


class SiteVisitSerializer(serializers.ModelSerializer):
    by = PersonSerializer(read_only=True)

    class Meta:
        model = SiteVisit
        fields = ["id", "visited_on", "by", "findings"]
        read_only_fields = fields


class LoanApplicationDetailSerializer(LoanApplicationSerializer):
    appraisers = AppraiserSerializer(many=True, read_only=True)
    site_visits = SiteVisitSerializer(many=True, read_only=True)
    loan = serializers.SerializerMethodField(help_text="Id of the loan once approved; else null.")

    class Meta(LoanApplicationSerializer.Meta):
        fields = [
            *LoanApplicationSerializer.Meta.fields,
            "purpose",
            "collateral",
            "recommendation_note",
            "refusal_reason",
            "appraisers",
            "site_visits",
            "loan",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_loan(self, application: LoanApplication) -> int | None:
        loan = getattr(application, "loan", None)
        return loan.pk if loan else None


class OpenApplicationSerializer(serializers.Serializer):
    dossier = related(
        Dossier.objects.none(), "Id of a fund-loan dossier.", _("Choose a dossier you can see.")
    )
    fund = related(Fund.objects.none(), "Id of the fund.", _("Choose a fund."))
    project = related(
        Project.objects.none(),
        "Id of the startup project the applicant founded, if any.",
        _("Choose a project you can see."),
        required=False,
        allow_null=True,
        default=None,
    )
    sector = choice(Sector.choices, "The sector (VSIC section).")
    enterprise_founded_on = DayField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The day the enterprise was founded, if it is.",
    )
    first_startup = serializers.BooleanField(default=True, help_text="Starting up for the first time.")
    project_cost = amount("Total cost of the project (đồng).")
    amount = amount("Amount asked (đồng).")
    term_months = whole(LoanApplication, "term_months", "Term asked (months).")
    grace_months = whole(LoanApplication, "grace_months", "Grace period asked (months).", default=0)
    purpose = text(LoanApplication, "purpose", "What the money is for.", required=True)
    collateral = text(LoanApplication, "collateral", "Collateral offered.")

    def __init__(self, *args, dossiers=None, funds=None, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in (("dossier", dossiers), ("fund", funds), ("project", projects)):
            if queryset is not None:
                self.fields[name].queryset = queryset


class AssignAppraiserSerializer(serializers.Serializer):
    user = related(
        User.objects.none(),
        "Id of an officer of the fund's team.",
        _("An appraiser is an officer of the fund's team."),
    )

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if officers is not None:
            self.fields["user"].queryset = officers


class DeclareSerializer(serializers.Serializer):
    conflict = serializers.BooleanField(help_text="Whether the appraiser has a conflict of interest.")
    note = text(Appraiser, "declaration_note", "What the conflict is (with a conflict).")


class ScoreBodySerializer(serializers.Serializer):
    criterion = IdRelatedField(queryset=RubricCriterion.objects.none(), help_text="Id of a rubric criterion.")
    score = WholeNumberField(min_value=0, max_value=TOP_SCORE, help_text="The score, 0 to 10.")
    note = text(Score, "note", "A note on the score.")


class ScoresSerializer(serializers.Serializer):
    scores = ScoreBodySerializer(
        many=True, max_length=MAX_CRITERIA, help_text="Every criterion of the rubric, once."
    )

    def __init__(self, *args, criteria=None, **kwargs):
        super().__init__(*args, **kwargs)
        if criteria is not None:
            self.fields["scores"].child.fields["criterion"].queryset = criteria

    def validate_scores(self, rows: list[dict]) -> list[dict]:
        if len({row["criterion"].pk for row in rows}) != len(rows):
            raise serializers.ValidationError(_("Score each criterion once."))
        return rows


class SiteVisitBodySerializer(serializers.Serializer):
    visited_on = day("Visited on")
    findings = text(SiteVisit, "findings", "What the visit found.", required=True)


class RecommendSerializer(serializers.Serializer):
    recommendation = choice(Recommendation.choices, "Lend or not.")
    amount = amount("The amount recommended (with “lend”).", required=False, allow_null=True, default=None)
    note = text(LoanApplication, "recommendation_note", "The reasons.", required=True)


class RefuseApplicationSerializer(serializers.Serializer):
    reason = text(Decision, "reason", "The reasons.", required=True)


class TrancheBodySerializer(serializers.Serializer):
    amount = amount("The tranche's amount (đồng).")
    milestone = text(Tranche, "milestone", "When it is released.", required=True)


class ProposeLoanSerializer(serializers.Serializer):
    amount = amount("The loan's amount (đồng).")
    term_months = whole(Loan, "term_months", "Term (months).")
    grace_months = whole(Loan, "grace_months", "Grace period (months).", default=0)
    method = choice(Method.choices, "Repayment method.")
    period_months = WholeNumberField(min_value=1, max_value=3, help_text="1: monthly, 3: quarterly.")
    tranches = TrancheBodySerializer(many=True, max_length=MAX_TRANCHES, help_text="The tranches, in order.")
    reason = text(Decision, "reason", "The reasons for the decision.", required=True)


class RuleCheckSerializer(serializers.Serializer):
    rule = serializers.CharField(read_only=True, help_text="The rule's name.")
    label = serializers.CharField(read_only=True)
    passed = serializers.BooleanField(read_only=True)
    detail = serializers.CharField(read_only=True)
    article = serializers.CharField(read_only=True, help_text="The regulation's article; empty when unnamed.")


class StageSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True, help_text="appraisal, decision or first_release.")
    label = serializers.CharField(read_only=True)
    due = serializers.DateField(
        read_only=True, allow_null=True, help_text="Null while the stage has not started."
    )
    done_on = serializers.DateField(read_only=True, allow_null=True)
    late = serializers.BooleanField(read_only=True)
    days_late = serializers.IntegerField(read_only=True, help_text="Working days after the due date.")


# --- Decisions -------------------------------------------------------------------------------------------


class DecisionSerializer(serializers.ModelSerializer):
    kind = choice_field(DecisionKind)
    level = choice_field(Level)
    status = choice_field(Decision.Status)
    prepared_by = PersonSerializer(read_only=True)
    checked_by = PersonSerializer(read_only=True, allow_null=True)
    command = serializers.JSONField(read_only=True, help_text="The whole command, carried out as stored.")

    class Meta:
        model = Decision
        fields = [
            "id",
            "fund",
            "kind",
            "application",
            "loan",
            "tranche",
            "command",
            "amount",
            "level",
            "reason",
            "status",
            "prepared_by",
            "prepared_at",
            "checked_by",
            "checked_at",
            "check_note",
            "outside_number",
            "outside_date",
            "transaction",
        ]
        read_only_fields = fields


class ApproveSerializer(serializers.Serializer):
    note = text(Decision, "check_note", "The checker's note.")
    outside_number = text(
        Decision, "outside_number", "The People's Committee's decision number (above the limit)."
    )
    outside_date = DayField(
        required=False, allow_null=True, default=None, help_text="The People's Committee's decision date."
    )


class RejectSerializer(serializers.Serializer):
    note = text(Decision, "check_note", "Why the decision is rejected.", required=True)


# --- Loans -----------------------------------------------------------------------------------------------


class BorrowerSerializer(serializers.Serializer):
    """The borrower by id and name only: their CCCD, phone and address are personal data."""

    id = serializers.IntegerField(read_only=True)
    full_name = serializers.CharField(read_only=True)


class LoanSerializer(serializers.ModelSerializer):
    borrower = BorrowerSerializer(read_only=True)
    unit = UnitReferenceSerializer(read_only=True)
    sector = choice_field(Sector)
    method = choice_field(Method)
    status = choice_field(Loan.Status)
    bucket = choice_field(Bucket)

    class Meta:
        model = Loan
        fields = [
            "id",
            "contract_number",
            "fund",
            "application",
            "regulation",
            "borrower",
            "unit",
            "sector",
            "amount",
            "term_months",
            "grace_months",
            "yearly_rate_bp",
            "method",
            "period_months",
            "contract_on",
            "start_on",
            "status",
            "restructured",
            "closed_on",
            "state_on",
            "disbursed",
            "principal_repaid",
            "interest_repaid",
            "outstanding",
            "overdue",
            "days_past_due",
            "bucket",
            "debt_group",
            "at_risk",
            "next_due_on",
            "next_due_amount",
            "written_off",
        ]
        read_only_fields = fields


class TrancheSerializer(serializers.ModelSerializer):
    evidence_state = choice_field(Tranche.Evidence)

    class Meta:
        model = Tranche
        fields = [
            "number",
            "amount",
            "milestone",
            "evidence",
            "evidence_state",
            "review_note",
            "released_on",
            "transaction",
        ]
        read_only_fields = fields


class FreezeSerializer(serializers.Serializer):
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    decision = serializers.IntegerField(source="decision_id", read_only=True)


class LoanDetailSerializer(LoanSerializer):
    tranches = TrancheSerializer(many=True, read_only=True)
    freezes = FreezeSerializer(many=True, read_only=True)
    allocation_order = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The order a repayment pays what is owed."
    )

    class Meta(LoanSerializer.Meta):
        fields = [*LoanSerializer.Meta.fields, "allocation_order", "tranches", "freezes"]
        read_only_fields = fields


class InstalmentSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True)
    due_on = serializers.DateField(read_only=True)
    principal = serializers.IntegerField(read_only=True)
    interest = serializers.IntegerField(read_only=True)


class PaidSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True, help_text="The instalment's number.")
    principal_paid = serializers.IntegerField(read_only=True)
    interest_paid = serializers.IntegerField(read_only=True)


class ScheduleSerializer(serializers.Serializer):
    version = serializers.IntegerField(read_only=True)
    versions = serializers.IntegerField(
        read_only=True, help_text="How many versions the loan's schedule has."
    )
    reason = choice_field(ScheduleVersion.Reason, help_text="Why the version was written.")
    effective_from = serializers.DateField(read_only=True)
    current = serializers.BooleanField(read_only=True)
    instalments = InstalmentSerializer(many=True, read_only=True)
    paid = PaidSerializer(
        many=True,
        read_only=True,
        help_text="What the repayments paid of each instalment, allocated in the loan's order; the current "
        "version only (an older version's list is empty).",
    )


class ScheduleParameters(serializers.Serializer):
    version = WholeNumberField(
        min_value=1,
        max_value=32_767,
        required=False,
        help_text="An older version's number; the current if left out.",
    )


class RepaymentSerializer(serializers.ModelSerializer):
    recorded_by = PersonSerializer(read_only=True)
    reversed = serializers.SerializerMethodField(help_text="Whether the repayment was reversed.")

    class Meta:
        model = Repayment
        fields = [
            "id",
            "loan",
            "paid_on",
            "amount",
            "recorded_by",
            "transaction",
            "reversed",
            "reversal_reason",
        ]
        read_only_fields = fields

    def get_reversed(self, repayment: Repayment) -> bool:
        return repayment.reversal_id is not None


class RepaymentBodySerializer(serializers.Serializer):
    amount = amount("Paid (đồng).")
    paid_on = day("Paid on (today or earlier)")


class ReverseSerializer(serializers.Serializer):
    reason = text(Repayment, "reversal_reason", "Why the repayment is reversed.", required=True)


class ProposeReleaseSerializer(serializers.Serializer):
    tranche = WholeNumberField(min_value=1, max_value=MAX_TRANCHES, help_text="The tranche's number.")
    reason = text(Decision, "reason", "The reasons for the release.", required=True)


class EvidenceSerializer(serializers.Serializer):
    evidence = text(Tranche, "evidence", "The receipts or the progress report.", required=True)


class ReviewEvidenceSerializer(serializers.Serializer):
    accepted = serializers.BooleanField(help_text="Whether the evidence is accepted.")
    note = text(Tranche, "review_note", "What is wrong (when rejected).")


class ChangeKind:
    EXTEND = "extend"
    FREEZE = "freeze"
    RECALL = "recall"
    WRITE_OFF = "write_off"
    CHOICES = [
        (EXTEND, _("extend the term")),
        (FREEZE, _("freeze the debt")),
        (RECALL, _("recall the loan")),
        (WRITE_OFF, _("write the loan off")),
    ]


class ProposeChangeSerializer(serializers.Serializer):
    kind = choice(ChangeKind.CHOICES, "The change: extend, freeze, recall or write_off.")
    reason = text(Decision, "reason", "The reasons for the change.", required=True)
    extra_periods = WholeNumberField(
        min_value=1, max_value=24, required=False, help_text="With “extend”: repayment periods added."
    )
    start = DayField(required=False, help_text="With “freeze”: its first day (YYYY-MM-DD).")
    months = WholeNumberField(
        min_value=1, max_value=12, required=False, help_text="With “freeze”: its months."
    )

    def validate(self, data):
        needed = {ChangeKind.EXTEND: ["extra_periods"], ChangeKind.FREEZE: ["start", "months"]}.get(
            data["kind"], []
        )
        missing = {name: [_("This field is required.")] for name in needed if data.get(name) is None}
        if missing:
            raise serializers.ValidationError(missing)
        return data


# --- The ledger ------------------------------------------------------------------------------------------


class AccountSerializer(serializers.ModelSerializer):
    kind = choice_field(AccountKind)
    source = OptionalChoiceField(Source)
    shown_balance = serializers.IntegerField(
        read_only=True, help_text="The balance with the sign of a credit account turned (capital, interest)."
    )

    class Meta:
        model = Account
        fields = ["id", "fund", "kind", "source", "loan", "balance", "shown_balance"]
        read_only_fields = fields


class EntrySerializer(serializers.ModelSerializer):
    account = AccountSerializer(read_only=True)

    class Meta:
        model = Entry
        fields = ["account", "amount"]
        read_only_fields = fields


class TransactionSerializer(serializers.ModelSerializer):
    kind = choice_field(TransactionKind)
    by = PersonSerializer(read_only=True)
    entries = EntrySerializer(many=True, read_only=True, help_text="Debits positive, credits negative.")

    class Meta:
        model = Transaction
        fields = [
            "id",
            "fund",
            "kind",
            "value_date",
            "posted_on",
            "period",
            "loan",
            "reverses",
            "memo",
            "by",
            "created_at",
            "entries",
        ]
        read_only_fields = fields

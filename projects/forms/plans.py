"""Forms and filters of the poverty-escape pages: the commune's list of poor and near-poor households,
a household put on it, the plan (written on a phone: one column of fields, a few blank rows of each
kind and a button that adds one more, no script needed), its approval and its yearly review.

What a plan must hold (milestones within its dates, budget sources adding up to the budget, whole
đồng) is the services' to say (projects/services/plans.py); these forms read what was typed within the
bounds of what the columns hold, so a negative or fractional amount never reaches them.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from dossiers.models import Applicant
from portal.bounds import LAST_DAY, DayField, IdField, WholeNumberField
from portal.filters import BooleanFilter, UnitChoiceField, UnitFilter
from portal.models import AdminUnit
from portal.models.people import today
from portal.sectors import Sector
from projects.forms.fields import DAY, MONEY, blank_first, money_field, text_field, whole_field
from projects.models import (
    Category,
    FundingSource,
    HouseholdListing,
    Livelihood,
    Milestone,
    PlanFunding,
    PlanInput,
    PovertyPlan,
    Project,
    ReviewResult,
    YearlyReview,
)
from projects.services.plans import FIRST_LIST_YEAR, MAX_ROWS, Funding, Input, PlannedMilestone


class YearField(WholeNumberField):
    def __init__(self, **kwargs):
        super().__init__(min_value=FIRST_LIST_YEAR, max_value=LAST_DAY.year, **kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


# --- What the lists show beside each row -----------------------------------------------------------------


def with_open_plan(listings: QuerySet) -> QuerySet:
    """Each listed household with ``open_plan_id``: its head's plan that is under way (its project not
    stopped), the one ``open_plan`` refuses a second of; None when there is none."""
    under_way = (
        PovertyPlan.objects.under_way()
        .filter(household__head=OuterRef("head"))
        .order_by("-pk")
        .values("pk")[:1]
    )
    return listings.annotate(open_plan_id=Subquery(under_way))


def latest_review_result() -> Subquery:
    """The result of the plan's latest yearly review (None before its first)."""
    return Subquery(YearlyReview.objects.filter(plan=OuterRef("pk")).order_by("-year").values("result")[:1])


def late_milestone_exists(day: datetime.date) -> Exists:
    """Whether a milestone of the plan is late on ``day`` (``Milestone.objects.late_on``)."""
    return Exists(Milestone.objects.late_on(day).filter(plan=OuterRef("pk")))


# --- Filters ---------------------------------------------------------------------------------------------


def _without_plan(queryset: QuerySet, name: str, value) -> QuerySet:
    if value is None:
        return queryset
    return queryset.filter(open_plan_id__isnull=value)


class HouseholdListingFilter(django_filters.FilterSet):
    """The households of the commune's lists; the queryset comes ``with_open_plan``."""

    year = YearFilter(label=_("year of the list"), field_name="year")
    unit = UnitFilter(label=_("commune or ward"), field_name="unit")
    category = django_filters.ChoiceFilter(label=_("category"), choices=Category.choices)
    without_plan = BooleanFilter(
        label=_("without a plan"),
        method=_without_plan,
        help_text="true: the households whose head has no plan under way; false: those who have one.",
    )

    class Meta:
        model = HouseholdListing
        fields: list[str] = []


PROGRESS_CHOICES = [("on_track", _("on track")), ("behind", _("behind: a milestone late"))]


def _progress(queryset: QuerySet, name: str, value: str) -> QuerySet:
    if not value:
        return queryset
    behind = late_milestone_exists(today())
    return queryset.filter(behind) if value == "behind" else queryset.exclude(behind)


def _escaped(queryset: QuerySet, name: str, value) -> QuerySet:
    if value is None:
        return queryset
    escaped = queryset.alias(latest_result=latest_review_result())
    if value:
        return escaped.filter(latest_result=ReviewResult.ESCAPED)
    return escaped.exclude(latest_result=ReviewResult.ESCAPED)


class PovertyPlanFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=PovertyPlan.Status.choices)
    progress = django_filters.ChoiceFilter(label=_("progress"), choices=PROGRESS_CHOICES, method=_progress)
    escaped = BooleanFilter(
        label=_("escaped poverty"),
        method=_escaped,
        help_text="true: the plans whose latest yearly review found the household out of poverty.",
    )
    unit = UnitFilter(label=_("commune or ward"), field_name="project__unit")
    cohort = YearFilter(
        label=_("approved in (cohort)"),
        field_name="approved_on__year",
        help_text="The year the commune team approved the plan.",
    )

    class Meta:
        model = PovertyPlan
        fields: list[str] = []


# --- A household put on the list ---------------------------------------------------------------------------


class HouseholdForm(forms.Form):
    unit = UnitChoiceField(label=_("commune or ward"), queryset=AdminUnit.objects.none())
    year = YearField(label=_("year of the list"), widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    household_code = text_field(
        HouseholdListing,
        "household_code",
        _("household code"),
        help_text=_("As on the commune's list of poor and near-poor households."),
    )
    head_name = text_field(Applicant, "full_name", _("head of household's full name"))
    head_national_id = forms.CharField(
        label=_("head of household's CCCD number"),
        max_length=12,
        help_text=_("12 digits. A person the portal already knows is linked, never added twice."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    head_phone = text_field(
        Applicant,
        "phone",
        _("phone number"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    address = text_field(Applicant, "address", _("address"))
    members = whole_field(HouseholdListing, "members", _("members of the household"), initial=1)
    category = forms.ChoiceField(label=_("category"), choices=blank_first(Category.choices))
    is_urban = forms.BooleanField(label=_("urban area"), required=False)
    income_per_person = money_field(
        HouseholdListing, "income_per_person", _("income per person a month (đồng)")
    )
    deprivations = whole_field(HouseholdListing, "deprivations", _("basic social services lacked"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
        self.fields["year"].initial = today().year

    def listing_fields(self) -> dict:
        data = self.cleaned_data
        names = ["unit", "year", "household_code", "address", "members", "category", "is_urban"]
        return {name: data[name] for name in [*names, "income_per_person", "deprivations"]}


# --- The plan ----------------------------------------------------------------------------------------------


class HouseholdParameterForm(forms.Form):
    """``?household=<id>`` of the new plan's address."""

    household = IdField(label=_("household"), required=True)


class PlanForm(forms.Form):
    """The plan's own fields; a new plan also names its project and the project's sector."""

    name = text_field(Project, "name", _("project name"))
    sector = forms.ChoiceField(label=_("sector (VSIC section)"), choices=Sector.choices, initial=Sector.A)
    livelihood = forms.ChoiceField(label=_("livelihood"), choices=blank_first(Livelihood.choices))
    description = text_field(
        PovertyPlan, "description", _("what the household will do"), widget=forms.Textarea(attrs={"rows": 3})
    )
    budget_total = money_field(PovertyPlan, "budget_total", _("total budget (đồng)"))
    expected_monthly_income = money_field(
        PovertyPlan, "expected_monthly_income", _("expected income a month (đồng)")
    )
    starts_on = DayField(label=_("starts on"), widget=DAY)
    ends_on = DayField(label=_("ends on"), widget=DAY)

    PLAN_FIELDS = (
        "livelihood",
        "description",
        "budget_total",
        "expected_monthly_income",
        "starts_on",
        "ends_on",
    )

    def __init__(self, *args, with_project: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_project:
            del self.fields["name"], self.fields["sector"]

    def plan_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.PLAN_FIELDS}


class RowForm(forms.Form):
    """A row of the plan (a budget source, an input, a milestone): a row left blank is no row."""

    def row(self):
        raise NotImplementedError


class FundingForm(RowForm):
    source = forms.ChoiceField(label=_("source"), choices=blank_first(FundingSource.choices))
    # The fieldset says once that amounts are whole đồng (no hint repeated on every row).
    amount = whole_field(PlanFunding, "amount", _("amount (đồng)"), widget=MONEY)

    def row(self) -> Funding:
        return Funding(source=self.cleaned_data["source"], amount=self.cleaned_data["amount"])


class InputForm(RowForm):
    description = text_field(PlanInput, "description", _("input"))
    value = whole_field(PlanInput, "value", _("value (đồng)"), widget=MONEY)
    given_by = text_field(PlanInput, "given_by", _("given by"))

    def row(self) -> Input:
        data = self.cleaned_data
        return Input(description=data["description"], value=data["value"], given_by=data["given_by"])


class MilestoneForm(RowForm):
    title = text_field(Milestone, "title", _("milestone"))
    due_on = DayField(label=_("due on"), widget=DAY)
    supporter = text_field(Milestone, "supporter", _("who supports it"))

    def row(self) -> PlannedMilestone:
        data = self.cleaned_data
        return PlannedMilestone(title=data["title"], due_on=data["due_on"], supporter=data["supporter"])


class RowsFormSet(forms.BaseFormSet):
    """Rows of one kind; any may be left blank (it is left out), none is required by the form."""

    def _construct_form(self, i, **kwargs):
        kwargs.setdefault("empty_permitted", True)
        return super()._construct_form(i, **kwargs)

    def rows(self) -> list:
        """The rows typed in, in their order (call once the formset is valid)."""
        return [form.row() for form in self.forms if form.cleaned_data]


# The blank rows a new plan starts with, of each kind.
ROWS = {"fundings": (FundingForm, 3), "inputs": (InputForm, 2), "milestones": (MilestoneForm, 5)}
BLANK_ROWS_ON_EDIT = 1


def row_formset(kind: str, data=None, *, initial: list[dict] | None = None, extra: int | None = None):
    """The formset of ``kind`` (fundings, inputs, milestones), at most ``MAX_ROWS`` rows."""
    form, blank = ROWS[kind]
    factory = forms.formset_factory(
        form,
        formset=RowsFormSet,
        extra=blank if extra is None else extra,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
        validate_max=True,
    )
    return factory(data, initial=initial, prefix=kind)


# --- Approval and the yearly review ----------------------------------------------------------------------


class ApproveForm(forms.Form):
    on = DayField(label=_("approved on"), widget=DAY)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_approve_%s")
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = today()


class ReviewForm(forms.Form):
    year = YearField(label=_("year reviewed"), widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    result = forms.ChoiceField(label=_("result"), choices=ReviewResult.choices, widget=forms.RadioSelect)
    reviewed_on = DayField(label=_("reviewed on"), widget=DAY)
    note = text_field(
        YearlyReview, "note", _("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_review_%s")
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = today().year
        self.fields["reviewed_on"].initial = today()

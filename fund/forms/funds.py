"""Forms of the funds' pages: a regulation version (its rules, rubric and articles), a pledge, the
contributions list's filters, money received against a pledge, a campaign.

What a version, a pledge or a receipt must satisfy (dates that never overlap, weights adding up to 100,
never more received than pledged) is the services' to say (fund/services/regulations.py and
capital.py); these forms read what was typed within the bounds of the columns.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from fund.allocation import DEFAULT_ORDER
from fund.forms.fields import DAY, NOTE, key_field, money_field
from fund.models import CONTRIBUTED, Campaign, Contribution, Frequency, Method, Regulation
from fund.services.regulations import MAX_RATE_BP, MAX_REPLY_DAYS, MAX_TERM_MONTHS, RUBRIC_TOTAL
from fund.services.rules import RULE_LABELS
from portal.bounds import DayField, IdChoiceField, WholeNumberField, parse_whole_number
from portal.models.people import today

MOST_PAGES = 100_000
PART_LABELS = {
    "overdue_interest": _("overdue interest"),
    "overdue_principal": _("overdue principal"),
    "current_interest": _("current interest"),
    "current_principal": _("current principal"),
}
# The orders a regulation may state: both overdue parts before both current parts.
ALLOCATION_ORDERS = [
    ("overdue_interest", "overdue_principal", "current_interest", "current_principal"),
    ("overdue_interest", "overdue_principal", "current_principal", "current_interest"),
    ("overdue_principal", "overdue_interest", "current_interest", "current_principal"),
    ("overdue_principal", "overdue_interest", "current_principal", "current_interest"),
]
SOURCE_CHOICES = [(source.value, source.label) for source in CONTRIBUTED]


def _length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _whole(label, low: int, high: int, **kwargs) -> WholeNumberField:
    return WholeNumberField(label=label, min_value=low, max_value=high, **kwargs)


class AllocationOrderField(forms.TypedChoiceField):
    """One of ``ALLOCATION_ORDERS``, as the list of its parts."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=[
                (",".join(order), format_lazy("{} → {} → {} → {}", *(PART_LABELS[part] for part in order)))
                for order in ALLOCATION_ORDERS
            ],
            coerce=lambda value: value.split(","),
            **kwargs,
        )


class RubricField(forms.CharField):
    """The rubric, one criterion a line: its name, a vertical bar and its weight in %, as in
    ``Khả năng trả nợ | 20``."""

    widget = forms.Textarea(attrs={"rows": 5})

    def clean(self, value):
        text = super().clean(value)
        rubric = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            name, bar, weight = line.rpartition("|")
            try:
                if not bar or not name.strip():
                    raise ValidationError("")
                weight = parse_whole_number(weight, minimum=1, maximum=RUBRIC_TOTAL)
            except ValidationError:
                raise ValidationError(
                    _("Line %(number)s: write the criterion, a vertical bar and its weight from 1 to 100."),
                    code="invalid",
                    params={"number": number},
                ) from None
            rubric.append((name.strip(), weight))
        return rubric


class RegulationForm(forms.Form):
    number = forms.CharField(label=_("document number"), max_length=_length(Regulation, "number"))
    title = forms.CharField(label=_("title"), max_length=_length(Regulation, "title"))
    signed_on = DayField(label=_("signed on"), widget=DAY)
    effective_from = DayField(label=_("in force from"), widget=DAY)
    effective_to = DayField(
        label=_("in force until"),
        required=False,
        widget=DAY,
        help_text=_("Leave empty while no end is set; the next version closes it the day before it starts."),
    )
    is_example = forms.BooleanField(label=_("example (not an adopted text)"), required=False)
    max_enterprise_age_months = _whole(
        _("enterprise founded at most this many months before applying"), 1, MAX_TERM_MONTHS, required=False
    )
    first_startup_only = forms.BooleanField(label=_("only a first startup"), required=False)
    excluded_sectors = forms.CharField(
        label=_("sectors excluded (VSIC section letters)"),
        max_length=60,
        required=False,
        help_text=_("For example KL: finance and real estate."),
    )
    residence_unit = IdChoiceField(label=_("borrower lives or works in"), queryset=None, required=False)
    equity_share_cap_pct = _whole(_("at most this percentage of the fund's equity"), 1, 100, required=False)
    project_cost_share_cap_pct = _whole(
        _("at most this percentage of the project's cost"), 1, 100, required=False
    )
    absolute_cap = money_field(_("at most (đồng)"), required=False)
    max_term_months = _whole(_("longest term (months)"), 1, MAX_TERM_MONTHS)
    max_grace_months = _whole(_("longest grace period (months)"), 0, MAX_TERM_MONTHS, initial=0)
    yearly_rate_bp = _whole(
        _("yearly interest (basis points; 0 = interest-free)"),
        0,
        MAX_RATE_BP,
        initial=0,
        help_text=_("300 basis points are 3 % a year."),
    )
    method = forms.ChoiceField(
        label=_("repayment method"), choices=Method.choices, initial=Method.EQUAL_PRINCIPAL
    )
    period_months = forms.TypedChoiceField(
        label=_("repayment frequency"), choices=Frequency.choices, coerce=int, initial=Frequency.MONTHLY
    )
    collateral_above = money_field(_("collateral required above (đồng)"), required=False)
    required_documents = forms.CharField(
        label=_("documents required (one per line)"),
        max_length=_length(Regulation, "required_documents"),
        required=False,
        widget=NOTE,
    )
    appraisal_days = _whole(_("appraisal within (working days)"), 1, MAX_REPLY_DAYS, initial=15)
    decision_days = _whole(_("decision within (working days)"), 1, MAX_REPLY_DAYS, initial=10)
    disbursement_days = _whole(_("first release within (working days)"), 1, MAX_REPLY_DAYS, initial=10)
    board_limit = money_field(
        _("the fund's board approves up to (đồng)"),
        help_text=_("Above it the provincial People's Committee approves."),
    )
    allocation_order = AllocationOrderField(
        label=_("repayment allocation order"), initial=",".join(DEFAULT_ORDER)
    )
    criteria = RubricField(
        label=_("appraisal rubric"),
        max_length=4000,
        help_text=_(
            "One criterion a line: its name, a vertical bar, its weight in %; the weights add up to 100."
        ),
    )

    def __init__(self, *args, units: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residence_unit"].queryset = units
        for rule, label in RULE_LABELS.items():
            self.fields[f"article_{rule}"] = forms.CharField(
                label=_("Article: %(rule)s") % {"rule": label}, max_length=100, required=False
            )

    def rule_fields(self) -> list:
        return [field for field in self if not field.name.startswith("article_")]

    def article_fields(self) -> list:
        return [self[f"article_{rule}"] for rule in RULE_LABELS]

    def regulation_fields(self) -> dict:
        """What ``add_regulation`` takes from the form, besides the rubric."""
        data = dict(self.cleaned_data)
        data.pop("criteria")
        data["articles"] = {rule: data.pop(f"article_{rule}") for rule in RULE_LABELS}
        return data


class ContributionFilterForm(forms.Form):
    q = forms.CharField(label=_("Contributor"), required=False, max_length=100)
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", _("All")), *SOURCE_CHOICES])
    campaign = IdChoiceField(label=_("Campaign"), required=False, queryset=None, empty_label=_("All"))
    page = WholeNumberField(label=_("Page"), required=False, min_value=1, max_value=MOST_PAGES)

    def __init__(self, *args, campaigns: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns


class ContributionForm(forms.Form):
    source = forms.ChoiceField(label=_("source"), choices=SOURCE_CHOICES)
    contributor = forms.CharField(label=_("contributor"), max_length=_length(Contribution, "contributor"))
    contact = forms.CharField(
        label=_("contact"),
        max_length=_length(Contribution, "contact"),
        required=False,
        help_text=_("A phone number or an e-mail address; shown to the fund's officers only."),
    )
    anonymous = forms.BooleanField(label=_("asked to stay anonymous in public"), required=False)
    pledged = money_field(_("pledged (đồng)"))
    pledged_on = DayField(label=_("pledged on"), widget=DAY, initial=today)
    campaign = IdChoiceField(label=_("campaign"), queryset=None, required=False)
    note = forms.CharField(label=_("note"), max_length=_length(Contribution, "note"), required=False)

    def __init__(self, *args, campaigns: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns


class ReceiveForm(forms.Form):
    amount = money_field(_("amount received (đồng)"))
    received_on = DayField(label=_("received on"), widget=DAY, initial=today)
    idempotency_key = key_field()


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("campaign"), max_length=_length(Campaign, "name"))
    goal = money_field(_("goal (đồng)"))
    starts_on = DayField(label=_("from"), widget=DAY, initial=today)
    ends_on = DayField(label=_("until"), widget=DAY)
    description = forms.CharField(
        label=_("description"), max_length=_length(Campaign, "description"), required=False, widget=NOTE
    )

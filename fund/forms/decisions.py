"""Forms of the decision pages: a loan proposed on a recommended application (its terms and up to ten
tranches), the decision list's filters, and a pending decision approved, rejected or withdrawn.

The rules (the regulation's caps and terms, the tranches adding up, who may check) are the services'
(fund/services/decisions.py); these forms read what was typed within bounds.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fund.forms.fields import DAY, MONEY, MOST_PAGES, NOTE, key_field
from fund.forms.loans import reason_field
from fund.models import Decision, DecisionKind, Frequency, Fund, LoanApplication, Method, Tranche
from fund.services.decisions import MAX_TRANCHES
from portal.bounds import DayField, IdChoiceField, WholeNumberField
from portal.money import MAX_AMOUNT

MILESTONE_LIMIT = Tranche._meta.get_field("milestone").max_length
NOTE_LIMIT = Decision._meta.get_field("check_note").max_length


class DecisionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Decision.Status.choices]
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("fund", "Decision"),
        required=False,
        choices=[("", _("All")), *DecisionKind.choices],
    )
    fund = IdChoiceField(label=_("Fund"), required=False, queryset=Fund.objects.all())
    page = WholeNumberField(label=_("Page"), required=False, min_value=1, max_value=MOST_PAGES)


def _months(name: str, label) -> WholeNumberField:
    return WholeNumberField.of(LoanApplication._meta.get_field(name), label=label)


class ProposeLoanForm(forms.Form):
    """The loan's terms and its tranches: rows ``tranche_amount_N`` and ``tranche_milestone_N``
    (N from 1 to ``MAX_TRANCHES``); a blank row is left out."""

    amount = WholeNumberField(label=_("amount (đồng)"), min_value=1, max_value=MAX_AMOUNT, widget=MONEY)
    term_months = _months("term_months", _("term (months)"))
    grace_months = _months("grace_months", _("grace period (months)"))
    method = forms.ChoiceField(label=_("repayment method"), choices=Method.choices)
    period_months = forms.TypedChoiceField(
        label=_("repayment frequency"), choices=Frequency.choices, coerce=int
    )
    reason = reason_field()

    def __init__(self, *args, application: LoanApplication, **kwargs):
        amount = application.recommended_amount or application.amount
        regulation = application.regulation
        kwargs.setdefault(
            "initial",
            {
                "amount": amount,
                "term_months": application.term_months,
                "grace_months": application.grace_months,
                "method": regulation.method,
                "period_months": regulation.period_months,
                "tranche_amount_1": amount,
                "tranche_milestone_1": _("The contract signed"),
            },
        )
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_TRANCHES + 1):
            self.fields[f"tranche_amount_{number}"] = WholeNumberField(
                label=_("amount of tranche %(number)s (đồng)") % {"number": number},
                required=False,
                min_value=1,
                max_value=MAX_AMOUNT,
                widget=MONEY,
            )
            self.fields[f"tranche_milestone_{number}"] = forms.CharField(
                label=_("tranche %(number)s is released when") % {"number": number},
                required=False,
                max_length=MILESTONE_LIMIT,
            )

    def tranche_rows(self) -> list[tuple]:
        """(number, amount field, milestone field) of each row, for the page."""
        return [
            (number, self[f"tranche_amount_{number}"], self[f"tranche_milestone_{number}"])
            for number in range(1, MAX_TRANCHES + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        tranches = []
        for number in range(1, MAX_TRANCHES + 1):
            amount = cleaned.get(f"tranche_amount_{number}")
            milestone = (cleaned.get(f"tranche_milestone_{number}") or "").strip()
            if amount is None and not milestone:
                continue
            if amount is None:
                self.add_error(f"tranche_amount_{number}", _("Give the amount of this tranche."))
            tranches.append((amount, milestone))
        if not tranches:
            raise ValidationError(_("Give at least one tranche."), code="tranches")
        cleaned["tranches"] = tranches
        return cleaned


class ApproveForm(forms.Form):
    """The second officer's approval; above the board's limit, the People's Committee's decision number
    and date as well."""

    note = forms.CharField(label=_("note"), required=False, max_length=NOTE_LIMIT, widget=NOTE)
    idempotency_key = key_field()

    def __init__(self, *args, committee: bool, **kwargs):
        kwargs.setdefault("prefix", "approve")
        super().__init__(*args, **kwargs)
        if committee:
            self.fields["outside_number"] = forms.CharField(
                label=_("decision number of the People's Committee"),
                max_length=Decision._meta.get_field("outside_number").max_length,
            )
            self.fields["outside_date"] = DayField(label=_("decision date"), widget=DAY)


class RejectForm(forms.Form):
    note = forms.CharField(label=_("why it is rejected"), max_length=NOTE_LIMIT, widget=NOTE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "reject")
        super().__init__(*args, **kwargs)


class WithdrawForm(forms.Form):
    """Only a button: who prepared the decision withdraws it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "withdraw")
        super().__init__(*args, **kwargs)

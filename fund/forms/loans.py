"""Forms of the loan pages: the list's filters, a repayment recorded or reversed, a tranche's evidence
submitted or reviewed, a release proposed, and an extension, a freeze, a recall or a write-off proposed.

The rules (what is owed, the dates, who may do what) are the services'; these forms read what was typed
within bounds. A money request carries a hidden ``idempotency_key``, new each time the form is shown,
so a double submit posts once (fund/idempotency.py).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from fund.forms.fields import DAY, MONEY, MOST_PAGES, NOTE, key_field
from fund.models import Bucket, Decision, Fund, Loan, Repayment, Tranche
from fund.services.decisions import MAX_EXTENSION_MONTHS, MAX_FREEZE_MONTHS
from portal.bounds import DayField, IdChoiceField, WholeNumberField
from portal.models.people import today
from portal.money import MAX_AMOUNT

REASON_LIMIT = Decision._meta.get_field("reason").max_length
AT_RISK_CHOICES = [("", _("All")), ("1", _("Only loans in PAR30"))]
DEBT_GROUP_CHOICES = [("", _("All")), *((str(group), str(group)) for group in range(1, 6))]


def reason_field(label=None) -> forms.CharField:
    return forms.CharField(label=label or _("reasons"), max_length=REASON_LIMIT, widget=NOTE)


class PrefixedForm(forms.Form):
    """A form with a prefix of its own, as several forms share the loan's page."""

    prefix_name = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)


class LoanFilterForm(forms.Form):
    q = forms.CharField(label=_("Contract number or borrower"), required=False, max_length=100)
    fund = IdChoiceField(label=_("Fund"), required=False, queryset=Fund.objects.all())
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Loan.Status.choices]
    )
    bucket = forms.ChoiceField(label=_("Arrears"), required=False, choices=[("", _("All")), *Bucket.choices])
    debt_group = forms.ChoiceField(label=_("Debt group"), required=False, choices=DEBT_GROUP_CHOICES)
    at_risk = forms.ChoiceField(label=_("PAR30"), required=False, choices=AT_RISK_CHOICES)
    page = WholeNumberField(label=_("Page"), required=False, min_value=1, max_value=MOST_PAGES)


class RepaymentForm(PrefixedForm):
    prefix_name = "repayment"

    amount = WholeNumberField(label=_("amount paid (đồng)"), min_value=1, max_value=MAX_AMOUNT, widget=MONEY)
    paid_on = DayField(label=_("paid on"), initial=today, widget=DAY)
    idempotency_key = key_field()


class ReversalForm(PrefixedForm):
    prefix_name = "reversal"

    repayment = IdChoiceField(
        label=_("repayment"), queryset=Repayment.objects.none(), widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("why it is reversed"), max_length=Repayment._meta.get_field("reversal_reason").max_length
    )
    idempotency_key = key_field()

    def __init__(self, *args, loan: Loan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["repayment"].queryset = loan.repayments.filter(reversal__isnull=True)


class TrancheForm(PrefixedForm):
    """A form about one tranche of the loan, named by its number."""

    tranche = IdChoiceField(label=_("tranche"), queryset=Tranche.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, loan: Loan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tranche"].queryset = loan.tranches.all()


class EvidenceForm(TrancheForm):
    prefix_name = "evidence"

    evidence = forms.CharField(
        label=_("evidence (receipts, a progress report)"),
        max_length=Tranche._meta.get_field("evidence").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(TrancheForm):
    prefix_name = "review"

    accepted = forms.TypedChoiceField(
        label=_("the evidence"),
        choices=[("yes", _("accept")), ("no", _("reject"))],
        coerce=lambda value: value == "yes",
    )
    note = forms.CharField(
        label=_("note (what is wrong, when rejected)"),
        required=False,
        max_length=Tranche._meta.get_field("review_note").max_length,
    )


class ReleaseForm(TrancheForm):
    prefix_name = "release"

    reason = reason_field()


class ExtensionForm(PrefixedForm):
    prefix_name = "extension"

    extra_periods = WholeNumberField(
        label=_("repayment periods added"), min_value=1, max_value=MAX_EXTENSION_MONTHS
    )
    reason = reason_field()


class FreezeForm(PrefixedForm):
    prefix_name = "freeze"

    start = DayField(label=_("frozen from"), initial=today, widget=DAY)
    months = WholeNumberField(label=_("for (months)"), min_value=1, max_value=MAX_FREEZE_MONTHS)
    reason = reason_field()


class RecallForm(PrefixedForm):
    prefix_name = "recall"

    reason = reason_field(_("how the money was misused"))


class WriteOffForm(PrefixedForm):
    prefix_name = "write_off"

    reason = reason_field(_("why nothing more can be recovered"))

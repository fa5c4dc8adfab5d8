"""The filters of the fund's lists in the API: each value parsed with its bounds, a malformed one a 400
that names it (django-filter's DRF backend)."""

import django_filters
from django.db.models import QuerySet

from fund.forms.fields import MonthField
from fund.models import (
    Bucket,
    Contribution,
    Decision,
    DecisionKind,
    Fund,
    Loan,
    LoanApplication,
    Source,
    Status,
)
from fund.models.ledger import Account, AccountKind, Transaction, TransactionKind
from portal.filters import BooleanFilter, IdChoiceFilter

DEBT_GROUPS = [(group, str(group)) for group in range(1, 6)]


def visible_funds(request) -> QuerySet:
    if request is None:  # the API schema, built without a request
        return Fund.objects.none()
    return Fund.objects.visible_to(request.user)


def visible_loans(request) -> QuerySet:
    if request is None:
        return Loan.objects.none()
    return Loan.objects.visible_to(request.user)


def fund_filter() -> IdChoiceFilter:
    return IdChoiceFilter(queryset=visible_funds, help_text="Id of a fund.")


class MonthFilter(django_filters.Filter):
    """A month written yyyy-mm, from 2000 to 2100: the rows of that accounting period."""

    field_class = MonthField


class ContributionFilter(django_filters.FilterSet):
    fund = fund_filter()
    source = django_filters.ChoiceFilter(choices=Source.choices)

    class Meta:
        model = Contribution
        fields: list[str] = []


class LoanApplicationFilter(django_filters.FilterSet):
    fund = fund_filter()
    status = django_filters.ChoiceFilter(choices=Status.choices)

    class Meta:
        model = LoanApplication
        fields: list[str] = []


class LoanFilter(django_filters.FilterSet):
    fund = fund_filter()
    status = django_filters.ChoiceFilter(choices=Loan.Status.choices)
    bucket = django_filters.ChoiceFilter(choices=Bucket.choices)
    debt_group = django_filters.TypedChoiceFilter(choices=DEBT_GROUPS, coerce=int, help_text="1 to 5.")
    at_risk = BooleanFilter(help_text="true: the loans in PAR30; false: the others.")

    class Meta:
        model = Loan
        fields: list[str] = []


class DecisionFilter(django_filters.FilterSet):
    fund = fund_filter()
    status = django_filters.ChoiceFilter(choices=Decision.Status.choices)
    kind = django_filters.ChoiceFilter(choices=DecisionKind.choices)

    class Meta:
        model = Decision
        fields: list[str] = []


class TransactionFilter(django_filters.FilterSet):
    fund = fund_filter()
    kind = django_filters.ChoiceFilter(choices=TransactionKind.choices)
    period = MonthFilter(help_text="The accounting period, yyyy-mm.")
    loan = IdChoiceFilter(queryset=visible_loans, help_text="Id of a loan.")

    class Meta:
        model = Transaction
        fields: list[str] = []


class AccountFilter(django_filters.FilterSet):
    fund = fund_filter()
    kind = django_filters.ChoiceFilter(choices=AccountKind.choices)

    class Meta:
        model = Account
        fields: list[str] = []

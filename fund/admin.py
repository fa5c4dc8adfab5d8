"""The fund in the admin.

A fund itself (its name, province, team, target) is set up here by the administrator. Everything
else changes only through the services — a regulation version through the fund's page (which refuses
overlapping dates), money only through decisions checked by a second officer and postings to the
append-only ledger — so here it is shown, never edited: no admin action reaches the money. A
regulation entered for the demo from a neighbouring province's text is marked as an example.
"""

from django.contrib import admin

from fund.models import (
    Account,
    Appraiser,
    Campaign,
    ClosedPeriod,
    Contribution,
    Decision,
    Entry,
    Freeze,
    Fund,
    Loan,
    LoanApplication,
    Receipt,
    Regulation,
    Repayment,
    RubricCriterion,
    ScheduleVersion,
    Tranche,
    Transaction,
)
from portal.admin import ReadOnlyAdmin, ReadOnlyInline


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "unit", "team", "founded_on", "capital_target")
    fields = ("name", "slug", "unit", "team", "founded_on", "capital_target", "description")
    raw_id_fields = ("unit",)


class CriterionInline(ReadOnlyInline):
    model = RubricCriterion
    fields = ("position", "name", "weight")


@admin.register(Regulation)
class RegulationAdmin(ReadOnlyAdmin):
    list_display = ("number", "fund", "effective_from", "effective_to", "is_example", "board_limit")
    list_filter = ("is_example", "fund")
    inlines = [CriterionInline]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("name", "fund", "goal", "starts_on", "ends_on")


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ("contributor", "fund", "source", "pledged", "pledged_on", "anonymous")
    list_filter = ("source", "fund")
    exclude = ("contact",)


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ("number", "contribution", "amount", "received_on")


class EntryInline(ReadOnlyInline):
    model = Entry
    fields = ("account", "amount")


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = ("pk", "fund", "kind", "value_date", "posted_on", "loan", "memo")
    list_filter = ("kind", "fund")
    inlines = [EntryInline]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "fund", "kind", "balance")
    list_filter = ("kind", "fund")


@admin.register(ClosedPeriod)
class ClosedPeriodAdmin(ReadOnlyAdmin):
    list_display = ("fund", "month", "closed_by", "closed_at")


class AppraiserInline(ReadOnlyInline):
    model = Appraiser
    fields = ("user", "assigned_on", "declaration", "declared_at")


@admin.register(LoanApplication)
class LoanApplicationAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "fund", "amount", "status", "filed_on")
    list_filter = ("status", "fund")
    inlines = [AppraiserInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "fund", "kind", "amount", "level", "status", "prepared_by", "checked_by")
    list_filter = ("status", "kind", "fund")


class TrancheInline(ReadOnlyInline):
    model = Tranche
    fields = ("number", "amount", "milestone", "evidence_state", "released_on")


class RepaymentInline(ReadOnlyInline):
    model = Repayment
    fields = ("paid_on", "amount", "reversal")


class FreezeInline(ReadOnlyInline):
    model = Freeze
    fields = ("start", "end")


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ("contract_number", "fund", "amount", "outstanding", "status", "bucket", "debt_group")
    list_filter = ("status", "bucket", "debt_group", "fund")
    exclude = ("borrower",)
    inlines = [TrancheInline, RepaymentInline, FreezeInline]


@admin.register(ScheduleVersion)
class ScheduleVersionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "reason", "effective_from")

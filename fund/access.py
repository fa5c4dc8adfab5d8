"""Who reads and changes the fund's records: outside scope is 404, read-only is 403.

A fund's own officers (members of its team) receive and appraise applications, prepare and check
decisions, record contributions and repayments. The council and the standing agency read everything
of every fund, the ledger included; district and commune teams read the applications and loans of
their units (never the ledger); a borrower reads their own application and loan. Money is only ever
moved by the services, behind a decision checked by a second officer where the regulation asks.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from fund.models import Decision, Fund, Loan, LoanApplication, Transaction
from portal.models import Team
from portal.scope import scope_for


def runs_a_fund(user) -> bool:
    return Team.Kind.FUND in scope_for(user).active_team_kinds


def runs(user, fund: Fund) -> bool:
    """An officer of the active team that runs ``fund``."""
    return runs_a_fund(user) and fund.team_id in scope_for(user).team_ids


def funds_run_by(user) -> list[int]:
    if not runs_a_fund(user):
        return []
    return list(Fund.objects.filter(team_id__in=scope_for(user).team_ids).values_list("pk", flat=True))


def reads_every_ledger(user) -> bool:
    """The council and the standing agency read every fund's ledger."""
    scope = scope_for(user)
    return scope.oversees or Team.Kind.STANDING_AGENCY in scope.active_team_kinds


def reads_ledger(user) -> bool:
    """Who reads some ledger: the council, the standing agency and fund officers (each their own fund's)."""
    return reads_every_ledger(user) or runs_a_fund(user)


def reads_ledger_of(user, fund: Fund) -> bool:
    """The council, the standing agency and the fund's own officers (as ``Transaction.visible_to``)."""
    return reads_every_ledger(user) or runs(user, fund)


def _checked(user, row, fund: Fund, for_write: bool):
    if for_write and not runs(user, fund):
        raise PermissionDenied
    return row


def get_fund_for_user(user, slug_or_pk, *, for_write: bool = False) -> Fund:
    lookup = {"pk": slug_or_pk} if isinstance(slug_or_pk, int) else {"slug": slug_or_pk}
    fund = get_object_or_404(Fund.objects.visible_to(user).select_related("team", "unit"), **lookup)
    return _checked(user, fund, fund, for_write)


def get_application_for_user(user, pk: int, *, for_write: bool = False) -> LoanApplication:
    application = get_object_or_404(
        LoanApplication.objects.visible_to(user).select_related(
            "dossier__applicant", "fund", "regulation", "unit", "project"
        ),
        pk=pk,
    )
    return _checked(user, application, application.fund, for_write)


def get_loan_for_user(user, pk: int, *, for_write: bool = False) -> Loan:
    loan = get_object_or_404(
        Loan.objects.visible_to(user).select_related(
            "fund", "regulation", "borrower", "unit", "project", "application"
        ),
        pk=pk,
    )
    return _checked(user, loan, loan.fund, for_write)


def get_decision_for_user(user, pk: int, *, for_write: bool = False) -> Decision:
    decision = get_object_or_404(
        Decision.objects.visible_to(user).select_related(
            "fund", "application", "loan", "tranche", "prepared_by"
        ),
        pk=pk,
    )
    return _checked(user, decision, decision.fund, for_write)


def get_transaction_for_user(user, pk: int) -> Transaction:
    return get_object_or_404(Transaction.objects.visible_to(user).select_related("fund", "loan", "by"), pk=pk)

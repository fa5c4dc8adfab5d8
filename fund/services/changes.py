"""What an approved decision does to a loan: create it, release a tranche, extend it, freeze it, recall
it, write it off. Only ``fund/services/decisions.py: approve`` calls these, inside its transaction,
with the fund locked; each catches the loan up to the business date first and writes the schedule
change as a new version (the old ones are kept)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from fund import daily_figures, schedules
from fund.models import (
    AccountKind,
    Freeze,
    Loan,
    LoanApplication,
    ScheduleVersion,
    Status,
    Tranche,
    TransactionKind,
)
from fund.services import ledger
from fund.services.loans import (
    catch_up,
    current_schedule,
    instalments_of,
    lock_loan,
    replay,
    terms_of,
    write_schedule,
)
from portal.models import User
from portal.models.people import today
from portal.refusals import Refused

FIRST_TRANCHE_EVIDENCE = "Hợp đồng vay vốn đã ký"


def check_changeable(loan: Loan) -> None:
    """A schedule changes only on a loan being repaid (not one repaid, recalled or written off)."""
    if loan.status != Loan.Status.ACTIVE:
        raise Refused(
            _("The loan is %(status)s: its schedule cannot change.") % {"status": loan.get_status_display()},
            code="loan_not_active",
            conflict=True,
        )


def create_loan(application: LoanApplication, command: dict, *, on: datetime.date) -> Loan:
    fund = application.fund
    year = on.year
    sequence = Loan.objects.filter(fund=fund, contract_on__year=year).count() + 1
    loan = Loan.objects.create(
        application=application,
        fund=fund,
        regulation=application.regulation,
        # As the receipts: unique across funds by the fund's number, readable by year and sequence.
        contract_number=f"HĐ-{fund.pk}-{year}-{sequence:04d}",
        borrower=application.dossier.applicant,
        project=application.project,
        unit=application.unit,
        sector=application.sector,
        amount=command["amount"],
        term_months=command["term_months"],
        grace_months=command["grace_months"],
        yearly_rate_bp=application.regulation.yearly_rate_bp,
        method=command["method"],
        period_months=command["period_months"],
        allocation_order=list(application.regulation.allocation_order),
        contract_on=on,
    )
    for number, (amount, milestone) in enumerate(command["tranches"], start=1):
        Tranche.objects.create(
            loan=loan,
            number=number,
            amount=amount,
            milestone=milestone,
            # The first tranche is released on the signed contract; each later one on its evidence.
            evidence=FIRST_TRANCHE_EVIDENCE if number == 1 else "",
            evidence_state=Tranche.Evidence.ACCEPTED if number == 1 else Tranche.Evidence.WAITING,
        )
    application.status = Status.APPROVED
    application.decided_on = on
    application.save(update_fields=["status", "decided_on"])
    return loan


def check_releasable(tranche: Tranche) -> None:
    if tranche.released_on:
        raise Refused(_("This tranche has already been released."), code="already_released", conflict=True)
    if tranche.evidence_state != Tranche.Evidence.ACCEPTED:
        raise Refused(
            _("Tranche %(number)s is released only after its evidence is accepted.")
            % {"number": tranche.number},
            code="evidence_not_accepted",
            conflict=True,
        )
    earlier = tranche.loan.tranches.filter(number__lt=tranche.number, released_on__isnull=True)
    if earlier.exists():
        raise Refused(_("Release the earlier tranches first."), code="earlier_tranche", conflict=True)
    if tranche.loan.status not in (Loan.Status.APPROVED, Loan.Status.ACTIVE):
        raise Refused(
            _("The loan is %(status)s: nothing more is released.")
            % {"status": tranche.loan.get_status_display()},
            code="loan_not_active",
            conflict=True,
        )


def release_tranche(tranche: Tranche, *, by: User, on: datetime.date):
    loan = catch_up(lock_loan(tranche.loan))
    tranche = Tranche.objects.select_for_update().get(pk=tranche.pk)
    tranche.loan = loan
    check_releasable(tranche)
    posting = ledger.post(
        fund=loan.fund,
        kind=TransactionKind.DISBURSEMENT,
        value_date=on,
        lines=[
            (ledger.account(loan.fund, AccountKind.LOAN, loan=loan), tranche.amount),
            (ledger.account(loan.fund, AccountKind.CASH), -tranche.amount),
        ],
        by=by,
        memo=_("Tranche %(number)s of %(loan)s") % {"number": tranche.number, "loan": loan},
        loan=loan,
    )
    paid = replay(loan, on=on).paid if loan.start_on else {}
    rows = instalments_of(current_schedule(loan))
    loan.disbursed += tranche.amount
    if loan.start_on is None:
        loan.start_on = on
        loan.status = Loan.Status.ACTIVE
        write_schedule(
            loan,
            reason=ScheduleVersion.Reason.RELEASE,
            effective_from=on,
            rows=schedules.build_schedule(terms_of(loan)),
        )
    else:
        rows = schedules.add_release(rows, paid, on=on, amount=tranche.amount, terms=terms_of(loan))
        write_schedule(loan, reason=ScheduleVersion.Reason.TRANCHE, effective_from=on, rows=rows)
    loan.save(update_fields=["disbursed", "start_on", "status"])
    tranche.released_on = on
    tranche.transaction = posting
    tranche.save(update_fields=["released_on", "transaction"])
    catch_up(loan, on)
    daily_figures.keep_current(loan)
    return posting


def extend(loan: Loan, *, extra_periods: int, on: datetime.date) -> None:
    loan = catch_up(lock_loan(loan))
    check_changeable(loan)
    rows = schedules.extend(
        instalments_of(current_schedule(loan)),
        replay(loan, on=on).paid,
        on=on,
        terms=terms_of(loan),
        extra_periods=extra_periods,
    )
    write_schedule(loan, reason=ScheduleVersion.Reason.EXTENSION, effective_from=on, rows=rows)
    loan.term_months += extra_periods * loan.period_months
    loan.restructured = True
    loan.save(update_fields=["term_months", "restructured"])
    catch_up(loan, on)
    daily_figures.keep_current(loan)


def freeze_end(start: datetime.date, months: int) -> datetime.date:
    return start + relativedelta(months=months) - datetime.timedelta(days=1)


def check_no_overlap(loan: Loan, start: datetime.date, end: datetime.date) -> None:
    clash = Freeze.objects.filter(loan=loan, start__lte=end, end__gte=start).first()
    if clash:
        raise Refused(
            _("The loan is already frozen from %(start)s to %(end)s: freezes cannot overlap.")
            % {"start": f"{clash.start:%d/%m/%Y}", "end": f"{clash.end:%d/%m/%Y}"},
            code="freeze_overlap",
            conflict=True,
        )


def freeze(loan: Loan, *, start: datetime.date, months: int, decision) -> None:
    loan = catch_up(lock_loan(loan))
    check_changeable(loan)
    if start < today():
        # Approved after its first day, a freeze would move instalments already overdue and undo arrears.
        raise Refused(
            _("The freeze was to start on %(day)s, which has passed: propose it again from today or later.")
            % {"day": f"{start:%d/%m/%Y}"},
            code="freeze_in_past",
            conflict=True,
        )
    end = freeze_end(start, months)
    check_no_overlap(loan, start, end)
    rows = schedules.freeze(instalments_of(current_schedule(loan)), on=start, months=months)
    write_schedule(loan, reason=ScheduleVersion.Reason.FREEZE, effective_from=start, rows=rows)
    Freeze.objects.create(loan=loan, start=start, end=end, decision=decision)
    catch_up(loan)
    daily_figures.keep_current(loan)


def recall(loan: Loan, *, by: User, on: datetime.date, reason: str):
    """Money misused: everything not yet due falls due today, and the loan's receivable moves to the
    recalled account."""
    loan = catch_up(lock_loan(loan))
    check_changeable(loan)
    rows = schedules.recall(
        instalments_of(current_schedule(loan)),
        replay(loan, on=on).paid,
        on=on,
        yearly_rate_bp=loan.yearly_rate_bp,
        start=loan.start_on,
    )
    write_schedule(loan, reason=ScheduleVersion.Reason.RECALL, effective_from=on, rows=rows)
    posting = ledger.post(
        fund=loan.fund,
        kind=TransactionKind.RECALL,
        value_date=on,
        lines=[
            (ledger.account(loan.fund, AccountKind.RECALLED, loan=loan), loan.outstanding),
            (ledger.account(loan.fund, AccountKind.LOAN, loan=loan), -loan.outstanding),
        ],
        by=by,
        memo=_("Recall of %(loan)s: %(reason)s") % {"loan": loan, "reason": reason},
        loan=loan,
    )
    loan.status = Loan.Status.RECALLED
    loan.save(update_fields=["status"])
    catch_up(loan, on)
    daily_figures.keep_current(loan)
    return posting


def write_off(loan: Loan, *, by: User, on: datetime.date, reason: str):
    loan = catch_up(lock_loan(loan))
    if loan.status not in (Loan.Status.ACTIVE, Loan.Status.RECALLED):
        raise Refused(
            _("The loan is %(status)s: it cannot be written off.") % {"status": loan.get_status_display()},
            code="loan_not_active",
            conflict=True,
        )
    amount = loan.outstanding
    if not amount:
        raise Refused(
            _("Nothing is outstanding on the loan: there is nothing to write off."), code="nothing_owed"
        )
    kind = AccountKind.RECALLED if loan.status == Loan.Status.RECALLED else AccountKind.LOAN
    posting = ledger.post(
        fund=loan.fund,
        kind=TransactionKind.WRITE_OFF,
        value_date=on,
        lines=[
            (ledger.account(loan.fund, AccountKind.LOSSES), amount),
            (ledger.account(loan.fund, kind, loan=loan), -amount),
        ],
        by=by,
        memo=_("Write-off of %(loan)s: %(reason)s") % {"loan": loan, "reason": reason},
        loan=loan,
    )
    loan.status = Loan.Status.WRITTEN_OFF
    loan.written_off = amount
    loan.closed_on = on
    loan.save(update_fields=["status", "written_off", "closed_on"])
    catch_up(loan, on)
    daily_figures.keep_current(loan)
    return posting

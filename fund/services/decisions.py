"""Two-person decisions: one fund officer prepares a decision (the whole command, checked against the
regulation), another checks it; only the check carries it out (fund/services/changes.py). Who
prepared a decision can never check it — here, and in the database (a check constraint). Above the
regulation's threshold the People's Committee decides outside the portal: the checker records its
decision number and date."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fund.access import runs
from fund.models import (
    Decision,
    DecisionKind,
    Level,
    Loan,
    LoanApplication,
    Method,
    Recommendation,
    Status,
    Tranche,
)
from fund.services import changes, ledger, rules
from portal.models import User
from portal.models.people import today
from portal.money import check_amount
from portal.refusals import Refused

MAX_TRANCHES = 10
MAX_EXTENSION_MONTHS = 24
MAX_FREEZE_MONTHS = 12
REASON_LIMIT = Decision._meta.get_field("reason").max_length


def _check_officer(by: User, fund) -> None:
    if not runs(by, fund):
        raise Refused(_("Only the fund's officers prepare and check its decisions."), code="not_writable")


def _reason(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Refused(_("Write the reasons for the decision."), code="reason_required")
    if len(text) > REASON_LIMIT:
        raise Refused(_("The reasons are too long."), code="too_long")
    return text


def _new(
    *, kind: str, fund, by: User, reason: str, amount: int, level: str, command: dict, **about
) -> Decision:
    return Decision.objects.create(
        kind=kind,
        fund=fund,
        prepared_by=by,
        reason=_reason(reason),
        amount=amount,
        level=level,
        command=command,
        **about,
    )


def _check_terms(application: LoanApplication, asked: rules.Asked, method: str, tranches) -> None:
    if method not in Method.values:
        raise Refused(_("Choose a repayment method."), code="method")
    if asked.period_months not in (1, 3):
        raise Refused(_("Repayments are monthly or quarterly."), code="period")
    if not tranches or len(tranches) > MAX_TRANCHES:
        raise Refused(
            _("A loan is released in 1 to %(most)s tranches.") % {"most": MAX_TRANCHES}, code="tranches"
        )
    for amount, milestone in tranches:
        check_amount(amount, _("Tranche"), positive=True)
        if not (milestone or "").strip():
            raise Refused(_("Say when each tranche is released."), code="milestone_required")
    if sum(amount for amount, _milestone in tranches) != asked.amount:
        raise Refused(_("The tranches must add up to the amount of the loan."), code="tranches_sum")
    broken = rules.failures(rules.check_application(application, asked))
    if broken:
        raise Refused(
            _("The regulation does not allow this loan: %(rules)s.")
            % {
                "rules": "; ".join(
                    f"{check.label} ({check.article}): {check.detail}"
                    if check.article
                    else f"{check.label}: {check.detail}"
                    for check in broken
                )
            },
            code="rules_broken",
        )


@transaction.atomic
def propose_loan(
    *,
    application: LoanApplication,
    by: User,
    amount: int,
    term_months: int,
    grace_months: int,
    method: str,
    period_months: int,
    tranches: list[tuple[int, str]],
    reason: str,
) -> Decision:
    application = (
        LoanApplication.objects.select_for_update()
        .select_related("fund", "regulation", "dossier")
        .get(pk=application.pk)
    )
    _check_officer(by, application.fund)
    if application.status != Status.RECOMMENDED or application.recommendation != Recommendation.LEND:
        raise Refused(
            _("A loan is proposed only on an application the appraisal recommended lending to."),
            code="not_recommended",
            conflict=True,
        )
    check_amount(amount, _("Amount"), positive=True)
    asked = rules.Asked(amount, term_months, grace_months, period_months)
    _check_terms(application, asked, method, tranches)
    command = {
        "amount": amount,
        "term_months": term_months,
        "grace_months": grace_months,
        "method": method,
        "period_months": period_months,
        "tranches": [[tranche_amount, milestone.strip()] for tranche_amount, milestone in tranches],
    }
    decision = _new(
        kind=DecisionKind.APPROVE_LOAN,
        fund=application.fund,
        by=by,
        reason=reason,
        amount=amount,
        level=rules.approval_level(application.regulation, amount),
        command=command,
        application=application,
    )
    application.status = Status.PROPOSED
    application.save(update_fields=["status"])
    return decision


@transaction.atomic
def propose_release(*, tranche: Tranche, by: User, reason: str) -> Decision:
    tranche = Tranche.objects.select_related("loan__fund", "loan__regulation").get(pk=tranche.pk)
    loan = tranche.loan
    _check_officer(by, loan.fund)
    changes.check_releasable(tranche)
    _check_none_pending(loan, DecisionKind.DISBURSE)
    return _new(
        kind=DecisionKind.DISBURSE,
        fund=loan.fund,
        by=by,
        reason=reason,
        amount=tranche.amount,
        level=rules.approval_level(loan.regulation, tranche.amount),
        command={"tranche": tranche.pk, "number": tranche.number, "amount": tranche.amount},
        loan=loan,
        tranche=tranche,
    )


def _check_none_pending(loan: Loan, kind: str) -> None:
    if Decision.objects.filter(loan=loan, kind=kind, status=Decision.Status.PENDING).exists():
        raise Refused(
            _("A decision of this kind on the loan is already waiting for its second officer."),
            code="already_pending",
            conflict=True,
        )


def _loan_change(loan: Loan, by: User, kind: str, reason: str, command: dict) -> Decision:
    _check_none_pending(loan, kind)
    return _new(
        kind=kind,
        fund=loan.fund,
        by=by,
        reason=reason,
        amount=loan.outstanding,
        level=rules.approval_level(loan.regulation, loan.amount),
        command=command,
        loan=loan,
    )


@transaction.atomic
def propose_extension(*, loan: Loan, by: User, extra_periods: int, reason: str) -> Decision:
    _check_officer(by, loan.fund)
    changes.check_changeable(loan)
    months = extra_periods * loan.period_months
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise Refused(
            _("An extension adds 1 to %(most)s months.") % {"most": MAX_EXTENSION_MONTHS},
            code="extension_length",
        )
    return _loan_change(
        loan, by, DecisionKind.EXTEND, reason, {"extra_periods": extra_periods, "months": months}
    )


@transaction.atomic
def propose_freeze(*, loan: Loan, by: User, start: datetime.date, months: int, reason: str) -> Decision:
    _check_officer(by, loan.fund)
    changes.check_changeable(loan)
    if start < today():
        raise Refused(_("A freeze starts today or later."), code="freeze_in_past")
    if not 1 <= months <= MAX_FREEZE_MONTHS:
        raise Refused(
            _("A freeze lasts 1 to %(most)s months.") % {"most": MAX_FREEZE_MONTHS}, code="freeze_length"
        )
    changes.check_no_overlap(loan, start, changes.freeze_end(start, months))
    return _loan_change(loan, by, DecisionKind.FREEZE, reason, {"start": start.isoformat(), "months": months})


@transaction.atomic
def propose_recall(*, loan: Loan, by: User, reason: str) -> Decision:
    _check_officer(by, loan.fund)
    changes.check_changeable(loan)
    return _loan_change(loan, by, DecisionKind.RECALL, reason, {})


@transaction.atomic
def propose_write_off(*, loan: Loan, by: User, reason: str) -> Decision:
    _check_officer(by, loan.fund)
    if loan.status not in (Loan.Status.ACTIVE, Loan.Status.RECALLED) or not loan.outstanding:
        raise Refused(
            _("Only a loan with principal outstanding can be written off."),
            code="nothing_owed",
            conflict=True,
        )
    return _loan_change(loan, by, DecisionKind.WRITE_OFF, reason, {"outstanding": loan.outstanding})


def _locked_pending(decision: Decision) -> Decision:
    decision = Decision.objects.select_for_update().select_related("fund").get(pk=decision.pk)
    if decision.status != Decision.Status.PENDING:
        raise Refused(
            _("This decision is no longer waiting: it was %(status)s.")
            % {"status": decision.get_status_display()},
            code="not_pending",
            conflict=True,
        )
    return decision


def _check_checker(decision: Decision, by: User) -> None:
    _check_officer(by, decision.fund)
    if decision.prepared_by_id == by.pk:
        raise Refused(
            _(
                "You prepared this decision: another officer must check it "
                "(two people for every decision on money)."
            ),
            code="maker_checker",
            conflict=True,
        )


def _carry_out(decision: Decision, by: User, on: datetime.date):
    """What the approved decision does; returns the ledger posting when money moved."""
    command = decision.command
    if decision.kind == DecisionKind.APPROVE_LOAN:
        application = LoanApplication.objects.select_related("regulation", "fund", "dossier__applicant").get(
            pk=decision.application_id
        )
        asked = rules.Asked(
            command["amount"], command["term_months"], command["grace_months"], command["period_months"]
        )
        _check_terms(application, asked, command["method"], [tuple(pair) for pair in command["tranches"]])
        # The decision names the loan it created, so its page leads there.
        decision.loan = changes.create_loan(application, command, on=on)
        return None
    if decision.kind == DecisionKind.DISBURSE:
        return changes.release_tranche(decision.tranche, by=by, on=on)
    loan = decision.loan
    if decision.kind == DecisionKind.EXTEND:
        changes.extend(loan, extra_periods=command["extra_periods"], on=on)
        return None
    if decision.kind == DecisionKind.FREEZE:
        changes.freeze(
            loan,
            start=datetime.date.fromisoformat(command["start"]),
            months=command["months"],
            decision=decision,
        )
        return None
    if decision.kind == DecisionKind.RECALL:
        return changes.recall(loan, by=by, on=on, reason=decision.reason)
    return changes.write_off(loan, by=by, on=on, reason=decision.reason)


@transaction.atomic
def approve(
    *,
    decision: Decision,
    by: User,
    note: str = "",
    outside_number: str = "",
    outside_date: datetime.date | None = None,
) -> Decision:
    """The second person's approval: carries the command out, with the fund locked."""
    ledger.lock_fund(decision.fund)
    decision = _locked_pending(decision)
    _check_checker(decision, by)
    outside_number = (outside_number or "").strip()
    if decision.level == Level.PEOPLES_COMMITTEE:
        if not outside_number or outside_date is None:
            raise Refused(
                _(
                    "Above the fund board's limit the People's Committee decides: "
                    "record its decision number and date."
                ),
                code="outside_decision_required",
            )
        if outside_date > today():
            raise Refused(_("The date cannot be in the future."), code="future")
    posting = _carry_out(decision, by, today())
    decision.status = Decision.Status.APPROVED
    decision.checked_by = by
    decision.checked_at = timezone.now()
    decision.check_note = (note or "").strip()[:2000]
    decision.outside_number = outside_number[:60]
    decision.outside_date = outside_date
    decision.transaction = posting
    decision.save()
    return decision


def _reopen_application(decision: Decision) -> None:
    if decision.kind == DecisionKind.APPROVE_LOAN:
        LoanApplication.objects.filter(pk=decision.application_id).update(status=Status.RECOMMENDED)


@transaction.atomic
def reject(*, decision: Decision, by: User, note: str) -> Decision:
    decision = _locked_pending(decision)
    _check_checker(decision, by)
    decision.check_note = _reason(note)
    decision.status = Decision.Status.REJECTED
    decision.checked_by = by
    decision.checked_at = timezone.now()
    decision.save()
    _reopen_application(decision)
    return decision


@transaction.atomic
def cancel(*, decision: Decision, by: User) -> Decision:
    decision = _locked_pending(decision)
    if decision.prepared_by_id != by.pk:
        raise Refused(_("Only who prepared a decision withdraws it."), code="not_maker")
    decision.status = Decision.Status.CANCELLED
    decision.save()
    _reopen_application(decision)
    return decision

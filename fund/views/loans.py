"""The loans: the list (the borrower's own loans, or those of an official's scope), a loan's page with
its contract, its state, its schedule paid and unpaid, its older schedules, tranches, repayments with
their allocation, freezes and decisions, and the fund officers' forms: a repayment recorded or
reversed, a tranche's evidence reviewed, a release, an extension, a freeze, a recall or a write-off
proposed. The borrower submits a tranche's evidence and reads the rest.

Every page starts from ``Loan.objects.visible_to``: outside it 404, a change by someone who only reads
403. Reading never catches a loan up (the state shown is the one the last write or the morning job
wrote); the services catch it up before each change. A repayment and a reversal run once for the
form's idempotency key. A refused change comes back on the loan's page with its message, status 400.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fund.access import get_loan_for_user, runs
from fund.forms.fields import renew_key
from fund.forms.loans import (
    EvidenceForm,
    ExtensionForm,
    FreezeForm,
    LoanFilterForm,
    RecallForm,
    ReleaseForm,
    RepaymentForm,
    ReversalForm,
    ReviewForm,
    WriteOffForm,
)
from fund.idempotency import Answer, run_once
from fund.models import Decision, DecisionKind, Loan, Tranche
from fund.services import decisions, evidence
from fund.services.loans import current_schedule, record_repayment, replay, reverse_repayment
from portal.models.people import today
from portal.pages import attempt
from portal.paging import ListPaginator
from portal.refusals import Refused
from portal.scope import scope_for

PAGE_SIZE = 50
REPAYABLE = (Loan.Status.ACTIVE, Loan.Status.RECALLED)
RELEASABLE = (Loan.Status.APPROVED, Loan.Status.ACTIVE)
# The changes an officer proposes on a loan: the form and the service of each, by the address's name.
CHANGES = {
    "extension": (
        ExtensionForm,
        lambda loan, by, data: decisions.propose_extension(
            loan=loan, by=by, extra_periods=data["extra_periods"], reason=data["reason"]
        ),
    ),
    "freeze": (
        FreezeForm,
        lambda loan, by, data: decisions.propose_freeze(
            loan=loan, by=by, start=data["start"], months=data["months"], reason=data["reason"]
        ),
    ),
    "recall": (
        RecallForm,
        lambda loan, by, data: decisions.propose_recall(loan=loan, by=by, reason=data["reason"]),
    ),
    "write-off": (
        WriteOffForm,
        lambda loan, by, data: decisions.propose_write_off(loan=loan, by=by, reason=data["reason"]),
    ),
}


def is_official(user) -> bool:
    """Someone reading loans through a team (not only as a borrower)."""
    return bool(scope_for(user).readable_unit_ids)


def is_borrower(user, loan: Loan) -> bool:
    return loan.borrower.user_id == user.pk


def once(user, data: dict, *, action: str, payload: dict, work) -> Answer:
    """``work`` run once for the form's idempotency key; a refusal, now or the first time, is raised."""
    answer = run_once(user=user, key=data["idempotency_key"], action=action, payload=payload, work=work)
    if answer.status >= 400:
        raise Refused(
            answer.body.get("detail", ""), code=answer.body.get("code", ""), conflict=answer.status == 409
        )
    return answer


# --- The list --------------------------------------------------------------------------------------------


@login_required
@require_GET
def loan_list(request):
    user = request.user
    form = LoanFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    loans = Loan.objects.visible_to(user)
    if chosen.get("q"):
        words = chosen["q"].strip()
        loans = loans.filter(Q(contract_number__icontains=words) | Q(borrower__full_name__icontains=words))
    if chosen.get("fund"):
        loans = loans.filter(fund=chosen["fund"])
    for name in ("status", "bucket", "debt_group"):
        if chosen.get(name):
            loans = loans.filter(**{name: chosen[name]})
    if chosen.get("at_risk"):
        loans = loans.filter(at_risk=True)
    loans = loans.select_related("fund", "unit", "borrower").order_by("-contract_on", "-pk")
    page = ListPaginator(loans, PAGE_SIZE).get_page(chosen.get("page") or 1)
    context = {"form": form, "page": page, "own_only": not is_official(user)}
    return render(request, "fund/loans/list.html", context, status=400 if form.errors else 200)


# --- A loan's page ---------------------------------------------------------------------------------------


def _schedule(loan: Loan):
    """The current schedule's rows, each with what is paid of it (the allocation replay on today), and
    the replay's shares by repayment."""
    version = current_schedule(loan)
    if version is None:
        return None, [], {}
    day = today()
    state = replay(loan, on=day)
    rows = list(version.instalments.order_by("number"))
    for row in rows:
        row.paid_principal, row.paid_interest = state.paid.get(row.number, (0, 0))
        row.unpaid = row.principal + row.interest - row.paid_principal - row.paid_interest
        row.is_overdue = row.unpaid > 0 and row.due_on < day
    shares = defaultdict(list)
    for share in state.shares:
        shares[share.payment_key].append(share)
    return version, rows, shares


def _row_form(form_class, failed, row, field: str, **kwargs):
    """The form of one row (a tranche, a repayment): the refused one if it was about this row."""
    if isinstance(failed, form_class) and failed.data.get(failed.add_prefix(field)) == str(row.pk):
        return failed
    return form_class(initial={field: row.pk}, auto_id=f"id_{row.pk}_%s", **kwargs)


def _tranches(loan: Loan, failed, *, can_act: bool, borrower: bool) -> list[Tranche]:
    pending = set(
        loan.decisions.filter(kind=DecisionKind.DISBURSE, status=Decision.Status.PENDING).values_list(
            "tranche_id", flat=True
        )
    )
    tranches = list(loan.tranches.select_related("reviewed_by"))
    open_for_release = loan.status in RELEASABLE
    for tranche in tranches:
        tranche.release_pending = tranche.pk in pending
        waiting = open_for_release and not tranche.released_on
        tranche.evidence_form = (
            _row_form(EvidenceForm, failed, tranche, "tranche", loan=loan)
            if waiting and (can_act or borrower) and tranche.evidence_state != Tranche.Evidence.ACCEPTED
            else None
        )
        tranche.review_form = (
            _row_form(ReviewForm, failed, tranche, "tranche", loan=loan)
            if waiting and can_act and tranche.evidence_state == Tranche.Evidence.SUBMITTED
            else None
        )
        tranche.release_form = (
            _row_form(ReleaseForm, failed, tranche, "tranche", loan=loan)
            if waiting
            and can_act
            and tranche.evidence_state == Tranche.Evidence.ACCEPTED
            and not tranche.release_pending
            else None
        )
    return tranches


def _repayments(loan: Loan, failed, shares: dict, *, can_act: bool) -> list:
    repayments = list(loan.repayments.select_related("recorded_by", "reversal"))
    for repayment in repayments:
        repayment.shares = shares.get(repayment.pk, [])
        repayment.reversal_form = (
            _row_form(ReversalForm, failed, repayment, "repayment", loan=loan)
            if can_act and not repayment.reversal_id and loan.status != Loan.Status.WRITTEN_OFF
            else None
        )
    return repayments


def _change_forms(loan: Loan, failed) -> dict:
    """The proposals an officer may make on the loan as it stands, by the address's name."""
    names = []
    if loan.status == Loan.Status.ACTIVE:
        names += ["extension", "freeze", "recall"]
    if loan.status in REPAYABLE and loan.outstanding:
        names.append("write-off")
    shown = {}
    for name in names:
        form_class = CHANGES[name][0]
        shown[name.replace("-", "_")] = failed if isinstance(failed, form_class) else form_class()
    return shown


def _detail_page(request, loan: Loan, *, failed=None, status: int = 200):
    user = request.user
    can_act = runs(user, loan.fund)
    borrower = is_borrower(user, loan)
    version, rows, shares = _schedule(loan)
    official = is_official(user)
    context = {
        "loan": loan,
        "rate_percent": loan.yearly_rate_bp / 100,
        "can_act": can_act,
        "official": official,
        "borrower": borrower,
        "version": version,
        "rows": rows,
        "older": loan.schedules.exclude(pk=version.pk).prefetch_related("instalments") if version else [],
        "tranches": _tranches(loan, failed, can_act=can_act, borrower=borrower),
        "repayments": _repayments(loan, failed, shares, can_act=can_act),
        "freezes": loan.freezes.select_related("decision"),
        "decisions": (
            Decision.objects.visible_to(user)
            .filter(Q(loan=loan) | Q(application_id=loan.application_id))
            .select_related("prepared_by", "checked_by", "tranche")
            if official
            else []
        ),
        "repayment_form": (
            (failed if isinstance(failed, RepaymentForm) else RepaymentForm())
            if can_act and loan.status in REPAYABLE
            else None
        ),
        "change_forms": _change_forms(loan, failed) if can_act else {},
        "refused": failed,
    }
    return render(request, "fund/loans/detail.html", context, status=status)


@login_required
@require_GET
def loan_detail(request, pk: int):
    return _detail_page(request, get_loan_for_user(request.user, pk))


def _done(request, loan: Loan, message: str):
    messages.success(request, message)
    return redirect("loan_detail", pk=loan.pk)


def _refused(request, loan: Loan, form):
    return _detail_page(request, loan, failed=form, status=400)


# --- Repayments ------------------------------------------------------------------------------------------


@login_required
@require_POST
def loan_repayment(request, pk: int):
    user = request.user
    loan = get_loan_for_user(user, pk, for_write=True)
    form = RepaymentForm(request.POST)

    def record(data):
        return once(
            user,
            data,
            action="repayment",
            payload={"loan": loan.pk, "amount": data["amount"], "paid_on": data["paid_on"].isoformat()},
            work=lambda: Answer(
                201,
                {
                    "repayment": record_repayment(
                        loan=loan, amount=data["amount"], paid_on=data["paid_on"], by=user
                    ).pk
                },
            ),
        )

    answer = attempt(form, record)
    if answer is None:
        renew_key(form)
        return _refused(request, loan, form)
    if answer.repeated:
        return _done(request, loan, _("This repayment was already recorded: it was not recorded twice."))
    return _done(request, loan, _("The repayment has been recorded and allocated."))


@login_required
@require_POST
def loan_repayment_reverse(request, pk: int):
    user = request.user
    loan = get_loan_for_user(user, pk, for_write=True)
    form = ReversalForm(request.POST, loan=loan)

    def reverse(data):
        repayment = data["repayment"]
        return once(
            user,
            data,
            action="repayment-reversal",
            payload={"repayment": repayment.pk, "reason": data["reason"]},
            work=lambda: Answer(
                200, {"repayment": reverse_repayment(repayment=repayment, by=user, reason=data["reason"]).pk}
            ),
        )

    answer = attempt(form, reverse)
    if answer is None:
        renew_key(form)
        return _refused(request, loan, form)
    return _done(request, loan, _("The repayment has been reversed; the later ones were allocated again."))


# --- Tranches --------------------------------------------------------------------------------------------


@login_required
@require_POST
def tranche_evidence(request, pk: int):
    user = request.user
    loan = get_loan_for_user(user, pk)
    if not (runs(user, loan.fund) or is_borrower(user, loan)):
        raise PermissionDenied
    form = EvidenceForm(request.POST, loan=loan)
    submitted = attempt(
        form,
        lambda data: evidence.submit_evidence(tranche=data["tranche"], by=user, evidence=data["evidence"]),
    )
    if submitted is None:
        return _refused(request, loan, form)
    return _done(request, loan, _("The evidence has been submitted: a fund officer will review it."))


@login_required
@require_POST
def tranche_review(request, pk: int):
    user = request.user
    loan = get_loan_for_user(user, pk, for_write=True)
    form = ReviewForm(request.POST, loan=loan)
    reviewed = attempt(
        form,
        lambda data: evidence.review_evidence(
            tranche=data["tranche"], by=user, accepted=data["accepted"], note=data["note"]
        ),
    )
    if reviewed is None:
        return _refused(request, loan, form)
    if reviewed.evidence_state == Tranche.Evidence.ACCEPTED:
        return _done(
            request, loan, _("The evidence has been accepted: the tranche's release may be proposed.")
        )
    return _done(request, loan, _("The evidence has been rejected; the borrower can submit it again."))


@login_required
@require_POST
def tranche_release(request, pk: int):
    user = request.user
    loan = get_loan_for_user(user, pk, for_write=True)
    form = ReleaseForm(request.POST, loan=loan)
    decision = attempt(
        form, lambda data: decisions.propose_release(tranche=data["tranche"], by=user, reason=data["reason"])
    )
    if decision is None:
        return _refused(request, loan, form)
    messages.success(request, _("The release has been proposed: another officer of the fund must check it."))
    return redirect("decision_detail", pk=decision.pk)


# --- Changes proposed ------------------------------------------------------------------------------------


@login_required
@require_POST
def loan_change(request, pk: int, change: str):
    user = request.user
    loan = get_loan_for_user(user, pk, for_write=True)
    form_class, propose = CHANGES[change]
    form = form_class(request.POST)
    decision = attempt(form, lambda data: propose(loan, user, data))
    if decision is None:
        return _refused(request, loan, form)
    messages.success(request, _("The decision has been prepared: another officer of the fund must check it."))
    return redirect("decision_detail", pk=decision.pk)

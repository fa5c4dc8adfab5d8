"""Two-person decisions on their pages: a loan proposed on a recommended application; the decisions,
those waiting first (marked when they wait for the reader's check); and a decision's page with its
whole command in words, who prepared it, who decides (the fund's board or the People's Committee), the
regulation's check of a loan's terms, and the forms to approve, reject or withdraw it.

Who prepared a decision sees that another officer must check it, and a check they post is refused
with the service's message (400, nothing changed). An approval runs once for the form's idempotency
key (action ``decision-approve``): a double click approves once.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, Case, IntegerField, Q, Value, When
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fund.access import funds_run_by, get_application_for_user, get_decision_for_user, runs
from fund.forms.decisions import ApproveForm, DecisionFilterForm, ProposeLoanForm, RejectForm, WithdrawForm
from fund.forms.fields import renew_key
from fund.idempotency import Answer
from fund.models import Decision, DecisionKind, Frequency, Level, Method, Recommendation, Status
from fund.services import decisions, rules
from fund.services.changes import freeze_end
from fund.views.loans import PAGE_SIZE, once
from portal.money import dong
from portal.pages import attempt
from portal.paging import ListPaginator

# --- A loan proposed -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def decision_propose_loan(request, pk: int):
    user = request.user
    application = get_application_for_user(user, pk, for_write=True)
    form = ProposeLoanForm(request.POST or None, application=application)
    if request.method == "POST":
        decision = attempt(
            form,
            lambda data: decisions.propose_loan(
                application=application,
                by=user,
                amount=data["amount"],
                term_months=data["term_months"],
                grace_months=data["grace_months"],
                method=data["method"],
                period_months=data["period_months"],
                tranches=data["tranches"],
                reason=data["reason"],
            ),
        )
        if decision is not None:
            messages.success(
                request, _("The loan has been proposed: another officer of the fund must check it.")
            )
            return redirect("decision_detail", pk=decision.pk)
    context = {
        "application": application,
        "form": form,
        "can_propose": application.status == Status.RECOMMENDED
        and application.recommendation == Recommendation.LEND,
    }
    return render(
        request, "fund/decisions/propose_loan.html", context, status=400 if request.method == "POST" else 200
    )


# --- The list --------------------------------------------------------------------------------------------


@login_required
@require_GET
def decision_list(request):
    user = request.user
    form = DecisionFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = Decision.objects.visible_to(user)
    for name in ("status", "kind", "fund"):
        if chosen.get(name):
            found = found.filter(**{name: chosen[name]})
    pending = Q(status=Decision.Status.PENDING)
    found = (
        found.select_related("fund", "application__dossier", "loan", "prepared_by", "checked_by")
        .annotate(
            is_decided=Case(When(pending, then=Value(0)), default=Value(1), output_field=IntegerField()),
            waits_for_reader=Case(
                When(pending & Q(fund_id__in=funds_run_by(user)) & ~Q(prepared_by=user), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("is_decided", "-waits_for_reader", "-prepared_at", "-pk")
    )
    page = ListPaginator(found, PAGE_SIZE).get_page(chosen.get("page") or 1)
    return render(
        request, "fund/decisions/list.html", {"form": form, "page": page}, status=400 if form.errors else 200
    )


# --- A decision's page -----------------------------------------------------------------------------------


def describe(decision: Decision) -> list[tuple[str, str]]:
    """The decision's command in words: (what, how much or when) in order."""
    command = decision.command
    kind = decision.kind
    if kind == DecisionKind.APPROVE_LOAN:
        lines = [
            (_("Amount"), dong(command["amount"])),
            (_("Term"), _("%(months)s months") % {"months": command["term_months"]}),
            (_("Grace period"), _("%(months)s months") % {"months": command["grace_months"]}),
            (_("Repayment method"), str(Method(command["method"]).label)),
            (_("Repayments"), str(Frequency(command["period_months"]).label)),
        ]
        lines += [
            (_("Tranche %(number)s") % {"number": number}, f"{dong(amount)} – {milestone}")
            for number, (amount, milestone) in enumerate(command["tranches"], start=1)
        ]
        return lines
    if kind == DecisionKind.DISBURSE:
        return [
            (_("Tranche"), str(command["number"])),
            (_("Amount released"), dong(command["amount"])),
            (_("Released when"), decision.tranche.milestone),
        ]
    if kind == DecisionKind.EXTEND:
        return [
            (_("Repayment periods added"), str(command["extra_periods"])),
            (_("Term longer by"), _("%(months)s months") % {"months": command["months"]}),
        ]
    if kind == DecisionKind.FREEZE:
        start = datetime.date.fromisoformat(command["start"])
        return [
            (_("Frozen from"), f"{start:%d/%m/%Y}"),
            (_("Until"), f"{freeze_end(start, command['months']):%d/%m/%Y}"),
            (_("Frozen for"), _("%(months)s months") % {"months": command["months"]}),
        ]
    if kind == DecisionKind.RECALL:
        return [
            (_("Principal outstanding when prepared"), dong(decision.amount)),
            (_("What happens"), _("Everything not yet due falls due on the day of the approval.")),
        ]
    return [(_("Principal written off"), dong(command["outstanding"]))]


def _rule_checks(decision: Decision) -> list:
    """The regulation's check of the loan's terms as proposed (a loan's approval only)."""
    if decision.kind != DecisionKind.APPROVE_LOAN:
        return []
    command = decision.command
    asked = rules.Asked(
        command["amount"], command["term_months"], command["grace_months"], command["period_months"]
    )
    return rules.check_application(decision.application, asked)


def _detail_page(request, decision: Decision, *, failed=None, status: int = 200):
    user = request.user
    waiting = decision.status == Decision.Status.PENDING
    officer = runs(user, decision.fund)
    is_maker = decision.prepared_by_id == user.pk
    can_check = waiting and officer and not is_maker
    committee = decision.level == Level.PEOPLES_COMMITTEE

    def form_of(form_class, **kwargs):
        return failed if isinstance(failed, form_class) else form_class(**kwargs)

    context = {
        "decision": decision,
        "lines": describe(decision),
        "checks": _rule_checks(decision),
        "committee": committee,
        "waiting": waiting,
        "officer": officer,
        "is_maker": waiting and is_maker,
        "approve_form": form_of(ApproveForm, committee=committee) if can_check else None,
        "reject_form": form_of(RejectForm) if can_check else None,
        "withdraw_form": form_of(WithdrawForm) if waiting and is_maker else None,
        "refused": failed,
    }
    return render(request, "fund/decisions/detail.html", context, status=status)


@login_required
@require_GET
def decision_detail(request, pk: int):
    return _detail_page(request, get_decision_for_user(request.user, pk))


@login_required
@require_POST
def decision_approve(request, pk: int):
    user = request.user
    decision = get_decision_for_user(user, pk, for_write=True)
    form = ApproveForm(request.POST, committee=decision.level == Level.PEOPLES_COMMITTEE)

    def approve(data):
        outside_date = data.get("outside_date")
        return once(
            user,
            data,
            action="decision-approve",
            payload={
                "decision": decision.pk,
                "note": data["note"],
                "outside_number": data.get("outside_number", ""),
                "outside_date": outside_date.isoformat() if outside_date else None,
            },
            work=lambda: Answer(
                200,
                {
                    "decision": decisions.approve(
                        decision=decision,
                        by=user,
                        note=data["note"],
                        outside_number=data.get("outside_number", ""),
                        outside_date=outside_date,
                    ).pk
                },
            ),
        )

    answer = attempt(form, approve)
    if answer is None:
        renew_key(form)
        return _detail_page(request, decision, failed=form, status=400)
    if answer.repeated:
        messages.info(request, _("This decision was already approved: it was carried out once."))
    else:
        messages.success(request, _("The decision has been approved and carried out."))
    return redirect("decision_detail", pk=decision.pk)


@login_required
@require_POST
def decision_reject(request, pk: int):
    user = request.user
    decision = get_decision_for_user(user, pk, for_write=True)
    form = RejectForm(request.POST)
    if attempt(form, lambda data: decisions.reject(decision=decision, by=user, note=data["note"])) is None:
        return _detail_page(request, decision, failed=form, status=400)
    messages.success(request, _("The decision has been rejected; nothing was carried out."))
    return redirect("decision_detail", pk=decision.pk)


@login_required
@require_POST
def decision_withdraw(request, pk: int):
    user = request.user
    decision = get_decision_for_user(user, pk, for_write=True)
    form = WithdrawForm(request.POST)
    if attempt(form, lambda data: decisions.cancel(decision=decision, by=user)) is None:
        return _detail_page(request, decision, failed=form, status=400)
    messages.success(request, _("The decision has been withdrawn."))
    return redirect("decision_detail", pk=decision.pk)

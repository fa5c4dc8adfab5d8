"""The funds' pages: the funds with their regulation in force and capital; a fund's page (its regulation
versions, capital by source, campaigns and their progress, the latest receipts); a regulation version
with every rule and its article; the contributions (pledges) with their receipts, money received
against a pledge, a printable receipt; a new version, pledge or campaign.

Every signed-in person reads (``Fund.objects.visible_to``); the fund's officers write (anyone else
gets 403), the standing agency also adopts regulation versions. A contributor's contact is shown to
the fund's officers only, an anonymous contributor's name to those who read the fund's ledger. Money
received runs once for the form's idempotency key. A refused change comes back on its page with its
message, status 400; a query string that does not parse answers 400, the list shown unfiltered.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fund.access import get_fund_for_user, reads_ledger_of, runs
from fund.disclosure import balances_by_fund, capital_by_source, regulations_in_force, source_rows
from fund.forms.fields import renew_key
from fund.forms.funds import (
    PART_LABELS,
    CampaignForm,
    ContributionFilterForm,
    ContributionForm,
    ReceiveForm,
    RegulationForm,
)
from fund.idempotency import Answer
from fund.models import Contribution, Fund, Receipt, Regulation, Transaction
from fund.services import capital, ledger
from fund.services.regulations import FIELDS, add_regulation, adopts_regulations
from fund.services.rules import RULE_LABELS
from fund.views.loans import once
from portal.models import AdminUnit
from portal.models.people import today
from portal.models.units import subtree_unit_ids
from portal.money import dong
from portal.pages import attempt
from portal.paging import ListPaginator
from portal.text import fold

PAGE_SIZE = 50
LATEST_RECEIPTS = 10
STANDING = Q(contributions__receipts__transaction__reversed_by__isnull=True)


def _visible_funds(user):
    return Fund.objects.visible_to(user)


def _shown_name(contribution: Contribution, sees_names: bool) -> str:
    """The contributor's name, or "Anonymous contributor" to who does not read the fund's ledger."""
    return (
        contribution.contributor if sees_names or not contribution.anonymous else _("Anonymous contributor")
    )


# --- Funds --------------------------------------------------------------------------------------------------


@login_required
@require_GET
def fund_list(request):
    funds = list(_visible_funds(request.user).select_related("unit"))
    ids = [fund.pk for fund in funds]
    # 1 the funds, 2 the versions in force, 3 the capital and cash of every fund.
    regulations = regulations_in_force(ids, today())
    balances = balances_by_fund(ids)
    for fund in funds:
        fund.regulation_in_force = regulations.get(fund.pk)
        fund.capital_received = balances[fund.pk]["capital"]
        fund.cash = balances[fund.pk]["cash"]
    return render(request, "fund/funds/list.html", {"funds": funds})


def _campaigns(fund: Fund) -> list:
    campaigns = list(
        fund.campaigns.annotate(received=Sum("contributions__receipts__amount", filter=STANDING))
    )
    for campaign in campaigns:
        campaign.received = campaign.received or 0
        campaign.progress = min(100, campaign.received * 100 // campaign.goal)
    return campaigns


@login_required
@require_GET
def fund_detail(request, slug: str):
    user = request.user
    fund = get_fund_for_user(user, slug)
    day = today()
    versions = list(fund.regulations.order_by("-effective_from"))
    received, interest = capital_by_source(fund)
    sees_names = reads_ledger_of(user, fund)
    receipts = list(
        Receipt.objects.filter(contribution__fund=fund).select_related("contribution")[:LATEST_RECEIPTS]
    )
    for receipt in receipts:
        receipt.shown_name = _shown_name(receipt.contribution, sees_names)
    in_force = [
        v for v in versions if v.effective_from <= day and (v.effective_to is None or v.effective_to >= day)
    ]
    context = {
        "fund": fund,
        "versions": versions,
        "in_force": in_force[0] if in_force else None,
        "capital_rows": source_rows(received),
        "capital_received": sum(received.values()),
        "interest_earned": interest,
        "cash": ledger.cash_of(fund),
        "campaigns": _campaigns(fund),
        "receipts": receipts,
        "sees_names": sees_names,
        "is_officer": runs(user, fund),
        "adopts": adopts_regulations(user, fund),
    }
    return render(request, "fund/funds/detail.html", context)


# --- Regulation versions ------------------------------------------------------------------------------------


def _initial_from(version: Regulation | None) -> dict:
    """A new version starts as a copy of the latest one's rules (its number, title and dates left blank)."""
    if version is None:
        return {}
    skipped = {
        "number",
        "title",
        "signed_on",
        "effective_from",
        "effective_to",
        "articles",
        "allocation_order",
    }
    initial = {name: getattr(version, name) for name in FIELDS - skipped}
    initial["residence_unit"] = version.residence_unit_id
    initial["allocation_order"] = ",".join(version.allocation_order)
    initial["criteria"] = "\n".join(f"{c.name} | {c.weight}" for c in version.criteria.all())
    for rule, article in version.articles.items():
        initial[f"article_{rule}"] = article
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def regulation_new(request, slug: str):
    user = request.user
    fund = get_fund_for_user(user, slug)
    if not adopts_regulations(user, fund):
        raise PermissionDenied
    units = AdminUnit.objects.filter(pk__in=subtree_unit_ids({fund.unit_id})).in_vietnamese_order()
    form = RegulationForm(request.POST or None, units=units, initial=_initial_from(fund.regulations.first()))
    if request.method == "POST":
        regulation = attempt(
            form,
            lambda data: add_regulation(
                fund=fund, by=user, criteria=data["criteria"], **form.regulation_fields()
            ),
        )
        if regulation is not None:
            messages.success(request, _("The regulation version has been adopted."))
            return redirect("regulation_detail", pk=regulation.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "fund/funds/regulation_new.html", {"fund": fund, "form": form}, status=status)


def _percent(basis_points: int) -> str:
    return number_format(basis_points / 100, decimal_pos=2)


def _not_limited(value, text: str) -> str:
    return text if value is not None else _("not limited")


def _rules(regulation: Regulation) -> list[tuple[str, str, str]]:
    """(what the rule is, what this version says, its article) for each rule the portal checks."""
    said = {
        "residence": regulation.residence_unit.name if regulation.residence_unit else _("not limited"),
        "enterprise_age": _not_limited(
            regulation.max_enterprise_age_months,
            _("founded at most %(months)s months before applying")
            % {"months": regulation.max_enterprise_age_months},
        ),
        "first_startup": _("only a first startup") if regulation.first_startup_only else _("not required"),
        "sector": _("excluded: %(sectors)s") % {"sectors": ", ".join(regulation.excluded_sectors)}
        if regulation.excluded_sectors
        else _("none excluded"),
        "absolute_cap": _not_limited(
            regulation.absolute_cap, _("at most %(amount)s") % {"amount": dong(regulation.absolute_cap or 0)}
        ),
        "equity_share": _not_limited(
            regulation.equity_share_cap_pct,
            _("at most %(pct)s%% of the fund's equity") % {"pct": regulation.equity_share_cap_pct},
        ),
        "project_cost_share": _not_limited(
            regulation.project_cost_share_cap_pct,
            _("at most %(pct)s%% of the project's cost") % {"pct": regulation.project_cost_share_cap_pct},
        ),
        "term": _(
            "at most %(term)s months with at most %(grace)s months' grace; %(method)s, %(frequency)s; "
            "%(rate)s%% a year"
        )
        % {
            "term": regulation.max_term_months,
            "grace": regulation.max_grace_months,
            "method": regulation.get_method_display(),
            "frequency": regulation.get_period_months_display(),
            "rate": _percent(regulation.yearly_rate_bp),
        },
        "collateral": _not_limited(
            regulation.collateral_above,
            _("required above %(amount)s") % {"amount": dong(regulation.collateral_above or 0)},
        ),
        "documents": _("%(count)s documents, listed below") % {"count": len(regulation.documents())},
    }
    return [(str(label), said[rule], regulation.article(rule)) for rule, label in RULE_LABELS.items()]


@login_required
@require_GET
def regulation_detail(request, pk: int):
    user = request.user
    regulation = get_object_or_404(
        Regulation.objects.filter(fund__in=_visible_funds(user)).select_related("fund", "residence_unit"),
        pk=pk,
    )
    context = {
        "regulation": regulation,
        "fund": regulation.fund,
        "rules": _rules(regulation),
        "criteria": list(regulation.criteria.all()),
        "order": [PART_LABELS.get(part, part) for part in regulation.allocation_order],
        "judged": regulation.applications.count(),
        "adopts": adopts_regulations(user, regulation.fund),
    }
    return render(request, "fund/funds/regulation_detail.html", context)


# --- Contributions and receipts -----------------------------------------------------------------------------


@login_required
@require_GET
def contribution_list(request, slug: str):
    user = request.user
    fund = get_fund_for_user(user, slug)
    form = ContributionFilterForm(request.GET or None, campaigns=fund.campaigns.order_by("-starts_on", "pk"))
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    contributions = Contribution.objects.filter(fund=fund)
    if chosen.get("source"):
        contributions = contributions.filter(source=chosen["source"])
    if chosen.get("campaign"):
        contributions = contributions.filter(campaign=chosen["campaign"])
    needle = fold(chosen.get("q") or "")
    if needle:
        contributions = contributions.filter(search_name__contains=needle)
    contributions = (
        contributions.select_related("campaign")
        .annotate(received=Sum("receipts__amount", filter=Q(receipts__transaction__reversed_by__isnull=True)))
        .order_by("-pledged_on", "-pk")
    )
    page = ListPaginator(contributions, PAGE_SIZE).get_page(chosen.get("page") or 1)
    sees_names = reads_ledger_of(user, fund)
    for contribution in page:
        contribution.shown_name = _shown_name(contribution, sees_names)
    context = {"fund": fund, "form": form, "page": page, "is_officer": runs(user, fund)}
    return render(request, "fund/funds/contributions.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def contribution_new(request, slug: str):
    user = request.user
    fund = get_fund_for_user(user, slug, for_write=True)
    form = ContributionForm(request.POST or None, campaigns=fund.campaigns.order_by("-starts_on", "pk"))
    if request.method == "POST":
        contribution = attempt(form, lambda data: capital.pledge(fund=fund, by=user, **data))
        if contribution is not None:
            messages.success(request, _("The pledge has been recorded."))
            return redirect("contribution_detail", pk=contribution.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "fund/funds/contribution_new.html", {"fund": fund, "form": form}, status=status)


def _contribution_page(request, contribution: Contribution, *, form=None, status: int = 200):
    user = request.user
    fund = contribution.fund
    is_officer = runs(user, fund)
    receipts = list(
        contribution.receipts.select_related("recorded_by").annotate(
            reversed=Exists(Transaction.objects.filter(reverses=OuterRef("transaction_id")))
        )
    )
    received = sum(receipt.amount for receipt in receipts if not receipt.reversed)
    context = {
        "fund": fund,
        "contribution": contribution,
        "shown_name": _shown_name(contribution, reads_ledger_of(user, fund)),
        "receipts": receipts,
        "received": received,
        "left": contribution.pledged - received,
        "is_officer": is_officer,
        "form": (form or ReceiveForm()) if is_officer and received < contribution.pledged else None,
        # A refusal of a form the page no longer offers (received in full meanwhile) shows on its own.
        "refusals": list(form.non_field_errors())
        if form is not None and received >= contribution.pledged
        else [],
    }
    return render(request, "fund/funds/contribution_detail.html", context, status=status)


def _contribution_for(user, pk: int) -> Contribution:
    return get_object_or_404(
        Contribution.objects.filter(fund__in=_visible_funds(user)).select_related(
            "fund", "campaign", "recorded_by"
        ),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_detail(request, pk: int):
    """The pledge with its receipts; a POST records money received against it (once per key)."""
    user = request.user
    contribution = _contribution_for(user, pk)
    if request.method == "GET":
        return _contribution_page(request, contribution)
    if not runs(user, contribution.fund):
        raise PermissionDenied
    form = ReceiveForm(request.POST)

    def receive(data):
        return once(
            user,
            data,
            action="contribution-receipt",
            payload={
                "contribution": contribution.pk,
                "amount": data["amount"],
                "received_on": data["received_on"].isoformat(),
            },
            work=lambda: Answer(
                201,
                {
                    "receipt": capital.receive(
                        contribution=contribution,
                        by=user,
                        amount=data["amount"],
                        received_on=data["received_on"],
                    ).pk
                },
            ),
        )

    answer = attempt(form, receive)
    if answer is None:
        renew_key(form)
        return _contribution_page(request, _contribution_for(user, pk), form=form, status=400)
    if answer.repeated:
        messages.info(request, _("This money was already recorded: it was not recorded twice."))
    else:
        messages.success(request, _("The money received has been recorded."))
    return redirect("receipt_detail", pk=answer.body["receipt"])


@login_required
@require_GET
def receipt_detail(request, pk: int):
    user = request.user
    receipt = get_object_or_404(
        Receipt.objects.filter(contribution__fund__in=_visible_funds(user)).select_related(
            "contribution__fund", "recorded_by", "transaction"
        ),
        pk=pk,
    )
    fund = receipt.contribution.fund
    context = {
        "receipt": receipt,
        "fund": fund,
        "shown_name": _shown_name(receipt.contribution, reads_ledger_of(user, fund)),
        "reversal": Transaction.objects.filter(reverses=receipt.transaction_id).first(),
    }
    return render(request, "fund/funds/receipt.html", context)


# --- Campaigns ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request, slug: str):
    user = request.user
    fund = get_fund_for_user(user, slug, for_write=True)
    form = CampaignForm(request.POST or None)
    if request.method == "POST":
        campaign = attempt(form, lambda data: capital.add_campaign(fund=fund, by=user, **data))
        if campaign is not None:
            messages.success(request, _("The campaign has been added."))
            return redirect("fund_detail", slug=fund.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "fund/funds/campaign_new.html", {"fund": fund, "form": form}, status=status)

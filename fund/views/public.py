"""The funds' public pages, open without signing in: every fund with its regulation in force and its
capital, and a fund's disclosure (fund/disclosure.py): capital by source, the contributions received
(an anonymous contributor without a name), the loans granted by quarter, sector and commune, the
repayments and the losses. Nothing about a borrower: no name, CCCD, phone or contract.
"""

from django import forms
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from fund.disclosure import balances_by_fund, disclose, received_contributions, regulations_in_force
from fund.models import Fund, Source
from portal.bounds import WholeNumberField
from portal.models.people import today
from portal.paging import ListPaginator

PAGE_SIZE = 50
MOST_PAGES = 100_000


class ContributionPageForm(forms.Form):
    page = WholeNumberField(label=gettext_lazy("Page"), required=False, min_value=1, max_value=MOST_PAGES)


@require_GET
def public_fund_list(request):
    funds = list(Fund.objects.select_related("unit"))
    ids = [fund.pk for fund in funds]
    # 1 the funds, 2 the versions in force, 3 the capital of every fund.
    regulations = regulations_in_force(ids, today())
    balances = balances_by_fund(ids)
    for fund in funds:
        fund.regulation_in_force = regulations.get(fund.pk)
        fund.capital_received = balances[fund.pk]["capital"]
    return render(request, "fund/public/list.html", {"funds": funds})


@require_GET
def fund_disclosure(request, slug: str):
    fund = get_object_or_404(Fund.objects.select_related("unit"), slug=slug)
    form = ContributionPageForm(request.GET or None)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = ListPaginator(received_contributions(fund), PAGE_SIZE).get_page(chosen.get("page") or 1)
    for row in page:
        row["source_label"] = Source(row["source"]).label
    context = {"fund": fund, "disclosure": disclose(fund, today()), "form": form, "page": page}
    return render(request, "fund/public/disclosure.html", context, status=400 if form.errors else 200)

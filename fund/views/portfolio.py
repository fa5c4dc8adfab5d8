"""The loan portfolio of the loans a person reads through their team (fund/portfolio.py computes it),
for one fund or all; a borrower has no portfolio page (403)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from fund.models import Fund, Loan
from fund.portfolio import gather
from fund.views.loans import is_official
from portal.bounds import IdChoiceField
from portal.models.people import today
from portal.paging import Kept, kept_html


class PortfolioFilterForm(forms.Form):
    fund = IdChoiceField(
        label=_("Fund"), required=False, queryset=Fund.objects.all(), empty_label=_("All funds")
    )


@login_required
@require_GET
def portfolio(request):
    user = request.user
    if not is_official(user):
        raise PermissionDenied
    form = PortfolioFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    loans = Loan.objects.visible_to(user)
    if chosen.get("fund"):
        loans = loans.filter(fund=chosen["fund"])
    day = today()

    def portfolio_on_the_day(loans):
        return gather(loans, day)

    # Kept for a minute for every reader who reads the same loans (portal/paging.py); the sectors'
    # names are written in the reader's language.
    kept = Kept.of(loans, portfolio_on_the_day, varies=(day, get_language()))
    figures = kept.value()
    context = {
        "form": form,
        "figures": figures,
        "figures_html": kept_html(kept, "fund/portfolio/_figures.html", {"figures": figures}),
        "day": day,
        "counted_at": kept.moment,
    }
    return render(request, "fund/portfolio/page.html", context, status=400 if form.errors else 200)

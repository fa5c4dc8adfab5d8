"""The dashboard: the live figures of a unit in scope for a period, composed as a report would be.

It shows the period so far (the current quarter by default); for a period that has ended it
shows the same figures as that period's report, since both go through ``compose``.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from portal.access import get_unit_for_user
from portal.drilldown import top_unit
from portal.models.people import today
from portal.scope import scope_for
from reports.access import can_request_report
from reports.building import compose
from reports.forms import PeriodChoiceForm
from reports.models import ReviewReport
from reports.periods import PeriodKind, ReviewPeriod


def _chosen_period(form: PeriodChoiceForm) -> ReviewPeriod:
    """The chosen period up to today; the current quarter when nothing (valid) is chosen."""
    day = today()
    period = (
        form.cleaned_data["period"] if form.is_valid() else ReviewPeriod.containing(PeriodKind.QUARTERLY, day)
    )
    if period.first > day:
        period = ReviewPeriod.containing(period.kind, day)
    return ReviewPeriod(period.kind, period.first, min(period.last, day))


@login_required
def dashboard(request):
    form = PeriodChoiceForm(request.GET or None)
    period = _chosen_period(form)
    unit_id = request.GET.get("unit", "")
    unit = (
        get_unit_for_user(request.user, int(unit_id))
        if unit_id.isdigit()
        else top_unit(request.user, period.first, period.last)
    )
    data = compose(unit, period)
    has_ended = (
        period.last == ReviewPeriod.containing(period.kind, period.first).last and period.last < today()
    )
    report = (
        ReviewReport.objects.visible_to(request.user)
        .of_period(unit, period)
        .ready()
        .order_by("-version")
        .first()
        if has_ended
        else None
    )
    context = {
        "form": form if form.is_bound else PeriodChoiceForm(initial=_initial(period)),
        "unit": unit,
        "period": period,
        "data": data,
        "readable_unit_ids": scope_for(request.user).readable_unit_ids,
        "report": report,
        # A period that has ended and has no report yet can be asked for from here.
        "can_request": has_ended and report is None and can_request_report(request.user, unit),
        "period_query": period.query,
    }
    return render(request, "reports/dashboard.html", context)


def _initial(period: ReviewPeriod) -> dict:
    return {"kind": period.kind, "year": period.first.year, "part": period.part}

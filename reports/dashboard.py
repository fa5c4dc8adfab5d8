"""The dashboard: the live figures of a unit in scope for a period, composed as a report would be.

It shows the period so far (the current quarter by default); for a period that has ended it shows the
same figures as that period's report, since both go through ``compose``. A reader whose teams have all
ended (a former district team) opens by default on the quarter of the last day their team was active,
on the highest unit they had then: the default is a period their scope covers.

The figures of a unit and period are kept for a minute (``portal.paging.kept_over``), shared by every
reader who opens the same unit and period, and the page says when they were counted; so is their
HTML, in each language (``written``). A report is always composed afresh.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.shortcuts import render
from django.urls import reverse

from portal.access import get_unit_for_user
from portal.drilldown import top_unit
from portal.models import Team
from portal.models.people import today
from portal.paging import Kept, kept_html, kept_over
from portal.scope import scope_for
from reports.access import can_request_report
from reports.building import SCHEMA, compose
from reports.forms import DashboardForm, PeriodChoiceForm
from reports.models import ReviewReport
from reports.periods import PeriodKind, ReviewPeriod
from reports.sections import installed_sections


def default_period(day) -> ReviewPeriod:
    """The dashboard's period when none is chosen: the current quarter up to ``day`` (the home's flags
    are this period's too)."""
    quarter = ReviewPeriod.containing(PeriodKind.QUARTERLY, day)
    return ReviewPeriod(quarter.kind, quarter.first, min(quarter.last, day))


def last_active_day(user) -> datetime.date | None:
    """The last day on which the reader's teams were active, when every one of them has ended; None
    for a reader acting through, or overseeing from, a team still active (one query at most)."""
    scope = scope_for(user)
    if not scope.team_ids or scope.active_team_kinds or scope.is_province_wide:
        return None
    last = Team.objects.filter(pk__in=scope.team_ids).aggregate(last=Max("active_until"))["last"]
    return last if last is not None and last < today() else None


def _chosen_period(form: PeriodChoiceForm, user) -> ReviewPeriod:
    """The chosen period up to today; when nothing (valid) is chosen, the default period: of today,
    or for a reader whose teams have all ended, of the last day they were active."""
    day = today()
    if not form.is_valid() or form.cleaned_data.get("period") is None:
        return default_period(last_active_day(user) or day)
    period = form.cleaned_data["period"]
    if period.first > day:
        period = ReviewPeriod.containing(period.kind, day)
    return ReviewPeriod(period.kind, period.first, min(period.last, day))


@login_required
def dashboard(request):
    """A parameter that does not parse is shown as the form's error, status 400, over the default period."""
    form = DashboardForm(request.GET or None)
    period = _chosen_period(form, request.user)
    unit_id = form.cleaned_data.get("unit") if form.is_bound else None
    unit = (
        get_unit_for_user(request.user, unit_id)
        if unit_id is not None
        else top_unit(request.user, period.first, period.last)
    )
    # The kind is in the name: a quarter and a year so far have the same days, not the same previous period.
    name = f"dashboard{SCHEMA}.{period.kind}"
    composed = kept_over(name, lambda *_days: compose(unit, period), unit, period.first, period.last)
    data = composed.value()
    readable_unit_ids = scope_for(request.user).readable_unit_ids
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
        "form": form if form.is_bound else DashboardForm(initial=_initial(period)),
        "unit": unit,
        "period": period,
        "data": data,
        "counted_at": composed.moment,
        "content": written(composed, readable_unit_ids, period.query),
        "readable_unit_ids": readable_unit_ids,
        "report": report,
        # A period that has ended and has no report yet can be asked for from here.
        "can_request": has_ended and report is None and can_request_report(request.user, unit),
        "period_query": period.query,
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "reports/dashboard.html", context, status=status)


def written(composed: Kept, readable_unit_ids, period_query: str) -> str:
    """The sections' HTML (a province's is 800 KB, 9,000 numbers), with links to the rows' units the
    reader may open."""
    data = composed.value()
    linked = frozenset(
        {
            row.get("unit_id")
            for section in data["sections"]
            for table in section["tables"]
            for row in table["rows"]
        }
        & readable_unit_ids
    )
    context = {
        "data": data,
        "more_links": more_links(),
        "readable_unit_ids": linked,
        "drill_query": period_query,
    }
    return kept_html(composed, "reports/_content.html", context, varies=sorted(linked))


def more_links() -> dict[str, dict]:
    """By section key, the app's page with more on the section (the section's ``more``), if it has one."""
    return {
        section.key: {"url": reverse(section.more[0]), "label": section.more[1]}
        for section in installed_sections()
        if getattr(section, "more", None)
    }


def _initial(period: ReviewPeriod) -> dict:
    return {"kind": period.kind, "year": period.first.year, "part": period.part}

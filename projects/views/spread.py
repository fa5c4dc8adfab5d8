"""The spread of support across projects: for a unit of the reader's scope and a period, unit by unit,
how many projects got support, how much each, how much went to the top tenth, and how many got none
in six months (projects/report_figures.py, the report section's own counts), kept for a minute by unit
and period (portal/paging.py)."""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from portal.access import get_unit_for_user
from portal.bounds import DayField, IdField
from portal.drilldown import DrillDown, successor_links, top_unit
from portal.models.people import today
from portal.models.units import in_subtree
from portal.paging import kept_html, kept_over
from portal.periods import Period
from portal.reporting import units_of_period
from portal.scope import scope_for
from projects.models.projects import UNSUPPORTED_MONTHS
from projects.report_figures import TOP_PERCENT, Counts, gather_spread, roll_up

DATE_INPUT = "%d/%m/%Y"


def _day_field(label):
    return DayField(
        label=label,
        required=False,
        input_formats=[DATE_INPUT],
        widget=forms.DateInput(
            format=DATE_INPUT,
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "class": "form-control"},
        ),
        error_messages={"invalid": _("Write the date as day/month/year, for example 25/12/2026.")},
    )


class SpreadForm(forms.Form):
    """The period (this year so far when nothing is given) and the unit, by its id."""

    first = _day_field(_("From"))
    last = _day_field(_("To"))
    unit = IdField(label=_("Unit"), required=False)

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last and first > last:
            raise forms.ValidationError(_("The period must end on or after its first day."))
        return data

    def period(self, day: datetime.date) -> Period:
        """The dates given, the rest this year so far; the end never after ``day``."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        last = min(data.get("last") or day, day)
        first = data.get("first") or datetime.date(last.year, 1, 1)
        return Period(min(first, last), last)


@dataclass
class SpreadRow:
    unit: object
    counts: Counts


def spread_of(unit, first: datetime.date, last: datetime.date) -> tuple[list[SpreadRow], Counts]:
    """The rows of the unit's drill-down with their counts, and the total (five queries)."""
    units = units_of_period(unit, first, last)
    drill_down = DrillDown(unit, units, successor_links(in_subtree({unit.pk})))
    by_row, total = roll_up(gather_spread(unit, first, last), drill_down.rows, drill_down.row_of)
    return [SpreadRow(row, by_row[row.pk]) for row in drill_down.rows], total


@login_required
def support_spread(request):
    """A parameter that does not parse is shown as the form's error, status 400, over this year's figures."""
    form = SpreadForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    period = form.period(today())
    unit_id = form.cleaned_data.get("unit") if form.is_bound and valid else None
    unit = (
        get_unit_for_user(request.user, unit_id)
        if unit_id is not None
        else top_unit(request.user, period.first, period.last)
    )
    kept = kept_over("spread", spread_of, unit, period.first, period.last)
    rows, total = kept.value()
    readable = scope_for(request.user).readable_unit_ids
    linked = frozenset(row.unit.pk for row in rows) & readable
    table = {
        "rows": rows,
        "total": total,
        "readable_unit_ids": linked,
        "period_query": period.query,
        "top_percent": TOP_PERCENT,
        "months": UNSUPPORTED_MONTHS,
    }
    context = {
        "form": form if form.is_bound else SpreadForm(initial={"first": period.first, "last": period.last}),
        "unit": unit,
        "period": period,
        "counted_at": kept.moment,
        "table": kept_html(kept, "projects/spread/_table.html", table, varies=sorted(linked)),
        "readable_unit_ids": readable,
        "period_query": period.query,
        "top_percent": TOP_PERCENT,
        "months": UNSUPPORTED_MONTHS,
    }
    return render(request, "projects/spread/page.html", context, status=200 if valid else 400)

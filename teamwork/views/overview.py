"""How evenly the support teams work: a unit's overview with its drill-down, and one team's page."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from portal.access import get_team_for_user, get_unit_for_user
from portal.bounds import DayField, IdField
from portal.drilldown import top_unit
from portal.models import Team
from portal.models.people import today
from portal.paging import kept_html, kept_over
from portal.periods import Period
from portal.scope import scope_for
from teamwork.evenness import team_measures, unit_evenness

DATE_INPUT = "%d/%m/%Y"
LAST_ACTIVITIES = 10


def preset_period(name: str, day: datetime.date) -> Period:
    """The named period around ``day``; a period not over yet ends on ``day``."""
    if name == "month":
        return Period(day.replace(day=1), day)
    if name == "quarter":
        return Period(datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1), day)
    if name == "last_year":
        return Period(datetime.date(day.year - 1, 1, 1), datetime.date(day.year - 1, 12, 31))
    return Period(datetime.date(day.year, 1, 1), day)


def date_field(label):
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


class PeriodForm(forms.Form):
    PRESETS = [
        ("", _("The dates below")),
        ("month", _("This month")),
        ("quarter", _("This quarter")),
        ("year", _("This year")),
        ("last_year", _("Last year")),
    ]

    period = forms.ChoiceField(
        label=_("Period"),
        choices=PRESETS,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    first = date_field(_("From"))
    last = date_field(_("To"))
    # The unit the overview is about (its id); the page finds it in the reader's scope or answers 404.
    unit = IdField(label=_("Unit"), required=False)

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last and first > last:
            raise forms.ValidationError(_("The period must end on or after its first day."))
        return data

    def chosen_period(self, day: datetime.date) -> Period:
        """Dates given win over the named period; this year so far when nothing (valid) is given."""
        if not self.is_valid():
            return preset_period("year", day)
        data = self.cleaned_data
        preset = preset_period(data.get("period") or "year", day)
        if data.get("first") or data.get("last"):
            return Period(data.get("first") or preset.first, data.get("last") or preset.last)
        return preset

    @property
    def status(self) -> int:
        """The page's status: 400 when what was given does not parse."""
        return 400 if self.is_bound and not self.is_valid() else 200

    def shown(self, period: Period) -> "PeriodForm":
        """The form to show: with its errors, or with the period in force filled in."""
        if self.is_bound and not self.is_valid():
            return self
        preset = self.cleaned_data.get("period", "") if self.is_bound else ""
        given = self.is_bound and (self.cleaned_data.get("first") or self.cleaned_data.get("last"))
        initial = {"first": period.first, "last": period.last}
        return PeriodForm(initial=initial if given else initial | {"period": preset or "year"})


@login_required
def teamwork_overview(request):
    """A parameter that does not parse is shown as the form's error, status 400, over this year's figures."""
    form = PeriodForm(request.GET or None)
    period = form.chosen_period(today())
    unit_id = form.cleaned_data.get("unit") if form.is_bound else None
    unit = (
        get_unit_for_user(request.user, unit_id)
        if unit_id is not None
        else top_unit(request.user, period.first, period.last)
    )
    kept = kept_over("evenness", unit_evenness, unit, period.first, period.last)
    evenness = kept.value()
    readable = scope_for(request.user).readable_unit_ids
    sub_units = [row for row in evenness.sub_units if row.unit.pk in readable]
    figures = {
        "evenness": evenness,
        "sub_units": sub_units,
        "bars": _bars(evenness.teams),
        "period_query": period.query,
    }
    context = {
        "form": form.shown(period),
        "unit": unit,
        "period": period,
        "counted_at": kept.moment,
        "figures": kept_html(
            kept, "teamwork/_overview_figures.html", figures, varies=[row.unit.pk for row in sub_units]
        ),
        # The breadcrumb links only to units the reader may open (their scope's top and below).
        "readable_unit_ids": readable,
        "period_query": period.query,
    }
    return render(request, "teamwork/overview.html", context, status=form.status)


def _bars(teams) -> list[dict]:
    """Each team's activities and people reached as a share (0–100) of the largest, for the SVG bars."""
    most_activities = max((m.tally.activities for m in teams), default=0) or 1
    most_people = max((m.tally.people_reached for m in teams), default=0) or 1
    return [
        {
            "measures": m,
            "activities_width": round(100 * m.tally.activities / most_activities, 1),
            "people_width": round(100 * m.tally.people_reached / most_people, 1),
        }
        for m in teams
    ]


@login_required
def teamwork_team(request, pk: int):
    team = get_team_for_user(request.user, pk)
    form = PeriodForm(request.GET or None)
    period = form.chosen_period(today())
    [measures] = team_measures(Team.objects.filter(pk=team.pk), period)
    context = {
        "form": form.shown(period),
        "team": team,
        "period": period,
        "measures": measures,
        "activities": team.activities.filter(held_on__lte=period.last).select_related(
            "unit", "supported_team"
        )[:LAST_ACTIVITIES],
    }
    return render(request, "teamwork/team.html", context, status=form.status)

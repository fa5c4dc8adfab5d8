"""The forms of the reports pages: asking for a report, writing its lessons, choosing a dashboard period."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.bounds import IdChoiceField, IdField
from portal.models import AdminUnit
from portal.models.people import today
from portal.scope import scope_for
from reports.models import ReviewReport
from reports.periods import PeriodKind, ReviewPeriod

FIRST_YEAR = 2016  # the programme's first year

PART_KINDS = {PeriodKind.MONTHLY: 12, PeriodKind.QUARTERLY: 4}


def _select(**attrs):
    return forms.Select(attrs={"class": "form-select", **attrs})


class PeriodChoiceForm(forms.Form):
    """A period of a kind: the year, and the month or quarter for the kinds that need one."""

    kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, widget=_select())
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, widget=_select())
    part = forms.TypedChoiceField(
        label=_("Month or quarter"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—")] + [(n, str(n)) for n in range(1, 13)],
        widget=_select(),
        help_text=_("For a monthly report the month (1–12), for a quarterly one the quarter (1–4)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in range(today().year, FIRST_YEAR - 1, -1)]

    def clean(self):
        data = super().clean()
        kind, year, part = data.get("kind"), data.get("year"), data.get("part")
        if kind is None or year is None:
            return data
        parts = PART_KINDS.get(kind)
        if parts is None:
            day = datetime.date(year, 1, 1)
        elif part is None or part > parts:
            raise forms.ValidationError(
                _("Choose the month (1–12) of a monthly report or the quarter (1–4) of a quarterly one."),
                code="part",
            )
        else:
            day = datetime.date(year, part if kind == PeriodKind.MONTHLY else 3 * part - 2, 1)
        data["period"] = ReviewPeriod.containing(kind, day)
        return data


class ReportSearchForm(forms.Form):
    """The list of reports' filters: part of the unit's name, the kind of period."""

    q = forms.CharField(label=_("Unit"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Period"), required=False, choices=[("", ""), *PeriodKind.choices])


class DashboardForm(PeriodChoiceForm):
    """The dashboard's query string: a period (or none: the page's default) and the unit, by its id.

    Which units the reader may open is the page's to say (404 outside their scope).
    """

    unit = IdField(label=_("Unit"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].required = False
        self.fields["year"].required = False
        self.fields["year"].empty_value = None

    def clean(self):
        data = self.cleaned_data
        if "kind" in self.errors or "year" in self.errors:
            return data
        if not data.get("kind") and data.get("year") is None:
            return data  # no period chosen
        if not data.get("kind") or data.get("year") is None:
            raise forms.ValidationError(_("Choose both the period and the year."), code="period")
        return super().clean()


class RequestReportForm(PeriodChoiceForm):
    unit = IdChoiceField(
        label=_("Unit"), queryset=AdminUnit.objects.none(), widget=_select(), empty_label=None
    )

    field_order = ["unit", "kind", "year", "part"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = AdminUnit.objects.filter(
            pk__in=scope_for(user).writable_unit_ids
        ).highest_first()

    def clean(self):
        data = super().clean()
        period = data.get("period")
        if period is not None and period.last >= today():
            raise forms.ValidationError(
                _("A report can be asked for once its period has ended (%(label)s ends on %(day)s).")
                % {"label": period.label, "day": f"{period.last:%d/%m/%Y}"},
                code="not_ended",
            )
        return data


class LessonsForm(forms.ModelForm):
    class Meta:
        model = ReviewReport
        fields = ["number", "lessons_learned", "recommendations"]
        widgets = {
            "number": forms.TextInput(attrs={"class": "form-control"}),
            "lessons_learned": forms.Textarea(attrs={"class": "form-control", "rows": 6}),
            "recommendations": forms.Textarea(attrs={"class": "form-control", "rows": 6}),
        }

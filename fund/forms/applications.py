"""Forms of the loan-application pages: the queue's filters, a new application, and the appraisal's
steps (an appraiser assigned, a declaration, the scores, a site visit, the recommendation, a refusal).

The rules (the regulation on the filing day, the caps, who may score) are the services'
(fund/services/applications.py); these forms read what was typed within the bounds of the columns.
"""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fund.forms.fields import DAY, MONEY, MOST_PAGES, NOTE, money_field
from fund.models import Appraiser, LoanApplication, Recommendation, Score, SiteVisit, Status
from fund.services.applications import MAX_TERM_MONTHS, TOP_SCORE
from portal.bounds import DayField, IdChoiceField, IdField, WholeNumberField
from portal.models.people import today
from portal.money import MAX_AMOUNT
from portal.sectors import Sector


def _length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class OwnIds(forms.Form):
    """A form whose fields have ids of its own, as several forms share the application's page."""

    prefix_name = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.prefix_name}_%s")
        super().__init__(*args, **kwargs)


class ApplicationListForm(forms.Form):
    """The queue's filters, each bounded: a value that does not parse is named and left out (400)."""

    q = forms.CharField(label=_("Dossier code or name"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Status.choices]
    )
    fund = IdChoiceField(label=_("Fund"), required=False, queryset=None, empty_label=_("All funds"))
    late = forms.ChoiceField(
        label=_("Late"), required=False, choices=[("", _("Late or not")), ("1", _("Only late replies"))]
    )
    page = WholeNumberField(label=_("Page"), required=False, min_value=1, max_value=MOST_PAGES)

    def __init__(self, *args, funds: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds


class DossierParameterForm(forms.Form):
    """``?dossier=<id>`` of the new-application page."""

    dossier = IdField(label=_("dossier"))


class ApplicationForm(forms.Form):
    fund = IdChoiceField(label=_("Fund"), queryset=None)
    sector = forms.ChoiceField(label=_("sector (VSIC section)"), choices=[("", "---------"), *Sector.choices])
    enterprise_founded_on = DayField(
        label=_("enterprise founded on"),
        required=False,
        widget=DAY,
        help_text=_("Leave empty when no enterprise or household business is registered yet."),
    )
    first_startup = forms.BooleanField(
        label=_("starting up for the first time"), required=False, initial=True
    )
    project = IdChoiceField(label=_("startup project"), queryset=None, required=False)
    project_cost = money_field(_("total cost of the project (đồng)"))
    amount = money_field(_("amount asked (đồng)"))
    term_months = WholeNumberField(label=_("term asked (months)"), min_value=1, max_value=MAX_TERM_MONTHS)
    grace_months = WholeNumberField(
        label=_("grace period asked (months)"), min_value=0, max_value=MAX_TERM_MONTHS, initial=0
    )
    purpose = forms.CharField(
        label=_("what the money is for"), max_length=_length(LoanApplication, "purpose"), widget=NOTE
    )
    collateral = forms.CharField(
        label=_("collateral offered"), max_length=_length(LoanApplication, "collateral"), required=False
    )

    def __init__(self, *args, funds: QuerySet, projects: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds
        if len(funds) == 1:
            self.fields["fund"].initial = funds[0].pk
        self.fields["project"].queryset = projects


class AssignForm(OwnIds):
    prefix_name = "assign"
    user = IdChoiceField(label=_("appraiser"), queryset=None)

    def __init__(self, *args, officers: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = officers


class DeclareForm(OwnIds):
    prefix_name = "declare"
    conflict = forms.TypedChoiceField(
        label=_("conflict of interest"),
        choices=[("no", _("I have no conflict of interest")), ("yes", _("I have a conflict of interest"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("what the conflict is"),
        max_length=_length(Appraiser, "declaration_note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ScoreForm(OwnIds):
    """A score (0–10) and a note for each criterion of the application's rubric."""

    prefix_name = "score"

    def __init__(self, *args, criteria: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = WholeNumberField(
                label=_("%(criterion)s (weight %(weight)s %%)")
                % {"criterion": criterion.name, "weight": criterion.weight},
                min_value=0,
                max_value=TOP_SCORE,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0", "max": str(TOP_SCORE)}),
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("note"), max_length=_length(Score, "note"), required=False
            )

    def rows(self) -> list[tuple]:
        return [
            (criterion, self[f"score_{criterion.pk}"], self[f"note_{criterion.pk}"])
            for criterion in self.criteria
        ]

    def scores(self) -> dict[int, tuple[int, str]]:
        data = self.cleaned_data
        return {
            criterion.pk: (data[f"score_{criterion.pk}"], data[f"note_{criterion.pk}"])
            for criterion in self.criteria
        }


class SiteVisitForm(OwnIds):
    prefix_name = "visit"
    visited_on = DayField(label=_("visited on"), widget=DAY)
    findings = forms.CharField(
        label=_("what was found"), max_length=_length(SiteVisit, "findings"), widget=NOTE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = today()


class RecommendForm(OwnIds):
    prefix_name = "recommend"
    recommendation = forms.ChoiceField(
        label=_("recommendation"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    amount = WholeNumberField(
        label=_("amount recommended (đồng)"),
        min_value=1,
        max_value=MAX_AMOUNT,
        required=False,
        widget=MONEY,
        help_text=_("When recommending to lend: whole đồng, within the regulation's caps."),
    )
    note = forms.CharField(
        label=_("reasons"), max_length=_length(LoanApplication, "recommendation_note"), widget=NOTE
    )


class RefuseForm(OwnIds):
    prefix_name = "refuse"
    reason = forms.CharField(
        label=_("reason refused"), max_length=_length(LoanApplication, "refusal_reason"), widget=NOTE
    )

"""Forms of the policy library and the eligibility checker: they parse, portal.eligibility decides."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.models import Procedure
from policies.eligibility import FACTS
from policies.models import PolicyDocument
from portal.bounds import DayField, WholeNumberField, column_range
from portal.models.people import today

# A fact is a count or an amount in đồng: at most what a 64-bit integer holds.
LARGEST_FACT = column_range(models.BigIntegerField)[1]


class PolicySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Number, title or words of the summary; diacritics may be left out."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *PolicyDocument.Kind.choices]
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=60)
    in_force_on = DayField(
        label=_("In force on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class EligibilityForm(forms.Form):
    """The audience, the day and the facts; a fact left empty counts as not given."""

    audience = forms.ChoiceField(label=_("Who is asking"), choices=Procedure.Audience.choices)
    on = DayField(label=_("On the day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for fact in FACTS.values():
            label = str(fact.label)
            label = label[:1].upper() + label[1:]
            if fact.kind is bool:
                field = forms.BooleanField(label=label, required=False)
            else:
                field = WholeNumberField(
                    label=f"{label} ({fact.unit})" if fact.unit else label,
                    required=False,
                    min_value=0,
                    max_value=LARGEST_FACT,
                )
            self.fields[fact.name] = field

    def clean_on(self):
        return self.cleaned_data["on"] or today()

    def facts(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in FACTS}

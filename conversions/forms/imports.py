"""The form that uploads a commune's list of household businesses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conversions.access import kept_communes
from conversions.models import HouseholdBusinessImport
from portal.bounds import IdChoiceField
from portal.models import AdminUnit


def importable_units(user):
    """The current communes and wards whose list ``user`` may import (conversions.services.imports)."""
    return kept_communes(user).filter(valid_until__isnull=True)


class ImportForm(forms.Form):
    unit = IdChoiceField(label=_("commune or ward"), queryset=AdminUnit.objects.none())
    file = forms.FileField(
        label=_("the list (Excel .xlsx or CSV)"),
        help_text=_("Fill in the template: one household business a row, at most 10 MB and 20,000 rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    on_duplicate = forms.ChoiceField(
        label=_("rows already in the registry"),
        choices=HouseholdBusinessImport.OnDuplicate.choices,
        initial=HouseholdBusinessImport.OnDuplicate.SKIP,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        # A commune officer imports for their one commune: it is shown, not chosen.
        self.only_unit = units[0] if len(units) == 1 else None
        if self.only_unit is not None:
            self.fields["unit"].initial = self.only_unit.pk

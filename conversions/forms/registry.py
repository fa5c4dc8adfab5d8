"""Forms of the registry's pages: a household business typed in or corrected, and picking it as a candidate.

The rules (a registration number on one record only, no future date, a commune valid on the
registration day, no new lump-sum tax mode) are the services' (conversions/services/registry.py);
these forms only read what was typed, within the bounds of what the columns hold.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from conversions.models import HouseholdBusiness
from dossiers.models import Applicant
from portal.bounds import DayField, WholeNumberField
from portal.filters import UnitChoiceField
from portal.models import AdminUnit
from portal.models.people import today
from portal.sectors import Sector

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank_first(choices) -> list:
    return [("", "---------"), *choices]


def _field(name: str):
    return HouseholdBusiness._meta.get_field(name)


def _text(model, name: str, label, **kwargs) -> forms.CharField:
    """Text of at most what the model's field holds."""
    return forms.CharField(label=label, max_length=model._meta.get_field(name).max_length, **kwargs)


class HouseholdBusinessForm(forms.Form):
    """The record's own fields; on a new record also its owner, found by CCCD or added."""

    name = _text(HouseholdBusiness, "name", _("household business name"))
    registration_number = _text(
        HouseholdBusiness,
        "registration_number",
        _("registration number"),
        help_text=_("As on the household business registration certificate."),
    )
    registered_on = DayField(label=_("registered on"), widget=DAY)
    address = _text(HouseholdBusiness, "address", _("business address"))
    unit = UnitChoiceField(label=_("commune or ward"), queryset=AdminUnit.objects.none())
    sector = forms.ChoiceField(label=_("sector (VSIC section)"), choices=_blank_first(Sector.choices))
    workers = WholeNumberField.of(
        _field("workers"),
        label=_("workers"),
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    revenue_band = forms.ChoiceField(
        label=_("yearly revenue"), choices=_blank_first(HouseholdBusiness.RevenueBand.choices), required=False
    )
    tax_mode = forms.ChoiceField(
        label=_("tax mode"),
        choices=HouseholdBusiness.TaxMode.choices,
        initial=HouseholdBusiness.TaxMode.DECLARED,
    )
    status = forms.ChoiceField(label=_("status"), choices=HouseholdBusiness.Status.choices)

    def __init__(self, *args, units, with_owner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
        if with_owner:
            # A new record: the owner is found by CCCD, or recorded; the status starts "operating".
            del self.fields["status"]
            self.fields["owner_name"] = _text(Applicant, "full_name", _("owner's full name"))
            self.fields["owner_national_id"] = forms.CharField(
                label=_("owner's CCCD number"),
                max_length=12,
                help_text=_("12 digits. A person the portal already knows is linked, never added twice."),
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )
            self.fields["owner_phone"] = _text(
                Applicant,
                "phone",
                _("owner's phone number"),
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            )

    def record_fields(self) -> dict:
        """The cleaned values the services take as the model's fields."""
        data = self.cleaned_data
        names = [
            "name",
            "registration_number",
            "registered_on",
            "address",
            "unit",
            "sector",
            "workers",
            "revenue_band",
            "tax_mode",
        ]
        if "status" in self.fields:
            names.append("status")
        return {name: data[name] for name in names}

    def owner_fields(self):
        return [self[name] for name in ("owner_name", "owner_national_id", "owner_phone")]

    def record_bound_fields(self):
        return [self[name] for name in self.fields if not name.startswith("owner_")]


class IdentifyForm(forms.Form):
    """The team picks the household business as a conversion candidate: the case opens."""

    on = DayField(label=_("picked on"), widget=DAY)
    note = forms.CharField(
        label=_("note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_identify_%s")
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = today()

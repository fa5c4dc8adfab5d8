"""What every list's filters stand on (django-filter): a choice by id, parsed with bounds, and units.

A list's ``FilterSet`` is one definition shared by its page and its API endpoint: the page shows
its form and leaves out a value that does not parse, the API answers such a value with 400 naming
it (django-filter's DRF backend).
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.models import AdminUnit
from portal.models.units import subtree_unit_ids

# An id is a positive 64-bit integer written in ASCII digits; anything else is refused unread.
ID_PATTERN = re.compile(r"[0-9]{1,19}")
MAX_ID = 2**63 - 1
INVALID_NUMBER = _("Enter a whole number.")
INVALID_BOOLEAN = _("Use true or false.")


def parse_id(value) -> int:
    """``value`` as an id; ValidationError for anything that is not a whole number from 1 to 2⁶³ − 1."""
    text = str(value).strip()
    if not ID_PATTERN.fullmatch(text) or not 0 < int(text) <= MAX_ID:
        raise ValidationError(INVALID_NUMBER, code="invalid")
    return int(text)


class IdChoiceField(forms.ModelChoiceField):
    """A row of the field's queryset, chosen by its id; an id outside the queryset is an invalid choice."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return super().to_python(parse_id(value))


class UnitChoiceField(IdChoiceField):
    def label_from_instance(self, unit: AdminUnit) -> str:
        return unit_label(unit)


def unit_label(unit: AdminUnit) -> str:
    """A unit's name, with the day it ended for a former unit: names repeat across the 2025 reform."""
    if unit.valid_until is None:
        return unit.name
    return _("%(name)s (until %(day)s)") % {"name": unit.name, "day": unit.valid_until.strftime("%d/%m/%Y")}


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = IdChoiceField


class UnitFilter(IdChoiceFilter):
    """A unit stands for its subtree: a district for its communes, a merged commune for those it replaced.

    The choices are the units ``visible_to`` the person asking; the rows filtered are those whose
    ``field_name`` (a unit) lies in the chosen unit's subtree.
    """

    field_class = UnitChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", units_visible_to_requester)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(**{f"{self.field_name}__in": subtree_unit_ids({value.pk})})


def units_visible_to_requester(request):
    if request is None:  # the API schema, built without a request
        return AdminUnit.objects.none()
    return AdminUnit.objects.visible_to(request.user).in_vietnamese_order()


class StrictBooleanField(forms.Field):
    """``true`` or ``false`` (as in a query string); anything else is refused, not taken for "no filter"."""

    widget = forms.TextInput

    def to_python(self, value):
        text = str(value).strip().lower() if value not in self.empty_values else ""
        if not text:
            return None
        if text not in ("true", "false"):
            raise ValidationError(INVALID_BOOLEAN, code="invalid")
        return text == "true"


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField

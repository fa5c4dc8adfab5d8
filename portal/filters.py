"""What every list's filters stand on (django-filter): a choice by id, a day, a boolean, parsed with the
bounds of portal/bounds.py, and units.

A list's ``FilterSet`` is one definition shared by its page and its API endpoint: the page shows
its form, leaves out a value that does not parse and answers 400, the API answers such a value
with 400 naming it (django-filter's DRF backend).
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.bounds import DayField, IdChoiceField
from portal.models import AdminUnit
from portal.models.units import subtree_unit_ids

INVALID_BOOLEAN = _("Use true or false.")


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


class DayFilter(django_filters.DateFilter):
    """A day from ``FIRST_DAY`` to ``LAST_DAY`` (portal/bounds.py), written YYYY-MM-DD."""

    field_class = DayField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(*args, **kwargs)

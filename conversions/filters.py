"""The filters of the registry and of the conversion cases: one definition for the pages and the API.

A unit stands for its subtree, as in every list (portal/filters.py). The page shows the form and
leaves out a value that does not parse; the API answers it with 400.
"""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from conversions.models import Conversion, HouseholdBusiness, Outcome, Stage
from portal.bounds import FIRST_DAY, LAST_DAY, WholeNumberField
from portal.filters import UnitFilter
from portal.sectors import Sector
from portal.text import fold

# Lump-sum tax ended on 1 January 2026: a record still on it is one the commune team must bring up to date.
TAX_MODE_CHOICES = [
    (HouseholdBusiness.TaxMode.DECLARED, HouseholdBusiness.TaxMode.DECLARED.label),
    (HouseholdBusiness.TaxMode.LUMP_SUM, _("lump sum still recorded (ended 01/01/2026)")),
]


def search_business(queryset: QuerySet, name: str, value: str) -> QuerySet:
    """Part of the name, registration number or address, ignoring case and diacritics."""
    needle = fold(value)
    return queryset.filter(search_text__contains=needle) if needle else queryset


def search_case(queryset: QuerySet, name: str, value: str) -> QuerySet:
    """The household business's name, registration number or address, or the enterprise's code."""
    needle = fold(value)
    if not needle:
        return queryset
    if needle.isdigit() and len(needle) == 10:
        return queryset.filter(enterprise_code=needle)
    return queryset.filter(household_business__search_text__contains=needle)


class YearField(WholeNumberField):
    def __init__(self, **kwargs):
        super().__init__(min_value=FIRST_DAY.year, max_value=LAST_DAY.year, **kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


class NarrowedFilterSet(django_filters.FilterSet):
    def narrowed(self, queryset, *, leave_out: tuple[str, ...]) -> QuerySet:
        """``queryset`` filtered by every valid filter but those named in ``leave_out``."""
        self.is_valid()
        for name, value in self.form.cleaned_data.items():
            if name not in leave_out:
                queryset = self.filters[name].filter(queryset, value)
        return queryset


class HouseholdBusinessFilter(NarrowedFilterSet):
    q = django_filters.CharFilter(
        label=_("search"),
        method=search_business,
        max_length=100,
        help_text="Part of the name, registration number or address, ignoring case and diacritics.",
    )
    unit = UnitFilter(
        label=_("commune or ward"),
        help_text="Id of a unit: the household businesses there or in a unit below it or replaced by it.",
    )
    sector = django_filters.ChoiceFilter(label=_("sector"), choices=Sector.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=HouseholdBusiness.Status.choices)
    tax_mode = django_filters.ChoiceFilter(label=_("tax mode"), choices=TAX_MODE_CHOICES)
    revenue_band = django_filters.ChoiceFilter(
        label=_("yearly revenue"), choices=HouseholdBusiness.RevenueBand.choices
    )

    class Meta:
        model = HouseholdBusiness
        fields: list[str] = []


class ConversionFilter(NarrowedFilterSet):
    q = django_filters.CharFilter(
        label=_("search"),
        method=search_case,
        max_length=100,
        help_text="Part of the household business's name, registration number or address, or the "
        "enterprise code, ignoring case and diacritics.",
    )
    unit = UnitFilter(
        label=_("commune or ward"),
        help_text="Id of a unit: the cases followed there or in a unit below it or replaced by it.",
    )
    stage = django_filters.ChoiceFilter(label=_("stage"), choices=Stage.choices)
    outcome = django_filters.ChoiceFilter(label=_("state"), choices=Outcome.choices)
    registered_year = YearFilter(
        label=_("registered in"),
        field_name="registered_on__year",
        help_text="The year of the first enterprise registration certificate.",
    )

    class Meta:
        model = Conversion
        fields: list[str] = []

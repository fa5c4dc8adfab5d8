"""The filters of the list of activities: one definition for ``/activities/`` and ``GET /api/v1/activities/``.

A unit stands for its subtree, as in every list (portal/filters.py). The page shows the form and
leaves out a value that does not parse; the API answers it with 400.
"""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portal.filters import DayFilter, IdChoiceFilter, UnitFilter
from portal.models import Team
from portal.text import fold
from teamwork.models import Activity

DAY = forms.DateInput(attrs={"type": "date"})  # the browser's own date picker: YYYY-MM-DD


def teams_visible_to_requester(request):
    if request is None:  # the API schema, built without a request
        return Team.objects.none()
    return Team.objects.visible_to(request.user).in_vietnamese_order()


def search(queryset: QuerySet, name: str, value: str) -> QuerySet:
    """Part of the topics, notes or counterpart, ignoring case and diacritics."""
    needle = fold(value)
    return queryset.filter(search_text__contains=needle) if needle else queryset


class ActivityFilter(django_filters.FilterSet):
    team = IdChoiceFilter(label=_("team"), queryset=teams_visible_to_requester, help_text="Id of the team.")
    unit = UnitFilter(
        label=_("where"),
        help_text="Id of a unit: the activities held there or in a unit below it or replaced by it.",
    )
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=Activity.Kind.choices)
    start = DayFilter(
        label=_("from"),
        field_name="held_on",
        lookup_expr="gte",
        widget=DAY,
        help_text="Activities held on or after this day (YYYY-MM-DD).",
    )
    end = DayFilter(
        label=_("to"),
        field_name="held_on",
        lookup_expr="lte",
        widget=DAY,
        help_text="Activities held on or before this day (YYYY-MM-DD).",
    )
    q = django_filters.CharFilter(
        label=_("search"),
        method=search,
        max_length=100,
        help_text="Part of the topics, notes or counterpart, ignoring case and diacritics.",
    )

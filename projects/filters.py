"""The filters of the projects list: one definition for the page and the API.

A unit stands for its subtree, as in every list (portal/filters.py). The page shows the form and
leaves out a value that does not parse (answering 400); the API answers such a value with 400.
"""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portal.filters import BooleanFilter, UnitFilter
from portal.models.people import today
from portal.sectors import Sector
from projects.models import Kind, Project, Stage


def search_project(queryset: QuerySet, name: str, value: str) -> QuerySet:
    """Part of the project's name, ignoring case and diacritics."""
    return queryset.search(value)


def without_recent_support(queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
    """True: only the projects going on that got no support in the last six months
    (``ProjectQuerySet.unsupported_on``); false or empty: every project."""
    return queryset.exclude(stage=Stage.STOPPED).unsupported_on(today()) if value else queryset


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("search"),
        method=search_project,
        max_length=100,
        help_text="Part of the project's name, ignoring case and diacritics.",
    )
    unit = UnitFilter(
        label=_("commune or ward"),
        help_text="Id of a unit: the projects there or in a unit below it or replaced by it.",
    )
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=Kind.choices)
    stage = django_filters.ChoiceFilter(label=_("stage"), choices=Stage.choices)
    sector = django_filters.ChoiceFilter(label=_("sector"), choices=Sector.choices)
    unsupported = BooleanFilter(
        label=_("no support in the last 6 months"),
        method=without_recent_support,
        help_text="true: only the projects going on, registered over six months ago, that got no support "
        "in the last six months.",
    )

    class Meta:
        model = Project
        fields: list[str] = []

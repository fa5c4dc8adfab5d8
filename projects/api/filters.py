"""The filters of the mentors', sessions' and success models' lists (the projects' and the plans' are
shared with their pages: projects/filters.py, projects/forms/plans.py)."""

import django_filters
from django.db.models import QuerySet

from portal.filters import IdChoiceFilter
from projects.models import Mentor, MentorSession, Project, SuccessModel


def search_mentor(queryset: QuerySet, name: str, value: str) -> QuerySet:
    return queryset.search(value)


class MentorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method=search_mentor,
        max_length=100,
        help_text="Part of the name, fields or organisation, ignoring case and diacritics.",
    )
    availability = django_filters.ChoiceFilter(choices=Mentor.Availability.choices)

    class Meta:
        model = Mentor
        fields: list[str] = []


def visible_projects(request):
    if request is None:  # the API schema, built without a request
        return Project.objects.none()
    return Project.objects.visible_to(request.user)


def visible_mentors(request):
    if request is None:
        return Mentor.objects.none()
    return Mentor.objects.visible_to(request.user)


class MentorSessionFilter(django_filters.FilterSet):
    project = IdChoiceFilter(queryset=visible_projects, help_text="Id of a project the caller sees.")
    mentor = IdChoiceFilter(queryset=visible_mentors, help_text="Id of a mentor the caller sees.")

    class Meta:
        model = MentorSession
        fields: list[str] = []


class SuccessModelFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SuccessModel.Status.choices)

    class Meta:
        model = SuccessModel
        fields: list[str] = []

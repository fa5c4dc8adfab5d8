"""The mentors' pool and the sessions in the API.

Officials of a team read the pool, a mentor their own record; the standing agency keeps it, assigns
mentors to projects (``mentors/{id}/assign/``) and, like the mentor, declares a mentor's conflicts of
interest (``mentors/{id}/conflicts/``), after which the mentor cannot be assigned to that project. A
session is logged by the mentor, on a project assigned to them, or by the project's team.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from portal.api.base import CONFLICT, MALFORMED_PARAMETER, NOT_SIGNED_IN, PortalGenericViewSet, PortalViewSet
from portal.api.parsers import BoundedFormParser, BoundedJSONParser
from portal.models import User
from projects import serializers
from projects.access import can_change, get_mentor_for_user, mentor_of, runs_programme
from projects.api.base import REFUSED, outside_scope, parse, read_only
from projects.api.filters import MentorFilter, MentorSessionFilter
from projects.models import ConflictOfInterest, Mentor, MentorAssignment, MentorSession, Project
from projects.services import mentors as services

MENTOR_OUTSIDE_SCOPE = outside_scope("mentor")
NOT_PROGRAMME = read_only("does not keep the mentors' pool (the standing agency does)")


def _account(username: str) -> User | None:
    """The active account of ``username``; None for an empty one; 400 when there is no such account."""
    if not username.strip():
        return None
    user = User.objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(
            {"username": [_("No active user has the username “%(username)s”.") % {"username": username}]}
        )
    return user


@extend_schema(tags=["mentors"])
@extend_schema_view(
    list=extend_schema(
        operation_id="mentors_list",
        summary="The mentors' pool (a mentor: their own record), by name",
        responses={
            200: serializers.MentorSerializer(many=True),
            400: MALFORMED_PARAMETER,
            403: NOT_SIGNED_IN,
        },
    ),
    retrieve=extend_schema(
        operation_id="mentors_retrieve",
        summary="One mentor, with the assignments and conflicts of the projects the caller sees",
        responses={200: serializers.MentorDetailSerializer, 403: NOT_SIGNED_IN, 404: MENTOR_OUTSIDE_SCOPE},
    ),
    create=extend_schema(
        operation_id="mentors_create",
        summary="Add a mentor to the pool",
        request=serializers.MentorBodySerializer,
        responses={201: serializers.MentorDetailSerializer, 400: REFUSED, 403: NOT_PROGRAMME},
    ),
    partial_update=extend_schema(
        operation_id="mentors_partial_update",
        summary="Change some of a mentor's fields",
        request=serializers.MentorBodySerializer,
        responses={
            200: serializers.MentorDetailSerializer,
            400: REFUSED,
            403: NOT_PROGRAMME,
            404: MENTOR_OUTSIDE_SCOPE,
        },
    ),
)
class MentorViewSet(mixins.CreateModelMixin, PortalViewSet):
    parser_classes = [BoundedJSONParser, BoundedFormParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = MentorFilter

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.MentorSerializer
        return serializers.MentorDetailSerializer

    def get_queryset(self):
        mentors = Mentor.objects.visible_to(self.request.user).prefetch_related("units")
        if self.action == "list":
            return mentors
        seen = Project.objects.visible_to(self.request.user).values("pk")
        return mentors.prefetch_related(
            Prefetch(
                "assignments",
                queryset=MentorAssignment.objects.filter(project__in=seen)
                .select_related("mentor", "project", "by")
                .order_by("-assigned_on", "-pk"),
                to_attr="seen_assignments",
            ),
            Prefetch(
                "conflicts",
                queryset=ConflictOfInterest.objects.filter(project__in=seen)
                .select_related("mentor", "project", "by")
                .order_by("-declared_on", "-pk"),
                to_attr="seen_conflicts",
            ),
        )

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_serializer_context(self):
        return super().get_serializer_context() | {"keeps_pool": runs_programme(self.request.user)}

    def detail_response(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        mentor = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(self.get_serializer(mentor).data, status=status_code)

    def retrieve(self, request, pk: int):
        return self.detail_response(pk)

    def create(self, request):
        if not runs_programme(request.user):
            raise PermissionDenied
        data = parse(serializers.MentorBodySerializer(data=request.data, user=request.user))
        units = data.pop("units")
        account = _account(data.pop("username", ""))
        mentor = services.save_mentor(by=request.user, mentor=Mentor(user=account, **data), units=units)
        return self.detail_response(mentor.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request, pk: int):
        mentor = get_mentor_for_user(request.user, pk, for_write=True)
        data = parse(serializers.MentorBodySerializer(data=request.data, user=request.user, partial=True))
        units = data.pop("units", None)
        if "username" in data:
            mentor.user = _account(data.pop("username"))
        for name, value in data.items():
            setattr(mentor, name, value)
        units = list(mentor.units.all()) if units is None else units
        services.save_mentor(by=request.user, mentor=mentor, units=units)
        return self.detail_response(mentor.pk)

    @extend_schema(
        operation_id="mentors_assign",
        summary="The standing agency assigns the mentor to a project (refused after a declared conflict)",
        request=serializers.AssignMentorSerializer,
        responses={
            201: serializers.AssignmentSerializer,
            400: REFUSED,
            403: NOT_PROGRAMME,
            404: MENTOR_OUTSIDE_SCOPE,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"], url_path="assign", url_name="assign")
    def assign(self, request, pk: int):
        mentor = get_mentor_for_user(request.user, pk, for_write=True)
        projects = Project.objects.visible_to(request.user)
        data = parse(serializers.AssignMentorSerializer(data=request.data, projects=projects))
        assignment = services.assign_mentor(mentor=mentor, by=request.user, **data)
        assignment = MentorAssignment.objects.select_related("mentor", "project", "by").get(pk=assignment.pk)
        return Response(serializers.AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="mentors_conflicts_create",
        summary="Declare the mentor's conflict of interest with a project (by the mentor or the standing "
        "agency); an assignment to it ends that day",
        request=serializers.DeclareConflictSerializer,
        responses={
            201: serializers.ConflictSerializer,
            400: REFUSED,
            403: read_only("is neither the mentor nor the standing agency"),
            404: MENTOR_OUTSIDE_SCOPE,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"], url_path="conflicts", url_name="conflicts")
    def conflicts(self, request, pk: int):
        mentor = get_mentor_for_user(request.user, pk)
        if mentor.user_id != request.user.pk and not runs_programme(request.user):
            raise PermissionDenied
        projects = Project.objects.visible_to(request.user)
        data = parse(serializers.DeclareConflictSerializer(data=request.data, projects=projects))
        conflict = services.declare_conflict(mentor=mentor, by=request.user, **data)
        conflict = ConflictOfInterest.objects.select_related("mentor", "project", "by").get(pk=conflict.pk)
        return Response(serializers.ConflictSerializer(conflict).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["mentor-sessions"])
@extend_schema_view(
    list=extend_schema(
        operation_id="mentor_sessions_list",
        summary="Mentor sessions on the projects the caller sees, latest first",
        responses={
            200: serializers.MentorSessionSerializer(many=True),
            400: MALFORMED_PARAMETER,
            403: NOT_SIGNED_IN,
        },
    ),
    create=extend_schema(
        operation_id="mentor_sessions_create",
        summary="Log a session of a mentor with a project assigned to them",
        request=serializers.LogSessionSerializer,
        responses={
            201: serializers.MentorSessionSerializer,
            400: REFUSED,
            403: read_only("is neither the mentor nor of the project's team"),
        },
    ),
)
class MentorSessionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, PortalGenericViewSet):
    parser_classes = [BoundedJSONParser, BoundedFormParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = MentorSessionFilter
    serializer_class = serializers.MentorSessionSerializer

    def get_queryset(self):
        return MentorSession.objects.visible_to(self.request.user).select_related(
            "mentor", "project", "logged_by"
        )

    def create(self, request):
        data = parse(serializers.LogSessionSerializer(data=request.data, user=request.user))
        mentor = data.pop("mentor") or mentor_of(request.user)
        if mentor is None:
            raise ValidationError({"mentor": [_("Name the mentor who held the session.")]})
        if mentor.user_id != request.user.pk and not can_change(request.user, data["project"].unit_id):
            raise PermissionDenied
        session = services.log_session(mentor=mentor, by=request.user, **data)
        session = self.get_queryset().get(pk=session.pk)
        return Response(serializers.MentorSessionSerializer(session).data, status=status.HTTP_201_CREATED)

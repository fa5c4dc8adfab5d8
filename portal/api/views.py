"""The ground's API: units, teams and their members (signing in and out: portal/api/tokens.py).

Each view parses its input, authorises through portal.access, calls one service and answers; a
refusal reaches the one exception handler (portal/api/errors.py)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.access import get_team_for_user
from portal.api.base import CONFLICT, MALFORMED_PARAMETER, NOT_SIGNED_IN, PortalViewSet
from portal.api.filters import TeamParameters, UnitParameters
from portal.api.serializers import (
    AddMemberSerializer,
    DetailSerializer,
    MembershipSerializer,
    SetHeadSerializer,
    TeamSerializer,
    UnitSerializer,
)
from portal.models import AdminUnit, Membership, Team, User
from portal.models.people import today
from portal.services import teams as services

OUTSIDE_SCOPE = OpenApiResponse(DetailSerializer, description="No such team in the caller's scope.")
READ_ONLY = OpenApiResponse(DetailSerializer, description="The caller sees the team but may not change it.")
REFUSED = OpenApiResponse(
    description="The body is malformed (the body names each field) or the team's rules refuse the change "
    "(``detail`` says which rule)."
)


@extend_schema(tags=["units"])
@extend_schema_view(
    list=extend_schema(
        operation_id="units_list",
        summary="Administrative units in the caller's scope, in Vietnamese order",
        parameters=[UnitParameters],
        responses={200: UnitSerializer(many=True), 400: MALFORMED_PARAMETER, 403: NOT_SIGNED_IN},
    ),
    retrieve=extend_schema(
        operation_id="units_retrieve",
        summary="One administrative unit",
        responses={
            200: UnitSerializer,
            403: NOT_SIGNED_IN,
            404: OpenApiResponse(DetailSerializer, description="No such unit in the caller's scope."),
        },
    ),
)
class UnitViewSet(PortalViewSet):
    serializer_class = UnitSerializer

    def get_queryset(self):
        return (
            AdminUnit.objects.visible_to(self.request.user)
            .prefetch_related(Prefetch("successors", queryset=AdminUnit.objects.only("pk")))
            .in_vietnamese_order()
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        parameters = UnitParameters.read(self.request)
        if parameters.get("q"):
            queryset = queryset.search(parameters["q"])
        if parameters.get("level"):
            queryset = queryset.filter(level=parameters["level"])
        if parameters.get("parent") is not None:
            queryset = queryset.filter(parent_id=parameters["parent"])
        if parameters.get("code"):
            queryset = queryset.filter(code=parameters["code"])
        if parameters.get("valid_on") is not None:
            queryset = queryset.valid_on(parameters["valid_on"])
        if parameters["current"] is True:
            queryset = queryset.current()
        elif parameters["current"] is False:
            queryset = queryset.filter(valid_until__isnull=False)
        return queryset


@extend_schema(tags=["teams"])
@extend_schema_view(
    list=extend_schema(
        operation_id="teams_list",
        summary="Teams in the caller's scope with their current members, in Vietnamese order",
        parameters=[TeamParameters],
        responses={200: TeamSerializer(many=True), 400: MALFORMED_PARAMETER, 403: NOT_SIGNED_IN},
    ),
    retrieve=extend_schema(
        operation_id="teams_retrieve",
        summary="One team with its current members",
        responses={200: TeamSerializer, 403: NOT_SIGNED_IN, 404: OUTSIDE_SCOPE},
    ),
)
class TeamViewSet(PortalViewSet):
    """Teams are created and changed in the Django admin; the API only manages their members and head."""

    serializer_class = TeamSerializer

    def get_queryset(self):
        current_memberships = (
            Membership.objects.active_on(today())
            .select_related("user")
            .only(
                "pk",
                "team_id",
                "user_id",
                "position",
                "joined_on",
                "user__id",
                "user__username",
                "user__full_name",
            )
        )
        return (
            Team.objects.visible_to(self.request.user)
            .select_related("unit", "head")
            .only(
                *("pk", "name", "kind", "unit_id", "parent_id", "active_from", "active_until", "head_id"),
                *("unit__id", "unit__name", "head__id", "head__username", "head__full_name"),
            )
            .prefetch_related(
                Prefetch("memberships", queryset=current_memberships, to_attr="current_memberships")
            )
            .in_vietnamese_order()
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        parameters = TeamParameters.read(self.request)
        if parameters.get("q"):
            queryset = queryset.search(parameters["q"])
        if parameters.get("kind"):
            queryset = queryset.filter(kind=parameters["kind"])
        if parameters.get("unit") is not None:
            queryset = queryset.filter(unit_id=parameters["unit"])
        if parameters.get("active_on") is not None:
            queryset = queryset.active_on(parameters["active_on"])
        return queryset

    @extend_schema(
        operation_id="teams_add_member",
        summary="Add a member to the team",
        request=AddMemberSerializer,
        responses={
            201: MembershipSerializer,
            400: REFUSED,
            403: READ_ONLY,
            404: OUTSIDE_SCOPE,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"], url_path="members", url_name="add-member")
    def add_member(self, request, pk: int):
        team = get_team_for_user(request.user, pk, for_write=True)
        body = AddMemberSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = services.add_member(
            team=team, user=body.validated_data["username"], position=body.validated_data["position"]
        )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="teams_end_membership",
        summary="End a membership of the team (the head must be replaced first)",
        request=None,
        responses={
            200: MembershipSerializer,
            400: REFUSED,
            403: READ_ONLY,
            404: OUTSIDE_SCOPE,
            409: CONFLICT,
        },
    )
    @action(
        detail=True, methods=["post"], url_path="members/<int:membership_id>/end", url_name="end-membership"
    )
    def end_membership(self, request, pk: int, membership_id: int):
        team = get_team_for_user(request.user, pk, for_write=True)
        membership = get_object_or_404(team.memberships.select_related("user"), pk=membership_id)
        membership = services.end_membership(membership=membership)
        return Response(MembershipSerializer(membership).data)

    @extend_schema(
        operation_id="teams_set_head",
        summary="Make a current member the head of the team",
        request=SetHeadSerializer,
        responses={200: TeamSerializer, 400: REFUSED, 403: READ_ONLY, 404: OUTSIDE_SCOPE},
    )
    @action(detail=True, methods=["post"], url_path="head", url_name="set-head")
    def set_head(self, request, pk: int):
        team = get_team_for_user(request.user, pk, for_write=True)
        current_members = User.objects.filter(
            pk__in=Membership.objects.active_on(today()).filter(team=team).values("user_id")
        )
        body = SetHeadSerializer(data=request.data, members=current_members)
        body.is_valid(raise_exception=True)
        services.set_team_head(team=team, head=body.validated_data["user"])
        return Response(TeamSerializer(self.get_queryset().get(pk=team.pk)).data)

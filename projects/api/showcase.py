"""Success models and their replications in the API.

The standing agency proposes an operating or growing project as a model; the council confirms it or
not (``decide/``); a later project of a commune records that it copies a confirmed model
(``replications/``). Who sees the project sees its model.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api.base import CONFLICT, MALFORMED_PARAMETER, NOT_SIGNED_IN, PortalViewSet
from portal.api.parsers import BoundedFormParser, BoundedJSONParser
from projects import serializers
from projects.access import can_change, confirms_models, get_model_for_user, runs_programme
from projects.api.base import NOT_KEEPER, REFUSED, outside_scope, parse, read_only
from projects.api.filters import SuccessModelFilter
from projects.models import Project, SuccessModel
from projects.services import showcase as services

MODEL_OUTSIDE_SCOPE = outside_scope("success model")


@extend_schema(tags=["models"])
@extend_schema_view(
    list=extend_schema(
        operation_id="models_list",
        summary="Success models of the projects the caller sees, latest proposed first",
        responses={
            200: serializers.SuccessModelSerializer(many=True),
            400: MALFORMED_PARAMETER,
            403: NOT_SIGNED_IN,
        },
    ),
    retrieve=extend_schema(
        operation_id="models_retrieve",
        summary="One success model",
        responses={200: serializers.SuccessModelSerializer, 403: NOT_SIGNED_IN, 404: MODEL_OUTSIDE_SCOPE},
    ),
    create=extend_schema(
        operation_id="models_create",
        summary="The standing agency proposes an operating or growing project as a success model",
        request=serializers.ProposeModelSerializer,
        responses={
            201: serializers.SuccessModelSerializer,
            400: REFUSED,
            403: read_only("does not propose models (the standing agency does)"),
            409: CONFLICT,
        },
    ),
)
class SuccessModelViewSet(mixins.CreateModelMixin, PortalViewSet):
    parser_classes = [BoundedJSONParser, BoundedFormParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = SuccessModelFilter
    serializer_class = serializers.SuccessModelSerializer

    def get_queryset(self):
        return (
            SuccessModel.objects.visible_to(self.request.user)
            .select_related("project", "proposed_by", "decided_by")
            .annotate(replication_count=Count("replications"))
            .order_by("-proposed_on", "-pk")
        )

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def detail_response(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        model = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(self.get_serializer(model).data, status=status_code)

    def retrieve(self, request, pk: int):
        return self.detail_response(pk)

    def create(self, request):
        if not runs_programme(request.user):
            raise PermissionDenied
        projects = Project.objects.visible_to(request.user)
        data = parse(serializers.ProposeModelSerializer(data=request.data, projects=projects))
        model = services.propose_model(by=request.user, **data)
        return self.detail_response(model.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="models_decide",
        summary="The council confirms the proposed model, or does not, saying why",
        request=serializers.DecideModelSerializer,
        responses={
            200: serializers.SuccessModelSerializer,
            400: REFUSED,
            403: read_only("does not confirm models (the council does)"),
            404: MODEL_OUTSIDE_SCOPE,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"], url_path="decide", url_name="decide")
    def decide(self, request, pk: int):
        model = get_model_for_user(request.user, pk)
        if not confirms_models(request.user):
            raise PermissionDenied
        services.decide_model(
            model=model, by=request.user, **parse(serializers.DecideModelSerializer(data=request.data))
        )
        return self.detail_response(pk)

    @extend_schema(
        operation_id="models_replications_list",
        summary="The projects the caller sees that copy the model, latest first",
        responses={
            200: serializers.ProjectSerializer(many=True),
            403: NOT_SIGNED_IN,
            404: MODEL_OUTSIDE_SCOPE,
        },
    )
    @action(
        detail=True, methods=["get"], url_path="replications", url_name="replications", filter_backends=[]
    )
    def replications(self, request, pk: int):
        model = get_model_for_user(request.user, pk)
        projects = Project.objects.visible_to(request.user).filter(replicates=model).select_related("unit")
        page = self.paginate_queryset(projects.order_by("-replicates_since", "-pk"))
        return self.get_paginated_response(serializers.ProjectSerializer(page, many=True).data)

    @extend_schema(
        operation_id="models_replications_create",
        summary="Record that a later project of the caller's commune copies this confirmed model",
        request=serializers.ReplicationSerializer,
        responses={
            200: serializers.SuccessModelSerializer,
            400: REFUSED,
            403: NOT_KEEPER,
            404: MODEL_OUTSIDE_SCOPE,
            409: CONFLICT,
        },
    )
    @replications.mapping.post
    def record_replication(self, request, pk: int):
        model = get_model_for_user(request.user, pk)
        projects = Project.objects.visible_to(request.user)
        data = parse(serializers.ReplicationSerializer(data=request.data, projects=projects))
        if not can_change(request.user, data["project"].unit_id):
            raise PermissionDenied
        services.record_replication(model=model, by=request.user, **data)
        return self.detail_response(pk)

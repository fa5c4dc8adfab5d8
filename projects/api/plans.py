"""Poverty-escape plans in the API: the list, a plan with its rows, its writing, approval and reviews.

A plan is written whole with its budget sources, inputs and milestones (``open_plan``), which starts
the household's poverty-escape project; the commune team approves it only when complete (a 400 says
what it still lacks); its milestones then change only on the project's visits.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api.base import CONFLICT, MALFORMED_PARAMETER, NOT_SIGNED_IN, PortalViewSet
from portal.api.parsers import BoundedFormParser, BoundedJSONParser
from portal.paging import rows_of
from projects import serializers
from projects.access import can_change, get_plan_for_user, sees_personal_data
from projects.api.base import NOT_KEEPER, REFUSED, outside_scope, parse
from projects.forms.plans import PovertyPlanFilter
from projects.models import HouseholdListing, PovertyPlan, YearlyReview
from projects.services import plans as services
from projects.services.plans import Funding, Input, PlannedMilestone

PLAN_OUTSIDE_SCOPE = outside_scope("plan")


@extend_schema(tags=["poverty-plans"])
@extend_schema_view(
    list=extend_schema(
        operation_id="poverty_plans_list",
        summary="Poverty-escape plans in the caller's scope (a household's own), latest start first",
        responses={
            200: serializers.PovertyPlanSerializer(many=True),
            400: MALFORMED_PARAMETER,
            403: NOT_SIGNED_IN,
        },
    ),
    retrieve=extend_schema(
        operation_id="poverty_plans_retrieve",
        summary="One plan: household, budget sources, inputs, milestones, reviews and what it still lacks",
        responses={200: serializers.PovertyPlanDetailSerializer, 403: NOT_SIGNED_IN, 404: PLAN_OUTSIDE_SCOPE},
    ),
    create=extend_schema(
        operation_id="poverty_plans_create",
        summary="Write a listed household's plan, which starts its poverty-escape project (a draft)",
        request=serializers.OpenPlanSerializer,
        responses={
            201: serializers.PovertyPlanDetailSerializer,
            400: REFUSED,
            403: NOT_KEEPER,
            409: CONFLICT,
        },
    ),
)
class PovertyPlanViewSet(mixins.CreateModelMixin, PortalViewSet):
    parser_classes = [BoundedJSONParser, BoundedFormParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = PovertyPlanFilter

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.PovertyPlanSerializer
        return serializers.PovertyPlanDetailSerializer

    def get_queryset(self):
        plans = PovertyPlan.objects.visible_to(self.request.user)
        if self.action == "list":
            return plans  # its page's rows are read by id with what they show (``list``)
        return plans.select_related(
            *("project__unit", "household__unit", "household__head", "household__standard"),
            *("written_by", "approved_by"),
        ).prefetch_related(
            "fundings",
            "inputs",
            "milestones",
            Prefetch("reviews", queryset=YearlyReview.objects.select_related("by")),
        )

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def list(self, request):
        # The page's ids in order, then its plans with what they show (portal.paging.rows_of): sorting
        # every plan joined to its project and household was most of the list's time.
        plans = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(plans.only("pk", "starts_on"))
        rows = rows_of(page, PovertyPlan.objects.select_related("project", "household__unit"))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def get_serializer_context(self):
        return super().get_serializer_context() | {"unmasked": getattr(self, "unmasked", False)}

    def detail_response(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        plan = get_object_or_404(self.get_queryset(), pk=pk)
        self.unmasked = sees_personal_data(self.request.user, plan.project)
        return Response(self.get_serializer(plan).data, status=status_code)

    def retrieve(self, request, pk: int):
        return self.detail_response(pk)

    def create(self, request):
        households = HouseholdListing.objects.visible_to(request.user).select_related("unit", "head")
        data = parse(serializers.OpenPlanSerializer(data=request.data, households=households))
        if not can_change(request.user, data["household"].unit_id):
            raise PermissionDenied
        plan = services.open_plan(
            by=request.user,
            fundings=[Funding(**row) for row in data.pop("fundings")],
            inputs=[Input(**row) for row in data.pop("inputs")],
            milestones=[PlannedMilestone(**row) for row in data.pop("milestones")],
            **data,
        )
        return self.detail_response(plan.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="poverty_plans_approve",
        summary="The commune team approves a complete plan (a 400 says what it still lacks)",
        request=serializers.ApprovePlanSerializer,
        responses={
            200: serializers.PovertyPlanDetailSerializer,
            400: REFUSED,
            403: NOT_KEEPER,
            404: PLAN_OUTSIDE_SCOPE,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"], url_path="approve", url_name="approve")
    def approve(self, request, pk: int):
        plan = get_plan_for_user(request.user, pk, for_write=True)
        data = parse(serializers.ApprovePlanSerializer(data=request.data))
        services.approve_plan(plan=plan, by=request.user, **data)
        return self.detail_response(pk)

    @extend_schema(
        operation_id="poverty_plans_reviews_list",
        summary="The plan's yearly reviews, by year",
        responses={
            200: serializers.ReviewSerializer(many=True),
            403: NOT_SIGNED_IN,
            404: PLAN_OUTSIDE_SCOPE,
        },
    )
    # One review a year: one list, no pages, none of the list's filters.
    @action(
        detail=True,
        methods=["get"],
        url_path="reviews",
        url_name="reviews",
        pagination_class=None,
        filter_backends=[],
    )
    def reviews(self, request, pk: int):
        plan = get_plan_for_user(request.user, pk)
        reviews = plan.reviews.select_related("by").order_by("year")
        return Response(serializers.ReviewSerializer(reviews, many=True).data)

    @extend_schema(
        operation_id="poverty_plans_reviews_create",
        summary="Record the yearly review: escaped poverty, still poor, near-poor or fell back",
        request=serializers.RecordReviewSerializer,
        responses={
            201: serializers.ReviewSerializer,
            400: REFUSED,
            403: NOT_KEEPER,
            404: PLAN_OUTSIDE_SCOPE,
            409: CONFLICT,
        },
    )
    @reviews.mapping.post
    def record_review(self, request, pk: int):
        plan = get_plan_for_user(request.user, pk, for_write=True)
        data = parse(serializers.RecordReviewSerializer(data=request.data))
        review = services.record_review(plan=plan, by=request.user, **data)
        return Response(serializers.ReviewSerializer(review).data, status=status.HTTP_201_CREATED)

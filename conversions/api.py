"""The registry of household businesses and the conversion cases in the API.

Every view starts from ``visible_to(request.user)``: a record or a case outside the caller's scope
is 404, one the caller sees but may not change is 403 (conversions/access.py). A case moves only
through its step endpoints, each calling one service (conversions/services/); no endpoint sets a
stage directly. A step out of order, or on a case whose state does not allow it, is 409.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from conversions import serializers
from conversions.access import can_change, get_conversion_for_user, get_household_business_for_user
from conversions.filters import ConversionFilter, HouseholdBusinessFilter
from conversions.models import (
    Conversion,
    ConversionStep,
    EntitlementGrant,
    FollowUpVisit,
    HouseholdBusiness,
    OutcomeChange,
)
from conversions.services import cases, followups
from conversions.services.registry import record_household_business, update_household_business
from dossiers.models import Dossier
from dossiers.services.applicants import Person
from portal.api.base import CONFLICT, MALFORMED_PARAMETER, NOT_SIGNED_IN, PortalViewSet
from portal.api.parsers import BoundedFormParser, BoundedJSONParser
from portal.api.serializers import DetailSerializer
from portal.models.people import today

BUSINESS_OUTSIDE_SCOPE = OpenApiResponse(
    DetailSerializer, description="No such household business in the caller's scope."
)
CASE_OUTSIDE_SCOPE = OpenApiResponse(DetailSerializer, description="No such case in the caller's scope.")
VISIT_OUTSIDE_SCOPE = OpenApiResponse(
    DetailSerializer, description="No such case in the caller's scope, or no such visit of it."
)
NOT_WRITER = OpenApiResponse(
    DetailSerializer,
    description="The caller sees it but does not change the commune's registry (its team or the standing "
    "agency does).",
)
REFUSED = OpenApiResponse(
    description="The body is malformed (the body names each field) or a rule refuses the change "
    "(``detail`` says why)."
)


# --- Household businesses ----------------------------------------------------------------------------------


@extend_schema(tags=["household-businesses"])
@extend_schema_view(
    list=extend_schema(
        operation_id="household_businesses_list",
        summary="Household businesses in the caller's scope (an owner's own), by name",
        responses={
            200: serializers.HouseholdBusinessSerializer(many=True),
            400: MALFORMED_PARAMETER,
            403: NOT_SIGNED_IN,
        },
    ),
    retrieve=extend_schema(
        operation_id="household_businesses_retrieve",
        summary="One household business",
        responses={
            200: serializers.HouseholdBusinessDetailSerializer,
            403: NOT_SIGNED_IN,
            404: BUSINESS_OUTSIDE_SCOPE,
        },
    ),
    create=extend_schema(
        operation_id="household_businesses_create",
        summary="Add a household business to a commune's registry; its owner is found by CCCD",
        request=serializers.RecordHouseholdBusinessSerializer,
        responses={201: serializers.HouseholdBusinessDetailSerializer, 400: REFUSED, 403: NOT_SIGNED_IN},
    ),
    partial_update=extend_schema(
        operation_id="household_businesses_partial_update",
        summary="Change some fields of a household business (the owner changes only by CCCD, not here)",
        request=serializers.UpdateHouseholdBusinessSerializer,
        responses={
            200: serializers.HouseholdBusinessDetailSerializer,
            400: REFUSED,
            403: NOT_WRITER,
            404: BUSINESS_OUTSIDE_SCOPE,
        },
    ),
)
class HouseholdBusinessViewSet(mixins.CreateModelMixin, PortalViewSet):
    parser_classes = [BoundedJSONParser, BoundedFormParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = HouseholdBusinessFilter

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.HouseholdBusinessSerializer
        return serializers.HouseholdBusinessDetailSerializer

    def get_queryset(self):
        businesses = HouseholdBusiness.objects.visible_to(self.request.user).select_related("owner", "unit")
        return businesses if self.action == "list" else businesses.select_related("conversion")

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def detail_response(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        business = self.get_queryset().get(pk=pk)
        return Response(self.get_serializer(business).data, status=status_code)

    def create(self, request):
        body = serializers.RecordHouseholdBusinessSerializer(data=request.data, user=request.user)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        business = record_household_business(by=request.user, owner=Person(**fields.pop("owner")), **fields)
        return self.detail_response(business.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request, pk: int):
        business = get_household_business_for_user(request.user, pk, for_write=True)
        body = serializers.UpdateHouseholdBusinessSerializer(
            data=request.data, user=request.user, partial=True
        )
        body.is_valid(raise_exception=True)
        update_household_business(business=business, by=request.user, **body.validated_data)
        return self.detail_response(business.pk)


# --- Conversions -------------------------------------------------------------------------------------------


def _step(operation: str, summary: str, body, *, not_found=CASE_OUTSIDE_SCOPE):
    """The schema of a step: its body, the case's detail in answer, and the refusals it may meet."""
    return extend_schema(
        operation_id=f"conversions_{operation}",
        summary=summary,
        request=body,
        responses={
            200: serializers.ConversionDetailSerializer,
            400: REFUSED,
            403: NOT_WRITER,
            404: not_found,
            409: CONFLICT,
        },
    )


@extend_schema(tags=["conversions"])
@extend_schema_view(
    list=extend_schema(
        operation_id="conversions_list",
        summary="Conversion cases in the caller's scope (an owner's own), latest identified first",
        responses={
            200: serializers.ConversionSerializer(many=True),
            400: MALFORMED_PARAMETER,
            403: NOT_SIGNED_IN,
        },
    ),
    retrieve=extend_schema(
        operation_id="conversions_retrieve",
        summary="One case: its steps, eligibility, size, entitlements, visits and outcomes",
        responses={200: serializers.ConversionDetailSerializer, 403: NOT_SIGNED_IN, 404: CASE_OUTSIDE_SCOPE},
    ),
    create=extend_schema(
        operation_id="conversions_create",
        summary="Open the case of a household business picked as a candidate",
        request=serializers.IdentifySerializer,
        responses={
            201: serializers.ConversionDetailSerializer,
            400: REFUSED,
            403: NOT_WRITER,
            409: CONFLICT,
        },
    ),
)
class ConversionViewSet(mixins.CreateModelMixin, PortalViewSet):
    # No update or delete: a case moves only through its step endpoints.

    parser_classes = [BoundedJSONParser, BoundedFormParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ConversionFilter

    def get_serializer_class(self):
        return (
            serializers.ConversionSerializer
            if self.action == "list"
            else serializers.ConversionDetailSerializer
        )

    def get_queryset(self):
        cases = Conversion.objects.visible_to(self.request.user).select_related(
            "household_business", "unit", "dossier"
        )
        if self.action == "list":
            return cases
        return cases.select_related(
            "household_business__owner", "household_business__unit", "opened_by"
        ).prefetch_related(
            Prefetch("steps", queryset=ConversionStep.objects.select_related("by")),
            Prefetch("entitlements", queryset=EntitlementGrant.objects.select_related("entitlement")),
            Prefetch("visits", queryset=FollowUpVisit.objects.select_related("recorded_by")),
            Prefetch("outcomes", queryset=OutcomeChange.objects.select_related("by")),
        )

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def detail_response(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        conversion = self.get_queryset().get(pk=pk)
        return Response(self.get_serializer(conversion).data, status=status_code)

    def body(self, serializer_class, **kwargs) -> dict:
        body = serializer_class(data=self.request.data, **kwargs)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if "on" in serializer_class._declared_fields:
            data["on"] = data.get("on") or today()
        return data

    def create(self, request):
        data = self.body(
            serializers.IdentifySerializer,
            businesses=HouseholdBusiness.objects.visible_to(request.user).select_related("unit"),
        )
        business = data.pop("household_business")
        if not can_change(request.user, business.unit_id):
            raise PermissionDenied
        conversion = cases.identify_candidate(business=business, by=request.user, **data)
        return self.detail_response(conversion.pk, status_code=status.HTTP_201_CREATED)

    def case(self, pk: int) -> Conversion:
        return get_conversion_for_user(self.request.user, pk, for_write=True)

    @_step("advise", "The owner was advised on converting", serializers.AdviseSerializer)
    @action(detail=True, methods=["post"], url_path="advise", url_name="advise")
    def advise(self, request, pk: int):
        conversion = self.case(pk)
        cases.advise(conversion=conversion, by=request.user, **self.body(serializers.AdviseSerializer))
        return self.detail_response(pk)

    @_step(
        "link_dossier", "Link the owner's filed conversion-support dossier", serializers.LinkDossierSerializer
    )
    @action(detail=True, methods=["post"], url_path="link-dossier", url_name="link-dossier")
    def link_dossier(self, request, pk: int):
        conversion = self.case(pk)
        data = self.body(
            serializers.LinkDossierSerializer,
            dossiers=Dossier.objects.visible_to(request.user).select_related("procedure"),
        )
        cases.link_dossier(conversion=conversion, by=request.user, **data)
        return self.detail_response(pk)

    @_step(
        "register",
        "Record the first enterprise registration certificate: grants the entitlements of that day and "
        "makes the follow-up schedule",
        serializers.RegisterSerializer,
    )
    @action(detail=True, methods=["post"], url_path="register", url_name="register")
    def register(self, request, pk: int):
        conversion = self.case(pk)
        cases.register_enterprise(
            conversion=conversion, by=request.user, **self.body(serializers.RegisterSerializer)
        )
        return self.detail_response(pk)

    @_step("correct", "Undo the case's last step, saying why", serializers.CorrectSerializer)
    @action(detail=True, methods=["post"], url_path="correct", url_name="correct")
    def correct(self, request, pk: int):
        conversion = self.case(pk)
        cases.correct_step(conversion=conversion, by=request.user, **self.body(serializers.CorrectSerializer))
        return self.detail_response(pk)

    @_step(
        "outcomes_create", "Record what became of the enterprise from a day on", serializers.OutcomeSerializer
    )
    @action(detail=True, methods=["post"], url_path="outcomes", url_name="outcomes")
    def outcomes(self, request, pk: int):
        conversion = self.case(pk)
        cases.record_outcome(
            conversion=conversion, by=request.user, **self.body(serializers.OutcomeSerializer)
        )
        return self.detail_response(pk)

    @extend_schema(
        operation_id="conversions_entitlements_list",
        summary="The entitlements granted on registration, with their dates and state",
        responses={200: serializers.GrantSerializer(many=True), 403: NOT_SIGNED_IN, 404: CASE_OUTSIDE_SCOPE},
    )
    # A case has a handful of entitlements: one list, no pages, none of the list's filters.
    @action(
        detail=True,
        methods=["get"],
        url_path="entitlements",
        url_name="entitlements",
        pagination_class=None,
        filter_backends=[],
    )
    def entitlements(self, request, pk: int):
        conversion = get_conversion_for_user(request.user, pk)
        grants = conversion.entitlements.select_related("entitlement")
        return Response(serializers.GrantSerializer(grants, many=True).data)

    # --- Follow-up visits ---

    def visit(self, pk: int, visit_id: int) -> FollowUpVisit:
        return get_object_or_404(self.case(pk).visits.select_related("conversion"), pk=visit_id)

    @_step(
        "visits_record",
        "Record a follow-up visit, call or message (the case update); the first moves the case to "
        "“followed up”",
        serializers.VisitBodySerializer,
        not_found=VISIT_OUTSIDE_SCOPE,
    )
    @action(detail=True, methods=["post"], url_path="visits/<int:visit_id>", url_name="visit")
    def record_visit(self, request, pk: int, visit_id: int):
        visit = self.visit(pk, visit_id)
        followups.record_visit(visit=visit, by=request.user, **self.body(serializers.VisitBodySerializer))
        return self.detail_response(pk)

    @_step(
        "visits_reschedule",
        "Move a visit that is not done to another day, saying why",
        serializers.RescheduleSerializer,
        not_found=VISIT_OUTSIDE_SCOPE,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="visits/<int:visit_id>/reschedule",
        url_name="visit-reschedule",
    )
    def reschedule_visit(self, request, pk: int, visit_id: int):
        visit = self.visit(pk, visit_id)
        followups.reschedule_visit(
            visit=visit, by=request.user, **self.body(serializers.RescheduleSerializer)
        )
        return self.detail_response(pk)

    @_step(
        "visits_skip",
        "Skip a visit that is not done, saying why",
        serializers.SkipSerializer,
        not_found=VISIT_OUTSIDE_SCOPE,
    )
    @action(detail=True, methods=["post"], url_path="visits/<int:visit_id>/skip", url_name="visit-skip")
    def skip_visit(self, request, pk: int, visit_id: int):
        visit = self.visit(pk, visit_id)
        followups.skip_visit(visit=visit, by=request.user, **self.body(serializers.SkipSerializer))
        return self.detail_response(pk)

"""Decisions in the API: the list and one decision (the whole command as stored), and its checking by a
second officer: approval carries the command out (a money request: ``Idempotency-Key``), rejection
says why, and who prepared it may withdraw it. Who prepared a decision never checks it (409, rule
``maker_checker``).

A decision is read by whoever reads the application or the loan it is about.
"""

from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from fund.access import get_decision_for_user
from fund.api import serializers
from fund.api.base import IDEMPOTENCY_KEY, NOT_THE_FUNDS_OFFICER, REFUSED, once, outside_scope, parse
from fund.api.filters import DecisionFilter
from fund.models import Decision
from fund.services import decisions as services
from portal.api.base import CONFLICT, MALFORMED_PARAMETER, NOT_SIGNED_IN, PortalViewSet
from portal.api.parsers import BoundedFormParser, BoundedJSONParser

DECISION_OUTSIDE_SCOPE = outside_scope("decision")


def _check(operation: str, summary: str, body, *, money: bool = False):
    return extend_schema(
        operation_id=f"fund_decisions_{operation}",
        summary=summary,
        parameters=[IDEMPOTENCY_KEY] if money else None,
        request=body,
        responses={
            200: serializers.DecisionSerializer,
            400: REFUSED,
            403: NOT_THE_FUNDS_OFFICER,
            404: DECISION_OUTSIDE_SCOPE,
            409: CONFLICT,
        },
    )


@extend_schema(tags=["fund"])
@extend_schema_view(
    list=extend_schema(
        operation_id="fund_decisions_list",
        summary="Decisions on the applications and loans the caller reads, latest first",
        responses={
            200: serializers.DecisionSerializer(many=True),
            400: MALFORMED_PARAMETER,
            403: NOT_SIGNED_IN,
        },
    ),
    retrieve=extend_schema(
        operation_id="fund_decisions_retrieve",
        summary="One decision: the whole command, who prepared it and who checked it",
        responses={200: serializers.DecisionSerializer, 403: NOT_SIGNED_IN, 404: DECISION_OUTSIDE_SCOPE},
    ),
)
class DecisionViewSet(PortalViewSet):
    serializer_class = serializers.DecisionSerializer
    parser_classes = [BoundedJSONParser, BoundedFormParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = DecisionFilter

    def get_queryset(self):
        return Decision.objects.visible_to(self.request.user).select_related("prepared_by", "checked_by")

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def answer(self, pk: int) -> Response:
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    @_check(
        "approve",
        "The second officer approves: the command is carried out (above the board's limit, with the "
        "People's Committee's decision number and date)",
        serializers.ApproveSerializer,
        money=True,
    )
    @action(detail=True, methods=["post"], url_path="approve", url_name="approve")
    def approve(self, request, pk: int):
        decision = get_decision_for_user(request.user, pk, for_write=True)
        data = parse(serializers.ApproveSerializer(data=request.data))

        def approve() -> Response:
            services.approve(decision=decision, by=request.user, **data)
            return self.answer(pk)

        return once(request, action="fund.approve_decision", data=data, ids={"decision": pk}, work=approve)

    @_check("reject", "The second officer rejects the decision, saying why", serializers.RejectSerializer)
    @action(detail=True, methods=["post"], url_path="reject", url_name="reject")
    def reject(self, request, pk: int):
        decision = get_decision_for_user(request.user, pk, for_write=True)
        services.reject(
            decision=decision, by=request.user, **parse(serializers.RejectSerializer(data=request.data))
        )
        return self.answer(pk)

    @_check("cancel", "Who prepared the decision withdraws it", None)
    @action(detail=True, methods=["post"], url_path="cancel", url_name="cancel")
    def cancel(self, request, pk: int):
        decision = get_decision_for_user(request.user, pk, for_write=True)
        services.cancel(decision=decision, by=request.user)
        return self.answer(pk)

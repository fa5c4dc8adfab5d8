"""Funds, their regulations and their capital in the API.

Every signed-in person reads the funds, their regulation versions and the contributions pledged to
them; cash shows only to who reads the fund's ledger, a contributor's contact only to the fund's
officers, the name of one who asked to stay anonymous only to the readers of the ledger. The fund's
officers add regulation versions, record pledges and the money received against them (a money
request: ``Idempotency-Key``).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from fund.access import get_fund_for_user, runs
from fund.api import serializers
from fund.api.base import (
    IDEMPOTENCY_KEY,
    NOT_THE_FUNDS_OFFICER,
    REFUSED,
    ledger_context,
    once,
    outside_scope,
    parse,
)
from fund.api.filters import ContributionFilter
from fund.disclosure import STANDING_RECEIPT, disclose
from fund.models import Account, AccountKind, Contribution, Fund, Receipt, Regulation
from fund.services import capital, regulations
from portal.api.base import CONFLICT, MALFORMED_PARAMETER, NOT_SIGNED_IN, PortalViewSet
from portal.api.parsers import BoundedFormParser, BoundedJSONParser
from portal.models.people import today

FUND_OUTSIDE_SCOPE = outside_scope("fund")
REGULATION_OUTSIDE_SCOPE = outside_scope("regulation")
CONTRIBUTION_OUTSIDE_SCOPE = outside_scope("contribution")


def in_force_today() -> Prefetch:
    day = today()
    return Prefetch(
        "regulations",
        queryset=Regulation.objects.filter(effective_from__lte=day).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=day)
        ),
        to_attr="in_force",
    )


def fund_accounts() -> Prefetch:
    return Prefetch(
        "accounts",
        queryset=Account.objects.filter(loan__isnull=True, kind__in=[AccountKind.CASH, AccountKind.CAPITAL]),
        to_attr="ledger_accounts",
    )


@extend_schema(tags=["fund"])
@extend_schema_view(
    list=extend_schema(
        operation_id="funds_list",
        summary="The funds: regulation in force, capital by source, cash (to readers of its ledger)",
        responses={200: serializers.FundSerializer(many=True), 400: MALFORMED_PARAMETER, 403: NOT_SIGNED_IN},
    ),
    retrieve=extend_schema(
        operation_id="funds_retrieve",
        summary="One fund: regulation in force, capital by source, cash (to readers of its ledger)",
        responses={200: serializers.FundSerializer, 403: NOT_SIGNED_IN, 404: FUND_OUTSIDE_SCOPE},
    ),
)
class FundViewSet(PortalViewSet):
    serializer_class = serializers.FundSerializer

    def get_queryset(self):
        return (
            Fund.objects.visible_to(self.request.user)
            .select_related("unit")
            .prefetch_related(in_force_today(), fund_accounts())
        )

    def get_serializer_context(self):
        return super().get_serializer_context() | ledger_context(self.request.user)

    @extend_schema(
        operation_id="funds_disclosure",
        summary="The fund's public figures: capital by source, loans by quarter, sector and commune, "
        "repayments and losses (no personal data)",
        responses={200: serializers.DisclosureSerializer, 403: NOT_SIGNED_IN, 404: FUND_OUTSIDE_SCOPE},
    )
    @action(detail=True, methods=["get"], url_path="disclosure", url_name="disclosure")
    def disclosure(self, request, pk: int):
        fund = get_fund_for_user(request.user, pk)
        return Response(serializers.DisclosureSerializer(disclose(fund, today())).data)


@extend_schema(tags=["fund"])
@extend_schema_view(
    list=extend_schema(
        operation_id="fund_regulations_list",
        summary="The funds' regulation versions, latest first, with their rules, articles and rubric",
        responses={
            200: serializers.RegulationSerializer(many=True),
            400: MALFORMED_PARAMETER,
            403: NOT_SIGNED_IN,
        },
    ),
    retrieve=extend_schema(
        operation_id="fund_regulations_retrieve",
        summary="One regulation version: every rule with its article, the rubric, the deadlines",
        responses={200: serializers.RegulationSerializer, 403: NOT_SIGNED_IN, 404: REGULATION_OUTSIDE_SCOPE},
    ),
    create=extend_schema(
        operation_id="fund_regulations_create",
        summary="Add a regulation version (its dates never overlap another's; the open one before it ends "
        "the day before)",
        request=serializers.AddRegulationSerializer,
        responses={
            201: serializers.RegulationSerializer,
            400: REFUSED,
            403: NOT_THE_FUNDS_OFFICER,
            409: CONFLICT,
        },
    ),
)
class RegulationViewSet(mixins.CreateModelMixin, PortalViewSet):
    serializer_class = serializers.RegulationSerializer
    parser_classes = [BoundedJSONParser, BoundedFormParser]

    def get_queryset(self):
        funds = Fund.objects.visible_to(self.request.user)
        return (
            Regulation.objects.filter(fund__in=funds)
            .select_related("residence_unit")
            .prefetch_related("criteria")
            .order_by("fund", "-effective_from")
        )

    def create(self, request):
        data = parse(
            serializers.AddRegulationSerializer(
                data=request.data, funds=Fund.objects.visible_to(request.user)
            )
        )
        fund = data.pop("fund")
        if not regulations.adopts_regulations(request.user, fund):
            raise PermissionDenied
        criteria = [(row["name"], row["weight"]) for row in data.pop("criteria")]
        regulation = regulations.add_regulation(fund=fund, by=request.user, criteria=criteria, **data)
        regulation = get_object_or_404(self.get_queryset(), pk=regulation.pk)
        return Response(self.get_serializer(regulation).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["fund"])
@extend_schema_view(
    list=extend_schema(
        operation_id="fund_contributions_list",
        summary="Contributions pledged to the funds, latest first, with what was received",
        responses={
            200: serializers.ContributionSerializer(many=True),
            400: MALFORMED_PARAMETER,
            403: NOT_SIGNED_IN,
        },
    ),
    retrieve=extend_schema(
        operation_id="fund_contributions_retrieve",
        summary="One contribution with its receipts",
        responses={
            200: serializers.ContributionDetailSerializer,
            403: NOT_SIGNED_IN,
            404: CONTRIBUTION_OUTSIDE_SCOPE,
        },
    ),
    create=extend_schema(
        operation_id="fund_contributions_create",
        summary="Record a pledge to the fund (no money moves until it is received)",
        request=serializers.PledgeSerializer,
        responses={201: serializers.ContributionDetailSerializer, 400: REFUSED, 403: NOT_THE_FUNDS_OFFICER},
    ),
)
class ContributionViewSet(mixins.CreateModelMixin, PortalViewSet):
    parser_classes = [BoundedJSONParser, BoundedFormParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ContributionFilter

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.ContributionSerializer
        return serializers.ContributionDetailSerializer

    def get_queryset(self):
        contributions = (
            Contribution.objects.filter(fund__in=Fund.objects.visible_to(self.request.user))
            .annotate(received=Coalesce(Sum("receipts__amount", filter=STANDING_RECEIPT), 0))
            .order_by("-pledged_on", "-pk")
        )
        if self.action == "list":
            return contributions
        return contributions.prefetch_related(
            Prefetch("receipts", queryset=Receipt.objects.select_related("recorded_by"))
        )

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_serializer_context(self):
        return super().get_serializer_context() | ledger_context(self.request.user)

    def detail_response(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        contribution = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(self.get_serializer(contribution).data, status=status_code)

    def retrieve(self, request, pk: int):
        return self.detail_response(pk)

    def create(self, request):
        data = parse(
            serializers.PledgeSerializer(data=request.data, funds=Fund.objects.visible_to(request.user))
        )
        if not runs(request.user, data["fund"]):
            raise PermissionDenied
        contribution = capital.pledge(by=request.user, **data)
        return self.detail_response(contribution.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="fund_contributions_receipts_create",
        summary="Record money received against the pledge: one ledger posting and its receipt (a money "
        "request: Idempotency-Key)",
        parameters=[IDEMPOTENCY_KEY],
        request=serializers.ReceiveSerializer,
        responses={
            201: serializers.ReceiptSerializer,
            400: REFUSED,
            403: NOT_THE_FUNDS_OFFICER,
            404: CONTRIBUTION_OUTSIDE_SCOPE,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"], url_path="receipts", url_name="receipts")
    def receipts(self, request, pk: int):
        contribution = get_object_or_404(self.get_queryset().select_related("fund"), pk=pk)
        if not runs(request.user, contribution.fund):
            raise PermissionDenied
        data = parse(serializers.ReceiveSerializer(data=request.data))

        def receive() -> Response:
            receipt = capital.receive(contribution=contribution, by=request.user, **data)
            receipt = Receipt.objects.select_related("recorded_by").get(pk=receipt.pk)
            return Response(serializers.ReceiptSerializer(receipt).data, status=status.HTTP_201_CREATED)

        return once(request, action="fund.receive", data=data, ids={"contribution": pk}, work=receive)

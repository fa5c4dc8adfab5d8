"""The funds' ledgers in the API, read only: the transactions with their entries (by fund, kind,
accounting period and loan), and the accounts with their balances.

The fund's own officers read their fund's ledger, the council and the standing agency every fund's;
anyone else gets 403. Nothing here writes: money moves only through the services, behind the
decisions and the money requests of the other endpoints.
"""

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied

from fund.access import reads_ledger
from fund.api import serializers
from fund.api.base import NOT_A_LEDGER_READER, outside_scope
from fund.api.filters import AccountFilter, TransactionFilter
from fund.models import Account, Entry, Transaction
from portal.api.base import MALFORMED_PARAMETER, PortalViewSet

TRANSACTION_OUTSIDE_SCOPE = outside_scope("transaction")


@extend_schema(tags=["fund"])
@extend_schema_view(
    list=extend_schema(
        operation_id="fund_ledger_list",
        summary="The ledger's transactions with their entries, latest posted first",
        responses={
            200: serializers.TransactionSerializer(many=True),
            400: MALFORMED_PARAMETER,
            403: NOT_A_LEDGER_READER,
        },
    ),
    retrieve=extend_schema(
        operation_id="fund_ledger_retrieve",
        summary="One transaction with its entries",
        responses={
            200: serializers.TransactionSerializer,
            403: NOT_A_LEDGER_READER,
            404: TRANSACTION_OUTSIDE_SCOPE,
        },
    ),
)
class LedgerViewSet(PortalViewSet):
    serializer_class = serializers.TransactionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = TransactionFilter

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not reads_ledger(request.user):
            raise PermissionDenied

    def get_queryset(self):
        transactions = Transaction.objects.visible_to(self.request.user)
        if self.action == "balances":
            return Account.objects.filter(fund_id__in=transactions.values("fund_id")).order_by(
                "fund", "kind", "source", "loan"
            )
        return transactions.select_related("by").prefetch_related(
            Prefetch("entries", queryset=Entry.objects.select_related("account").order_by("pk"))
        )

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action in ("list", "balances") else queryset

    @extend_schema(
        operation_id="fund_ledger_balances",
        summary="The ledger's accounts and their balances (by fund and kind)",
        responses={
            200: serializers.AccountSerializer(many=True),
            400: MALFORMED_PARAMETER,
            403: NOT_A_LEDGER_READER,
        },
        filters=True,
    )
    @action(
        detail=False, methods=["get"], url_path="balances", url_name="balances", filterset_class=AccountFilter
    )
    def balances(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(serializers.AccountSerializer(page, many=True).data)

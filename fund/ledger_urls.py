"""The ledger's pages: a fund's transactions and balances, one transaction, closing a month."""

from django.urls import path

from fund.views import ledger

urlpatterns = [
    path("funds/<slug:slug>/ledger/", ledger.ledger_transactions, name="ledger_transactions"),
    path("funds/<slug:slug>/balances/", ledger.ledger_balances, name="ledger_balances"),
    path("funds/<slug:slug>/periods/close/", ledger.period_close, name="period_close"),
    path("fund-transactions/<int:pk>/", ledger.transaction_detail, name="transaction_detail"),
]

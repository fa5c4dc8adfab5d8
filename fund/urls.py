"""The fund's pages: funds, regulations and capital; applications and appraisal; loans, decisions and
the portfolio; the ledger; and the public disclosure of each fund."""

from django.urls import include, path

urlpatterns = [
    path("", include("fund.fund_urls")),
    path("", include("fund.application_urls")),
    path("", include("fund.loan_urls")),
    path("", include("fund.ledger_urls")),
    path("", include("fund.public_urls")),
]

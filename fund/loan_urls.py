"""Loans, two-person decisions and the portfolio."""

from django.urls import path

from fund.views import decisions, loans, portfolio

urlpatterns = [
    path("loans/", loans.loan_list, name="loan_list"),
    path("loans/<int:pk>/", loans.loan_detail, name="loan_detail"),
    path("loans/<int:pk>/repayments/", loans.loan_repayment, name="loan_repayment"),
    path("loans/<int:pk>/repayments/reverse/", loans.loan_repayment_reverse, name="loan_repayment_reverse"),
    path("loans/<int:pk>/tranches/evidence/", loans.tranche_evidence, name="tranche_evidence"),
    path("loans/<int:pk>/tranches/review/", loans.tranche_review, name="tranche_review"),
    path("loans/<int:pk>/tranches/release/", loans.tranche_release, name="tranche_release"),
    *(
        path(f"loans/<int:pk>/propose/{change}/", loans.loan_change, {"change": change}, name=f"loan_{name}")
        for change, name in (
            ("extension", "extension"),
            ("freeze", "freeze"),
            ("recall", "recall"),
            ("write-off", "write_off"),
        )
    ),
    path(
        "loan-applications/<int:pk>/propose/", decisions.decision_propose_loan, name="decision_propose_loan"
    ),
    path("decisions/", decisions.decision_list, name="decision_list"),
    path("decisions/<int:pk>/", decisions.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/approve/", decisions.decision_approve, name="decision_approve"),
    path("decisions/<int:pk>/reject/", decisions.decision_reject, name="decision_reject"),
    path("decisions/<int:pk>/withdraw/", decisions.decision_withdraw, name="decision_withdraw"),
    path("portfolio/", portfolio.portfolio, name="portfolio"),
]

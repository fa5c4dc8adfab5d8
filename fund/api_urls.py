"""The fund's API routes, under /api/v1/ in the ``api`` namespace (portal/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from fund.api.applications import LoanApplicationViewSet
from fund.api.decisions import DecisionViewSet
from fund.api.funds import ContributionViewSet, FundViewSet, RegulationViewSet
from fund.api.ledger import LedgerViewSet
from fund.api.loans import LoanViewSet

router = SimpleRouter(use_regex_path=False)
router.register("funds", FundViewSet, basename="fund")
router.register("fund-regulations", RegulationViewSet, basename="fund-regulation")
router.register("fund-contributions", ContributionViewSet, basename="fund-contribution")
router.register("loan-applications", LoanApplicationViewSet, basename="loan-application")
router.register("loans", LoanViewSet, basename="loan")
router.register("fund-decisions", DecisionViewSet, basename="fund-decision")
router.register("fund-ledger", LedgerViewSet, basename="fund-ledger-transaction")

urlpatterns = router.urls

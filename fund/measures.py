"""The fund's measures a unit can have an annual target for (portal/target_measures.py): loans approved,
money released to borrowers and capital raised (received, of every source contributed)."""

from django.utils.translation import gettext_lazy as _

from portal.target_measures import Measure

LOANS_APPROVED = "fund_loans_approved"
MONEY_DISBURSED = "fund_money_disbursed"
CAPITAL_RAISED = "fund_capital_raised"

MEASURES = [
    Measure(LOANS_APPROVED, _("startup fund loans approved")),
    Measure(MONEY_DISBURSED, _("money released by the startup fund (đồng)")),
    Measure(CAPITAL_RAISED, _("capital raised by the startup fund (đồng)")),
]

"""What the fund says before one of its dossiers is decided (found by dossiers through portal.plugins).

A fund-loan dossier is decided only once its application is: approved (the loan exists) or refused.
The decision step names what is missing."""

from django.utils.translation import gettext as _

from dossiers.catalogue import FUND_LOAN
from dossiers.models import Dossier
from fund.models import LoanApplication, Status


def decision_blockers(dossier: Dossier) -> list[str]:
    if dossier.procedure.code != FUND_LOAN:
        return []
    application = LoanApplication.objects.filter(dossier=dossier).first()
    if application is None:
        return [_("fill in the loan application")]
    if application.status in (Status.APPROVED, Status.REFUSED):
        return []
    if application.status == Status.APPRAISING:
        return [_("the fund appraises the loan application and recommends")]
    return [_("the fund approves the loan (two officers) or refuses the application")]

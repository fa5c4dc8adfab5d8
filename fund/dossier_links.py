"""What the fund holds on dossiers (found by dossiers.selectors.links_of through portal.plugins): the
loan application of each fund-loan dossier the reader sees, and for the applicant of such a dossier
without one yet, the way to fill it in; in one query."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from dossiers.catalogue import FUND_LOAN
from dossiers.models import Dossier
from fund.models import LoanApplication


def links(user, dossier_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    if not getattr(user, "is_authenticated", False):
        return {}
    readable = Q(loan_application__in=LoanApplication.objects.visible_to(user).values("pk"))
    to_fill = Q(
        applicant__user=user,
        procedure__code=FUND_LOAN,
        status__in=Dossier.OPEN_STATUSES,
        loan_application__isnull=True,
    )
    rows = Dossier.objects.filter(readable | to_fill, pk__in=dossier_ids).values_list(
        "pk", "loan_application"
    )
    new = reverse("application_new")
    return {
        dossier_id: [
            (_("Loan application"), reverse("application_detail", args=[application_id]))
            if application_id
            else (_("Fill in the loan application"), f"{new}?dossier={dossier_id}")
        ]
        for dossier_id, application_id in rows
    }

"""What the tests of the officials' dossier pages share (tests/dossiers/test_dossier_pages.py,
test_dossier_page_actions.py, test_dossier_reassignment.py, test_inquiry_pages.py): the state a page
may change, the codes a queue lists, the queries of any signed-in page.
"""

import datetime

from dossiers.models import Dossier, DossierDocument, DossierEvent, Inquiry, SupplementRequest
from portal.models import AuditRecord, Notification

Status = Dossier.Status
D = datetime.date


def dossier_state():
    """Everything a dossier page may change."""
    return (
        sorted(
            Dossier.objects.values_list(
                "pk",
                "status",
                "handling_team_id",
                "due_date",
                "apology_issued_at",
                "closing_reason",
                "result",
            )
        ),
        sorted(DossierDocument.objects.values_list("pk", "review", "review_reason")),
        sorted(Inquiry.objects.values_list("pk", "reply", "replied_at")),
        DossierEvent.objects.count(),
        SupplementRequest.objects.count(),
        Notification.objects.count(),
        AuditRecord.objects.count(),
    )


def codes(response) -> list[str]:
    return [dossier.code for dossier in response.context["page"]]

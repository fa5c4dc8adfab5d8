"""A tranche's evidence: the borrower (or the fund on their behalf) submits the receipts or the progress
report the milestone asks for; a fund officer accepts or rejects it. Only accepted evidence lets the
tranche's release be proposed and approved."""

from django.db import transaction
from django.utils.translation import gettext as _

from fund.access import runs
from fund.models import Tranche
from portal.models import User
from portal.refusals import Refused

EVIDENCE_LIMIT = Tranche._meta.get_field("evidence").max_length


def _is_borrower(user: User, tranche: Tranche) -> bool:
    return tranche.loan.borrower.user_id == user.pk


@transaction.atomic
def submit_evidence(*, tranche: Tranche, by: User, evidence: str) -> Tranche:
    tranche = (
        Tranche.objects.select_for_update().select_related("loan__fund", "loan__borrower").get(pk=tranche.pk)
    )
    if not (_is_borrower(by, tranche) or runs(by, tranche.loan.fund)):
        raise Refused(
            _("Only the borrower or the fund's officers submit a tranche's evidence."), code="not_writable"
        )
    if tranche.released_on or tranche.evidence_state == Tranche.Evidence.ACCEPTED:
        raise Refused(_("This tranche's evidence is already accepted."), code="evidence_done", conflict=True)
    evidence = (evidence or "").strip()
    if not evidence:
        raise Refused(
            _("Describe the evidence: the receipts or the progress report."), code="evidence_required"
        )
    if len(evidence) > EVIDENCE_LIMIT:
        raise Refused(_("The evidence is too long."), code="too_long")
    tranche.evidence = evidence
    tranche.evidence_state = Tranche.Evidence.SUBMITTED
    tranche.reviewed_by = None
    tranche.review_note = ""
    tranche.save(update_fields=["evidence", "evidence_state", "reviewed_by", "review_note"])
    return tranche


@transaction.atomic
def review_evidence(*, tranche: Tranche, by: User, accepted: bool, note: str = "") -> Tranche:
    tranche = Tranche.objects.select_for_update().select_related("loan__fund").get(pk=tranche.pk)
    if not runs(by, tranche.loan.fund):
        raise Refused(_("Only the fund's officers review evidence."), code="not_writable")
    if tranche.evidence_state != Tranche.Evidence.SUBMITTED:
        raise Refused(_("There is no submitted evidence to review."), code="no_evidence", conflict=True)
    note = (note or "").strip()
    if not accepted and not note:
        raise Refused(_("Say what is wrong with the evidence."), code="reason_required")
    tranche.evidence_state = Tranche.Evidence.ACCEPTED if accepted else Tranche.Evidence.REJECTED
    tranche.reviewed_by = by
    tranche.review_note = note[:500]
    tranche.save(update_fields=["evidence_state", "reviewed_by", "review_note"])
    return tranche

"""Documents of dossiers: upload, once-only reuse, review."""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Document, Dossier, DossierDocument, Requirement
from portal.models import User
from portal.models.people import today
from portal.refusals import Refused
from portal.uploads import check_upload

# A document can be given while the applicant prepares or completes the dossier.
OPEN_FOR_DOCUMENTS = frozenset({Dossier.Status.NEW, Dossier.Status.SUPPLEMENT_REQUESTED})


def _valid_until(requirement: Requirement, given_on: datetime.date) -> datetime.date | None:
    months = requirement.document_kind.validity_months
    return given_on + relativedelta(months=months) if months else None


@transaction.atomic
def attach_document(
    *, dossier: Dossier, requirement: Requirement, upload: UploadedFile, by: User
) -> DossierDocument:
    """Check the file by content and size, store it under a generated name, give it for ``requirement``.

    A document given earlier for the same requirement and not yet accepted is replaced.
    """
    if dossier.status not in OPEN_FOR_DOCUMENTS or not (
        dossier.is_draft or dossier.status == Dossier.Status.SUPPLEMENT_REQUESTED
    ):
        raise Refused(
            _("Documents can be added to a draft or when a supplement is requested."), conflict=True
        )
    if requirement.version_id != dossier.procedure_version_id:
        raise Refused(_("This document is not one the dossier's procedure asks for."))
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        raise Refused(error.messages[0]) from error
    replaced = dossier.documents.filter(requirement=requirement).exclude(
        review=DossierDocument.Review.REJECTED
    )
    if replaced.filter(review=DossierDocument.Review.ACCEPTED).exists():
        raise Refused(_("This document has already been accepted."), conflict=True)
    replaced.delete()
    document = Document.objects.create(
        applicant=dossier.applicant,
        kind=requirement.document_kind,
        file=upload,
        original_name=checked.name[:200],
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=by,
        valid_until=_valid_until(requirement, today()),
    )
    return DossierDocument.objects.create(dossier=dossier, requirement=requirement, document=document)


def reuse_documents(*, dossier: Dossier) -> list[DossierDocument]:
    """Once-only: give the dossier each still-valid document of a required kind the applicant gave before."""
    reused = []
    given = set(dossier.documents.values_list("requirement_id", flat=True))
    for requirement in dossier.procedure_version.requirements.all():
        if requirement.pk in given:
            continue
        earlier = (
            Document.objects.valid_on(today())
            .filter(applicant=dossier.applicant, kind_id=requirement.document_kind_id)
            .order_by("-uploaded_at")
            .first()
        )
        if earlier:
            reused.append(
                DossierDocument.objects.create(
                    dossier=dossier, requirement=requirement, document=earlier, is_reused=True
                )
            )
    return reused


@transaction.atomic
def review_document(*, use: DossierDocument, by: User, accepted: bool, reason: str = "") -> DossierDocument:
    """Accept a document, or reject it with the reason the applicant will read."""
    reason = reason.strip()
    if not accepted and not reason:
        raise Refused(_("Say why the document is rejected."))
    use = DossierDocument.objects.select_for_update().get(pk=use.pk)
    if use.review == DossierDocument.Review.REJECTED:
        # A new document may already stand for the requirement; the applicant gives another one.
        raise Refused(_("This document was rejected; the applicant gives a new one."), conflict=True)
    use.review = DossierDocument.Review.ACCEPTED if accepted else DossierDocument.Review.REJECTED
    use.review_reason = reason
    use.reviewed_by = by
    use.reviewed_at = timezone.now()
    use.save(update_fields=["review", "review_reason", "reviewed_by", "reviewed_at"])
    return use

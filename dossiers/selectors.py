"""Reads about dossiers that more than one page or service needs."""

from dossiers.models import Dossier, DossierDocument, Requirement


def live_documents(dossier: Dossier) -> dict[int, DossierDocument]:
    """requirement id -> the dossier's document for it that was not rejected."""
    uses = dossier.documents.exclude(review=DossierDocument.Review.REJECTED).select_related("document")
    return {use.requirement_id: use for use in uses}


def missing_requirements(dossier: Dossier) -> list[Requirement]:
    """The mandatory documents of the dossier's procedure version that it lacks (or that were rejected)."""
    given = live_documents(dossier)
    return [
        requirement
        for requirement in dossier.procedure_version.requirements.select_related("document_kind")
        if requirement.is_mandatory and requirement.pk not in given
    ]

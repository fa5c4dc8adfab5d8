"""Reads about dossiers that more than one page or service needs."""

from collections import defaultdict

from dossiers.models import Dossier, DossierDocument, Requirement
from portal.plugins import app_modules


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


def links_of(user, dossier_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """dossier id -> (label, address) of what the apps hold on it that ``user`` sees: the project a
    dossier belongs to, the conversion case it supports. Each app says its part in
    ``<app>.dossier_links.links(user, dossier_ids)``, in one query; none when there is no dossier."""
    if not dossier_ids:
        return {}
    links: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for module in app_modules("dossier_links"):
        for dossier_id, found in module.links(user, dossier_ids).items():
            links[dossier_id].extend(found)
    return dict(links)

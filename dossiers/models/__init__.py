from dossiers.models.documents import Document, DossierDocument
from dossiers.models.dossiers import Applicant, Deadline, Dossier, DossierEvent, SupplementRequest
from dossiers.models.inquiries import Inquiry
from dossiers.models.procedures import DocumentKind, Procedure, ProcedureVersion, Requirement

__all__ = [
    "Applicant",
    "Deadline",
    "Document",
    "DocumentKind",
    "Dossier",
    "DossierDocument",
    "DossierEvent",
    "Inquiry",
    "Procedure",
    "ProcedureVersion",
    "Requirement",
    "SupplementRequest",
]

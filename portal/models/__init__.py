from portal.models.activities import Activity, ActivityAttachment, Target
from portal.models.audit import AuditRecord
from portal.models.calendar import CalendarDay
from portal.models.documents import Document, DossierDocument
from portal.models.dossiers import Applicant, Dossier, DossierEvent, SupplementRequest
from portal.models.inquiries import Inquiry
from portal.models.notifications import Notification
from portal.models.people import Membership, Team, User
from portal.models.policies import Entitlement, PolicyDocument
from portal.models.procedures import DocumentKind, Procedure, ProcedureVersion, Requirement
from portal.models.units import AdminUnit

__all__ = [
    "Activity",
    "ActivityAttachment",
    "AdminUnit",
    "Applicant",
    "AuditRecord",
    "CalendarDay",
    "Document",
    "DocumentKind",
    "Dossier",
    "DossierDocument",
    "DossierEvent",
    "Entitlement",
    "Inquiry",
    "Membership",
    "Notification",
    "PolicyDocument",
    "Procedure",
    "ProcedureVersion",
    "Requirement",
    "SupplementRequest",
    "Target",
    "Team",
    "User",
]

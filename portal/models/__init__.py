from portal.models.audit import AuditRecord
from portal.models.people import Membership, Team, User
from portal.models.units import AdminUnit

__all__ = ["AdminUnit", "AuditRecord", "Membership", "Team", "User"]

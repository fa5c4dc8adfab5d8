from portal.models.audit import AuditRecord
from portal.models.calendar import CalendarDay
from portal.models.figures import DailyFigure, StockDay
from portal.models.notifications import Notification
from portal.models.people import Membership, Team, User
from portal.models.targets import Target
from portal.models.tokens import ApiToken
from portal.models.units import AdminUnit

__all__ = [
    "AdminUnit",
    "ApiToken",
    "AuditRecord",
    "CalendarDay",
    "DailyFigure",
    "Membership",
    "Notification",
    "StockDay",
    "Target",
    "Team",
    "User",
]

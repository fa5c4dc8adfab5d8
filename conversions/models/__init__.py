from conversions.models.cases import (
    STAGE_ORDER,
    Conversion,
    ConversionStep,
    Outcome,
    OutcomeChange,
    OutcomeReason,
    Stage,
)
from conversions.models.followups import EntitlementGrant, FollowUpVisit, VisitSchedule
from conversions.models.registry import LUMP_SUM_ENDS, HouseholdBusiness, HouseholdBusinessImport

__all__ = [
    "LUMP_SUM_ENDS",
    "STAGE_ORDER",
    "Conversion",
    "ConversionStep",
    "EntitlementGrant",
    "FollowUpVisit",
    "HouseholdBusiness",
    "HouseholdBusinessImport",
    "Outcome",
    "OutcomeChange",
    "OutcomeReason",
    "Stage",
    "VisitSchedule",
]

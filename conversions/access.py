"""Who reads and changes the registry and the conversion cases: outside scope is 404, read-only 403."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from conversions.models import Conversion, FollowUpVisit, HouseholdBusiness, HouseholdBusinessImport
from portal.models import AdminUnit, Team
from portal.scope import scope_for

# The teams that keep the registry and follow the cases: the commune's, and the standing agency
# above it. The fund and the council read them and change nothing.
KEEPING_KINDS = frozenset({Team.Kind.COMMUNE_TEAM, Team.Kind.DISTRICT_TEAM, Team.Kind.STANDING_AGENCY})


def keeps_a_registry(user) -> bool:
    """An officer of an active team that keeps some commune's registry."""
    scope = scope_for(user)
    return bool(scope.writable_unit_ids) and bool(scope.active_team_kinds & KEEPING_KINDS)


def can_change(user, unit_id: int) -> bool:
    """Officers of an active team that keeps the registry where ``unit_id`` lies."""
    return keeps_a_registry(user) and unit_id in scope_for(user).writable_unit_ids


def sets_schedule(user) -> bool:
    """The standing agency sets the follow-up schedule."""
    return Team.Kind.STANDING_AGENCY in scope_for(user).active_team_kinds


def kept_communes(user) -> QuerySet[AdminUnit]:
    """The communes and wards whose registry ``user`` keeps, their former ones included."""
    scope = scope_for(user)
    if not scope.active_team_kinds & KEEPING_KINDS:
        return AdminUnit.objects.none()
    return AdminUnit.objects.communes_written_by(user)


def sees_owner_data(user, business: HouseholdBusiness) -> bool:
    """The owner's personal data shows whole to the owner and to who keeps the record (the commune's
    team, or the standing agency above it); to everyone else who reads it, the council included, masked."""
    return business.owner.user_id == user.pk or can_change(user, business.unit_id)


def _checked(user, row, unit_id: int, for_write: bool):
    if for_write and not can_change(user, unit_id):
        raise PermissionDenied
    return row


def get_household_business_for_user(user, pk: int, *, for_write: bool = False) -> HouseholdBusiness:
    business = get_object_or_404(
        HouseholdBusiness.objects.visible_to(user).select_related("owner", "unit"), pk=pk
    )
    return _checked(user, business, business.unit_id, for_write)


def get_conversion_for_user(user, pk: int, *, for_write: bool = False) -> Conversion:
    conversion = get_object_or_404(
        Conversion.objects.visible_to(user).select_related(
            "household_business__owner", "unit", "dossier", "opened_by"
        ),
        pk=pk,
    )
    return _checked(user, conversion, conversion.unit_id, for_write)


def get_visit_for_user(user, pk: int, *, for_write: bool = False) -> FollowUpVisit:
    visit = get_object_or_404(
        FollowUpVisit.objects.visible_to(user).select_related(
            "conversion__household_business", "conversion__unit"
        ),
        pk=pk,
    )
    return _checked(user, visit, visit.conversion.unit_id, for_write)


def get_import_for_user(user, pk: int, *, for_write: bool = False) -> HouseholdBusinessImport:
    upload = get_object_or_404(HouseholdBusinessImport.objects.visible_to(user).select_related("unit"), pk=pk)
    return _checked(user, upload, upload.unit_id, for_write)

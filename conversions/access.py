"""Who reads and changes the registry and the conversion cases: outside scope is 404, read-only 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from conversions.models import Conversion, FollowUpVisit, HouseholdBusiness, HouseholdBusinessImport
from portal.scope import scope_for


def can_change(user, unit_id: int) -> bool:
    """Officers of an active team that acts there: the commune team, or the standing agency above it."""
    return unit_id in scope_for(user).writable_unit_ids


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

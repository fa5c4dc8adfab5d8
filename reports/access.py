"""Who may do what with review reports: outside scope is 404, visible but not allowed is 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from portal.models import Team
from portal.scope import scope_for
from reports.models import ReviewReport

# The standing agency runs the programme: it writes the lessons learned and makes a report final.
EDITING_KINDS = frozenset({Team.Kind.STANDING_AGENCY})
# Who may ask for a report on demand, for the units they may write to.
REQUESTING_KINDS = frozenset({Team.Kind.STANDING_AGENCY, Team.Kind.DISTRICT_TEAM, Team.Kind.COMMUNE_TEAM})


def may_request_reports(user) -> bool:
    return bool(scope_for(user).active_team_kinds & REQUESTING_KINDS)


def can_request_report(user, unit) -> bool:
    return may_request_reports(user) and unit.pk in scope_for(user).writable_unit_ids


def can_edit_report(user, report: ReviewReport) -> bool:
    """The standing agency writes the lessons learned of a built report until it is final."""
    scope = scope_for(user)
    return (
        report.is_ready
        and not report.is_final
        and bool(scope.active_team_kinds & EDITING_KINDS)
        and report.unit_id in scope.writable_unit_ids
    )


def get_report_for_user(user, pk: int, *, for_edit: bool = False) -> ReviewReport:
    report = get_object_or_404(
        ReviewReport.objects.visible_to(user).select_related("unit", "requested_by", "finalised_by"), pk=pk
    )
    if for_edit and not can_edit_report(user, report):
        raise PermissionDenied
    return report

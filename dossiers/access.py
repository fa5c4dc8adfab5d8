"""Who may do what with a dossier: outside scope is 404, visible but not allowed is 403.

The two rules every page, the API, the slips and the exports read: who processes a dossier
(``can_process``) and who sees its applicant's personal data whole (``sees_personal_data``). The
council and its boards oversee: they read every filed dossier of the province, process none and see
personal data masked (portal/scope.py). A draft is its applicant's, and the officer's who filed it at
the desk, until it is filed: nobody else finds it (``Dossier.objects.visible_to``), so it is 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from dossiers.models import Applicant, Dossier, Inquiry
from portal.scope import scope_for


def is_applicant_of(user, dossier: Dossier) -> bool:
    """The applicant's own account, or the officer who filed on their behalf."""
    return dossier.applicant.user_id == user.pk or dossier.filed_by_id == user.pk


def can_process(user, dossier: Dossier) -> bool:
    """Members of the handling team process a dossier; so may the standing agency, in scope.

    Only units a person writes to count, so the council and its boards, which write nowhere, process
    nothing; nor does a member of a team that has ended."""
    scope = scope_for(user)
    if dossier.unit_id not in scope.writable_unit_ids:
        return False
    return scope.manages_teams or dossier.handling_team_id in scope.team_ids


def get_dossier_for_user(
    user, pk: int, *, for_processing: bool = False, for_applicant: bool = False, queryset=None
) -> Dossier:
    """The dossier if the user sees it (else 404), and may act on it as asked (else 403).

    ``queryset`` (of dossiers, e.g. annotated) is narrowed to what the user sees.
    """
    queryset = Dossier.objects.all() if queryset is None else queryset
    dossier = get_object_or_404(
        queryset.visible_to(user).select_related(
            "applicant", "procedure", "procedure_version", "unit", "handling_team", "filed_by"
        ),
        pk=pk,
    )
    if for_processing and not can_process(user, dossier):
        raise PermissionDenied
    if for_applicant and not is_applicant_of(user, dossier):
        raise PermissionDenied
    return dossier


def sees_personal_data(user, dossier: Dossier) -> bool:
    """The applicant's personal data (portal/personal_data.py) shows whole to the applicant (or who filed
    for them) and to the dossier's processors; to everyone else who reads the dossier, the council
    included, it shows masked."""
    return is_applicant_of(user, dossier) or can_process(user, dossier)


def can_reply(user, inquiry: Inquiry) -> bool:
    """The dossier's processors answer an inquiry, and so does the team it was escalated to."""
    if can_process(user, inquiry.dossier):
        return True
    scope = scope_for(user)
    return inquiry.team_id in scope.team_ids and inquiry.dossier.unit_id in scope.writable_unit_ids


def applicants_for_filing(user) -> QuerySet[Applicant]:
    """Whom ``user`` may file a dossier for: themselves, and as an officer the applicants of their units."""
    if not getattr(user, "is_authenticated", False):
        return Applicant.objects.none()
    return Applicant.objects.filter(Q(user=user) | Q(unit_id__in=scope_for(user).writable_unit_ids))

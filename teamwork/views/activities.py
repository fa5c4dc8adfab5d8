"""The teams' activities: record one from a phone, list them, read one and its files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.models import AdminUnit, Team
from portal.models.units import subtree_unit_ids
from portal.pages import attempt
from portal.paging import ListPaginator
from portal.scope import scope_for
from teamwork.access import get_activity_for_user, recording_teams
from teamwork.filters import ActivityFilter
from teamwork.forms import ActivityForm
from teamwork.models import Activity, ActivityAttachment
from teamwork.services import record_activity

PAGE_SIZE = 50


def _activity_form(request, teams: list[Team]) -> ActivityForm:
    root_ids = {team.unit_id for team in teams}
    district_roots = {team.unit_id for team in teams if team.kind == Team.Kind.DISTRICT_TEAM}
    units = (
        AdminUnit.objects.current()
        .filter(pk__in=subtree_unit_ids(root_ids))
        .select_related("parent")
        .in_vietnamese_order()
    )
    supported_teams = Team.objects.filter(
        kind=Team.Kind.COMMUNE_TEAM, unit_id__in=subtree_unit_ids(district_roots)
    ).in_vietnamese_order()
    initial = {"kind": request.GET.get("kind", "")}
    return ActivityForm(
        request.POST or None,
        request.FILES or None,
        teams=Team.objects.filter(pk__in=[team.pk for team in teams]).in_vietnamese_order(),
        units=units,
        supported_teams=supported_teams,
        initial=initial,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request):
    teams = list(recording_teams(request.user))
    if not teams:
        raise PermissionDenied  # only members of an active team record its work
    form = _activity_form(request, teams)
    if request.method == "POST":
        activity = attempt(
            form,
            lambda data: record_activity(
                team=data["team"],
                by=request.user,
                kind=data["kind"],
                held_on=data["held_on"],
                unit=data["unit"],
                people_reached=data["people_reached"],
                topics=data["topics"],
                notes=data["notes"],
                channel=data["channel"],
                mass_organisation=data["mass_organisation"],
                mass_organisation_other=data["mass_organisation_other"],
                supported_team=data["supported_team"],
                review_kind=data["review_kind"],
                lessons_learned=data["lessons_learned"],
                counterpart=data["counterpart"],
                attachment=data["file"] or None,
            ),
        )
        if activity is not None:
            messages.success(request, _("The activity has been recorded."))
            return redirect("activity_detail", pk=activity.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "teamwork/activities/new.html", {"form": form}, status=status)


@login_required
@require_GET
def activity_list(request):
    activities = Activity.objects.visible_to(request.user).select_related("team", "unit")
    filters = ActivityFilter(request.GET or None, queryset=activities, request=request)
    activities = filters.qs  # a value that does not parse is left out, and named: status 400
    page = ListPaginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "teamwork/activities/list.html",
        {"form": filters.form, "page": page, "can_record": bool(scope_for(request.user).active_team_kinds)},
        status=400 if filters.is_bound and not filters.is_valid() else 200,
    )


@login_required
@require_GET
def activity_detail(request, pk: int):
    activity = get_activity_for_user(request.user, pk)
    return render(
        request,
        "teamwork/activities/detail.html",
        {"activity": activity, "attachments": list(activity.attachments.all())},
    )


@login_required
@require_GET
def activity_attachment(request, pk: int):
    """The stored file, to someone who sees its activity; nothing tells others it exists."""
    attachment = get_object_or_404(
        ActivityAttachment.objects.filter(activity__in=Activity.objects.visible_to(request.user)), pk=pk
    )
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

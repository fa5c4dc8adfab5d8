from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.access import can_edit_team, get_team_for_user
from portal.forms import AddMemberForm, SetHeadForm, TeamSearchForm
from portal.models import AuditRecord, Membership, Team, User
from portal.models.people import today
from portal.pages import attempt
from portal.paging import ListPaginator
from portal.services import teams as services


@login_required
def team_list(request):
    form = TeamSearchForm(request.GET or None)
    teams = (
        Team.objects.visible_to(request.user)
        .select_related("unit", "head")
        .annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
        .in_vietnamese_order()
    )
    if form.is_valid():
        teams = teams.search(form.cleaned_data["q"])
    page = ListPaginator(teams, 50).get_page(request.GET.get("page"))
    status = 400 if form.is_bound and not form.is_valid() else 200
    context = {"form": form, "page": page, "today": today()}
    return render(request, "portal/team_list.html", context, status=status)


def _current_members(team: Team):
    return User.objects.filter(
        pk__in=Membership.objects.active_on(today()).filter(team=team).values("user_id")
    ).order_by("full_name", "username")


@login_required
def team_detail(request, pk: int):
    return _team_page(request, get_team_for_user(request.user, pk))


def _team_page(
    request, team: Team, *, add_member_form=None, set_head_form=None, refusals=(), status: int = 200
):
    """The team page; a refused form comes back with its errors and its input, nothing changed."""
    is_editable = can_edit_team(request.user, team)
    if is_editable:
        add_member_form = add_member_form or AddMemberForm()
        set_head_form = set_head_form or SetHeadForm(
            members=_current_members(team), initial={"head": team.head_id}
        )
    context = {
        "team": team,
        "memberships": team.memberships.select_related("user").order_by("left_on", "user__full_name"),
        "is_editable": is_editable,
        "add_member_form": add_member_form,
        "set_head_form": set_head_form,
        "history": AuditRecord.objects.history_of(team).select_related("actor", "content_type")[:50],
        "refusals": refusals,
    }
    return render(request, "portal/team_detail.html", context, status=status)


@login_required
@require_POST
def team_add_member(request, pk: int):
    team = get_team_for_user(request.user, pk, for_write=True)
    form = AddMemberForm(request.POST)
    membership = attempt(
        form, lambda data: services.add_member(team=team, user=data["username"], position=data["position"])
    )
    if membership is None:
        return _team_page(request, team, add_member_form=form, status=400)
    messages.success(request, _("%(user)s has joined the team.") % {"user": membership.user})
    return redirect("team_detail", pk=team.pk)


@login_required
@require_POST
def team_end_membership(request, pk: int, membership_pk: int):
    team = get_team_for_user(request.user, pk, for_write=True)
    membership = get_object_or_404(team.memberships.select_related("user"), pk=membership_pk)
    form = forms.Form(request.POST)
    if attempt(form, lambda data: services.end_membership(membership=membership)) is None:
        return _team_page(request, team, refusals=form.non_field_errors(), status=400)
    messages.success(request, _("%(user)s has left the team.") % {"user": membership.user})
    return redirect("team_detail", pk=team.pk)


@login_required
@require_POST
def team_set_head(request, pk: int):
    team = get_team_for_user(request.user, pk, for_write=True)
    form = SetHeadForm(request.POST, members=_current_members(team))
    if attempt(form, lambda data: services.set_team_head(team=team, head=data["head"])) is None:
        return _team_page(request, team, set_head_form=form, status=400)
    head = form.cleaned_data["head"]
    messages.success(request, _("The head of the team is now %(user)s.") % {"user": head})
    return redirect("team_detail", pk=team.pk)

"""The officials' queue of dossiers, and handing dossiers to another team.

The queue filters through ``DossierFilter`` (dossiers/filters.py), as the API does; an official's
list leaves drafts out (``listed_for``). An applicant who opens it sees the dossiers they filed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dossiers.access import can_process
from dossiers.deadlines import badge_of, page_calendar
from dossiers.filters import NOT_HANDLING_KINDS, DossierFilter, ordering
from dossiers.forms.officials import ReassignForm
from dossiers.models import Deadline, Dossier
from dossiers.models.dossiers import deadline_conditions
from dossiers.services.dossiers import reassign_dossiers
from dossiers.views.desk import may_file_at_desk
from portal.bounds import parse_id
from portal.models import Team
from portal.models.people import today
from portal.pages import attempt
from portal.paging import Kept, ListPaginator
from portal.scope import scope_for

PAGE_SIZE = 50


def _reassign_teams(user):
    return (
        Team.objects.visible_to(user)
        .active_on(today())
        .exclude(kind__in=NOT_HANDLING_KINDS)
        .in_vietnamese_order()
    )


@login_required
def dossier_list(request):
    """Officials: the queue of the dossiers in their scope. Applicants: the dossiers they filed."""
    if not scope_for(request.user).readable_unit_ids:
        return _own_dossiers(request)
    return _queue_page(request, request.GET)


def _own_dossiers(request):
    dossiers = (
        Dossier.objects.visible_to(request.user)
        .submitted()
        .select_related("procedure", "handling_team")
        .order_by("-submitted_at", "-pk")
    )
    page = ListPaginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossiers/list.html", {"page": page, "is_official": False})


def _queue_page(request, params: QueryDict, *, reassign_form=None, selected=(), status: int = 200):
    user = request.user
    day = today()
    dossiers = Dossier.objects.visible_to(user).listed_for(user)
    filters = DossierFilter(params, queryset=dossiers, request=request)
    # The tabs count within every other filter; then the chosen tab narrows the list.
    narrowed = filters.narrowed(dossiers, leave_out=("status", "deadline", "order"))
    if filters.form.errors and status == 200:
        status = 400  # a filter that does not parse is left out, and named
    chosen = filters.form.cleaned_data
    chosen_status, chosen_deadline = chosen.get("status") or "", chosen.get("deadline") or ""
    calendar = page_calendar(day)
    conditions = deadline_conditions(day, calendar=calendar)
    tallies = Kept.of(_tallies(narrowed, conditions), list)

    def listed(*, fresh: bool) -> int:  # the rows of the chosen tab and pill
        return _counts(tallies.value(fresh=fresh), chosen_status, chosen_deadline)[3]

    if chosen_status:
        narrowed = narrowed.filter(status=chosen_status)
    if chosen_deadline:
        narrowed = narrowed.filter(conditions[chosen_deadline])
    order = "due" if chosen_deadline else chosen.get("order") or "newest"
    dossiers = (
        narrowed.with_deadline(day, calendar=calendar)
        .order_by(*ordering(order, user))
        .select_related("procedure", "applicant", "unit", "handling_team")
    )
    # The rows of the chosen tab and pill are counted with the tabs: no second scan of the scope.
    page = ListPaginator(dossiers, PAGE_SIZE, counted=listed).get_page(params.get("page"))
    status_tabs, deadline_pills, total, _ = _counts(tallies.value(), chosen_status, chosen_deadline)
    for dossier in page:
        dossier.badge = badge_of(dossier, day, calendar)
    may_reassign = bool(scope_for(user).active_team_kinds)
    if may_reassign and reassign_form is None:
        reassign_form = ReassignForm(teams=_reassign_teams(user))
    context = {
        "is_official": True,
        "form": filters.form,
        "page": page,
        "status_tabs": status_tabs,
        "deadline_pills": deadline_pills,
        "total": total,
        "chosen_status": chosen_status,
        "chosen_deadline": chosen_deadline,
        "reassign_form": reassign_form if may_reassign else None,
        "may_file_at_desk": may_file_at_desk(user),
        "selected": {str(pk) for pk in selected},
        "params": params,
        "query": params.urlencode(),
        "today": day,
    }
    return render(request, "dossiers/list.html", context, status=status)


def _tallies(dossiers, conditions: dict):
    """One grouped query: per status, all the dossiers and those of each deadline's pill."""
    return (
        dossiers.values("status")
        .annotate(
            total=Count("pk"),
            **{flag: Count("pk", filter=condition) for flag, condition in conditions.items()},
        )
        .order_by()
    )


def _counts(tallies: list[dict], chosen_status: str, chosen_deadline: str):
    """The tabs' and pills' counts: of every tab (in the chosen pill), and of the rows listed (in the
    chosen tab and pill)."""
    rows = {row["status"]: row for row in tallies}
    column = chosen_deadline or "total"
    status_tabs = [
        (value, label, rows[value][column] if value in rows else 0)
        for value, label in Dossier.Status.choices
        if value in rows or value == chosen_status
    ]
    in_status = [row for status, row in rows.items() if not chosen_status or status == chosen_status]
    deadline_pills = [(flag, label, sum(row[flag] for row in in_status)) for flag, label in Deadline.choices]
    total = sum(row[column] for row in rows.values())
    return status_tabs, deadline_pills, total, sum(row[column] for row in in_status)


@login_required
@require_POST
def dossier_reassign(request):
    user = request.user
    params = QueryDict(request.POST.get("query", ""))
    form = ReassignForm(request.POST, teams=_reassign_teams(user))
    form.is_valid()
    try:
        ids = {parse_id(value) for value in request.POST.getlist("dossiers")}
    except ValidationError:
        form.add_error(None, _("Choose the dossiers from the list."))
        return _queue_page(request, params, reassign_form=form, status=400)
    dossiers = list(
        Dossier.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("procedure", "unit", "handling_team")
    )
    if len(dossiers) != len(ids):
        raise Http404
    if not all(can_process(user, dossier) for dossier in dossiers):
        raise PermissionDenied
    if not dossiers:
        form.add_error(None, _("Choose at least one dossier."))
    moved = attempt(form, lambda data: reassign_dossiers(dossiers=dossiers, team=data["team"], by=user))
    if moved is None:
        return _queue_page(request, params, reassign_form=form, selected=ids, status=400)
    messages.success(
        request,
        ngettext("%(count)s dossier handed to %(team)s.", "%(count)s dossiers handed to %(team)s.", moved)
        % {"count": moved, "team": form.cleaned_data["team"]},
    )
    return redirect(f"{reverse('dossier_list')}?{params.urlencode()}")

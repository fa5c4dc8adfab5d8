"""The poverty-escape pages: the commune's lists of poor and near-poor households, a household put on a
list, the plans with their progress, a plan written (from a phone) and revised while a draft, its page
with its milestones, approval and yearly reviews.

Every page starts from ``visible_to``: a household or plan outside the user's scope is 404, one they read
but may not change is 403 (projects/access.py). A change a rule refuses comes back on the same page with
its message, status 400, what was typed kept and nothing written (``portal.pages.attempt``). The head's
CCCD, phone and income show whole to the team that keeps the commune and to the head; masked to the rest.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dossiers.catalogue import POVERTY_ESCAPE
from dossiers.models import Dossier
from dossiers.services.applicants import Person
from portal.bounds import parse_whole_number
from portal.models.people import today
from portal.pages import attempt, refuse_parameters
from portal.paging import ListPaginator, rows_of
from portal.personal_data import personal_details
from portal.refusals import Refused
from projects.access import can_change, get_plan_for_user, keeps_projects, kept_communes
from projects.forms.plans import BLANK_ROWS_ON_EDIT as BLANK_ROWS
from projects.forms.plans import (
    ROWS,
    ApproveForm,
    HouseholdForm,
    HouseholdListingFilter,
    HouseholdParameterForm,
    PlanForm,
    PovertyPlanFilter,
    ReviewForm,
    YearField,
    late_milestone_exists,
    latest_review_result,
    row_formset,
    with_open_plan,
)
from projects.models import HouseholdListing, PovertyPlan, ProjectDossier
from projects.services import plans as services

PAGE_SIZE = 50


def sees_household(user, listing: HouseholdListing) -> bool:
    """The head's CCCD, phone and income show whole to who keeps the commune and to the head."""
    return listing.head.user_id == user.pk or can_change(user, listing.unit_id)


def _household_details(user, listing: HouseholdListing) -> dict:
    whole = sees_household(user, listing)
    return {
        "personal": personal_details(listing.head, whole=whole),
        "income_shown": whole,
    }


# --- The commune's lists ---------------------------------------------------------------------------------


@login_required
@require_GET
def household_list(request):
    user = request.user
    listings = with_open_plan(
        HouseholdListing.objects.visible_to(user).select_related("unit", "head", "standard")
    )
    filters = HouseholdListingFilter(request.GET or None, queryset=listings, request=request)
    listings = filters.qs.order_by("-year", "unit__sort_name", "household_code", "pk")
    page = ListPaginator(listings, PAGE_SIZE).get_page(request.GET.get("page"))
    for listing in page:
        listing.details = _household_details(user, listing)
        listing.may_plan = listing.open_plan_id is None and can_change(user, listing.unit_id)
    context = {"form": filters.form, "page": page, "can_list": keeps_projects(user)}
    return render(
        request,
        "projects/plans/household_list.html",
        context,
        status=400 if filters.is_bound and not filters.is_valid() else 200,
    )


def _year_asked(request) -> int | None:
    """The year of ``?year=``, to show its standard before the form is filled; None if absent or wrong."""
    try:
        return YearField(required=False).clean(request.GET.get("year"))
    except ValidationError:
        return None


def _standard_of(year) -> tuple:
    """The standard in force for ``year``'s list, or the refusal that says there is none."""
    if year is None:
        return None, ""
    try:
        return services.standard_for_year(year), ""
    except Refused as refusal:
        return None, str(refusal)


@login_required
@require_http_methods(["GET", "POST"])
def household_new(request):
    if not keeps_projects(request.user):
        raise PermissionDenied  # only a team that keeps a commune's projects writes its lists
    units = kept_communes(request.user)
    form = HouseholdForm(request.POST or None, units=units)
    if request.method == "POST":
        listing = attempt(
            form,
            lambda data: services.list_household(
                by=request.user,
                head=Person(
                    full_name=data["head_name"],
                    national_id=data["head_national_id"].strip(),
                    phone=data["head_phone"],
                ),
                **form.listing_fields(),
            ),
        )
        if listing is not None:
            messages.success(
                request,
                _("Household %(code)s is on the %(year)s list.")
                % {"code": listing.household_code, "year": listing.year},
            )
            return redirect(f"{reverse('household_list')}?year={listing.year}")
        year = form.cleaned_data.get("year")
    else:
        year = _year_asked(request) or today().year
        form.fields["year"].initial = year
    standard, no_standard = _standard_of(year)
    context = {"form": form, "standard": standard, "no_standard": no_standard, "year": year}
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/plans/household_form.html", context, status=status)


# --- The plans -------------------------------------------------------------------------------------------


@login_required
@require_GET
def poverty_plan_list(request):
    user = request.user
    day = today()
    plans = PovertyPlan.objects.visible_to(user)
    filters = PovertyPlanFilter(request.GET or None, queryset=plans, request=request)
    # A value that does not parse is left out, and named.
    ordered = filters.qs.only("pk", "starts_on").order_by("-starts_on", "-pk")
    page = ListPaginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    # Whether each plan is behind and its latest review, for the page's rows only (computed in the
    # ordered query, SQLite would work them out for every plan before sorting).
    page.object_list = rows_of(
        page.object_list,
        PovertyPlan.objects.select_related("project__unit", "household__head").annotate(
            is_behind=late_milestone_exists(day), latest_result=latest_review_result()
        ),
    )
    context = {"form": filters.form, "page": page, "can_plan": keeps_projects(user)}
    return render(
        request,
        "projects/plans/list.html",
        context,
        status=400 if filters.is_bound and not filters.is_valid() else 200,
    )


def _formsets(data=None, *, plan: PovertyPlan | None = None) -> dict:
    """The rows of the plan: blank ones for a new plan, the plan's own and a blank one on a revision."""
    if data is not None or plan is None:
        return {kind: row_formset(kind, data) for kind in ROWS}
    initial = {
        "fundings": [{"source": row.source, "amount": row.amount} for row in plan.fundings.all()],
        "inputs": [
            {"description": row.description, "value": row.value, "given_by": row.given_by}
            for row in plan.inputs.all()
        ],
        "milestones": [
            {"title": row.title, "due_on": row.due_on, "supporter": row.supporter}
            for row in plan.milestones.all()
        ],
    }
    return {kind: row_formset(kind, initial=initial[kind], extra=BLANK_ROWS) for kind in ROWS}


def _with_a_row_added(request) -> tuple[dict, str | None]:
    """The posted data, with one more blank row of the kind whose "add a row" button was pressed."""
    kind = request.POST.get("add_row")
    if kind not in ROWS:
        return request.POST, None
    data = request.POST.copy()
    key = f"{kind}-TOTAL_FORMS"
    try:
        total = parse_whole_number(data.get(key), minimum=0, maximum=services.MAX_ROWS)
    except ValidationError:  # a count tampered with: the formset says so
        return request.POST, kind
    data[key] = str(min(total + 1, services.MAX_ROWS))
    return data, kind


def _write_plan(request, *, form: PlanForm, formsets: dict, change):
    """Run ``change(rows)`` when the plan and all its rows are valid; a refusal lands on the plan's form."""
    if not all(formset.is_valid() for formset in formsets.values()):
        form.is_valid()
        return None
    return attempt(form, lambda data: change({kind: formset.rows() for kind, formset in formsets.items()}))


@login_required
@require_http_methods(["GET", "POST"])
def poverty_plan_new(request):
    """A plan for the household of ``?household=<id>``, which the user keeps (400 when the id does not
    parse, 404 outside scope, 403 read-only)."""
    parameters = HouseholdParameterForm(request.GET)
    if not parameters.is_valid():
        return refuse_parameters(request, parameters)
    household = get_object_or_404(
        HouseholdListing.objects.visible_to(request.user).select_related("unit", "head", "standard"),
        pk=parameters.cleaned_data["household"],
    )
    if not can_change(request.user, household.unit_id):
        raise PermissionDenied
    data, added = _with_a_row_added(request) if request.method == "POST" else (None, None)
    form = PlanForm(
        data,
        with_project=True,
        initial={"name": _("Poverty escape – household %(code)s") % {"code": household.household_code}},
    )
    formsets = _formsets(data)
    if request.method == "POST" and added is None:
        plan = _write_plan(
            request,
            form=form,
            formsets=formsets,
            change=lambda rows: services.open_plan(
                by=request.user,
                household=household,
                name=form.cleaned_data["name"],
                sector=form.cleaned_data["sector"],
                on=today(),
                **rows,
                **form.plan_fields(),
            ),
        )
        if plan is not None:
            messages.success(
                request, _("The plan has been written; the commune team approves it when complete.")
            )
            return redirect("poverty_plan_detail", pk=plan.pk)
    context = {
        "form": form,
        "formsets": formsets,
        "household": household,
        "details": _household_details(request.user, household),
        "plan": None,
    }
    status = 400 if request.method == "POST" and added is None else 200
    return render(request, "projects/plans/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def poverty_plan_edit(request, pk: int):
    plan = get_plan_for_user(request.user, pk, for_write=True)
    data, added = _with_a_row_added(request) if request.method == "POST" else (None, None)
    initial = {name: getattr(plan, name) for name in PlanForm.PLAN_FIELDS}
    form = PlanForm(data, with_project=False, initial=initial)
    formsets = _formsets(data, plan=plan)
    if request.method == "POST" and added is None:
        revised = _write_plan(
            request,
            form=form,
            formsets=formsets,
            change=lambda rows: services.revise_plan(
                plan=plan, by=request.user, **rows, **form.plan_fields()
            ),
        )
        if revised is not None:
            messages.success(request, _("The plan has been revised."))
            return redirect("poverty_plan_detail", pk=plan.pk)
    context = {
        # An approved plan is not rewritten (the service refuses): its milestones change on visits.
        "form": None if plan.is_approved else form,
        "formsets": formsets,
        "household": plan.household,
        "details": _household_details(request.user, plan.household),
        "plan": plan,
    }
    status = 400 if request.method == "POST" and added is None else 200
    return render(request, "projects/plans/form.html", context, status=status)


# --- A plan's page, its approval and its reviews ------------------------------------------------------------


@login_required
@require_GET
def poverty_plan_detail(request, pk: int):
    return _plan_page(request, get_plan_for_user(request.user, pk))


def _plan_page(request, plan: PovertyPlan, *, approve=None, review=None, status: int = 200):
    user = request.user
    day = today()
    milestones = list(plan.milestones.all())
    for milestone in milestones:
        milestone.is_late = milestone.is_late_on(day)
    fundings = list(plan.fundings.all())
    inputs = list(plan.inputs.all())
    may_change = can_change(user, plan.project.unit_id)
    links = list(
        ProjectDossier.objects.filter(project=plan.project, dossier__procedure__code=POVERTY_ESCAPE)
        .select_related("dossier")
        .order_by("pk")
    )
    visible = (
        set(
            Dossier.objects.visible_to(user)
            .filter(pk__in=[link.dossier_id for link in links])
            .values_list("pk", flat=True)
        )
        if links
        else set()
    )
    context = {
        "plan": plan,
        "project": plan.project,
        "household": plan.household,
        "details": _household_details(user, plan.household),
        "milestones": milestones,
        "late_count": sum(milestone.is_late for milestone in milestones),
        "fundings": fundings,
        "funded": sum(row.amount for row in fundings),
        "inputs": inputs,
        "gaps": [] if plan.is_approved else services.plan_gaps(plan),
        "dossiers": [(link.dossier, link.dossier_id in visible) for link in links],
        "reviews": list(plan.reviews.select_related("by")),
        "can_change": may_change,
        "approve_form": (approve or ApproveForm()) if may_change and not plan.is_approved else None,
        "review_form": (review or ReviewForm()) if may_change and plan.is_approved else None,
        # A refusal of a form the page no longer offers (approved meanwhile) shows on its own.
        "refusals": [
            error
            for bound, offered in ((approve, not plan.is_approved), (review, plan.is_approved))
            if bound is not None and not (may_change and offered)
            for error in bound.non_field_errors()
        ],
        "today": day,
    }
    return render(request, "projects/plans/detail.html", context, status=status)


@login_required
@require_POST
def poverty_plan_approve(request, pk: int):
    plan = get_plan_for_user(request.user, pk, for_write=True)
    form = ApproveForm(request.POST)
    approved = attempt(form, lambda data: services.approve_plan(plan=plan, by=request.user, on=data["on"]))
    if approved is None:
        return _plan_page(request, get_plan_for_user(request.user, pk), approve=form, status=400)
    messages.success(request, _("The plan has been approved."))
    return redirect("poverty_plan_detail", pk=plan.pk)


@login_required
@require_POST
def poverty_plan_review(request, pk: int):
    plan = get_plan_for_user(request.user, pk, for_write=True)
    form = ReviewForm(request.POST)
    reviewed = attempt(
        form,
        lambda data: services.record_review(
            plan=plan,
            by=request.user,
            year=data["year"],
            result=data["result"],
            on=data["reviewed_on"],
            note=data["note"],
        ),
    )
    if reviewed is None:
        return _plan_page(request, get_plan_for_user(request.user, pk), review=form, status=400)
    messages.success(request, _("The %(year)s review has been recorded.") % {"year": reviewed.year})
    return redirect("poverty_plan_detail", pk=plan.pk)

"""The conversion cases: the list with its stage tabs, a case's page and its steps, follow-up visits
(recorded from a phone), the visits due on the commune team's work list, and the follow-up schedule.

Every page starts from ``visible_to``: a case outside the user's scope is 404, one they see but may not
move is 403 (conversions/access.py). A step a rule refuses comes back on the same page with its
message, status 400, what was written kept and nothing changed (``portal.pages.attempt``). The owner
of the household business reads their own case, without forms.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conversions.access import (
    can_change,
    get_conversion_for_user,
    get_visit_for_user,
    sees_owner_data,
    sets_schedule,
)
from conversions.eligibility import judge_case
from conversions.filters import ConversionFilter
from conversions.forms.cases import (
    AdviseForm,
    CorrectForm,
    LinkDossierForm,
    OutcomeForm,
    RegisterForm,
    RescheduleForm,
    ScheduleForm,
    SkipForm,
    VisitForm,
)
from conversions.models import (
    STAGE_ORDER,
    Conversion,
    FollowUpVisit,
    OutcomeReason,
    Stage,
    VisitSchedule,
)
from conversions.services import cases as services
from conversions.services.followups import record_visit, reschedule_visit, set_visit_schedule, skip_visit
from dossiers.catalogue import CONVERSION_SUPPORT
from dossiers.models import Dossier
from portal.models.people import today
from portal.pages import attempt
from portal.paging import ListPaginator
from portal.personal_data import personal_details
from portal.scope import scope_for

PAGE_SIZE = 50
# The work list shows the open visits due within this many days, and the overdue ones.
DUE_WITHIN_DAYS = 14


# --- The list --------------------------------------------------------------------------------------------


@login_required
@require_GET
def conversion_list(request):
    cases = Conversion.objects.visible_to(request.user)
    filters = ConversionFilter(request.GET, queryset=cases, request=request)
    # The tabs count within every other filter, in one grouped query; then the chosen tab narrows the list.
    narrowed = filters.narrowed(cases, leave_out=("stage",))  # a value that does not parse is left out
    counts = dict(narrowed.order_by().values_list("stage").annotate(count=Count("pk")))
    chosen_stage = filters.form.cleaned_data.get("stage") or ""
    if chosen_stage:
        narrowed = narrowed.filter(stage=chosen_stage)
    cases = narrowed.select_related("household_business", "unit").order_by("household_business__name", "pk")
    page = ListPaginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": filters.form,
        "page": page,
        "stage_tabs": [(stage.value, stage.label, counts.get(stage.value, 0)) for stage in Stage],
        "total": sum(counts.values()),
        "chosen_stage": chosen_stage,
        "params": request.GET,
    }
    return render(request, "conversions/cases/list.html", context, status=200 if filters.is_valid() else 400)


# --- A case's page and its steps -------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A step an officer takes on the case page: its form and the service it calls."""

    title: str
    button: str
    form: type[forms.Form]
    stages: tuple[str, ...]  # the stages the case may be at for the page to offer it
    change: Callable  # (conversion, user, cleaned data) -> the case
    done: str


def _advise(conversion, user, data):
    return services.advise(conversion=conversion, by=user, on=data["on"], note=data["note"])


def _link(conversion, user, data):
    return services.link_dossier(
        conversion=conversion, dossier=data["dossier"], by=user, on=data["on"], note=data["note"]
    )


def _register(conversion, user, data):
    return services.register_enterprise(
        conversion=conversion,
        by=user,
        enterprise_code=data["enterprise_code"].strip(),
        enterprise_name=data["enterprise_name"],
        registered_on=data["registered_on"],
        insured_workers=data["insured_workers"],
        yearly_revenue=data["yearly_revenue"],
        capital=data["capital"],
        note=data["note"],
    )


def _outcome(conversion, user, data):
    return services.record_outcome(
        conversion=conversion,
        by=user,
        outcome=data["outcome"],
        since=data["since"],
        reasons=list(data["reasons"]),
        note=data["note"],
    )


def _correct(conversion, user, data):
    return services.correct_step(conversion=conversion, by=user, on=data["on"], reason=data["reason"])


REGISTERED_STAGES = (Stage.REGISTERED, Stage.FOLLOWED_UP, Stage.OUTCOME)
# In the order the page offers them; the services say whether the step is allowed now.
ACTIONS: dict[str, Action] = {
    "advise": Action(
        gettext_lazy("Record the advice"),
        gettext_lazy("Record the advice"),
        AdviseForm,
        (Stage.IDENTIFIED,),
        _advise,
        gettext_lazy("The advice has been recorded."),
    ),
    "link-dossier": Action(
        gettext_lazy("Link the conversion-support dossier"),
        gettext_lazy("Link the dossier"),
        LinkDossierForm,
        (Stage.ADVISED,),
        _link,
        gettext_lazy("The dossier has been linked to the case."),
    ),
    "register": Action(
        gettext_lazy("Record the enterprise registration"),
        gettext_lazy("Record the registration"),
        RegisterForm,
        (Stage.FILED,),
        _register,
        gettext_lazy(
            "The registration has been recorded: the entitlements of that day are granted and the "
            "follow-up visits scheduled."
        ),
    ),
    "outcome": Action(
        gettext_lazy("Record the enterprise's state"),
        gettext_lazy("Record the state"),
        OutcomeForm,
        REGISTERED_STAGES,
        _outcome,
        gettext_lazy("The enterprise's state has been recorded."),
    ),
    "correct": Action(
        gettext_lazy("Correct the last step"),
        gettext_lazy("Undo the last step"),
        CorrectForm,
        (Stage.ADVISED, Stage.FILED, Stage.REGISTERED),
        _correct,
        gettext_lazy("The last step has been undone; the correction is recorded."),
    ),
}


def _owner_dossiers(user, conversion: Conversion):
    """The owner's filed conversion-support dossiers the officer sees and no case has taken yet."""
    return (
        Dossier.objects.visible_to(user)
        .submitted()
        .filter(
            procedure__code=CONVERSION_SUPPORT,
            applicant_id=conversion.household_business.owner_id,
            conversion__isnull=True,
        )
        .order_by("-submitted_at", "-pk")
    )


def _action_form(name: str, user, conversion: Conversion, data=None) -> forms.Form:
    action = ACTIONS[name]
    if action.form is LinkDossierForm:
        return LinkDossierForm(data, dossiers=_owner_dossiers(user, conversion))
    return action.form(data)


@dataclass(frozen=True)
class StageMark:
    stage: str
    label: str
    is_reached: bool
    is_current: bool
    step: object  # the step that reached it (the latest one that was not undone), or None


@login_required
@require_GET
def conversion_detail(request, pk: int):
    return _case_page(request, get_conversion_for_user(request.user, pk))


def _case_page(request, conversion: Conversion, *, bound: dict | None = None, status: int = 200):
    """The case's page; ``bound`` holds a refused form to show again, by its action's name."""
    bound = bound or {}
    user = request.user
    day = today()
    business = conversion.household_business
    steps = list(conversion.steps.select_related("by"))
    reaching = {step.stage: step for step in steps if not step.is_correction}  # the latest per stage
    current = STAGE_ORDER.index(conversion.stage)
    stage_bar = [
        StageMark(
            stage.value,
            stage.label,
            index <= current,
            index == current,
            reaching.get(stage.value) if index <= current else None,
        )
        for index, stage in enumerate(Stage)
    ]
    visits = list(conversion.visits.select_related("recorded_by"))
    for visit in visits:
        visit.is_overdue = visit.is_overdue_on(day)
    outcomes = list(conversion.outcomes.select_related("by").order_by("since", "pk"))
    for change in outcomes:
        change.reason_labels = [
            OutcomeReason(reason).label for reason in change.reasons if reason in OutcomeReason
        ]
    _judged_on, judgement = judge_case(conversion, day)
    may_change = can_change(user, conversion.unit_id)
    actions = []
    if may_change:
        actions = [
            (name, action, bound.get(name) or _action_form(name, user, conversion))
            for name, action in ACTIONS.items()
            if conversion.stage in action.stages
        ]
    dossier = conversion.dossier
    shown = {name for name, _action, _form in actions}
    context = {
        "conversion": conversion,
        "business": business,
        "personal": personal_details(business.owner, whole=sees_owner_data(user, business)),
        "is_owner": business.owner.user_id == user.pk,
        "stage_bar": stage_bar,
        "steps": steps,
        "dossier": dossier,
        "dossier_visible": dossier is not None
        and Dossier.objects.visible_to(user).filter(pk=dossier.pk).exists(),
        "judgement": judgement,
        "is_registered_judgement": conversion.registered_on is not None,
        "entitlements": list(conversion.entitlements.select_related("entitlement")),
        "visits": visits,
        "outcomes": outcomes,
        "can_change": may_change,
        "actions": actions,
        "today": day,
        # A refused step the page does not offer now (out of order) is shown on its own, above the page.
        "refusals": [
            error for name, form in bound.items() if name not in shown for error in form.non_field_errors()
        ],
    }
    return render(request, "conversions/cases/detail.html", context, status=status)


@login_required
@require_POST
def conversion_act(request, pk: int, action: str):
    step = ACTIONS.get(action)
    if step is None:
        raise Http404
    conversion = get_conversion_for_user(request.user, pk, for_write=True)
    form = _action_form(action, request.user, conversion, request.POST)
    changed = attempt(form, lambda data: step.change(conversion, request.user, data))
    if changed is None:
        conversion = get_conversion_for_user(request.user, pk)
        return _case_page(request, conversion, bound={action: form}, status=400)
    messages.success(request, str(step.done))
    return redirect("conversion_detail", pk=conversion.pk)


# --- Follow-up visits ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def conversion_visit(request, pk: int):
    """Record a follow-up: short, for a phone. Once recorded or skipped, the visit is shown as it was."""
    visit = get_visit_for_user(request.user, pk, for_write=request.method == "POST")
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        done = attempt(
            form,
            lambda data: record_visit(
                visit=visit,
                by=request.user,
                done_on=data["done_on"],
                channel=data["channel"],
                finding=data["finding"],
                actions=data["actions"],
                next_step=data["next_step"],
                attachment=data["file"] or None,
            ),
        )
        if done is not None:
            messages.success(request, _("The follow-up has been recorded."))
            return redirect("conversion_detail", pk=visit.conversion_id)
    return _visit_page(request, visit, form=form, status=400 if request.method == "POST" else 200)


def _visit_page(request, visit: FollowUpVisit, *, form=None, reschedule=None, skip=None, status: int = 200):
    may_change = visit.is_open and can_change(request.user, visit.conversion.unit_id)
    context = {
        "visit": visit,
        "conversion": visit.conversion,
        "is_overdue": visit.is_overdue_on(today()),
        "form": (form or VisitForm()) if may_change else None,
        "reschedule_form": (reschedule or RescheduleForm()) if may_change else None,
        "skip_form": (skip or SkipForm()) if may_change else None,
        "refusals": [
            error
            for bound in (form, reschedule, skip)
            if bound is not None and not may_change
            for error in bound.non_field_errors()
        ],
    }
    return render(request, "conversions/cases/visit.html", context, status=status)


@login_required
@require_POST
def conversion_visit_reschedule(request, pk: int):
    visit = get_visit_for_user(request.user, pk, for_write=True)
    form = RescheduleForm(request.POST)
    moved = attempt(
        form,
        lambda data: reschedule_visit(
            visit=visit, by=request.user, due_on=data["due_on"], reason=data["reason"]
        ),
    )
    if moved is None:
        return _visit_page(request, visit, reschedule=form, status=400)
    messages.success(request, _("The visit has been moved to %(day)s.") % {"day": f"{moved.due_on:%d/%m/%Y}"})
    return redirect("conversion_detail", pk=visit.conversion_id)


@login_required
@require_POST
def conversion_visit_skip(request, pk: int):
    visit = get_visit_for_user(request.user, pk, for_write=True)
    form = SkipForm(request.POST)
    skipped = attempt(form, lambda data: skip_visit(visit=visit, by=request.user, reason=data["reason"]))
    if skipped is None:
        return _visit_page(request, visit, skip=form, status=400)
    messages.success(request, _("The visit has been skipped; the reason is recorded."))
    return redirect("conversion_detail", pk=visit.conversion_id)


@login_required
@require_GET
def conversion_visit_attachment(request, pk: int):
    """The visit's photo or document, to who reads its case; nothing tells others it exists."""
    visit = get_visit_for_user(request.user, pk)
    if not visit.attachment:
        raise Http404
    try:
        handle = visit.attachment.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=visit.attachment_name or "tep")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def conversion_visit_list(request):
    """The commune team's work list: open visits overdue or due within 14 days, the earliest first."""
    scope = scope_for(request.user)
    if not scope.readable_unit_ids:
        raise PermissionDenied  # a work list of the teams; an owner sees their visits on their case
    day = today()
    visits = (
        FollowUpVisit.objects.visible_to(request.user)
        .due_by(day + datetime.timedelta(days=DUE_WITHIN_DAYS))
        .select_related("conversion__household_business", "conversion__unit")
        .order_by("due_on", "pk")
    )
    page = ListPaginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    for visit in page:
        visit.is_overdue = visit.is_overdue_on(day)
        visit.can_record = can_change(request.user, visit.conversion.unit_id)
    context = {"page": page, "today": day, "within": DUE_WITHIN_DAYS}
    return render(request, "conversions/cases/visits.html", context)


# --- The follow-up schedule -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def conversion_schedule(request):
    """The follow-up schedule's versions; the standing agency adds one for enterprises registered later."""
    user = request.user
    if not scope_for(user).readable_unit_ids:
        raise PermissionDenied
    may_set = sets_schedule(user)
    form = ScheduleForm(request.POST or None) if may_set else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        schedule = attempt(
            form,
            lambda data: set_visit_schedule(
                by=user, effective_from=data["effective_from"], months=data["months"], note=data["note"]
            ),
        )
        if schedule is not None:
            messages.success(request, _("The follow-up schedule has been set."))
            return redirect("conversion_schedule")
    context = {
        "schedules": list(VisitSchedule.objects.select_related("created_by")),
        "in_force": VisitSchedule.objects.in_force_on(today()),
        "form": form,
    }
    return render(
        request, "conversions/cases/schedule.html", context, status=400 if request.method == "POST" else 200
    )

"""The projects: the list, a new project, a project's page with everything it got, its figures, its
steps and corrections, the supports given, the visits (recorded from a phone) and its dossiers.

Every page starts from ``Project.objects.visible_to``: a project outside the user's scope is 404, one
they see but may not change is 403 (projects/access.py). The founders (applicant accounts) and the
mentor assigned to the project read its page, without forms. A change a rule refuses comes back on the
same page with its message, status 400, what was written kept and nothing changed
(``portal.pages.attempt``).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dossiers.models import Dossier
from dossiers.selectors import links_of
from dossiers.services.applicants import Person
from portal.models import Team
from portal.models.people import today
from portal.pages import attempt
from portal.paging import ListPaginator
from portal.personal_data import personal_details
from projects import access
from projects.filters import ProjectFilter
from projects.forms.projects import (
    CorrectForm,
    LinkDossierForm,
    ProjectForm,
    StepForm,
    SupportForm,
    VisitForm,
)
from projects.models import (
    FORWARD_STAGES,
    ConflictOfInterest,
    Founder,
    Mentor,
    MentorAssignment,
    MentorSession,
    Milestone,
    MilestoneUpdate,
    PlanInput,
    PovertyPlan,
    Project,
    Stage,
    SuccessModel,
    Support,
    SupportKind,
)
from projects.services.projects import (
    PROJECT_PROCEDURES,
    correct_step,
    link_dossier,
    move_stage,
    register_project,
    update_project,
)
from projects.services.support import record_support, record_visit

PAGE_SIZE = 50
# The project's own fields on its forms, in the order they are shown.
RECORD_FIELDS = ("name", "kind", "sector", "unit", "summary", "registered_on", "stage")
FIGURE_FIELDS = (
    "capital_needed",
    "own_capital",
    "workers",
    "jobs_planned",
    "jobs_created",
    "jobs_women",
    "jobs_young",
)


# --- The list --------------------------------------------------------------------------------------------


@login_required
@require_GET
def project_list(request):
    user = request.user
    filters = ProjectFilter(request.GET or None, queryset=Project.objects.visible_to(user), request=request)
    lead = Founder.objects.filter(project=OuterRef("pk"), is_lead=True).values("person__full_name")[:1]
    last_support = Support.objects.filter(project=OuterRef("pk")).order_by("-given_on").values("given_on")[:1]
    projects = (
        filters.qs.select_related("unit")  # a value that does not parse is left out, and named
        .annotate(lead_founder=Subquery(lead), last_support_on=Subquery(last_support))
        .order_by("-registered_on", "-pk")
    )
    page = ListPaginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": filters.form, "page": page, "can_register": access.keeps_projects(user)}
    return render(
        request,
        "projects/projects/list.html",
        context,
        status=400 if filters.is_bound and not filters.is_valid() else 200,
    )


# --- A new project and its figures --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request):
    units = access.kept_communes(request.user)
    if not units:
        raise PermissionDenied  # only a team that keeps a commune's projects registers them
    form = ProjectForm(request.POST or None, units=units)
    if request.method == "POST":
        project = attempt(
            form,
            lambda data: register_project(
                by=request.user,
                founders=[Person(name, national_id, phone) for name, national_id, phone in form.founders()],
                address=data["address"],
                on=data["registered_on"],
                kind=data["kind"],
                unit=data["unit"],
                stage=data["stage"],
                **form.figure_fields(),
            ),
        )
        if project is not None:
            messages.success(request, _("The project has been registered."))
            return redirect("project_detail", pk=project.pk)
    return _form_page(request, form, None, status=400 if request.method == "POST" else 200)


def _form_page(request, form: ProjectForm, project: Project | None, *, status: int):
    context = {
        "form": form,
        "project": project,
        "record_fields": form.record_bound_fields(RECORD_FIELDS),
        "figure_fields": form.record_bound_fields(FIGURE_FIELDS),
    }
    return render(request, "projects/projects/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    project = access.get_project_for_user(request.user, pk, for_write=True)
    initial = {name: getattr(project, name) for name in ("name", "sector", "summary", *FIGURE_FIELDS)}
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST":
        changed = attempt(
            form, lambda data: update_project(project=project, by=request.user, **form.figure_fields())
        )
        if changed is not None:
            messages.success(request, _("The project's figures have been updated."))
            return redirect("project_detail", pk=project.pk)
    return _form_page(request, form, project, status=400 if request.method == "POST" else 200)


# --- A project's page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageMark:
    stage: str
    label: str
    is_reached: bool
    is_current: bool
    step: object  # the step that reached it (the latest one that was not undone), or None


# The page lists the latest supports and visits; the totals count them all.
SUPPORTS_SHOWN = 30
VISITS_SHOWN = 20


@dataclass
class SupportTotal:
    kind: str
    label: str
    count: int = 0
    hours: Decimal = Decimal("0")
    value: int = 0


def _stage_bar(project: Project, steps: list) -> list[StageMark]:
    reaching = {step.stage: step for step in steps if not step.is_correction}
    if project.stage == Stage.STOPPED:
        # Where it stopped: the last stage reached before the stop.
        forward = [step.stage for step in steps if step.stage != Stage.STOPPED]
        current = FORWARD_STAGES.index(forward[-1]) if forward else 0
    else:
        current = FORWARD_STAGES.index(project.stage)
    return [
        StageMark(
            stage.value,
            stage.label,
            index <= current,
            index == current and project.stage != Stage.STOPPED,
            reaching.get(stage.value) if index <= current else None,
        )
        for index, stage in enumerate(FORWARD_STAGES)
    ]


def _with_lateness(milestones, day: datetime.date) -> list:
    """The milestones, each marked ``is_late`` by the one rule (Milestone.is_late_on)."""
    milestones = list(milestones)
    for milestone in milestones:
        milestone.is_late = milestone.is_late_on(day)
    return milestones


def _support_totals(project: Project) -> list[SupportTotal]:
    """Every support of the project counted, by kind (one grouped query)."""
    grouped = {
        row["kind"]: row
        for row in project.supports.order_by()
        .values("kind")
        .annotate(count=Count("pk"), hours=Sum("hours"), value=Sum("value"))
    }
    return [
        SupportTotal(
            kind,
            SupportKind(kind).label,
            grouped[kind]["count"],
            grouped[kind]["hours"] or Decimal("0"),
            grouped[kind]["value"] or 0,
        )
        for kind in SupportKind.values
        if kind in grouped
    ]


def _founders_dossiers(user, founders: list[Founder]) -> QuerySet[Dossier]:
    """The founders' filed dossiers of the project's procedures that the officer sees and no project has
    taken yet."""
    return (
        Dossier.objects.visible_to(user)
        .submitted()
        .filter(
            procedure__code__in=PROJECT_PROCEDURES,
            applicant_id__in=[founder.person_id for founder in founders],
            project_links__isnull=True,
        )
        .select_related("procedure", "applicant")
        .order_by("-submitted_at", "-pk")
    )


@login_required
@require_GET
def project_detail(request, pk: int):
    return _project_page(request, access.get_project_for_user(request.user, pk))


def _project_page(request, project: Project, *, bound: dict | None = None, status: int = 200):
    """The project's page; ``bound`` holds a refused form to show again, by its name."""
    bound = bound or {}
    user = request.user
    may_change = access.can_change(user, project.unit_id)
    sees_personal_data = access.sees_personal_data(user, project)
    founders = list(project.founders.select_related("person"))
    for founder in founders:
        founder.personal = personal_details(founder.person, whole=sees_personal_data)
    steps = list(project.steps.select_related("by"))
    # The totals count every support; the lists show the latest (a busy project has hundreds).
    support_totals = _support_totals(project)
    supports = list(project.supports.select_related("team", "mentor", "by")[:SUPPORTS_SHOWN])
    visits = list(
        project.visits.select_related("by").prefetch_related(
            Prefetch("milestone_updates", queryset=MilestoneUpdate.objects.select_related("milestone"))
        )[: VISITS_SHOWN + 1]
    )
    dossier_links = list(project.dossier_links.select_related("dossier__procedure"))
    dossier_ids = [link.dossier_id for link in dossier_links]
    own_page = reverse("project_detail", args=[project.pk])
    held = links_of(user, dossier_ids)
    readable = set(Dossier.objects.visible_to(user).filter(pk__in=dossier_ids).values_list("pk", flat=True))
    for link in dossier_links:
        link.is_readable = link.dossier_id in readable
        link.held = [(label, url) for label, url in held.get(link.dossier_id, []) if url != own_page]

    plan = (
        PovertyPlan.objects.visible_to(user).filter(project=project).select_related("household__head").first()
    )
    own_mentor = access.mentor_of(user)
    forms = {}
    if may_change:
        if project.stage != Stage.STOPPED:
            forms["step"] = bound.get("step") or StepForm(project=project)
        if len(steps) > 1:
            forms["correct"] = bound.get("correct") or CorrectForm()
        linkable = _founders_dossiers(user, founders)
        if "link" in bound or linkable:
            forms["link"] = bound.get("link") or LinkDossierForm(dossiers=linkable)
    context = {
        "project": project,
        "founders": founders,
        "stage_bar": _stage_bar(project, steps),
        "steps": steps,
        "supports": supports,
        "support_totals": support_totals,
        "supports_count": sum(total.count for total in support_totals),
        "visits": visits[:VISITS_SHOWN],
        "more_visits": len(visits) > VISITS_SHOWN,
        "dossier_links": dossier_links,
        "forms": forms,
        "is_founder": any(founder.person.user_id == user.pk for founder in founders),
        # The panels' context (templates/projects/{plans,mentors,models}/_project_panel.html).
        "plan": plan,
        "milestones": _with_lateness(plan.milestones.all() if plan is not None else [], today()),
        "assignments": list(MentorAssignment.objects.filter(project=project).select_related("mentor")),
        "sessions": list(MentorSession.objects.filter(project=project).select_related("mentor")),
        "conflicts": list(ConflictOfInterest.objects.filter(project=project).select_related("mentor")),
        "success_model": SuccessModel.objects.visible_to(user).filter(project=project).first(),
        "can_change": may_change,
        "runs_programme": access.runs_programme(user),
        "confirms_models": access.confirms_models(user),
        "own_mentor": own_mentor,
        "is_assigned": access.is_assigned(own_mentor, project),
        "sees_personal_data": sees_personal_data,
        "today": today(),
        # A refused step the page does not offer now is shown on its own, above the page.
        "refusals": [
            error for name, form in bound.items() if name not in forms for error in form.non_field_errors()
        ],
    }
    return render(request, "projects/projects/detail.html", context, status=status)


def _act(request, pk: int, name: str, make_form: Callable, change: Callable, done: str):
    """Take a step from the project's page: done, back to the page; refused, the page again with 400."""
    user = request.user
    project = access.get_project_for_user(user, pk, for_write=True)
    form = make_form(project)
    changed = attempt(form, lambda data: change(project, data))
    if changed is None:
        return _project_page(request, access.get_project_for_user(user, pk), bound={name: form}, status=400)
    messages.success(request, done)
    return redirect("project_detail", pk=project.pk)


@login_required
@require_POST
def project_step(request, pk: int):
    return _act(
        request,
        pk,
        "step",
        lambda project: StepForm(request.POST, project=project),
        lambda project, data: move_stage(
            project=project,
            to=data["to"],
            by=request.user,
            on=data["on"],
            note=data["note"],
            stop_reason=data["stop_reason"],
        ),
        _("The step has been recorded."),
    )


@login_required
@require_POST
def project_correct(request, pk: int):
    return _act(
        request,
        pk,
        "correct",
        lambda project: CorrectForm(request.POST),
        lambda project, data: correct_step(
            project=project, by=request.user, on=data["on"], note=data["note"]
        ),
        _("The last step has been undone; the correction is recorded."),
    )


@login_required
@require_POST
def project_dossier_link(request, pk: int):
    def form(project):
        founders = list(project.founders.all())
        return LinkDossierForm(request.POST, dossiers=_founders_dossiers(request.user, founders))

    return _act(
        request,
        pk,
        "link",
        form,
        lambda project, data: link_dossier(project=project, dossier=data["dossier"], by=request.user),
        _("The dossier has been linked to the project."),
    )


# --- Supports and visits ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def project_support_new(request, pk: int):
    user = request.user
    project = access.get_project_for_user(user, pk, for_write=True)
    form = SupportForm(
        request.POST or None,
        teams=Team.objects.visible_to(user).active_on(today()).in_vietnamese_order(),
        mentors=Mentor.objects.visible_to(user),
    )
    if request.method == "POST":
        support = attempt(
            form,
            lambda data: record_support(
                project=project,
                by=user,
                kind=data["kind"],
                given_on=data["given_on"],
                team=data["team"],
                mentor=data["mentor"],
                organisation=data["organisation"],
                hours=data["hours"],
                value=data["value"],
                outcome=data["outcome"],
            ),
        )
        if support is not None:
            messages.success(request, _("The support has been recorded."))
            return redirect("project_detail", pk=project.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "projects/projects/support.html", {"form": form, "project": project}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_visit_new(request, pk: int):
    """Record a visit: short, for a phone; with an approved plan, what became of each open milestone."""
    user = request.user
    project = access.get_project_for_user(user, pk, for_write=True)
    milestones = list(
        Milestone.objects.visible_to(user)
        .filter(plan__project=project, plan__status=PovertyPlan.Status.APPROVED)
        .exclude(state=Milestone.State.DONE)
    )
    # The approved plan's inputs not handed over yet (a lazy queryset: read when the form shows them).
    pending = PlanInput.objects.filter(
        plan__project=project, plan__status=PovertyPlan.Status.APPROVED, given_on__isnull=True
    ).order_by("pk")
    form = VisitForm(request.POST or None, milestones=milestones, inputs=pending)
    if request.method == "POST":
        visit = attempt(
            form,
            lambda data: record_visit(
                project=project,
                by=user,
                visited_on=data["visited_on"],
                channel=data["channel"],
                note=data["note"],
                next_step=data["next_step"],
                findings=form.findings(),
                inputs_given=list(data.get("inputs_given", [])),
            ),
        )
        if visit is not None:
            messages.success(request, _("The visit has been recorded."))
            return redirect("project_detail", pk=project.pk)
    context = {"form": form, "project": project, "today": today()}
    return render(
        request, "projects/projects/visit.html", context, status=400 if request.method == "POST" else 200
    )

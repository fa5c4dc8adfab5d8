"""The mentors' pool: the list and a mentor's page, a mentor added or corrected, assignments to projects,
declared conflicts of interest and the sessions logged (from a phone).

Every page starts from ``visible_to``: officials see the pool, a mentor their own record; a mentor
signs in with their own account and sees only the projects assigned to them, so another project is
404 to them. The standing agency keeps the pool and assigns; a mentor (or the standing agency for
them) declares a conflict, after which the service refuses an assignment to that project; the
assigned mentor or the project's team logs a session. A refused change comes back on its page with
its message, status 400, nothing changed (``portal.pages.attempt``). A mentor's phone and e-mail
show whole to the standing agency and to the mentor; to everyone else masked.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.models import AdminUnit
from portal.models.people import today
from portal.models.units import in_subtree
from portal.pages import attempt
from portal.paging import ListPaginator
from portal.personal_data import mask, mask_email
from projects.access import (
    can_change,
    get_mentor_for_user,
    get_project_for_user,
    is_assigned,
    mentor_of,
    runs_programme,
)
from projects.forms.mentors import (
    AssignForm,
    ConflictForm,
    EndAssignmentForm,
    MentorFilterForm,
    MentorForm,
    SessionForm,
)
from projects.models import ConflictOfInterest, Mentor, MentorAssignment, MentorSession, Project
from projects.services import mentors as services

PAGE_SIZE = 50


def _shown_contacts(user, mentor: Mentor) -> None:
    """The mentor's phone and e-mail as ``user`` may see them, on ``mentor.shown_phone`` and
    ``mentor.shown_email``."""
    whole = runs_programme(user) or (mentor.user_id is not None and mentor.user_id == user.pk)
    mentor.shown_phone = mentor.phone if whole else mask(mentor.phone)
    mentor.shown_email = mentor.email if whole else mask_email(mentor.email)


def _pool_units(user, mentor: Mentor | None = None):
    """The units a mentor may cover: the current ones of the user's scope, and those already covered."""
    kept = Q(valid_until__isnull=True)
    if mentor is not None and mentor.pk is not None:
        kept |= Q(pk__in=mentor.units.values("pk"))
    return AdminUnit.objects.visible_to(user).filter(kept).in_vietnamese_order()


def _covering(unit: AdminUnit):
    """The ids of the mentors who cover ``unit``: a unit within it (or one it replaced), or a unit above it
    (a mentor of the district covers its communes)."""
    above = []
    parent_id = unit.parent_id
    while parent_id is not None and parent_id not in above:  # a province, a district: a query each
        above.append(parent_id)
        parent_id = AdminUnit.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    links = Mentor.units.through.objects.filter(
        Q(adminunit_id__in=in_subtree({unit.pk})) | Q(adminunit_id__in=above)
    )
    return links.values("mentor_id")


# --- The pool ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def mentor_list(request):
    user = request.user
    pool = Mentor.objects.visible_to(user)
    form = MentorFilterForm(
        request.GET or None, units=AdminUnit.objects.visible_to(user).in_vietnamese_order()
    )
    if form.is_valid():
        data = form.cleaned_data
        pool = pool.search(data["q"])
        if data["unit"] is not None:
            pool = pool.filter(pk__in=_covering(data["unit"]))
        if data["availability"]:
            pool = pool.filter(availability=data["availability"])
    pool = pool.annotate(
        open_assignments=Count("assignments", filter=Q(assignments__ended_on__isnull=True))
    ).prefetch_related("units")
    page = ListPaginator(pool.order_by("sort_name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    for mentor in page:
        _shown_contacts(user, mentor)
    context = {"form": form, "page": page, "can_add": runs_programme(user), "params": request.GET}
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "projects/mentors/list.html", context, status=status)


@login_required
@require_GET
def mentor_detail(request, pk: int):
    user = request.user
    mentor = get_mentor_for_user(user, pk)
    _shown_contacts(user, mentor)
    # The projects named here are those the reader sees; the mentor sees everything of their own record.
    own_record = mentor.user_id is not None and mentor.user_id == user.pk
    assignments = mentor.assignments.select_related("project__unit").order_by("-assigned_on", "-pk")
    sessions = mentor.sessions.select_related("project").order_by("-held_on", "-pk")
    conflicts = mentor.conflicts.select_related("project").order_by("-declared_on", "-pk")
    if not own_record:
        seen = Q(project__in=Project.objects.visible_to(user).values("pk"))
        assignments, sessions, conflicts = (
            assignments.filter(seen),
            sessions.filter(seen),
            conflicts.filter(seen),
        )
    context = {
        "mentor": mentor,
        "units": list(mentor.units.order_by("sort_name", "code")),
        "assignments": list(assignments),
        "sessions": list(sessions[:PAGE_SIZE]),
        "conflicts": list(conflicts),
        "can_edit": runs_programme(user),
        "own_record": own_record,
    }
    return render(request, "projects/mentors/detail.html", context)


def _mentor_form_page(request, mentor: Mentor | None):
    user = request.user
    if not runs_programme(user):
        raise PermissionDenied  # only the standing agency keeps the pool
    record = mentor or Mentor()
    initial = MentorForm.initial_of(mentor) if mentor is not None else {}
    form = MentorForm(request.POST or None, units=_pool_units(user, mentor), initial=initial)
    if request.method == "POST":
        saved = attempt(
            form,
            lambda data: services.save_mentor(by=user, mentor=form.fill(record), units=list(data["units"])),
        )
        if saved is not None:
            messages.success(request, _("The mentor has been saved in the pool."))
            return redirect("mentor_detail", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/mentors/form.html", {"form": form, "mentor": mentor}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def mentor_new(request):
    return _mentor_form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def mentor_edit(request, pk: int):
    return _mentor_form_page(request, get_mentor_for_user(request.user, pk, for_write=True))


# --- Assignments and conflicts -----------------------------------------------------------------------------


def _conflicts_of(project: Project) -> dict[int, str]:
    return dict(ConflictOfInterest.objects.filter(project=project).values_list("mentor_id", "reason"))


@login_required
@require_http_methods(["GET", "POST"])
def project_mentor_assign(request, pk: int):
    """The pool, conflicted mentors disabled with their reason; the service refuses them all the same."""
    user = request.user
    project = get_project_for_user(user, pk)
    if not runs_programme(user):
        raise PermissionDenied
    form = AssignForm(
        request.POST or None, pool=Mentor.objects.visible_to(user), conflicts=_conflicts_of(project)
    )
    if request.method == "POST":
        assignment = attempt(
            form,
            lambda data: services.assign_mentor(
                mentor=data["mentor"], project=project, by=user, on=data["on"]
            ),
        )
        if assignment is not None:
            messages.success(
                request, _("%(mentor)s now mentors this project.") % {"mentor": assignment.mentor.full_name}
            )
            return redirect("project_detail", pk=project.pk)
    context = {
        "project": project,
        "form": form,
        "current": list(
            project.mentor_assignments.filter(ended_on__isnull=True).select_related("mentor").order_by("pk")
        ),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/mentors/assign.html", context, status=status)


def _get_assignment_for_user(user, pk: int) -> MentorAssignment:
    """An assignment of a project ``user`` sees (else 404); only the standing agency ends it (else 403)."""
    assignment = get_object_or_404(
        MentorAssignment.objects.filter(
            project__in=Project.objects.visible_to(user).values("pk")
        ).select_related("mentor", "project"),
        pk=pk,
    )
    if not runs_programme(user):
        raise PermissionDenied
    return assignment


@login_required
@require_http_methods(["GET", "POST"])
def mentor_assignment_end(request, pk: int):
    assignment = _get_assignment_for_user(request.user, pk)
    form = EndAssignmentForm(request.POST or None)
    if request.method == "POST":
        ended = attempt(
            form, lambda data: services.end_assignment(assignment=assignment, by=request.user, on=data["on"])
        )
        if ended is not None:
            messages.success(request, _("The assignment has ended."))
            return redirect("project_detail", pk=assignment.project_id)
    context = {"assignment": assignment, "project": assignment.project, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/mentors/end.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def project_conflict_new(request, pk: int):
    """The mentor declares a conflict with a project they see; the standing agency declares one for a
    mentor of the pool."""
    user = request.user
    project = get_project_for_user(user, pk)
    own = mentor_of(user)
    programme = runs_programme(user)
    if own is None and not programme:
        raise PermissionDenied
    pool = Mentor.objects.visible_to(user) if programme else None
    form = ConflictForm(request.POST or None, pool=pool)
    if request.method == "POST":
        conflict = attempt(
            form,
            lambda data: services.declare_conflict(
                mentor=data.get("mentor") or own,
                project=project,
                by=user,
                reason=data["reason"],
                on=data["on"],
            ),
        )
        if conflict is not None:
            messages.success(request, _("The conflict of interest has been recorded."))
            return redirect("project_detail", pk=project.pk)
    context = {"project": project, "form": form, "own_mentor": own if pool is None else None}
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/mentors/conflict.html", context, status=status)


# --- Sessions ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def mentor_session_new(request, pk: int):
    """Log a session: the assigned mentor for themself, the project's team for a mentor assigned to it."""
    user = request.user
    project = get_project_for_user(user, pk)
    own = mentor_of(user)
    if own is not None and is_assigned(own, project):
        mentors = None  # the mentor logs their own session
    elif can_change(user, project.unit_id):
        mentors = Mentor.objects.visible_to(user).filter(
            pk__in=project.mentor_assignments.values("mentor_id")
        )
    else:
        raise PermissionDenied
    form = SessionForm(request.POST or None, mentors=mentors)
    if request.method == "POST":
        session = attempt(
            form,
            lambda data: services.log_session(
                mentor=data.get("mentor") or own,
                project=project,
                by=user,
                held_on=data["held_on"],
                hours=data["hours"],
                topic=data["topic"],
                next_step=data["next_step"],
            ),
        )
        if session is not None:
            messages.success(request, _("The session has been logged."))
            return redirect("project_detail", pk=project.pk)
    context = {"project": project, "form": form, "own_mentor": own if mentors is None else None}
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/mentors/session.html", context, status=status)


@login_required
@require_GET
def mentor_session_list(request):
    """The sessions of the projects the user sees: a mentor's are those of the projects assigned to them."""
    sessions = (
        MentorSession.objects.visible_to(request.user)
        .select_related("mentor", "project__unit")
        .order_by("-held_on", "-pk")
    )
    page = ListPaginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "today": today()}
    return render(request, "projects/mentors/sessions.html", context)

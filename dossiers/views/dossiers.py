"""The officials' dossier pages: the queue, a dossier's page, its actions, reviews, reassignment, downloads.

Every page starts from ``Dossier.objects.visible_to``: a dossier outside the
user's scope is 404, one they see but may not process is 403. A refused change
(a ``DossierRefused`` from a service or an invalid form) comes back on the same
page with its message, status 400, and nothing changed.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from dossiers.forms import officials as forms
from dossiers.models import Document, Dossier, DossierDocument, Requirement
from dossiers.services import dossiers as services
from dossiers.services.documents import review_document
from dossiers.services.dossiers import TRANSITIONS, DossierRefused
from dossiers.slips import available_slips
from portal.access import can_process, can_reply, get_dossier_for_user, is_applicant_of, sees_personal_data
from portal.models import AdminUnit, Team, User
from portal.models.people import today
from portal.scope import scope_for, subtree_unit_ids
from portal.text import fold
from portal.working_days import Calendar

Status = Dossier.Status
PAGE_SIZE = 50


# Deadlines ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """Where a running dossier stands against its due date."""

    flag: str  # "overdue", "due_today" or "due_soon"
    working_days: int  # working days late (overdue) or left (due soon); 0 when due today


class Deadlines:
    """Due-soon, due-today and overdue flags for a whole page from one read of the calendar.

    The calendar is read for a window around today; a due date further away than that
    is counted over plain weekdays, which only shifts a count that is months long anyway.
    """

    WINDOW = datetime.timedelta(days=400)

    def __init__(self, day: datetime.date):
        self.today = day
        self.calendar = Calendar(day - self.WINDOW, day + self.WINDOW)
        # As in portal.jobs.flag_deadlines: due soon means due within this many working days.
        self.soon = self._add(day, settings.DUE_SOON_WORKING_DAYS)

    def _add(self, start: datetime.date, days: int) -> datetime.date:
        day, counted = start, 0
        while counted < days:
            day += datetime.timedelta(days=1)
            counted += self.calendar.is_working_day(day)
        return day

    def _between(self, start: datetime.date, end: datetime.date) -> int:
        day, count = start, 0
        while day < end:
            day += datetime.timedelta(days=1)
            count += self.calendar.is_working_day(day)
        return count

    def of(self, dossier: Dossier) -> Deadline | None:
        """The flag of a dossier whose clock runs; None when it has none (or its clock is paused)."""
        due = dossier.due_date
        if due is None or dossier.status not in Dossier.CLOCK_RUNNING_STATUSES:
            return None
        if due < self.today:
            return Deadline("overdue", self._between(due, self.today))
        if due == self.today:
            return Deadline("due_today", 0)
        if due <= self.soon:
            return Deadline("due_soon", self._between(self.today, due))
        return None

    def condition(self, flag: str) -> Q:
        running = Q(status__in=Dossier.CLOCK_RUNNING_STATUSES)
        return (
            running
            & {
                "overdue": Q(due_date__lt=self.today),
                "due_today": Q(due_date=self.today),
                "due_soon": Q(due_date__gt=self.today, due_date__lte=self.soon),
            }[flag]
        )


# The queue ----------------------------------------------------------------------------------------

# Teams of these kinds steer the programme; they do not handle dossiers.
NOT_HANDLING_KINDS = (Team.Kind.COUNCIL, Team.Kind.COUNCIL_BOARD)


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
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossiers/list.html", {"page": page, "is_official": False})


def _queue_page(request, params: QueryDict, *, reassign_form=None, selected=(), status: int = 200):
    user = request.user
    deadlines = Deadlines(today())
    form = forms.DossierQueueForm(
        params,
        units=AdminUnit.objects.visible_to(user).in_vietnamese_order(),
        teams=Team.objects.visible_to(user).exclude(kind__in=NOT_HANDLING_KINDS).in_vietnamese_order(),
    )
    filters = form.filters()
    dossiers = Dossier.objects.visible_to(user).submitted()
    if needle := fold(filters.get("q", "")):
        dossiers = dossiers.filter(search_text__contains=needle)
    if "procedure" in filters:
        dossiers = dossiers.filter(procedure=filters["procedure"])
    if "unit" in filters:
        # A district (or a merged commune) stands for its communes (or the communes it replaced).
        dossiers = dossiers.filter(unit_id__in=subtree_unit_ids({filters["unit"].pk}))
    if "team" in filters:
        dossiers = dossiers.filter(handling_team=filters["team"])
    if "channel" in filters:
        dossiers = dossiers.filter(channel=filters["channel"])

    chosen_status, chosen_deadline = filters.get("status", ""), filters.get("deadline", "")
    status_tabs, deadline_pills, total = _counts(dossiers, deadlines, chosen_status, chosen_deadline)
    if chosen_status:
        dossiers = dossiers.filter(status=chosen_status)
    if chosen_deadline:
        dossiers = dossiers.filter(deadlines.condition(chosen_deadline))
    if filters.get("order") == "due" or chosen_deadline:
        dossiers = dossiers.order_by(F("due_date").asc(nulls_last=True), "pk")
    else:
        dossiers = dossiers.order_by("-submitted_at", "-pk")
    dossiers = dossiers.select_related("procedure", "applicant", "unit", "handling_team")

    page = Paginator(dossiers, PAGE_SIZE).get_page(params.get("page"))
    for dossier in page:
        dossier.deadline = deadlines.of(dossier)
    may_reassign = bool(scope_for(user).active_team_kinds)
    if may_reassign and reassign_form is None:
        reassign_form = forms.ReassignForm(teams=_reassign_teams(user))
    context = {
        "is_official": True,
        "form": form,
        "page": page,
        "status_tabs": status_tabs,
        "deadline_pills": deadline_pills,
        "total": total,
        "chosen_status": chosen_status,
        "chosen_deadline": chosen_deadline,
        "reassign_form": reassign_form if may_reassign else None,
        "selected": {str(pk) for pk in selected},
        "params": params,
        "query": params.urlencode(),
        "today": deadlines.today,
    }
    return render(request, "dossiers/list.html", context, status=status)


def _counts(dossiers, deadlines: Deadlines, chosen_status: str, chosen_deadline: str):
    """The tabs' and pills' counts from one grouped query: per status, all and by deadline flag."""
    flags = [value for value, _label in forms.DossierQueueForm.DEADLINES]
    rows = {
        row["status"]: row
        for row in dossiers.values("status")
        .annotate(
            total=Count("pk"), **{flag: Count("pk", filter=deadlines.condition(flag)) for flag in flags}
        )
        .order_by()
    }
    column = chosen_deadline or "total"
    status_tabs = [
        (value, label, rows[value][column] if value in rows else 0)
        for value, label in Status.choices
        if value in rows or value == chosen_status
    ]
    in_status = [row for status, row in rows.items() if not chosen_status or status == chosen_status]
    deadline_pills = [
        (flag, label, sum(row[flag] for row in in_status)) for flag, label in forms.DossierQueueForm.DEADLINES
    ]
    total = sum(row[column] for row in rows.values())
    return status_tabs, deadline_pills, total


@login_required
@require_POST
def dossier_reassign(request):
    user = request.user
    try:
        ids = {int(value) for value in request.POST.getlist("dossiers")}
    except ValueError:
        raise Http404 from None
    dossiers = list(
        Dossier.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("procedure", "unit", "handling_team")
    )
    if len(dossiers) != len(ids):
        raise Http404
    if not all(can_process(user, dossier) for dossier in dossiers):
        raise PermissionDenied
    params = QueryDict(request.POST.get("query", ""))
    form = forms.ReassignForm(request.POST, teams=_reassign_teams(user))
    if form.is_valid():
        team = form.cleaned_data["team"]
        if not dossiers:
            form.add_error(None, _("Choose at least one dossier."))
        else:
            try:
                moved = services.reassign_dossiers(dossiers=dossiers, team=team, by=user)
            except DossierRefused as refusal:
                form.add_error("team", str(refusal))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s dossier handed to %(team)s.",
                        "%(count)s dossiers handed to %(team)s.",
                        moved,
                    )
                    % {"count": moved, "team": team},
                )
                return redirect(f"{reverse('dossier_list')}?{params.urlencode()}")
    return _queue_page(request, params, reassign_form=form, selected=ids, status=400)


# A dossier's page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """An official's step on a dossier: its button, its form, the service it calls and what it says after."""

    label: Promise
    form_class: type
    run: Callable[[Dossier, User, dict], object]
    done: Promise
    is_danger: bool = False


ACTIONS: dict[str, Action] = {
    "receive": Action(
        gettext_lazy("Receive the dossier"),
        forms.ConfirmForm,
        lambda dossier, by, data: services.receive_dossier(dossier=dossier, by=by),
        gettext_lazy("The dossier has been received; the receipt slip is ready to print."),
    ),
    "refuse": Action(
        gettext_lazy("Refuse to receive"),
        forms.ReasonForm,
        lambda dossier, by, data: services.refuse_dossier(dossier=dossier, by=by, reason=data["reason"]),
        gettext_lazy("The dossier was not received; the refusal slip is ready to print."),
        is_danger=True,
    ),
    "start": Action(
        gettext_lazy("Start processing"),
        forms.ConfirmForm,
        lambda dossier, by, data: services.start_processing(dossier=dossier, by=by),
        gettext_lazy("Processing has started."),
    ),
    "request_supplement": Action(
        gettext_lazy("Request a supplement"),
        forms.SupplementForm,
        lambda dossier, by, data: services.request_supplement(
            dossier=dossier, by=by, missing=list(data["missing"]), note=data["note"]
        ),
        gettext_lazy("The applicant has been asked for the missing documents; the slip is ready to print."),
    ),
    "request_payment": Action(
        gettext_lazy("Request payment"),
        forms.NoteForm,
        lambda dossier, by, data: services.request_payment(dossier=dossier, by=by, note=data["note"]),
        gettext_lazy("The applicant has been asked to pay."),
    ),
    "confirm_payment": Action(
        gettext_lazy("Confirm the payment"),
        forms.ConfirmForm,
        lambda dossier, by, data: services.confirm_payment(dossier=dossier, by=by),
        gettext_lazy("The payment has been confirmed; processing continues."),
    ),
    "complete": Action(
        gettext_lazy("Record the decision"),
        forms.ResultForm,
        lambda dossier, by, data: services.complete_dossier(dossier=dossier, by=by, result=data["result"]),
        gettext_lazy("The decision has been recorded."),
    ),
    "return_result": Action(
        gettext_lazy("Return the result"),
        forms.ConfirmForm,
        lambda dossier, by, data: services.return_result(dossier=dossier, by=by),
        gettext_lazy("The result has been returned to the applicant."),
    ),
    "apologise": Action(
        gettext_lazy("Apologise and set a new date"),
        forms.ApologyForm,
        lambda dossier, by, data: services.issue_apology(
            dossier=dossier, by=by, new_due_date=data["new_due_date"], reason=data["reason"]
        ),
        gettext_lazy("The apology has been issued with the new date; the slip is ready to print."),
    ),
    "stop": Action(
        gettext_lazy("Stop processing"),
        forms.ReasonForm,
        lambda dossier, by, data: services.stop_dossier(dossier=dossier, by=by, reason=data["reason"]),
        gettext_lazy("Processing has been stopped."),
        is_danger=True,
    ),
}


def is_action_allowed(name: str, dossier: Dossier) -> bool:
    """Whether the action is legal from the dossier's status (the services check again)."""
    if dossier.is_draft:
        return False
    if name == "apologise":
        return (
            dossier.status in Dossier.OPEN_STATUSES
            and dossier.due_date is not None
            and dossier.apology_issued_at is None
        )
    return dossier.status in TRANSITIONS[name][0]


def _action_form(name: str, dossier: Dossier, data=None):
    form_class = ACTIONS[name].form_class
    extra = {"dossier": dossier} if form_class is forms.SupplementForm else {}
    return form_class(data, auto_id=f"id_{name}_%s", **extra)


def _review_form(use_pk: int, data=None) -> forms.ReviewForm:
    return forms.ReviewForm(data, auto_id=f"id_review_{use_pk}_%s")


def reply_form(inquiry_pk: int, data=None) -> forms.ReplyForm:
    return forms.ReplyForm(data, auto_id=f"id_reply_{inquiry_pk}_%s")


def dossier_for_page(user, pk: int, **authorise) -> Dossier:
    dossier = get_dossier_for_user(user, pk, **authorise)
    # The handling team's unit and head appear on the page and its slips.
    if dossier.handling_team_id:
        dossier.handling_team = Team.objects.select_related("unit", "head").get(pk=dossier.handling_team_id)
    return dossier


@login_required
def dossier_detail(request, pk: int):
    return detail_page(request, dossier_for_page(request.user, pk))


def detail_page(request, dossier: Dossier, *, bound: dict | None = None, status: int = 200):
    """The dossier's page.

    ``bound`` holds the refused forms to show again, keyed ("action", name), ("review", pk) or ("reply", pk).
    """
    bound = bound or {}
    user = request.user
    is_processor = can_process(user, dossier)
    is_open = not dossier.is_draft and dossier.status in Dossier.OPEN_STATUSES

    requirements = list(dossier.procedure_version.requirements.select_related("document_kind"))
    live, rejected = {}, defaultdict(list)
    for use in dossier.documents.select_related("document", "reviewed_by").order_by("pk"):
        if use.review == DossierDocument.Review.REJECTED:
            rejected[use.requirement_id].append(use)
        else:
            live[use.requirement_id] = use
    checklist = []
    for requirement in requirements:
        # The document standing for the requirement: the live one, else the last one rejected.
        earlier = rejected.get(requirement.pk, [])
        use = live.get(requirement.pk) or (earlier.pop() if earlier else None)
        requirement.rejected_uses = earlier
        if use is not None and use.review != DossierDocument.Review.REJECTED and is_processor and is_open:
            use.review_form = bound.get(("review", use.pk)) or _review_form(use.pk)
        checklist.append((requirement, use))

    supplements = list(
        dossier.supplement_requests.select_related("requested_by").prefetch_related(
            Prefetch("missing", queryset=Requirement.objects.select_related("document_kind"))
        )
    )
    inquiries = list(
        dossier.inquiries.select_related("raised_by", "replied_by", "team").order_by("raised_at", "pk")
    )
    day = today()
    for inquiry in inquiries:
        inquiry.dossier = dossier
        inquiry.is_overdue = inquiry.replied_at is None and inquiry.reply_due < day
        inquiry.is_due_today = inquiry.replied_at is None and inquiry.reply_due == day
        if inquiry.replied_at is None and can_reply(user, inquiry):
            inquiry.reply_form = bound.get(("reply", inquiry.pk)) or reply_form(inquiry.pk)
    actions = []
    if is_processor:
        actions = [
            (name, ACTIONS[name], bound.get(("action", name)) or _action_form(name, dossier))
            for name in ACTIONS
            if is_action_allowed(name, dossier)
        ]
    context = {
        "dossier": dossier,
        "checklist": checklist,
        "events": list(dossier.events.select_related("actor")),
        "supplements": supplements,
        "inquiries": inquiries,
        "can_process": is_processor,
        "is_applicant": is_applicant_of(user, dossier),
        "sees_personal_data": sees_personal_data(user, dossier),
        "slips": available_slips(dossier, has_supplement_requests=bool(supplements)),
        "actions": actions,
        "deadline": Deadlines(day).of(dossier),
        "refusals": [error for form in bound.values() for error in form.non_field_errors()],
    }
    return render(request, "dossiers/detail.html", context, status=status)


@login_required
@require_POST
def dossier_act(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    dossier = dossier_for_page(request.user, pk, for_processing=True)
    form = _action_form(action, dossier, request.POST)
    if form.is_valid():
        try:
            ACTIONS[action].run(dossier, request.user, form.cleaned_data)
        except DossierRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, str(ACTIONS[action].done))
            return redirect("dossier_detail", pk=dossier.pk)
    elif not form.non_field_errors():
        form.add_error(
            None, _("Check the form: %(action)s was not done.") % {"action": ACTIONS[action].label}
        )
    return detail_page(request, dossier, bound={("action", action): form}, status=400)


@login_required
@require_POST
def dossier_review_document(request, pk: int, use_pk: int):
    dossier = dossier_for_page(request.user, pk, for_processing=True)
    use = get_object_or_404(dossier.documents.select_related("requirement__document_kind"), pk=use_pk)
    form = _review_form(use.pk, request.POST)
    if form.is_valid():
        try:
            review_document(
                use=use, by=request.user, accepted=form.is_accepted, reason=form.cleaned_data["reason"]
            )
        except DossierRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            message = _("%(document)s accepted.") if form.is_accepted else _("%(document)s rejected.")
            messages.success(request, message % {"document": use.requirement.document_kind})
            return redirect("dossier_detail", pk=dossier.pk)
    elif not form.non_field_errors():
        form.add_error(None, _("Choose whether to accept or reject the document."))
    return detail_page(request, dossier, bound={("review", use.pk): form}, status=400)


@login_required
def document_download(request, pk: int):
    """The stored file, to someone who sees a dossier it was given for; nothing tells others it exists."""
    given_for_a_visible_dossier = DossierDocument.objects.filter(
        document=OuterRef("pk"), dossier__in=Dossier.objects.visible_to(request.user)
    )
    document = get_object_or_404(Document.objects.filter(Exists(given_for_a_visible_dossier)), pk=pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

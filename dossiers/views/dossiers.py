"""A dossier's page for the officials and for its applicant, the officials' steps on it, document
reviews and downloads.

Every page starts from ``Dossier.objects.visible_to``: a dossier outside the user's scope is 404, one
they see but may not process is 403. The steps and who takes them come from the one table,
dossiers/transitions.py. A refused change (a refusal from a service or an invalid form) comes back on
the same page with its message, status 400, what was written kept and nothing changed.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers.access import can_process, can_reply, get_dossier_for_user, is_applicant_of, sees_personal_data
from dossiers.deadlines import badge_of, page_calendar
from dossiers.forms.applicants import InquiryForm, RatingForm, WithdrawForm
from dossiers.forms.officials import ReplyForm, ReviewForm, step_form
from dossiers.models import Document, Dossier, DossierDocument, Requirement
from dossiers.selectors import links_of
from dossiers.services import dossiers as services
from dossiers.services.documents import review_document
from dossiers.slips import available_slips
from dossiers.transitions import APPLICANT, PROCESSOR, STEPS, steps_for
from portal.models import Team
from portal.models.people import today
from portal.pages import attempt
from portal.personal_data import personal_details

# The applicant's forms on the dossier page, by the name the applicant's views bind them under.
APPLICANT_FORMS = {"withdraw": WithdrawForm, "rate": RatingForm, "inquiry": InquiryForm}


def _review_form(use_pk: int, data=None) -> ReviewForm:
    return ReviewForm(data, auto_id=f"id_review_{use_pk}_%s")


def reply_form(inquiry_pk: int, data=None) -> ReplyForm:
    return ReplyForm(data, auto_id=f"id_reply_{inquiry_pk}_%s")


def dossier_for_page(user, pk: int, **authorise) -> Dossier:
    """The dossier as its page shows it: with its deadline (``with_deadline``) and the calendar it was
    counted on (``calendar``), for its badge."""
    day = today()
    calendar = page_calendar(day)
    queryset = Dossier.objects.with_deadline(day, calendar=calendar)
    dossier = get_dossier_for_user(user, pk, queryset=queryset, **authorise)
    dossier.calendar = calendar
    # The handling team's unit and head appear on the page and its slips.
    if dossier.handling_team_id:
        dossier.handling_team = Team.objects.select_related("unit", "head").get(pk=dossier.handling_team_id)
    return dossier


@login_required
def dossier_detail(request, pk: int):
    return detail_page(request, dossier_for_page(request.user, pk))


def detail_page(request, dossier: Dossier, *, bound: dict | None = None, refusals=(), status: int = 200):
    """The dossier's page, for a dossier of ``dossier_for_page``.

    ``bound`` holds the refused forms to show again, keyed ("action", step), ("review", pk),
    ("reply", pk) or ("applicant", name); ``refusals`` what was refused without a form to show it.
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
        dossier.inquiries.with_deadline(today())
        .select_related("raised_by", "replied_by", "team")
        .order_by("raised_at", "pk")
    )
    day = today()
    for inquiry in inquiries:
        inquiry.dossier = dossier
        if inquiry.replied_at is None and can_reply(user, inquiry):
            inquiry.reply_form = bound.get(("reply", inquiry.pk)) or reply_form(inquiry.pk)
    actions = []
    if is_processor:
        actions = [
            (step.name, step, bound.get(("action", step.name)) or step_form(step, dossier))
            for step in steps_for(PROCESSOR)
            if step.allows(dossier)
        ]
    applicant_forms = {
        name: bound.get(("applicant", name)) or form() for name, form in APPLICANT_FORMS.items()
    }
    # What the decision waits for (an approved plan, ...), shown beside the step that the service refuses.
    offers_decision = any(name == "complete" for name, _step, _form in actions)
    context = {
        "dossier": dossier,
        "checklist": checklist,
        "events": list(dossier.events.select_related("actor")),
        "supplements": supplements,
        "inquiries": inquiries,
        "can_process": is_processor,
        "is_applicant": is_applicant_of(user, dossier),
        "personal": personal_details(dossier.applicant, whole=sees_personal_data(user, dossier)),
        "slips": available_slips(dossier, has_supplement_requests=bool(supplements)),
        "actions": actions,
        "deadline": badge_of(dossier, day, dossier.calendar),
        "applicant_forms": applicant_forms,
        "applicant_steps": {step.name: step for step in steps_for(APPLICANT) if step.allows(dossier)},
        "refusals": [*refusals, *(error for form in bound.values() for error in form.non_field_errors())],
        "decision_blockers": services.decision_blockers(dossier) if offers_decision else [],
        "belongs_to": links_of(user, [dossier.pk]).get(dossier.pk, []),
    }
    return render(request, "dossiers/detail.html", context, status=status)


@login_required
@require_POST
def dossier_act(request, pk: int, action: str):
    step = STEPS.get(action)
    if step is None or step.by != PROCESSOR:
        raise Http404
    dossier = dossier_for_page(request.user, pk, for_processing=True)
    form = step_form(step, dossier, request.POST)
    done = attempt(form, lambda data: services.perform(step, dossier=dossier, by=request.user, data=data))
    if done is None:
        if not form.non_field_errors():
            form.add_error(None, _("Check the form: %(action)s was not done.") % {"action": step.label})
        return detail_page(request, dossier, bound={("action", step.name): form}, status=400)
    messages.success(request, step.done_message(dossier))
    return redirect("dossier_detail", pk=dossier.pk)


@login_required
@require_POST
def dossier_review_document(request, pk: int, use_pk: int):
    dossier = dossier_for_page(request.user, pk, for_processing=True)
    use = get_object_or_404(dossier.documents.select_related("requirement__document_kind"), pk=use_pk)
    form = _review_form(use.pk, request.POST)
    reviewed = attempt(
        form,
        lambda data: review_document(
            use=use, by=request.user, accepted=form.is_accepted, reason=data["reason"]
        ),
    )
    if reviewed is None:
        if not form.non_field_errors():
            form.add_error(None, _("Choose whether to accept or reject the document."))
        return detail_page(request, dossier, bound={("review", use.pk): form}, status=400)
    message = _("%(document)s accepted.") if form.is_accepted else _("%(document)s rejected.")
    messages.success(request, message % {"document": use.requirement.document_kind})
    return redirect("dossier_detail", pk=dossier.pk)


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

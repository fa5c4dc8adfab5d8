"""The loan-application pages: the queue (the fund officers' work, every reader's applications in
scope), a new application on a fund-loan dossier, and an application's page with its stages and
deadlines, the rules checked item by item, the appraisers, their scores, the site visits and the
recommendation, and the appraisal's forms for the fund's officers.

Every page starts from ``LoanApplication.objects.visible_to``: outside scope is 404, a change by who
does not run the fund is 403 (fund/access.py). The borrower reads their own application (status,
stages, amounts), never the scores or the appraisers' notes. A change a rule refuses comes back on
the page with its message, status 400 and nothing changed (``portal.pages.attempt``).
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dossiers.catalogue import FUND_LOAN
from dossiers.models import Dossier
from fund import deadlines
from fund.access import funds_run_by, get_application_for_user, runs, runs_a_fund
from fund.forms.applications import (
    ApplicationForm,
    ApplicationListForm,
    AssignForm,
    DeclareForm,
    DossierParameterForm,
    RecommendForm,
    RefuseForm,
    ScoreForm,
    SiteVisitForm,
)
from fund.models import Declaration, Fund, Loan, LoanApplication, Recommendation, Score, Status
from fund.services import applications as services
from fund.services import rules
from portal.models import User
from portal.models.people import today
from portal.pages import attempt, refuse_parameters
from portal.paging import ListPaginator
from portal.personal_data import personal_details
from portal.scope import scope_for
from portal.text import fold

PAGE_SIZE = 50


# --- The queue ---------------------------------------------------------------------------------------


def _filtered(queryset, data: dict, day):
    if data.get("q"):
        queryset = queryset.filter(dossier__search_text__contains=fold(data["q"]))
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("fund"):
        queryset = queryset.filter(fund=data["fund"])
    if data.get("late"):
        queryset = deadlines.late_on(queryset, day)
    return queryset


@login_required
@require_GET
def application_list(request):
    user = request.user
    day = today()
    form = ApplicationListForm(request.GET, funds=Fund.objects.visible_to(user))
    form.is_valid()  # a value that does not parse is left out, named, and the page answers 400
    applications = deadlines.with_release_day(
        _filtered(LoanApplication.objects.visible_to(user), form.cleaned_data, day)
        .select_related("dossier__applicant", "fund")
        .order_by("-filed_on", "-pk")
    )
    page = ListPaginator(applications, PAGE_SIZE).get_page(form.cleaned_data.get("page"))
    rows = deadlines.with_stages(list(page.object_list), day)
    own_funds = set(funds_run_by(user))
    for application in rows:
        application.borrower_phone = personal_details(
            application.dossier.applicant, whole=application.fund_id in own_funds
        ).phone
    context = {"form": form, "page": page, "rows": rows, "today": day}
    return render(request, "fund/applications/list.html", context, status=400 if form.errors else 200)


# --- A new application ------------------------------------------------------------------------------


def _dossier_for_application(request, pk: int) -> Dossier:
    dossier = get_object_or_404(
        Dossier.objects.visible_to(request.user).select_related("procedure", "applicant"),
        pk=pk,
        procedure__code=FUND_LOAN,
    )
    if not (services.is_party(request.user, dossier) or runs_a_fund(request.user)):
        raise PermissionDenied  # the applicant, who filed for them, or a fund's officer
    return dossier


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request):
    parameters = DossierParameterForm(request.GET)
    if not parameters.is_valid():
        return refuse_parameters(request, parameters)
    dossier = _dossier_for_application(request, parameters.cleaned_data["dossier"])
    if hasattr(dossier, "loan_application"):
        return redirect("application_detail", pk=dossier.loan_application.pk)
    user = request.user
    funds = Fund.objects.visible_to(user).filter(regulations__isnull=False).distinct()
    founded = LoanApplication._meta.get_field("project").related_model.objects.filter(
        founders__person=dossier.applicant
    )
    form = ApplicationForm(request.POST or None, funds=funds, projects=founded)
    if request.method == "POST":
        application = attempt(
            form,
            lambda data: services.open_application(dossier=dossier, by=user, **data),
        )
        if application is not None:
            messages.success(request, _("The loan application has been filed."))
            return redirect("application_detail", pk=application.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "fund/applications/new.html", {"form": form, "dossier": dossier}, status=status)


# --- An application's page --------------------------------------------------------------------------


@login_required
@require_GET
def application_detail(request, pk: int):
    return _application_page(request, get_application_for_user(request.user, pk))


def _appraisers(application: LoanApplication) -> list:
    appraisers = list(application.appraisers.select_related("user"))
    totals = services.appraisers_totals(application)
    scores = {}
    for row in Score.objects.filter(appraiser__application=application).select_related("criterion"):
        scores.setdefault(row.appraiser_id, {})[row.criterion_id] = row
    for appraiser in appraisers:
        appraiser.cannot_score = services.why_cannot_score(appraiser)
        appraiser.total = totals.get(appraiser.pk)
        appraiser.given = scores.get(appraiser.pk, {})
    return appraisers


def _officers(application: LoanApplication):
    """The officers of the fund's team today: who may appraise."""
    return (
        User.objects.filter(memberships__in=application.fund.team.memberships.active_on(today()))
        .distinct()
        .order_by("full_name", "pk")
    )


def _forms(user, application: LoanApplication, appraisers: list, criteria: list, bound: dict) -> dict:
    """The forms the reader may use now; a refused one comes back bound, with its message."""
    if not runs(user, application.fund):
        return {}
    forms = {}
    if application.status == Status.APPRAISING:
        taken = [appraiser.user_id for appraiser in appraisers]
        forms["assign"] = bound.get("assign") or AssignForm(
            officers=_officers(application).exclude(pk__in=taken)
        )
        own = next((appraiser for appraiser in appraisers if appraiser.user_id == user.pk), None)
        if own is not None and own.declaration == Declaration.PENDING:
            forms["declare"] = bound.get("declare") or DeclareForm()
        if own is not None and own.declaration == Declaration.NO_CONFLICT and not own.given:
            forms["score"] = bound.get("score") or ScoreForm(criteria=criteria)
        forms["visit"] = bound.get("visit") or SiteVisitForm()
        forms["recommend"] = bound.get("recommend") or RecommendForm()
    if application.status in services.UNDECIDED:
        forms["refuse"] = bound.get("refuse") or RefuseForm()
    return forms


def _application_page(request, application: LoanApplication, *, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    user = request.user
    day = today()
    loan = Loan.objects.filter(application=application).first()
    sees_appraisal = application.unit_id in scope_for(user).readable_unit_ids or runs(user, application.fund)
    criteria = list(application.regulation.criteria.all())
    appraisers = _appraisers(application) if sees_appraisal else []
    forms = _forms(user, application, appraisers, criteria, bound)
    context = {
        "application": application,
        "applicant": application.dossier.applicant,
        "personal": personal_details(
            application.dossier.applicant,
            whole=runs(user, application.fund) or services.is_party(user, application.dossier),
        ),
        "loan": loan,
        "stages": deadlines.stages(application, loan, day),
        "sees_appraisal": sees_appraisal,
        "checks": rules.check_application(application) if sees_appraisal else [],
        "score_rows": [
            (criterion, [appraiser.given.get(criterion.pk) for appraiser in appraisers])
            for criterion in criteria
        ],
        "appraisers": appraisers,
        "weighted_score": services.weighted_score(application) if sees_appraisal else None,
        "site_visits": list(application.site_visits.select_related("by")) if sees_appraisal else [],
        "may_propose": runs(user, application.fund)
        and application.status == Status.RECOMMENDED
        and application.recommendation == Recommendation.LEND,
        "forms": forms,
        "refusals": [
            error for name, form in bound.items() if name not in forms for error in form.non_field_errors()
        ],
        "today": day,
    }
    return render(request, "fund/applications/detail.html", context, status=status)


def _act(request, pk: int, name: str, make_form: Callable, change: Callable, done: str):
    """A step of the appraisal from the application's page: done, back to the page; refused, the page
    again with 400 and the form's message."""
    user = request.user
    application = get_application_for_user(user, pk, for_write=True)
    form = make_form(application)
    changed = attempt(form, lambda data: change(application, data))
    if changed is None:
        return _application_page(request, get_application_for_user(user, pk), bound={name: form}, status=400)
    messages.success(request, done)
    return redirect("application_detail", pk=application.pk)


def _own_appraiser(user, application: LoanApplication):
    appraiser = application.appraisers.filter(user=user).first()
    if appraiser is None:
        raise PermissionDenied  # only the appraiser declares and scores
    return appraiser


@login_required
@require_POST
def application_assign(request, pk: int):
    return _act(
        request,
        pk,
        "assign",
        lambda application: AssignForm(request.POST, officers=_officers(application)),
        lambda application, data: services.assign_appraiser(
            application=application, user=data["user"], by=request.user
        ),
        _("The appraiser has been assigned."),
    )


@login_required
@require_POST
def application_declare(request, pk: int):
    application = get_application_for_user(request.user, pk, for_write=True)
    appraiser = _own_appraiser(request.user, application)
    return _act(
        request,
        pk,
        "declare",
        lambda application: DeclareForm(request.POST),
        lambda application, data: services.declare(
            appraiser=appraiser, by=request.user, conflict=data["conflict"], note=data["note"]
        ),
        _("Your declaration has been recorded."),
    )


@login_required
@require_POST
def application_score(request, pk: int):
    application = get_application_for_user(request.user, pk, for_write=True)
    appraiser = _own_appraiser(request.user, application)
    form = ScoreForm(request.POST, criteria=list(application.regulation.criteria.all()))
    return _act(
        request,
        pk,
        "score",
        lambda application: form,
        lambda application, data: services.score(appraiser=appraiser, by=request.user, scores=form.scores()),
        _("Your scores have been recorded."),
    )


@login_required
@require_POST
def application_visit(request, pk: int):
    return _act(
        request,
        pk,
        "visit",
        lambda application: SiteVisitForm(request.POST),
        lambda application, data: services.record_site_visit(
            application=application, by=request.user, visited_on=data["visited_on"], findings=data["findings"]
        ),
        _("The site visit has been recorded."),
    )


@login_required
@require_POST
def application_recommend(request, pk: int):
    return _act(
        request,
        pk,
        "recommend",
        lambda application: RecommendForm(request.POST),
        lambda application, data: services.recommend(
            application=application,
            by=request.user,
            recommendation=data["recommendation"],
            amount=data["amount"],
            note=data["note"],
        ),
        _("The recommendation has been recorded."),
    )


@login_required
@require_POST
def application_refuse(request, pk: int):
    return _act(
        request,
        pk,
        "refuse",
        lambda application: RefuseForm(request.POST),
        lambda application, data: services.refuse_application(
            application=application, by=request.user, reason=data["reason"]
        ),
        _("The application has been refused."),
    )

"""The applicant's own pages: registration, their profile, their dossiers and what they do on them.

Every change goes through a service of ``dossiers.services`` by ``portal.pages.attempt``: a refused
or mistaken change shows the same page again with status 400, the reason on it, what the person
wrote kept and nothing changed.
"""

import functools
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dossiers.access import get_dossier_for_user
from dossiers.forms.applicants import (
    ApplicantForm,
    InquiryForm,
    RatingForm,
    RegistrationForm,
    StartDossierForm,
    UploadForm,
    WithdrawForm,
)
from dossiers.models import Applicant, Document, Dossier, Procedure, Requirement
from dossiers.services import dossiers as dossier_services
from dossiers.services.applicants import register_applicant, save_profile
from dossiers.services.documents import attach_document
from dossiers.services.inquiries import raise_inquiry
from dossiers.views.dossiers import detail_page, dossier_for_page
from portal.models.people import today
from portal.pages import attempt
from portal.paging import ListPaginator


def applicant_required(view):
    """Signed in and with an applicant profile; without one, the person is sent to fill it in first."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        applicant = Applicant.objects.select_related("unit").filter(user=request.user).first()
        if applicant is None:
            messages.info(
                request, _("Please complete your profile first: a dossier needs to say who files it.")
            )
            after = request.get_full_path() if request.method == "GET" else reverse("dossier_new")
            return redirect(f"{reverse('applicant_profile')}?{urlencode({'next': after})}")
        return view(request, applicant, *args, **kwargs)

    return wrapper


# Registration and profile


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    search_url = reverse("register")
    if request.method == "POST":
        account_form = RegistrationForm(request.POST)
        applicant_form = ApplicantForm(request.POST, with_consent=True, unit_search_url=search_url)
        # The password must not resemble the person's name or e-mail either.
        account_form.instance.full_name = request.POST.get("full_name", "")
        account_form.instance.email = request.POST.get("email", "")
        # Both forms are checked so that every mistake shows at once.
        is_valid = [account_form.is_valid(), applicant_form.is_valid()]
        if all(is_valid):
            user = register_applicant(
                user=account_form.save(commit=False), applicant=applicant_form.save(commit=False)
            )
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(
                request, _("Welcome, %(name)s. Your account is ready.") % {"name": user.full_name}
            )
            return redirect("my_dossiers")
        status = 400
    else:
        account_form = RegistrationForm()
        applicant_form = ApplicantForm(with_consent=True, unit_search_url=search_url)
        applicant_form.narrow_units(request.GET.get("unit_search", ""))
        status = 200
    return render(
        request,
        "dossiers/applicants/register.html",
        {"account_form": account_form, "applicant_form": applicant_form},
        status=status,
    )


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_http_methods(["GET", "POST"])
def applicant_profile(request):
    applicant = Applicant.objects.select_related("unit").filter(user=request.user).first()
    is_new = applicant is None
    initial = {"full_name": request.user.full_name, "email": request.user.email} if is_new else None
    form = ApplicantForm(
        request.POST or None,
        instance=applicant,
        initial=initial,
        with_consent=is_new,
        unit_search_url=reverse("applicant_profile"),
    )
    if request.method == "POST":
        changed = [name for name in form.changed_data if name in form._meta.fields]
        saved = attempt(
            form,
            lambda data: save_profile(user=request.user, applicant=form.save(commit=False), changed=changed),
        )
        if saved is not None:
            messages.success(request, _("Your profile has been saved."))
            return redirect(_next_url(request, reverse("my_dossiers")))
        status = 400
    else:
        form.narrow_units(request.GET.get("unit_search", ""))
        status = 200
    context = {"form": form, "is_new": is_new, "next": _next_url(request, "")}
    return render(request, "dossiers/applicants/profile.html", context, status=status)


# The applicant's dossiers


@applicant_required
def my_dossiers(request, applicant: Applicant):
    dossiers = (
        Dossier.objects.visible_to(request.user)
        .filter(applicant=applicant)
        .select_related("procedure")
        # Drafts first: they wait for the applicant.
        .order_by(F("submitted_at").desc(nulls_first=True), "-pk")
    )
    page = ListPaginator(dossiers, 50).get_page(request.GET.get("page"))
    return render(request, "dossiers/applicants/my_dossiers.html", {"applicant": applicant, "page": page})


@applicant_required
def dossier_new(request, applicant: Applicant):
    return _new_dossier_page(request, applicant)


def _new_dossier_page(request, applicant: Applicant, *, form=None, started: str = "", status: int = 200):
    """The open procedures by audience, each with its statutory time and the documents it asks for.

    ``form`` is a refused start of the procedure whose code is ``started``, shown again.
    """
    day = today()
    procedures = Procedure.objects.open_with_version_on(day).order_by("name")
    by_audience: dict[str, list] = {audience: [] for audience in Procedure.Audience.values}
    for procedure in procedures:
        if procedure.versions_in_force:
            by_audience[procedure.audience].append((procedure, procedure.versions_in_force[0]))
    groups = [
        (label, by_audience[audience])
        for audience, label in Procedure.Audience.choices
        if by_audience[audience]
    ]
    # Once-only: the kinds of document the applicant has already given and that are still valid.
    reusable_kind_ids = set(
        Document.objects.valid_on(day).filter(applicant=applicant).values_list("kind_id", flat=True)
    )
    context = {
        "groups": groups,
        "reusable_kind_ids": reusable_kind_ids,
        "form": form or StartDossierForm(),
        "started": started,
        "refusals": form.non_field_errors() if form is not None else (),
    }
    return render(request, "dossiers/applicants/dossier_new.html", context, status=status)


@applicant_required
@require_POST
def dossier_start(request, applicant: Applicant, procedure_code: str):
    procedure = get_object_or_404(Procedure, code=procedure_code)
    form = StartDossierForm(request.POST)
    dossier = attempt(
        form,
        lambda data: dossier_services.start_dossier(
            procedure=procedure,
            applicant=applicant,
            filed_by=request.user,
            unit=applicant.unit,
            summary=data["summary"],
        ),
    )
    if dossier is None:
        return _new_dossier_page(request, applicant, form=form, started=procedure.code, status=400)
    messages.success(
        request,
        _("Draft dossier %(code)s has been created. Upload the documents it asks for, then file it.")
        % {"code": dossier.code},
    )
    return redirect("dossier_detail", pk=dossier.pk)


# What the applicant does on a dossier: each answers with the dossier page (400 when refused).


def _act(request, dossier: Dossier, form: forms.Form, name: str, change, success: str):
    """Carry out ``change`` through ``form``; a refusal shows the dossier page again, the form kept."""
    if attempt(form, change) is None:
        return detail_page(
            request, dossier_for_page(request.user, dossier.pk), bound={("applicant", name): form}, status=400
        )
    messages.success(request, success)
    return redirect("dossier_detail", pk=dossier.pk)


@login_required
@require_POST
def dossier_upload(request, pk: int, requirement_pk: int):
    dossier = get_dossier_for_user(request.user, pk, for_applicant=True)
    requirement = get_object_or_404(
        Requirement.objects.select_related("document_kind"),
        pk=requirement_pk,
        version_id=dossier.procedure_version_id,
    )
    form = UploadForm(request.POST, request.FILES)
    change = attempt(
        form,
        lambda data: attach_document(
            dossier=dossier, requirement=requirement, upload=data["file"], by=request.user
        ),
    )
    if change is None:
        reasons = " ".join(str(error) for errors in form.errors.values() for error in errors)
        refusal = _("“%(document)s” was not uploaded: %(reason)s") % {
            "document": requirement,
            "reason": reasons,
        }
        return detail_page(
            request, dossier_for_page(request.user, dossier.pk), refusals=[refusal], status=400
        )
    messages.success(request, _("“%(document)s” has been uploaded.") % {"document": requirement})
    return redirect("dossier_detail", pk=dossier.pk)


@login_required
@require_POST
def dossier_submit(request, pk: int):
    dossier = get_dossier_for_user(request.user, pk, for_applicant=True)
    return _act(
        request,
        dossier,
        forms.Form(request.POST),
        "submit",
        lambda data: dossier_services.submit_dossier(dossier=dossier, by=request.user),
        _("Dossier %(code)s has been filed. The handling team will receive it and give you a due date.")
        % {"code": dossier.code},
    )


@login_required
@require_POST
def dossier_supply(request, pk: int):
    dossier = get_dossier_for_user(request.user, pk, for_applicant=True)
    return _act(
        request,
        dossier,
        forms.Form(request.POST),
        "supply",
        lambda data: dossier_services.supply_supplement(dossier=dossier, by=request.user),
        _("The supplement has been sent. Processing resumes and the due date moves by the days it waited."),
    )


@login_required
@require_POST
def dossier_withdraw(request, pk: int):
    dossier = get_dossier_for_user(request.user, pk, for_applicant=True)
    return _act(
        request,
        dossier,
        WithdrawForm(request.POST),
        "withdraw",
        lambda data: dossier_services.withdraw_dossier(
            dossier=dossier, by=request.user, reason=data["reason"]
        ),
        _("Dossier %(code)s has been withdrawn.") % {"code": dossier.code},
    )


@login_required
@require_POST
def dossier_rate(request, pk: int):
    dossier = get_dossier_for_user(request.user, pk, for_applicant=True)
    return _act(
        request,
        dossier,
        RatingForm(request.POST),
        "rate",
        lambda data: dossier_services.rate_service(
            dossier=dossier, by=request.user, rating=data["rating"], comment=data["comment"]
        ),
        _("Thank you for rating the service."),
    )


@login_required
@require_POST
def inquiry_raise(request, pk: int):
    dossier = get_dossier_for_user(request.user, pk, for_applicant=True)
    return _act(
        request,
        dossier,
        InquiryForm(request.POST),
        "inquiry",
        lambda data: raise_inquiry(dossier=dossier, by=request.user, question=data["question"]),
        _("Your obstacle has been sent to the handling team; the reply will appear on this page."),
    )

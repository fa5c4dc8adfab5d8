"""A dossier's slips as printable pages and as DOCX files, for anyone who sees the dossier."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header

from dossiers.access import sees_personal_data
from dossiers.forms.officials import SlipForm
from dossiers.slips import SlipNotAvailable, build_slip, slip_docx
from dossiers.views.dossiers import dossier_for_page
from portal.pages import refuse_parameters
from portal.uploads import DOCX

# The public look-up of a dossier by its code; the slip sends the applicant there.
LOOKUP_URL_NAME = "dossier_lookup"


def _lookup_url(request) -> str:
    try:
        path = reverse(LOOKUP_URL_NAME)
    except NoReverseMatch:
        path = "/"
    return request.build_absolute_uri(path)


def _slip(request, dossier, kind: str, supplement_round: int | None):
    try:
        return build_slip(
            dossier,
            kind,
            lookup_url=_lookup_url(request),
            reveals_personal_data=sees_personal_data(request.user, dossier),
            supplement_round=supplement_round,
        )
    except SlipNotAvailable:
        raise Http404 from None


@login_required
def dossier_slip(request, pk: int, kind: str):
    dossier = dossier_for_page(request.user, pk)
    form = SlipForm(request.GET)
    if not form.is_valid():
        return refuse_parameters(request, form)
    slip = _slip(request, dossier, kind, form.cleaned_data["round"])
    return render(request, "dossiers/slips/slip.html", {"dossier": dossier, "slip": slip})


@login_required
def dossier_slip_docx(request, pk: int, kind: str):
    dossier = dossier_for_page(request.user, pk)
    form = SlipForm(request.GET)
    if not form.is_valid():
        return refuse_parameters(request, form)
    slip = _slip(request, dossier, kind, form.cleaned_data["round"])
    response = HttpResponse(slip_docx(slip), content_type=DOCX.content_type)
    response["Content-Disposition"] = content_disposition_header(True, slip.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

"""The policy library, the eligibility checker and the programme's pages for the public.

All of them are public: laws, decrees and the programme's own documents are public information,
the checker only reads rules and stores nothing of what is typed, and the programme pages are how a
founder, a household business or a poor household learns what the programme offers before having an
account. They are built from the same rows the officers use, so they cannot disagree with them.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from dossiers.models import Procedure
from policies import eligibility
from policies.forms import EligibilityForm, PolicySearchForm
from policies.models import PolicyDocument
from portal.models.people import today
from portal.paging import ListPaginator


def get_policy_for_user(user, pk: int) -> PolicyDocument:
    return get_object_or_404(PolicyDocument.objects.visible_to(user), pk=pk)


@require_GET
def policy_list(request):
    form = PolicySearchForm(request.GET or None)
    documents = PolicyDocument.objects.visible_to(request.user).select_related("replaced_by")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            documents = documents.search(data["q"])
        if data["kind"]:
            documents = documents.filter(kind=data["kind"])
        if data["tag"]:
            documents = documents.filter(tags__icontains=data["tag"].strip())
        if data["in_force_on"]:
            documents = documents.in_force_on(data["in_force_on"])
    page = ListPaginator(documents, 50).get_page(request.GET.get("page"))
    status = 400 if form.is_bound and not form.is_valid() else 200
    context = {"form": form, "page": page, "today": today()}
    return render(request, "policies/list.html", context, status=status)


@require_GET
def policy_detail(request, pk: int):
    document = get_policy_for_user(request.user, pk)
    context = {
        "document": document,
        "today": today(),
        "is_in_force": document.is_in_force_on(today()),
        "procedures": document.procedures.order_by("name"),
        "replaces": document.replaces.order_by("-signed_on"),
        "entitlements": [
            (entitlement, eligibility.validate_conditions(entitlement.conditions))
            for entitlement in document.entitlements.select_related("procedure").order_by(
                "effective_from", "name"
            )
        ],
    }
    return render(request, "policies/detail.html", context)


@require_GET
def policy_file(request, pk: int):
    document = get_policy_for_user(request.user, pk)
    if not document.file:
        raise Http404
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def eligibility_check(request):
    """GET keeps the answer linkable and needs no session; nothing typed here is stored."""
    form = EligibilityForm(request.GET or None, initial={"on": today()})
    results = None
    if form.is_bound and form.is_valid():
        results = eligibility.check(
            form.facts(), form.cleaned_data["on"], audience=form.cleaned_data["audience"]
        )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "policies/eligibility.html", {"form": form, "results": results}, status=status)


@require_GET
def programme_home(request):
    return render(request, "policies/programme/home.html", {"audiences": Procedure.Audience.choices})


@require_GET
def programme_audience(request, audience: str):
    if audience not in Procedure.Audience.values:
        raise Http404
    day = today()
    entitlements = [
        (entitlement, eligibility.validate_conditions(entitlement.conditions))
        for entitlement in eligibility.entitlements_for(day, audience)
    ]
    procedures = []
    for procedure in Procedure.objects.open_with_version_on(day).filter(audience=audience).order_by("name"):
        version = procedure.versions_in_force[0] if procedure.versions_in_force else None
        procedures.append((procedure, version, version.requirements.all() if version else []))
    context = {
        "audience": audience,
        "audience_label": Procedure.Audience(audience).label,
        "entitlements": entitlements,
        "procedures": procedures,
        "today": day,
    }
    return render(request, "policies/programme/audience.html", context)

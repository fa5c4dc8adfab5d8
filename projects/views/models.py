"""Success models: the list with the replications by model and by commune, a model's page, the standing
agency's proposal, the council's decision, the model's photos, a project recording the model it
replicates, and the public page of the models whose founders agreed to their publication.

Every page but the public one starts from ``visible_to``: who sees the project sees its model. The
standing agency proposes and adds photos, the council alone confirms or declines (anyone else who
sees the model gets 403), the project's keepers record a replication. A refused change comes back on
its page with its message, status 400, nothing changed (``portal.pages.attempt``). The public page
shows only what the founder agreed to publish: never the founder's name, CCCD, phone or the revenue.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.drilldown import successor_links
from portal.models import AdminUnit
from portal.models.people import today
from portal.pages import attempt
from portal.paging import ListPaginator
from portal.uploads import detect_type
from projects.access import confirms_models, get_model_for_user, get_project_for_user, runs_programme
from projects.forms.models import DecideForm, ModelFilterForm, PhotoForm, ProposeForm, ReplicateForm
from projects.models import ModelPhoto, Project, SuccessModel
from projects.services import showcase as services
from projects.services.showcase import PROVEN_STAGES

PAGE_SIZE = 50
PUBLIC_PAGE_SIZE = 12


# --- Replications by model and by commune ------------------------------------------------------------------


@dataclass
class ReplicationRow:
    unit: AdminUnit
    cells: list[int]
    total: int


@dataclass
class Replications:
    """How many projects replicate each model, by the commune that holds their territory today (a
    commune that ended counts under its successor, the first one for a commune split in several)."""

    models: list[SuccessModel] = field(default_factory=list)  # the columns
    rows: list[ReplicationRow] = field(default_factory=list)
    by_model: dict[int, int] = field(default_factory=dict)
    total: int = 0

    @property
    def model_totals(self) -> list[int]:
        return [self.by_model.get(model.pk, 0) for model in self.models]


def _holder(unit_id: int, links: dict[int, list[int]]) -> int:
    seen = set()
    while unit_id in links and unit_id not in seen:
        seen.add(unit_id)
        unit_id = links[unit_id][0]
    return unit_id


def replications_seen_by(user) -> Replications:
    """The replications among the projects ``user`` sees, in four queries whatever their number: the
    counts by model and commune, the successors of the ended communes, the communes, the models."""
    counted = list(
        Project.objects.visible_to(user)
        .filter(replicates__isnull=False)
        .order_by()
        .values_list("replicates_id", "unit_id")
        .annotate(count=Count("pk"))
    )
    if not counted:
        return Replications()
    links = successor_links(AdminUnit.objects.filter(valid_until__isnull=False).values("pk"))
    cells: dict[tuple[int, int], int] = {}
    for model_id, unit_id, count in counted:
        key = (model_id, _holder(unit_id, links))
        cells[key] = cells.get(key, 0) + count
    unit_ids = {unit_id for _model_id, unit_id in cells}
    model_ids = {model_id for model_id, _unit_id in cells}
    units = list(AdminUnit.objects.filter(pk__in=unit_ids).in_vietnamese_order())
    # The models the user's projects replicate: named on those projects' pages already.
    models = list(SuccessModel.objects.filter(pk__in=model_ids).order_by("title", "pk"))
    by_model = {model.pk: sum(cells.get((model.pk, unit.pk), 0) for unit in units) for model in models}
    rows = []
    for unit in units:
        row = [cells.get((model.pk, unit.pk), 0) for model in models]
        rows.append(ReplicationRow(unit, row, sum(row)))
    return Replications(models, rows, by_model, sum(by_model.values()))


# --- The list and a model's page ---------------------------------------------------------------------------


@login_required
@require_GET
def model_list(request):
    user = request.user
    form = ModelFilterForm(request.GET or None)
    models = SuccessModel.objects.visible_to(user)
    counts = dict(models.order_by().values_list("status").annotate(count=Count("pk")))
    chosen = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    if chosen:
        models = models.filter(status=chosen)
    models = models.select_related("project__unit").order_by("-proposed_on", "-pk")
    page = ListPaginator(models, PAGE_SIZE).get_page(request.GET.get("page"))
    replications = replications_seen_by(user)
    for model in page:
        model.replication_count = replications.by_model.get(model.pk, 0)
    context = {
        "form": form,
        "page": page,
        "tabs": [(status.value, status.label, counts.get(status.value, 0)) for status in SuccessModel.Status],
        "total": sum(counts.values()),
        "chosen": chosen,
        "replications": replications,
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "projects/models/list.html", context, status=status)


@login_required
@require_GET
def model_detail(request, pk: int):
    return _model_page(request, get_model_for_user(request.user, pk))


def _model_page(request, model: SuccessModel, *, decide_form=None, photo_form=None, status: int = 200):
    user = request.user
    may_decide = confirms_models(user) and model.status == SuccessModel.Status.PROPOSED
    may_add_photos = runs_programme(user)
    context = {
        "model": model,
        "project": model.project,
        "photos": list(model.photos.order_by("pk")),
        "replications": list(
            Project.objects.visible_to(user).filter(replicates=model).select_related("unit").order_by("pk")
        ),
        "replication_total": model.replications.count(),
        "decide_form": (decide_form or DecideForm()) if may_decide else None,
        "photo_form": (photo_form or PhotoForm()) if may_add_photos else None,
        "is_published": model.is_confirmed and model.public_consent,
        # A refusal of a form the page no longer offers (decided meanwhile) shows on its own.
        "refusals": list(decide_form.non_field_errors())
        if decide_form is not None and not may_decide
        else [],
    }
    return render(request, "projects/models/detail.html", context, status=status)


# --- The standing agency's proposal and the council's decision ---------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def model_propose(request, pk: int):
    user = request.user
    project = get_project_for_user(user, pk)
    if not runs_programme(user):
        raise PermissionDenied  # the standing agency proposes
    form = ProposeForm(request.POST or None, initial={"jobs": project.jobs_created, "title": project.name})
    if request.method == "POST":
        model = attempt(
            form,
            lambda data: services.propose_model(
                project=project,
                by=user,
                on=today(),
                title=data["title"],
                yearly_revenue=data["yearly_revenue"],
                jobs=data["jobs"],
                years_operating=data["years_operating"],
                evidence=data["evidence"],
                public_consent=data["public_consent"],
            ),
        )
        if model is not None:
            messages.success(request, _("The project has been proposed as a model; the council decides."))
            return redirect("model_detail", pk=model.pk)
    context = {"project": project, "form": form, "is_proven": project.stage in PROVEN_STAGES}
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/models/propose.html", context, status=status)


@login_required
@require_POST
def model_decide(request, pk: int):
    user = request.user
    model = get_model_for_user(user, pk)
    if not confirms_models(user):
        raise PermissionDenied  # the council confirms; the standing agency proposed and does not decide
    form = DecideForm(request.POST)
    decided = attempt(
        form,
        lambda data: services.decide_model(
            model=model, by=user, confirm=data["decision"] == "confirm", on=today(), note=data["note"]
        ),
    )
    if decided is None:
        return _model_page(request, get_model_for_user(user, pk), decide_form=form, status=400)
    if decided.is_confirmed:
        messages.success(request, _("The model has been confirmed."))
    else:
        messages.success(request, _("The model has not been confirmed; the note is recorded."))
    return redirect("model_detail", pk=model.pk)


# --- Photos -------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def model_photo_new(request, pk: int):
    user = request.user
    model = get_model_for_user(user, pk)
    if not runs_programme(user):
        raise PermissionDenied
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        photo = attempt(
            form,
            lambda data: services.add_photo(
                model=model, by=user, upload=data["file"], caption=data["caption"]
            ),
        )
        if photo is not None:
            messages.success(request, _("The photo has been added."))
            return redirect("model_detail", pk=model.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/models/photo.html", {"model": model, "form": form}, status=status)


@require_GET
def model_photo(request, pk: int, photo_pk: int):
    """A photo of a published model, to anyone; of another model, to who sees its project. Nothing tells
    others it exists: they are asked to sign in, or get 404."""
    user = request.user
    shown = Q(model__in=SuccessModel.objects.published().values("pk"))
    if user.is_authenticated:
        shown |= Q(model__in=SuccessModel.objects.visible_to(user).values("pk"))
    photo = ModelPhoto.objects.filter(shown, pk=photo_pk, model_id=pk).first()
    if photo is None:
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    is_public = SuccessModel.objects.published().filter(pk=pk).exists()
    try:
        handle = photo.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    kind = detect_type(handle)
    if kind is None:
        handle.close()
        raise Http404
    response = FileResponse(handle, content_type=kind.content_type, filename=photo.original_name or "anh")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if is_public else "private, no-store"
    return response


# --- Replications -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def project_replicates(request, pk: int):
    """The project's keepers record the confirmed model it copies: a model they see, or a published one."""
    user = request.user
    project = get_project_for_user(user, pk, for_write=True)
    choosable = (
        SuccessModel.objects.confirmed()
        .filter(Q(pk__in=SuccessModel.objects.visible_to(user).values("pk")) | Q(public_consent=True))
        .exclude(project=project)
        .select_related("project__unit")
        .order_by("title", "pk")
    )
    form = ReplicateForm(request.POST or None, models=choosable)
    if request.method == "POST":
        replicating = attempt(
            form,
            lambda data: services.record_replication(
                project=project, model=data["model"], by=user, on=data["on"]
            ),
        )
        if replicating is not None:
            messages.success(request, _("The project now replicates the model."))
            return redirect("project_detail", pk=project.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "projects/models/replicates.html", {"project": project, "form": form}, status=status
    )


# --- The public page ----------------------------------------------------------------------------------------


@require_GET
def public_models(request):
    """The confirmed models whose founders agreed to their publication: what they do, where, since when,
    the jobs, the evidence and photos, and how many projects copy them. No founder, no revenue."""
    models = (
        SuccessModel.objects.published()
        .select_related("project__unit")
        .annotate(replication_count=Count("replications"))
        .prefetch_related("photos")
        .order_by("title", "pk")
    )
    page = ListPaginator(models, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/models/public.html", {"page": page})

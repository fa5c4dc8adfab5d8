"""The import of a commune's list of household businesses: the template, the upload, the preview with
every row's problems, and the confirmation that writes the rows.

Every page starts from ``HouseholdBusinessImport.objects.visible_to``: an import outside the user's
scope is 404; confirming one they see but may not change is 403. The preview is stored with the
import, so its page costs the same few queries whatever the number of rows.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conversions.access import can_change, get_import_for_user
from conversions.forms.imports import ImportForm, importable_units
from conversions.models import HouseholdBusinessImport
from conversions.services.import_texts import RowAction, template_choices
from conversions.services.imports import confirm_import, is_writing, start_import
from conversions.spreadsheets import template_xlsx
from portal.paging import ListPaginator
from portal.refusals import Refused
from portal.scope import scope_for

PAGE_SIZE = 50
ROWS_PER_PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAME = "mau-danh-sach-ho-kinh-doanh.xlsx"
# What the preview's table can show: every row, or those with a problem to look at.
# The field of the form a refusal of start_import is about; the rest are about the file.
REFUSED_FIELDS = {"not_writable": "unit", "not_commune": "unit", "on_duplicate": "on_duplicate"}
SHOWN = {"problems": lambda row: row["action"] == RowAction.ERROR or row["problems"]}


def _officials_only(user) -> None:
    if not scope_for(user).readable_unit_ids:
        raise PermissionDenied  # the registry's imports are the teams' work


@login_required
@require_GET
def import_list(request):
    _officials_only(request.user)
    imports = HouseholdBusinessImport.objects.visible_to(request.user).select_related("unit", "uploaded_by")
    page = ListPaginator(imports.defer("preview"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "conversions/imports/list.html",
        {"page": page, "can_import": importable_units(request.user).exists()},
    )


@login_required
@require_GET
def import_template(request):
    response = HttpResponse(template_xlsx(template_choices()), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_NAME}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request):
    units = importable_units(request.user)
    if not units:
        raise PermissionDenied  # only a team that keeps a commune's registry imports its list
    form = ImportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            upload = start_import(
                by=request.user,
                unit=form.cleaned_data["unit"],
                upload=form.cleaned_data["file"],
                on_duplicate=form.cleaned_data["on_duplicate"],
            )
        except Refused as refusal:
            form.add_error(REFUSED_FIELDS.get(refusal.code, "file"), str(refusal))
        else:
            return redirect("household_business_import_detail", pk=upload.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "conversions/imports/new.html", {"form": form}, status=status)


def _detail(request, upload: HouseholdBusinessImport, *, refusals=(), status: int = 200):
    rows = upload.preview.get("rows", [])
    shown = request.GET.get("show", "")
    if shown in SHOWN:
        rows = [row for row in rows if SHOWN[shown](row)]
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    counts = upload.preview.get("counts", {})
    context = {
        "upload": upload,
        "page": page,
        "counts": counts,
        "shown": shown,
        "actions": dict(RowAction.choices),
        "writing": is_writing(upload),
        "can_confirm": upload.status == HouseholdBusinessImport.Status.PREVIEWED
        and not is_writing(upload)
        and can_change(request.user, upload.unit_id),
        "refusals": refusals,
    }
    return render(request, "conversions/imports/detail.html", context, status=status)


@login_required
@require_GET
def import_detail(request, pk: int):
    return _detail(request, get_import_for_user(request.user, pk))


@login_required
@require_GET
def import_progress(request, pk: int):
    """The progress, polled by the import's page while a long list is read or written; reloads it done."""
    upload = get_import_for_user(request.user, pk)
    writing = is_writing(upload)
    response = render(request, "conversions/imports/_progress.html", {"upload": upload, "writing": writing})
    if upload.status != HouseholdBusinessImport.Status.READING and not writing:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def import_confirm(request, pk: int):
    upload = get_import_for_user(request.user, pk, for_write=True)
    form = forms.Form(request.POST)
    try:
        upload = confirm_import(upload=upload, by=request.user) if form.is_valid() else upload
    except Refused as refusal:
        upload.refresh_from_db()
        return _detail(request, upload, refusals=[str(refusal)], status=409 if refusal.conflict else 400)
    if is_writing(upload):
        messages.success(
            request, _("The list is being written to the registry; this page updates by itself.")
        )
    else:
        messages.success(
            request,
            _(
                "The list is written to the registry: %(added)s added, %(updated)s updated, "
                "%(skipped)s skipped."
            )
            % {"added": upload.rows_added, "updated": upload.rows_updated, "skipped": upload.rows_skipped},
        )
    return redirect("household_business_import_detail", pk=upload.pk)

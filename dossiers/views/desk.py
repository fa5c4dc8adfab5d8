"""The desk: an officer files a dossier for a person who came in or wrote by post."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dossiers.forms.applicants import DeskFilingForm, current_communes
from dossiers.services.applicants import file_at_desk
from portal.pages import attempt
from portal.scope import scope_for


def may_file_at_desk(user) -> bool:
    """Only officers of an active team that acts (writes somewhere) file for others at the desk.

    The desk answers 403 to anyone else, and the dossiers page offers its button to no one else.
    """
    return bool(scope_for(user).writable_unit_ids)


@login_required
@require_http_methods(["GET", "POST"])
def dossier_desk(request):
    if not may_file_at_desk(request.user):
        raise PermissionDenied
    units = current_communes().filter(pk__in=scope_for(request.user).writable_unit_ids)
    form = DeskFilingForm(request.POST or None, units=units)
    if request.method == "POST":
        dossier = attempt(
            form,
            lambda data: file_at_desk(
                applicant=form.save(commit=False),
                procedure=data["procedure"],
                channel=data["channel"],
                summary=data["summary"],
                by=request.user,
            ),
        )
        if dossier is not None:
            messages.success(
                request,
                _(
                    "Draft dossier %(code)s has been created. "
                    "Upload the documents the applicant gave, then file it."
                )
                % {"code": dossier.code},
            )
            return redirect("dossier_detail", pk=dossier.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "dossiers/desk.html", {"form": form}, status=status)

"""The public lookup page (tra cứu hồ sơ): anyone with a dossier's code and second factor sees its status."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dossiers.forms.applicants import LookupForm
from dossiers.lookup import look_up_dossier, window_minutes
from portal.middleware import client_address


@never_cache
@require_http_methods(["GET", "POST"])
def dossier_lookup(request):
    form = LookupForm(request.POST or None)
    answer = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            answer = look_up_dossier(
                code=form.cleaned_data["code"],
                phone_last_four=form.cleaned_data["phone_last_four"],
                address=client_address(request),
            )
            # The answer never repeats what was typed, so a wrong code and wrong digits read the same.
            form = LookupForm()
            status = 429 if answer.is_throttled else 200
        else:
            status = 400
    context = {"form": form, "answer": answer, "window_minutes": window_minutes()}
    return render(request, "dossiers/lookup.html", context, status=status)

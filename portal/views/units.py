from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from portal.access import get_unit_for_user
from portal.forms import UnitSearchForm
from portal.models import AdminUnit, Team
from portal.paging import ListPaginator


@login_required
def unit_list(request):
    form = UnitSearchForm(request.GET or None)
    units = AdminUnit.objects.visible_to(request.user).select_related("parent").in_vietnamese_order()
    if form.is_valid():
        units = units.search(form.cleaned_data["q"])
        if form.cleaned_data["level"]:
            units = units.filter(level=form.cleaned_data["level"])
        if form.cleaned_data["current"]:
            units = units.current()
    page = ListPaginator(units, 50).get_page(request.GET.get("page"))
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "portal/unit_list.html", {"form": form, "page": page}, status=status)


@login_required
def unit_detail(request, pk: int):
    unit = get_unit_for_user(request.user, pk)
    visible_units = AdminUnit.objects.visible_to(request.user)
    context = {
        "unit": unit,
        "children": visible_units.filter(parent=unit).in_vietnamese_order(),
        "predecessors": visible_units.filter(successors=unit).in_vietnamese_order(),
        "successors": unit.successors.in_vietnamese_order(),
        "teams": Team.objects.visible_to(request.user)
        .filter(unit=unit)
        .select_related("head")
        .in_vietnamese_order(),
    }
    return render(request, "portal/unit_detail.html", context)

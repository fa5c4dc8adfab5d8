"""The registry of household businesses: the list, a record, a new one, a correction, and picking a
candidate for conversion.

Every page starts from ``HouseholdBusiness.objects.visible_to``: a record outside the user's scope is
404, one they see but may not change is 403. The owner's CCCD and phone show whole to the owner and to
the team that keeps the record (``sees_owner_data``); to everyone else, the council included, masked.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conversions.access import (
    can_change,
    get_household_business_for_user,
    keeps_a_registry,
    kept_communes,
    sees_owner_data,
)
from conversions.filters import HouseholdBusinessFilter
from conversions.forms.registry import HouseholdBusinessForm, IdentifyForm
from conversions.models import Conversion, HouseholdBusiness
from conversions.services.cases import identify_candidate
from conversions.services.registry import record_household_business, update_household_business
from dossiers.services.applicants import Person, person_by_national_id
from portal.pages import attempt
from portal.paging import ListPaginator
from portal.personal_data import personal_details

PAGE_SIZE = 50


@login_required
@require_GET
def household_business_list(request):
    user = request.user
    businesses = HouseholdBusiness.objects.visible_to(user).select_related("owner", "unit", "conversion")
    filters = HouseholdBusinessFilter(request.GET or None, queryset=businesses, request=request)
    businesses = filters.qs.order_by("name", "pk")  # a value that does not parse is left out, and named
    page = ListPaginator(businesses, PAGE_SIZE).get_page(request.GET.get("page"))
    for business in page:
        business.personal = personal_details(business.owner, whole=sees_owner_data(user, business))
        business.case = getattr(business, "conversion", None)
    context = {
        "form": filters.form,
        "page": page,
        "can_record": keeps_a_registry(user),
    }
    return render(
        request,
        "conversions/registry/list.html",
        context,
        status=400 if filters.is_bound and not filters.is_valid() else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_business_new(request):
    units = kept_communes(request.user)
    if not units:
        raise PermissionDenied  # only a team that keeps a commune's registry adds to it
    form = HouseholdBusinessForm(request.POST or None, units=units, with_owner=True)
    if request.method == "POST":
        known = form.is_valid() and person_by_national_id(form.cleaned_data["owner_national_id"]) is not None
        business = attempt(
            form,
            lambda data: record_household_business(
                by=request.user,
                owner=Person(
                    full_name=data["owner_name"],
                    national_id=data["owner_national_id"],
                    phone=data["owner_phone"],
                ),
                **form.record_fields(),
            ),
        )
        if business is not None:
            if known:
                messages.success(
                    request,
                    _(
                        "The household business has been recorded. Its owner, %(name)s, was already known "
                        "to the portal by their CCCD number: the record is linked to them."
                    )
                    % {"name": business.owner.full_name},
                )
            else:
                messages.success(request, _("The household business and its owner have been recorded."))
            return redirect("household_business_detail", pk=business.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "conversions/registry/form.html", {"form": form, "business": None}, status=status)


@login_required
@require_GET
def household_business_detail(request, pk: int):
    business = get_household_business_for_user(request.user, pk)
    return _detail_page(request, business)


def _detail_page(request, business: HouseholdBusiness, *, identify_form=None, status: int = 200):
    user = request.user
    case = Conversion.objects.visible_to(user).filter(household_business=business).first()
    may_change = can_change(user, business.unit_id)
    may_identify = may_change and case is None and business.status != HouseholdBusiness.Status.CEASED
    context = {
        "business": business,
        "personal": personal_details(business.owner, whole=sees_owner_data(user, business)),
        "case": case,
        "can_change": may_change,
        "identify_form": (identify_form or IdentifyForm()) if may_identify else None,
        # A refusal of a form the page no longer shows (the case was opened meanwhile) shows on its own.
        "refusals": list(identify_form.non_field_errors()) if identify_form and not may_identify else [],
    }
    return render(request, "conversions/registry/detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def household_business_edit(request, pk: int):
    business = get_household_business_for_user(request.user, pk, for_write=True)
    units = kept_communes(request.user)
    initial = {
        "name": business.name,
        "registration_number": business.registration_number,
        "registered_on": business.registered_on,
        "address": business.address,
        "unit": business.unit_id,
        "sector": business.sector,
        "workers": business.workers,
        "revenue_band": business.revenue_band,
        "tax_mode": business.tax_mode,
        "status": business.status,
    }
    form = HouseholdBusinessForm(request.POST or None, units=units, with_owner=False, initial=initial)
    if request.method == "POST":
        changed = attempt(
            form,
            lambda data: update_household_business(
                business=business, by=request.user, **form.record_fields()
            ),
        )
        if changed is not None:
            messages.success(request, _("The household business has been updated."))
            return redirect("household_business_detail", pk=business.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "conversions/registry/form.html", {"form": form, "business": business}, status=status
    )


@login_required
@require_POST
def household_business_identify(request, pk: int):
    """Open the business's conversion case: the team picked it as a candidate."""
    business = get_household_business_for_user(request.user, pk, for_write=True)
    form = IdentifyForm(request.POST)
    conversion = attempt(
        form,
        lambda data: identify_candidate(business=business, by=request.user, on=data["on"], note=data["note"]),
    )
    if conversion is None:
        return _detail_page(request, business, identify_form=form, status=400)
    messages.success(request, _("The household business is now a conversion candidate."))
    return redirect("conversion_detail", pk=conversion.pk)

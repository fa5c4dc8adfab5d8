"""The queue of inquiries (vướng mắc) and their replies.

Officials see the inquiries on the dossiers in their scope, unanswered first; the
dossier's processors, and the team an overdue inquiry was escalated to, reply.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dossiers.access import can_reply
from dossiers.filters import InquiryFilter, show_conditions
from dossiers.models import Inquiry
from dossiers.models.inquiries import REPLY_MEASURES
from dossiers.services.inquiries import reply_to_inquiry
from dossiers.views.dossiers import detail_page, dossier_for_page, reply_form
from dossiers.views.queue import PAGE_SIZE
from portal.models.people import today
from portal.pages import attempt
from portal.paging import Kept, ListPaginator, one_row, rows_of, totals

# The queue's tabs: all, then InquiryFilter's "show" values.
SHOWS = [("", gettext_lazy("All")), *InquiryFilter.SHOWS]


@login_required
def inquiry_list(request):
    return _inquiry_page(request)


def _inquiry_page(request, *, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    user = request.user
    day = today()
    visible = Inquiry.objects.visible_to(user)
    filters = InquiryFilter(request.GET, queryset=visible, request=request)
    if not filters.is_valid() and status == 200:
        status = 400  # a value that does not parse is left out, and named
    show = filters.form.cleaned_data.get("show") or ""
    conditions = show_conditions(day)
    # The tabs' counts and the replies' measures in one query over the scope, kept for a minute
    # ("answered" is a tab and a measure: the same count).
    tabs = {key or "all": Count("pk", filter=conditions[key]) for key, _label in SHOWS}
    counts = Kept.of(totals(visible, **(tabs | REPLY_MEASURES)), one_row).value()
    # The page's ids in order, then its rows with what they show (portal.paging.rows_of): sorting the
    # scope's inquiries joined to their dossiers, applicants and teams cost PostgreSQL 25 ms at a
    # province's scale, half of it planning.
    ordered = (
        filters.qs.only("pk")
        # Unanswered first, the most pressing on top; answered ones after, the latest first.
        .annotate(
            answered=Case(When(replied_at__isnull=True, then=0), default=1, output_field=IntegerField())
        )
        .order_by("answered", "reply_due", "-replied_at", "-pk")
    )
    page = ListPaginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = rows_of(
        page.object_list,
        Inquiry.objects.with_deadline(day).select_related(
            "dossier", "dossier__procedure", "dossier__applicant", "team", "raised_by", "replied_by"
        ),
    )
    for inquiry in page:
        if inquiry.replied_at is None and can_reply(user, inquiry):
            inquiry.reply_form = bound.get(inquiry.pk) or reply_form(inquiry.pk)
    context = {
        "page": page,
        "measures": {name: counts[name] for name in REPLY_MEASURES},
        "shows": [(key, label, counts[key or "all"]) for key, label in SHOWS],
        "show": show,
        "filter_form": filters.form,
        "refusals": [error for form in bound.values() for error in form.non_field_errors()],
    }
    return render(request, "dossiers/inquiries/list.html", context, status=status)


@login_required
@require_POST
def inquiry_reply(request, pk: int):
    user = request.user
    inquiry = get_object_or_404(Inquiry.objects.visible_to(user).select_related("dossier", "team"), pk=pk)
    if not can_reply(user, inquiry):
        raise PermissionDenied
    from_dossier = request.POST.get("from") == "dossier"
    form = reply_form(inquiry.pk, request.POST)
    if (
        attempt(form, lambda data: reply_to_inquiry(inquiry=inquiry, by=user, reply=data["reply"]))
        is not None
    ):
        messages.success(
            request, _("The reply on dossier %(code)s has been sent.") % {"code": inquiry.dossier.code}
        )
        return redirect("dossier_detail", pk=inquiry.dossier_id) if from_dossier else redirect("inquiry_list")
    if not form.non_field_errors():
        form.add_error(None, _("Write the reply."))
    if from_dossier:
        dossier = dossier_for_page(user, inquiry.dossier_id)
        return detail_page(request, dossier, bound={("reply", inquiry.pk): form}, status=400)
    return _inquiry_page(request, bound={inquiry.pk: form}, status=400)

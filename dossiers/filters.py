"""The filters of the lists of dossiers and of inquiries: one definition for the page and the API.

``/dossiers/`` and ``GET /api/v1/dossiers/`` filter through ``DossierFilter``; ``/inquiries/`` and
``GET /api/v1/inquiries/`` through ``InquiryFilter``. A unit stands for its subtree in both, and
deadlines come from the one definition in the models (``deadline_conditions``, ``reply_conditions``).
The page shows the filter's form and leaves out a value that does not parse; the API answers it
with 400.
"""

import django_filters
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.models import Deadline, Dossier, Procedure
from dossiers.models.dossiers import lists_drafts
from dossiers.models.inquiries import reply_conditions
from portal.filters import BooleanFilter, DayFilter, IdChoiceFilter, UnitFilter
from portal.models import Team
from portal.text import fold

# Teams of these kinds steer the programme; they do not handle dossiers.
NOT_HANDLING_KINDS = (Team.Kind.COUNCIL, Team.Kind.COUNCIL_BOARD)


def handling_teams_visible_to_requester(request):
    if request is None:  # the API schema, built without a request
        return Team.objects.none()
    return Team.objects.visible_to(request.user).exclude(kind__in=NOT_HANDLING_KINDS).in_vietnamese_order()


def search(queryset: QuerySet, name: str, value: str) -> QuerySet:
    """Part of the code or of the applicant's or enterprise's name, ignoring case and diacritics."""
    needle = fold(value)
    return queryset.filter(search_text__contains=needle) if needle else queryset


class DossierFilter(django_filters.FilterSet):
    ORDERS = [("newest", _("Newest first")), ("due", _("Earliest due date first"))]

    q = django_filters.CharFilter(
        label=_("Code or applicant"),
        method=search,
        max_length=100,
        help_text="Part of the dossier's code or of the applicant's or enterprise's name, ignoring case and "
        "diacritics (“nguyen van” finds “Nguyễn Văn”).",
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Dossier.Status.choices, empty_label=_("All statuses")
    )
    deadline = django_filters.ChoiceFilter(
        label=_("Deadline"),
        choices=Deadline.choices,
        empty_label=_("Any deadline"),
        method="at_deadline",
        help_text="Dossiers whose clock runs and that are overdue, due today or due soon.",
    )
    procedure = IdChoiceFilter(
        label=_("Procedure"), queryset=Procedure.objects.all(), empty_label=_("All procedures")
    )
    unit = UnitFilter(
        label=_("Unit"),
        empty_label=_("All units"),
        help_text="Id of a unit: the dossiers of the unit and of every unit below it or replaced by it.",
    )
    handling_team = IdChoiceFilter(
        label=_("Handling team"), queryset=handling_teams_visible_to_requester, empty_label=_("All teams")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=Dossier.Channel.choices, empty_label=_("All channels")
    )
    due_before = DayFilter(
        field_name="due_date",
        lookup_expr="lt",
        help_text="Dossiers due before this day, not on it (YYYY-MM-DD).",
    )
    overdue = BooleanFilter(
        method="is_overdue",
        help_text="true: only dossiers whose clock runs past their due date; false: all but those.",
    )
    order = django_filters.ChoiceFilter(
        label=_("Order"), choices=ORDERS, empty_label=None, method="ordered", help_text="newest or due."
    )

    def at_deadline(self, queryset, name, value: str):
        return queryset.at_deadline(value, timezone.localdate())

    def is_overdue(self, queryset, name, value: bool):
        overdue = queryset.at_deadline(Deadline.OVERDUE, timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def ordered(self, queryset, name, value: str):
        return queryset.order_by(*ordering(value, getattr(self.request, "user", None)))

    def narrowed(self, queryset, *, leave_out: tuple[str, ...]) -> QuerySet:
        """``queryset`` filtered by every valid filter but those named in ``leave_out``."""
        self.is_valid()
        for name, value in self.form.cleaned_data.items():
            if name not in leave_out:
                queryset = self.filters[name].filter(queryset, value)
        return queryset


# Drafts (not filed yet) come last where an applicant sees them.
ORDERINGS = {
    "newest": (F("submitted_at").desc(nulls_last=True), "-pk"),
    "due": (F("due_date").asc(nulls_last=True), "pk"),
}
# An official's lists hold no draft: the newest first in the plain order, which PostgreSQL reads from the
# index ``dossier_newest_first``. Its descending order puts nulls first, so with "nulls last" it sorted
# every row in scope instead (the council's queue: 100 ms for 20,000 dossiers).
FILED_NEWEST_FIRST = ("-submitted_at", "-pk")


def ordering(name: str, user) -> tuple:
    """The order ``name`` (of ``ORDERINGS``) of ``user``'s lists of dossiers."""
    return FILED_NEWEST_FIRST if name == "newest" and not lists_drafts(user) else ORDERINGS[name]


def show_conditions(on) -> dict[str, Q]:
    """The inquiry queue's tabs ("" for all), with the one definition of an overdue reply."""
    return {
        "": Q(),
        "unanswered": Q(replied_at__isnull=True),
        Deadline.OVERDUE: reply_conditions(on)[Deadline.OVERDUE],
        "answered": Q(replied_at__isnull=False),
    }


def dossiers_visible_to_requester(request):
    return Dossier.objects.none() if request is None else Dossier.objects.visible_to(request.user)


def teams_visible_to_requester(request):
    return Team.objects.none() if request is None else Team.objects.visible_to(request.user)


class InquiryFilter(django_filters.FilterSet):
    SHOWS = [
        ("unanswered", _("Unanswered")),
        (Deadline.OVERDUE, _("Overdue")),
        ("answered", _("Answered")),
    ]

    show = django_filters.ChoiceFilter(
        choices=SHOWS, method="shown", help_text="unanswered, overdue or answered."
    )
    dossier = IdChoiceFilter(queryset=dossiers_visible_to_requester, help_text="Id of the dossier.")
    team = IdChoiceFilter(queryset=teams_visible_to_requester, help_text="Id of the answering team.")
    answered = BooleanFilter(
        field_name="replied_at",
        lookup_expr="isnull",
        exclude=True,
        help_text="true: only answered obstacles; false: only those still waiting.",
    )
    overdue = BooleanFilter(
        method="is_overdue",
        help_text="true: only unanswered obstacles past their reply date; false: all but those.",
    )

    def shown(self, queryset, name, value: str):
        return queryset.filter(show_conditions(timezone.localdate())[value])

    def is_overdue(self, queryset, name, value: bool):
        overdue = queryset.at_deadline(Deadline.OVERDUE, timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

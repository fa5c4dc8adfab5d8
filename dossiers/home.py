"""The one-stop shop's panels of the home page (portal/panels.py).

- An applicant: their dossiers, what each asks of them first, with status and due date.
- An officer who started drafts at the desk or filed for someone: what those dossiers ask of them.
- A member of a team that handles dossiers: the dossiers they process that are overdue, due today or
  due soon (``deadline_conditions``, the queue's definition) or wait to be received, and the
  obstacles they answer (``reply_conditions``).
- The front door: the public lookup and the way to register.

Every list starts from ``visible_to(user)`` and is cut to a few rows, each panel in a fixed number
of queries whatever the number of dossiers.
"""

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TypeVar
from urllib.parse import urlencode

from django.db.models import Case, Count, DateField, F, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dossiers.deadlines import badge_of, page_calendar
from dossiers.filters import NOT_HANDLING_KINDS
from dossiers.forms.applicants import LookupForm
from dossiers.models import Applicant, Deadline, Dossier, Inquiry
from dossiers.models.dossiers import DossierQuerySet, deadline_conditions
from dossiers.models.inquiries import InquiryQuerySet, reply_conditions
from portal.panels import ASKED_OF_YOU, OVERDUE_WORK, TO_ANSWER, WAYS_IN, Panel
from portal.scope import Scope, scope_for

Status = Dossier.Status

AnyQuerySet = TypeVar("AnyQuerySet", bound=QuerySet)

OWN_SHOWN = 10
WORK_SHOWN = 10
INQUIRIES_SHOWN = 5


@dataclass(frozen=True)
class Ask:
    key: str
    condition: Q
    label: Promise


# What a dossier asks of its applicant (or of the officer who filed it for them), the most pressing
# first. Sending a supplement, filing a draft and rating are the applicant's steps of
# dossiers/transitions.py; tests/dossiers/test_home.py checks that these conditions hold exactly
# where the table allows those steps.
ASKS = (
    Ask("supplement", Q(status=Status.SUPPLEMENT_REQUESTED), _("Send the documents asked for")),
    Ask("payment", Q(status=Status.PAYMENT_REQUESTED), _("Pay as the handling team asks")),
    Ask("draft", Q(submitted_at__isnull=True), _("Finish the draft and file it")),
    Ask("collect", Q(status=Status.DONE), _("Collect the result")),
    Ask("rate", Q(status=Status.RESULT_RETURNED, rating__isnull=True), _("Rate the service")),
)
# An officer who filed for someone finishes the draft and brings the supplement; paying, collecting
# the result and rating are the applicant's own.
FILER_ASKS = ("supplement", "draft")
# After the asks: open dossiers (the applicant waits), then closed ones.
OPEN_RANK, CLOSED_RANK = len(ASKS), len(ASKS) + 1


def panels(user, day: datetime.date) -> list[Panel]:
    scope = scope_for(user)
    found = [_own_dossiers(user, scope)]
    if scope.active_team_kinds - set(NOT_HANDLING_KINDS):
        found += [_dossiers_to_process(user, scope, day), _inquiries_to_answer(user, day)]
    return [panel for panel in found if panel is not None]


def public_panels(day: datetime.date) -> list[Panel]:
    return [Panel("dossiers/home_public.html", WAYS_IN, data={"lookup_form": LookupForm()})]


# The person's own dossiers


def _own_dossiers(user, scope: Scope) -> Panel | None:
    """An applicant's dossiers, what asks something first; for an officer, only what asks of them."""
    is_applicant = not scope.readable_unit_ids
    own = Dossier.objects.visible_to(user).filter(
        Q(applicant_id=Applicant.objects.own_id(user)) | Q(filed_by=user)
    )
    asks = ASKS if is_applicant else tuple(ask for ask in ASKS if ask.key in FILER_ASKS)
    asking = reduce(or_, (ask.condition for ask in asks))
    if not is_applicant:
        own = own.filter(asking)
    # 1: how many, and how many ask something.
    counts = own.aggregate(total=Count("pk"), to_do=Count("pk", filter=asking))
    if not is_applicant and not counts["total"]:
        return None
    rank = Case(
        *(When(ask.condition, then=Value(position)) for position, ask in enumerate(asks)),
        When(status__in=Dossier.OPEN_STATUSES, then=Value(OPEN_RANK)),
        default=Value(CLOSED_RANK),
        output_field=IntegerField(),
    )
    # An open dossier's due date says how soon its result comes; a closed one's no longer matters.
    open_due = Case(When(status__in=Dossier.OPEN_STATUSES, then=F("due_date")), output_field=DateField())
    # 2: the first rows: what asks most first, then what is due soonest, then the newest.
    rows = list(
        own.annotate(rank=rank, open_due=open_due)
        .select_related("procedure")
        .order_by(
            "rank", F("open_due").asc(nulls_last=True), F("submitted_at").desc(nulls_first=True), "-pk"
        )[:OWN_SHOWN]
    )
    for dossier in rows:
        dossier.ask = asks[dossier.rank] if dossier.rank < len(asks) else None
    return Panel(
        "dossiers/home_own.html",
        ASKED_OF_YOU,
        to_do=counts["to_do"],
        data={"dossiers": rows, "total": counts["total"], "is_applicant": is_applicant},
    )


# The work of the teams that handle dossiers


def _in_writable_units(queryset: AnyQuerySet, scope: Scope, field: str) -> AnyQuerySet:
    """What lies in units the person may still change (a team that ended leaves its history to read)."""
    if scope.writable_unit_ids == scope.readable_unit_ids:
        return queryset
    return queryset.filter(**{f"{field}__in": scope.writable_unit_ids})


def processed_by(user) -> DossierQuerySet:
    """The filed dossiers ``user`` processes: ``access.can_process`` as a queryset (the handling team's,
    or every one in the writable units for who manages the teams, the standing agency)."""
    scope = scope_for(user)
    dossiers = _in_writable_units(Dossier.objects.visible_to(user).submitted(), scope, "unit_id")
    if not scope.manages_teams:
        dossiers = dossiers.filter(handling_team_id__in=scope.team_ids)
    return dossiers


def answered_by(user) -> InquiryQuerySet:
    """The unanswered obstacles ``user`` answers: ``access.can_reply`` as a queryset (the dossier's
    processors, and the team an overdue obstacle was escalated to)."""
    scope = scope_for(user)
    inquiries = _in_writable_units(Inquiry.objects.visible_to(user).unanswered(), scope, "dossier__unit_id")
    if not scope.manages_teams:
        inquiries = inquiries.filter(
            Q(dossier__handling_team_id__in=scope.team_ids) | Q(team_id__in=scope.team_ids)
        )
    return inquiries


def _queue_link(scope: Scope, **params: str) -> str:
    """The officials' queue narrowed as asked, and to the person's team unless they see every team's."""
    if not scope.manages_teams and len(scope.team_ids) == 1:
        [team_id] = scope.team_ids
        params = {**params, "handling_team": str(team_id)}
    return f"{reverse('dossier_list')}?{urlencode(params)}"


def _dossiers_to_process(user, scope: Scope, day: datetime.date) -> Panel:
    # 1: the calendar around the day, for the deadlines and their badges.
    calendar = page_calendar(day)
    conditions = deadline_conditions(day, calendar=calendar)
    to_receive = Q(status=Status.NEW)
    # Only these statuses can be counted below; saying so lets the database read them by index.
    dossiers = processed_by(user).filter(status__in=[*Dossier.CLOCK_RUNNING_STATUSES, Status.NEW])
    # 2: how many of each.
    counts = dossiers.aggregate(
        **{flag: Count("pk", filter=condition) for flag, condition in conditions.items()},
        to_receive=Count("pk", filter=to_receive),
    )
    urgency = Case(
        *(When(conditions[flag], then=Value(position)) for position, flag in enumerate(Deadline.values)),
        default=Value(len(Deadline.values)),
        output_field=IntegerField(),
    )
    # 3: the most pressing: the longest overdue first, then due today, due soon, then the longest waiting.
    rows = list(
        dossiers.filter(reduce(or_, conditions.values()) | to_receive)
        .with_deadline(day, calendar=calendar)
        .annotate(urgency=urgency)
        .select_related("procedure", "applicant", "unit")
        .order_by("urgency", "due_date", "submitted_at", "pk")[:WORK_SHOWN]
    )
    for dossier in rows:
        dossier.badge = badge_of(dossier, day, calendar)
    tallies = [(label, counts[flag], _queue_link(scope, deadline=flag)) for flag, label in Deadline.choices]
    tallies.append((_("Waiting to be received"), counts["to_receive"], _queue_link(scope, status=Status.NEW)))
    return Panel(
        "dossiers/home_work.html",
        OVERDUE_WORK,
        to_do=sum(count for _label, count, _link in tallies),
        data={"dossiers": rows, "tallies": tallies, "queue": _queue_link(scope, order="due")},
    )


def _inquiries_to_answer(user, day: datetime.date) -> Panel | None:
    conditions = reply_conditions(day)
    inquiries = answered_by(user)
    # 1: how many wait, and how many are late or due today.
    counts = inquiries.aggregate(
        waiting=Count("pk"), **{flag: Count("pk", filter=condition) for flag, condition in conditions.items()}
    )
    if not counts["waiting"]:
        return None
    # 2: the first to answer: the earliest reply date first.
    rows = list(
        inquiries.with_deadline(day)
        .select_related("dossier", "dossier__procedure", "team")
        .order_by("reply_due", "raised_at", "pk")[:INQUIRIES_SHOWN]
    )
    return Panel(
        "dossiers/home_inquiries.html",
        TO_ANSWER,
        to_do=counts["waiting"],
        data={
            "inquiries": rows,
            "counts": counts,
            "queue": f"{reverse('inquiry_list')}?{urlencode({'show': 'unanswered'})}",
        },
    )

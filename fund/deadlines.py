"""The reply deadline of each stage of a loan application, in working days of the official calendar,
from the regulation version the application is judged by:

- appraisal: due ``appraisal_days`` after the filing day; done when the appraisal recommends (or the
  application is refused before);
- decision: due ``decision_days`` after the recommendation; done when the application is approved or
  refused;
- first release: due ``disbursement_days`` after the approval; done when the first tranche is released.

A stage is late when it was done, or is still open today, after its due date (the review's "late
replies"). ``stages_of`` is the one definition: the application's page, the queue, the report and the
API read it through ``stages``, ``with_stages`` and ``late_on``.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fund.models import Loan, LoanApplication, Status
from portal.models.people import today
from portal.working_days import Calendar, add_working_days, working_days_between

STAGE_LABELS = {
    "appraisal": _("Appraisal"),
    "decision": pgettext_lazy("fund", "Decision"),
    "first_release": _("First release"),
}
# What the deadlines of an application are counted from, as ``late_on`` reads them for many at once.
DATE_FIELDS = (
    "filed_on",
    "recommended_on",
    "decided_on",
    "status",
    "regulation__appraisal_days",
    "regulation__decision_days",
    "regulation__disbursement_days",
    "loan__start_on",
)


@dataclass(frozen=True)
class Stage:
    name: str
    due: datetime.date | None  # None while the stage has not started
    done_on: datetime.date | None
    late: bool
    days_late: int  # working days after the due date

    @property
    def label(self) -> str:
        """In the reader's language (translated when read: the report counts thousands of stages)."""
        return str(STAGE_LABELS[self.name])


@dataclass(frozen=True)
class Dates:
    filed_on: datetime.date
    recommended_on: datetime.date | None
    decided_on: datetime.date | None
    status: str
    appraisal_days: int
    decision_days: int
    disbursement_days: int
    released_on: datetime.date | None


def calendar_for(first: datetime.date, last: datetime.date, longest: int) -> Calendar:
    """The calendar from ``first`` to past the latest due date a stage of ``longest`` days can have."""
    return Calendar(first, last + datetime.timedelta(days=longest * 2 + 21))


def _stage(
    name: str,
    start: datetime.date | None,
    days: int,
    done_on: datetime.date | None,
    end: datetime.date | None,
    calendar: Calendar,
) -> Stage:
    """``end``: the day the stage's lateness is counted to (its done day, today while open, None when
    the application was withdrawn while the stage was open)."""
    due = add_working_days(start, days, calendar=calendar) if start else None
    late = due is not None and end is not None and end > due
    days_late = working_days_between(due, end, calendar=calendar) if late else 0
    return Stage(name, due, done_on, late, days_late)


def stages_of(dates: Dates, on: datetime.date, calendar: Calendar) -> list[Stage]:
    """The stages of an application with these dates, on day ``on``."""
    open_end = None if dates.status == Status.WITHDRAWN else on
    appraised = dates.recommended_on or dates.decided_on
    stages = [
        _stage("appraisal", dates.filed_on, dates.appraisal_days, appraised, appraised or open_end, calendar),
        _stage(
            "decision",
            dates.recommended_on,
            dates.decision_days,
            dates.decided_on,
            dates.decided_on or open_end,
            calendar,
        ),
    ]
    if dates.status == Status.APPROVED:
        stages.append(
            _stage(
                "first_release",
                dates.decided_on,
                dates.disbursement_days,
                dates.released_on,
                dates.released_on or on,
                calendar,
            )
        )
    return stages


def current_stage(stages: list[Stage]) -> Stage:
    """The first stage not done yet; the last one when all are."""
    return next((stage for stage in stages if stage.done_on is None), stages[-1])


def _dates(application: LoanApplication, released_on: datetime.date | None) -> Dates:
    regulation = application.regulation
    return Dates(
        application.filed_on,
        application.recommended_on,
        application.decided_on,
        application.status,
        regulation.appraisal_days,
        regulation.decision_days,
        regulation.disbursement_days,
        released_on,
    )


def _longest(application: LoanApplication) -> int:
    regulation = application.regulation
    return max(regulation.appraisal_days, regulation.decision_days, regulation.disbursement_days)


def stages(
    application: LoanApplication, loan: Loan | None = None, on: datetime.date | None = None
) -> list[Stage]:
    """One application's stages on ``on`` (today); ``loan``: its loan, once approved."""
    on = on or today()
    calendar = calendar_for(min(application.filed_on, on), on, _longest(application))
    return stages_of(_dates(application, loan.start_on if loan else None), on, calendar)


def with_release_day(queryset: QuerySet) -> QuerySet:
    """Applications with what ``with_stages`` reads, in the same query: the regulation and the day the
    first tranche was released."""
    return queryset.select_related("regulation").annotate(first_release_on=F("loan__start_on"))


def with_stages(applications: list[LoanApplication], on: datetime.date) -> list[LoanApplication]:
    """Each application (read ``with_release_day``) given its ``stages`` and ``current_stage`` and
    ``is_late``, over one calendar read once."""
    if not applications:
        return applications
    first = min(min(application.filed_on for application in applications), on)
    calendar = calendar_for(first, on, max(_longest(application) for application in applications))
    for application in applications:
        application.stages = stages_of(_dates(application, application.first_release_on), on, calendar)
        application.current_stage = current_stage(application.stages)
        application.is_late = any(stage.late for stage in application.stages)
    return applications


def late_ids(queryset: QuerySet, on: datetime.date) -> list[int]:
    """The ids of the applications of ``queryset`` with a late stage on ``on``."""
    rows = list(queryset.order_by().values_list("pk", *DATE_FIELDS))
    if not rows:
        return []
    first = min(min(row[1] for row in rows), on)
    longest = max(max(row[5:8]) for row in rows)
    calendar = calendar_for(first, on, longest)
    return [row[0] for row in rows if any(stage.late for stage in stages_of(Dates(*row[1:]), on, calendar))]


def late_on(queryset: QuerySet, on: datetime.date) -> QuerySet:
    """The applications of ``queryset`` with a late stage on ``on`` (``.count()`` for the report)."""
    return queryset.filter(pk__in=late_ids(queryset, on))

"""Composing a report's content from the installed sections, and building a stored report.

A stored report and the live dashboard both go through ``compose``, so they show the same figures
for the same unit and period.

A build is claimed by a conditional update, so a task delivered twice builds once. The figures
are composed outside any transaction and written, with the status, in one update guarded by the
claim: a build that dies half-way leaves nothing written, and its report is claimed again by the
retry once its last sign of life is older than a task may run.
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from portal.models import Membership, Team, User
from portal.models.people import today
from portal.services.notifications import in_portal_language, notify
from reports.models import ReviewReport
from reports.periods import ReviewPeriod
from reports.sections import check_shape, installed_sections

SCHEMA = 1
Status = ReviewReport.Status
# A build silent for longer than a task may run has died with its worker.
STALE_AFTER = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
# After this many failed attempts a report is marked failed instead of retried.
MAX_ATTEMPTS = 3


def _period(period: ReviewPeriod) -> dict:
    return {"kind": period.kind, "first": period.first.isoformat(), "last": period.last.isoformat()}


def compose(unit, period: ReviewPeriod, *, on_progress: Callable[[int], None] | None = None) -> dict:
    """Every section's content for the unit and period, each measure beside its previous period's value.

    ``on_progress`` hears the per cent done after each step.
    """
    sections = installed_sections()
    previous = period.previous()
    content = []
    for done, section in enumerate(sections, start=1):
        # Untranslated: labels are stored as messages and translated when read.
        with translation.override(None):
            built = section.build(unit, (period.first, period.last), (previous.first, previous.last))
        content.append({"key": section.key, "title": section.title, **check_shape(section.key, built)})
        if on_progress is not None:
            on_progress(100 * done // (len(sections) + 1))
    return {
        "schema": SCHEMA,
        "unit": {"id": unit.pk, "name": unit.name, "level": unit.level},
        "period": _period(period),
        "previous": _period(previous),
        "sections": content,
    }


def build_report(*, report_id: int) -> bool:
    """Build the report if it is waiting (or its build died); True when this call wrote it."""
    now = timezone.now()
    claimable = Q(status=Status.QUEUED) | Q(status=Status.BUILDING, heartbeat_at__lt=now - STALE_AFTER)
    claimed = ReviewReport.objects.filter(claimable, pk=report_id).update(
        status=Status.BUILDING, attempts=F("attempts") + 1, heartbeat_at=now, progress=0
    )
    if not claimed:
        return False  # another worker has it, or it is built
    report = ReviewReport.objects.select_related("unit").get(pk=report_id)
    mine = ReviewReport.objects.filter(pk=report_id, status=Status.BUILDING, attempts=report.attempts)

    def show_progress(progress: int) -> None:
        mine.update(progress=progress, heartbeat_at=timezone.now())

    try:
        data = compose(report.unit, report.period, on_progress=show_progress)
    except Exception as error:
        gives_up = report.attempts >= MAX_ATTEMPTS
        mine.update(status=Status.FAILED if gives_up else Status.QUEUED, progress=0, error=repr(error)[:2000])
        raise
    with transaction.atomic():
        written = mine.update(
            status=Status.READY, data=data, built_at=timezone.now(), progress=100, heartbeat_at=None, error=""
        )
        if written:
            report.refresh_from_db()
            _notify_ready(report)
    return bool(written)


def readers_to_notify(report: ReviewReport) -> list[User]:
    """The council hears of the province's reports, a district or commune's teams of theirs; and who asked."""
    on = today()
    teams = Team.objects.active_on(on)
    if report.unit.level == report.unit.Level.PROVINCE:
        teams = teams.filter(kind=Team.Kind.COUNCIL, unit=report.unit)
    else:
        teams = teams.filter(unit=report.unit)
    members = Membership.objects.active_on(on).filter(team__in=teams).values("user_id")
    return list(User.objects.filter(Q(pk__in=members) | Q(pk=report.requested_by_id), is_active=True))


def _notify_ready(report: ReviewReport) -> None:
    notify(
        recipients=readers_to_notify(report),
        event_key=f"report-{report.pk}-ready",
        title=in_portal_language(
            gettext_noop("Review report ready: %(unit)s, %(period)s (version %(version)s)"),
            unit=report.unit.name,
            period=_period_label_in_portal_language(report),
            version=report.version,
        ),
        link=reverse("reports:detail", args=[report.pk]),
    )


def _period_label_in_portal_language(report: ReviewReport) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return report.period.label


def stalled_reports() -> list[int]:
    """Reports waiting longer than a build may take, or whose build gave no sign of life for that long."""
    before = timezone.now() - STALE_AFTER
    return list(
        ReviewReport.objects.filter(
            Q(status=Status.QUEUED, requested_at__lt=before)
            | Q(status=Status.BUILDING, heartbeat_at__lt=before)
        ).values_list("pk", flat=True)
    )

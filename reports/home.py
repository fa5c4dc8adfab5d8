"""The reports' panel of the home page (portal/panels.py): the flags of the dashboard, for the council
and the standing agency, who oversee the programme.

The flags are the dashboard's own: ``compose`` (reports/building.py) over the sections of every app,
for the highest unit of the reader's scope and the dashboard's default period. Composing the
province takes about a tenth of a second at the size of a real province, which a home page opened
many times a day should not pay each time: the flags are kept in the cache for ``FRESH_FOR`` seconds
(the dashboard itself stays live). They are stored untranslated, as a report stores them, and
translated when shown.
"""

import datetime

from django.core.cache import cache
from django.utils import timezone

from portal.drilldown import top_unit
from portal.models import Team
from portal.panels import OVERSIGHT, Panel
from portal.scope import scope_for
from reports.building import compose
from reports.dashboard import default_period
from reports.periods import ReviewPeriod

FRESH_FOR = 300
FLAGS_SHOWN = 10
# Who oversees the programme's figures: the council, its boards and the standing agency.
FLAG_READING_KINDS = frozenset({Team.Kind.COUNCIL, Team.Kind.COUNCIL_BOARD, Team.Kind.STANDING_AGENCY})


def reads_flags(user, day: datetime.date) -> bool:
    """Whether ``user`` belongs, on ``day``, to an active team that oversees the figures (all of which
    work across the province, so nobody else costs a query)."""
    scope = scope_for(user)
    return scope.is_province_wide and (
        Team.objects.filter(pk__in=scope.team_ids, kind__in=FLAG_READING_KINDS).active_on(day).exists()
    )


def panels(user, day: datetime.date) -> list[Panel]:
    if not reads_flags(user, day):
        return []
    period = default_period(day)
    unit = top_unit(user, period.first, period.last)
    flags = dashboard_flags(unit, period)
    return [
        Panel(
            "reports/home_flags.html",
            OVERSIGHT,
            to_do=len(flags),
            data={
                "flags": flags[:FLAGS_SHOWN],
                "count": len(flags),
                "more": max(len(flags) - FLAGS_SHOWN, 0),
                "unit": unit,
                "period": period,
                "dashboard_query": f"unit={unit.pk}&{period.query}",
            },
        )
    ]


def dashboard_flags(unit, period: ReviewPeriod) -> list[dict]:
    """Every section's flags of the dashboard of ``unit`` over ``period``, in report order, each with
    its section's title; composed at most ``FRESH_FOR`` seconds ago."""
    key = f"home:dashboard-flags:{unit.pk}:{period.kind}:{period.first}:{period.last}"

    def flags() -> list[dict]:
        return [
            {**flag, "section": section["title"]}
            for section in compose(unit, period)["sections"]
            for flag in section["flags"]
        ]

    # The moment goes with the flags: the portal's clock decides what is fresh, whatever the cache
    # backend's own expiry (Redis keeps real time) does.
    now = timezone.now()
    kept = cache.get(key)
    if kept is None or not now - datetime.timedelta(seconds=FRESH_FOR) <= kept[0] <= now:
        kept = (now, flags())
        cache.set(key, kept, FRESH_FOR)
    return kept[1]

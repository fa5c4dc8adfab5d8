"""The local calendar day of a stored moment, computed by the database itself.

Django's ``__date`` on SQLite calls a Python function for every row; over a province's dossiers
that is a large part of a report. The portal's time zone (Asia/Ho_Chi_Minh) keeps one offset all
year, so SQLite can shift the stored UTC moment by that offset with its own ``date()``. A zone
with summer time falls back to Django's way.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.db.models import DateField, Func
from django.db.models.functions import TruncDate


def fixed_offset_minutes() -> int | None:
    """The time zone's offset from UTC in minutes when it is the same in winter and summer, else None."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    year = datetime.datetime.now(zone).year
    offsets = {datetime.datetime(year, month, 1, tzinfo=zone).utcoffset() for month in (1, 7)}
    if len(offsets) != 1:
        return None
    return int(offsets.pop().total_seconds() // 60)


class LocalDate(Func):
    """The day, in the portal's time zone, of a date-time expression."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(TruncDate(*self.get_source_expressions()))

    def as_sqlite(self, compiler, connection, **extra):
        minutes = fixed_offset_minutes()
        if minutes is None:
            return self.as_sql(compiler, connection, **extra)
        return super().as_sql(
            compiler,
            connection,
            function="date",
            template=f"%(function)s(%(expressions)s, '{minutes:+d} minutes')",
        )

"""The small rules every projects service shares: dates, amounts in whole đồng, the writer."""

import datetime

from django.utils.translation import gettext as _

from portal.models import AdminUnit, User
from portal.models.people import today
from portal.periods import covers
from portal.refusals import Refused
from projects.access import can_change


def check_writer(by: User, unit_id: int) -> None:
    if not can_change(by, unit_id):
        raise Refused(
            _("Only the commune's support team (or the standing agency) changes this project."),
            code="not_writable",
        )


def check_day(on: datetime.date, *, after: datetime.date | None = None) -> None:
    if on > today():
        raise Refused(_("The date cannot be in the future."), code="future")
    if after is not None and on < after:
        raise Refused(
            _("The date cannot be before the previous step (%(day)s).") % {"day": f"{after:%d/%m/%Y}"},
            code="before_previous",
        )


def check_commune(unit: AdminUnit, on: datetime.date) -> None:
    """A commune or ward that existed on ``on``."""
    if unit.level != AdminUnit.Level.COMMUNE:
        raise Refused(_("Choose a commune or ward, not a district or province."), code="not_commune")
    if not covers(on, unit.valid_from, unit.valid_until):
        raise Refused(
            _("%(unit)s did not exist on %(day)s: choose the commune of that date.")
            % {"unit": unit, "day": f"{on:%d/%m/%Y}"},
            code="unit_not_valid",
        )

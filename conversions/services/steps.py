"""The pipeline's one way to move: a dated step to the next stage, by a named officer."""

import datetime

from django.utils.translation import gettext as _

from conversions.models import STAGE_ORDER, Conversion, ConversionStep, Stage
from portal.models import User
from portal.models.people import today
from portal.refusals import Refused


def check_day(on: datetime.date, *, after: datetime.date | None = None) -> None:
    if on > today():
        raise Refused(_("The date cannot be in the future."), code="future")
    if after is not None and on < after:
        raise Refused(
            _("The date cannot be before the previous step (%(day)s).") % {"day": f"{after:%d/%m/%Y}"},
            code="before_previous",
        )


def locked(conversion: Conversion) -> Conversion:
    return Conversion.objects.select_for_update().get(pk=conversion.pk)


def last_step(conversion: Conversion) -> ConversionStep | None:
    return conversion.steps.order_by("-recorded_at", "-pk").first()


def move(conversion: Conversion, *, to: str, by: User, on: datetime.date, note: str, fields=()) -> Conversion:
    """Record the step to ``to``, which must be the stage after the case's."""
    if STAGE_ORDER.index(to) != STAGE_ORDER.index(conversion.stage) + 1:
        raise Refused(
            _("The case is at “%(stage)s”: it cannot go to “%(next)s” now.")
            % {"stage": Stage(conversion.stage).label, "next": Stage(to).label},
            code="out_of_order",
            conflict=True,
        )
    last = last_step(conversion)
    check_day(on, after=last.taken_on if last else None)
    conversion.stage = to
    conversion.save(update_fields=["stage", *fields])
    ConversionStep.objects.create(conversion=conversion, stage=to, taken_on=on, note=note, by=by)
    return conversion


def mark_followed_up(conversion: Conversion, *, by: User, on: datetime.date) -> None:
    """The first follow-up visit done moves a registered case to "followed up" (inside its transaction)."""
    if conversion.stage == Stage.REGISTERED:
        move(conversion, to=Stage.FOLLOWED_UP, by=by, on=on, note=_("First follow-up visit recorded."))

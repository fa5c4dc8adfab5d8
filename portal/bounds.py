"""What a number, an id or a day written by a person or a program may be: one definition for every
form, FilterSet, serializer, model and the admin.

Python's ``int()`` reads "٣" and "３" as 3 and ``str.isdigit()`` is true for "²", and an integer
Python holds need not fit a column: SQLite stores 64 bits, PostgreSQL's ``integer`` 32. Input that
reached the database as it came answered 500 (``OverflowError``, ``DataError``), or was stored on
SQLite where PostgreSQL would refuse it. So what is typed is read here first:

- a whole number is written in ASCII digits (a minus sign where negatives are allowed) and lies
  between the bounds of what it fills (``parse_whole_number``);
- an id is a whole number from 1 to 2⁶³ − 1, the range of the portal's keys (``parse_id``);
- an integer column holds on SQLite what the column of its type holds on PostgreSQL: the model
  fields carry these bounds as validators (``within_column``), which the admin's forms check, and
  the other forms and the serializers read them from the field (``limits``);
- a day lies in the years 2000 to 2100 (``check_day``): the programme began in 2016, and a day at
  the edge of Python's calendar (0001-01-01, 9999-12-31) breaks the arithmetic of periods and
  working days.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from portal.widgets import QuickSelect

WHOLE_NUMBER = re.compile(r"-?[0-9]{1,20}")
MAX_ID = 2**63 - 1
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)

INVALID_NUMBER = _("Enter a whole number.")
NUMBER_OUT_OF_RANGE = _("Enter a whole number from %(minimum)s to %(maximum)s.")
DAY_OUT_OF_RANGE = _("Enter a day from %(first)s to %(last)s.")


def parse_whole_number(value, *, minimum: int, maximum: int) -> int:
    """``value`` (an int, or its ASCII digits) as an int from ``minimum`` to ``maximum``.

    ValidationError otherwise: a bool, a float, "²", "٣" or "1e3" is not a whole number.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and WHOLE_NUMBER.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        raise ValidationError(INVALID_NUMBER, code="invalid")
    if not minimum <= number <= maximum:
        raise ValidationError(
            NUMBER_OUT_OF_RANGE,
            code="out_of_range",
            params={"minimum": _grouped(minimum), "maximum": _grouped(maximum)},
        )
    return number


def parse_id(value) -> int:
    """``value`` as an id; ValidationError for anything that is not a whole number from 1 to 2⁶³ − 1.

    An id out of that range names no row: it gets the same message as one that is not a number.
    """
    try:
        return parse_whole_number(value, minimum=1, maximum=MAX_ID)
    except ValidationError:
        raise ValidationError(INVALID_NUMBER, code="invalid") from None


def _grouped(number: int) -> str:
    """``number`` with its thousands grouped (2.147.483.647), but a year as a year (2100)."""
    return str(number) if abs(number) < 10_000 else number_format(number, force_grouping=True)


# --- Integer columns ---------------------------------------------------------------------------------------


def column_range(field: models.Field | type[models.Field]) -> tuple[int, int]:
    """What a column of ``field``'s type holds on every database the portal runs on.

    Django's portable ranges are PostgreSQL's (``integer`` 32 bits, ``smallint`` 16); SQLite would
    store 64 bits, so data that fits here moves between the two.
    """
    instance = field() if isinstance(field, type) else field
    return BaseDatabaseOperations.integer_field_ranges[instance.get_internal_type()]


def within_column(
    field_class: type[models.IntegerField], *, minimum: int | None = None, maximum: int | None = None
) -> list:
    """The validators of a model field of ``field_class``: its column's range, narrowed by the domain's."""
    low, high = column_range(field_class)
    return [
        MinValueValidator(low if minimum is None else max(low, minimum)),
        MaxValueValidator(high if maximum is None else min(high, maximum)),
    ]


def limits(model_field: models.Field) -> tuple[int, int]:
    """The smallest and largest value ``model_field`` accepts: its validators, within its column."""
    low, high = column_range(model_field)
    for validator in model_field.validators:
        if isinstance(validator, MinValueValidator):
            low = max(low, validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            high = min(high, validator.limit_value)
    return low, high


# --- Days --------------------------------------------------------------------------------------------------


def check_day(day: datetime.date) -> datetime.date:
    """``day`` if it lies from ``FIRST_DAY`` to ``LAST_DAY``; else ValidationError."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            DAY_OUT_OF_RANGE,
            code="out_of_range",
            params={"first": f"{FIRST_DAY:%d/%m/%Y}", "last": f"{LAST_DAY:%d/%m/%Y}"},
        )
    return day


# --- Form fields (pages, FilterSets, the admin) ------------------------------------------------------------


class ColumnBounds:
    """``min_value`` and ``max_value`` both required, and ``of(model_field)``: the bounds of what the
    column holds. Mixed into the whole-number fields of the forms here and of the API
    (portal/api/fields.py)."""

    def __init__(self, *, min_value: int, max_value: int, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    @classmethod
    def of(cls, model_field: models.Field, **kwargs):
        """A field for what ``model_field`` holds, with its bounds."""
        minimum, maximum = limits(model_field)
        return cls(min_value=minimum, max_value=maximum, **kwargs)


class WholeNumberField(ColumnBounds, forms.IntegerField):
    """A whole number in ASCII digits from ``min_value`` to ``max_value``."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_whole_number(value, minimum=self.min_value, maximum=self.max_value)


class IdField(forms.Field):
    """An id in a query string (``?unit=12``); whether it names a row the person may see is not its say."""

    widget = forms.HiddenInput

    def to_python(self, value):
        return None if value in self.empty_values else parse_id(value)


class IdChoiceField(forms.ModelChoiceField):
    """A row of the field's queryset, chosen by its id; an id outside the queryset is an invalid choice.

    Its choice renders without a template per option (``QuickSelect``): a province has hundreds of units
    and teams. The options' values and labels are kept for a minute: a subclass whose labels depend on
    more than the row and the language sets ``keeps_labels`` false."""

    widget = QuickSelect
    keeps_labels = True

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return super().to_python(parse_id(value))


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Rows of the field's queryset, chosen by their ids, each parsed before the database reads it."""

    def _check_values(self, value):
        ids = []
        for pk in value:
            try:
                ids.append(parse_id(pk))
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                ) from None
        return super()._check_values(ids)


class DayField(forms.DateField):
    """A day written in ASCII digits, from ``FIRST_DAY`` to ``LAST_DAY``."""

    def to_python(self, value):
        if isinstance(value, str) and not value.isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        day = super().to_python(value)
        return None if day is None else check_day(day)

"""The API's fields for numbers, ids and days: the bounds of portal/bounds.py, as DRF fields.

A request body or a query string is read through these, so a number the column cannot hold, an id
written in other digits than ASCII or a day outside the years 2000–2100 is a 400 naming the field,
with the same message as on the pages.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from portal.bounds import MAX_ID, ColumnBounds, check_day, parse_id, parse_whole_number


def _as_api_error(error: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(error.messages, code=error.code)


class WholeNumberField(ColumnBounds, serializers.IntegerField):
    """A whole number (an int, or its ASCII digits) from ``min_value`` to ``max_value``."""

    def to_internal_value(self, data) -> int:
        try:
            return parse_whole_number(data, minimum=self.min_value, maximum=self.max_value)
        except DjangoValidationError as error:
            raise _as_api_error(error) from None


class IdField(serializers.IntegerField):
    """An id: a whole number from 1 to 2⁶³ − 1. Whether it names a row the caller sees is the view's say."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)

    def to_internal_value(self, data) -> int:
        try:
            return parse_id(data)
        except DjangoValidationError as error:
            raise _as_api_error(error) from None


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A row of the queryset by its id, the id parsed before the database reads it."""

    def to_internal_value(self, data):
        try:
            pk = parse_id(data)
        except DjangoValidationError:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(pk)


class DayField(serializers.DateField):
    """A day written YYYY-MM-DD in ASCII digits, from 1 January 2000 to 31 December 2100."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["iso-8601"])
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str) and not value.isascii():
            self.fail("invalid", format="YYYY-MM-DD")
        day = super().to_internal_value(value)
        try:
            return check_day(day)
        except DjangoValidationError as error:
            raise _as_api_error(error) from None

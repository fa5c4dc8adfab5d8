"""The fields the fund's forms share: dates, amounts in whole đồng, notes, months, and the hidden
idempotency key every money form carries (new each time the form is shown, so a double submit posts
once: fund/idempotency.py)."""

import datetime
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.bounds import WholeNumberField, check_day
from portal.money import MAX_AMOUNT

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = forms.NumberInput(attrs={"inputmode": "numeric", "min": "1", "step": "1"})
NOTE = forms.Textarea(attrs={"rows": 3})
# The highest page number a list's ``page`` parameter takes.
MOST_PAGES = 100_000
MONTH_PATTERN = r"\A[0-9]{4}-(0[1-9]|1[0-2])\Z"


def money_field(label, **kwargs) -> WholeNumberField:
    """An amount in whole đồng, above zero and at most ``MAX_AMOUNT``."""
    kwargs.setdefault("help_text", _("Whole đồng, digits only: 120000000."))
    kwargs.setdefault("min_value", 1)
    return WholeNumberField(label=label, max_value=MAX_AMOUNT, widget=MONEY, **kwargs)


def new_key() -> str:
    return uuid.uuid4().hex


def key_field() -> forms.CharField:
    """The hidden idempotency key of a money form; generated when the form is shown."""
    return forms.CharField(widget=forms.HiddenInput, initial=new_key, max_length=100)


def renew_key(form: forms.Form) -> None:
    """Give a refused money form a new key, so that the corrected request is a new one."""
    form.data = form.data.copy()
    form.data[form.add_prefix("idempotency_key")] = new_key()


class MonthField(forms.RegexField):
    """A month written ``yyyy-mm`` (ASCII digits), from 2000 to 2100: its first day."""

    def __init__(self, **kwargs):
        super().__init__(
            MONTH_PATTERN,
            max_length=7,
            error_messages={"invalid": _("Write the month as yyyy-mm, for example 2026-07.")},
            **kwargs,
        )

    def to_python(self, value):
        text = super().to_python(value)
        return text or None

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        year, month = (int(part) for part in text.split("-"))
        try:
            return check_day(datetime.date(year, month, 1))
        except (ValueError, ValidationError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

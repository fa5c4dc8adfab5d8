"""The fields the projects' forms share: dates, whole numbers and texts as long as their columns."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.bounds import WholeNumberField

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = forms.NumberInput(attrs={"inputmode": "numeric"})
MONEY = forms.NumberInput(attrs={"inputmode": "numeric", "min": "0", "step": "1"})


def blank_first(choices) -> list:
    return [("", "---------"), *choices]


def text_field(model: type[models.Model], name: str, label, **kwargs) -> forms.CharField:
    """Text of at most what the model's field holds."""
    return forms.CharField(label=label, max_length=model._meta.get_field(name).max_length, **kwargs)


def whole_field(model: type[models.Model], name: str, label, **kwargs) -> WholeNumberField:
    """A whole number within what the model's column holds."""
    kwargs.setdefault("widget", NUMBER)
    return WholeNumberField.of(model._meta.get_field(name), label=label, **kwargs)


def money_field(model: type[models.Model], name: str, label, **kwargs) -> WholeNumberField:
    """An amount in whole đồng, within what the model's column holds."""
    kwargs.setdefault("help_text", _("Whole đồng, digits only: 12000000."))
    return whole_field(model, name, label, widget=MONEY, **kwargs)

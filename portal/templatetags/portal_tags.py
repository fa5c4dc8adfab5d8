from django import template
from django.forms import CheckboxInput, Select

from portal import money

register = template.Library()


@register.filter
def dong(amount):
    """An amount of money as the reader's locale groups it: ``{{ loan.amount|dong }}``."""
    return "" if amount is None else money.dong(amount)


@register.filter
def as_input(field):
    """Render a bound field with Bootstrap classes, its errors and help text tied to it for screen readers."""
    widget = field.field.widget
    css = (
        "form-check-input"
        if isinstance(widget, CheckboxInput)
        else "form-select"
        if isinstance(widget, Select)
        else "form-control"
    )
    described_by = []
    if field.help_text:
        described_by.append(f"{field.id_for_label}-help")
    attrs = {"class": css + (" is-invalid" if field.errors else "")}
    if field.errors:
        attrs["aria-invalid"] = "true"
        described_by.append(f"{field.id_for_label}-error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)

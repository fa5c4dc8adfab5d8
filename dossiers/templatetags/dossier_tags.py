"""Template filters for dossier pages: status colours, timeline labels, slip titles, durations."""

from django import template
from django.utils.formats import number_format

from dossiers import slips
from dossiers.models import Dossier
from dossiers.transitions import TIMELINE_LABELS

register = template.Library()


_STATUS_CLASSES = {
    Dossier.Status.NEW: "text-bg-secondary",
    Dossier.Status.RECEIVED: "text-bg-info",
    Dossier.Status.NOT_RECEIVED: "text-bg-dark",
    Dossier.Status.IN_PROGRESS: "text-bg-primary",
    Dossier.Status.SUPPLEMENT_REQUESTED: "text-bg-warning",
    Dossier.Status.PAYMENT_REQUESTED: "text-bg-warning",
    Dossier.Status.WITHDRAWN: "text-bg-light border",
    Dossier.Status.STOPPED: "text-bg-danger",
    Dossier.Status.DONE: "text-bg-success",
    Dossier.Status.RESULT_RETURNED: "text-bg-success",
}


@register.filter
def status_class(status: str) -> str:
    """The Bootstrap badge class of a dossier status."""
    return _STATUS_CLASSES.get(status, "text-bg-secondary")


@register.filter
def action_label(action: str) -> str:
    """How a step of the dossier's life reads on its timeline."""
    return str(TIMELINE_LABELS.get(action, action))


@register.filter
def slip_title(kind: str) -> str:
    """The name of a kind of slip, as the national forms spell it."""
    return slips.slip_title(kind)


@register.filter
def duration_in_days(value) -> str:
    """A timedelta as days with one decimal, written the Vietnamese way (1,5)."""
    if value is None:
        return ""
    return number_format(value.total_seconds() / 86400, decimal_pos=1)

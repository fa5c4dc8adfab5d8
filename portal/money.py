"""Amounts of money: whole đồng (integer VND), never negative; the one check every app's services use."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portal.refusals import Refused

# The largest amount a form or an endpoint takes: a thousand billion đồng, far above any loan or budget
# of the programme and well inside a 64-bit column.
MAX_AMOUNT = 10**15


def check_amount(value, label: str, *, positive: bool = False) -> int:
    """An amount of money: whole đồng, not negative (above zero when ``positive``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refused(
            _("%(label)s: enter whole đồng, without decimals.") % {"label": label}, code="not_whole"
        )
    if value < 0 or (positive and value == 0):
        raise Refused(_("%(label)s: enter an amount above zero.") % {"label": label}, code="not_positive")
    if value > MAX_AMOUNT:
        raise Refused(_("%(label)s: the amount is too large.") % {"label": label}, code="too_large")
    return value


def dong(amount: int) -> str:
    """``1.234.567 ₫`` in Vietnamese, ``1,234,567 ₫`` in English: grouped as the reader's locale groups;
    the sign never wraps away from its figure (a no-break space)."""
    return f"{number_format(amount, force_grouping=True)}\u00a0₫"

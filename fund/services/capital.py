"""The fund's capital: pledges recorded, money received against them (each receipt one ledger posting,
cash debited and the capital of the pledge's source credited) and fundraising campaigns.

Only the fund's officers write. ``receive`` is a money request: its callers (the page, the API) run
it through ``fund.idempotency.run_once`` so that a repeat posts nothing. Receipts are numbered
``PT-<fund>-<year>-<five-digit sequence of the fund and year>`` (PT: phiếu thu) under the fund's lock.
"""

import datetime

from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from fund.access import runs
from fund.models import CONTRIBUTED, AccountKind, Campaign, Contribution, Fund, Receipt, TransactionKind
from fund.services import ledger
from portal.bounds import FIRST_DAY
from portal.models import User
from portal.models.people import today
from portal.money import check_amount, dong
from portal.refusals import Refused
from portal.text import fold


def _check_officer(by: User, fund: Fund) -> None:
    if not runs(by, fund):
        raise Refused(_("Only the fund's officers record its capital."), code="not_writable")


def _text(value: str, model, name: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    field = model._meta.get_field(name)
    if required and not text:
        raise Refused(_("%(label)s: required.") % {"label": field.verbose_name}, code="text_required")
    if len(text) > field.max_length:
        raise Refused(
            _("%(label)s: at most %(limit)s characters.")
            % {"label": field.verbose_name, "limit": field.max_length},
            code="too_long",
        )
    return text


def _past_day(day: datetime.date, label: str) -> datetime.date:
    """A day from 2000 up to today: money is recorded once it moved."""
    if not isinstance(day, datetime.date) or not FIRST_DAY <= day <= today():
        raise Refused(
            _("%(label)s: a day from %(first)s to today.")
            % {"label": label, "first": f"{FIRST_DAY:%d/%m/%Y}"},
            code="bad_day",
        )
    return day


# A receipt whose posting was reversed (a mistake undone) no longer counts as received.
STANDING = Q(transaction__reversed_by__isnull=True)


def received_of(contribution: Contribution) -> int:
    return contribution.receipts.filter(STANDING).aggregate(total=Sum("amount"))["total"] or 0


@transaction.atomic
def add_campaign(
    *,
    fund: Fund,
    by: User,
    name: str,
    goal: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    description: str = "",
) -> Campaign:
    """A fundraising campaign of ``fund`` with its goal; its progress is what its pledges received."""
    _check_officer(by, fund)
    check_amount(goal, str(Campaign._meta.get_field("goal").verbose_name), positive=True)
    if ends_on < starts_on:
        raise Refused(_("A campaign cannot end before it starts."), code="ends_before_start")
    return Campaign.objects.create(
        fund=fund,
        name=_text(name, Campaign, "name"),
        goal=goal,
        starts_on=starts_on,
        ends_on=ends_on,
        description=_text(description, Campaign, "description", required=False),
    )


@transaction.atomic
def pledge(
    *,
    fund: Fund,
    by: User,
    source: str,
    contributor: str,
    contact: str = "",
    anonymous: bool = False,
    pledged: int,
    pledged_on: datetime.date,
    campaign: Campaign | None = None,
    note: str = "",
) -> Contribution:
    """Record a pledge to ``fund`` (a state budget allocation, an enterprise's or a person's); nothing is
    posted until money is received against it."""
    _check_officer(by, fund)
    if source not in CONTRIBUTED:
        raise Refused(
            _("A contribution comes from the state budget, an enterprise or an individual."),
            code="bad_source",
        )
    if campaign is not None and campaign.fund_id != fund.pk:
        raise Refused(_("The campaign is another fund's."), code="campaign_of_another_fund")
    check_amount(pledged, str(Contribution._meta.get_field("pledged").verbose_name), positive=True)
    name = _text(contributor, Contribution, "contributor")
    return Contribution.objects.create(
        fund=fund,
        campaign=campaign,
        source=source,
        contributor=name,
        contact=_text(contact, Contribution, "contact", required=False),
        anonymous=bool(anonymous),
        pledged=pledged,
        pledged_on=_past_day(pledged_on, str(Contribution._meta.get_field("pledged_on").verbose_name)),
        note=_text(note, Contribution, "note", required=False),
        recorded_by=by,
        search_name=fold(name),
    )


def _next_number(fund: Fund, year: int) -> str:
    """The next receipt number of ``fund`` and ``year`` (the caller holds the fund's lock)."""
    sequence = Receipt.objects.filter(contribution__fund=fund, received_on__year=year).count() + 1
    return f"PT-{fund.pk}-{year}-{sequence:05d}"


@transaction.atomic
def receive(*, contribution: Contribution, by: User, amount: int, received_on: datetime.date) -> Receipt:
    """Money received against a pledge: one posting (Dr cash, Cr the capital of the pledge's source) and
    its receipt. What a pledge receives in all never exceeds what was pledged."""
    fund = ledger.lock_fund(contribution.fund)
    _check_officer(by, fund)
    contribution = Contribution.objects.get(pk=contribution.pk)
    check_amount(amount, str(Receipt._meta.get_field("amount").verbose_name), positive=True)
    _past_day(received_on, str(Receipt._meta.get_field("received_on").verbose_name))
    if received_on < contribution.pledged_on:
        raise Refused(
            _("The money cannot be received before the pledge (%(day)s).")
            % {"day": f"{contribution.pledged_on:%d/%m/%Y}"},
            code="before_pledge",
        )
    received = received_of(contribution)
    if received + amount > contribution.pledged:
        raise Refused(
            _(
                "%(contributor)s pledged %(pledged)s and %(received)s has been received: at most "
                "%(left)s more."
            )
            % {
                "contributor": contribution.contributor,
                "pledged": dong(contribution.pledged),
                "received": dong(received),
                "left": dong(contribution.pledged - received),
            },
            code="above_pledge",
            conflict=True,
        )
    number = _next_number(fund, received_on.year)
    posting = ledger.post(
        fund=fund,
        kind=TransactionKind.CONTRIBUTION,
        value_date=received_on,
        lines=[
            (ledger.account(fund, AccountKind.CASH), amount),
            (ledger.account(fund, AccountKind.CAPITAL, source=contribution.source), -amount),
        ],
        by=by,
        memo=f"{number}: {contribution.contributor}",
    )
    return Receipt.objects.create(
        contribution=contribution,
        number=number,
        amount=amount,
        received_on=received_on,
        transaction=posting,
        recorded_by=by,
    )

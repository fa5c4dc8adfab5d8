"""A fund's regulation (quy chế) versions: adopted by the fund's officers or the standing agency, each
in force on dates no other version of the fund covers, with a rubric whose weights add up to 100 and a
repayment allocation order that pays arrears first.

A new version starting after the latest open-ended one closes it the day before. A version that
already judged an application is never edited (its rules are what the application was judged by): a
change is a new version. The fund's row is locked while a version is written, so two versions added
at once cannot overlap.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from fund.access import runs
from fund.allocation import (
    CURRENT_INTEREST,
    CURRENT_PRINCIPAL,
    DEFAULT_ORDER,
    OVERDUE_INTEREST,
    OVERDUE_PRINCIPAL,
)
from fund.models import Frequency, Fund, Method, Regulation, RubricCriterion
from fund.services.ledger import lock_fund
from fund.services.rules import RULE_LABELS
from portal.bounds import FIRST_DAY, LAST_DAY
from portal.models import AdminUnit, Team, User
from portal.money import check_amount
from portal.refusals import Refused
from portal.scope import scope_for
from portal.sectors import Sector

RUBRIC_TOTAL = 100
MAX_TERM_MONTHS = 600
MAX_REPLY_DAYS = 365
MAX_RATE_BP = 10_000
OVERDUE_PARTS = frozenset({OVERDUE_INTEREST, OVERDUE_PRINCIPAL})
CURRENT_PARTS = frozenset({CURRENT_INTEREST, CURRENT_PRINCIPAL})
# What a version is made of, besides its fund and its rubric; anything else is a programming error.
FIELDS = frozenset(
    {
        "number",
        "title",
        "signed_on",
        "effective_from",
        "effective_to",
        "is_example",
        "max_enterprise_age_months",
        "first_startup_only",
        "excluded_sectors",
        "residence_unit",
        "equity_share_cap_pct",
        "project_cost_share_cap_pct",
        "absolute_cap",
        "max_term_months",
        "max_grace_months",
        "yearly_rate_bp",
        "method",
        "period_months",
        "collateral_above",
        "required_documents",
        "appraisal_days",
        "decision_days",
        "disbursement_days",
        "board_limit",
        "allocation_order",
        "articles",
    }
)


def adopts_regulations(user, fund: Fund) -> bool:
    """The fund's own officers and the standing agency write a fund's regulation versions."""
    return runs(user, fund) or Team.Kind.STANDING_AGENCY in scope_for(user).active_team_kinds


# --- Checks of what a version says ------------------------------------------------------------------------


def _label(name: str) -> str:
    return str(Regulation._meta.get_field(name).verbose_name)


def _text(fields: dict, name: str, *, required: bool) -> None:
    text = (fields.get(name) or "").strip()
    if required and not text:
        raise Refused(_("%(label)s: required.") % {"label": _label(name)}, code="text_required")
    limit = Regulation._meta.get_field(name).max_length
    if len(text) > limit:
        raise Refused(
            _("%(label)s: at most %(limit)s characters.") % {"label": _label(name), "limit": limit},
            code="too_long",
        )
    fields[name] = text


def _day(fields: dict, name: str, *, required: bool) -> None:
    day = fields.get(name)
    if day is None and not required:
        return
    if not isinstance(day, datetime.date) or not FIRST_DAY <= day <= LAST_DAY:
        raise Refused(
            _("%(label)s: enter a day from %(first)s to %(last)s.")
            % {"label": _label(name), "first": f"{FIRST_DAY:%d/%m/%Y}", "last": f"{LAST_DAY:%d/%m/%Y}"},
            code="bad_day",
        )


def _number(fields: dict, name: str, *, low: int, high: int, required: bool) -> None:
    value = fields.get(name)
    if value is None and not required:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Refused(
            _("%(label)s: enter a whole number from %(low)s to %(high)s.")
            % {"label": _label(name), "low": low, "high": high},
            code="out_of_range",
        )


def _money(fields: dict, name: str, *, required: bool) -> None:
    value = fields.get(name)
    if value is None and not required:
        return
    check_amount(value, _label(name), positive=True)


def check_allocation_order(order) -> list[str]:
    """Each of the four parts named once, both overdue parts before both current parts: the replay
    keeps a loan's arrears right after a rescheduling only for such orders."""
    parts = list(order) if isinstance(order, list | tuple) else []
    if sorted(parts) != sorted(DEFAULT_ORDER) or set(parts[:2]) != OVERDUE_PARTS:
        raise Refused(
            _(
                "The repayment allocation order names overdue interest, overdue principal, current "
                "interest and current principal, each once, both overdue parts first."
            ),
            code="allocation_order",
        )
    return parts


def _sectors(value) -> str:
    letters = (value or "").replace(",", "").replace(" ", "").upper()
    known = set(Sector.values)
    if any(letter not in known for letter in letters) or len(set(letters)) != len(letters):
        raise Refused(
            _("Sectors excluded: write VSIC section letters (A to U), each once, for example KL."),
            code="bad_sectors",
        )
    return "".join(sorted(letters))


def _articles(value) -> dict[str, str]:
    articles = value or {}
    if not isinstance(articles, dict) or any(
        rule not in RULE_LABELS or not isinstance(text, str) or len(text) > 100
        for rule, text in articles.items()
    ):
        raise Refused(
            _("Articles: name each rule the portal checks once, with an article of at most 100 characters."),
            code="bad_articles",
        )
    return {rule: text.strip() for rule, text in articles.items() if text.strip()}


def _checked(fields: dict) -> dict:
    """The version's fields, checked and tidied; Refused naming the first that is wrong."""
    unknown = set(fields) - FIELDS
    if unknown:
        raise TypeError(f"unknown regulation fields: {sorted(unknown)}")
    fields = dict(fields)
    _text(fields, "number", required=True)
    _text(fields, "title", required=True)
    _text(fields, "required_documents", required=False)
    for name in ("signed_on", "effective_from"):
        _day(fields, name, required=True)
    _day(fields, "effective_to", required=False)
    if fields.get("effective_to") is not None and fields["effective_to"] < fields["effective_from"]:
        raise Refused(_("A version cannot end before it comes into force."), code="ends_before_start")
    _number(fields, "max_enterprise_age_months", low=1, high=MAX_TERM_MONTHS, required=False)
    _number(fields, "equity_share_cap_pct", low=1, high=100, required=False)
    _number(fields, "project_cost_share_cap_pct", low=1, high=100, required=False)
    _number(fields, "max_term_months", low=1, high=MAX_TERM_MONTHS, required=True)
    fields.setdefault("max_grace_months", 0)
    _number(fields, "max_grace_months", low=0, high=fields["max_term_months"] - 1, required=True)
    fields.setdefault("yearly_rate_bp", 0)
    _number(fields, "yearly_rate_bp", low=0, high=MAX_RATE_BP, required=True)
    for name in ("appraisal_days", "decision_days", "disbursement_days"):
        fields.setdefault(name, Regulation._meta.get_field(name).default)
        _number(fields, name, low=1, high=MAX_REPLY_DAYS, required=True)
    for name in ("absolute_cap", "collateral_above"):
        _money(fields, name, required=False)
    _money(fields, "board_limit", required=True)
    fields.setdefault("method", Method.EQUAL_PRINCIPAL)
    fields.setdefault("period_months", Frequency.MONTHLY)
    if fields["method"] not in Method.values or fields["period_months"] not in Frequency.values:
        raise Refused(_("Choose a repayment method and frequency the portal knows."), code="bad_method")
    residence = fields.get("residence_unit")
    if residence is not None and not isinstance(residence, AdminUnit):
        raise TypeError("residence_unit is an AdminUnit or None")
    fields["excluded_sectors"] = _sectors(fields.get("excluded_sectors"))
    fields["allocation_order"] = check_allocation_order(fields.get("allocation_order", list(DEFAULT_ORDER)))
    fields["articles"] = _articles(fields.get("articles"))
    return fields


def _checked_rubric(criteria) -> list[tuple[str, int]]:
    rubric = []
    for name, weight in criteria or []:
        text = (name or "").strip()
        if not text or len(text) > RubricCriterion._meta.get_field("name").max_length:
            raise Refused(
                _("Every criterion of the rubric needs a name (at most 200 characters)."), code="rubric"
            )
        if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= RUBRIC_TOTAL:
            raise Refused(
                _("The weight of “%(name)s” is a whole percentage from 1 to 100.") % {"name": text},
                code="rubric",
            )
        rubric.append((text, weight))
    total = sum(weight for _name, weight in rubric)
    if total != RUBRIC_TOTAL:
        raise Refused(
            _("The weights of the rubric add up to %(total)s%%, not 100%%.") % {"total": total},
            code="rubric_weights",
        )
    return rubric


# --- Dates ------------------------------------------------------------------------------------------------


def _overlaps(version: Regulation, start: datetime.date, end: datetime.date | None) -> bool:
    return version.effective_from <= (end or LAST_DAY) and start <= (version.effective_to or LAST_DAY)


def _refuse_overlap(version: Regulation) -> None:
    until = f"{version.effective_to:%d/%m/%Y}" if version.effective_to else _("no end date")
    raise Refused(
        _(
            "Overlapping dates: version %(number)s is in force from %(start)s to %(end)s. Versions of a "
            "fund's regulation never overlap."
        )
        % {"number": version.number, "start": f"{version.effective_from:%d/%m/%Y}", "end": until},
        code="overlapping_dates",
        conflict=True,
    )


def _closed_latest(others: list[Regulation], start: datetime.date) -> Regulation | None:
    """The latest version, open-ended and in force before ``start``, closed the day before it (not saved);
    refused when it judged an application filed on ``start`` or later."""
    latest = max(others, key=lambda version: version.effective_from, default=None)
    if latest is None or latest.effective_to is not None or latest.effective_from >= start:
        return None
    if latest.applications.filter(filed_on__gte=start).exists():
        raise Refused(
            _(
                "Version %(number)s judged applications filed on or after %(start)s: the new version "
                "must start after the last of them."
            )
            % {"number": latest.number, "start": f"{start:%d/%m/%Y}"},
            code="overlapping_dates",
            conflict=True,
        )
    latest.effective_to = start - datetime.timedelta(days=1)
    return latest


def _check_dates(others: list[Regulation], start: datetime.date, end: datetime.date | None) -> None:
    for version in sorted(others, key=lambda version: version.effective_from):
        if _overlaps(version, start, end):
            _refuse_overlap(version)


def _write_rubric(regulation: Regulation, rubric: list[tuple[str, int]]) -> None:
    RubricCriterion.objects.bulk_create(
        RubricCriterion(regulation=regulation, name=name, weight=weight, position=position)
        for position, (name, weight) in enumerate(rubric)
    )


# --- Services ---------------------------------------------------------------------------------------------


@transaction.atomic
def add_regulation(*, fund: Fund, by: User, criteria: list[tuple[str, int]], **fields) -> Regulation:
    """A new version of ``fund``'s regulation with its rubric; the latest open-ended version, in force
    before it, ends the day before it starts."""
    if not adopts_regulations(by, fund):
        raise Refused(
            _("Only the fund's officers or the standing agency adopt its regulation."), code="not_writable"
        )
    fields = _checked(fields)
    rubric = _checked_rubric(criteria)
    fund = lock_fund(fund)
    others = list(fund.regulations.all())
    closed = _closed_latest(others, fields["effective_from"])
    _check_dates(others, fields["effective_from"], fields.get("effective_to"))
    if closed is not None:
        closed.save(update_fields=["effective_to"])
    regulation = Regulation.objects.create(fund=fund, **fields)
    _write_rubric(regulation, rubric)
    return regulation


@transaction.atomic
def change_regulation(
    *, regulation: Regulation, by: User, criteria: list[tuple[str, int]] | None = None, **fields
) -> Regulation:
    """Correct a version that has judged no application yet: the fields given, and the rubric when
    ``criteria`` is given. A version that judged one is never edited: adopt a new version."""
    if not adopts_regulations(by, regulation.fund):
        raise Refused(
            _("Only the fund's officers or the standing agency adopt its regulation."), code="not_writable"
        )
    fund = lock_fund(regulation.fund)
    regulation = Regulation.objects.get(pk=regulation.pk)
    if regulation.applications.exists():
        raise Refused(
            _("Version %(number)s has judged applications: it is never edited. Adopt a new version instead.")
            % {"number": regulation.number},
            code="regulation_in_use",
            conflict=True,
        )
    current = {name: getattr(regulation, name) for name in FIELDS}
    checked = _checked(current | fields)
    rubric = _checked_rubric(criteria) if criteria is not None else None
    _check_dates(
        list(fund.regulations.exclude(pk=regulation.pk)), checked["effective_from"], checked["effective_to"]
    )
    for name, value in checked.items():
        setattr(regulation, name, value)
    regulation.save(update_fields=sorted(checked))
    if rubric is not None:
        regulation.criteria.all().delete()
        _write_rubric(regulation, rubric)
    return regulation

"""Regulation versions: dates that never overlap, the latest open-ended version closed the day before a
later one, a rubric adding up to 100, an allocation order paying arrears first, who adopts them, and a
version that judged an application never edited."""

import datetime

import pytest

from fund.allocation import DEFAULT_ORDER
from fund.models import Regulation, RubricCriterion
from fund.services.regulations import add_regulation, change_regulation
from portal.refusals import Refused
from tests.fund.fixtures import *  # noqa: F403
from tests.fund.fixtures import BINH_PHUOC_RULES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = datetime.date
RUBRIC = [("Tính khả thi", 50), ("Khả năng trả nợ", 30), ("Việc làm", 20)]


def version(**changes) -> dict:
    """The fixture's rules as a new version's fields, changed by ``changes``."""
    fields = {name: value for name, value in BINH_PHUOC_RULES.items() if name != "is_example"}
    return fields | {"number": "20/2026/QĐ-UBND", "title": "Quy chế sửa đổi"} | changes


def state():
    return (
        sorted(
            Regulation.objects.values_list("pk", "number", "effective_from", "effective_to", "board_limit")
        ),
        sorted(RubricCriterion.objects.values_list("regulation_id", "name", "weight")),
    )


def test_a_later_version_closes_the_open_ended_one_the_day_before(fund_world):
    added = add_regulation(
        fund=fund_world.fund,
        by=fund_world.officer,
        criteria=RUBRIC,
        **version(effective_from=D(2027, 1, 1), board_limit=300_000_000),
    )
    fund_world.regulation.refresh_from_db()
    assert fund_world.regulation.effective_to == D(2026, 12, 31)
    assert (added.effective_from, added.effective_to, added.board_limit) == (D(2027, 1, 1), None, 300_000_000)
    assert list(added.criteria.values_list("name", "weight", "position")) == [
        ("Tính khả thi", 50, 0),
        ("Khả năng trả nợ", 30, 1),
        ("Việc làm", 20, 2),
    ]
    assert added.allocation_order == list(DEFAULT_ORDER)
    assert fund_world.fund.regulation_on(D(2026, 12, 31)) == fund_world.regulation
    assert fund_world.fund.regulation_on(D(2027, 1, 1)) == added
    # The pending application keeps the version it was filed under.
    fund_world.application.refresh_from_db()
    assert fund_world.application.regulation == fund_world.regulation


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2023, 6, 1), D(2024, 3, 1)),  # ends inside the version in force
        (D(2024, 1, 1), None),  # starts the same day
        (D(2023, 1, 1), None),  # starts before it, open-ended
    ],
)
def test_overlapping_dates_are_refused(fund_world, start, end):
    before = state()
    with pytest.raises(Refused) as refused:
        add_regulation(
            fund=fund_world.fund,
            by=fund_world.officer,
            criteria=RUBRIC,
            **version(effective_from=start, effective_to=end),
        )
    assert refused.value.code == "overlapping_dates"
    assert refused.value.conflict
    assert str(refused.value) == (
        "Overlapping dates: version 15/2024/QĐ-UBND (ví dụ) is in force from 01/01/2024 to no end date. "
        "Versions of a fund's regulation never overlap."
    )
    assert state() == before


def test_an_earlier_closed_version_before_the_first_is_accepted(fund_world):
    earlier = add_regulation(
        fund=fund_world.fund,
        by=fund_world.officer,
        criteria=RUBRIC,
        **version(effective_from=D(2022, 1, 1), effective_to=D(2023, 12, 31)),
    )
    fund_world.regulation.refresh_from_db()
    assert fund_world.regulation.effective_to is None
    assert fund_world.fund.regulation_on(D(2023, 6, 1)) == earlier


def test_a_version_starting_before_an_application_it_would_take_from_another_is_refused(fund_world):
    """The application filed 05/11/2026 was judged by the version in force: it cannot end before that."""
    before = state()
    with pytest.raises(Refused) as refused:
        add_regulation(
            fund=fund_world.fund,
            by=fund_world.officer,
            criteria=RUBRIC,
            **version(effective_from=D(2026, 11, 1)),
        )
    assert refused.value.code == "overlapping_dates"
    assert state() == before


@pytest.mark.parametrize(
    "criteria", [[("Tính khả thi", 50), ("Việc làm", 40)], [], [("Một", 60), ("Hai", 60)]]
)
def test_rubric_weights_must_add_up_to_100(fund_world, criteria):
    before = state()
    with pytest.raises(Refused) as refused:
        add_regulation(
            fund=fund_world.fund,
            by=fund_world.officer,
            criteria=criteria,
            **version(effective_from=D(2027, 1, 1)),
        )
    assert refused.value.code == "rubric_weights"
    assert state() == before


def test_a_weight_out_of_range_is_refused(fund_world):
    with pytest.raises(Refused) as refused:
        add_regulation(
            fund=fund_world.fund,
            by=fund_world.officer,
            criteria=[("Một", 0), ("Hai", 100)],
            **version(effective_from=D(2027, 1, 1)),
        )
    assert refused.value.code == "rubric"


@pytest.mark.parametrize(
    "order",
    [
        ["current_interest", "overdue_interest", "overdue_principal", "current_principal"],
        ["overdue_interest", "overdue_principal", "current_interest"],
        ["overdue_interest", "overdue_interest", "current_interest", "current_principal"],
        "overdue_interest",
    ],
)
def test_an_allocation_order_not_paying_arrears_first_is_refused(fund_world, order):
    before = state()
    with pytest.raises(Refused) as refused:
        add_regulation(
            fund=fund_world.fund,
            by=fund_world.officer,
            criteria=RUBRIC,
            **version(effective_from=D(2027, 1, 1), allocation_order=order),
        )
    assert refused.value.code == "allocation_order"
    assert state() == before


def test_principal_before_interest_is_a_valid_order(fund_world):
    order = ["overdue_principal", "overdue_interest", "current_principal", "current_interest"]
    added = add_regulation(
        fund=fund_world.fund,
        by=fund_world.officer,
        criteria=RUBRIC,
        **version(effective_from=D(2027, 1, 1), allocation_order=order),
    )
    assert added.allocation_order == order


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"yearly_rate_bp": 10_001}, "out_of_range"),
        ({"max_grace_months": 60}, "out_of_range"),
        ({"board_limit": -1}, "not_positive"),
        ({"period_months": 2}, "bad_method"),
        ({"excluded_sectors": "KZ"}, "bad_sectors"),
        ({"effective_to": D(2026, 12, 1)}, "ends_before_start"),
        ({"number": "  "}, "text_required"),
        ({"articles": {"no_such_rule": "Điều 1"}}, "bad_articles"),
    ],
)
def test_bad_rules_are_refused(fund_world, changes, code):
    before = state()
    with pytest.raises(Refused) as refused:
        add_regulation(
            fund=fund_world.fund,
            by=fund_world.officer,
            criteria=RUBRIC,
            **version(effective_from=D(2027, 1, 1)) | changes,
        )
    assert refused.value.code == code
    assert state() == before


def test_the_standing_agency_adopts_and_a_commune_officer_does_not(fund_world):
    cast = fund_world.cast
    before = state()
    with pytest.raises(Refused) as refused:
        add_regulation(
            fund=fund_world.fund,
            by=cast.commune_officer,
            criteria=RUBRIC,
            **version(effective_from=D(2027, 1, 1)),
        )
    assert refused.value.code == "not_writable"
    assert state() == before
    added = add_regulation(
        fund=fund_world.fund,
        by=cast.standing_officer,
        criteria=RUBRIC,
        **version(effective_from=D(2027, 1, 1)),
    )
    assert added.fund == fund_world.fund


def test_a_version_that_judged_an_application_is_never_edited(fund_world):
    before = state()
    with pytest.raises(Refused) as refused:
        change_regulation(regulation=fund_world.regulation, by=fund_world.officer, board_limit=300_000_000)
    assert refused.value.code == "regulation_in_use"
    assert refused.value.conflict
    assert state() == before


def test_a_version_that_judged_nothing_is_corrected(fund_world):
    added = add_regulation(
        fund=fund_world.fund, by=fund_world.officer, criteria=RUBRIC, **version(effective_from=D(2027, 1, 1))
    )
    changed = change_regulation(
        regulation=added,
        by=fund_world.officer,
        criteria=[("Tính khả thi", 100)],
        board_limit=250_000_000,
        effective_from=D(2027, 2, 1),
    )
    changed.refresh_from_db()
    assert (changed.board_limit, changed.effective_from, changed.number) == (
        250_000_000,
        D(2027, 2, 1),
        "20/2026/QĐ-UBND",
    )
    assert list(changed.criteria.values_list("name", "weight")) == [("Tính khả thi", 100)]
    # A correction never reaches into another version's dates.
    with pytest.raises(Refused) as refused:
        change_regulation(regulation=added, by=fund_world.officer, effective_from=D(2026, 12, 1))
    assert refused.value.code == "overlapping_dates"

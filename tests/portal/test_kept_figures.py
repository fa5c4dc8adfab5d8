"""A unit's figures over a period are kept for a minute (portal/paging.py: kept_over): the dashboard,
the spread of support and the teams' work. A second read within the minute counts nothing, the page
says when its figures were counted, and a read after the minute counts them again."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.paging import FRESH_FOR

PAGES = ["reports:dashboard", "support_spread", "teamwork_overview"]


def read(client, url_name: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    return response, len(queries)


@pytest.mark.parametrize("url_name", PAGES)
def test_a_units_figures_are_counted_once_a_minute(cast, login, clock, url_name):
    client = login(cast.council_member)
    first, counting = read(client, url_name)
    counted_at = first.context["counted_at"]
    clock.move_to(counted_at + datetime.timedelta(seconds=FRESH_FOR // 2))
    second, kept = read(client, url_name)
    clock.move_to(counted_at + datetime.timedelta(seconds=FRESH_FOR + 1))
    third, counting_again = read(client, url_name)

    assert kept < min(counting, counting_again)
    assert second.context["counted_at"] == counted_at < third.context["counted_at"]
    assert f"ố liệu tính lúc {timezone.localtime(counted_at):%H:%M}" in second.content.decode()


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(2024, 2, 29),
        datetime.date(2025, 6, 30),
        datetime.date(2025, 7, 1),  # the reform's first day
        datetime.date(2026, 12, 31),
    ],
)
def test_on_awkward_days_the_dashboard_keeps_the_figures_of_its_own_period(cast, login, set_today, day):
    set_today(day)
    client = login(cast.council_member)
    first, counting = read(client, "reports:dashboard")
    second, kept = read(client, "reports:dashboard")

    assert kept < counting
    assert second.context["data"] == first.context["data"]
    assert first.context["data"]["period"]["last"] == day.isoformat()

"""The dashboard's figures are kept for a minute, shared by the readers of the same unit and period."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.paging import FRESH_FOR
from tests.conftest import SUITE_START
from tests.reports.helpers import measure, record_outreach

DAY = SUITE_START.date()  # 18 November 2026: the fourth quarter so far


def activities(response) -> int:
    return measure(response.context["data"], "teamwork", "activities")["value"]


def test_a_second_reader_of_the_same_unit_and_period_reads_the_kept_figures(cast, login, clock):
    record_outreach(cast, day=DAY)
    council_member, standing_officer = login(cast.council_member), login(cast.standing_officer)
    with CaptureQueriesContext(connection) as first_read:
        first = council_member.get(reverse("reports:dashboard"), {"unit": cast.units.province.pk})
    record_outreach(cast, day=DAY)
    counted_at = first.context["counted_at"]
    clock.move_to(counted_at + datetime.timedelta(seconds=FRESH_FOR // 2))
    with CaptureQueriesContext(connection) as second_read:
        second = standing_officer.get(reverse("reports:dashboard"), {"unit": cast.units.province.pk})

    assert activities(first) == activities(second) == 1
    assert second.context["data"] == first.context["data"]
    assert second.context["counted_at"] == counted_at
    # The page says when the figures were counted, in Vietnam's time (09:30 and some seconds).
    assert f"số liệu tính lúc {timezone.localtime(counted_at):%H:%M}, giữ trong một phút" in (
        second.content.decode()
    )
    # No section is composed: the sections' 42 queries (tests/reports/test_report_pages.py) are not made.
    assert len(first_read) - len(second_read) == 5 + 6 + 7 + 11 + 13

    clock.move_to(counted_at + datetime.timedelta(seconds=FRESH_FOR + 1))
    third = council_member.get(reverse("reports:dashboard"), {"unit": cast.units.province.pk})
    assert activities(third) == 2
    assert f"số liệu tính lúc {timezone.localtime(third.context['counted_at']):%H:%M}" in (
        third.content.decode()
    )
    assert third.context["counted_at"] > counted_at


def test_another_unit_or_period_is_composed_for_itself(cast, login):
    record_outreach(cast, day=DAY)
    client = login(cast.council_member)
    province = client.get(reverse("reports:dashboard"), {"unit": cast.units.province.pk})
    other_district = client.get(reverse("reports:dashboard"), {"unit": cast.units.other_district.pk})
    third_quarter = client.get(
        reverse("reports:dashboard"),
        {"unit": cast.units.province.pk, "kind": "quarterly", "year": 2026, "part": 3},
    )

    assert (activities(province), activities(other_district), activities(third_quarter)) == (1, 0, 0)


def test_a_reader_outside_the_unit_gets_no_kept_figures(cast, login):
    login(cast.council_member).get(reverse("reports:dashboard"), {"unit": cast.units.other_commune.pk})
    response = login(cast.commune_officer).get(
        reverse("reports:dashboard"), {"unit": cast.units.other_commune.pk}
    )
    assert response.status_code == 404


def test_the_kept_figures_are_written_in_each_readers_language(cast, login):
    record_outreach(cast, day=DAY)
    client = login(cast.council_member)
    vietnamese = client.get(reverse("reports:dashboard"), {"unit": cast.units.province.pk})
    client.post(reverse("set_language"), {"language": "en"})
    english = client.get(reverse("reports:dashboard"), {"unit": cast.units.province.pk})

    assert english.context["counted_at"] == vietnamese.context["counted_at"]
    assert "Số hoạt động" in vietnamese.content.decode()
    assert "Activities recorded" in english.content.decode()
    assert "Số hoạt động" not in english.content.decode()

"""The one-stop shop's stored daily figures (dossiers/daily_figures.py, portal/figures.py): kept current
by the services in their transaction, on the local day of each event, across the 1 July 2025 reform;
checked against the rows and counted again by the nightly job and the command.

The section's arithmetic over the stored figures is tested on the hand-built land
(tests/reports/test_dossier_section.py).
"""

import dataclasses
import datetime
import io
import logging

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from dossiers.daily_figures import NAMES, SOURCE
from dossiers.models import Dossier
from dossiers.report_sections import Counts, DossierSection
from dossiers.services import dossiers as services
from dossiers.services.inquiries import raise_inquiry, reply_to_inquiry
from portal import figures
from portal.models import DailyFigure
from portal.refusals import Refused
from portal.tasks import check_and_rebuild_daily_figures_tonight
from tests.dossiers.service_helpers import *  # noqa: F403 (the freeze and world fixtures)
from tests.dossiers.service_helpers import D, draft

pytestmark = pytest.mark.django_db

Q3_2025 = (D(2025, 7, 1), D(2025, 9, 30))
Q2_2025 = (D(2025, 4, 1), D(2025, 6, 30))


def stored(unit_id: int) -> dict[tuple[str, datetime.date], int]:
    return {
        (measure.removeprefix("dossiers."), day): value
        for measure, day, value in DailyFigure.objects.filter(unit_id=unit_id, grain="day").values_list(
            "measure", "day", "value"
        )
    }


def measures(unit, period) -> dict:
    content = DossierSection().build(unit, period, Q2_2025)
    return {measure["key"]: (measure["value"], measure["previous"]) for measure in content["measures"]}


def test_the_services_keep_the_figures_on_the_local_day_of_each_event(world, freeze):
    officer, applicant = world.officer, world.applicant_user
    commune = world.cast.units.commune
    freeze(D(2025, 6, 30))
    dossier = draft(world)
    services.submit_dossier(dossier=dossier, by=applicant)
    assert stored(commune.pk) == {}
    # Ten past midnight on 1 July 2025, local time: still 30 June in UTC; the figure is 1 July's.
    freeze(D(2025, 7, 1), datetime.time(0, 10))
    services.receive_dossier(dossier=dossier, by=officer)
    services.start_processing(dossier=dossier, by=officer)
    assert stored(commune.pk) == {("received", D(2025, 7, 1)): 1, ("required", D(2025, 7, 1)): 2}
    freeze(D(2025, 7, 2))
    services.request_supplement(dossier=dossier, by=officer, missing=[world.identity], note="CCCD bị mờ")
    freeze(D(2025, 7, 3))
    services.supply_supplement(dossier=dossier, by=applicant)
    inquiry = raise_inquiry(dossier=dossier, by=applicant, question="Bao giờ có kết quả?")
    freeze(D(2025, 7, 4))
    reply_to_inquiry(inquiry=inquiry, by=officer, reply="Trong tháng này.")
    # Decided on 30 September, the quarter's last day, long after its due date.
    freeze(D(2025, 9, 30), datetime.time(23, 30))
    services.complete_dossier(dossier=dossier, by=officer, result="Đồng ý hỗ trợ")
    freeze(D(2025, 10, 1))
    services.return_result(dossier=dossier, by=officer)
    # Rated later: the rating counts on the day the result was returned, a day already past.
    freeze(D(2025, 10, 6))
    services.rate_service(dossier=dossier, by=applicant, rating=4)

    assert stored(commune.pk) == {
        ("received", D(2025, 7, 1)): 1,
        ("required", D(2025, 7, 1)): 2,
        ("asked_again", D(2025, 7, 1)): 1,
        ("supplements", D(2025, 7, 2)): 1,
        ("answered", D(2025, 7, 4)): 1,
        ("answered_on_time", D(2025, 7, 4)): 1,
        ("decided", D(2025, 9, 30)): 1,
        ("rated", D(2025, 10, 1)): 1,
        ("rating_sum", D(2025, 10, 1)): 4,
    }
    assert figures.differences() == []
    third_quarter = measures(commune, Q3_2025)
    assert third_quarter["received"] == (1, 0)
    assert third_quarter["decided"] == (1, 0)
    assert third_quarter["late"] == (1, 0)
    assert third_quarter["supplements"] == (1, 0)
    assert third_quarter["documents_asked"] == (3.0, None)
    assert third_quarter["inquiries_answered"] == (1, 0)
    assert third_quarter["ratings"] == (0, 0)
    # The province sums the commune's figures; the fourth quarter holds the rating.
    fourth_quarter = DossierSection().build(
        world.cast.units.province, (D(2025, 10, 1), D(2025, 12, 31)), Q3_2025
    )
    values = {
        measure["key"]: (measure["value"], measure["previous"]) for measure in fourth_quarter["measures"]
    }
    assert values["mean_rating"] == (4.0, None)
    assert values["received"] == (0, 1)


def test_a_refused_change_leaves_the_figures_as_they_were(world, freeze):
    freeze(D(2025, 3, 31))  # a quarter's last day
    dossier = draft(world)
    services.submit_dossier(dossier=dossier, by=world.applicant_user)
    services.receive_dossier(dossier=dossier, by=world.officer)
    before = stored(world.cast.units.commune.pk)
    with pytest.raises(Refused):
        services.rate_service(dossier=dossier, by=world.applicant_user, rating=5)
    assert (
        stored(world.cast.units.commune.pk)
        == before
        == {
            ("received", D(2025, 3, 31)): 1,
            ("required", D(2025, 3, 31)): 2,
        }
    )


def test_a_change_made_round_the_services_is_found_and_counted_again(world, freeze, caplog):
    freeze(D(2024, 2, 29))
    dossier = draft(world)
    services.submit_dossier(dossier=dossier, by=world.applicant_user)
    dossier = services.receive_dossier(dossier=dossier, by=world.officer)
    assert figures.differences() == []
    # A bulk edit outside the portal moves the receipt to the day before.
    Dossier.objects.filter(pk=dossier.pk).update(received_at=dossier.received_at - datetime.timedelta(days=1))
    commune = world.cast.units.commune.pk
    found = {(d.measure, d.grain, d.day, d.stored, d.counted) for d in figures.differences()}
    assert found == {
        ("dossiers.received", "day", D(2024, 2, 28), 0, 1),
        ("dossiers.received", "day", D(2024, 2, 29), 1, 0),
        ("dossiers.required", "day", D(2024, 2, 28), 0, 2),
        ("dossiers.required", "day", D(2024, 2, 29), 2, 0),
    }
    with pytest.raises(CommandError, match="4 stored daily figures differ"):
        call_command("rebuild_daily_figures", "--check", stdout=io.StringIO())
    with caplog.at_level(logging.WARNING, logger="portal.figures"):
        assert check_and_rebuild_daily_figures_tonight() == 4
    assert "4 stored daily figures differed" in caplog.text
    assert stored(commune) == {("received", D(2024, 2, 28)): 1, ("required", D(2024, 2, 28)): 2}
    call_command("rebuild_daily_figures", "--check", stdout=io.StringIO())


def test_the_command_counts_everything_again(world, freeze):
    freeze(D(2025, 12, 31))
    dossier = draft(world)
    services.submit_dossier(dossier=dossier, by=world.applicant_user)
    services.receive_dossier(dossier=dossier, by=world.officer)
    DailyFigure.objects.all().delete()
    call_command("rebuild_daily_figures", stdout=io.StringIO())
    assert stored(world.cast.units.commune.pk) == {
        ("received", D(2025, 12, 31)): 1,
        ("required", D(2025, 12, 31)): 2,
    }
    assert set(SOURCE.measures) >= {row[0] for row in DailyFigure.objects.values_list("measure")}


def test_the_section_reads_every_measure_the_figures_count():
    assert {field.name for field in dataclasses.fields(Counts)} == set(NAMES)


def test_the_figures_are_checked_and_counted_again_each_night():
    entry = settings.CELERY_BEAT_SCHEDULE["daily-figures"]
    assert entry["task"] == "portal.tasks.check_and_rebuild_daily_figures_tonight"
    assert entry["schedule"].hour == {1}

"""A visitor finds the programme at the front door and signs in there; each person's home then starts
with what is theirs to do. Every page is checked for accessibility and photographed."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from dossiers.models import Dossier, Inquiry
from dossiers.services.inquiries import raise_inquiry
from tests.browser.test_dossier_journey import screenshot, sign_in, vi
from tests.conftest import PASSWORD
from tests.dossiers.fixtures import dossiers_for
from tests.teamwork.test_teamwork_pages import record

pytestmark = pytest.mark.browser

Status = Dossier.Status


@pytest.fixture
def busy_province(transactional_db, cast, settings, tmp_path):
    """Dossiers asking something of Bùi Văn Nộp, late work for the commune team and the fund, an
    obstacle to answer, the commune team's activity this month; the district teams have ended."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    world = dossiers_for(cast)
    supplement = world.at(Status.SUPPLEMENT_REQUESTED)
    world.file(submit=False)
    world.at(Status.RESULT_RETURNED)
    late = world.at(Status.IN_PROGRESS)
    Dossier.objects.filter(pk=late.pk).update(due_date=datetime.date(2026, 11, 10))
    loan = world.advance(world.file(), Status.RECEIVED)
    Dossier.objects.filter(pk=loan.pk).update(
        handling_team=cast.teams.fund, due_date=datetime.date(2026, 11, 17)
    )
    inquiry = raise_inquiry(dossier=late, by=cast.applicant, question="Bao giờ tôi nhận được kết quả?")
    Inquiry.objects.filter(pk=inquiry.pk).update(reply_due=datetime.date(2026, 11, 16))
    record(cast, day=datetime.date(2026, 11, 12), people=40)
    for team in (cast.teams.district, cast.teams.other_district):
        team.active_until = datetime.date(2025, 6, 30)
        team.save(update_fields=["active_until"])
    yield supplement
    cache.clear()


def test_from_the_front_door_each_person_finds_what_is_theirs_to_do(
    live_server, busy_province, browser, page, checked_pages
):
    base = live_server.url
    page.goto(base + reverse("home"))
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("heading", name=vi("What the programme offers")).wait_for()
    assert page.get_by_role("heading", name=vi("Look up a dossier")).is_visible()
    screenshot(page, "home-0-front-door.png")

    # The applicant signs in at the front door and goes straight to what is asked of her.
    page.get_by_label("Tên đăng nhập").fill("nguoinop")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.locator("[data-panel=sign-in]").get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Xin chào, Bùi Văn Nộp").wait_for()
    assert vi("Nothing needs your attention right now.") not in page.content()
    screenshot(page, "home-1-applicant.png")
    page.get_by_role("link", name=vi("Send the documents asked for")).click()
    page.wait_for_url(base + reverse("dossier_detail", args=[busy_province.pk]))

    for number, (username, heading) in enumerate(
        [
            ("xa", vi("Dossiers to process")),
            ("quy", vi("Dossiers to process")),
            ("thuongtruc", vi("Flags of %(unit)s", unit="Tỉnh Thử Nghiệm")),
            ("hoidong", vi("Flags of %(unit)s", unit="Tỉnh Thử Nghiệm")),
            ("huyen", vi("My teams")),
        ],
        start=2,
    ):
        context = browser.new_context()
        other = checked_pages(context.new_page())
        sign_in(other, base, username)
        other.get_by_role("heading", name=heading).wait_for()
        screenshot(other, f"home-{number}-{username}.png")
        if username == "huyen":
            assert vi("Nothing needs your attention right now.") in other.content()
        else:
            assert vi("Nothing needs your attention right now.") not in other.content()
        context.close()

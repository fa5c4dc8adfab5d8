"""On a phone, a commune officer records an outreach event; the district officer sees it counted."""

import re

import pytest
from django.urls import reverse

from teamwork.models import Activity
from tests.browser.test_commune_officer_journey import live_server_artifact
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def log_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + reverse("home"))


def test_commune_outreach_is_counted_on_the_district_page(transactional_db, live_server, cast, page):
    page.set_viewport_size(PHONE)

    log_in(page, live_server, "xa")
    page.goto(live_server.url + reverse("activity_new"))
    page.locator("select[name=kind]").select_option(Activity.Kind.OUTREACH)
    # Choosing the kind brings in the outreach fields only (htmx swaps out the other kinds' fields).
    page.locator("select[name=review_kind]").wait_for(state="detached")
    page.locator("select[name=channel]").select_option(Activity.Channel.LOUDSPEAKER)
    page.locator("input[name=people_reached]").fill("35")
    page.locator("input[name=topics]").fill("Giới thiệu chương trình khởi nghiệp")
    page.screenshot(path=str(live_server_artifact("outreach-1-phone-form.png")), full_page=True)
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/activities/\d+/$"))
    activity = Activity.objects.get()
    assert (activity.team, activity.unit, activity.people_reached) == (
        cast.teams.commune,
        cast.units.commune,
        35,
    )

    log_in(page, live_server, "huyen")
    page.goto(live_server.url + reverse("teamwork_overview"))
    page.get_by_role("heading", level=1).filter(has_text="Huyện Chợ Lách").wait_for()
    assert page.locator("dd[data-measure=activities]").inner_text() == "1"
    commune_row = page.locator("#sub-units").locator("..").locator("tbody tr").filter(has_text="Xã Sơn Định")
    assert commune_row.locator("td").nth(1).inner_text() == "1"
    assert commune_row.locator("td").nth(2).inner_text() == "35"
    assert page.get_by_role("link", name="Tổ hỗ trợ ĐT&KN xã Sơn Định").first.is_visible()
    page.screenshot(path=str(live_server_artifact("outreach-2-district-teamwork.png")), full_page=True)

    page.locator("#team-bars").locator("..").get_by_role("link", name="Tổ hỗ trợ ĐT&KN xã Sơn Định").click()
    page.get_by_role("heading", level=1, name="Tổ hỗ trợ ĐT&KN xã Sơn Định").wait_for()
    assert "Giới thiệu chương trình khởi nghiệp" in page.locator("#team-last").locator("..").inner_text()
    page.screenshot(path=str(live_server_artifact("outreach-3-commune-team-teamwork.png")), full_page=True)

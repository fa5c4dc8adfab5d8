"""On a phone, a commune officer takes a household business from the registry to an enterprise and
records its first follow-up; the owner then reads the case.

The commune's list is imported first in the whole journey (issue 11); that part is added where marked
once the import pages exist.
"""

import re

import pytest
from django.urls import reverse

from conversions.models import Conversion, FollowUpVisit, Stage
from tests.browser.test_commune_officer_journey import live_server_artifact
from tests.browser.test_outreach_journey import log_in
from tests.conversions.fixtures import *  # noqa: F403 (the conversions and media_root fixtures)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TODAY = "2026-11-18"


def test_a_commune_officer_converts_a_household_business_from_a_phone(
    transactional_db, live_server, conversions, page
):
    page.set_viewport_size(PHONE)
    dossier = conversions.conversion_dossier()  # the owner filed it at the one-stop shop
    log_in(page, live_server, "xa")

    # --- The import of the commune's list (to come with the import pages) --------------------------------
    # The officer downloads the template, uploads the commune's list (conversions/demo/), checks the
    # preview and confirms; "Cơ sở kẹo dừa Tư Nộp" is then among the rows written.

    # --- Find the household business and pick it as a candidate -----------------------------------------
    page.goto(live_server.url + reverse("household_business_list"))
    page.locator("input[name=q]").fill("keo dua")
    page.locator("form[role=search] button[type=submit]").click()
    page.get_by_role("link", name="Cơ sở kẹo dừa Tư Nộp").click()
    page.get_by_role("heading", level=1, name="Cơ sở kẹo dừa Tư Nộp").wait_for()
    page.locator("#id_identify_note").fill("Đủ 12 tháng hoạt động, chủ hộ muốn mở rộng")
    page.locator(
        f"form[action='{reverse('household_business_identify', args=[conversions.business.pk])}'] "
        "button[type=submit]"
    ).click()
    page.wait_for_url(re.compile(r"/conversions/\d+/$"))
    conversion = Conversion.objects.get(household_business=conversions.business)
    case_url = live_server.url + reverse("conversion_detail", args=[conversion.pk])

    # --- Advise, link the dossier ------------------------------------------------------------------------
    page.locator("#id_advise_note").fill("Tư vấn thủ tục thành lập công ty TNHH một thành viên")
    page.locator("form[action$='/advise/'] button[type=submit]").click()
    page.wait_for_url(case_url)
    page.locator("#id_link_dossier").select_option(str(dossier.pk))
    page.locator("form[action$='/link-dossier/'] button[type=submit]").click()
    page.wait_for_url(case_url)
    assert page.locator(f"a[href='{reverse('dossier_detail', args=[dossier.pk])}']").is_visible()

    # --- Record the registration ----------------------------------------------------------------------------
    page.locator("#id_register_enterprise_code").fill("1300123456")
    page.locator("#id_register_enterprise_name").fill("Công ty TNHH Kẹo dừa Tư Nộp")
    page.locator("#id_register_registered_on").fill(TODAY)
    page.locator("#id_register_insured_workers").fill("6")
    page.locator("#id_register_yearly_revenue").fill("2000000000")
    page.locator("form[action$='/register/'] button[type=submit]").click()
    page.wait_for_url(case_url)
    assert page.locator("#stage-bar li[aria-current=step]").get_attribute("data-stage") == Stage.REGISTERED
    assert page.locator("#case-size").is_visible()
    page.screenshot(path=str(live_server_artifact("conversion-1-case-registered.png")), full_page=True)

    # --- The first follow-up, from the phone ---------------------------------------------------------------
    visit = conversion.visits.get(months_after=1)
    page.locator(f"a[href='{reverse('conversion_visit', args=[visit.pk])}']").click()
    page.wait_for_url(live_server.url + reverse("conversion_visit", args=[visit.pk]))
    assert page.locator("#id_visit_done_on").input_value() == TODAY  # today, unless changed
    page.locator("input[name=channel][value=phone]").check()
    page.locator("input[name=finding][value=taxes_accounting]").check()
    page.locator("#id_visit_actions").fill("Hướng dẫn kê khai thuế quý IV")
    page.locator("#id_visit_next_step").fill("Gửi mẫu sổ kế toán đơn giản")
    page.screenshot(path=str(live_server_artifact("conversion-2-phone-visit-form.png")), full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#visit-form button[type=submit]").click()
    page.wait_for_url(case_url)
    visit = FollowUpVisit.objects.get(pk=visit.pk)
    assert (visit.channel, visit.finding, visit.recorded_by) == (
        "phone",
        "taxes_accounting",
        conversions.officer,
    )
    assert page.locator("#stage-bar li[aria-current=step]").get_attribute("data-stage") == Stage.FOLLOWED_UP
    page.screenshot(path=str(live_server_artifact("conversion-3-case-followed-up.png")), full_page=True)

    # --- The owner reads the case, without forms ----------------------------------------------------------
    log_in(page, live_server, "nguoinop")
    page.goto(case_url)
    page.locator("#case-entitlements").wait_for()
    assert page.locator("form[action*='/conversions/']").count() == 0
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(live_server_artifact("conversion-4-owner-case.png")), full_page=True)

"""On a phone, a commune officer takes a household business from the registry to an enterprise and
records its first follow-up; the owner then reads the case.

The commune's list is imported first, at the office (a desktop window): the template, the upload, the
preview that names each row's problems by row and column while nothing is written, then the confirmation.
"""

import re

import pytest
from django.urls import reverse

from conversions.models import Conversion, FollowUpVisit, HouseholdBusiness, HouseholdBusinessImport, Stage
from tests.browser.test_commune_officer_journey import live_server_artifact
from tests.browser.test_outreach_journey import log_in
from tests.conversions.fixtures import *  # noqa: F403 (the conversions and media_root fixtures)
from tests.conversions.test_import_service import row, the_business_row, xlsx

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TODAY = "2026-11-18"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The spreadsheet's Vietnamese headings the preview names a problem by (conversions/spreadsheets.py).
REGISTRATION_NUMBER = "Số giấy chứng nhận đăng ký hộ kinh doanh"
REGISTERED_ON = "Ngày cấp đăng ký"


def commune_list(conversions) -> bytes:
    """The commune's list as the officer fills the template: rows 2 and 3 are new businesses, 4 lacks
    its registration number, 5 has a date that does not exist, 6 is Cơ sở kẹo dừa Tư Nộp, already kept."""
    upload = xlsx(
        row("56A8100001"),
        row(
            "56A8100002",
            name="Xưởng mộc Hai Lúa",
            owner_name="Trần Văn Hai",
            owner_national_id="083201004568",
            sector="C",
        ),
        row(None, name="Quán cơm Ba Tư", owner_name="Lê Văn Ba", owner_national_id="083201004569"),
        row(
            "56A8100004",
            name="Tiệm may Út Hoa",
            owner_name="Phạm Thị Hoa",
            owner_national_id="083201004570",
            registered_on="31/02/2026",
        ),
        the_business_row(conversions),
        name="danh-sach-xa-son-dinh.xlsx",
    )
    return upload.read()


def preview_row(page, number: int):
    return page.locator("#import-rows tbody tr").filter(
        has=page.locator("th[scope=row]", has_text=re.compile(rf"^{number}$"))
    )


def test_a_commune_officer_converts_a_household_business_from_a_phone(
    transactional_db, live_server, conversions, page
):
    page.set_viewport_size(DESKTOP)  # the list is imported at the office
    dossier = conversions.conversion_dossier()  # the owner filed it at the one-stop shop
    log_in(page, live_server, "xa")

    # --- Import the commune's list: the template, the upload, the preview, the confirmation ------------
    page.goto(live_server.url + reverse("household_business_list"))
    page.locator(f"a[href='{reverse('household_business_import_list')}']").click()
    page.wait_for_url(live_server.url + reverse("household_business_import_list"))
    with page.expect_download() as download:
        page.locator(f"a[href='{reverse('household_business_import_template')}']").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert download.value.failure() is None
    with open(download.value.path(), "rb") as template:
        assert template.read(4) == b"PK\x03\x04"  # a workbook (a zip), not a page saying why not
    page.locator(f"a[href='{reverse('household_business_import_new')}']").click()
    page.wait_for_url(live_server.url + reverse("household_business_import_new"))
    # The officer keeps one commune's registry: the form names it rather than asking.
    assert page.locator("input[name=unit]").input_value() == str(conversions.cast.units.commune.pk)
    assert page.locator("form p", has_text=conversions.cast.units.commune.name).is_visible()
    page.locator("input[name=file]").set_input_files(
        {"name": "danh-sach-xa-son-dinh.xlsx", "mimeType": XLSX, "buffer": commune_list(conversions)}
    )
    page.locator("input[name=on_duplicate][value=skip]").check()
    businesses = HouseholdBusiness.objects.count()
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/household-businesses/imports/\d+/$"))
    upload = HouseholdBusinessImport.objects.get()
    assert upload.status == HouseholdBusinessImport.Status.PREVIEWED
    assert HouseholdBusiness.objects.count() == businesses  # the preview writes nothing
    assert page.locator("#import-counts .badge").all_inner_texts() == ["2", "0", "1", "2"]
    actions = {number: preview_row(page, number).locator("td .badge").inner_text() for number in range(2, 7)}
    assert actions[2] == actions[3] != actions[4] == actions[5] != actions[6]
    assert preview_row(page, 2).locator("li").count() == 0
    missing = preview_row(page, 4).locator("li.text-danger")
    assert missing.locator("strong").inner_text() == f"{REGISTRATION_NUMBER}:"
    bad_date = preview_row(page, 5).locator("li.text-danger")
    assert bad_date.locator("strong").inner_text() == f"{REGISTERED_ON}:"
    assert "“31/02/2026”" in bad_date.inner_text()
    assert "Cơ sở kẹo dừa Tư Nộp" in preview_row(page, 6).inner_text()
    page.screenshot(path=str(live_server_artifact("conversion-0-import-preview.png")), full_page=True)
    page.locator(
        f"form[action='{reverse('household_business_import_confirm', args=[upload.pk])}'] button[type=submit]"
    ).click()
    page.wait_for_url(live_server.url + reverse("household_business_import_detail", args=[upload.pk]))
    assert page.locator(".alert-success").inner_text() == (
        "Đã ghi danh sách vào sổ hộ kinh doanh: thêm mới 2, cập nhật 0, bỏ qua 3."
    )  # the rows with errors are left out, counted as skipped
    assert HouseholdBusiness.objects.count() == businesses + 2
    page.goto(live_server.url + reverse("household_business_list"))
    page.get_by_role("link", name="Tiệm tạp hóa Minh Anh").wait_for()
    page.get_by_role("link", name="Xưởng mộc Hai Lúa").wait_for()
    assert page.get_by_role("link", name="Quán cơm Ba Tư").count() == 0
    assert page.get_by_role("link", name="Tiệm may Út Hoa").count() == 0
    page.set_viewport_size(PHONE)  # the rest of the journey is done in the field

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

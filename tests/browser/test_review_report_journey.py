"""The standing agency asks for a quarterly report, watches it build, writes the lessons learned;
a council member downloads it as DOCX."""

import datetime
import re

import pytest
from django.urls import reverse
from docx import Document

from reports.models import ReviewReport
from reports.tasks import build_review_report
from tests.browser.test_commune_officer_journey import live_server_artifact
from tests.browser.test_outreach_journey import log_in
from tests.reports.helpers import record_outreach

pytestmark = pytest.mark.browser


def test_a_quarterly_report_from_request_to_download(transactional_db, live_server, cast, page, monkeypatch):
    record_outreach(cast, day=datetime.date(2026, 8, 20), people=120)
    queued = []  # the worker's queue: this test plays the worker
    monkeypatch.setattr(build_review_report, "delay", lambda report_id: queued.append(report_id))

    log_in(page, live_server, "thuongtruc")
    page.goto(live_server.url + reverse("reports:list"))
    asking = page.locator("form[action$='/reports/request/']")
    asking.locator("select[name=kind]").select_option("quarterly")
    asking.locator("select[name=year]").select_option("2026")
    asking.locator("select[name=part]").select_option("3")
    asking.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    report = ReviewReport.objects.get()
    assert queued == [report.pk]
    assert page.locator("#report-progress").get_attribute("data-status") == "queued"

    # A worker picks the build up: the bar follows it without reloading the page.
    ReviewReport.objects.filter(pk=report.pk).update(status=ReviewReport.Status.BUILDING, progress=40)
    page.locator("#report-progress[data-status=building] [aria-valuenow='40']").wait_for()
    page.screenshot(path=str(live_server_artifact("report-1-building.png")))
    ReviewReport.objects.filter(pk=report.pk).update(status=ReviewReport.Status.QUEUED)
    assert build_review_report(report.pk) is True
    # When it is ready the page reloads by itself and shows the figures.
    page.locator("[data-measure='teamwork.people_reached'] [data-value]").wait_for()
    assert page.locator("[data-measure='teamwork.people_reached'] [data-value]").inner_text() == "120"
    assert page.get_by_role("heading", level=1).inner_text() == "Sơ kết: Quý III/2026"

    page.locator("textarea[name=lessons_learned]").fill(
        "Tổ xã Sơn Định tuyên truyền đều; cần thêm kênh Zalo."
    )
    page.locator("textarea[name=recommendations]").fill("Nhân rộng cách làm của xã Sơn Định.")
    page.locator("form[action$='/lessons/'] button[type=submit]").click()
    page.locator("form[action$='/final/'] button[type=submit]").click()
    page.locator("[data-lessons]").wait_for()
    page.screenshot(path=str(live_server_artifact("report-2-final.png")), full_page=True)
    report.refresh_from_db()
    assert report.is_final

    log_in(page, live_server, "hoidong")
    page.goto(live_server.url + reverse("notification_list"))
    page.get_by_role("link", name="Quý III/2026").first.click()
    page.wait_for_url(live_server.url + reverse("reports:detail", args=[report.pk]))
    with page.expect_download() as download:
        page.locator("[data-download=docx]").click()
    document = Document(download.value.path())
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "Tổ xã Sơn Định tuyên truyền đều; cần thêm kênh Zalo." in text
    assert "DỰ THẢO" not in text

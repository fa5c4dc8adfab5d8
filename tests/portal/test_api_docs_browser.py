"""The API docs page works in a browser under the site's Content-Security-Policy (script-src 'self')."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_signed_in_official_reads_the_api_docs(transactional_db, live_server, cast, page):
    csp_reports = []
    page.on(
        "console",
        lambda message: (
            csp_reports.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Tên đăng nhập").fill("xa")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Xin chào, Nguyễn Thị Xã").wait_for()

    page.goto(live_server.url + reverse("api:docs"))
    # Swagger UI ran (its scripts were allowed) and loaded the schema with the session; its tags open
    # folded.
    page.locator('[data-tag="teams"]').click()
    page.get_by_text("/api/v1/teams/{id}/members/", exact=True).first.wait_for()
    assert csp_reports == []

"""A commune officer signs in, finds their commune and cannot open another commune's page."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_commune_officer_sees_their_commune_and_not_the_other(transactional_db, live_server, cast, page):
    page.goto(live_server.url + reverse("login"))
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_label("Tên đăng nhập").fill("xa")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("heading", name="Xin chào, Nguyễn Thị Xã").wait_for()
    page.get_by_role("button", name="Thêm", exact=True).click()
    page.get_by_role("link", name="Đơn vị", exact=True).click()
    page.get_by_role("link", name="Xã Sơn Định").click()
    page.get_by_role("heading", name="Xã Sơn Định").wait_for()
    assert page.get_by_role("link", name="Tổ hỗ trợ ĐT&KN xã Sơn Định").is_visible()
    page.screenshot(path=str(live_server_artifact("commune-page.png")))

    response = page.goto(live_server.url + reverse("unit_detail", args=[cast.units.other_commune.pk]))
    assert response.status == 404
    assert "Xã Cẩm Sơn" not in page.content()


def live_server_artifact(name: str):
    from django.conf import settings

    folder = settings.VAR_DIR / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name

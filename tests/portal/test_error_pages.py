"""The error pages: in the visitor's language and the portal's layout, each saying what happened and
where to go; the server error's page without the database."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.urls("tests.portal.failing_urls")

MENU = 'aria-label="Điều hướng chính"'  # the portal's navigation bar, from base.html
SIGNED_IN_MENU = "Đăng xuất"  # the user menu of base.html, for someone signed in


def page(response) -> str:
    return response.content.decode()


def visitor(language: str | None = None, **client_options) -> Client:
    client = Client(**client_options)
    client.raise_request_exception = False
    if language is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/khong-co-trang-nay/", 404, "Không tìm thấy trang"),
        ("/refuses/", 403, "Không có quyền truy cập"),
        ("/suspicious/", 400, "Không hiểu được yêu cầu"),
    ],
)
def test_error_pages_are_vietnamese_in_the_portals_layout(cast, path, status, heading):
    client = visitor()
    client.force_login(cast.commune_officer)
    response = client.get(path, HTTP_REFERER="http://testserver/dossiers/")
    content = page(response)
    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert '<html lang="vi">' in content
    assert MENU in content and SIGNED_IN_MENU in content
    assert f'data-error="{status}"' in content
    assert f'<h1 class="h3 mb-3" id="error-heading">{heading}</h1>' in content
    assert f"<title>{heading} · Cổng hỗ trợ khởi nghiệp</title>" in content
    assert '<a href="http://testserver/dossiers/">← Quay lại trang trước</a>' in content
    assert f'<a href="{reverse("home")}">Về trang chủ</a>' in content


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/khong-co-trang-nay/", 404, "Page not found"),
        ("/refuses/", 403, "Access denied"),
        ("/suspicious/", 400, "Request not understood"),
    ],
)
def test_error_pages_are_english_when_the_visitor_chose_english(db, path, status, heading):
    response = visitor("en").get(path)
    content = page(response)
    assert response.status_code == status
    assert '<html lang="en">' in content
    assert 'aria-label="Main navigation"' in content
    assert f'id="error-heading">{heading}</h1>' in content
    # Someone not signed in is offered the sign-in page, back to where they were.
    assert f'<a href="{reverse("login")}?next={path}">' in content


def test_a_visitor_not_signed_in_is_asked_to_sign_in_again_when_refused(db):
    content = page(visitor().get("/refuses/"))
    assert "Đăng nhập lại</a>" in content
    assert "Tìm hiểu về chương trình</a>" in content


def test_back_leads_only_to_the_portals_own_pages(db):
    content = page(visitor().get("/khong-co-trang-nay/", HTTP_REFERER="https://lua-dao.example/"))
    assert "lua-dao.example" not in content
    assert "Quay lại trang trước" not in content


def test_a_request_for_another_host_is_a_400_page(db):
    response = visitor().get("/", HTTP_HOST="lua-dao.example")
    assert response.status_code == 400
    assert 'id="error-heading">Không hiểu được yêu cầu</h1>' in page(response)


def test_a_server_error_is_a_vietnamese_page_that_reads_nothing_from_the_database(cast, django_db_blocker):
    client = visitor()
    client.force_login(cast.commune_officer)
    # The database is down: even the session cannot be read.
    with django_db_blocker.block():
        response = client.get("/fails/", HTTP_REFERER="http://testserver/activities/")
    content = page(response)
    assert response.status_code == 500
    assert '<html lang="vi">' in content
    assert 'id="error-heading">Đã xảy ra sự cố</h1>' in content
    assert "không phải do thao tác của bạn" in content
    assert '<a href="http://testserver/activities/">← Quay lại trang trước</a>' in content
    assert "portal/portal.css" in content  # the portal's look, without base.html


def test_a_server_error_page_is_english_when_the_visitor_chose_english(db):
    response = visitor("en").get("/fails/")
    assert response.status_code == 500
    assert '<html lang="en">' in page(response)
    assert 'id="error-heading">Something went wrong</h1>' in page(response)


def test_an_expired_form_says_nothing_was_saved_and_what_to_do(cast):
    client = visitor(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "xa", "password": "sai"})
    content = page(response)
    assert response.status_code == 403
    assert '<html lang="vi">' in content and MENU in content
    assert 'id="error-heading">Biểu mẫu đã hết hạn</h1>' in content
    assert "Biểu mẫu này đã hết hạn nên chưa có gì được lưu." in content
    assert "tải lại trang, kiểm tra nội dung đã nhập rồi gửi lại" in content
    assert "Đăng nhập lại</a>" in content


def test_an_expired_form_in_english(cast):
    client = visitor("en", enforce_csrf_checks=True)
    client.force_login(cast.commune_officer)
    response = client.post(reverse("notifications_read"))
    assert response.status_code == 403
    assert '<html lang="en">' in page(response)
    assert 'id="error-heading">The form had expired</h1>' in page(response)
    assert "Log out" in page(response)  # signed in: the portal's own menu

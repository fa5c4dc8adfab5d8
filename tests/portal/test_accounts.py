import datetime

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def empty_throttle():
    cache.clear()
    yield
    cache.clear()


def sign_in(client, username, password, address="198.51.100.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_sign_in_and_out(client, cast):
    response = sign_in(client, "xa", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(cast.commune_officer.pk)
    client.post(reverse("logout"))
    assert SESSION_KEY not in client.session


def test_wrong_password_says_so_in_vietnamese_and_signs_nobody_in(client, cast):
    response = sign_in(client, "xa", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_missing_fields_are_named(client, cast):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    form = response.context["form"]
    assert set(form.errors) == {"username", "password"}
    assert 'aria-invalid="true"' in response.content.decode()


def test_account_is_throttled_after_repeated_failures_even_with_the_right_password(client, cast):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        sign_in(client, "xa", "sai-mat-khau", address=f"198.51.100.{attempt}")
    response = sign_in(client, "xa", PASSWORD, address="198.51.100.200")
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert SESSION_KEY not in client.session
    # Another account is not affected.
    assert sign_in(client, "xakhac", PASSWORD, address="198.51.100.201").status_code == 302


def test_address_is_throttled_across_accounts(client, cast):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS):
        sign_in(client, f"khong-co-{attempt}", "sai-mat-khau", address="192.0.2.9")
    response = sign_in(client, "xa", PASSWORD, address="192.0.2.9")
    assert SESSION_KEY not in client.session
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert sign_in(client, "xa", PASSWORD, address="192.0.2.10").status_code == 302


def test_success_clears_the_account_failures(client, cast):
    for _ in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT - 1):
        sign_in(client, "xa", "sai-mat-khau")
    assert sign_in(client, "xa", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    sign_in(client, "xa", "sai-mat-khau")
    assert sign_in(client, "xa", PASSWORD).status_code == 302


def test_session_expires_after_30_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False  # renewed at most once a minute instead


def expiry_in_the_database(client) -> datetime.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_request_renews_the_idle_expiry_once_a_minute_at_most(
    client, cast, clock, django_assert_num_queries
):
    sign_in(client, "xa", PASSWORD)
    signed_in_until = expiry_in_the_database(client)
    home = reverse("home")

    clock.shift(datetime.timedelta(seconds=30))
    client.get(home)
    assert expiry_in_the_database(client) == signed_in_until  # no write within the minute

    clock.shift(datetime.timedelta(seconds=40))
    client.get(home)
    renewed = expiry_in_the_database(client)
    assert renewed >= signed_in_until + datetime.timedelta(seconds=70)

    clock.shift(datetime.timedelta(minutes=29))
    assert client.get(home).status_code == 200  # 29 idle minutes: still signed in
    clock.shift(datetime.timedelta(minutes=31))
    response = client.get(home)
    assert SESSION_KEY not in client.session and response.wsgi_request.user.is_anonymous


def test_a_page_within_the_minute_writes_no_session(client, cast):
    sign_in(client, "xa", PASSWORD)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("home"))
    session_queries = [
        query["sql"] for query in captured.captured_queries if "django_session" in query["sql"]
    ]
    assert len(session_queries) == 1 and session_queries[0].startswith("SELECT")


def test_change_password(client, cast):
    client.force_login(cast.commune_officer)
    new_password = "dua-sap-ben-tre-2026"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response["Location"] == reverse("password_change_done")
    cast.commune_officer.refresh_from_db()
    assert cast.commune_officer.check_password(new_password)


def test_change_password_refuses_a_wrong_old_password_and_changes_nothing(client, cast):
    client.force_login(cast.commune_officer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "sai",
            "new_password1": "dua-sap-ben-tre-2026",
            "new_password2": "dua-sap-ben-tre-2026",
        },
    )
    assert response.status_code == 200 and "old_password" in response.context["form"].errors
    cast.commune_officer.refresh_from_db()
    assert cast.commune_officer.check_password(PASSWORD)


def test_pages_send_a_content_security_policy_without_inline_script(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_forms_carry_a_csrf_token(client):
    assert 'name="csrfmiddlewaretoken"' in client.get(reverse("login")).content.decode()


def test_language_switch_to_english_and_back(client, cast):
    client.force_login(cast.commune_officer)
    assert "Trang chủ" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert "My teams" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": reverse("home")})
    assert "Tổ của tôi" in client.get(reverse("home")).content.decode()

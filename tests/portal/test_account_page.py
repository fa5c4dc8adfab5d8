"""The account page (/me/, Tài khoản của tôi): the person's API tokens, listed and revoked by their owner
only; and the administrator's list of every token in the Django admin.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from portal.models import ApiToken
from portal.services.tokens import issue_token, record_use
from tests.conftest import SUITE_START


def works(key: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(reverse("api:team-list")).status_code == 200


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("quantri-thu", "qt@example.vn", "mat-khau-quan-tri")


def test_the_user_menu_leads_to_the_account_page(cast, login):
    page = login(cast.commune_officer).get(reverse("home")).content.decode()
    assert f'href="{reverse("my_account")}"' in page
    assert "Tài khoản của tôi" in page


def test_the_account_page_lists_the_persons_working_tokens(cast, login, clock):
    phone, _key = issue_token(user=cast.commune_officer, label="Điện thoại", address="198.51.100.4")
    clock.move_to(SUITE_START + datetime.timedelta(minutes=5))
    record_use(token=phone, address="203.0.113.9")
    laptop, _key = issue_token(user=cast.commune_officer, label="Máy tính xã")
    issue_token(user=cast.other_commune_officer, label="Của người khác")
    response = login(cast.commune_officer).get(reverse("my_account"))
    assert response.status_code == 200
    assert list(response.context["tokens"]) == [laptop, phone]
    page = response.content.decode()
    assert "Điện thoại" in page and "Máy tính xã" in page and "Của người khác" not in page
    assert f"<code>{phone.prefix}…</code>" in page
    assert "09:30 18/11/2026" in page and "09:35 18/11/2026" in page  # created, last used
    assert "203.0.113.9" in page
    assert "14 ngày" in page  # how long an unused token lives


def test_tokens_that_no_longer_work_are_not_listed(cast, login, clock):
    issue_token(user=cast.commune_officer, label="Cũ")
    clock.move_to(ApiToken.objects.get().created_at + datetime.timedelta(days=15))
    response = login(cast.commune_officer).get(reverse("my_account"))
    assert list(response.context["tokens"]) == []
    assert "Bạn không có token API nào đang hoạt động." in response.content.decode()


def test_the_account_page_reads_its_tokens_in_a_fixed_number_of_queries(cast, login):
    client = login(cast.commune_officer)
    issue_token(user=cast.commune_officer)
    client.get(reverse("my_account"))  # the session and the user's scope are warm
    with CaptureQueriesContext(connection) as one_token:
        client.get(reverse("my_account"))
    for _device in range(5):
        issue_token(user=cast.commune_officer)
    with CaptureQueriesContext(connection) as six_tokens:
        assert len(client.get(reverse("my_account")).context["tokens"]) == 6
    assert len(six_tokens) == len(one_token)


def test_the_owner_revokes_a_token_and_it_stops_working(cast, login):
    token, key = issue_token(user=cast.commune_officer, label="Điện thoại")
    _other, other_key = issue_token(user=cast.commune_officer, label="Máy tính")
    client = login(cast.commune_officer)
    response = client.post(reverse("token_revoke", args=[token.pk]), follow=True)
    assert response.redirect_chain == [(reverse("my_account"), 302)]
    assert "đã bị thu hồi" in response.content.decode()
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert not works(key)
    assert works(other_key)


def test_another_persons_token_cannot_be_revoked(cast, login):
    token, key = issue_token(user=cast.other_commune_officer)
    response = login(cast.commune_officer).post(reverse("token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert works(key)


def test_revoking_takes_a_post(cast, login):
    token, _key = issue_token(user=cast.commune_officer)
    assert login(cast.commune_officer).get(reverse("token_revoke", args=[token.pk])).status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()


# --- The admin ---------------------------------------------------------------------------------------------


def test_an_administrator_lists_every_token_with_its_state_and_never_a_key(cast, login, superuser):
    _phone, phone_key = issue_token(user=cast.commune_officer, label="Điện thoại")
    _old, _old_key = issue_token(user=cast.fund_officer, label="Cũ")
    cast.fund_officer.set_password("mat-khau-moi-cua-quy")
    cast.fund_officer.save(update_fields=["password"])
    response = login(superuser).get(reverse("admin:portal_apitoken_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Điện thoại" in page and phone_key[:8] in page and phone_key not in page
    assert "đang hoạt động" in page and "mật khẩu đã đổi" in page
    assert login(superuser).get(reverse("admin:portal_apitoken_add")).status_code == 403


def test_an_administrator_revokes_tokens_in_the_admin(cast, login, superuser):
    token, key = issue_token(user=cast.commune_officer)
    _kept, kept_key = issue_token(user=cast.fund_officer)
    response = login(superuser).post(
        reverse("admin:portal_apitoken_changelist"),
        {"action": "delete_selected", "_selected_action": [token.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert not works(key)
    assert works(kept_key)

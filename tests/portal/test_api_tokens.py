"""API tokens: signing a client in (a new token each time, kept only as a hash) and out, the ways a token
dies (idle time on the suite's clock, a password change by any way, revocation), and the schema and
the docs page. The throttle the token endpoint shares with the other doors: test_sign_in_throttle.py.
"""

import datetime
import re

import yaml
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from portal.models import ApiToken
from tests.conftest import PASSWORD, SUITE_START
from tests.portal.api_helpers import *  # noqa: F403 (the empty_throttle fixture)
from tests.portal.api_helpers import api, ids

NEW_PASSWORD = "dua-sap-ben-tre-2026"

# --- Signing in --------------------------------------------------------------------------------------------


def obtain_token(username, password, address="198.51.100.1", language=None, **extra):
    client = APIClient()
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(
        reverse("api:token"),
        {"username": username, "password": password, **extra},
        format="json",
        REMOTE_ADDR=address,
    )


def signed_in(key: str, address: str = "198.51.100.1") -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def works(key: str) -> bool:
    response = signed_in(key).get(reverse("api:team-list"))
    assert response.status_code in (200, 403), response.content
    return response.status_code == 200


def test_token_signs_a_client_in(cast):
    response = obtain_token("xa", PASSWORD, label="Điện thoại của chị Xã")
    assert response.status_code == 200
    body = response.json()
    key = body["token"]
    assert body == {
        "token": key,
        "label": "Điện thoại của chị Xã",
        "prefix": key[:8],
        "idle_timeout": 14 * 24 * 60 * 60,
    }
    assert ids(signed_in(key).get(reverse("api:team-list"))) == {cast.teams.commune.pk}


def test_the_database_keeps_no_key_that_works(cast):
    key = obtain_token("xa", PASSWORD).json()["token"]
    stored = ApiToken.objects.values().get()
    assert key not in {str(value) for value in stored.values()}
    # What is stored, sent as a token, signs nobody in.
    assert not works(stored["digest"])
    assert not works(stored["prefix"])


def test_each_sign_in_gets_a_token_of_its_own_and_all_work(cast):
    first = obtain_token("xa", PASSWORD, label="máy tính").json()["token"]
    second = obtain_token("xa", PASSWORD, label="điện thoại").json()["token"]
    assert first != second
    assert works(first) and works(second)
    assert set(ApiToken.objects.values_list("label", flat=True)) == {"máy tính", "điện thoại"}


def test_a_token_is_labelled_with_the_user_agent_unless_told(cast):
    response = APIClient().post(
        reverse("api:token"),
        {"username": "xa", "password": PASSWORD},
        format="json",
        HTTP_USER_AGENT="dong-bo-huyen/1.2",
    )
    assert response.json()["label"] == "dong-bo-huyen/1.2"


def test_wrong_password_gets_no_token(cast):
    response = obtain_token("xa", "sai-mat-khau")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý phân biệt chữ hoa và chữ thường."
    )
    assert not ApiToken.objects.exists()


def test_token_request_that_is_not_an_object_is_a_400(cast):
    response = APIClient().post(reverse("api:token"), ["xa", PASSWORD], format="json")
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_label_too_long_is_a_400_that_issues_nothing(cast):
    response = obtain_token("xa", PASSWORD, label="x" * 101)
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_inactive_account_gets_no_token(cast):
    cast.commune_officer.is_active = False
    cast.commune_officer.save(update_fields=["is_active"])
    assert obtain_token("xa", PASSWORD).status_code == 400
    assert not ApiToken.objects.exists()


def test_invalid_token_is_refused(cast):
    response = signed_in("khong-phai-token").get(reverse("api:team-list"))
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Token không hợp lệ hoặc đã hết hạn. Hãy đăng nhập lại để nhận token mới."
    )


def test_a_token_of_an_account_made_inactive_stops_working(cast):
    key = obtain_token("xa", PASSWORD).json()["token"]
    cast.commune_officer.is_active = False
    cast.commune_officer.save(update_fields=["is_active"])
    assert not works(key)


# --- Idle time ---------------------------------------------------------------------------------------------


def test_a_token_dies_after_its_idle_time_and_each_use_restarts_it(cast, clock):
    key = obtain_token("xa", PASSWORD).json()["token"]
    issued = ApiToken.objects.get().created_at
    idle = settings.API_TOKEN_IDLE_TIMEOUT
    clock.move_to(issued + idle - datetime.timedelta(minutes=5))
    assert works(key)  # used: its idle time starts again from here
    used = ApiToken.objects.get().last_used_at
    clock.move_to(used + idle - datetime.timedelta(minutes=5))
    assert works(key)
    clock.move_to(ApiToken.objects.get().last_used_at + idle + datetime.timedelta(minutes=1))
    assert not works(key)


def test_the_idle_time_is_a_setting(cast, clock, settings):
    settings.API_TOKEN_IDLE_TIMEOUT = datetime.timedelta(hours=8)
    response = obtain_token("xa", PASSWORD)
    assert response.json()["idle_timeout"] == 8 * 60 * 60
    clock.move_to(ApiToken.objects.get().created_at + datetime.timedelta(hours=8, minutes=1))
    assert not works(response.json()["token"])


def test_use_is_recorded_with_the_time_and_the_client_address(cast, clock):
    key = obtain_token("xa", PASSWORD, address="198.51.100.1").json()["token"]
    # Signing in is its first use.
    assert ApiToken.objects.get().last_address == "198.51.100.1"
    moment = SUITE_START + datetime.timedelta(hours=2)
    clock.move_to(moment)
    signed_in(key, address="203.0.113.9").get(reverse("api:team-list"))
    token = ApiToken.objects.get()
    assert token.last_address == "203.0.113.9"
    assert moment <= token.last_used_at < moment + datetime.timedelta(minutes=1)


def test_a_new_sign_in_clears_the_dead_tokens_away(cast, clock):
    obtain_token("xa", PASSWORD)
    clock.move_to(
        ApiToken.objects.get().created_at + settings.API_TOKEN_IDLE_TIMEOUT + datetime.timedelta(days=1)
    )
    fresh = obtain_token("xa", PASSWORD).json()["token"]
    assert list(ApiToken.objects.values_list("prefix", flat=True)) == [fresh[:8]]


# --- Password changes --------------------------------------------------------------------------------------


def test_changing_the_password_on_the_page_ends_every_token(cast, client):
    keys = [obtain_token("xa", PASSWORD).json()["token"] for _device in range(2)]
    client.force_login(cast.commune_officer)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not any(works(key) for key in keys)
    # The new password signs in again with a new token.
    assert works(obtain_token("xa", NEW_PASSWORD).json()["token"])


def test_an_administrator_setting_the_password_in_the_admin_ends_every_token(cast, client, django_user_model):
    key = obtain_token("xa", PASSWORD).json()["token"]
    client.force_login(
        django_user_model.objects.create_superuser("quantri-thu", "qt@example.vn", "mat-khau-qt")
    )
    response = client.post(
        reverse("admin:auth_user_password_change", args=[cast.commune_officer.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert not works(key)


def test_set_password_anywhere_ends_every_token(cast):
    key = obtain_token("xa", PASSWORD).json()["token"]
    officer = cast.commune_officer
    officer.set_password(NEW_PASSWORD)
    officer.save(update_fields=["password"])
    assert not works(key)


def test_another_persons_password_change_leaves_my_tokens_alone(cast):
    key = obtain_token("xa", PASSWORD).json()["token"]
    cast.other_commune_officer.set_password(NEW_PASSWORD)
    cast.other_commune_officer.save(update_fields=["password"])
    assert works(key)


# --- Signing out -------------------------------------------------------------------------------------------


def test_sign_out_revokes_the_token_it_is_called_with_only(cast):
    phone = obtain_token("xa", PASSWORD).json()["token"]
    laptop = obtain_token("xa", PASSWORD).json()["token"]
    response = signed_in(phone).post(reverse("api:sign-out"))
    assert response.status_code == 204
    assert not works(phone)
    assert works(laptop)
    again = signed_in(phone).post(reverse("api:sign-out"))
    assert again.status_code == 401
    assert again["WWW-Authenticate"] == "Token"


def test_sign_out_needs_a_token_not_a_session(cast, client):
    obtain_token("xa", PASSWORD)
    client.force_login(cast.commune_officer)
    assert client.post(reverse("api:sign-out")).status_code == 401
    assert APIClient().post(reverse("api:sign-out")).status_code == 401
    assert ApiToken.objects.count() == 1


def test_signing_out_of_the_website_leaves_the_tokens_working(cast, client):
    key = obtain_token("xa", PASSWORD).json()["token"]
    client.force_login(cast.commune_officer)
    client.post(reverse("logout"))
    assert works(key)


# --- Schema and docs ---------------------------------------------------------------------------------------

API_PATHS = [
    "/api/v1/auth/sign-out/",
    "/api/v1/auth/token/",
    "/api/v1/teams/",
    "/api/v1/teams/{id}/",
    "/api/v1/teams/{id}/head/",
    "/api/v1/teams/{id}/members/",
    "/api/v1/teams/{id}/members/{membership_id}/end/",
    "/api/v1/units/",
    "/api/v1/units/{id}/",
]


def test_schema_generates_without_warnings_and_validates(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"] == "3.0.3"
    assert set(API_PATHS) <= set(schema["paths"])  # the dossier paths: test_api_dossier_transitions.py


def test_schema_endpoint_serves_valid_openapi_to_a_signed_in_client(cast):
    response = api(cast.commune_officer).get(reverse("api:schema"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert set(API_PATHS) <= set(schema["paths"])


def test_docs_page_needs_no_inline_script(cast):
    client = APIClient()
    client.force_login(cast.commune_officer)
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert len(scripts) == 3
    assert all(" src=" in tag for tag in scripts), scripts
    script = client.get(reverse("api:docs"), {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert '"/api/schema/"' in script.content.decode()


def test_schema_describes_the_token_endpoints_and_their_errors(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    token = paths["/api/v1/auth/token/"]["post"]
    assert {"200", "400", "429"} <= set(token["responses"])
    assert token.get("security", [{}]) == [{}]  # no credentials needed
    request = token["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert request.endswith("/CredentialsRequest")
    sign_out = paths["/api/v1/auth/sign-out/"]["post"]
    assert {"204", "401"} <= set(sign_out["responses"])
    assert sign_out["security"] == [{"tokenAuth": []}]

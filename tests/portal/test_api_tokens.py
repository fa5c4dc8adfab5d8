"""Tokens in the API (signing a client in, throttled per account and per address), the schema
and the docs page.
"""

import re

import yaml
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import PASSWORD
from tests.portal.api_helpers import *  # noqa: F403 (the empty_throttle fixture)
from tests.portal.api_helpers import api, ids

# --- Tokens ------------------------------------------------------------------------------------------------


def obtain_token(username, password, address="198.51.100.1", language=None):
    client = APIClient()
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(
        reverse("api:token"), {"username": username, "password": password}, format="json", REMOTE_ADDR=address
    )


def test_token_signs_a_client_in(cast):
    response = obtain_token("xa", PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=cast.commune_officer).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert ids(client.get(reverse("api:team-list"))) == {cast.teams.commune.pk}
    # Asking again gives the same token.
    assert obtain_token("xa", PASSWORD).json() == {"token": token}


def test_wrong_password_gets_no_token(cast):
    response = obtain_token("xa", "sai-mat-khau")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý phân biệt chữ hoa và chữ thường."
    }
    assert not Token.objects.exists()


def test_token_request_that_is_not_an_object_is_a_400(cast):
    response = APIClient().post(reverse("api:token"), ["xa", PASSWORD], format="json")
    assert response.status_code == 400
    assert not Token.objects.exists()


def test_inactive_account_gets_no_token(cast):
    cast.commune_officer.is_active = False
    cast.commune_officer.save(update_fields=["is_active"])
    assert obtain_token("xa", PASSWORD).status_code == 400
    assert not Token.objects.exists()


def test_invalid_token_is_refused(cast):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token khong-phai-token")
    assert client.get(reverse("api:team-list")).status_code == 403


def test_token_endpoint_is_throttled_per_account_even_with_the_right_password(cast):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        assert obtain_token("xa", "sai-mat-khau", address=f"198.51.100.{attempt}").status_code == 400
    response = obtain_token("xa", PASSWORD, address="198.51.100.200", language="en")
    assert response.status_code == 429
    assert response.json() == {"detail": "Too many failed sign-ins. Please wait 15 minutes and try again."}
    assert response["Retry-After"] == "900"
    assert not Token.objects.exists()
    # Vietnamese by default; another account is not affected.
    assert (
        obtain_token("xa", PASSWORD).json()["detail"].startswith("Quá nhiều lần đăng nhập không thành công")
    )
    assert obtain_token("xakhac", PASSWORD, address="198.51.100.201").status_code == 200


def test_token_endpoint_and_sign_in_page_share_the_throttle(cast, client):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        client.post(
            reverse("login"), {"username": "xa", "password": "sai"}, REMOTE_ADDR=f"198.51.100.{attempt}"
        )
    assert obtain_token("xa", PASSWORD, address="198.51.100.100").status_code == 429


def test_token_endpoint_is_throttled_per_address(cast):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS):
        obtain_token(f"khong-co-{attempt}", "sai-mat-khau", address="192.0.2.9")
    assert obtain_token("xa", PASSWORD, address="192.0.2.9").status_code == 429
    assert obtain_token("xa", PASSWORD, address="192.0.2.10").status_code == 200


def test_success_clears_the_account_failures(cast):
    for _ in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT - 1):
        obtain_token("xa", "sai-mat-khau")
    assert obtain_token("xa", PASSWORD).status_code == 200
    obtain_token("xa", "sai-mat-khau")
    assert obtain_token("xa", PASSWORD).status_code == 200


# --- Schema and docs ---------------------------------------------------------------------------------------

API_PATHS = [
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

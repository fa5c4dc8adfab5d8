"""Every error under /api/ is JSON of one shape, ``{"detail", "code"}`` (plus ``errors`` for fields), in
the caller's language (Vietnamese unless Accept-Language asks otherwise), as the schema declares it."""

import pytest
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft7Validator

from portal.api.errors import CODES
from teamwork.models import Activity
from tests.portal.api_helpers import *  # noqa: F403 (the empty_throttle fixture)
from tests.portal.api_helpers import api
from tests.teamwork.test_api_activities import body as activity

pytestmark = pytest.mark.urls("tests.portal.failing_urls")


def answer(response) -> tuple[int, dict]:
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def unguarded(client):
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("path", ["/api/v1/nothing/", "/api/v1/dossiers/abc/", "/api/v1/units/-1/", "/api/"])
def test_an_unknown_path_is_a_json_404(cast, path):
    assert answer(api(cast.council_member).get(path)) == (
        404,
        {
            "detail": f"API không có địa chỉ {path}; xem danh sách đầy đủ tại /api/docs/.",
            "code": "not_found",
        },
    )


def test_an_unknown_path_is_json_for_anyone_and_in_english_when_asked(db):
    assert answer(Client().post("/api/v1/nothing/", HTTP_ACCEPT_LANGUAGE="en")) == (
        404,
        {
            "detail": "The API has no address /api/v1/nothing/; /api/docs/ lists them all.",
            "code": "not_found",
        },
    )


def test_an_unknown_id_is_not_found(cast):
    assert answer(api(cast.council_member).get(reverse("api:unit-detail", args=[987654]))) == (
        404,
        {"detail": "Không tìm thấy.", "code": "not_found"},
    )


def test_a_method_the_path_does_not_take_is_a_405(cast):
    response = api(cast.council_member).patch(reverse("api:unit-detail", args=[cast.units.commune.pk]), {})
    assert answer(response) == (
        405,
        {"detail": "Phương thức “PATCH” không được chấp nhận.", "code": "method_not_allowed"},
    )
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_no_credentials_and_a_wrong_token_are_refused_with_their_codes(db):
    assert answer(api().get(reverse("api:unit-list"))) == (
        403,
        {"detail": "Chưa cung cấp thông tin xác thực.", "code": "not_authenticated"},
    )
    status, body = answer(Client(HTTP_AUTHORIZATION="Token sai").get(reverse("api:unit-list")))
    assert (status, body["code"]) == (403, "authentication_failed")


def test_a_refusal_of_permission_is_a_403(cast):
    response = api(cast.district_officer).post(reverse("api:team-set-head", args=[cast.teams.commune.pk]), {})
    assert answer(response) == (
        403,
        {"detail": "Bạn không được cấp quyền để thực hiện hành động này.", "code": "permission_denied"},
    )
    assert answer(unguarded(api(cast.council_member)).get("/api/v1/refuses/")) == (
        403,
        {"detail": "Bạn không được cấp quyền để thực hiện hành động này.", "code": "permission_denied"},
    )


def test_a_server_error_is_json(db):
    assert answer(unguarded(Client()).get("/api/v1/fails/")) == (
        500,
        {"detail": "Đã xảy ra lỗi máy chủ.", "code": "server_error"},
    )


def test_a_session_without_its_csrf_token_is_refused_and_nothing_changes(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.commune_officer)
    response = client.post(
        reverse("api:team-set-head", args=[cast.teams.commune.pk]), {"user": cast.commune_officer.pk}
    )
    status, body = answer(response)
    assert (status, body["code"]) == (403, "csrf_failed")
    assert body["detail"].startswith(
        "Chưa có gì được lưu: yêu cầu đăng nhập bằng cookie phiên phải kèm mã CSRF."
    )


def test_a_body_that_is_not_json_says_where_it_breaks(cast):
    response = api(cast.commune_officer).post(
        reverse("api:team-set-head", args=[cast.teams.commune.pk]),
        '{"user": 1,}',
        content_type="application/json",
    )
    assert answer(response) == (
        400,
        {
            "detail": "Nội dung gửi lên không phải JSON hợp lệ (lỗi ở dòng 1, cột 12).",
            "code": "parse_error",
        },
    )


def test_a_body_in_an_unread_format_is_a_415(cast):
    response = api(cast.commune_officer).post(
        reverse("api:team-set-head", args=[cast.teams.commune.pk]), "<user/>", content_type="text/xml"
    )
    assert answer(response) == (
        415,
        {
            "detail": "Yêu cầu dùng kiểu dữ liệu “text/xml” không được hỗ trợ.",
            "code": "unsupported_media_type",
        },
    )


def test_throttling_says_when_to_try_again_in_vietnamese(db):
    response = Client().get("/api/v1/throttled/")
    assert answer(response) == (
        429,
        {
            "detail": "Yêu cầu bị tạm chặn do gửi quá nhiều lần. Vui lòng thử lại sau 5 giây.",
            "code": "throttled",
        },
    )
    assert response["Retry-After"] == "5"
    english = Client().get("/api/v1/throttled/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert english == "Request was throttled. Expected available in 5 seconds."


def test_malformed_fields_are_named_under_errors(cast):
    response = api(cast.commune_officer).post(
        reverse("api:team-set-head", args=[cast.teams.commune.pk]), {"user": "x"}, format="json"
    )
    assert answer(response) == (
        400,
        {
            "detail": "Một số dữ liệu gửi lên không hợp lệ; mục “errors” nêu từng trường và lý do.",
            "code": "invalid",
            "errors": {"user": ["Hãy nhập một số nguyên."]},
        },
    )


# Each field of the probe (tests/portal/failing_urls.py), a value it refuses, and DRF's message in Vietnamese.
DRF_MESSAGES = [
    ("whole", "x", "Hãy nhập một số nguyên hợp lệ."),
    ("whole", -1, "Giá trị phải lớn hơn hoặc bằng 0."),
    ("whole", 11, "Giá trị phải nhỏ hơn hoặc bằng 10."),
    ("amount", "x", "Hãy nhập một số hợp lệ."),
    ("amount", "123456", "Số không được có quá 5 chữ số."),
    ("amount", "1234.5", "Phần nguyên của số không được có quá 3 chữ số."),
    ("amount", "1.234", "Số không được có quá 2 chữ số thập phân."),
    ("day", "18/11/2026", "Ngày sai định dạng. Hãy dùng định dạng: YYYY-MM-DD."),
    (
        "moment",
        "hôm qua",
        "Ngày giờ sai định dạng. Hãy dùng định dạng: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].",
    ),
    ("choice", "c", "“c” không phải lựa chọn hợp lệ."),
    ("choices", [], "Hãy chọn ít nhất một mục."),
    ("choices", "a", "Cần một danh sách nhưng nhận được kiểu “str”."),
    ("text", "ab", "Trường này phải có ít nhất 3 ký tự."),
    ("text", "abcdef", "Trường này không được dài quá 5 ký tự."),
    ("text", "a\x00bc", "Không được dùng ký tự rỗng (null)."),
    ("items", "1", "Cần một danh sách nhưng nhận được kiểu “str”."),
    ("not_null", None, "Trường này không được để trống (null)."),
    ("not_null", "", "Trường này không được bỏ trống."),
]


@pytest.mark.parametrize(("field", "value", "message"), DRF_MESSAGES)
def test_drf_and_django_messages_are_vietnamese_without_accept_language(db, field, value, message):
    body = {"needed": "có", field: value}
    status, vietnamese = answer(Client().post("/api/v1/probe/", body, content_type="application/json"))
    assert (status, vietnamese["errors"]) == (400, {field: [message]})
    english = Client().post(
        "/api/v1/probe/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.json()["errors"][field] != [message]


def test_a_missing_field_is_required_in_vietnamese(db):
    assert Client().post("/api/v1/probe/", {}, content_type="application/json").json()["errors"] == {
        "needed": ["Trường này là bắt buộc."]
    }


def test_the_testers_messages_are_vietnamese(cast):
    """The two English messages an outside tester found: a negative count and a null character."""
    negative = api(cast.commune_officer).post(
        reverse("api:activity-list"), activity(cast, people_reached=-1), format="json"
    )
    assert answer(negative)[1]["errors"] == {"people_reached": ["Nhập một số nguyên từ 0 đến 2.147.483.647."]}
    null = api(cast.council_member).get(reverse("api:unit-list"), {"q": "a\x00b"})
    assert answer(null)[1]["errors"] == {"q": ["Không được dùng ký tự rỗng (null)."]}


def test_a_refusal_carries_its_rule(cast):
    response = api(cast.commune_officer).post(
        reverse("api:activity-list"), activity(cast, channel=""), format="json"
    )
    assert answer(response) == (
        400,
        {"detail": "Hãy cho biết hình thức tuyên truyền.", "code": "invalid", "rule": "no_channel"},
    )
    assert not Activity.objects.exists()


# --- The schema declares exactly these answers -----------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_error_response_of_every_operation_is_the_one_error_component(schema):
    error_responses = {
        (path, method, status): response["content"]["application/json"]["schema"]
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
        if status >= "400"
    }
    assert error_responses
    assert set(map(str, error_responses.values())) == {"{'$ref': '#/components/schemas/Error'}"}
    codes = schema["components"]["schemas"]["ErrorCodeEnum"]["enum"]
    assert codes == list(CODES)


def test_lists_and_detail_routes_declare_their_404s(schema):
    paths = schema["paths"]
    assert "404" in paths["/api/v1/units/"]["get"]["responses"]  # a page past the last
    assert "404" in paths["/api/v1/reports/{id}/"]["get"]["responses"]
    assert set(paths["/api/v1/teams/{id}/head/"]["post"]["responses"]) >= {"400", "403", "404", "415"}


def test_what_is_answered_matches_the_declared_error_shape(cast, schema):
    validator = Draft7Validator(
        {**schema["components"]["schemas"]["Error"], "components": schema["components"]}
    )
    officer = api(cast.commune_officer)
    answers = [
        officer.get("/api/v1/nothing/"),
        officer.get(reverse("api:unit-detail", args=[987654])),
        officer.patch(reverse("api:unit-detail", args=[cast.units.commune.pk]), {}),
        api().get(reverse("api:unit-list")),
        officer.post(
            reverse("api:team-set-head", args=[cast.teams.commune.pk]), {"user": "x"}, format="json"
        ),
        officer.post(
            reverse("api:team-set-head", args=[cast.teams.commune.pk]), "{", content_type="application/json"
        ),
        unguarded(Client()).get("/api/v1/fails/"),
        Client().get("/api/v1/throttled/"),
    ]
    for response in answers:
        body = response.json()
        assert list(validator.iter_errors(body)) == [], (response.status_code, body)
        assert set(body) <= {"detail", "code", "errors", "rule"}

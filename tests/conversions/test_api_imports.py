"""The import of a commune's list in the API: upload → preview → confirm, scoped, errors in Vietnamese.

The role × route rows of these routes are in ``API_IMPORT_ROWS`` below, run here the way the shared
table in tests/portal/test_role_routes.py runs its own.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conversions.models import HouseholdBusiness
from conversions.services import imports
from tests.conftest import Cast
from tests.conversions.fixtures import *  # noqa: F403 (the conversions and media_root fixtures)
from tests.conversions.test_import_pages import commune_import, state
from tests.conversions.test_import_service import row, xlsx
from tests.portal.api_helpers import api, refused
from tests.role_table import Row, everyone

pytestmark = pytest.mark.django_db

LIST = "api:household-business-import-list"
DETAIL = "api:household-business-import-detail"
CONFIRM = "api:household-business-import-confirm"

# Who reads the commune's imports: the province-wide roles, the district above it and the commune.
API_IMPORT_READERS = everyone(
    404,
    anonymous=403,
    council_member=200,
    standing_officer=200,
    fund_officer=200,
    district_officer=200,
    commune_officer=200,
)


def upload_body(cast: Cast, **overrides) -> dict:
    return {"unit": cast.units.commune.pk, "file": xlsx(row()), "on_duplicate": "skip"} | overrides


API_IMPORT_ROWS: dict[str, Row] = {
    # Everyone signed in gets a list: of their scope's imports (none for an applicant).
    LIST: Row("get", lambda cast: reverse(LIST), everyone(200, anonymous=403)),
    DETAIL: Row("get", lambda cast: reverse(DETAIL, args=[commune_import(cast).pk]), API_IMPORT_READERS),
    # Who writes in the commune uploads its list; for anyone else its id is not one they may import.
    f"{LIST}:post": Row(
        "post",
        lambda cast: reverse(LIST),
        everyone(400, anonymous=403)
        | dict.fromkeys(("standing_officer", "district_officer", "commune_officer"), 201),
        data=upload_body,
    ),
    CONFIRM: Row(
        "post",
        lambda cast: reverse(CONFIRM, args=[commune_import(cast).pk]),
        API_IMPORT_READERS | {"council_member": 403, "fund_officer": 403},
    ),
}


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(API_IMPORT_ROWS))
def test_role_gets_the_expected_answer(conversions, role, route_name):
    cast = conversions.cast
    route = API_IMPORT_ROWS[route_name]
    url, data = route.url(cast), route.data(cast)
    client = api(getattr(cast, role))
    before = state()
    response = getattr(client, route.method)(url, data, format="multipart")
    assert response.status_code == route.expected[role], f"{role} {route.method.upper()} {url}"
    if route.method == "post" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"


def test_upload_preview_and_confirm_through_the_api(conversions):
    client = api(conversions.officer, language="en")

    created = client.post(
        reverse(LIST),
        upload_body(conversions.cast, file=xlsx(row("56A8100001"), row(None))),
        format="multipart",
    )

    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["rows_total"], body["counts"]) == (
        "previewed",
        2,
        {"add": 1, "update": 0, "skip": 0, "error": 1},
    )
    assert body["rows"][1] == {
        "row": 3,
        "action": "error",
        "name": "Tiệm tạp hóa Minh Anh",
        "registration_number": "",
        "commune": "Xã Sơn Định",
        "problems": [
            {
                "level": "error",
                "column": "registration_number",
                "heading": "Số giấy chứng nhận đăng ký hộ kinh doanh",
                "message": "This column is required and the cell is empty.",
            }
        ],
        "changes": [],
    }
    assert "write" not in body["rows"][0]
    assert not HouseholdBusiness.objects.filter(registration_number="56A8100001").exists()
    assert client.get(reverse(DETAIL, args=[body["id"]])).json() == body
    listed = client.get(reverse(LIST)).json()
    assert [(each["id"], each["status"]) for each in listed["results"]] == [(body["id"], "previewed")]

    confirmed = client.post(reverse(CONFIRM, args=[body["id"]]))

    assert confirmed.status_code == 200
    assert (confirmed.json()["status"], confirmed.json()["rows_added"], confirmed.json()["rows_skipped"]) == (
        "confirmed",
        1,
        1,
    )
    assert HouseholdBusiness.objects.filter(registration_number="56A8100001").count() == 1
    again = client.post(reverse(CONFIRM, args=[body["id"]]))
    assert (again.status_code, again.json()) == (
        409,
        refused("This import has already been confirmed.", code="conflict", rule="confirmed"),
    )


def test_a_long_list_answers_202_while_it_is_read(
    conversions, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "PREVIEW_IN_REQUEST", 1)
    with django_capture_on_commit_callbacks() as callbacks:
        response = api(conversions.officer).post(
            reverse(LIST), upload_body(conversions.cast, file=xlsx(row("56A8100001"), row("56A8100002")))
        )
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["rows"], len(callbacks)) == ("reading", [], 1)


@pytest.mark.parametrize(
    ("upload", "detail"),
    [
        (
            SimpleUploadedFile("danh-sach.xlsx", b"%PDF-1.4"),
            "This file is not a spreadsheet the portal can read: upload an Excel workbook (.xlsx) or a CSV "
            "file saved as “CSV UTF-8”.",
        ),
        (
            SimpleUploadedFile("danh-sach.xlsx", b"PK\x03\x04" + b"\x00" * (11 * 1000 * 1000)),
            "Tệp có dung lượng 11.0 MB; giới hạn là 10 MB.",
        ),
    ],
    ids=["not-a-spreadsheet", "too-large"],
)
def test_a_bad_file_is_a_400_saying_why(conversions, upload, detail):
    before = state()
    response = api(conversions.officer).post(reverse(LIST), upload_body(conversions.cast, file=upload))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    if detail.startswith("Tệp"):
        assert response.json()["detail"] == detail  # Vietnamese, the portal's default language
    else:
        assert response.json()["rule"] == "unreadable"
    assert state() == before


def test_bad_fields_are_named(conversions):
    response = api(conversions.officer, language="en").post(
        reverse(LIST), {"unit": "٣", "on_duplicate": "replace"}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "unit": ["Enter a whole number."],
        "file": ["No file was submitted."],
        "on_duplicate": ["“replace” is not one of: skip, update."],
    }


N = 5


@pytest.mark.parametrize("count", [N, 10 * N])
def test_the_list_costs_the_same_at_any_number_of_imports(conversions, django_assert_num_queries, count):
    for _ in range(count):
        commune = conversions.cast.units.commune
        imports.start_import(by=conversions.officer, unit=commune, upload=xlsx(row()), on_duplicate="skip")
    client = api(conversions.cast.council_member)
    client.get(reverse(LIST))  # the token's first use of the minute is noted, the count kept
    # 1 the token with its owner, 2 the scope's memberships, 3 the council's province, 4 the scope's
    # units, 5 the page of imports with commune and people.
    with django_assert_num_queries(5):
        response = client.get(reverse(LIST))
    assert response.json()["count"] == count


def test_a_long_confirmed_list_answers_202_while_it_is_written(conversions, monkeypatch):
    monkeypatch.setattr(imports, "CONFIRM_IN_REQUEST", 1)
    monkeypatch.setattr(imports.write_import, "delay", lambda import_id: None)
    upload = imports.start_import(
        by=conversions.officer,
        unit=conversions.cast.units.commune,
        upload=xlsx(row("56A8100001"), row("56A8100002", owner_national_id="083201009999")),
        on_duplicate="skip",
    )
    response = api(conversions.officer).post(reverse(CONFIRM, args=[upload.pk]))
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["writing"]) == ("previewed", True)
    imports.write_confirmed_import(import_id=upload.pk)
    written = api(conversions.officer).get(reverse(DETAIL, args=[upload.pk])).json()
    assert (written["status"], written["writing"], written["rows_added"]) == ("confirmed", False, 2)

"""The pages of an import: the template, the upload, the preview and the confirmation.

The role × route rows of these pages are in ``IMPORT_ROWS`` below, run here the way the shared table
in tests/portal/test_role_routes.py runs its own.
"""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from conversions.models import HouseholdBusiness, HouseholdBusinessImport
from conversions.services import imports
from conversions.services.imports import start_import
from portal.models import AuditRecord
from tests.conftest import Cast
from tests.conversions.fixtures import *  # noqa: F403
from tests.conversions.test_import_service import row, xlsx
from tests.portal.test_query_counts import SIGNED_IN
from tests.role_table import COMMUNE_READERS, Row, everyone

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def login(client):
    """Log the client in as a member of the cast, reading the pages in English (Vietnamese is the
    portal's default: ``test_the_refusal_is_in_vietnamese_by_default``)."""

    def log_in(user):
        client.logout()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        if user is not None:
            client.force_login(user)
        return client

    return log_in


def commune_import(cast: Cast) -> HouseholdBusinessImport:
    """The commune's one import, previewed (made on first use)."""
    return HouseholdBusinessImport.objects.filter(unit=cast.units.commune).first() or start_import(
        by=cast.commune_officer, unit=cast.units.commune, upload=xlsx(row()), on_duplicate="skip"
    )


def upload_data(cast: Cast, **overrides) -> dict:
    return {"unit": cast.units.commune.pk, "file": xlsx(row()), "on_duplicate": "skip"} | overrides


def state():
    return (
        HouseholdBusiness.objects.count(),
        list(HouseholdBusinessImport.objects.values_list("pk", "status")),
        AuditRecord.objects.count(),
    )


# --- Role × route -----------------------------------------------------------------------------------------

# Officials read the imports of their scope; applicants have none to read.
OFFICIALS = everyone(200, anonymous=302, applicant=403, other_applicant=403)
# Who keeps a commune's registry imports its list: the commune's team, the district's above it, the
# standing agency (conversions.access.can_change); the council and the fund read, applicants keep none.
NOT_IMPORTING = {"council_member": 403, "fund_officer": 403, "applicant": 403, "other_applicant": 403}
IMPORTERS = everyone(200, anonymous=302, **NOT_IMPORTING)
# Who may confirm the commune's import: those who see it and write there.
CONFIRMERS = (
    COMMUNE_READERS
    | {"council_member": 403, "fund_officer": 403}
    | dict.fromkeys(("standing_officer", "district_officer", "commune_officer"), 302)
)
IMPORT_ROWS: dict[str, Row] = {
    "household_business_import_list": Row(
        "get", lambda cast: reverse("household_business_import_list"), OFFICIALS
    ),
    "household_business_import_template": Row(
        "get", lambda cast: reverse("household_business_import_template"), everyone(200, anonymous=302)
    ),
    "household_business_import_new": Row(
        "get", lambda cast: reverse("household_business_import_new"), IMPORTERS
    ),
    # The commune is a choice only for who writes there; for other importers its id is not (400).
    "household_business_import_new:post": Row(
        "post",
        lambda cast: reverse("household_business_import_new"),
        IMPORTERS | {"standing_officer": 302, "district_officer": 302, "commune_officer": 302}
        | {"other_district_officer": 400, "other_commune_officer": 400},
        data=upload_data,
    ),
    "household_business_import_detail": Row(
        "get",
        lambda cast: reverse("household_business_import_detail", args=[commune_import(cast).pk]),
        COMMUNE_READERS,
    ),
    "household_business_import_progress": Row(
        "get",
        lambda cast: reverse("household_business_import_progress", args=[commune_import(cast).pk]),
        COMMUNE_READERS,
    ),
    "household_business_import_confirm": Row(
        "post",
        lambda cast: reverse("household_business_import_confirm", args=[commune_import(cast).pk]),
        CONFIRMERS,
    ),
}  # fmt: skip


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(IMPORT_ROWS))
def test_role_gets_the_expected_answer(conversions, login, role, route_name):
    cast = conversions.cast
    row_ = IMPORT_ROWS[route_name]
    url, data = row_.url(cast), row_.data(cast)
    client = login(getattr(cast, role))
    before = state()
    response = getattr(client, row_.method)(url, data)
    assert response.status_code == row_.expected[role], f"{role} {row_.method.upper()} {url}"
    if row_.method == "post" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"


# --- Upload, preview, confirm -------------------------------------------------------------------------------


def test_an_officer_uploads_previews_and_confirms_the_communes_list(conversions, login):
    client = login(conversions.officer)
    page = client.get(reverse("household_business_import_new"))
    assert page.context["form"].only_unit == conversions.cast.units.commune

    response = client.post(
        reverse("household_business_import_new"),
        upload_data(conversions.cast, file=xlsx(row("56A8100001"), row(None))),
    )

    upload = HouseholdBusinessImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("household_business_import_detail", args=[upload.pk])
    assert HouseholdBusiness.objects.filter(registration_number="56A8100001").count() == 0
    preview = client.get(response["Location"])
    content = preview.content.decode()
    assert preview.context["counts"] == {"add": 1, "update": 0, "skip": 0, "error": 1}
    assert [(entry["row"], entry["action"]) for entry in preview.context["page"]] == [
        (2, "add"),
        (3, "error"),
    ]
    assert (
        "<strong>Số giấy chứng nhận đăng ký hộ kinh doanh:</strong> This column is required and the cell is "
        "empty." in content
    )
    assert f'action="/household-businesses/imports/{upload.pk}/confirm/"' in content
    only_problems = client.get(response["Location"], {"show": "problems"})
    assert [entry["row"] for entry in only_problems.context["page"]] == [3]

    confirmed = client.post(reverse("household_business_import_confirm", args=[upload.pk]), follow=True)

    assert confirmed.status_code == 200
    assert "The list is written to the registry: 1 added, 0 updated, 1 skipped." in confirmed.content.decode()
    assert HouseholdBusiness.objects.filter(registration_number="56A8100001").count() == 1
    assert "confirm/" not in confirmed.content.decode()
    # A second click is refused, and nothing more is written.
    again = client.post(reverse("household_business_import_confirm", args=[upload.pk]))
    assert again.status_code == 409
    assert "This import has already been confirmed." in again.content.decode()
    assert HouseholdBusiness.objects.filter(registration_number="56A8100001").count() == 1


def test_the_template_has_the_vietnamese_headings_and_the_lists(conversions, login):
    response = login(conversions.officer).get(reverse("household_business_import_template"))
    assert response["Content-Disposition"] == 'attachment; filename="mau-danh-sach-ho-kinh-doanh.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    headings = [cell.value for cell in workbook.worksheets[0][1]]
    assert headings[:3] == ["Tên hộ kinh doanh *", "Họ và tên chủ hộ *", "Số CCCD của chủ hộ *"]
    guide = [
        cell for (cell,) in workbook.worksheets[1].iter_rows(min_col=3, max_col=3, values_only=True) if cell
    ]
    assert "C – Công nghiệp chế biến, chế tạo" in guide
    assert "Từ 500 triệu đến 3 tỷ đồng" in guide


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("danh-sach.xlsx", b"%PDF-1.4 not a list"),
            "This file is not a spreadsheet the portal can read",
        ),
        (SimpleUploadedFile("danh-sach.csv", "Họ;Tên\nA;B\n".encode()), "No row of headings was found"),
        (
            SimpleUploadedFile("danh-sach.xlsx", b"PK\x03\x04" + b"\x00" * (50 * 1024 * 1024)),
            "The file is 52.4 MB",
        ),
    ],
    ids=["not-a-spreadsheet", "no-headings", "50-MB"],
)
def test_a_bad_file_is_answered_400_and_nothing_is_written(conversions, login, upload, message):
    before = state()
    response = login(conversions.officer).post(
        reverse("household_business_import_new"), upload_data(conversions.cast, file=upload)
    )
    assert response.status_code == 400
    assert message in str(response.context["form"].errors["file"])
    assert state() == before


def test_the_refusal_is_in_vietnamese_by_default(conversions, login):
    client = login(conversions.officer)
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    big = SimpleUploadedFile("danh-sach.xlsx", b"PK\x03\x04" + b"\x00" * (11 * 1000 * 1000))
    response = client.post(reverse("household_business_import_new"), upload_data(conversions.cast, file=big))
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["Tệp có dung lượng 11.0 MB; giới hạn là 10 MB."]


# --- Cost ---------------------------------------------------------------------------------------------------

N = 5


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_the_preview_page_costs_the_same_at_any_number_of_rows(
    conversions, login, django_assert_num_queries, rows
):
    upload = start_import(
        by=conversions.officer,
        unit=conversions.cast.units.commune,
        upload=xlsx(*(row(f"56A81{index:05d}") for index in range(rows))),
        on_duplicate="skip",
    )
    client = login(conversions.cast.council_member)  # SIGNED_IN counts a council member's scope
    # The page's own: 1 the import with its commune, 2 who uploaded it.
    with django_assert_num_queries(SIGNED_IN + 2):
        response = client.get(reverse("household_business_import_detail", args=[upload.pk]))
    assert response.status_code == 200
    assert len(response.context["page"]) == rows


@pytest.mark.parametrize("count", [N, 10 * N])
def test_the_list_page_costs_the_same_at_any_number_of_imports(
    conversions, login, django_assert_num_queries, count
):
    for _ in range(count):
        start_import(
            by=conversions.officer,
            unit=conversions.cast.units.commune,
            upload=xlsx(row()),
            on_duplicate="skip",
        )
    client = login(conversions.cast.council_member)
    # The page's own: 1 count for the paginator, 2 the page of imports with commune and uploader
    # (whether the reader may import a list asks nothing of the council, which writes nowhere).
    with django_assert_num_queries(SIGNED_IN + 2):
        response = client.get(reverse("household_business_import_list"))
    assert len(response.context["page"]) == count


def test_a_long_list_shows_its_progress_until_it_is_previewed(conversions, login, monkeypatch):
    monkeypatch.setattr(imports, "PREVIEW_IN_REQUEST", 1)
    upload = start_import(
        by=conversions.officer,
        unit=conversions.cast.units.commune,
        upload=xlsx(row("56A8100001"), row("56A8100002")),
        on_duplicate="skip",
    )
    client = login(conversions.officer)
    progress_url = reverse("household_business_import_progress", args=[upload.pk])

    page = client.get(reverse("household_business_import_detail", args=[upload.pk])).content.decode()
    assert f'hx-get="{progress_url}" hx-trigger="every 1s"' in page
    assert "Checking the rows: 0 of 2…" in page
    assert "confirm/" not in page
    assert "HX-Refresh" not in client.get(progress_url)

    imports.preview_stored_import(import_id=upload.pk)

    done = client.get(progress_url)
    assert done["HX-Refresh"] == "true"
    assert "hx-get" not in done.content.decode()


def test_a_long_list_is_written_in_the_background_and_the_page_follows(conversions, login, monkeypatch):
    monkeypatch.setattr(imports, "CONFIRM_IN_REQUEST", 1)
    monkeypatch.setattr(imports.write_import, "delay", lambda import_id: None)
    upload = start_import(
        by=conversions.officer,
        unit=conversions.cast.units.commune,
        upload=xlsx(row("56A8100001"), row("56A8100002", owner_national_id="083201009999")),
        on_duplicate="skip",
    )
    client = login(conversions.officer)
    progress_url = reverse("household_business_import_progress", args=[upload.pk])

    page = client.post(reverse("household_business_import_confirm", args=[upload.pk]), follow=True)

    content = page.content.decode()
    assert "The list is being written to the registry; this page updates by itself." in content
    assert f'hx-get="{progress_url}"' in content
    assert "confirm/" not in content
    assert "HX-Refresh" not in client.get(progress_url)
    imports.write_confirmed_import(import_id=upload.pk)
    assert client.get(progress_url)["HX-Refresh"] == "true"
    assert HouseholdBusiness.objects.filter(registration_number__startswith="56A81").count() == 2

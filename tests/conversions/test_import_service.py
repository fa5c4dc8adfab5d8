"""Importing a commune's list: the preview's problems, nothing written before confirm, confirm once.

The helpers here (``listing``, ``row``, ``xlsx``) build the files the page and API tests upload too.
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook

from conversions.models import HouseholdBusiness, HouseholdBusinessImport
from conversions.services import import_rows, imports
from conversions.services.imports import confirm_import, preview_stored_import, start_import
from conversions.spreadsheets import COLUMNS
from dossiers.models import Applicant
from portal.audit import audit_context
from portal.models import AdminUnit, AuditRecord, User
from portal.refusals import Refused
from tests.conversions.fixtures import *  # noqa: F403
from tests.factories import AdminUnitFactory

pytestmark = pytest.mark.django_db

HEADINGS = [column.heading for column in COLUMNS]
KEYS = [column.key for column in COLUMNS]
SKIP, UPDATE = "skip", "update"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def row(number: str = "56A8100001", **values) -> dict:
    """A new household business of Xã Sơn Định, as a row of the template; ``values`` replace cells."""
    return {
        "name": "Tiệm tạp hóa Minh Anh",
        "owner_name": "Nguyễn Thị Minh Anh",
        "owner_national_id": "083201004567",
        "owner_phone": "0912345678",
        "registration_number": number,
        "registered_on": "05/03/2024",
        "address": "12 ấp Phú Lợi",
        "commune": "Xã Sơn Định",
        "sector": "G",
        "workers": "3",
        "revenue_band": "Dưới 500 triệu đồng",
        "tax_mode": "Kê khai",
    } | values


def the_business_row(conversions, **values) -> dict:
    """The fixture's Cơ sở kẹo dừa Tư Nộp exactly as the registry holds it."""
    return (
        row(
            "56A8001234",
            name="Cơ sở kẹo dừa Tư Nộp",
            owner_name="Bùi Văn Nộp",
            owner_national_id=conversions.shop.applicant.national_id,
            registered_on="04/03/2019",
            address="Ấp Sơn Quy, xã Sơn Định",
            sector="C",
            workers="8",
            revenue_band="Từ 500 triệu đến 3 tỷ đồng",
        )
        | values
    )


def listing(*rows: dict) -> list[list]:
    return [HEADINGS, *([each.get(key) for key in KEYS] for each in rows)]


def xlsx(*rows: dict, name: str = "danh-sach.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for cells in listing(*rows):
        workbook.active.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def start(
    conversions, *rows: dict, on_duplicate: str = SKIP, by=None, upload=None
) -> HouseholdBusinessImport:
    return start_import(
        by=by or conversions.officer,
        unit=conversions.cast.units.commune,
        upload=upload or xlsx(*rows),
        on_duplicate=on_duplicate,
    )


def problems(entry: dict) -> list[tuple[str, str, str]]:
    return [(problem["level"], problem["heading"], problem["message"]) for problem in entry["problems"]]


def by_row(upload: HouseholdBusinessImport) -> dict[int, dict]:
    return {entry["row"]: entry for entry in upload.preview["rows"]}


def state() -> tuple[int, ...]:
    return (
        HouseholdBusiness.objects.count(),
        Applicant.objects.count(),
        AuditRecord.objects.count(),
        HouseholdBusinessImport.objects.count(),
    )


# --- The preview ----------------------------------------------------------------------------------------


def test_the_preview_names_every_problem_with_its_row_and_column(conversions):
    upload = start(
        conversions,
        row("56A8100001"),  # row 2: a new business
        row(None),  # 3
        row("56A8100003", registered_on="31/02/2024"),  # 4
        row("56A8100004", registered_on="01/01/2027"),  # 5
        row("56A8100005", owner_national_id="83201004567"),  # 6
        row("56A8100006", sector="Z"),  # 7
        row("56A8100007", revenue_band="Khoảng 1 tỷ"),  # 8
        row("56A8100008", tax_mode="Theo tháng"),  # 9
        row("56A8100009", tax_mode="Khoán"),  # 10
        row("56A8100010", commune="Xã Không Có"),  # 11
        row("56A8100011", commune="Xã Cẩm Sơn"),  # 12
        row("56A8100001", name="Tiệm tạp hóa Minh Anh 2"),  # 13
        row("56B8005678"),  # 14: the other commune's business
        row(
            "56A8100013", owner_national_id=conversions.shop.applicant.national_id, owner_name="Bùi Văn Khác"
        ),
    )

    rows = by_row(upload)
    assert (upload.status, upload.rows_total, upload.rows_read) == ("previewed", 14, 14)
    assert upload.preview["counts"] == {"add": 2, "update": 0, "skip": 0, "error": 12}
    assert [(number, entry["action"]) for number, entry in rows.items() if entry["action"] != "error"] == [
        (2, "add"),
        (15, "add"),
    ]
    registration = "Số giấy chứng nhận đăng ký hộ kinh doanh"
    assert problems(rows[2]) == []
    assert problems(rows[3]) == [("error", registration, "This column is required and the cell is empty.")]
    assert problems(rows[4]) == [("error", "Ngày cấp đăng ký", "“31/02/2024” is not a date (dd/mm/yyyy).")]
    assert problems(rows[5]) == [
        ("error", "Ngày cấp đăng ký", "The registration date cannot be in the future.")
    ]
    assert problems(rows[6]) == [("error", "Số CCCD của chủ hộ", "A CCCD number is 12 digits.")]
    assert problems(rows[7]) == [
        (
            "error",
            "Ngành nghề (mã VSIC cấp 1)",
            "“Z” is not a VSIC section: write its letter (A to U) or its name.",
        )
    ]
    assert problems(rows[8]) == [
        (
            "error",
            "Doanh thu năm",
            "“Khoảng 1 tỷ” is not a revenue band; write one of “Dưới 500 triệu đồng”, “Từ 500 triệu đến 3 "
            "tỷ đồng”, “Trên 3 tỷ đến 10 tỷ đồng”, “Trên 10 tỷ đồng”.",
        )
    ]
    assert problems(rows[9]) == [
        ("error", "Hình thức nộp thuế", "“Theo tháng” is not a tax mode; write one of “Kê khai”, “Khoán”.")
    ]
    assert problems(rows[10]) == [
        (
            "error",
            "Hình thức nộp thuế",
            "Lump-sum tax ended on 01/01/2026 (Resolution 198/2025/QH15): choose declared.",
        )
    ]
    assert problems(rows[11]) == [
        (
            "error",
            "Xã, phường",
            "No commune or ward named “Xã Không Có” is known in Xã Sơn Định or the communes it replaced.",
        )
    ]
    assert problems(rows[12]) == [
        (
            "error",
            "Xã, phường",
            "“Xã Cẩm Sơn” is not in Xã Sơn Định: import each commune's list under its own commune.",
        )
    ]
    assert problems(rows[13]) == [
        (
            "error",
            registration,
            "Registration number 56A8100001 is already on row 2 of this file; list each business once.",
        )
    ]
    assert problems(rows[14]) == [
        (
            "error",
            registration,
            "Registration number 56B8005678 is already on a household business of another commune.",
        )
    ]
    assert problems(rows[15]) == [
        (
            "warning",
            "Họ và tên chủ hộ",
            f"CCCD {conversions.shop.applicant.national_id} is Bùi Văn Nộp's in the portal: the business is "
            "recorded for Bùi Văn Nộp, not “Bùi Văn Khác”.",
        )
    ]


def test_sectors_bands_and_modes_are_read_by_letter_or_name_without_diacritics(conversions):
    upload = start(
        conversions,
        row("56A8100001", sector="c", revenue_band="tren 10 ty dong", tax_mode="KÊ KHAI"),
        row("56A8100002", sector="I – Dịch vụ lưu trú và ăn uống", commune="son dinh"),
        row("56A8100003", sector="nong nghiep, lam nghiep va thuy san", revenue_band=None, tax_mode=None),
    )
    writes = [entry["write"] for entry in upload.preview["rows"]]
    assert [(write["sector"], write.get("revenue_band"), write.get("tax_mode")) for write in writes] == [
        ("C", "over_10b", "declared"),
        ("I", "under_500m", "declared"),
        ("A", None, None),
    ]
    assert {write["unit"] for write in writes} == {conversions.cast.units.commune.pk}


def test_nothing_is_written_before_the_officer_confirms(conversions):
    before = state()
    upload = start(conversions, row("56A8100001"), row("56A8100002", owner_national_id="083201009999"))
    assert state()[:3] == before[:3]
    assert HouseholdBusinessImport.objects.count() == 1
    assert (upload.original_name, len(upload.sha256), upload.uploaded_by) == (
        "danh-sach.xlsx",
        64,
        conversions.officer,
    )
    assert upload.file.name.startswith("imports/") and upload.file.name.endswith(".xlsx")
    assert "danh-sach" not in upload.file.name  # stored under a generated name


def test_confirm_writes_the_valid_rows_and_records_the_import(conversions):
    upload = start(
        conversions,
        row("56A8100001"),
        row(
            "56A8100002",
            name="Lò bánh tráng Út Hai",
            owner_national_id="083201009999",
            owner_name="Lê Út Hai",
        ),
        row(None),
        the_business_row(conversions),
    )
    last_audit = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first()

    with audit_context(actor=conversions.officer, channel="web"):
        upload = confirm_import(upload=upload, by=conversions.officer)

    assert (upload.status, upload.rows_added, upload.rows_updated, upload.rows_skipped) == (
        "confirmed",
        2,
        0,
        2,
    )
    assert upload.confirmed_by == conversions.officer and upload.confirmed_at is not None
    added = HouseholdBusiness.objects.get(registration_number="56A8100002")
    assert (added.name, added.owner.full_name, added.owner.national_id, added.unit, added.registered_on) == (
        "Lò bánh tráng Út Hai",
        "Lê Út Hai",
        "083201009999",
        conversions.cast.units.commune,
        datetime.date(2024, 3, 5),
    )
    assert (added.sector, added.workers, added.revenue_band, added.tax_mode) == (
        "G",
        3,
        "under_500m",
        "declared",
    )
    # Each business added has its audit record, by the officer who confirmed.
    created = AuditRecord.objects.filter(
        content_type__model="householdbusiness", action="create", pk__gt=last_audit
    )
    assert sorted(created.values_list("object_repr", "actor")) == [
        ("Lò bánh tráng Út Hai", conversions.officer.pk),
        ("Tiệm tạp hóa Minh Anh", conversions.officer.pk),
    ]


def test_confirm_writes_all_rows_or_none(conversions):
    upload = start(conversions, row("56A8100001"), row("56A8100002", owner_national_id="083201009999"))
    # After the preview, someone records the second number by hand.
    conversions.add("Tiệm khác", "56A8100002", national_id="083201008888")
    before = state()

    with pytest.raises(Refused) as refused:
        confirm_import(upload=upload, by=conversions.officer)

    assert refused.value.conflict
    assert str(refused.value) == (
        "Row 3: Registration number 56A8100002 is already on another household business. The registry "
        "changed after the preview: upload the file again."
    )
    assert state() == before
    upload.refresh_from_db()
    assert (upload.status, upload.confirmed_by) == ("previewed", None)


def test_confirming_twice_does_nothing_the_second_time(conversions):
    upload = start(conversions, row("56A8100001"))
    confirm_import(upload=upload, by=conversions.officer)
    before = state()

    with pytest.raises(Refused) as refused:
        confirm_import(upload=upload, by=conversions.officer)

    assert (str(refused.value), refused.value.conflict) == ("This import has already been confirmed.", True)
    assert state() == before


def test_the_same_file_again_changes_nothing(conversions):
    rows = (row("56A8100001"), row("56A8100002", owner_national_id="083201009999", owner_name="Lê Út Hai"))
    confirm_import(upload=start(conversions, *rows, on_duplicate=UPDATE), by=conversions.officer)
    registry = list(HouseholdBusiness.objects.order_by("pk").values())
    audits = AuditRecord.objects.count()

    again = start(conversions, *rows, on_duplicate=UPDATE)

    assert again.preview["counts"] == {"add": 0, "update": 0, "skip": 2, "error": 0}
    assert problems(again.preview["rows"][0]) == [
        ("note", "", "No change: the registry already holds these values.")
    ]
    again = confirm_import(upload=again, by=conversions.officer)
    assert (again.rows_added, again.rows_updated, again.rows_skipped) == (0, 0, 2)
    assert list(HouseholdBusiness.objects.order_by("pk").values()) == registry
    assert AuditRecord.objects.count() == audits


@pytest.mark.parametrize(("on_duplicate", "action"), [(SKIP, "skip"), (UPDATE, "update")])
def test_a_row_already_in_the_registry_is_skipped_or_updated_as_chosen(conversions, on_duplicate, action):
    changed = the_business_row(conversions, workers="12", address="Ấp Sơn Lân, xã Sơn Định")

    upload = start(conversions, changed, on_duplicate=on_duplicate)

    (entry,) = upload.preview["rows"]
    assert entry["action"] == action
    assert entry["changes"] == [
        {"column": "address", "heading": "Địa chỉ kinh doanh", "before": "Ấp Sơn Quy, xã Sơn Định",
         "after": "Ấp Sơn Lân, xã Sơn Định"},
        {"column": "workers", "heading": "Số lao động", "before": "8", "after": "12"},
    ]  # fmt: skip
    with audit_context(actor=conversions.officer, channel="web"):
        upload = confirm_import(upload=upload, by=conversions.officer)
    conversions.business.refresh_from_db()
    if on_duplicate == SKIP:
        assert problems(entry) == [
            ("note", "", "Already in the registry: skipped, as chosen; the file differs as shown.")
        ]
        assert (upload.rows_updated, upload.rows_skipped, conversions.business.workers) == (0, 1, 8)
    else:
        assert problems(entry) == []
        assert (upload.rows_updated, upload.rows_skipped, conversions.business.workers) == (1, 0, 12)
        record = AuditRecord.objects.history_of(conversions.business).filter(action="update").get()
        assert (record.actor, record.before["workers"], record.after["workers"]) == (
            conversions.officer,
            8,
            12,
        )


def test_another_owner_on_an_existing_record_is_shown_and_not_changed(conversions):
    upload = start(conversions, the_business_row(conversions, owner_national_id="083201007777"))
    assert problems(upload.preview["rows"][0]) == [
        (
            "warning",
            "Số CCCD của chủ hộ",
            "The registry records another owner for this business; an import does not change the owner.",
        ),
        ("note", "", "No change: the registry already holds these values."),
    ]


# --- Communes of before the 2025 reform ---------------------------------------------------------------------

REFORM_EVE = datetime.date(2025, 6, 30)


def fresh(user) -> User:
    """The user as a new request has them: their scope is computed anew, with the units added since."""
    return User.objects.get(pk=user.pk)


def former_commune(conversions, name: str, *successors: AdminUnit) -> AdminUnit:
    old = AdminUnitFactory(name=name, parent=conversions.cast.units.district, valid_until=REFORM_EVE)
    old.successors.set(successors or [conversions.cast.units.commune])
    return old


def test_a_pre_reform_name_is_matched_to_its_successor_in_this_commune(conversions):
    old = former_commune(conversions, "Xã Hòa Nghĩa")
    # Split between this commune and the other: the list is this commune's, so the row is its.
    former_commune(
        conversions, "Xã Tân Thiềng", conversions.cast.units.commune, conversions.cast.units.other_commune
    )

    upload = start(
        conversions,
        row("56A8100001", commune="Hòa Nghĩa", registered_on="01/09/2025"),
        row("56A8100002", commune="Xã Hòa Nghĩa", registered_on="05/03/2024"),
        row("56A8100003", commune="Xã Tân Thiềng", registered_on="01/09/2025"),
    )

    rows = by_row(upload)
    assert [(entry["action"], entry["commune"], entry["write"]["unit"]) for entry in rows.values()] == [
        ("add", "Xã Sơn Định", conversions.cast.units.commune.pk),
        ("add", "Xã Hòa Nghĩa", old.pk),  # the commune of its registration day
        ("add", "Xã Sơn Định", conversions.cast.units.commune.pk),
    ]
    assert problems(rows[2]) == [
        (
            "note",
            "Xã, phường",
            "“Hòa Nghĩa” was merged into Xã Sơn Định after 30/06/2025: recorded in Xã Sơn Định.",
        )
    ]
    assert problems(rows[3]) == []
    assert problems(rows[4]) == [
        (
            "note",
            "Xã, phường",
            "“Xã Tân Thiềng” was merged into Xã Cẩm Sơn, Xã Sơn Định after 30/06/2025: recorded in Xã Sơn "
            "Định.",
        )
    ]
    confirm_import(upload=upload, by=fresh(conversions.officer))
    assert HouseholdBusiness.objects.get(registration_number="56A8100002").unit == old


def test_a_commune_formed_from_several_is_asked_about_never_guessed(conversions):
    commune = conversions.cast.units.commune
    commune.valid_from = datetime.date(2025, 7, 1)
    commune.save(update_fields=["valid_from"])
    former_commune(conversions, "Xã Hòa Nghĩa")
    former_commune(conversions, "Xã Tân Thiềng")

    upload = start(conversions, row("56A8100001", registered_on="05/03/2024"))

    (entry,) = upload.preview["rows"]
    assert entry["action"] == "error"
    assert problems(entry) == [
        (
            "error",
            "Xã, phường",
            "“Xã Sơn Định” did not exist yet on 05/03/2024; it was formed from Xã Hòa Nghĩa, Xã Tân Thiềng: "
            "choose which one and write its name in the file.",
        )
    ]


# --- Who may import, and files that cannot be read ------------------------------------------------------


def test_another_communes_officer_may_neither_upload_nor_confirm(conversions):
    before = state()
    with pytest.raises(Refused) as refused:
        start(conversions, row(), by=conversions.cast.other_commune_officer)
    assert str(refused.value) == "You may import the list of your own commune only."
    assert state() == before

    upload = start(conversions, row())
    before = state()
    with pytest.raises(Refused):
        confirm_import(upload=upload, by=conversions.cast.other_commune_officer)
    assert state() == before
    upload.refresh_from_db()
    assert upload.status == "previewed"


def test_an_ended_commune_cannot_be_imported_into(conversions):
    old = former_commune(conversions, "Xã Hòa Nghĩa")
    with pytest.raises(Refused) as refused:
        start_import(by=conversions.cast.standing_officer, unit=old, upload=xlsx(row()), on_duplicate=SKIP)
    assert str(refused.value) == "Choose a current commune or ward."


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("danh-sach.xlsx", b"%PDF-1.4 not a list"),
            "This file is not a spreadsheet the portal can read: upload an Excel workbook (.xlsx) or a CSV "
            "file saved as “CSV UTF-8”.",
        ),
        (
            SimpleUploadedFile("danh-sach.csv", "Họ;Tên\nA;B\n".encode()),
            "No row of headings was found in the first 10 rows; the list needs the template's headings "
            "(“Tên hộ kinh doanh”, “Họ và tên chủ hộ”, “Số CCCD của chủ hộ”, “Số giấy chứng nhận đăng ký hộ "
            "kinh doanh”, “Ngày cấp đăng ký”, “Địa chỉ kinh doanh”, “Xã, phường”, “Ngành nghề (mã VSIC cấp "
            "1)”).",
        ),
        (SimpleUploadedFile("danh-sach.xlsx", b""), "The file is empty."),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_and_nothing_kept(conversions, upload, message):
    before = state()
    with pytest.raises(Refused) as refused:
        start(conversions, upload=upload)
    assert str(refused.value) == message
    assert state() == before


def test_a_file_too_large_is_refused_by_its_size_before_it_is_read(conversions, monkeypatch):
    upload = SimpleUploadedFile("danh-sach.xlsx", b"PK\x03\x04")
    upload.size = 50 * 1024 * 1024
    monkeypatch.setattr(imports, "read_rows", lambda upload: pytest.fail("the file was read"))
    before = state()
    with pytest.raises(Refused) as refused:
        start(conversions, upload=upload)
    assert str(refused.value) == "The file is 52.4 MB; the limit is 10 MB."
    assert state() == before


# --- A long list, previewed in the background --------------------------------------------------------------


def test_a_long_list_is_previewed_by_a_task(conversions, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(imports, "PREVIEW_IN_REQUEST", 2)
    monkeypatch.setattr(import_rows, "PROGRESS_EVERY", 2)
    queued = []
    monkeypatch.setattr(imports.preview_import, "delay", lambda import_id: queued.append(import_id))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        upload = start(conversions, row("56A8100001"), row("56A8100002"), row("56A8100003"))

    assert (len(callbacks), queued) == (1, [upload.pk])
    assert (upload.status, upload.rows_total, upload.rows_read, upload.preview) == ("reading", 3, 0, {})
    with pytest.raises(Refused) as refused:
        confirm_import(upload=upload, by=conversions.officer)
    assert str(refused.value) == "The file is still being read: confirm once the preview is ready."

    assert preview_stored_import(import_id=upload.pk) is True
    upload.refresh_from_db()
    assert (upload.status, upload.rows_read) == ("previewed", 3)
    assert upload.preview["counts"] == {"add": 3, "update": 0, "skip": 0, "error": 0}
    # A second delivery finds it previewed and does nothing.
    assert preview_stored_import(import_id=upload.pk) is False
    assert imports.preview_import.run(upload.pk) is False


# --- Cost ------------------------------------------------------------------------------------------------


def many(count: int) -> list[dict]:
    return [row(f"56A81{index:05d}", owner_national_id=f"0832010{index:05d}") for index in range(count)]


@pytest.mark.parametrize("count", [10, 100])
def test_the_preview_looks_up_the_file_at_once(conversions, count):
    upload = xlsx(*many(count))
    # The lookups: 1 the numbers already recorded, 2 the people known by CCCD, 3 the unit's subtree,
    # 4 its communes, 5 their successors, 6 their predecessors (the officer's scope is known already),
    # then 7 savepoint, 8 the import, 9 release: none per row.
    with CaptureQueriesContext(connection) as queries:
        start(conversions, upload=upload)
    assert len(queries) == 9


def test_a_long_list_without_headings_fails_in_the_background(conversions, monkeypatch):
    monkeypatch.setattr(imports, "PREVIEW_IN_REQUEST", 1)
    monkeypatch.setattr(imports.preview_import, "delay", lambda import_id: None)
    workbook = Workbook()
    for cells in (["Họ", "Tên"], ["A", "B"], ["C", "D"], ["E", "F"]):
        workbook.active.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)

    upload = start(conversions, upload=SimpleUploadedFile("danh-sach.xlsx", buffer.getvalue()))

    assert (upload.status, upload.rows_total) == ("reading", 3)
    assert preview_stored_import(import_id=upload.pk) is True
    upload.refresh_from_db()
    assert upload.status == "failed"
    assert upload.error.startswith("No row of headings was found in the first 10 rows")


# --- A long list, written in the background ----------------------------------------------------------------


def test_a_long_confirmed_list_is_written_by_a_task(
    conversions, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "CONFIRM_IN_REQUEST", 1)
    upload = start(conversions, row("56A8100001"), row("56A8100002", owner_national_id="083201009999"))
    before = state()

    with django_capture_on_commit_callbacks() as callbacks:
        claimed = confirm_import(upload=upload, by=conversions.officer)

    assert (len(callbacks), claimed.status, claimed.confirmed_by, imports.is_writing(claimed)) == (
        1,
        "previewed",
        conversions.officer,
        True,
    )
    assert state() == before
    with pytest.raises(Refused) as refused:
        confirm_import(upload=claimed, by=conversions.officer)
    assert str(refused.value) == "This import has already been confirmed."

    assert imports.write_import.run(upload.pk) is True

    upload.refresh_from_db()
    assert (upload.status, upload.rows_added, upload.confirmed_by) == ("confirmed", 2, conversions.officer)
    added = HouseholdBusiness.objects.get(registration_number="56A8100002")
    record = AuditRecord.objects.history_of(added).get()
    assert (record.actor, record.channel, record.action) == (conversions.officer, "task", "create")
    # A second delivery finds it written.
    assert imports.write_confirmed_import(import_id=upload.pk) is False
    assert HouseholdBusiness.objects.filter(registration_number__startswith="56A81").count() == 2


def test_a_task_that_finds_the_registry_changed_writes_nothing_and_says_why(conversions, monkeypatch):
    monkeypatch.setattr(imports, "CONFIRM_IN_REQUEST", 1)
    monkeypatch.setattr(imports.write_import, "delay", lambda import_id: None)
    upload = start(conversions, row("56A8100001"), row("56A8100002", owner_national_id="083201009999"))
    confirm_import(upload=upload, by=conversions.officer)
    conversions.add("Tiệm khác", "56A8100002", national_id="083201008888")
    before = state()

    assert imports.write_confirmed_import(import_id=upload.pk) is False

    assert state() == before
    upload.refresh_from_db()
    assert (upload.status, upload.confirmed_by, imports.is_writing(upload)) == ("previewed", None, False)
    assert upload.error == (
        "Row 3: Registration number 56A8100002 is already on another household business. The registry "
        "changed after the preview: upload the file again."
    )


def test_the_rows_of_a_workbook_are_counted_without_reading_its_cells():
    stated = xlsx(*many(30))
    unstated = Workbook(write_only=True)  # openpyxl's fast writer states no size for its sheets
    sheet = unstated.create_sheet()
    for cells in listing(*many(30)):
        sheet.append(cells)
    buffer = io.BytesIO()
    unstated.save(buffer)
    assert imports.estimated_rows(stated) == 31
    assert imports.estimated_rows(SimpleUploadedFile("danh-sach.xlsx", buffer.getvalue())) == 31
    assert imports.estimated_rows(SimpleUploadedFile("danh-sach.csv", b"a;b\n1;2\n")) is None
    assert imports.estimated_rows(SimpleUploadedFile("danh-sach.xlsx", b"PK\x03\x04 damaged")) is None

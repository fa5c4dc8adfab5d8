"""load_catalogue: the programme's reference data, created once and then left to the admins."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from dossiers.catalogue import DOCUMENT_KINDS, PROCEDURES
from dossiers.models import DocumentKind, Procedure, ProcedureVersion, Requirement
from portal.catalogue import CALENDAR
from portal.models import CalendarDay, Team

pytestmark = pytest.mark.django_db

D = datetime.date


def load() -> str:
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    return out.getvalue()


def requirement_rows(version: ProcedureVersion) -> list[tuple[str, bool]]:
    return [
        (requirement.document_kind.code, requirement.is_mandatory)
        for requirement in version.requirements.select_related("document_kind")
    ]


def test_the_catalogue_is_loaded():
    output = load()
    assert "DocumentKind:     17 created, 0 already there." in output
    assert "Procedure:        4 created, 0 already there." in output
    assert "ProcedureVersion: 5 created, 0 already there." in output
    assert "Requirement:      28 created, 0 already there." in output
    assert "CalendarDay:      58 created, 0 already there." in output
    assert (DocumentKind.objects.count(), len(DOCUMENT_KINDS)) == (17, 17)
    assert len(CALENDAR) == 58

    assert sorted(Procedure.objects.values_list("code", "audience", "handling_team_kind")) == [
        ("dang-ky-khoi-nghiep-thoat-ngheo", "poor_household", Team.Kind.COMMUNE_TEAM),
        ("ho-tro-chuyen-doi-ho-kinh-doanh", "household_business", Team.Kind.COMMUNE_TEAM),
        ("ho-tro-du-an-khoi-nghiep", "startup", Team.Kind.STANDING_AGENCY),
        ("vay-von-quy-khoi-nghiep", "startup", Team.Kind.FUND),
    ]
    assert sorted(
        ProcedureVersion.objects.values_list(
            "procedure__code", "number", "effective_from", "statutory_working_days"
        )
    ) == [
        ("dang-ky-khoi-nghiep-thoat-ngheo", 1, D(2024, 1, 1), 10),
        ("ho-tro-chuyen-doi-ho-kinh-doanh", 1, D(2024, 1, 1), 3),
        ("ho-tro-chuyen-doi-ho-kinh-doanh", 2, D(2026, 1, 1), 3),
        ("ho-tro-du-an-khoi-nghiep", 1, D(2024, 1, 1), 15),
        ("vay-von-quy-khoi-nghiep", 1, D(2024, 1, 1), 20),
    ]
    assert all(version.legal_basis for version in ProcedureVersion.objects.all())
    assert DocumentKind.objects.get(code="ban-sao-cccd").validity_months is None
    assert DocumentKind.objects.get(code="giay-xac-nhan-ho-ngheo").validity_months == 12


def test_the_conversion_support_changed_when_the_licence_fee_was_abolished():
    load()
    procedure = Procedure.objects.get(code="ho-tro-chuyen-doi-ho-kinh-doanh")
    before = procedure.version_on(D(2025, 12, 31))
    after = procedure.version_on(D(2026, 1, 1))
    assert (before.number, after.number) == (1, 2)
    assert procedure.version_on(D(2023, 12, 31)) is None
    assert requirement_rows(before) == [
        ("to-khai-ho-tro-chuyen-doi", True),
        ("ban-sao-cccd", True),
        ("giay-chung-nhan-ho-kinh-doanh", True),
        ("xac-nhan-thue-ho-kinh-doanh", True),
        ("chung-tu-le-phi-mon-bai", True),
        ("bao-cao-tai-chinh", False),
    ]
    assert requirement_rows(after) == [
        ("to-khai-ho-tro-chuyen-doi", True),
        ("ban-sao-cccd", True),
        ("giay-chung-nhan-ho-kinh-doanh", True),
        ("xac-nhan-thue-ho-kinh-doanh", True),
        ("bao-cao-tai-chinh", False),
    ]
    assert "198/2025/QH15" in after.legal_basis
    assert "198/2025/QH15" not in before.legal_basis


def test_every_procedure_asks_for_an_identity_card_and_its_own_form():
    load()
    forms = set()
    for entry in PROCEDURES:
        for version in entry.versions:
            kinds = [needs.kind for needs in version.requirements]
            assert "ban-sao-cccd" in kinds
            assert version.requirements[0].is_mandatory
            forms.add((entry.code, kinds[0]))
    # Four procedures, four different forms: a form given for one is never reused for another.
    assert len({form for _, form in forms}) == 4


def test_the_calendar_of_2024_to_2027():
    load()
    days = dict(CalendarDay.objects.values_list("date", "kind"))
    assert {day.year for day in days} == {2024, 2025, 2026, 2027}
    working = sorted(day for day, kind in days.items() if kind == CalendarDay.Kind.WORKING_DAY)
    assert working == [D(2024, 5, 4), D(2025, 4, 26), D(2026, 1, 10), D(2026, 8, 22)]
    assert all(day.weekday() == 5 for day in working)  # make-up days are Saturdays
    for year, first, last in ((2024, 8, 14), (2026, 16, 20)):
        assert all(days[D(year, 2, day)] == CalendarDay.Kind.DAY_OFF for day in range(first, last + 1))
    assert all(days[D(2025, 1, day)] == CalendarDay.Kind.DAY_OFF for day in range(27, 32))
    # Hùng Kings' day, 10/3 of the lunar calendar.
    hung_kings = sorted(CalendarDay.objects.filter(name__startswith="Giỗ Tổ").values_list("date", flat=True))
    assert hung_kings == [D(2024, 4, 18), D(2025, 4, 7), D(2026, 4, 26), D(2027, 4, 16)]
    # National Day and its adjacent day.
    assert [day for day in days if day.month == 9] == [
        D(2024, 9, 2),
        D(2024, 9, 3),
        D(2025, 9, 1),
        D(2025, 9, 2),
        D(2026, 9, 1),
        D(2026, 9, 2),
        D(2027, 9, 2),
        D(2027, 9, 3),
    ]
    # 2027 is not decided yet: every day of it says so.
    assert all(
        "dự kiến" in name
        for name in CalendarDay.objects.filter(date__year=2027)
        .exclude(date=D(2027, 1, 1))
        .values_list("name", flat=True)
    )


def test_a_second_run_keeps_what_the_admins_changed():
    load()
    kind = DocumentKind.objects.get(code="ban-sao-cccd")
    kind.name = "Bản chụp thẻ căn cước"
    kind.validity_months = 120
    kind.save(update_fields=["name", "validity_months"])
    procedure = Procedure.objects.get(code="ho-tro-du-an-khoi-nghiep")
    procedure.description = "Mô tả do quản trị viên viết."
    procedure.is_open = False
    procedure.save(update_fields=["description", "is_open"])
    version = procedure.versions.get()
    version.statutory_working_days = 12
    version.save(update_fields=["statutory_working_days"])
    Requirement.objects.filter(version=version, document_kind__code="hinh-anh-san-pham").delete()
    # A provisional holiday moved by a day, another removed.
    CalendarDay.objects.filter(date=D(2027, 2, 10)).update(date=D(2027, 2, 11))
    CalendarDay.objects.filter(date=D(2027, 9, 3)).delete()
    before = (
        list(DocumentKind.objects.order_by("pk").values_list()),
        list(Procedure.objects.order_by("pk").values_list()),
        list(ProcedureVersion.objects.order_by("pk").values_list()),
        list(Requirement.objects.order_by("pk").values_list()),
        list(CalendarDay.objects.order_by("pk").values_list()),
    )

    output = load()

    after = (
        list(DocumentKind.objects.order_by("pk").values_list()),
        list(Procedure.objects.order_by("pk").values_list()),
        list(ProcedureVersion.objects.order_by("pk").values_list()),
        list(Requirement.objects.order_by("pk").values_list()),
        list(CalendarDay.objects.order_by("pk").values_list()),
    )
    assert after == before
    assert "DocumentKind:     0 created, 17 already there." in output
    assert "Requirement:      0 created, 27 already there." in output
    assert "CalendarDay:      0 created, 57 already there." in output


def test_missing_rows_are_added_beside_the_admins_rows():
    # As when a later release of the catalogue brings a new version and a new year.
    load()
    CalendarDay.objects.filter(date__year=2027).delete()
    ProcedureVersion.objects.filter(number=2).delete()

    output = load()

    assert "CalendarDay:      14 created, 44 already there." in output
    assert CalendarDay.objects.filter(date__year=2027).count() == 14
    version = Procedure.objects.get(code="ho-tro-chuyen-doi-ho-kinh-doanh").versions.get(number=2)
    assert version.requirements.count() == 5
    assert "ProcedureVersion: 1 created, 4 already there." in output

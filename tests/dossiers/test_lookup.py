"""The public lookup (tra cứu hồ sơ): code plus the last four digits of the applicant's phone.

It answers with the status, the procedure and the due date only; a wrong code and a wrong
second factor read the same, byte for byte; failed tries are throttled per address and per code.
"""

import datetime
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from dossiers.lookup import LIMIT_PER_ADDRESS, LIMIT_PER_CODE, look_up_dossier, normalize_code
from dossiers.models import Applicant, DocumentKind, Dossier, Procedure, ProcedureVersion, Requirement
from portal.models import Team
from tests.role_table import Row, everyone

CODE = "HS-4K7M-9QX2"
PHONE = "0912 345 678"
RIGHT_DIGITS = "5678"
WRONG_DIGITS = "5679"
ADDRESS = "203.0.113.7"


def vi(message: str) -> str:
    with translation.override("vi"):
        return gettext(message)


@pytest.fixture(autouse=True)
def empty_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dossier(cast) -> Dossier:
    """A received dossier of a person whose personal data must never appear in an answer."""
    procedure = Procedure.objects.create(
        code="ho-tro-khoi-nghiep",
        name="Đăng ký hỗ trợ dự án khởi nghiệp",
        audience=Procedure.Audience.STARTUP,
        handling_team_kind=Team.Kind.COMMUNE_TEAM,
    )
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, effective_from=datetime.date(2024, 1, 1), statutory_working_days=10
    )
    Requirement.objects.create(
        version=version, document_kind=DocumentKind.objects.create(code="cccd", name="Bản sao CCCD")
    )
    applicant = Applicant.objects.create(
        kind=Applicant.Kind.ENTERPRISE,
        full_name="Bùi Văn Nộp",
        enterprise_name="Cơ sở kẹo dừa Thanh Long",
        tax_code="1300123456",
        national_id="083095001234",
        phone=PHONE,
        email="nop@example.vn",
        address="Số 12, ấp Phú Thuận",
        unit=cast.units.commune,
        user=cast.applicant,
        consent_at=timezone.now(),
    )
    dossier = Dossier.objects.create(
        procedure=procedure,
        procedure_version=version,
        applicant=applicant,
        filed_by=cast.applicant,
        unit=cast.units.commune,
        handling_team=cast.teams.commune,
        summary="Vay vốn mở rộng lò kẹo dừa",
        status=Dossier.Status.RECEIVED,
        submitted_at=timezone.now(),
        received_at=timezone.now(),
        due_date=datetime.date(2026, 3, 16),
    )
    Dossier.objects.filter(pk=dossier.pk).update(code=CODE)
    dossier.refresh_from_db()
    return dossier


def look_up(client, code, digits, address=ADDRESS):
    return client.post(
        reverse("dossier_lookup"), {"code": code, "phone_last_four": digits}, REMOTE_ADDR=address
    )


@pytest.fixture
def fixed_csrf_mask(monkeypatch):
    """Each page carries a CSRF token masked afresh; pin the mask so that only real differences show."""
    monkeypatch.setattr("django.middleware.csrf._get_new_csrf_string", lambda: "a" * 32)


# What anyone may see


def test_the_form_is_public(client, db):
    response = client.get(reverse("dossier_lookup"))
    assert response.status_code == 200
    assert response.context["answer"] is None
    assert 'name="phone_last_four"' in response.content.decode()


def test_right_code_and_digits_show_status_procedure_and_due_date_only(client, dossier):
    response = look_up(client, CODE, RIGHT_DIGITS)
    assert response.status_code == 200
    found = response.context["answer"].found
    assert (found.code, found.status, found.procedure_name, found.due_date) == (
        CODE,
        Dossier.Status.RECEIVED,
        "Đăng ký hỗ trợ dự án khởi nghiệp",
        datetime.date(2026, 3, 16),
    )
    body = response.content.decode()
    assert "Đăng ký hỗ trợ dự án khởi nghiệp" in body
    assert "16/03/2026" in body
    with translation.override("vi"):
        assert capfirst(str(Dossier.Status.RECEIVED.label)) in body


def test_the_answer_holds_no_personal_data(client, dossier):
    body = look_up(client, CODE, RIGHT_DIGITS).content.decode()
    applicant = dossier.applicant
    for personal in (
        applicant.full_name,
        applicant.enterprise_name,
        applicant.tax_code,
        applicant.national_id,
        applicant.phone,
        "0912345678",
        "345 678",
        applicant.email,
        applicant.address,
        dossier.summary,
        dossier.handling_team.name,  # internal too
    ):
        assert personal not in body, personal
    # The digits typed are not echoed back either.
    assert 'value="5678"' not in body


def test_codes_match_whatever_the_case_dashes_and_spaces(client, dossier):
    for typed in ("hs-4k7m-9qx2", "HS4K7M9QX2", " hs 4k7m 9qx2 ", "4K7M-9QX2", "4k7m9qx2"):
        found = look_up(client, typed, RIGHT_DIGITS).context["answer"].found
        assert found is not None and found.code == CODE, typed


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("hs-4k7m-9qx2", CODE),
        ("HS 4K7M 9QX2", CODE),
        ("4k7m9qx2", CODE),
        ("HS–4K7M–9QX2", CODE),  # en dashes from a word processor
        ("HS-4K7M", "HS4K7M"),  # too short to be a code: kept, matches nothing
        ("", ""),
    ],
)
def test_normalize_code(typed, normalized):
    assert normalize_code(typed) == normalized


def test_a_draft_is_not_found(client, dossier):
    Dossier.objects.filter(pk=dossier.pk).update(submitted_at=None, status=Dossier.Status.NEW)
    assert look_up(client, CODE, RIGHT_DIGITS).context["answer"].found is None


# A wrong code and a wrong second factor give the same answer


def test_wrong_code_and_wrong_digits_give_byte_identical_answers(client, dossier, fixed_csrf_mask):
    wrong_code = look_up(client, "HS-ZZZZ-ZZZZ", RIGHT_DIGITS)
    wrong_digits = look_up(client, CODE, WRONG_DIGITS)
    assert wrong_code.status_code == wrong_digits.status_code == 200
    assert wrong_code.content == wrong_digits.content
    assert vi("No dossier matches this code and these four digits. Check both and try again.") in (
        wrong_code.content.decode()
    )
    # And the page with the right answer does differ, so the comparison above can fail.
    assert look_up(client, CODE, RIGHT_DIGITS).content != wrong_code.content


def test_the_service_answers_the_same_for_both(dossier):
    assert look_up_dossier(
        code="HS-ZZZZ-ZZZZ", phone_last_four=RIGHT_DIGITS, address=ADDRESS
    ) == look_up_dossier(code=CODE, phone_last_four=WRONG_DIGITS, address=ADDRESS)


def test_malformed_digits_are_named_and_not_counted(client, dossier):
    response = look_up(client, CODE, "12a")
    assert response.status_code == 400
    assert response.context["form"].errors == {"phone_last_four": [vi("Enter exactly four digits.")]}
    assert response.context["answer"] is None
    for _ in range(LIMIT_PER_CODE):
        look_up(client, CODE, "")
    assert look_up(client, CODE, RIGHT_DIGITS).context["answer"].found is not None


# Throttling


def test_a_code_is_throttled_after_repeated_failures_from_any_address(client, dossier):
    for attempt in range(LIMIT_PER_CODE):
        assert look_up(client, CODE, f"{attempt:04d}", address=f"198.51.100.{attempt}").status_code == 200
    response = look_up(client, "hs4k7m9qx2", RIGHT_DIGITS, address="198.51.100.200")
    assert response.status_code == 429
    assert response.context["answer"].is_throttled
    assert response.context["answer"].found is None
    assert "Đăng ký hỗ trợ dự án khởi nghiệp" not in response.content.decode()
    with translation.override("vi"):
        expected = gettext("Too many failed tries. Please wait %(minutes)s minutes and try again.") % {
            "minutes": 15
        }
    assert expected in response.content.decode()


def test_an_unknown_code_is_throttled_exactly_like_a_real_one(client, dossier, fixed_csrf_mask):
    for attempt in range(LIMIT_PER_CODE):
        look_up(client, CODE, WRONG_DIGITS, address=f"198.51.100.{attempt}")
        look_up(client, "HS-ZZZZ-ZZZZ", WRONG_DIGITS, address=f"198.51.101.{attempt}")
    real = look_up(client, CODE, RIGHT_DIGITS, address="198.51.102.1")
    unknown = look_up(client, "HS-ZZZZ-ZZZZ", RIGHT_DIGITS, address="198.51.102.2")
    assert real.status_code == unknown.status_code == 429
    assert real.content == unknown.content


def test_another_code_is_not_affected_by_a_throttled_one(client, dossier):
    for attempt in range(LIMIT_PER_CODE):
        look_up(client, "HS-ZZZZ-ZZZZ", WRONG_DIGITS, address=f"198.51.100.{attempt}")
    assert look_up(client, CODE, RIGHT_DIGITS).context["answer"].found is not None


def test_an_address_is_throttled_across_codes(client, dossier):
    for attempt in range(LIMIT_PER_ADDRESS):
        look_up(client, f"HS-ZZZZ-{attempt:04d}".replace("0", "Z"), RIGHT_DIGITS, address="192.0.2.9")
    response = look_up(client, CODE, RIGHT_DIGITS, address="192.0.2.9")
    assert response.status_code == 429
    assert response.context["answer"].found is None
    # Another address still gets its answer.
    assert look_up(client, CODE, RIGHT_DIGITS, address="192.0.2.10").context["answer"].found is not None


def test_successful_lookups_are_not_counted(client, dossier):
    for _ in range(LIMIT_PER_ADDRESS + 1):
        assert look_up(client, CODE, RIGHT_DIGITS).context["answer"].found is not None


def test_throttling_expires_with_the_window(client, dossier, settings):
    settings.DOSSIER_LOOKUP_WINDOW = datetime.timedelta(seconds=1)
    settings.DOSSIER_LOOKUP_LIMIT_PER_CODE = 1
    look_up(client, CODE, WRONG_DIGITS)
    assert look_up(client, CODE, RIGHT_DIGITS).status_code == 429
    time.sleep(1.1)
    assert look_up(client, CODE, RIGHT_DIGITS).context["answer"].found is not None


def test_the_lookup_runs_a_single_query(client, dossier, django_assert_num_queries):
    # The dossier with its procedure and applicant's phone; the anonymous visitor has no session to load.
    with django_assert_num_queries(1):
        look_up(client, CODE, RIGHT_DIGITS)


# Role × route: anyone may look up, signed in or not.
LOOKUP_ROWS: dict[str, Row] = {
    "dossier_lookup": Row("get", lambda cast: reverse("dossier_lookup"), everyone(200)),
}


@pytest.mark.parametrize("role", ["anonymous", "applicant", "commune_officer", "council_member"])
def test_lookup_rows(cast, login, role):
    row = LOOKUP_ROWS["dossier_lookup"]
    response = getattr(login(getattr(cast, role)), row.method)(row.url(cast), row.data(cast))
    assert response.status_code == row.expected[role]

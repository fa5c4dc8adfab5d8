"""An applicant files a dossier online, an officer asks for a supplement, the applicant supplies it.

Two browsers side by side: Bùi Văn Nộp (the applicant, Xã Sơn Định) and Nguyễn Thị Xã (a member of
the commune team that handles his commune's dossiers). Labels are looked up as a Vietnamese
reader gets them, through the catalogue.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from dossiers.models import Applicant, DocumentKind, Dossier, Procedure, ProcedureVersion, Requirement
from portal.models import Team
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PROCEDURE = "Đăng ký hỗ trợ dự án khởi nghiệp"
ID_CARD = "Bản sao căn cước công dân"
PLAN = "Phương án kinh doanh"


def vi(message: str, **params) -> str:
    with translation.override("vi"):
        text = gettext(message)
    return text % params if params else text


def screenshot(page, name: str) -> None:
    from django.conf import settings

    folder = settings.VAR_DIR / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + reverse("login"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(base_url + reverse("home"))


def upload(page, document: str, file_name: str, *, button: str = "Upload") -> None:
    page.get_by_label(vi("File for “%(name)s”", name=document)).set_input_files(
        files=[{"name": file_name, "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name=f"{vi(button)} {document}").click()
    page.get_by_text(vi("“%(document)s” has been uploaded.", document=document)).wait_for()


@pytest.fixture
def startup_procedure(db, cast) -> Procedure:
    """Handled by commune teams, so the applicant's commune team (with Nguyễn Thị Xã) handles it."""
    procedure = Procedure.objects.create(
        code="ho-tro-khoi-nghiep",
        name=PROCEDURE,
        description="Tư vấn, kết nối chuyên gia và vốn cho dự án khởi nghiệp.",
        audience=Procedure.Audience.STARTUP,
        handling_team_kind=Team.Kind.COMMUNE_TEAM,
    )
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, effective_from=datetime.date(2024, 1, 1), statutory_working_days=10
    )
    for position, (code, name) in enumerate([("ban-sao-cccd", ID_CARD), ("phuong-an", PLAN)]):
        Requirement.objects.create(
            version=version,
            document_kind=DocumentKind.objects.create(code=code, name=name),
            position=position,
        )
    Applicant.objects.create(
        full_name="Bùi Văn Nộp",
        national_id="083095001234",
        phone="0912345678",
        address="Số 12, ấp Phú Thuận",
        unit=cast.units.commune,
        user=cast.applicant,
        consent_at=timezone.now(),
    )
    return procedure


def test_applicant_files_online_officer_asks_for_a_supplement_applicant_supplies_it(
    transactional_db, live_server, cast, startup_procedure, browser, page, checked_pages, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url

    # The applicant files a dossier online.
    sign_in(page, base, "nguoinop")
    page.goto(base + reverse("my_dossiers"))
    page.get_by_role("heading", name=vi("My dossiers")).wait_for()
    page.locator("#main").get_by_role("link", name=vi("File a new dossier")).click()
    page.get_by_role("heading", name=PROCEDURE).wait_for()
    screenshot(page, "journey-1-choose-procedure.png")
    page.locator("#summary-ho-tro-khoi-nghiep").fill("Mở rộng lò kẹo dừa sáp, cần tư vấn và vốn.")
    page.get_by_role("button", name=f"{vi('Start this dossier')} {PROCEDURE}").click()
    page.wait_for_url(re.compile(r"/dossiers/\d+/$"))
    dossier = Dossier.objects.get(applicant__user=cast.applicant)
    assert dossier.handling_team == cast.teams.commune
    assert page.url == base + reverse("dossier_detail", args=[dossier.pk])
    upload(page, ID_CARD, "cccd.pdf")
    upload(page, PLAN, "phuong-an.pdf")
    screenshot(page, "journey-2-draft-with-documents.png")
    page.get_by_role("button", name=vi("File the dossier")).click()
    page.get_by_text(
        vi(
            "Dossier %(code)s has been filed. The handling team will receive it and give you a due date.",
            code=dossier.code,
        )
    ).wait_for()

    # The officer of the commune team receives it and asks for a supplement naming the business plan.
    officer_context = browser.new_context()
    officer = checked_pages(officer_context.new_page())
    sign_in(officer, base, "xa")
    officer.goto(base + reverse("dossier_detail", args=[dossier.pk]))
    officer.get_by_role("button", name=vi("Receive the dossier")).click()
    officer.get_by_role("button", name=vi("Start processing")).click()
    officer.locator("summary", has_text=vi("Request a supplement")).click()
    officer.get_by_label(PLAN).check()
    officer.get_by_label(vi("What exactly is missing")).fill("Phương án thiếu bảng dự toán chi phí 12 tháng.")
    screenshot(officer, "journey-3-officer-requests-supplement.png")
    officer.get_by_role("button", name=vi("Request a supplement")).click()
    officer.get_by_text(
        vi("The applicant has been asked for the missing documents; the slip is ready to print.")
    ).wait_for()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUPPLEMENT_REQUESTED
    officer_context.close()

    # The applicant sees what to add, uploads it and supplies the supplement.
    page.reload()
    panel = page.locator(
        "#requirement-" + str(dossier.procedure_version.requirements.get(document_kind__name=PLAN).pk)
    )
    assert vi("to add") in panel.inner_text()
    assert "Phương án thiếu bảng dự toán chi phí 12 tháng." in page.content()
    screenshot(page, "journey-4-supplement-requested.png")
    upload(page, PLAN, "phuong-an-bo-sung.pdf", button="Replace")
    page.get_by_role("button", name=vi("Send the supplement")).click()
    page.get_by_text(
        vi("The supplement has been sent. Processing resumes and the due date moves by the days it waited.")
    ).wait_for()
    with translation.override("vi"):
        in_progress = capfirst(str(Dossier.Status.IN_PROGRESS.label))
    status = page.locator("h1 + .badge").first
    assert in_progress in status.inner_text()
    timeline = page.locator("section[aria-labelledby='dossier-timeline']")
    assert vi("Supplement provided; processing resumed") in timeline.inner_text()
    screenshot(page, "journey-5-back-in-progress.png")
    dossier.refresh_from_db()
    assert (dossier.status, dossier.paused_on) == (Dossier.Status.IN_PROGRESS, None)

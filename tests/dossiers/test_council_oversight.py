"""The council oversees: it reads every filed dossier of the province with personal data masked, and
processes none (portal/scope.py, dossiers/access.py). Its pages offer no step, the API refuses every
step with 403, and nothing changes; the standing agency keeps processing. The role × route rows show
the same for the council's other writes (filing, the desk, replies, reviews, teams, activities).
"""

import datetime

import pytest
from django.urls import reverse

from dossiers.models import Dossier
from dossiers.services.inquiries import raise_inquiry
from dossiers.transitions import PROCESSOR, Step, steps_for
from tests.dossiers.api_helpers import api
from tests.dossiers.fixtures import *  # noqa: F403 (the dossiers and media_root fixtures)
from tests.dossiers.fixtures import Dossiers
from tests.dossiers.page_helpers import dossier_state
from tests.dossiers.test_slips import docx_text, get_docx

Status = Dossier.Status
PROCESSOR_STEPS = [step.name for step in steps_for(PROCESSOR)]
WHOLE = ("083095001234", "0912345678", "Ấp Sơn Quy, xã Sơn Định")


def dossier_for(world: Dossiers, step: Step) -> Dossier:
    """A dossier of the world that ``step`` may be taken on now."""
    return next(world.at(status) for status in Status.values if step.allows(world.at(status)))


def body_for(world: Dossiers, step: Step, dossier: Dossier) -> dict:
    values = {
        "reason": "Hồ sơ chưa đúng mẫu.",
        "note": "Nộp lệ phí 100.000 ₫.",
        "result": "Đồng ý hỗ trợ.",
        "missing": [world.plan.pk],
        "new_due_date": ((dossier.due_date or datetime.date(2026, 12, 1)) + datetime.timedelta(days=10)),
    }
    return {name: values[name] for name in step.inputs}


@pytest.mark.parametrize("name", PROCESSOR_STEPS)
def test_the_council_takes_no_step_and_the_standing_agency_does(dossiers, name):
    step = next(step for step in steps_for(PROCESSOR) if step.name == name)
    dossier = dossier_for(dossiers, step)
    url = reverse(f"api:dossier-{step.url_path}", args=[dossier.pk])
    body = body_for(dossiers, step, dossier)
    before = dossier_state()
    refused = api(dossiers.cast.council_member).post(url, body, format="json")
    assert refused.status_code == 403
    assert dossier_state() == before
    done = api(dossiers.cast.standing_officer).post(url, body, format="json")
    assert done.status_code == 200, done.json()


@pytest.mark.parametrize("name", PROCESSOR_STEPS)
def test_the_council_takes_no_step_through_the_pages_either(dossiers, login, name):
    step = next(step for step in steps_for(PROCESSOR) if step.name == name)
    dossier = dossier_for(dossiers, step)
    url = reverse("dossier_act", args=[dossier.pk, step.name])
    body = body_for(dossiers, step, dossier)
    # The page's date field reads dd/mm/yyyy.
    data = {
        key: f"{value:%d/%m/%Y}" if isinstance(value, datetime.date) else value for key, value in body.items()
    }
    before = dossier_state()
    assert login(dossiers.cast.council_member).post(url, data).status_code == 403
    assert dossier_state() == before
    assert login(dossiers.cast.standing_officer).post(url, data).status_code == 302


def test_the_councils_page_of_a_dossier_offers_nothing_to_do(dossiers, login):
    dossier = dossiers.at(Status.IN_PROGRESS)
    inquiry = raise_inquiry(dossier=dossier, by=dossiers.cast.applicant, question="Khi nào có kết quả?")
    url = reverse("dossier_detail", args=[dossier.pk])
    council = login(dossiers.cast.council_member).get(url)
    page = council.content.decode()
    assert (council.status_code, council.context["can_process"], council.context["actions"]) == (
        200,
        False,
        [],
    )
    assert reverse("dossier_act", args=[dossier.pk, "complete"]) not in page
    assert reverse("inquiry_reply", args=[inquiry.pk]) not in page
    assert "/review/" not in page
    standing = login(dossiers.cast.standing_officer).get(url)
    assert [name for name, _step, _form in standing.context["actions"]] == [
        "request_supplement",
        "request_payment",
        "complete",
        "apologise",
        "stop",
    ]
    assert reverse("inquiry_reply", args=[inquiry.pk]) in standing.content.decode()


def test_the_council_reads_the_provinces_filed_dossiers_masked(dossiers, login):
    other = dossiers.file(applicant=dossiers.other_applicant)
    client = login(dossiers.cast.council_member)
    queue = client.get(reverse("dossier_list"))
    assert {dossier.code for dossier in queue.context["page"]} == {dossiers.dossier.code, other.code}
    listed = api(dossiers.cast.council_member).get(reverse("api:dossier-list")).json()["results"]
    assert {row["code"] for row in listed} == {dossiers.dossier.code, other.code}
    mine = next(row["applicant"] for row in listed if row["code"] == dossiers.dossier.code)
    assert (mine["national_id"], mine["phone"], mine["address"]) == ("••••••••1234", "••••••5678", "••••••")
    page = client.get(reverse("dossier_detail", args=[dossiers.dossier.pk])).content.decode()
    assert [value for value in WHOLE if value in page] == []


def test_the_councils_slips_mask_the_applicants_address_and_phone(dossiers, login):
    dossier = dossiers.at(Status.RECEIVED)
    page = login(dossiers.cast.council_member).get(reverse("dossier_slip", args=[dossier.pk, "receipt"]))
    assert [value for value in WHOLE if value in page.content.decode()] == []
    paragraphs, _tables = docx_text(get_docx(login(dossiers.cast.council_member), dossier, "receipt").content)
    assert {"Địa chỉ: ••••••", "Số điện thoại: ••••••5678"} <= set(paragraphs)
    paragraphs, _tables = docx_text(
        get_docx(login(dossiers.cast.standing_officer), dossier, "receipt").content
    )
    assert {"Địa chỉ: Ấp Sơn Quy, xã Sơn Định", "Số điện thoại: 0912345678"} <= set(paragraphs)

"""A dossier's page for the officials: what it holds and offers, the actions that move the
dossier, the reviews of its documents. A refused action says why and changes nothing.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from dossiers.models import Dossier, DossierDocument
from dossiers.services.documents import review_document
from tests.dossiers.fixtures import *  # noqa: F403 (the dossiers and media_root fixtures)
from tests.dossiers.fixtures import Dossiers
from tests.dossiers.page_helpers import D, Status, dossier_state

# A dossier's page --------------------------------------------------------------------------------


def test_detail_context_holds_the_dossier_and_its_parts(dossiers, login):
    world = dossiers
    target = world.at(Status.SUPPLEMENT_REQUESTED)
    response = login(world.officer).get(reverse("dossier_detail", args=[target.pk]))
    context = response.context
    assert response.status_code == 200
    assert context["dossier"] == target
    assert [(requirement, use.document.original_name) for requirement, use in context["checklist"]] == [
        (world.plan, "phuong-an-kinh-doanh.pdf"),
        (world.id_copy, "cccd.pdf"),
    ]
    assert [event.action for event in context["events"]] == [
        "start_draft",
        "submit",
        "receive",
        "start",
        "request_supplement",
    ]
    assert [(supplement.round, list(supplement.missing.all())) for supplement in context["supplements"]] == [
        (1, [world.plan])
    ]
    assert context["inquiries"] == []
    assert context["can_process"] is True
    assert context["is_applicant"] is False
    assert context["slips"] == ["receipt", "supplement"]
    assert [name for name, _action, _form in context["actions"]] == ["apologise", "stop"]


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        (Status.NEW, ["receive", "refuse"]),
        (Status.RECEIVED, ["start", "request_supplement", "apologise", "stop"]),
        (Status.IN_PROGRESS, ["request_supplement", "request_payment", "complete", "apologise", "stop"]),
        (Status.PAYMENT_REQUESTED, ["confirm_payment", "apologise", "stop"]),
        (Status.DONE, ["return_result"]),
        (Status.RESULT_RETURNED, []),
        (Status.NOT_RECEIVED, []),
        (Status.WITHDRAWN, []),
        (Status.STOPPED, []),
    ],
)
def test_only_the_legal_actions_are_offered(dossiers, login, status, actions):
    target = dossiers.at(status)
    response = login(dossiers.officer).get(reverse("dossier_detail", args=[target.pk]))
    assert [name for name, _action, _form in response.context["actions"]] == actions


def test_who_does_not_process_sees_no_action(dossiers, login):
    response = login(dossiers.cast.district_officer).get(
        reverse("dossier_detail", args=[dossiers.dossier.pk])
    )
    assert response.context["can_process"] is False
    assert response.context["actions"] == []
    assert reverse("dossier_act", args=[dossiers.dossier.pk, "receive"]) not in response.content.decode()


def test_personal_data_is_masked_for_officials_outside_the_handling_team_and_the_council(dossiers, login):
    url = reverse("dossier_detail", args=[dossiers.dossier.pk])
    whole = ("083095001234", "0912345678", "nop@example.vn", "Ấp Sơn Quy, xã Sơn Định")
    for reader in (dossiers.cast.district_officer, dossiers.cast.council_member):
        page = login(reader).get(url).content.decode()
        for masked in (
            "••••••••1234",
            "••••••5678",
            "n••••••@example.vn",
            '<dd class="col-sm-8">••••••</dd>',
        ):
            assert masked in page
        assert not [value for value in whole if value in page]
    for member in (dossiers.cast.commune_officer, dossiers.cast.applicant, dossiers.cast.standing_officer):
        page = login(member).get(url).content.decode()
        assert [value for value in whole if value in page] == list(whole)


def test_the_applicant_gets_their_panel(dossiers, login):
    response = login(dossiers.cast.applicant).get(reverse("dossier_detail", args=[dossiers.dossier.pk]))
    assert response.context["is_applicant"] is True
    assert response.context["can_process"] is False
    assert "dossiers/_applicant_panel.html" in [template.name for template in response.templates]


def test_the_timeline_reads_in_plain_vietnamese_newest_last(dossiers, login):
    target = dossiers.at(Status.RECEIVED)
    page = login(dossiers.officer).get(reverse("dossier_detail", args=[target.pk])).content.decode()
    timeline = page[page.index('id="dossier-timeline"') :]
    timeline = timeline[: timeline.index("</section>")]
    with translation.override("vi"):
        labels = [gettext(label) for label in ("Draft started", "Filed", "Received; receipt slip issued")]
    assert re.findall(r'<span class="fw-semibold">([^<]+)</span>', timeline) == labels


# Actions ------------------------------------------------------------------------------------------

TODAY_PLUS_60 = (timezone.localdate() + datetime.timedelta(days=60)).strftime("%d/%m/%Y")


@pytest.mark.parametrize(
    ("start", "action", "data", "end"),
    [
        (Status.NEW, "receive", {}, Status.RECEIVED),
        (Status.NEW, "refuse", {"reason": "Hồ sơ không thuộc thẩm quyền."}, Status.NOT_RECEIVED),
        (Status.RECEIVED, "start", {}, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, "request_supplement", {"note": "Thiếu dự toán."}, Status.SUPPLEMENT_REQUESTED),
        (Status.IN_PROGRESS, "request_payment", {"note": "Nộp lệ phí 100.000 ₫."}, Status.PAYMENT_REQUESTED),
        (Status.PAYMENT_REQUESTED, "confirm_payment", {}, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, "stop", {"reason": "Người nộp đề nghị dừng."}, Status.STOPPED),
        (Status.IN_PROGRESS, "complete", {"result": "Đồng ý hỗ trợ."}, Status.DONE),
        (Status.DONE, "return_result", {}, Status.RESULT_RETURNED),
    ],
)
def test_each_action_moves_the_dossier(dossiers, login, start, action, data, end):
    target = dossiers.at(start)
    if action == "request_supplement":
        data = {**data, "missing": [dossiers.id_copy.pk]}
    response = login(dossiers.officer).post(reverse("dossier_act", args=[target.pk, action]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("dossier_detail", args=[target.pk])
    target.refresh_from_db()
    assert target.status == end
    event = target.events.last()
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        action,
        dossiers.officer,
        start,
        end,
    )


def test_a_supplement_request_names_exactly_what_is_missing(dossiers, login):
    target = dossiers.at(Status.IN_PROGRESS)
    data = {"missing": [dossiers.plan.pk, dossiers.id_copy.pk], "note": "Bổ sung dự toán và bản sao rõ nét."}
    login(dossiers.officer).post(reverse("dossier_act", args=[target.pk, "request_supplement"]), data)
    supplement = target.supplement_requests.get()
    assert (supplement.round, supplement.note) == (1, "Bổ sung dự toán và bản sao rõ nét.")
    assert list(supplement.missing.all()) == [dossiers.plan, dossiers.id_copy]


def test_an_apology_takes_a_date_written_day_month_year(dossiers, login):
    target = dossiers.at(Status.IN_PROGRESS)
    new_due = target.due_date + datetime.timedelta(days=10)
    data = {"new_due_date": new_due.strftime("%d/%m/%Y"), "reason": "Chờ ý kiến của phòng chuyên môn."}
    response = login(dossiers.officer).post(reverse("dossier_act", args=[target.pk, "apologise"]), data)
    assert response.status_code == 302
    original_due = target.due_date
    target.refresh_from_db()
    assert (target.original_due_date, target.due_date, target.apology_reason) == (
        original_due,
        new_due,
        "Chờ ý kiến của phòng chuyên môn.",
    )
    # Once only: no longer offered, and refused if posted again.
    page = login(dossiers.officer).get(reverse("dossier_detail", args=[target.pk]))
    assert "apologise" not in [name for name, _action, _form in page.context["actions"]]
    before = dossier_state()
    data["new_due_date"] = (new_due + datetime.timedelta(days=5)).strftime("%d/%m/%Y")
    again = login(dossiers.officer).post(reverse("dossier_act", args=[target.pk, "apologise"]), data)
    assert again.status_code == 400
    with translation.override("vi"):
        expected = gettext("This dossier already has an apology slip; it is issued once.")
    assert again.context["refusals"] == [expected]
    assert dossier_state() == before


def refused(response, before) -> list[str]:
    assert response.status_code == 400
    assert dossier_state() == before, "a refused write changed something"
    return [str(message) for message in response.context["refusals"]]


def test_an_illegal_transition_is_refused_with_the_reason_and_changes_nothing(dossiers, login):
    before = dossier_state()
    client = login(dossiers.officer)
    response = client.post(reverse("dossier_act", args=[dossiers.dossier.pk, "start"]))
    with translation.override("vi"):
        expected = gettext("A dossier that is “%(status)s” cannot be changed this way.") % {
            "status": gettext("new")
        }
    assert refused(response, before) == [expected]
    assert response.context["dossier"].status == Status.NEW


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("refuse", {"reason": ""}, "reason"),
        ("refuse", {"reason": "   "}, "reason"),
        ("stop", {"reason": ""}, "reason"),
        ("request_supplement", {"note": "Thiếu"}, "missing"),
        ("request_supplement", {"missing": ["999999"], "note": "Thiếu"}, "missing"),
        ("complete", {"result": ""}, "result"),
        ("request_payment", {"note": ""}, "note"),
        ("apologise", {"new_due_date": "2026-12-25", "reason": "Trễ"}, "new_due_date"),
        ("apologise", {"new_due_date": "31/02/2026", "reason": "Trễ"}, "new_due_date"),
    ],
)
def test_an_invalid_form_is_refused_on_the_page_and_changes_nothing(dossiers, login, action, data, field):
    start = Status.NEW if action == "refuse" else Status.IN_PROGRESS
    target = dossiers.at(start)
    before = dossier_state()
    response = login(dossiers.officer).post(reverse("dossier_act", args=[target.pk, action]), data)
    assert refused(response, before)
    form = {name: form for name, _action, form in response.context["actions"]}[action]
    assert list(form.errors) == [field, "__all__"]


def test_an_apology_date_must_come_after_the_due_date(dossiers, login):
    target = dossiers.at(Status.RECEIVED)
    before = dossier_state()
    data = {"new_due_date": target.due_date.strftime("%d/%m/%Y"), "reason": "Trễ"}
    response = login(dossiers.officer).post(reverse("dossier_act", args=[target.pk, "apologise"]), data)
    with translation.override("vi"):
        expected = gettext("The new date must come after the current due date.")
    assert refused(response, before) == [expected]


def test_a_supplement_may_ask_only_for_the_dossiers_own_documents(dossiers, login):
    from dossiers.models import DocumentKind, ProcedureVersion, Requirement

    later = ProcedureVersion.objects.create(
        procedure=dossiers.procedure, number=2, effective_from=D(2099, 1, 1), statutory_working_days=5
    )
    foreign = Requirement.objects.create(
        version=later, document_kind=DocumentKind.objects.create(code="khac", name="Giấy khác")
    )
    target = dossiers.at(Status.IN_PROGRESS)
    before = dossier_state()
    data = {"missing": [foreign.pk], "note": "Thiếu"}
    response = login(dossiers.officer).post(
        reverse("dossier_act", args=[target.pk, "request_supplement"]), data
    )
    assert refused(response, before)


def test_an_unknown_action_is_not_found(dossiers, login):
    response = login(dossiers.officer).post(reverse("dossier_act", args=[dossiers.dossier.pk, "delete"]))
    assert response.status_code == 404


def test_actions_answer_only_to_post(dossiers, login):
    response = login(dossiers.officer).get(reverse("dossier_act", args=[dossiers.dossier.pk, "receive"]))
    assert response.status_code == 405


def test_a_refused_page_is_in_english_for_who_chose_english(dossiers, login):
    client = login(dossiers.officer)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("dossier_act", args=[dossiers.dossier.pk, "start"]))
    assert response.context["refusals"] == ["A dossier that is “new” cannot be changed this way."]


# Reviews ------------------------------------------------------------------------------------------


def review_url(world: Dossiers, target: Dossier | None = None, use=None) -> str:
    target = target or world.dossier
    use = use or world.live_use(target)
    return reverse("dossier_review_document", args=[target.pk, use.pk])


def test_accepting_and_rejecting_a_document(dossiers, login):
    client = login(dossiers.officer)
    use = dossiers.live_use(dossiers.dossier)
    response = client.post(review_url(dossiers, use=use), {"decision": "accept"})
    assert response.status_code == 302
    use.refresh_from_db()
    assert (use.review, use.reviewed_by) == (DossierDocument.Review.ACCEPTED, dossiers.officer)

    id_copy = dossiers.live_use(dossiers.dossier, dossiers.id_copy)
    client.post(
        review_url(dossiers, use=id_copy), {"decision": "reject", "reason": "Ảnh mờ, không đọc được."}
    )
    id_copy.refresh_from_db()
    assert (id_copy.review, id_copy.review_reason) == (
        DossierDocument.Review.REJECTED,
        "Ảnh mờ, không đọc được.",
    )
    page = client.get(reverse("dossier_detail", args=[dossiers.dossier.pk]))
    assert [(requirement, use.review) for requirement, use in page.context["checklist"]] == [
        (dossiers.plan, DossierDocument.Review.ACCEPTED),
        (dossiers.id_copy, DossierDocument.Review.REJECTED),
    ]


def test_rejecting_needs_a_reason(dossiers, login):
    before = dossier_state()
    response = login(dossiers.officer).post(review_url(dossiers), {"decision": "reject", "reason": " "})
    with translation.override("vi"):
        expected = gettext("Say why the document is rejected.")
    assert refused(response, before) == [expected]


def test_a_review_without_a_decision_is_refused(dossiers, login):
    before = dossier_state()
    response = login(dossiers.officer).post(review_url(dossiers), {"decision": "maybe"})
    assert refused(response, before)


def test_a_rejected_document_is_not_reviewed_again(dossiers, login):
    use = dossiers.live_use(dossiers.dossier)
    review_document(use=use, by=dossiers.officer, accepted=False, reason="Sai mẫu.")
    before = dossier_state()
    response = login(dossiers.officer).post(review_url(dossiers, use=use), {"decision": "accept"})
    assert refused(response, before)


def test_a_document_of_another_dossier_is_not_found_here(dossiers, login):
    other = dossiers.file()
    url = reverse("dossier_review_document", args=[dossiers.dossier.pk, dossiers.live_use(other).pk])
    assert login(dossiers.officer).post(url, {"decision": "accept"}).status_code == 404

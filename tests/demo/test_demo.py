"""load_demo: the Vĩnh Long demo with one login per role."""

import datetime
import re
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Applicant, Document, Dossier, DossierEvent, Inquiry, Procedure
from portal.access import can_edit_team, get_team_for_user
from portal.models import AdminUnit, AuditRecord, CalendarDay, Membership, Notification, Team, User
from portal.scope import scope_for
from portal.working_days import add_working_days
from tests.conftest import SUITE_START
from tests.portal.test_home import panel as home_panel

FORMER_UNTIL = datetime.date(2025, 6, 30)
LOGINS = ("hoidong", "thuongtruc", "huyen", "xa", "quy", "kiemsoat", "nguoinop", "covan", "quantri")

# One worker runs the whole module, so that it builds the demo once.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> str:
    """The demo, loaded once for the module at the suite's moment, in a transaction rolled back at
    the module's end; each test still runs in a transaction of its own inside it."""
    media = tmp_path_factory.mktemp("demo-media")  # the demo's documents
    with (
        django_db_blocker.unblock(),
        time_machine.travel(SUITE_START, tick=True),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def login(username: str) -> User:
    return User.objects.get(username=username)


def unit(code: str, *, current: bool) -> AdminUnit:
    return AdminUnit.objects.get(code=code, valid_until=None if current else FORMER_UNTIL)


def test_one_login_per_role_with_the_documented_password(demo):
    users = User.objects.filter(username__in=LOGINS)
    assert sorted(users.values_list("username", flat=True)) == sorted(LOGINS)
    for user in users:
        assert user.check_password("khoinghiep2026"), user.username
    assert list(User.objects.filter(is_superuser=True).values_list("username", "is_staff")) == [
        ("quantri", True)
    ]
    assert not User.objects.filter(is_staff=True).exclude(username="quantri").exists()
    # Everyone else in the demo is a name on a team, not a login.
    others = User.objects.exclude(username__in=LOGINS)
    # 322 people in teams, the 6 officers of the former provinces' fund teams (fund/demo/story.py: two
    # each for Bến Tre, Vĩnh Long and Trà Vinh), 5 applicants who file online
    assert others.count() == 333
    assert not any(user.has_usable_password() for user in others)
    assert "Demo logins, all with the password khoinghiep2026:" in demo
    for username in LOGINS:
        assert f"\n  {username} " in demo


def test_the_province_teams_and_people(demo):
    province = unit("86", current=True)
    council = Team.objects.get(kind=Team.Kind.COUNCIL)
    assert (council.name, council.unit, council.parent) == (
        "Hội đồng Tư vấn khởi nghiệp và phát triển doanh nghiệp tỉnh Vĩnh Long",
        province,
        None,
    )
    assert sorted(
        Team.objects.filter(kind=Team.Kind.COUNCIL_BOARD, parent=council).values_list("name", flat=True)
    ) == [
        "Ban Hỗ trợ khởi nghiệp",
        "Ban Quỹ và Nguồn lực",
        "Ban Truyền thông và Đào tạo",
    ]
    assert Team.objects.get(kind=Team.Kind.STANDING_AGENCY).name == "Sở Tài chính – Cơ quan thường trực"
    assert Team.objects.get(kind=Team.Kind.FUND, unit=province, active_until=None).name == (
        "Quỹ Đầu tư khởi nghiệp tỉnh"
    )
    # The fund teams of the three former provinces ran their funds until the reform (fund/demo/story.py).
    assert sorted(
        Team.objects.filter(kind=Team.Kind.FUND, active_until=FORMER_UNTIL).values_list("name", flat=True)
    ) == [
        "Quỹ Đầu tư khởi nghiệp tỉnh Bến Tre",
        "Quỹ Đầu tư khởi nghiệp tỉnh Trà Vinh",
        "Quỹ Đầu tư khởi nghiệp tỉnh Vĩnh Long",
    ]

    district_teams = Team.objects.filter(kind=Team.Kind.DISTRICT_TEAM)
    assert district_teams.count() == 9  # every former Bến Tre district
    assert set(district_teams.values_list("active_from", "active_until")) == {
        (datetime.date(2016, 7, 1), FORMER_UNTIL)
    }
    assert district_teams.filter(name="Tổ Xúc tiến đầu tư và Khởi nghiệp thành phố Bến Tre").exists()

    commune_teams = Team.objects.filter(kind=Team.Kind.COMMUNE_TEAM)
    current = commune_teams.filter(active_until=None)
    assert current.count() == 48  # every current ward that came from Bến Tre
    assert set(current.values_list("active_from", flat=True)) == {datetime.date(2025, 7, 1)}
    assert not current.exclude(unit__predecessors__parent__parent__code="83").exists()
    former = commune_teams.filter(active_until=FORMER_UNTIL)
    assert sorted(former.values_list("name", flat=True)) == [
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp thị trấn Chợ Lách",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Cẩm Sơn",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Phong Nẫm",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Phú Túc",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Sơn Định",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Vĩnh Thành",
    ]
    assert set(former.values_list("active_from", flat=True)) == {datetime.date(2017, 3, 1)}
    assert Team.objects.count() == 6 + 9 + 48 + 6 + 3  # + the former provinces' fund teams

    xa = login("xa")
    team = Team.objects.get(unit=unit("28870", current=True))
    assert team.head == xa
    assert team.memberships.get(user=xa).position == "Tổ trưởng – Phó Chủ tịch UBND xã"
    # The first head of each district team left in 2020; the history keeps them.
    cho_lach = Team.objects.get(unit=unit("832", current=False))
    assert list(
        cho_lach.memberships.exclude(left_on=None).values_list("joined_on", "left_on", "position")
    ) == [(datetime.date(2016, 7, 1), datetime.date(2020, 10, 31), "Tổ trưởng – Phó Chủ tịch UBND huyện")]
    # 333 before the fund, + kiemsoat in the province's fund team, + 2 officers in each former fund team
    assert Membership.objects.count() == 340
    # Team and membership history: every row was written through save() inside the command's audit context.
    assert (
        AuditRecord.objects.filter(
            channel="command", action="create", content_type__model__in=["team", "membership"]
        ).count()
        == 72 + 340
    )
    assert not AuditRecord.objects.exclude(channel="command").exists()


def test_council_member_and_standing_officer_see_the_whole_province_and_only_the_agency_manages(demo):
    everything = frozenset(AdminUnit.objects.values_list("pk", flat=True))
    standing = scope_for(login("thuongtruc"))
    assert standing.readable_unit_ids == standing.writable_unit_ids == everything
    assert standing.manages_teams
    # The council oversees: it reads the province and changes nothing.
    council = scope_for(login("hoidong"))
    assert (council.readable_unit_ids, council.writable_unit_ids) == (everything, frozenset())
    assert (council.manages_teams, council.active_team_kinds, council.is_province_wide) == (
        False,
        frozenset(),
        True,
    )
    fund_scope = scope_for(login("quy"))
    assert fund_scope.readable_unit_ids == everything
    assert not fund_scope.manages_teams


def test_commune_head_sees_their_ward_and_the_communes_it_replaced(demo):
    xa = login("xa")
    ward = unit("28870", current=True)
    assert list(AdminUnit.objects.visible_to(xa).current()) == [ward]
    assert sorted(AdminUnit.objects.visible_to(xa).values_list("name", flat=True)) == [
        "Thị trấn Chợ Lách",
        "Xã Chợ Lách",
        "Xã Hòa Nghĩa",
        "Xã Long Thới",
    ]
    assert scope_for(xa).writable_unit_ids == scope_for(xa).readable_unit_ids
    own_team = Team.objects.get(unit=ward)
    assert sorted(Team.objects.visible_to(xa).values_list("name", flat=True)) == [
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp thị trấn Chợ Lách",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Chợ Lách",
    ]
    assert can_edit_team(xa, own_team)


def test_district_officer_reads_the_former_district_but_cannot_write(demo):
    huyen = login("huyen")
    district = unit("832", current=False)
    scope = scope_for(huyen)
    assert scope.readable_unit_ids == {district.pk, *district.children.values_list("pk", flat=True)}
    assert len(scope.readable_unit_ids) == 12
    assert scope.writable_unit_ids == frozenset()
    team = Team.objects.get(unit=district)
    assert get_team_for_user(huyen, team.pk) == team
    with pytest.raises(PermissionDenied):
        get_team_for_user(huyen, team.pk, for_write=True)
    assert list(Team.objects.visible_to(huyen).in_vietnamese_order().values_list("name", flat=True)) == [
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp thị trấn Chợ Lách",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Sơn Định",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Vĩnh Thành",
        "Tổ Xúc tiến đầu tư và Khởi nghiệp huyện Chợ Lách",
    ]


def test_applicant_has_no_team_and_sees_no_units(demo):
    nguoinop = login("nguoinop")
    assert not nguoinop.memberships.exists()
    assert not AdminUnit.objects.visible_to(nguoinop).exists()


def test_home_page_shows_teams_that_need_attention(demo, client):
    client.force_login(login("thuongtruc"))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    attention = home_panel(response, "portal/home_teams_needing_attention.html")
    assert [team.name for team in attention.data["teams"]] == [
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp phường Sơn Đông",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Tân Thủy",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Thạnh Hải",
    ]


def test_the_applicants_home_starts_with_what_is_asked_of_her(demo, client):
    """The outside tester's finding: her supplement and unread notifications, not "nothing to do"."""
    client.force_login(login("nguoinop"))
    response = client.get(reverse("home"))
    own = home_panel(response, "dossiers/home_own.html")
    first = own.data["dossiers"][0]
    assert (first.status, first.ask.key) == (Dossier.Status.SUPPLEMENT_REQUESTED, "supplement")
    assert home_panel(response, "portal/home_notifications.html").to_do == 2
    page = response.content.decode()
    assert "Hiện không có việc gì cần bạn quan tâm." not in page
    assert "Bạn không thuộc tổ nào" not in page


def test_running_twice_changes_nothing(demo):
    def state():
        return (
            list(
                User.objects.order_by("pk").values_list(
                    "pk", "username", "full_name", "password", "is_superuser"
                )
            ),
            list(Team.objects.order_by("pk").values_list()),
            list(Membership.objects.order_by("pk").values_list()),
            AdminUnit.objects.count(),
            AdminUnit.successors.through.objects.count(),
            AuditRecord.objects.count(),
            list(Dossier.objects.order_by("pk").values_list()),
            list(DossierEvent.objects.order_by("pk").values_list()),
            list(Document.objects.order_by("pk").values_list()),
            list(Inquiry.objects.order_by("pk").values_list()),
            list(Notification.objects.order_by("pk").values_list()),
            CalendarDay.objects.count(),
        )

    before = state()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert state() == before
    output = out.getvalue()
    # The ground's 336 users (kiemsoat included), 69 teams and 334 memberships; the former provinces'
    # fund teams and their 6 officers are written only with their funds, which a second run leaves alone.
    assert "Users:       0 created, 0 updated, 336 unchanged." in output
    assert "Teams:       0 created, 0 updated, 69 unchanged." in output
    assert "Memberships: 0 created, 0 updated, 334 unchanged." in output
    assert "Funds:       0 created, 3 unchanged;" in output
    assert "Applicants:  0 created, 23 unchanged." in output
    assert "Dossiers:    0 created, 25 unchanged." in output


def test_refused_in_production_and_nothing_written(settings):
    settings.PORTAL_ENV = "production"
    before = (User.objects.count(), AdminUnit.objects.count())
    with pytest.raises(
        CommandError, match=r"Demo logins exist only in the demo database; this one is production\."
    ):
        call_command("load_demo", stdout=StringIO())
    assert (User.objects.count(), AdminUnit.objects.count()) == before


# The dossiers.

Status = Dossier.Status


def check_dossiers_in_every_status(demo):
    assert "Applicants:  23 created, 0 unchanged." in demo
    assert "Dossiers:    25 created, 0 unchanged." in demo
    assert set(Dossier.objects.values_list("status", flat=True)) == set(Status.values)
    assert Dossier.objects.drafts().count() == 1
    assert set(Dossier.objects.values_list("channel", flat=True)) == set(Dossier.Channel.values)
    assert set(Dossier.objects.values_list("procedure__code", flat=True)) == set(
        Procedure.objects.values_list("code", flat=True)
    )
    # Every dossier has its timeline, in the past, in order.
    now = timezone.now()
    for dossier in Dossier.objects.all():
        times = list(dossier.events.order_by("pk").values_list("at", flat=True))
        assert times == sorted(times), dossier.summary
        assert times[-1] < now
        assert dossier.events.first().action == "start_draft"


def check_some_dossiers_are_late_some_with_an_apology(demo):
    today = timezone.localdate()
    late = Dossier.objects.running().filter(due_date__lt=today)
    assert late.count() == 2  # Ba Tri fish sauce and Vĩnh Thành rambutan garden
    assert not late.exclude(apology_issued_at=None).exists()
    apologised = Dossier.objects.exclude(apology_issued_at=None)
    assert apologised.count() == 3
    for dossier in apologised:
        assert dossier.original_due_date < dossier.due_date
        assert dossier.events.filter(action="apologise").count() == 1
    # Still open, late against the first date, within the new one.
    (open_apologised,) = apologised.filter(status=Status.IN_PROGRESS)
    assert open_apologised.original_due_date < today <= open_apologised.due_date


def check_due_dates_count_working_days_from_receipt(demo):
    plain = Dossier.objects.exclude(received_at=None).filter(apology_issued_at=None, supplement_requests=None)
    assert plain.count() == 15 + 46  # + the fund demo's 46 fund-loan dossiers (fund/demo/story.py)
    for dossier in plain:
        received = timezone.localdate(dossier.received_at)
        assert dossier.due_date == add_working_days(
            received, dossier.procedure_version.statutory_working_days
        )
    # Filed on 20/01/2025, ten working days across Tết Ất Tỵ.
    tet = Dossier.objects.get(applicant__full_name="Trần Văn Bảy")
    assert tet.due_date == datetime.date(2025, 2, 10)


def check_supplements_pause_the_clock_in_rounds(demo):
    waiting = Dossier.objects.filter(status=Status.SUPPLEMENT_REQUESTED)
    assert waiting.count() == 2
    assert all(dossier.paused_on is not None for dossier in waiting)
    twice = waiting.get(applicant__full_name="Trần Thị Ngọc Hân")
    rounds = list(twice.supplement_requests.values_list("round", "supplied_at"))
    assert [number for number, _ in rounds] == [1, 2]
    assert rounds[0][1] is not None and rounds[1][1] is None


def check_the_demo_applicant_has_her_dossiers(demo):
    nguoinop = login("nguoinop")
    applicant = Applicant.objects.get(user=nguoinop)
    assert (applicant.full_name, applicant.phone_last_four) == ("Võ Thị Mỹ Duyên", "2587")
    dossiers = {dossier.status: dossier for dossier in Dossier.objects.visible_to(nguoinop)}
    assert set(dossiers) == {Status.RESULT_RETURNED, Status.SUPPLEMENT_REQUESTED, Status.NEW}
    returned = dossiers[Status.RESULT_RETURNED]
    assert (returned.rating, returned.procedure_version.number) == (5, 1)  # filed in 2025: version 1
    assert returned.procedure_version.requirements.filter(
        document_kind__code="chung-tu-le-phi-mon-bai"
    ).exists()
    # Her draft reuses the CCCD copy she gave for the first dossier: once-only.
    draft = dossiers[Status.NEW]
    assert draft.is_draft
    reused = draft.documents.get(is_reused=True)
    assert reused.document.uses.filter(dossier=returned).exists()
    # The waiting dossier lacks the business plan the officer rejected.
    waiting = dossiers[Status.SUPPLEMENT_REQUESTED]
    assert waiting.documents.filter(
        review="rejected", requirement__document_kind__code="phuong-an-khoi-nghiep"
    )
    assert f"Public lookup of a dossier: code {waiting.code}, last four digits of the phone 2587." in demo


def check_documents_are_small_pdfs_in_the_storage(demo):
    # 95 of the dossiers demo, + 184 of the fund demo's fund-loan dossiers (the mandatory documents of each)
    assert Document.objects.count() == 95 + 184
    for document in Document.objects.all()[:5]:
        with document.file.open("rb") as stored:
            assert stored.read(5) == b"%PDF-"
        assert document.content_type == "application/pdf"
        assert document.original_name.endswith(".pdf")
        assert document.original_name not in document.file.name


def check_inquiries_answered_on_time_late_and_escalated(demo):
    answered = Inquiry.objects.exclude(replied_at=None)
    on_time = [inquiry for inquiry in answered if timezone.localdate(inquiry.replied_at) <= inquiry.reply_due]
    late = [inquiry for inquiry in answered if timezone.localdate(inquiry.replied_at) > inquiry.reply_due]
    assert (len(on_time), len(late)) == (3, 1)
    (escalated,) = Inquiry.objects.exclude(escalated_at=None)
    assert escalated.replied_at is None
    assert escalated.team.kind == Team.Kind.STANDING_AGENCY
    assert escalated.dossier.handling_team.kind == Team.Kind.COMMUNE_TEAM


def check_history_before_the_reform_stays_with_the_former_communes(demo):
    history = Dossier.objects.filter(unit__valid_until=FORMER_UNTIL)
    # 3 of the one-stop shop, 10 fund-loan dossiers filed before the reform (fund/demo/story.py)
    assert history.count() == 13
    fund_loans = history.filter(procedure__code="vay-von-quy-khoi-nghiep")
    assert fund_loans.count() == 10
    for dossier in history.exclude(pk__in=fund_loans):
        assert dossier.handling_team.active_until == FORMER_UNTIL
        assert dossier.handling_team.unit == dossier.unit
    # A fund loan is handled by the fund team of the former province its commune was in.
    for dossier in fund_loans:
        assert dossier.handling_team.active_until == FORMER_UNTIL
        assert dossier.handling_team.unit == dossier.unit.parent.parent
    assert set(Dossier.objects.visible_to(login("huyen"))) == set(history.exclude(pk__in=fund_loans))
    # The commune officer sees her ward's filed dossiers and those of the former township it replaced;
    # the draft an applicant of her ward is still writing is private to that applicant.
    assert Dossier.objects.visible_to(login("xa")).count() == 4  # + a fund-loan dossier of her ward


def check_conversion_dossiers_keep_the_version_they_were_filed_under(demo):
    conversions = Dossier.objects.filter(procedure__code="ho-tro-chuyen-doi-ho-kinh-doanh")
    for dossier in conversions:
        filed = timezone.localdate(dossier.events.first().at)
        assert dossier.procedure_version.number == (2 if filed >= datetime.date(2026, 1, 1) else 1)
        assert not dossier.documents.exclude(requirement__version=dossier.procedure_version).exists()


def check_dossier_changes_are_audited_as_the_command(demo):
    records = AuditRecord.objects.filter(content_type__model="dossier")
    assert records.filter(action="create").count() == 25 + 46  # + the fund demo's fund-loan dossiers
    assert not records.exclude(channel="command").exists()


# Each of these loads the demo once and checks several things, to keep the suite quick.


def test_the_dossiers_statuses_dates_and_supplements(demo):
    check_dossiers_in_every_status(demo)
    check_some_dossiers_are_late_some_with_an_apology(demo)
    check_due_dates_count_working_days_from_receipt(demo)
    check_supplements_pause_the_clock_in_rounds(demo)


def test_the_demo_applicant_and_the_documents(demo):
    check_the_demo_applicant_has_her_dossiers(demo)
    check_documents_are_small_pdfs_in_the_storage(demo)


def test_inquiries_history_versions_and_audit(demo):
    check_inquiries_answered_on_time_late_and_escalated(demo)
    check_history_before_the_reform_stays_with_the_former_communes(demo)
    check_conversion_dossiers_keep_the_version_they_were_filed_under(demo)
    check_dossier_changes_are_audited_as_the_command(demo)


def test_the_admin_shows_the_one_stop_shop_without_personal_numbers_or_file_links(demo, client):
    client.force_login(login("quantri"))
    models = (
        "dossiers_procedure",
        "dossiers_procedureversion",
        "dossiers_documentkind",
        "portal_calendarday",
        "dossiers_applicant",
        "dossiers_dossier",
        "dossiers_dossierevent",
        "dossiers_supplementrequest",
        "dossiers_document",
        "dossiers_dossierdocument",
        "dossiers_inquiry",
        "portal_notification",
    )
    for model in models:
        response = client.get(reverse(f"admin:{model}_changelist"))
        assert response.status_code == 200, model
    # The fund demo's borrowers fill the first page: Võ Thị Mỹ Duyên is found by her name.
    found = client.get(reverse("admin:dossiers_applicant_changelist"), {"q": "vo thi my duyen"})
    assert list(found.context["cl"].result_list) == [Applicant.objects.get(user__username="nguoinop")]
    applicants = found.content.decode()
    assert "••••••••2345" in applicants  # her CCCD 083188012345
    assert "083188012345" not in applicants
    assert "0939 412 587" not in applicants and "••••••2587" in applicants

    documents = client.get(reverse("admin:dossiers_document_changelist")).content.decode()
    assert "/media/" not in documents
    assert not re.search(r"documents/\d{4}/\d{2}/", documents)  # no stored name
    document = Document.objects.first()
    assert reverse("document_download", args=[document.pk]) in documents

    # Dossiers are shown, not changed: no form, and a change is refused with nothing changed.
    dossier = Dossier.objects.get(status=Status.IN_PROGRESS, applicant__full_name="Lý Thị Ngọc Yến")
    page = client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk]))
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    before = Dossier.objects.filter(pk=dossier.pk).values().get()
    refused = client.post(reverse("admin:dossiers_dossier_change", args=[dossier.pk]), {"status": "done"})
    assert refused.status_code == 403
    assert Dossier.objects.filter(pk=dossier.pk).values().get() == before
    assert client.get(reverse("admin:dossiers_dossier_add")).status_code == 403

    # A version dossiers were filed under is history; an unused one can still be edited.
    used = dossier.procedure_version
    form = client.get(reverse("admin:dossiers_procedureversion_change", args=[used.pk])).content.decode()
    assert 'name="statutory_working_days"' not in form
    days = client.get(reverse("admin:portal_calendarday_changelist"), {"date__year": "2026"})
    assert len(days.context["cl"].result_list) == 16


def test_the_demo_has_the_policy_library_and_the_entitlements(settings, tmp_path):
    from demo.building import build_demo
    from policies.models import Entitlement, PolicyDocument

    settings.MEDIA_ROOT = tmp_path
    build_demo()
    assert PolicyDocument.objects.filter(number="04/2017/QH14").exists()
    assert Entitlement.objects.filter(audience="household_business").count() >= 3

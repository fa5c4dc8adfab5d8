"""The applicant's pages: registration, profile, notifications, the role × route rows, query counts.

Every refused change answers with a message and changes nothing; every page is scoped
(another's dossier is 404, a dossier an official sees but did not file is 403). ``APPLICANT_ROWS``
are this area's rows of the role × route table (tests/portal/test_role_routes.py). Filing a dossier
and its documents are in test_applicant_dossiers.py; the actions on a filed dossier and the panel
on its page in test_applicant_actions.py.
"""

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from dossiers.models import Applicant, DocumentKind, Dossier, Procedure, ProcedureVersion, Requirement
from dossiers.services import dossiers as services
from portal.models import AuditRecord, Notification, Team, User
from tests.conftest import Cast
from tests.dossiers.applicant_helpers import *  # noqa: F403 (media, catalogue, applicant, draft)
from tests.dossiers.applicant_helpers import (
    PNG,
    Catalogue,
    applicant_of,
    catalogue_for,
    dossier_state,
    draft_of,
    give,
    pdf,
    said,
    upload,
    vi,
)
from tests.factories import AdminUnitFactory
from tests.role_table import Row, everyone

# Registration


def registration_data(cast: Cast, **overrides) -> dict:
    return {
        "username": "nguyenthilan",
        "password1": "dua-xiem-ben-tre-2025",
        "password2": "dua-xiem-ben-tre-2025",
        "kind": Applicant.Kind.PERSON,
        "full_name": "Nguyễn Thị Lan",
        "enterprise_name": "",
        "tax_code": "",
        "national_id": "083 195 004 321",
        "phone": "+84 912 345 678",
        "email": "lan@example.vn",
        "address": "Số 5, ấp Phú Hòa",
        "unit": cast.units.commune.pk,
        "consent": "on",
    } | overrides


def test_registration_creates_the_account_and_the_applicant_and_signs_in(client, cast):
    before = timezone.now()
    response = client.post(reverse("register"), registration_data(cast))
    assert response.status_code == 302
    assert response["Location"] == reverse("my_dossiers")
    user = User.objects.get(username="nguyenthilan")
    assert user.check_password("dua-xiem-ben-tre-2025")
    assert (user.full_name, user.email) == ("Nguyễn Thị Lan", "lan@example.vn")
    assert client.session[SESSION_KEY] == str(user.pk)
    applicant = user.applicant
    assert (
        applicant.kind,
        applicant.full_name,
        applicant.national_id,
        applicant.phone,
        applicant.email,
        applicant.address,
        applicant.unit,
    ) == (
        Applicant.Kind.PERSON,
        "Nguyễn Thị Lan",
        "083195004321",
        "0912345678",
        "lan@example.vn",
        "Số 5, ấp Phú Hòa",
        cast.units.commune,
    )
    assert before <= applicant.consent_at <= timezone.now()


def test_an_enterprise_registers_with_its_name_and_tax_code(client, cast):
    data = registration_data(
        cast,
        kind=Applicant.Kind.ENTERPRISE,
        enterprise_name="Công ty TNHH Kẹo dừa Thanh Long",
        tax_code="1300123456 001",
        national_id="",
        phone="0275.3822.123",
    )
    assert client.post(reverse("register"), data).status_code == 302
    applicant = Applicant.objects.get(user__username="nguyenthilan")
    assert (applicant.enterprise_name, applicant.tax_code, applicant.national_id, applicant.phone) == (
        "Công ty TNHH Kẹo dừa Thanh Long",
        "1300123456-001",
        "",
        "02753822123",
    )


def test_bad_registration_explains_every_mistake_and_creates_nothing(client, cast):
    users, applicants, records = User.objects.count(), Applicant.objects.count(), AuditRecord.objects.count()
    data = registration_data(
        cast, national_id="08319500432", phone="1234", consent="", password2="khac-mat-khau-2025"
    )
    del data["consent"]
    response = client.post(reverse("register"), data)
    assert response.status_code == 400
    assert response.context["applicant_form"].errors == {
        "national_id": [vi("A CCCD number has exactly 12 digits.")],
        "phone": [
            vi(
                "Enter a Vietnamese phone number: 10 digits for a mobile (for example 0912 345 678) "
                "or 11 digits for a landline starting with 02."
            )
        ],
        "consent": [vi("The portal can handle your dossiers only with your consent.")],
    }
    assert response.context["account_form"].errors.as_data()["password2"][0].code == "password_mismatch"
    body = response.content.decode()
    assert body.count('aria-invalid="true"') == 4
    assert (User.objects.count(), Applicant.objects.count(), AuditRecord.objects.count()) == (
        users,
        applicants,
        records,
    )
    assert SESSION_KEY not in client.session


def test_registration_applies_the_password_rules(client, cast):
    response = client.post(
        reverse("register"), registration_data(cast, password1="12345678", password2="12345678")
    )
    assert response.status_code == 400
    codes = {error.code for error in response.context["account_form"].errors.as_data()["password2"]}
    assert codes == {"password_too_short", "password_too_common", "password_entirely_numeric"}
    assert not User.objects.filter(username="nguyenthilan").exists()


def test_a_username_is_taken_whatever_its_case(client, cast):
    response = client.post(reverse("register"), registration_data(cast, username="NguoiNop"))
    assert response.status_code == 400
    assert list(response.context["account_form"].errors) == ["username"]
    assert User.objects.filter(username__iexact="nguoinop").count() == 1


def test_an_enterprise_must_give_its_name_and_tax_code(client, cast):
    response = client.post(
        reverse("register"), registration_data(cast, kind=Applicant.Kind.ENTERPRISE, tax_code="12345")
    )
    assert response.status_code == 400
    assert response.context["applicant_form"].errors == {
        "enterprise_name": [vi("Enter the name of the enterprise or household business.")],
        "tax_code": [vi("A tax code has 10 digits, or 13 for a branch (written 0123456789-001).")],
    }
    assert not Applicant.objects.filter(full_name="Nguyễn Thị Lan").exists()


def test_only_current_communes_can_be_chosen(client, cast):
    former = AdminUnitFactory(
        name="Xã Cũ", parent=cast.units.district, valid_until=datetime.date(2025, 6, 30)
    )
    response = client.post(reverse("register"), registration_data(cast, unit=former.pk))
    assert response.status_code == 400
    assert list(response.context["applicant_form"].errors) == ["unit"]
    response = client.post(reverse("register"), registration_data(cast, unit=cast.units.district.pk))
    assert list(response.context["applicant_form"].errors) == ["unit"]


def test_the_commune_list_is_grouped_by_parent_unit_and_can_be_searched(client, cast):
    body = client.get(reverse("register")).content.decode()
    assert '<optgroup label="Huyện Chợ Lách">' in body and '<optgroup label="Huyện Mỏ Cày Nam">' in body
    assert "Xã Sơn Định" in body and "Xã Cẩm Sơn" in body
    # htmx asks the same page for the shortened list.
    response = client.get(reverse("register"), {"unit_search": "son dinh"}, HTTP_HX_REQUEST="true")
    units = [unit.name for unit in response.context["applicant_form"].fields["unit"].queryset]
    assert units == ["Xã Sơn Định"]


def test_a_signed_in_person_is_sent_home(login, cast):
    response = login(cast.applicant).get(reverse("register"))
    assert response.status_code == 302 and response["Location"] == reverse("home")


# Profile


def test_without_a_profile_the_applicant_is_asked_to_complete_it_first(login, cast):
    client = login(cast.applicant)
    response = client.get(reverse("my_dossiers"))
    assert response.status_code == 302
    assert response["Location"] == reverse("applicant_profile") + "?next=%2Fme%2Fdossiers%2F"
    page = client.get(response["Location"])
    assert page.context["is_new"] is True
    assert "consent" in page.context["form"].fields
    assert page.context["form"]["full_name"].value() == "Bùi Văn Nộp"
    data = registration_data(cast, full_name="Bùi Văn Nộp", next="/me/dossiers/")
    response = client.post(reverse("applicant_profile"), data)
    assert response.status_code == 302 and response["Location"] == "/me/dossiers/"
    assert cast.applicant.applicant.national_id == "083195004321"
    assert client.get(reverse("my_dossiers")).status_code == 200


def test_a_profile_without_consent_is_not_saved(login, cast):
    data = registration_data(cast)
    del data["consent"]
    response = login(cast.applicant).post(reverse("applicant_profile"), data)
    assert response.status_code == 400
    assert not Applicant.objects.filter(user=cast.applicant).exists()


def test_editing_the_profile_keeps_the_consent_and_changes_what_changed(login, cast, applicant):
    consent_at = applicant.consent_at
    client = login(cast.applicant)
    assert "consent" not in client.get(reverse("applicant_profile")).context["form"].fields
    data = registration_data(cast, full_name="Bùi Văn Nộp", national_id="083095001234", phone="0987 654 321")
    response = client.post(reverse("applicant_profile"), data | {"next": "https://example.com/"})
    assert response.status_code == 302 and response["Location"] == reverse("my_dossiers")
    applicant.refresh_from_db()
    assert (applicant.phone, applicant.consent_at) == ("0987654321", consent_at)
    record = AuditRecord.objects.filter(object_id=str(applicant.pk)).latest("pk")
    assert set(record.after) >= {"phone"}
    assert record.before["phone"] == "0912345678"


# Scope: another's dossier is 404, and so is a draft to every official (it is its applicant's until
# filed); nothing changes either way. An official who sees a filed dossier gets 403 (the API's rows).

DOSSIER_ACTORS = everyone(
    404,
    anonymous=302,
    applicant=400,  # every action is refused on this draft: the page again, with why
)


def _own_page(url_name: str):
    def url(cast: Cast) -> str:
        applicant_of(cast)
        catalogue_for(cast)
        return reverse(url_name)

    return url


def _dossier_url(url_name: str, *, requirement: bool = False):
    def url(cast: Cast) -> str:
        dossier = draft_of(cast)
        args = [dossier.pk, catalogue_for(cast).plan.pk] if requirement else [dossier.pk]
        return reverse(url_name, args=args)

    return url


def _start_url(cast: Cast) -> str:
    applicant_of(cast)
    return reverse("dossier_start", args=[catalogue_for(cast).startup.code])


APPLICANT_ROWS: dict[str, Row] = {
    "register": Row("get", lambda cast: reverse("register"), everyone(302, anonymous=200)),
    "applicant_profile": Row("get", lambda cast: reverse("applicant_profile"), everyone(200, anonymous=302)),
    # Only the cast's applicant has an applicant profile; everyone else is asked to fill one in.
    "my_dossiers": Row("get", _own_page("my_dossiers"), everyone(302, applicant=200)),
    "dossier_new": Row("get", _own_page("dossier_new"), everyone(302, applicant=200)),
    "dossier_start": Row(
        "post",
        lambda cast: _start_url(cast),
        everyone(302),
    ),
    # No file: refused with a message, so the applicant's row writes nothing either.
    "dossier_upload": Row("post", _dossier_url("dossier_upload", requirement=True), DOSSIER_ACTORS),
    "dossier_submit": Row("post", _dossier_url("dossier_submit"), DOSSIER_ACTORS),
    "dossier_supply": Row("post", _dossier_url("dossier_supply"), DOSSIER_ACTORS),
    "dossier_withdraw": Row(
        "post", _dossier_url("dossier_withdraw"), DOSSIER_ACTORS, lambda cast: {"reason": "Không cần nữa"}
    ),
    "dossier_rate": Row("post", _dossier_url("dossier_rate"), DOSSIER_ACTORS, lambda cast: {"rating": "5"}),
    # Not on a draft either: its handling team could neither read nor answer it until it is filed.
    "inquiry_raise": Row(
        "post",
        _dossier_url("inquiry_raise"),
        DOSSIER_ACTORS,
        lambda cast: {"question": "Xin hướng dẫn mẫu đơn."},
    ),
    "notification_list": Row("get", lambda cast: reverse("notification_list"), everyone(200, anonymous=302)),
    "notifications_read": Row("post", lambda cast: reverse("notifications_read"), everyone(302)),
}


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(APPLICANT_ROWS))
def test_role_gets_the_expected_answer(cast, login, role, route_name, media):
    row = APPLICANT_ROWS[route_name]
    client = login(getattr(cast, role))
    url, data = row.url(cast), row.data(cast)
    dossier = draft_of(cast) if Applicant.objects.exists() else None
    before = dossier_state(dossier) if dossier else None
    response = getattr(client, row.method)(url, data)
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}"
    if row.method == "post" and response.status_code >= 400:
        assert dossier_state(dossier) == before, "a refused write changed something"


def test_the_handling_officer_is_refused_the_applicants_actions(login, cast, catalogue, draft, media):
    give(draft, [catalogue.id_card, catalogue.plan], by=cast.applicant)
    before = dossier_state(draft)
    client = login(cast.commune_officer)
    # A draft is the applicant's until filed: the team that will handle it does not find it.
    assert client.post(reverse("dossier_submit", args=[draft.pk])).status_code == 404
    assert upload(client, draft, catalogue.photos, SimpleUploadedFile("a.png", PNG)).status_code == 404
    assert login(cast.other_applicant).post(reverse("dossier_submit", args=[draft.pk])).status_code == 404
    assert dossier_state(draft) == before
    # Filed, the team sees it; the applicant's actions stay the applicant's.
    services.submit_dossier(dossier=draft, by=cast.applicant)
    before = dossier_state(draft)
    client = login(cast.commune_officer)
    withdraw = client.post(reverse("dossier_withdraw", args=[draft.pk]), {"reason": "Không cần nữa"})
    assert withdraw.status_code == 403
    assert upload(client, draft, catalogue.photos, SimpleUploadedFile("a.png", PNG)).status_code == 403
    assert dossier_state(draft) == before


def test_an_officer_who_filed_on_behalf_can_complete_the_dossier(login, cast, catalogue, applicant, media):
    dossier = services.start_dossier(
        procedure=catalogue.startup,
        applicant=applicant,
        filed_by=cast.commune_officer,
        unit=cast.units.commune,
        channel=Dossier.Channel.IN_PERSON,
    )
    client = login(cast.commune_officer)
    upload(client, dossier, catalogue.id_card, pdf())
    upload(client, dossier, catalogue.plan, pdf())
    client.post(reverse("dossier_submit", args=[dossier.pk]))
    dossier.refresh_from_db()
    assert dossier.is_draft is False


# Notifications


def notify(user: User, key: str, *, read: bool = False, minutes_ago: int = 0) -> Notification:
    notification = Notification.objects.create(
        recipient=user,
        event_key=key,
        title=f"Thông báo {key}",
        body="Nội dung",
        link="/me/dossiers/",
        read_at=timezone.now() if read else None,
    )
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return notification


def test_notifications_unread_first_and_only_ones_own(login, cast):
    read_new = notify(cast.applicant, "a", read=True, minutes_ago=1)
    unread_old = notify(cast.applicant, "b", minutes_ago=60)
    unread_new = notify(cast.applicant, "c", minutes_ago=2)
    notify(cast.other_applicant, "d")
    response = login(cast.applicant).get(reverse("notification_list"))
    assert [n.pk for n in response.context["page"]] == [unread_new.pk, unread_old.pk, read_new.pk]
    assert response.context["has_unread"] is True
    assert "Thông báo d" not in response.content.decode()


def test_mark_all_read_touches_only_ones_own(login, cast):
    notify(cast.applicant, "a")
    notify(cast.applicant, "b")
    already = notify(cast.applicant, "c", read=True)
    already_at = Notification.objects.get(pk=already.pk).read_at
    other = notify(cast.other_applicant, "d")
    response = login(cast.applicant).post(reverse("notifications_read"))
    assert response.status_code == 302 and response["Location"] == reverse("notification_list")
    assert not Notification.objects.filter(recipient=cast.applicant, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=already.pk).read_at == already_at
    assert Notification.objects.get(pk=other.pk).read_at is None
    with translation.override("vi"):
        expected = ngettext(
            "%(count)s notification marked as read.", "%(count)s notifications marked as read.", 2
        ) % {"count": 2}
    assert said(response) == [expected]


# Query counts: the same at N and at 10×N rows.

N = 4
# Queries of a signed-in applicant's page besides the page's own: 1 session, 2 user, 3 the unread
# notifications in the menu (the session is not written: portal/sessions.py).
# The menu also needs the memberships (is this an official?), shared with pages that read the scope.
SIGNED_IN = 3


def add_dossiers(cast: Cast, catalogue: Catalogue, applicant: Applicant, count: int) -> None:
    for index in range(count):
        procedure = catalogue.startup if index % 2 else catalogue.conversion
        services.start_dossier(
            procedure=procedure, applicant=applicant, filed_by=cast.applicant, unit=cast.units.commune
        )


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_my_dossiers_query_count(login, cast, catalogue, applicant, django_assert_num_queries, rows):
    add_dossiers(cast, catalogue, applicant, rows)
    client = login(cast.applicant)
    # the applicant, the memberships (scope), the count, the page of dossiers with their procedures
    with django_assert_num_queries(SIGNED_IN + 4):
        response = client.get(reverse("my_dossiers"))
    assert len(response.context["page"]) == rows


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_dossier_new_query_count(login, cast, catalogue, applicant, django_assert_num_queries, rows):
    for index in range(rows):
        kind = DocumentKind.objects.create(code=f"giay-{index}", name=f"Giấy tờ {index}")
        procedure = Procedure.objects.create(
            code=f"thu-tuc-{index}",
            name=f"Thủ tục {index}",
            audience=Procedure.Audience.STARTUP,
            handling_team_kind=Team.Kind.COMMUNE_TEAM,
        )
        version = ProcedureVersion.objects.create(
            procedure=procedure, number=1, effective_from=datetime.date(2024, 1, 1), statutory_working_days=5
        )
        Requirement.objects.create(version=version, document_kind=kind)
    client = login(cast.applicant)
    # the applicant, the open procedures, their versions in force, the versions' requirements
    # with their kinds, the kinds of document the applicant already gave, the memberships (menu)
    with django_assert_num_queries(SIGNED_IN + 6):
        response = client.get(reverse("dossier_new"))
    assert sum(len(procedures) for _label, procedures in response.context["groups"]) == rows + 2


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_notification_list_query_count(login, cast, django_assert_num_queries, rows):
    for index in range(rows):
        notify(cast.applicant, f"su-kien-{index}", read=bool(index % 2))
    client = login(cast.applicant)
    # the count, the page of notifications, the memberships (menu)
    with django_assert_num_queries(SIGNED_IN + 3):
        response = client.get(reverse("notification_list"))
    assert len(response.context["page"]) == rows


def test_units_offered_are_current_communes_only(cast):
    from dossiers.forms.applicants import current_communes

    AdminUnitFactory(name="Xã Cũ", parent=cast.units.district, valid_until=datetime.date(2025, 6, 30))
    # By their parent (the province since the 2025 reform; the district in this cast), then by name.
    assert [unit.name for unit in current_communes()] == ["Xã Sơn Định", "Xã Cẩm Sơn"]

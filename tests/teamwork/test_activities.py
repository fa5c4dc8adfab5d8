"""The teams' activities: the service's rules, the attachment checks and the pages.

The role × route rows of these pages are in ``ACTIVITY_ROWS`` below, run here the way the
shared table in tests/portal/test_role_routes.py runs its own.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from portal.models import AuditRecord, Target, Team
from portal.models.people import today
from portal.refusals import Refused
from teamwork.models import Activity, ActivityAttachment
from teamwork.services import attach_to_activity, record_activity
from tests.conftest import Cast
from tests.factories import MembershipFactory, TeamFactory
from tests.portal.test_query_counts import SIGNED_IN
from tests.role_table import COMMUNE_READERS, Row, everyone

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def yesterday() -> datetime.date:
    return today() - datetime.timedelta(days=1)


def record(cast: Cast, **overrides) -> Activity:
    """An outreach meeting of the commune team, recorded by its head, unless told otherwise."""
    values = {
        "team": cast.teams.commune,
        "by": cast.commune_officer,
        "kind": Activity.Kind.OUTREACH,
        "held_on": yesterday(),
        "unit": cast.units.commune,
        "people_reached": 40,
        "topics": "Giới thiệu vay vốn Quỹ khởi nghiệp cho hộ làm kẹo dừa",
        "channel": Activity.Channel.MEETING,
    }
    return record_activity(**(values | overrides))


def commune_activity(cast: Cast) -> Activity:
    """The commune team's one activity (created on first use), for the role × route rows."""
    return Activity.objects.filter(team=cast.teams.commune).first() or record(cast)


def commune_attachment(cast: Cast) -> ActivityAttachment:
    activity = commune_activity(cast)
    return activity.attachments.first() or attach_to_activity(
        activity=activity, upload=SimpleUploadedFile("bien-ban.pdf", PDF_BYTES), by=cast.commune_officer
    )


def form_data(cast: Cast, **overrides) -> dict:
    return {
        "team": cast.teams.commune.pk,
        "kind": Activity.Kind.OUTREACH,
        "held_on": yesterday().isoformat(),
        "unit": cast.units.commune.pk,
        "people_reached": "35",
        "topics": "Chuyển đổi hộ kinh doanh lên doanh nghiệp",
        "channel": Activity.Channel.MASS_ORGANISATION,
        "mass_organisation": Activity.MassOrganisation.WOMENS_UNION,
    } | overrides


def state():
    return (Activity.objects.count(), ActivityAttachment.objects.count(), AuditRecord.objects.count())


# --- Role × route -----------------------------------------------------------------------------------------

# Members of an active team record activities; applicants have none, and the council oversees the
# teams' work and records none.
NOT_RECORDING = {"applicant": 403, "other_applicant": 403, "council_member": 403}
RECORDERS = everyone(200, anonymous=302, **NOT_RECORDING)
ACTIVITY_ROWS: dict[str, Row] = {
    "activity_list": Row("get", lambda cast: reverse("activity_list"), everyone(200, anonymous=302)),
    "activity_new": Row("get", lambda cast: reverse("activity_new"), RECORDERS),
    # Only the commune team's members may record for it; for others its id is not a choice (400).
    "activity_new:post": Row(
        "post",
        lambda cast: reverse("activity_new"),
        everyone(400, anonymous=302, commune_officer=302, **NOT_RECORDING),
        data=form_data,
    ),
    "activity_detail": Row(
        "get", lambda cast: reverse("activity_detail", args=[commune_activity(cast).pk]), COMMUNE_READERS
    ),
    "activity_attachment": Row(
        "get",
        lambda cast: reverse("activity_attachment", args=[commune_attachment(cast).pk]),
        COMMUNE_READERS,
    ),
}


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(ACTIVITY_ROWS))
def test_role_gets_the_expected_answer(cast, login, role, route_name):
    row = ACTIVITY_ROWS[route_name]
    url, data = row.url(cast), row.data(cast)
    client = login(getattr(cast, role))
    before = state()
    response = getattr(client, row.method)(url, data)
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}"
    if row.method == "post" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"


# --- The service ------------------------------------------------------------------------------------------


def test_a_commune_team_records_an_outreach_event(cast):
    activity = record(cast, notes="  Có 12 hộ đăng ký tư vấn  ", review_kind="final", counterpart="Sở KH")
    assert (activity.team, activity.unit, activity.recorded_by) == (
        cast.teams.commune,
        cast.units.commune,
        cast.commune_officer,
    )
    assert (activity.kind, activity.channel, activity.people_reached, activity.notes) == (
        "outreach",
        "meeting",
        40,
        "Có 12 hộ đăng ký tư vấn",
    )
    # Fields of other kinds are not kept.
    assert (activity.review_kind, activity.counterpart, activity.supported_team) == ("", "", None)
    assert (
        activity.search_text
        == "gioi thieu vay von quy khoi nghiep cho ho lam keo dua co 12 ho dang ky tu van"
    )


def test_a_district_team_records_a_support_visit_to_a_commune_team(cast):
    activity = record(
        cast,
        team=cast.teams.district,
        by=cast.district_officer,
        unit=cast.units.commune,
        kind=Activity.Kind.SUPPORT_VISIT,
        supported_team=cast.teams.commune,
        channel="",
    )
    assert (activity.kind, activity.supported_team, activity.channel) == (
        "support_visit",
        cast.teams.commune,
        "",
    )


def test_an_outreach_through_another_mass_organisation_keeps_its_name(cast):
    activity = record(
        cast,
        channel=Activity.Channel.MASS_ORGANISATION,
        mass_organisation=Activity.MassOrganisation.OTHER,
        mass_organisation_other="Hội Người cao tuổi xã",
    )
    assert (activity.mass_organisation, activity.mass_organisation_other) == (
        "other",
        "Hội Người cao tuổi xã",
    )


def test_a_review_meeting_keeps_its_lessons(cast):
    activity = record(
        cast,
        kind=Activity.Kind.REVIEW_MEETING,
        review_kind=Activity.ReviewKind.INTERIM,
        lessons_learned="Cần phối hợp Hội LHPN",
    )
    assert (activity.review_kind, activity.lessons_learned, activity.channel) == (
        "interim",
        "Cần phối hợp Hội LHPN",
        "",
    )


REFUSALS = {
    "not_member": lambda cast: {"by": cast.other_commune_officer},
    "future": lambda cast: {"held_on": today() + datetime.timedelta(days=1)},
    "unit_outside": lambda cast: {"unit": cast.units.other_commune},
    "no_topics": lambda cast: {"topics": "   "},
    "negative": lambda cast: {"people_reached": -1},
    "no_kind": lambda cast: {"kind": "party"},
    "no_channel": lambda cast: {"channel": ""},
    "no_mass_organisation": lambda cast: {"channel": Activity.Channel.MASS_ORGANISATION},
    "no_mass_organisation_name": lambda cast: {
        "channel": Activity.Channel.MASS_ORGANISATION,
        "mass_organisation": Activity.MassOrganisation.OTHER,
    },
    "not_district": lambda cast: {"kind": Activity.Kind.SUPPORT_VISIT, "supported_team": cast.teams.commune},
    "no_supported_team": lambda cast: {
        "kind": Activity.Kind.SUPPORT_VISIT,
        "team": cast.teams.district,
        "by": cast.district_officer,
    },
    "wrong_supported_team": lambda cast: {
        "kind": Activity.Kind.SUPPORT_VISIT,
        "team": cast.teams.district,
        "by": cast.district_officer,
        "unit": cast.units.district,
        "supported_team": cast.teams.other_commune,
    },
    "no_review_kind": lambda cast: {
        "kind": Activity.Kind.REVIEW_MEETING,
        "lessons_learned": "Rút kinh nghiệm",
    },
    "no_lessons": lambda cast: {"kind": Activity.Kind.REVIEW_MEETING, "review_kind": "final"},
}


@pytest.mark.parametrize("code", sorted(REFUSALS))
def test_each_rule_refuses_and_nothing_changes(cast, code):
    before = state()
    with pytest.raises(Refused) as refusal:
        record(cast, **REFUSALS[code](cast))
    assert refusal.value.code == code
    assert state() == before


def test_a_team_that_was_not_active_that_day_is_refused(cast):
    team = cast.teams.commune
    team.active_from = today() - datetime.timedelta(days=10)
    team.save(update_fields=["active_from"])
    before = state()
    with pytest.raises(Refused) as refusal:
        record(cast, held_on=today() - datetime.timedelta(days=11))
    assert refusal.value.code == "team_inactive"
    assert state() == before


def test_a_former_member_is_refused(cast):
    membership = cast.teams.commune.memberships.get(user=cast.commune_officer)
    membership.left_on = yesterday()
    membership.save(update_fields=["left_on"])
    before = state()
    with pytest.raises(Refused) as refusal:
        record(cast)
    assert refusal.value.code == "not_member"
    assert state() == before


# --- Attachments ------------------------------------------------------------------------------------------


def test_a_photo_is_attached(cast):
    activity = record(cast)
    attachment = attach_to_activity(
        activity=activity, upload=SimpleUploadedFile("anh-buoi-hop.jpg", JPEG_BYTES), by=cast.commune_officer
    )
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "anh-buoi-hop.jpg",
        "image/jpeg",
        len(JPEG_BYTES),
    )
    assert attachment.file.name.startswith("activities/")


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("bien-ban.pdf", b"<html><script>alert(1)</script></html>", "unknown_type"),  # renamed HTML
        ("..\\..\\portal\\bien-ban.pdf", PDF_BYTES, "path_in_name"),
        ("C:\\Users\\bien-ban.pdf", PDF_BYTES, "path_in_name"),
        ("bien-ban.jpg", PDF_BYTES, "mismatched_name"),
        ("rong.pdf", b"", "empty"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_stored(cast, name, content, code):
    activity = record(cast)
    before = state()
    with pytest.raises(Refused) as refusal:
        attach_to_activity(
            activity=activity, upload=SimpleUploadedFile(name, content), by=cast.commune_officer
        )
    assert refusal.value.code == code
    assert state() == before


def test_an_oversized_file_is_refused(cast, settings):
    settings.UPLOAD_MAX_BYTES = len(PDF_BYTES) - 1
    activity = record(cast)
    before = state()
    with pytest.raises(Refused) as refusal:
        attach_to_activity(
            activity=activity, upload=SimpleUploadedFile("bien-ban.pdf", PDF_BYTES), by=cast.commune_officer
        )
    assert refusal.value.code == "too_large"
    assert state() == before


def test_only_a_member_of_the_team_attaches(cast):
    activity = record(cast)
    before = state()
    with pytest.raises(Refused) as refusal:
        attach_to_activity(
            activity=activity, upload=SimpleUploadedFile("bien-ban.pdf", PDF_BYTES), by=cast.district_officer
        )
    assert refusal.value.code == "not_member"
    assert state() == before


# --- The pages --------------------------------------------------------------------------------------------


def test_the_short_form_records_an_outreach_event_with_a_photo(cast, login):
    photo = SimpleUploadedFile("anh.jpg", JPEG_BYTES)
    response = login(cast.commune_officer).post(reverse("activity_new"), form_data(cast, file=photo))
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activity_detail", args=[activity.pk])
    assert (activity.channel, activity.mass_organisation, activity.people_reached, activity.held_on) == (
        "mass_organisation",
        "womens_union",
        35,
        yesterday(),
    )
    assert [attachment.original_name for attachment in activity.attachments.all()] == ["anh.jpg"]


def test_the_form_defaults_to_today_and_the_teams_unit_and_hides_a_single_team(cast, login):
    response = login(cast.commune_officer).get(reverse("activity_new"))
    form = response.context["form"]
    assert (form["held_on"].value(), form["unit"].value(), form["team"].is_hidden) == (
        today(),
        cast.units.commune.pk,
        True,
    )
    assert list(form.fields["unit"].queryset) == [cast.units.commune]
    # No kind chosen yet: the page shows every kind's fields, so it works without JavaScript.
    assert [len(fields) for _label, fields in form.kind_fields()] == [3, 2, 1]


def test_choosing_a_kind_shows_only_its_fields(cast, login):
    response = login(cast.commune_officer).get(reverse("activity_new"), {"kind": "review_meeting"})
    fields = response.context["form"].kind_fields()
    assert [[field.name for field in group] for _label, group in fields] == [
        ["review_kind", "lessons_learned"]
    ]
    assert b'hx-select="#kind-fields"' in response.content


def test_a_member_of_several_teams_chooses_the_team(cast, login):
    MembershipFactory(team=cast.teams.district, user=cast.commune_officer)
    response = login(cast.commune_officer).get(reverse("activity_new"))
    form = response.context["form"]
    assert form["team"].is_hidden is False
    assert list(form.fields["team"].queryset) == sorted(
        [cast.teams.commune, cast.teams.district], key=lambda team: team.sort_name
    )
    # As a district team member, the commune teams of the district may be supported.
    assert list(form.fields["supported_team"].queryset) == [cast.teams.commune]


def test_a_refused_form_says_why_in_vietnamese_and_changes_nothing(cast, login):
    before = state()
    response = login(cast.commune_officer).post(reverse("activity_new"), form_data(cast, channel=""))
    assert response.status_code == 400
    # In Vietnamese once locale/ has the msgid; the message is the service's.
    with translation.override("vi"):
        expected = gettext("Say how the outreach reached people (the channel).")
    assert response.context["form"].non_field_errors() == [expected]
    assert state() == before


def test_notes_longer_than_the_api_takes_are_refused_and_shown_again(cast, login):
    """The page took notes of any length where the API stops at 5,000 characters."""
    before = state()
    notes = ("Ghi chép buổi tuyên truyền. " * 200).strip()  # 5,599 characters
    response = login(cast.commune_officer).post(reverse("activity_new"), form_data(cast, notes=notes))
    assert response.status_code == 400
    assert response.context["form"].errors["notes"] == ["Chỉ được nhập tối đa 5000 ký tự (hiện có 5599)."]
    assert notes in response.content.decode()  # nothing typed is lost
    assert state() == before


def test_a_refused_file_records_nothing(cast, login):
    before = state()
    html = SimpleUploadedFile("anh.jpg", b"<html></html>")
    response = login(cast.commune_officer).post(reverse("activity_new"), form_data(cast, file=html))
    assert response.status_code == 400
    assert len(response.context["form"].non_field_errors()) == 1
    assert state() == before


def test_the_list_searches_without_diacritics_and_filters(cast, login):
    record(cast, topics="Đăng ký OCOP cho kẹo dừa")
    record(
        cast,
        topics="Tập huấn kế toán",
        kind=Activity.Kind.TRAINING,
        held_on=today() - datetime.timedelta(days=40),
    )
    record(cast, team=cast.teams.other_commune, by=cast.other_commune_officer, unit=cast.units.other_commune)
    client = login(cast.commune_officer)

    def topics(**params):
        return [activity.topics for activity in client.get(reverse("activity_list"), params).context["page"]]

    assert topics(q="keo dua") == ["Đăng ký OCOP cho kẹo dừa"]
    assert topics(q="KẸO DỪA") == ["Đăng ký OCOP cho kẹo dừa"]
    assert topics(kind="training") == ["Tập huấn kế toán"]
    assert topics(start=(today() - datetime.timedelta(days=7)).isoformat()) == ["Đăng ký OCOP cho kẹo dừa"]
    # The other commune's activity is outside the officer's scope.
    assert topics() == ["Đăng ký OCOP cho kẹo dừa", "Tập huấn kế toán"]
    assert topics(team=cast.teams.commune.pk) == ["Đăng ký OCOP cho kẹo dừa", "Tập huấn kế toán"]


def test_the_detail_lists_the_attachments_and_they_download(cast, login):
    attachment = commune_attachment(cast)
    client = login(cast.district_officer)
    page = client.get(reverse("activity_detail", args=[attachment.activity_id]))
    assert page.context["attachments"] == [attachment]
    response = client.get(reverse("activity_attachment", args=[attachment.pk]))
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bien-ban.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        login(cast.other_commune_officer)
        .get(reverse("activity_attachment", args=[attachment.pk]))
        .status_code
        == 404
    )


# --- Query counts -----------------------------------------------------------------------------------------

N = 5


def add_activities(cast: Cast, count: int) -> None:
    for number in range(count):
        team = TeamFactory(unit=cast.units.commune, kind=Team.Kind.COMMUNE_TEAM)
        member = MembershipFactory(team=team).user
        record(cast, team=team, by=member, topics=f"Tuyên truyền số {number}")


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_list_page_query_count(cast, login, django_assert_num_queries, rows):
    add_activities(cast, rows)
    client = login(cast.council_member)
    # The page's own: 1 count for the paginator, 2 the page of activities with team and unit,
    # 3 the teams of the team filter, 4 the units of the unit filter.
    with django_assert_num_queries(SIGNED_IN + 4):
        response = client.get(reverse("activity_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows


# --- The demo ---------------------------------------------------------------------------------------------


@pytest.fixture
def demo_activities(db, settings, tmp_path):
    """What the demo's activities and targets came to, as load_demo builds them."""
    from demo.building import build_demo

    settings.MEDIA_ROOT = tmp_path
    return build_demo().parts["teamwork"].rows


def test_the_demo_is_uneven_and_a_second_run_changes_nothing(demo_activities):
    from portal.models import Membership
    from portal.units_loader import FORMER_UNTIL
    from teamwork.demo import build_demo_activities

    created = demo_activities["Activity", "created"]
    assert created == Activity.objects.count() > 0
    before = (
        list(Activity.objects.order_by("pk").values_list()),
        list(Target.objects.order_by("pk").values_list()),
    )
    again = build_demo_activities()
    assert (again["Activity", "created"], again["Target", "created"], again["Target", "updated"]) == (0, 0, 0)
    assert again["Activity", "unchanged"] == created
    after = (
        list(Activity.objects.order_by("pk").values_list()),
        list(Target.objects.order_by("pk").values_list()),
    )
    assert after == before

    current = Team.objects.filter(kind=Team.Kind.COMMUNE_TEAM, active_until__isnull=True)
    recent = today() - datetime.timedelta(days=90)
    silent = current.exclude(activities__held_on__gte=recent).filter(
        pk__in=Membership.objects.values("team_id")
    )
    assert silent.count() > 0
    assert current.filter(activities__held_on__gte=recent).distinct().count() > 0
    visits = Activity.objects.filter(kind=Activity.Kind.SUPPORT_VISIT)
    assert visits.count() > 0
    assert not visits.filter(held_on__gt=FORMER_UNTIL).exists()
    reviews = Activity.objects.filter(kind=Activity.Kind.REVIEW_MEETING)
    assert reviews.count() > 0
    assert not reviews.filter(lessons_learned="").exists()
    assert Activity.objects.filter(kind=Activity.Kind.CONSULTATION).exclude(counterpart="").exists()
    channels = set(Activity.objects.values_list("channel", flat=True)) - {""}
    assert channels == set(Activity.Channel.values)
    assert set(Target.objects.values_list("year", flat=True)) == {2025, 2026}
    assert not Activity.objects.filter(held_on__gt=today()).exists()

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from portal.audit import audit_context
from portal.models import AuditRecord
from portal.models.audit import AuditRecordIsPermanent


def test_web_change_records_who_what_before_after_and_where(cast, login):
    team = cast.teams.commune
    client = login(cast.standing_officer)
    client.post(
        reverse("team_add_member", args=[team.pk]),
        {"username": cast.applicant.username, "position": "Thành viên"},
        REMOTE_ADDR="203.0.113.7",
    )
    record = AuditRecord.objects.history_of(team).first()
    assert record.actor == cast.standing_officer
    assert record.address == "203.0.113.7"
    assert record.channel == "web"
    assert record.action == AuditRecord.Action.CREATE
    assert record.before == {}
    assert record.after["user"]["id"] == cast.applicant.pk
    assert record.after["position"] == "Thành viên"


def test_update_records_only_the_changed_fields(cast):
    team = cast.teams.commune
    with audit_context(actor=cast.council_member, channel="command"):
        team.name = "Tổ hỗ trợ ĐT&KN xã Sơn Định mới"
        team.save(update_fields=["name"])
    record = AuditRecord.objects.history_of(team).first()
    assert record.action == AuditRecord.Action.UPDATE
    assert record.before == {"name": "Tổ hỗ trợ ĐT&KN xã Sơn Định"}
    assert record.after == {"name": "Tổ hỗ trợ ĐT&KN xã Sơn Định mới"}
    assert record.actor == cast.council_member


def test_saving_without_a_change_records_nothing(cast):
    before = AuditRecord.objects.count()
    cast.teams.commune.save()
    assert AuditRecord.objects.count() == before


def test_delete_is_recorded_with_the_last_values(cast):
    membership = cast.teams.other_commune.memberships.get()
    team = cast.teams.other_commune
    team.head = None
    team.save(update_fields=["head"])
    membership.delete()
    record = AuditRecord.objects.history_of(team).first()
    assert record.action == AuditRecord.Action.DELETE
    assert record.before["user"]["id"] == cast.other_commune_officer.pk
    assert record.after == {}


def test_team_page_shows_its_history(cast, login):
    response = login(cast.commune_officer).get(reverse("team_detail", args=[cast.teams.commune.pk]))
    history = list(response.context["history"])
    # The factory created the team, the membership, then set the head.
    assert [record.action for record in history] == ["update", "create", "create"]
    assert history[0].after == {"head": {"id": cast.commune_officer.pk, "label": "Nguyễn Thị Xã"}}


def test_application_cannot_change_or_delete_an_audit_record(cast):
    record = AuditRecord.objects.first()
    with pytest.raises(AuditRecordIsPermanent):
        record.save()
    with pytest.raises(AuditRecordIsPermanent):
        record.delete()
    with pytest.raises(AuditRecordIsPermanent):
        AuditRecord.objects.filter(pk=record.pk).update(object_repr="sửa")
    with pytest.raises(AuditRecordIsPermanent):
        AuditRecord.objects.all().delete()


def test_database_refuses_to_change_an_audit_record(cast):
    record = AuditRecord.objects.first()
    # Bypass the model: the database trigger still refuses.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE portal_auditrecord SET object_repr = %s WHERE id = %s", ["sửa", record.pk])
    record.refresh_from_db()
    assert record.object_repr != "sửa"


def test_admin_offers_no_way_to_change_audit_records(cast, login, django_user_model):
    superuser = django_user_model.objects.create_superuser(
        "quantri-thu", "qt@example.vn", "mat-khau-quan-tri"
    )
    client = login(superuser)
    record = AuditRecord.objects.first()
    assert client.get(reverse("admin:portal_auditrecord_change", args=[record.pk])).status_code == 200
    response = client.post(reverse("admin:portal_auditrecord_delete", args=[record.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert AuditRecord.objects.filter(pk=record.pk).exists()


def test_admin_change_is_recorded_with_channel_admin(cast, login, django_user_model):
    superuser = django_user_model.objects.create_superuser(
        "quantri-thu", "qt@example.vn", "mat-khau-quan-tri"
    )
    team = cast.teams.fund
    membership = team.memberships.get()
    form = {
        "name": "Quỹ Đầu tư khởi nghiệp tỉnh (đổi tên)",
        "kind": team.kind,
        "unit": team.unit_id,
        "active_from": "01/07/2025",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": membership.pk,
        "memberships-0-team": team.pk,
        "memberships-0-user": membership.user_id,
    }
    response = login(superuser).post(reverse("admin:portal_team_change", args=[team.pk]), form)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    record = AuditRecord.objects.history_of(team).first()
    assert (record.channel, record.actor, record.action) == ("admin", superuser, "update")
    assert record.after == {"name": "Quỹ Đầu tư khởi nghiệp tỉnh (đổi tên)", "active_from": "2025-07-01"}


def test_team_history_reads_in_plain_words_with_a_fixed_number_of_queries(
    cast, login, django_assert_max_num_queries
):
    client = login(cast.standing_officer)
    for username in ("xakhac", "huyen", "quy"):
        client.post(reverse("team_add_member", args=[cast.teams.commune.pk]), {"username": username})
    with django_assert_max_num_queries(16):
        response = client.get(reverse("team_detail", args=[cast.teams.commune.pk]))
    page = response.content.decode()
    assert "người đứng đầu: – → Nguyễn Thị Xã" in page
    assert "người dùng: – → Đặng Văn Xã Khác" in page


def test_history_shows_choices_by_name_dates_as_dd_mm_yyyy_and_no_ids(cast):
    import datetime

    from portal.models import Membership

    membership = Membership.objects.create(
        team=cast.teams.council, user=cast.applicant, joined_on=datetime.date(2025, 7, 1)
    )
    record = AuditRecord.objects.history_of(membership.team).first()
    assert record.changes == [
        ("ngày tham gia", "–", "01/07/2025"),
        ("tổ", "–", "Hội đồng Tư vấn khởi nghiệp tỉnh"),
        ("người dùng", "–", "Bùi Văn Nộp"),
    ]
    created_team = AuditRecord.objects.history_of(cast.teams.council).last()
    assert ("loại", "–", "Hội đồng Tư vấn") in created_team.changes

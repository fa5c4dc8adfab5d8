"""generate_data: a synthetic province, deterministic for a seed, never in production."""

import datetime
import random
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from demo import synthetic
from dossiers.models import Applicant, Dossier, DossierEvent, Inquiry
from portal.models import AdminUnit, AuditRecord, Membership, Team, User
from portal.scope import scope_for
from portal.text import fold, sort_key
from portal.working_days import add_working_days, working_days_between

FORMER_UNTIL = datetime.date(2025, 6, 30)
REFORM_DATE = datetime.date(2025, 7, 1)
# The day the synthetic data ends, fixed so that the same seed gives the same dossiers on any day.
AS_OF = datetime.date(2026, 11, 20)

pytestmark = pytest.mark.django_db


def generate(*arguments: str) -> str:
    out = StringIO()
    call_command("generate_data", *arguments, "--as-of", AS_OF.isoformat(), stdout=out)
    return out.getvalue()


def snapshot():
    """Everything generated, by natural values rather than primary keys."""
    units = {unit.pk: unit.code for unit in AdminUnit.objects.all()}
    users = {user.pk: user.username for user in User.objects.all()}
    teams = {team.pk: team.name for team in Team.objects.all()}
    return (
        sorted(
            (
                unit.code,
                unit.name,
                unit.kind,
                unit.level,
                units.get(unit.parent_id),
                unit.valid_from,
                unit.valid_until,
            )
            for unit in AdminUnit.objects.all()
        ),
        sorted(
            (units[link.from_adminunit_id], units[link.to_adminunit_id])
            for link in AdminUnit.successors.through.objects.all()
        ),
        sorted(User.objects.values_list("username", "full_name")),
        sorted(
            (
                team.name,
                team.kind,
                units[team.unit_id],
                users.get(team.head_id),
                team.active_from,
                team.active_until,
            )
            for team in Team.objects.all()
        ),
        sorted(
            (teams[m.team_id], users[m.user_id], m.position, m.joined_on, m.left_on)
            for m in Membership.objects.all()
        ),
        sorted(
            Dossier.objects.values_list(
                "code",
                "status",
                "applicant__national_id",
                "procedure__code",
                "procedure_version__number",
                "unit__code",
                "handling_team__name",
                "filed_by__username",
                "channel",
                "submitted_at",
                "received_at",
                "due_date",
                "decided_at",
                "rating",
            )
        ),
        sorted(DossierEvent.objects.values_list("dossier__code", "action", "at", "actor__username")),
        sorted(Inquiry.objects.values_list("dossier__code", "raised_at", "team__name", "replied_at")),
    )


def test_a_small_province_with_history_teams_and_people():
    output = generate("--scale", "1", "--communes", "12", "--seed", "7")

    assert list(
        AdminUnit.objects.filter(level="province").order_by("code").values_list("code", "valid_until")
    ) == [
        ("SP0", None),
        ("SP1", FORMER_UNTIL),
        ("SP2", FORMER_UNTIL),
    ]
    current = AdminUnit.objects.filter(level="commune", valid_until=None)
    assert current.count() == 12
    assert AdminUnit.objects.filter(level="district").count() == 2  # one for every 6 current communes
    former = AdminUnit.objects.filter(level="commune", valid_until=FORMER_UNTIL)
    assert 24 <= former.count() <= 48  # two to four former communes for each current one
    assert not former.filter(successors=None).exists()
    assert not current.filter(predecessors=None).exists()
    assert not AdminUnit.objects.exclude(code__startswith="S").exists()
    # bulk_create skipped save(): the derived columns were set by hand, and must agree with save().
    for unit in AdminUnit.objects.all():
        assert (unit.search_name, unit.sort_name) == (fold(unit.name), sort_key(unit.name))
    for team in Team.objects.all():
        assert (team.search_name, team.sort_name) == (fold(team.name), sort_key(team.name))

    assert Team.objects.filter(kind=Team.Kind.COUNCIL).count() == 1
    assert Team.objects.filter(kind=Team.Kind.COUNCIL_BOARD, parent__kind=Team.Kind.COUNCIL).count() == 3
    assert Team.objects.filter(kind=Team.Kind.DISTRICT_TEAM, active_until=FORMER_UNTIL).count() == 2
    current_teams = Team.objects.filter(kind=Team.Kind.COMMUNE_TEAM, active_until=None)
    assert set(current_teams.values_list("unit__code", flat=True)) == set(
        current.values_list("code", flat=True)
    )
    for team in current_teams:
        assert team.memberships.count() in {0, 3, 4, 5, 6, 7, 8}
        assert team.head_id is None or team.memberships.filter(user_id=team.head_id, left_on=None).exists()
    # One person per membership, and the applicants who file online; none able to log in.
    assert User.objects.filter(applicant=None).count() == Membership.objects.count()
    assert User.objects.exclude(applicant=None).count() == Applicant.objects.exclude(user=None).count()
    assert not any(user.has_usable_password() for user in User.objects.all())
    assert not User.objects.exclude(username__startswith="sx").exists()
    # No membership ends after its team or in the future of the data.
    assert not Membership.objects.filter(left_on__gt=FORMER_UNTIL).exists()
    # bulk_create writes no audit records.
    assert not AuditRecord.objects.exists()
    assert "Synthetic data, scale 1, seed 7: done in" in output
    assert re.search(r"^  current commune +12$", output, re.MULTILINE)


def test_scope_works_on_synthetic_data():
    generate("--communes", "6", "--seed", "3")
    council = Team.objects.get(kind=Team.Kind.COUNCIL)
    assert scope_for(council.head).readable_unit_ids == frozenset(
        AdminUnit.objects.values_list("pk", flat=True)
    )
    team = Team.objects.filter(kind=Team.Kind.COMMUNE_TEAM, active_until=None).exclude(head=None).first()
    ward = team.unit
    assert scope_for(team.head).readable_unit_ids == {
        ward.pk,
        *ward.predecessors.values_list("pk", flat=True),
    }


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    with transaction.atomic():
        generate("--communes", "8", "--seed", "11")
        first = snapshot()
        transaction.set_rollback(True)
    assert not AdminUnit.objects.exists()
    with transaction.atomic():
        generate("--communes", "8", "--seed", "11")
        assert snapshot() == first
        transaction.set_rollback(True)
    generate("--communes", "8", "--seed", "12")
    other = snapshot()
    assert other[0] != first[0]  # other place names
    assert other[2] != first[2]  # other people


def test_scale_multiplies_communes_teams_and_people():
    generate("--scale", "3", "--communes", "4", "--seed", "5", "--dossiers", "10")
    assert AdminUnit.objects.filter(level="commune", valid_until=None).count() == 12
    assert Team.objects.filter(kind=Team.Kind.COMMUNE_TEAM, active_until=None).count() == 12
    assert AdminUnit.objects.filter(level="district").count() == 2


def test_the_plan_at_scale_one_is_the_size_of_a_province():
    plan = synthetic.plan(scale=1, seed=2016)
    communes = [unit for unit in plan.units if unit.level == "commune" and unit.current]
    commune_teams = [
        team for team in plan.teams if team.kind == Team.Kind.COMMUNE_TEAM and team.active_until is None
    ]
    assert len(communes) == len(commune_teams) == 100
    sizes = [len(team.members) for team in commune_teams if team.members]
    assert min(sizes) == 3
    assert max(sizes) == 8
    assert 500 <= sum(len(team.members) for team in plan.teams) <= 1500
    assert len(synthetic.plan(scale=10, seed=2016).units) > 9 * len(plan.units)


def test_refused_a_second_time():
    generate("--communes", "3", "--dossiers", "10")
    with pytest.raises(CommandError, match=r"already holds synthetic data \(province SP0\)"):
        generate("--communes", "3", "--dossiers", "10")


def test_refused_in_production_and_nothing_written(settings):
    settings.PORTAL_ENV = "production"
    with pytest.raises(
        CommandError, match="Synthetic data belongs only in a demo or test database; this one is production"
    ):
        generate("--communes", "3")
    assert not AdminUnit.objects.exists()
    assert not User.objects.exists()


def test_vietnamese_names_look_vietnamese():
    import random

    rng = random.Random(1)
    names = [synthetic.vietnamese_name(rng) for _ in range(200)]
    families = [name.split()[0] for name in names]
    assert families.count("Nguyễn") > families.count("Trần") > 0
    assert all(3 <= len(name.split()) <= 4 for name in names)
    taken: set[str] = set()
    assert synthetic.login_name("Nguyễn Văn An", taken) == "annv"
    assert synthetic.login_name("Nguyễn Văn An", taken) == "annv2"
    assert synthetic.login_name("Đặng Thị Ánh Tuyết", taken) == "tuyetdta"


# Dossiers.


def test_dossiers_in_every_status_with_their_stories():
    output = generate("--communes", "15", "--seed", "2016")
    # 200 dossiers for each current commune; the counts are those of this seed and day.
    assert Dossier.objects.count() == 3000
    assert dict(Dossier.objects.values_list("status").annotate(count=Count("pk"))) == {
        "done": 130,
        "in_progress": 69,
        "new": 21,
        "not_received": 185,
        "payment_requested": 4,
        "received": 4,
        "result_returned": 2207,
        "stopped": 221,
        "supplement_requested": 31,
        "withdrawn": 128,
    }
    assert re.search(r"^  dossiers +3000$", output, re.MULTILINE)
    assert re.search(r"^  dossiers result_returned +2207$", output, re.MULTILINE)
    assert DossierEvent.objects.count() == 20030
    assert Dossier.objects.drafts().exists()
    assert set(Dossier.objects.values_list("channel", flat=True)) == {"online", "in_person", "post"}
    # Some open dossiers are late, some dossiers had an apology, some applicants rated the service.
    assert Dossier.objects.running().filter(due_date__lt=AS_OF).exists()
    assert (
        Dossier.objects.exclude(apology_issued_at=None).filter(original_due_date__lt=F("due_date")).exists()
    )
    assert (
        not Dossier.objects.exclude(apology_issued_at=None)
        .filter(original_due_date__gte=F("due_date"))
        .exists()
    )
    assert Dossier.objects.exclude(rating=None).filter(applicant__user=None).count() == 0
    assert Dossier.objects.exclude(rating=None).exists()
    # Nothing happened on or after the day the data ends.
    assert not DossierEvent.objects.filter(at__date__gte=AS_OF).exists()
    assert not AuditRecord.objects.exists()


def test_every_dossier_tells_a_consistent_story():
    generate("--communes", "6", "--seed", "9", "--dossiers", "150")
    dossiers = Dossier.objects.select_related("procedure_version", "applicant").prefetch_related(
        "events", "supplement_requests"
    )
    for dossier in dossiers:
        events = list(dossier.events.all())
        times = [event.at for event in events]
        assert times == sorted(times), dossier.code
        assert events[0].action == "start_draft"
        last = [event for event in events if event.action not in ("apologise", "rate")][-1]
        assert last.to_status == dossier.status, dossier.code
        assert (dossier.submitted_at is None) == (len(events) == 1)
        assert dossier.search_text == fold(
            f"{dossier.code} {dossier.applicant.full_name} {dossier.applicant.enterprise_name}"
        )
        # The clock: statutory working days from receipt, moved on by the working days each supplement waited.
        if dossier.received_at is not None:
            due = add_working_days(
                timezone.localdate(dossier.received_at), dossier.procedure_version.statutory_working_days
            )
            for supplement in dossier.supplement_requests.all():
                if supplement.supplied_at is not None:
                    paused = working_days_between(
                        timezone.localdate(supplement.requested_at),
                        timezone.localdate(supplement.supplied_at),
                    )
                    due = add_working_days(due, paused)
            expected = dossier.original_due_date if dossier.apology_issued_at else dossier.due_date
            assert expected == due, dossier.code
        rounds = [supplement.round for supplement in dossier.supplement_requests.all()]
        assert rounds == list(range(1, len(rounds) + 1))
        waiting = [
            supplement for supplement in dossier.supplement_requests.all() if supplement.supplied_at is None
        ]
        if dossier.status == "supplement_requested":
            assert len(waiting) == 1 and dossier.paused_on == timezone.localdate(waiting[0].requested_at)
        else:
            assert dossier.paused_on is None


def test_dossiers_follow_the_units_teams_and_versions_of_their_day():
    generate("--communes", "6", "--seed", "9", "--dossiers", "150")
    before = Dossier.objects.filter(submitted_at__date__lt=REFORM_DATE)
    assert before.exists()
    assert not before.exclude(unit__valid_until=FORMER_UNTIL).exists()
    assert not before.exclude(handling_team__active_until=FORMER_UNTIL).exists()
    assert set(before.values_list("procedure__handling_team_kind", flat=True)) == {Team.Kind.COMMUNE_TEAM}
    after = Dossier.objects.filter(submitted_at__date__gte=datetime.date(2025, 7, 2))
    assert not after.exclude(unit__valid_until=None).exists()
    # The conversion support lost a requirement on 1 January 2026: version 2 from then on.
    conversions = Dossier.objects.filter(procedure__code="ho-tro-chuyen-doi-ho-kinh-doanh")
    for dossier in conversions.select_related("procedure_version"):
        filed = timezone.localdate(dossier.events.first().at)
        assert dossier.procedure_version.number == (2 if filed >= datetime.date(2026, 1, 1) else 1)
    # An overdue inquiry of a commune team went to the team above: the standing agency, or the former
    # district's team; the provincial teams have none above them and keep theirs.
    escalated = Inquiry.objects.exclude(escalated_at=None).select_related("team", "dossier__handling_team")
    assert Team.Kind.STANDING_AGENCY in {inquiry.team.kind for inquiry in escalated}
    for inquiry in escalated:
        assert inquiry.replied_at is None
        assert timezone.localdate(inquiry.escalated_at) > inquiry.reply_due
        handling = inquiry.dossier.handling_team
        if handling.kind == Team.Kind.COMMUNE_TEAM:
            expected = Team.Kind.STANDING_AGENCY if handling.active_until is None else Team.Kind.DISTRICT_TEAM
            assert inquiry.team.kind == expected
        else:
            assert inquiry.team == handling
    # Applicants live in current communes; the derived search column agrees with save().
    for applicant in Applicant.objects.all()[:200]:
        assert applicant.unit.valid_until is None
        assert applicant.search_name == fold(f"{applicant.full_name} {applicant.enterprise_name}")


def test_no_dossiers_when_asked_for_none():
    generate("--communes", "3", "--dossiers", "0")
    assert not Dossier.objects.exists()
    # The only people on record are the owners of the conversions' registry of household businesses,
    # the founders of projects and the heads of the poor households on the communes' lists.
    assert not Applicant.objects.filter(
        household_businesses=None, founded_projects=None, listings=None
    ).exists()
    assert Team.objects.exists()


def test_working_days_read_once_agree_with_the_calendar():
    from dossiers.demo.synthetic_plan import WorkingDays
    from portal.catalogue import load_reference_data

    load_reference_data()
    days = WorkingDays(datetime.date(2024, 1, 1), datetime.date(2027, 12, 31))
    rng = random.Random(4)
    for _ in range(300):
        start = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(1000))
        end = start + datetime.timedelta(days=rng.randrange(60))
        count = rng.randrange(0, 25)
        assert days.add(start, count) == add_working_days(start, count), (start, count)
        assert days.between(start, end) == working_days_between(start, end), (start, end)


def test_team_activity_is_uneven_and_the_same_for_a_seed():
    from portal.models import Target
    from teamwork.evenness import unit_evenness
    from teamwork.models import Activity

    def activity_rows():
        return sorted(Activity.objects.values_list("team__unit__code", "kind", "held_on", "people_reached"))

    with transaction.atomic():
        generate("--communes", "8", "--seed", "11", "--dossiers", "0")
        first = activity_rows()
        transaction.set_rollback(True)
    generate("--communes", "8", "--seed", "11", "--dossiers", "0")
    assert activity_rows() == first
    assert len(first) > 0
    assert not Activity.objects.filter(held_on__gt=AS_OF).exists()
    # Every activity keeps the rules of its kind, and the district teams visited communes.
    assert not Activity.objects.filter(kind="outreach", channel="").exists()
    assert Activity.objects.filter(kind="support_visit", supported_team__isnull=False).exists()
    province = AdminUnit.objects.get(code=synthetic.PROVINCE_CODE)
    assert (
        Target.objects.filter(unit=province, year=AS_OF.year).count() == 4
    )  # outreach, people, reviews, dossiers received
    # Uneven on purpose: some teams work steadily, some fell silent.
    evenness = unit_evenness(province, datetime.date(AS_OF.year, 1, 1), AS_OF)
    activity_counts = [measures.tally.activities for measures in evenness.teams]
    assert max(activity_counts) >= 10 and min(activity_counts) == 0
